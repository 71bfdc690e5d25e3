"""Write a synthetic LinkedIn "Complete" export of an invented member, deterministically.

Every person, company and message is invented. The files copy the byte-level format of real
exports (``shared/research/linkedin-export-format.md``): the 3-line ``Notes:`` preamble, LF endings
and no final newline in Connections.csv, CRLF in the activity files, ``"M/D/YY, h:mm AM"`` stamps in
Invitations.csv, and the quirks at the rates measured in real files: ~97% empty e-mails, ~2% ghost
rows, credentials after a comma in surnames, stray spaces, non-Latin and emoji names, placeholder
employers, percent-encoded profile slugs.

``python -m helpers.export.synth --out data/sample`` rewrites the bundled sample; the same seed gives the
same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import numpy as np

from helpers.export.formats import CONNECTIONS_HEADER, CONNECTIONS_PREAMBLE
from helpers.export.synth_workbooks import Post, aggregate_workbook, single_post_workbook

SAMPLE_SEED = 500
MEMBER = ("Alex", "Example")
MEMBER_URL = "https://www.linkedin.com/in/alex-example-5a1b2c3d"

#: (date, running count of connections on that day): the sample's growth; the 501st connection,
#: the first day the profile shows "500+", lands exactly on 2024-09-14.
GROWTH = (
    (date(2011, 3, 1), 0),
    (date(2014, 9, 1), 62),
    (date(2019, 1, 15), 178),
    (date(2022, 7, 1), 281),
    (date(2023, 11, 20), 334),
    (date(2024, 9, 14), 501),
    (date(2026, 5, 20), 629),
    (date(2026, 11, 15), 702),
)
SAMPLE_CROSSED_500_ON = date(2024, 9, 14)

#: The member's own career: (company as the member wrote it, title, start, end or None).
CAREER = (
    ("Northwind Traders", "Business Analyst", date(2011, 3, 1), date(2014, 8, 1)),
    ("Contoso Ltd.", "Data Scientist", date(2014, 9, 1), date(2018, 12, 1)),
    ("Fabrikam, Inc.", "Senior Data Scientist", date(2019, 1, 1), date(2022, 6, 1)),
    ("Globex GmbH", "Lead Data Scientist", date(2022, 7, 1), None),
)
#: How a connection's current employer is written when it is one of the member's: the spelling drifts.
CAREER_SPELLINGS = {
    "Northwind Traders": ("Northwind Traders", "Northwind Traders Inc", "NORTHWIND TRADERS"),
    "Contoso Ltd.": ("Contoso", "Contoso Ltd", "Contoso Ltd."),
    "Fabrikam, Inc.": ("Fabrikam", "Fabrikam, Inc.", "Fabrikam Inc."),
    "Globex GmbH": ("Globex", "Globex GmbH", "Globex Corporation"),
}
OTHER_COMPANIES = (
    "Initech", "Umbrella Analytics", "Hooli", "Stark Industries", "Wayne Enterprises", "Acme Corp",
    "Tyrell Systems", "Cyberdyne AG", "Soylent Foods, LLC.", "Vandelay Industries", "Pied Piper",
    "Aperture Labs", "Oscorp", "Massive Dynamic", "Dunder Mifflin", "Gringotts Bank", "Monarch Solutions",
    "Blue Sun Ltd", "Nakatomi Trading", "Wonka Confections", "Duff Brewing", "Krusty Media",
    "Sterling Cooper", "Bluth Company", "Prestige Worldwide", "Los Pollos Hermanos", "Gekko & Co",
    "Universität Beispielstadt", "中華測試銀行（香港）有限公司", "Vehement Capital", "Rekall Inc",
    "Omni Consumer Products", "Spacely Sprockets", "Cogswell Cogs", "InGen", "Virtucon",
)
PLACEHOLDERS = ("Self-employed", "Freelance", "Stealth", "Retired", "Confidential", "Freelancer")

#: (title, weight): job titles by function, with the seniority words people use.
TITLES = (
    ("Data Scientist", 8), ("Senior Data Scientist", 5), ("Data Analyst | Power BI | SQL", 4),
    ("Machine Learning Engineer", 4), ("Head of Data", 2), ("Analytics Manager", 3),
    ("Software Engineer", 8), ("Senior Software Engineer", 5), ("Staff Engineer", 2),
    ("VP, Software Engineering", 1), ("Engineering Manager", 3), ("DevOps Engineer", 2),
    ("Product Manager", 5), ("Senior Product Manager", 3), ("Director of Product", 1),
    ("Account Executive", 4), ("Sales Director", 2), ("Business Development Manager", 3),
    ("Marketing Manager", 4), ("Content Marketing Specialist", 2), ("Growth Marketer", 2),
    ("Recruiter", 4), ("Senior Technical Recruiter", 2), ("HR Business Partner", 2),
    ("Financial Analyst", 3), ("Controller", 1), ("CFO", 1),
    ("Operations Manager", 3), ("Supply Chain Analyst", 2),
    ("UX Designer", 3), ("Product Designer", 2),
    ("PhD Candidate", 2), ("Research Scientist", 2), ("Professor", 1),
    ("Consultant", 4), ("Senior Consultant", 2), ("Founder & CEO", 3), ("Co-Founder", 2),
    ("Werkstudentin", 1), ("高级经理", 1), ("Intern", 2), ("Student", 2),
)

FIRST_NAMES = (
    "Maria", "James", "Aisha", "Chen", "Olga", "Liam", "Sofia", "Mateo", "Priya", "Noah", "Fatima",
    "Lucas", "Yuki", "Emma", "Omar", "Hannah", "Ivan", "Zara", "Diego", "Amara", "Jonas", "Leila",
    "Tomás", "Ingrid", "Kwame", "Elena", "Raj", "Chloe", "Mehmet", "Sara", "Björn", "Nadia", "Hiroshi",
    "Grace", "Ahmed", "Lena", "Carlos", "Mei", "Pierre", "Anika", "Samuel", "Ewa", "Tariq", "Julia",
    "Dmitri", "Ana", "Kofi", "Isabel", "Wei", "Astrid", "Nikhil", "Rosa", "Felix", "Ngozi", "Marco",
)
LAST_NAMES = (
    "Garcia", "Smith", "Khan", "Wang", "Petrova", "Murphy", "Rossi", "Fernández", "Patel", "Johnson",
    "Al-Sayed", "Müller", "Tanaka", "Dubois", "Haddad", "Schmidt", "Ivanov", "Okafor", "Lopez", "Mensah",
    "Jensen", "Kaya", "Nowak", "Silva", "Chen", "Bergström", "Novak", "Ahmed", "Kim", "Rahman",
    "O'Brien", "Nguyễn", "Larsen", "Costa", "Hoffmann", "Yilmaz", "Mbeki", "Andersson", "Kowalski", "Sato",
)
NON_LATIN = (("陈", "伟"), ("Анна", "Смирнова"), ("محمد", "علي"), ("Γιώργος", "Παπαδόπουλος"),
             ("佐藤", "花子"), ("김", "민준"), ("Дмитрий", "Волков"), ("נועה", "כהן"))
EMOJI_NAMES = (("Sam", "Rivera 🚀"), ("Priya", "Nair 👩‍💻"), ("Leo", "Martins 🇧🇷"), ("Kai", "Berg ✨"),
               ("Ola", "Nordmann ☁"), ("Dana", "Reyes ⚡"))
CREDENTIALS = ("PhD", "MBA", "MBA, PMP", "CIPD", "MS", "CPA")


@dataclass
class Person:
    first: str
    last: str
    slug: str
    company: str | None
    position: str | None
    connected_on: date
    email: str | None = None
    ghost: bool = False

    @property
    def url(self) -> str:
        return "" if self.ghost else f"https://www.linkedin.com/in/{self.slug}"

    @property
    def full_name(self) -> str:
        return f"{self.first.strip()} {self.last.strip()}".strip()


def _slugify(first: str, last: str, rng: np.random.Generator, taken: set[str]) -> str:
    base = f"{first}-{last}".lower().replace(" ", "-").replace("'", "")
    base = "".join(ch for ch in base if ch.isalnum() or ch == "-" or ord(ch) > 127).strip("-") or "member"
    slug = quote(base, safe="-")
    if rng.random() < 0.5 or slug in taken:
        slug = f"{slug}-{rng.integers(0x10000000, 0xFFFFFFFF):x}"
    while slug in taken:
        slug = f"{slug}{rng.integers(0, 10)}"
    taken.add(slug)
    return slug


def _growth_dates(rng: np.random.Generator, growth=GROWTH) -> list[date]:
    """Connection dates that hit every running count in ``growth`` exactly on its day."""
    days: list[date] = []
    for (start, before), (end, after) in zip(growth, growth[1:]):
        span = (end - start).days
        inner = rng.integers(1, span, size=after - before - 1)
        days += [start + timedelta(days=int(d)) for d in inner] + [end]
    return sorted(days)


def _pick(rng: np.random.Generator, options):
    """One of ``options``, drawn as ``rng.choice(options)`` draws it (the same number from the stream), without
    turning the list into an array first."""
    return options[rng.integers(len(options))]


_TITLE_NAMES = [title for title, _ in TITLES]
_TITLE_CDF = np.cumsum([weight for _, weight in TITLES], dtype=float)
_TITLE_CDF /= _TITLE_CDF[-1]


def _pick_title(rng: np.random.Generator) -> str:
    """A title by its weight, drawn as ``rng.choice(len(TITLES), p=weights)`` draws it: one uniform number placed
    on the cumulative weights."""
    return _TITLE_NAMES[int(_TITLE_CDF.searchsorted(rng.random(), side="right"))]


def _employer_at(day: date) -> str | None:
    for company, _, start, end in CAREER:
        if start <= day and (end is None or day < end):
            return company
    return None


def make_people(rng: np.random.Generator, growth=GROWTH) -> list[Person]:
    """The member's connections, oldest first, with their current company and title."""
    taken: set[str] = set()
    people = []
    rare = {"non_latin": 0, "emoji": 0}  # cycled, not drawn, so every script and emoji kind appears
    for day in _growth_dates(rng, growth):
        roll = rng.random()
        if roll < 0.02:
            people.append(Person("", "", "", None, None, day, ghost=True))
            continue
        if roll < 0.06:
            first, last = NON_LATIN[rare["non_latin"] % len(NON_LATIN)]
            rare["non_latin"] += 1
        elif roll < 0.07:
            first, last = EMOJI_NAMES[rare["emoji"] % len(EMOJI_NAMES)]
            rare["emoji"] += 1
        else:
            first, last = FIRST_NAMES[rng.integers(len(FIRST_NAMES))], LAST_NAMES[rng.integers(len(LAST_NAMES))]
        slug = _slugify(first, last, rng, taken)
        if rng.random() < 0.03:
            last = f"{last}, {CREDENTIALS[rng.integers(len(CREDENTIALS))]}"
        if rng.random() < 0.03:
            first = _pick(rng, [f" {first}", f"{first} ", f"Dr. {first}"])
        employer = _employer_at(day)
        company_roll = rng.random()
        if company_roll < 0.04:
            company = None
        elif employer and company_roll < 0.38:
            # met at the member's employer of the day; a third of them have since moved on
            company = _pick(rng, CAREER_SPELLINGS[employer]) if rng.random() < 0.66 else _pick(rng, OTHER_COMPANIES)
        elif company_roll < 0.43:
            company = _pick(rng, CAREER_SPELLINGS[CAREER[rng.integers(len(CAREER))][0]])
        elif company_roll < 0.50:
            company = _pick(rng, PLACEHOLDERS)
        else:
            company = _pick(rng, OTHER_COMPANIES)
        position = None if rng.random() < 0.03 else _pick_title(rng)
        email = None
        if rng.random() < 0.03:
            email = f"{slug.split('-')[0][:12] or 'someone'}{rng.integers(10, 99)}@example.com"
        people.append(Person(first, last, slug, company, position, day, email))
    return people


def csv_text(header, rows: list[list[object]], newline: str = "\n", delimiter: str = ",",
             quote_all: bool = False) -> str:
    """A CSV file's text as LinkedIn writes it: fields quoted only where needed (every one with
    ``quote_all``, as in the UTF-16 files), and no final newline."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline, delimiter=delimiter,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()[: -len(newline)]


def connections_csv(people: list[Person]) -> str:
    """Connections.csv as LinkedIn writes it since 2023: preamble, URL column, newest first."""
    rows = [
        ["", "", "", "", "", "", p.connected_on.strftime("%d %b %Y")] if p.ghost else
        [p.first, p.last, p.url, p.email or "", p.company or "", p.position or "", p.connected_on.strftime("%d %b %Y")]
        for p in sorted(people, key=lambda p: p.connected_on, reverse=True)
    ]
    return CONNECTIONS_PREAMBLE + csv_text(CONNECTIONS_HEADER, rows)


def stamp(moment: datetime) -> str:
    """'8/26/22, 8:56 PM': LinkedIn's US-style stamp without zero padding."""
    hour = moment.hour % 12 or 12
    return f"{moment.month}/{moment.day}/{moment.strftime('%y')}, {hour}:{moment.minute:02d} {moment.strftime('%p')}"


def _moment(rng: np.random.Generator, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, int(rng.integers(7, 23)), int(rng.integers(0, 60)),
                    int(rng.integers(0, 60)))


def invitations_csv(rng: np.random.Generator, people: list[Person], window_start: date, window_end: date) -> str:
    """Invitations of the last months: outgoing (with or without a note) then incoming.

    Outgoing invitations are sent in weekly batches of varied size. Whether one was accepted shows
    only through the invitee being a connection now; in this invented data a note helps (55% vs 35%)
    and a heavy week hurts, so that the notebooks' measures have a known direction to find.
    """
    member = " ".join(MEMBER)
    recent = [p for p in people if window_start <= p.connected_on <= window_end and not p.ghost]
    order = rng.permutation(len(recent))
    outgoing_accepted = [recent[i] for i in order[: int(len(recent) * 0.7)]]
    incoming_accepted = [recent[i] for i in order[int(len(recent) * 0.7):]]
    taken = {p.slug for p in people}
    rows_out, rows_in = [], []
    accepted_pool = list(outgoing_accepted)
    week = window_start
    while week < window_end and accepted_pool:
        batch = _pick(rng, (2, 3, 4, 6, 14, 18))
        heavy = batch >= 10
        for _ in range(batch):
            with_note = rng.random() < 0.3
            p_accept = (0.55 if with_note else 0.35) * (0.7 if heavy else 1.0)
            sent_day = week + timedelta(days=int(rng.integers(0, 7)))
            if rng.random() < p_accept and accepted_pool:
                invitee = accepted_pool.pop()
                sent_day = min(sent_day, invitee.connected_on)
                name, url = invitee.full_name, invitee.url
            else:
                first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
                last = LAST_NAMES[rng.integers(len(LAST_NAMES))]
                name, url = f"{first} {last}", f"https://www.linkedin.com/in/{_slugify(first, last, rng, taken)}"
            note = "Hi, I enjoyed your talk on forecasting - would be glad to connect." if with_note else ""
            rows_out.append([member, name, stamp(_moment(rng, sent_day)), note, "OUTGOING", MEMBER_URL, url])
        week += timedelta(days=7)
    for person in incoming_accepted:
        sent_day = person.connected_on - timedelta(days=int(rng.integers(0, 4)))
        note = "Great to meet you at the meetup!" if rng.random() < 0.15 else ""
        rows_in.append([person.full_name, member, stamp(_moment(rng, sent_day)), note, "INCOMING", person.url,
                        MEMBER_URL])
    header = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    return csv_text(header, rows_out + rows_in)


def messages_csv(rng: np.random.Generator, people: list[Person], contacts_messaged: int = 90,
                 total: int = 1400) -> str:
    """messages.csv (2024-12 layout): a few close contacts get most messages; ads and spam too."""
    member = " ".join(MEMBER)
    contacts = [p for p in people if not p.ghost]
    chosen = rng.choice(len(contacts), size=min(contacts_messaged, len(contacts)), replace=False)
    weights = 1.0 / np.arange(1, len(chosen) + 1) ** 1.2
    counts = np.maximum(1, np.round(weights / weights.sum() * total)).astype(int)
    rows = []
    for index, count in zip(chosen, counts):
        person = contacts[index]
        conversation = f"2-{rng.integers(10**15, 10**16):x}=="
        start = datetime.combine(max(person.connected_on, date(2016, 1, 1)), datetime.min.time())
        span = max(1, (datetime(2026, 11, 15) - start).days)
        moments = sorted(start + timedelta(days=int(d), minutes=int(m))
                         for d, m in zip(rng.integers(0, span, count), rng.integers(0, 1440, count)))
        for moment in moments:
            outgoing = rng.random() < 0.5
            rows.append([
                conversation, "", member if outgoing else person.full_name,
                MEMBER_URL if outgoing else person.url, person.full_name if outgoing else member,
                person.url if outgoing else MEMBER_URL, moment.strftime("%Y-%m-%d %H:%M:%S UTC"), "",
                "Thanks - talk soon." if outgoing else "<p>Sounds good, see you then.</p>",
                _pick(rng, ("INBOX", "INBOX", "ARCHIVE")), "", "No", "No",
            ])
    for i in range(25):
        moment = datetime(2020, 1, 1) + timedelta(days=int(rng.integers(0, 2500)))
        rows.append([f"2-ad{i:04d}==", "Sponsored Conversation", "LinkedIn Member", "", member, MEMBER_URL,
                     moment.strftime("%Y-%m-%d %H:%M:%S UTC"), "Advance your career",
                     "<p>An offer for you, Alex.</p>", "INBOX", "", "No", "No"])
    for i in range(6):
        moment = datetime(2021, 1, 1) + timedelta(days=int(rng.integers(0, 2000)))
        rows.append([f"2-sp{i:04d}==", "", "Unknown Sender", "https://www.linkedin.com/in/spam-sender-0000", member,
                     MEMBER_URL, moment.strftime("%Y-%m-%d %H:%M:%S UTC"), "", "You won!", "SPAM", "", "No", "No"])
    rows.sort(key=lambda r: r[6], reverse=True)
    header = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
              "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
    return csv_text(header, rows)


def positions_csv() -> str:
    rows = [[c, t, "", "Berlin, Germany", s.strftime("%b %Y"), e.strftime("%b %Y") if e else ""]
            for c, t, s, e in reversed(CAREER)]
    return csv_text(["Company Name", "Title", "Description", "Location", "Started On", "Finished On"], rows)


def profile_csv() -> str:
    header = ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
              "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"]
    row = [MEMBER[0], MEMBER[1], "", "", "Apr 22", "Lead Data Scientist at Globex | Forecasting, causal inference",
           "I turn messy data into decisions.", "Technology, Information and Internet", "", "Berlin, Germany", "",
           "[PERSONAL:https://alex.example.org]", ""]
    return csv_text(header, [row])


#: The invented member's posts (see :func:`make_posts`): median impressions at 500 connections, their
#: elasticity to network size (the fit's is 0.59) and the post-to-post spread (the fit's is 0.88).
SAMPLE_VIEWS_AT_500, SAMPLE_ELASTICITY, SAMPLE_POST_SD = 300.0, 0.6, 0.8


def make_posts(rng: np.random.Generator, people: list[Person], first: date, last: date) -> list[Post]:
    """The member's posts: impressions grow with the network on the publish day (invented rule).

    Shaped like real posts (``data/audience_fit.json``): impressions ~ lognormal around
    ``SAMPLE_VIEWS_AT_500 x (connections / 500) ^ SAMPLE_ELASTICITY`` with a post-to-post spread of
    ``SAMPLE_POST_SD`` (log scale), and the occasional post that travels (x12). The invented member posts a
    little less well than the typical member of the fit (about 300 impressions at 500 connections, where the
    fit's typical member has about 600): an author effect of about -0.7, inside the fitted spread of 0.82.
    """
    days = sorted(first + timedelta(days=int(d)) for d in rng.integers(0, (last - first).days, size=80))
    joined = np.array(sorted(p.connected_on.toordinal() for p in people))
    posts = []
    for i, day in enumerate(days):
        size = int(np.searchsorted(joined, day.toordinal(), side="right"))
        impressions = int(max(5, round(SAMPLE_VIEWS_AT_500 * (max(size, 1) / 500) ** SAMPLE_ELASTICITY
                                       * float(np.exp(rng.normal(0, SAMPLE_POST_SD))))))
        if i % 23 == 7:
            impressions *= 12  # the occasional post that travels
        reached = int(round(impressions * rng.uniform(0.6, 0.8)))
        engagements = int(rng.binomial(impressions, 0.03))
        posts.append(Post(_moment(rng, day), 7_100_000_000_000_000_000 + i * 7919 + int(rng.integers(0, 7000)),
                          impressions, reached, engagements))
    return posts


def shares_csv(posts: list[Post]) -> str:
    rows = [[p.published.strftime("%Y-%m-%d %H:%M:%S"),
             f"https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A{p.activity_id - 11}",
             f'"A note on forecasting, part {i + 1}."\r\n""\r\n"What would you add?"', "", "", "MEMBER_NETWORK"]
            for i, p in enumerate(posts)]
    rows.reverse()
    return csv_text(["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"], rows, "\r\n")


def reactions_csv(rng: np.random.Generator) -> str:
    kinds = ["LIKE", "LIKE", "LIKE", "PRAISE", "EMPATHY", "INTEREST", "APPRECIATION", "ENTERTAINMENT"]
    rows = []
    for i in range(320):
        moment = datetime(2019, 1, 1) + timedelta(minutes=int(rng.integers(0, 60 * 24 * 2870)))
        rows.append([moment.strftime("%Y-%m-%d %H:%M:%S"), kinds[rng.integers(len(kinds))],
                     f"https://www.linkedin.com/feed/update/urn:li:activity:{7_000_000_000_000_000_000 + i * 104729}"])
    rows.sort(reverse=True)
    return csv_text(["Date", "Type", "Link"], rows, "\r\n")


def comments_csv(rng: np.random.Generator) -> str:
    """Comments.csv, including one multi-line comment written without quotes, as LinkedIn does."""
    lines = ["Date,Link,Message"]
    for i in range(60):
        moment = datetime(2026, 10, 30) - timedelta(minutes=int(i * 4327 + rng.integers(0, 600)))
        link = f"https://www.linkedin.com/feed/update/urn:li:activity:{7_050_000_000_000_000_000 + i * 3571}"
        message = "Great point - thanks for sharing" if i != 17 else "Two thoughts:\r\nfirst the data\r\nthen the model"
        lines.append(f"{moment:%Y-%m-%d %H:%M:%S},{link},{message}")
    return "\r\n".join(lines)


def follower_series(rng: np.random.Generator, people: list[Person], start: date, end: date) -> dict[date, int]:
    """New followers per day: every new connection follows (LinkedIn makes them), plus a few others."""
    joined: dict[date, int] = {}
    for person in people:
        joined[person.connected_on] = joined.get(person.connected_on, 0) + 1
    days = (end - start).days + 1
    extra = rng.poisson(0.04, size=days)
    return {start + timedelta(days=i): joined.get(start + timedelta(days=i), 0) + int(extra[i]) for i in range(days)}


#: The file this module writes into every export it invents (the bundled sample among them), so that a
#: report can say so: a lone Connections.csv counts when the file is beside it.
INVENTED_MARKER = "INVENTED.txt"
INVENTED_NOTE = ("This LinkedIn data export is invented: helpers.export.synth wrote it (seed {seed}). Its people, "
                 "employers, messages and posts are made up; no real member is in it.\n")


def is_invented(export) -> bool:
    """Whether a loaded export is one this module wrote: it holds :data:`INVENTED_MARKER` (or, for a lone
    Connections.csv, the marker is beside it)."""
    if any(Path(name).name == INVENTED_MARKER for name in export.files):
        return True
    return export.kind == "csv" and (export.source.parent / INVENTED_MARKER).is_file()


def write_export(out: Path, seed: int = SAMPLE_SEED, complete: bool = True, growth=GROWTH,
                 invitations_from: date = date(2026, 5, 20), contacts_messaged: int = 90,
                 messages: int = 1400, analytics_years: int = 3) -> dict[str, bytes]:
    """Write the invented member's export into folder ``out``; return {file name: bytes} written.

    ``complete=False`` writes a Basic archive (no Shares, Comments, Reactions, no analytics). The other
    settings make larger exports (``make bench`` writes one at LinkedIn's cap of 30,000 connections), or
    fewer analytics workbooks (the last ``analytics_years`` of the three; the posts of the years left out are
    in Shares.csv, as a member's older posts are when they export only this year's analytics).
    """
    rng = np.random.default_rng(seed)
    people = make_people(rng, growth)
    files: dict[str, str | bytes] = {
        "Connections.csv": connections_csv(people),
        "Invitations.csv": invitations_csv(rng, people, invitations_from, date(2026, 11, 15)),
        "messages.csv": messages_csv(rng, people, contacts_messaged, messages),
        "Positions.csv": positions_csv(),
        "Profile.csv": profile_csv(),
        INVENTED_MARKER: INVENTED_NOTE.format(seed=seed),
    }
    if complete:
        posts = make_posts(rng, people, date(2023, 11, 21), date(2026, 11, 15))
        files["Shares.csv"] = shares_csv(posts)
        files["Reactions.csv"] = reactions_csv(rng)
        files["Comments.csv"] = comments_csv(rng)
        periods = ((date(2023, 11, 21), date(2024, 11, 19), "Content_2023-11-21_2024-11-19_Alex Example.xlsx", False),
                   (date(2024, 11, 20), date(2025, 11, 19), "Content_2024-11-20_2025-11-19_Alex Example.xlsx", False),
                   (date(2025, 11, 20), date(2026, 11, 15),
                    "AggregateAnalytics_Alex Example_2025-11-20_2026-11-15.xlsx", True))
        new_followers = follower_series(rng, people, periods[0][0], periods[-1][1])
        before_first = sum(1 for p in people if p.connected_on < periods[0][0]) + 40
        for start, end, name, text_numbers in periods[len(periods) - analytics_years:]:
            total = before_first + sum(n for d, n in new_followers.items() if d <= end)
            files[name] = aggregate_workbook(posts, start, end, new_followers, total, text_numbers, rng)
        files[f"PostAnalytics_Alex Example_{posts[10].activity_id}.xlsx"] = single_post_workbook(posts[10], False)
        files[f"SinglePostAnalytics_Alex Example_{posts[-3].activity_id}.xlsx"] = single_post_workbook(posts[-3], True)
    written = {}
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (out / name).write_bytes(data)
        written[name] = data
    return written


def zip_export(folder: Path, target: Path) -> Path:
    """Pack an export folder as LinkedIn does (files at the root of the zip), with fixed timestamps."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(folder.iterdir()):
            if item.is_file():
                archive.writestr(zipfile.ZipInfo(item.name, date_time=(2026, 11, 20, 12, 0, 0)), item.read_bytes())
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.export.synth",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the export into")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED, help="random seed (default: the sample's)")
    parser.add_argument("--basic", action="store_true", help="write a Basic archive (no activity, no analytics)")
    parser.add_argument("--zip", type=Path, help="also pack the folder into this .zip")
    args = parser.parse_args(argv)
    written = write_export(args.out, seed=args.seed, complete=not args.basic)
    if args.zip:
        zip_export(args.out, args.zip)
    print(f"wrote {len(written)} files to {args.out}")


if __name__ == "__main__":
    main()
