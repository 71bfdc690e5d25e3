"""A corpus of LinkedIn export variants, written from invented people, for the reader's tests.

Every era and damage the research found (``shared/research/linkedin-export-format.md``) and every form
real files were seen in since, each with what the reader must make of it:

- :func:`variants`, forms of Connections.csv: the 2018 format (no preamble, no URL column,
  ``"1/8/18, 6:14 PM"`` stamps), 2021-22 (preamble, no URL), 2023+ (URL), Excel re-saves (comma-padded
  preamble, ``23-Nov-21`` dates, CRLF, cp1252), semicolon-separated European re-saves (text or
  day-first dates), a pt-BR re-save wrapping every line holding a quote in quotes, empty and cut-short
  ``Connected On`` values, a file left with only that column, UTF-16 tab-separated files, BOMs, ghost
  and duplicated rows, future dates, quotes and commas in fields, emoji, right-to-left and CJK text,
  10,000-character fields; and whole archives as zip and folder with the file names of different years;
- :func:`forms`, the other files as people have them: Excel re-saved Reactions.csv (``4/4/2021 16:12``),
  Invitations.csv with ``11/28/21`` dates, with columns stripped, or with ``inviterProfileUrn``
  columns; a workbook saved as ``Reactions.csv``; the 2018 UTF-16 tab-separated Shares.csv;
  Comments.csv escaping quotes as ``\"``; analytics workbooks declaring ``<dimension ref="A1"/>``,
  ``Overall Analytics.xlsx`` and a workbook that is not analytics; damaged files - each with the
  status, frame or message expected;
- :func:`matching_cases`, exports whose truth is known (which invitations were accepted, who was
  messaged how often) in the layouts that defeat matching by profile address: bare
  ``https://www.linkedin.com/in`` invitation addresses (Dec 2023 - Jan 2024), member numbers, no
  addresses at all (before 2022), the 2018 Messages.csv.

``python tests/corpus.py --out DIR`` writes them all.
"""

from __future__ import annotations

import argparse
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from helpers.export.formats import CONNECTIONS_HEADER, CONNECTIONS_HEADER_2018, CONNECTIONS_PREAMBLE
from helpers.export.synth import FIRST_NAMES, GROWTH, MEMBER, MEMBER_URL, Person, csv_text, make_people
from helpers.export.synth_workbooks import xlsx_bytes

#: A few rows every variant carries on top of the generated ones, with the hard cases.
SPECIAL = (
    ("Jo", "Kight, MS", "Cacique Foods, LLC.", 'VP, "Special" Projects', date(2024, 3, 1)),
    ("\u05d3\u05e0\u05d4", "\u05dc\u05d5\u05d9", "\u05d7\u05d1\u05e8\u05d4", "\u05de\u05e0\u05d4\u05dc",
     date(2023, 6, 2)),
    ("\u6797", "\u7279\u4f8b", "\u4e2d\u570b\u9280\u884c\uff08\u9999\u6e2f\uff09\u6709\u9650\u516c\u53f8",
     "\u9ad8\u7ea7\u7ecf\u7406", date(2022, 1, 3)),
    ("Priyanka", "Nairobi \U0001F469\u200d\U0001F4BB", "Stealth", "Data Analyst | Power BI | SQL", date(2021, 9, 4)),
    ("Leonardo", "Martinez \U0001F1E7\U0001F1F7", "X" * 10_000, "Y" * 10_000, date(2020, 2, 5)),
)


@dataclass(frozen=True)
class Variant:
    """One export file or archive: its name, bytes, and what the reader must find in it.

    ``undated`` rows have no usable 'Connected On' (empty or cut short); ``note`` is a phrase the
    Connections.csv record must hold; ``special_rows`` says whether the hard rows of :data:`SPECIAL`
    are there, and ``exact`` whether they can be read back exactly (a cp1252 re-save loses scripts).
    """

    name: str
    files: dict[str, bytes]
    rows: int
    ghosts: int
    has_url: bool
    as_zip: bool = False
    undated: int = 0
    note: str = ""
    special_rows: bool = True
    exact: bool = True

    def write(self, folder: Path) -> Path:
        """Write it under ``folder``: a zip file, a folder of files, or a lone CSV."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_zip:
            target = folder / f"{self.name}.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in self.files.items():
                    archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 20, 0, 0, 0)), data)
            return target
        if len(self.files) == 1:
            (name, data), = self.files.items()
            target = folder / self.name / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            return target
        target = folder / self.name
        for name, data in self.files.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(data)
        return target


def _rows(people: list[Person], with_url: bool, stamp, duplicate: int = 0, future: int = 0) -> list[list[str]]:
    rows = []
    for person in sorted(people, key=lambda p: p.connected_on, reverse=True):
        day = stamp(person.connected_on)
        if person.ghost:
            rows.append([""] * (6 if with_url else 5) + [day])
            continue
        row = [person.first, person.last] + ([person.url] if with_url else []) + \
              [person.email or "", person.company or "", person.position or "", day]
        rows.append(row)
    for first, last, company, position, day in SPECIAL:
        rows.append([first, last] + (["https://www.linkedin.com/in/special"] if with_url else []) +
                    ["", company, position, stamp(day)])
    rows += rows[:duplicate]
    for i in range(future):
        rows.insert(0, [f"Future{i}", "Person"] + ([""] if with_url else []) +
                    ["", "Initech", "Analyst", stamp(date(2027, 1, 1) + timedelta(days=i))])
    return rows


def _us_stamp(day: date) -> str:
    return f"{day.month}/{day.day}/{day:%y}, {(day.day % 12) + 1}:{day.day:02d} {'AM' if day.day % 2 else 'PM'}"


def variants(seed: int = 7, people: int = 120) -> list[Variant]:
    """Every variant of the corpus, each built from the same invented people."""
    crowd = make_people(np.random.default_rng(seed), ((GROWTH[0][0], 0), (date(2026, 11, 15), people)))
    ghosts = sum(p.ghost for p in crowd)
    total = people + len(SPECIAL)
    modern = _rows(crowd, True, lambda d: d.strftime("%d %b %Y"))
    found = [
        Variant("era-2018", {"Connections.csv": csv_text(CONNECTIONS_HEADER_2018, _rows(crowd, False, _us_stamp)).encode()},
                total, ghosts, False),
        Variant("era-2021", {"Connections.csv": (CONNECTIONS_PREAMBLE + csv_text(
            CONNECTIONS_HEADER_2018, _rows(crowd, False, lambda d: d.strftime("%d %b %Y")))).encode()}, total, ghosts, False),
        Variant("era-2023", {"Connections.csv": (CONNECTIONS_PREAMBLE + csv_text(CONNECTIONS_HEADER, modern)).encode()},
                total, ghosts, True),
        Variant("bom", {"Connections.csv": b"\xef\xbb\xbf" + (CONNECTIONS_PREAMBLE + csv_text(CONNECTIONS_HEADER, modern)).encode()},
                total, ghosts, True),
        Variant("utf16-tsv", {"Connections.csv": csv_text(CONNECTIONS_HEADER, modern, "\r\n", "\t", True).encode("utf-16")},
                total, ghosts, True),
        Variant("duplicated-and-future", {"Connections.csv": (CONNECTIONS_PREAMBLE + csv_text(
            CONNECTIONS_HEADER, _rows(crowd, True, lambda d: d.strftime("%d %b %Y"), duplicate=7, future=3))).encode()},
                total + 10, ghosts + sum(p.ghost for p in sorted(crowd, key=lambda p: p.connected_on,
                                                                   reverse=True)[:7]), True),
    ]
    excel_preamble = 'Notes:,,,,,,\r\n"When exporting your connection data, ...",,,,,,\r\n,,,,,,\r\n'
    excel_rows = _rows(crowd, True, lambda d: f"{d.day}-{d:%b-%y}")
    excel = (excel_preamble + csv_text(CONNECTIONS_HEADER, excel_rows, "\r\n")).encode("cp1252", errors="replace")
    found.append(Variant("excel-resave", {"Connections.csv": excel}, total, ghosts, True, exact=False))
    archive_files = {
        "Connections.csv": (CONNECTIONS_PREAMBLE + csv_text(CONNECTIONS_HEADER, modern)).encode(),
        "Messages.csv": b'From,To,Date,Subject,Content,Direction,Folder\nAna,Me,"10/16/18, 8:36 AM",Hi,Hello,INCOMING,INBOX',
        "Rich Media.csv": b"Type,Link\n",
        "Profile.csv": b"First Name,Last Name,Headline,Industry\nMe,Myself,Analyst,Software",
    }
    found.append(Variant("archive-2018-names", archive_files, total, ghosts, True, as_zip=True))
    renamed = {"connections.csv": archive_files["Connections.csv"], "messages.csv": archive_files["Messages.csv"]}
    found.append(Variant("archive-folder-lowercase", renamed, total, ghosts, True))
    return found + _more_connection_forms(crowd, total, ghosts)


#: Job titles in the languages of the members whose connections used to land in "Other", with the
#: function ``data/job_functions.csv`` must give each (invented titles, as people write them).
FOREIGN_TITLES = {
    "Ingeniero de software": "Engineering", "Desarrolladora web": "Engineering",
    "Gerente de ventas": "Sales & business development", "Diseñadora gráfica": "Design",
    "Jefe de logística": "Operations", "Investigadora": "Research & education", "Contable": "Finance",
    "Fundadora": "Founders & executives", "Becario de marketing": "Students & interns",
    "Analista financeiro": "Data & analytics", "Engenheira de dados": "Data & analytics",
    "Coordenadora de RH": "HR & recruiting", "Estagiário": "Students & interns",
    "Diretora comercial": "Sales & business development", "Desenvolvedor back-end": "Engineering",
    "Chef de projet": "Product", "Ingénieur logiciel": "Engineering", "Développeuse": "Engineering",
    "Chargée de recrutement": "HR & recruiting", "Comptable": "Finance", "Directeur général": "Founders & executives",
    "Analyste de données": "Data & analytics", "Responsable marketing": "Marketing & communications",
    "Vertriebsleiter": "Sales & business development", "Softwareentwickler": "Engineering",
    "Wirtschaftsprüferin": "Finance", "Einkäufer": "Operations", "Projektleiterin": "Product",
    "Kommunikationsmanagerin": "Marketing & communications", "Unternehmensberater": "Consulting",
    "Onderzoeker": "Research & education", "Verkoopmedewerker": "Sales & business development",
    "Adviseur": "Consulting", "Ontwikkelaar": "Engineering", "Consulente": "Consulting",
    "Sviluppatore software": "Engineering", "Responsabile acquisti": "Operations",
    "Ricercatrice": "Research & education", "Commerciale": "Sales & business development",
    "Professoressa": "Research & education",
}


def _more_connection_forms(crowd: list[Person], total: int, ghosts: int) -> list[Variant]:
    """Re-saves seen since: semicolons, wrapped lines, gaps in 'Connected On', a lone date column."""
    text_dates = _rows(crowd, True, lambda d: d.strftime("%d %b %Y"))
    semicolon_preamble = 'Notes:;;;;;;\r\n"When exporting your connection data, ...";;;;;;\r\n;;;;;;\r\n'
    header_eu = [*CONNECTIONS_HEADER[:-1], "Connected on"]
    found = [
        Variant("semicolon-resave", {"Connections.csv": (semicolon_preamble + csv_text(
            header_eu, text_dates, "\r\n", ";")).encode("cp1252", errors="replace")}, total, ghosts, True,
                note="semicolons", exact=False),
        Variant("semicolon-resave-day-first", {"Connections.csv": (semicolon_preamble + csv_text(
            header_eu, _rows(crowd, True, lambda d: d.strftime("%d.%m.%Y")), "\r\n", ";")).encode("utf-8")},
                total, ghosts, True, note="day first"),
    ]
    plain = csv_text(CONNECTIONS_HEADER, text_dates).split("\n")
    wrapped = [plain[0]] + ['"' + line.replace('"', '""') + '"' if '"' in line else line for line in plain[1:]]
    found.append(Variant("ptbr-wrapped-lines", {"Connections.csv": (CONNECTIONS_PREAMBLE + "\n".join(wrapped)).encode()},
                         total, ghosts, True, note="wrapped whole in quotes"))
    gaps = [list(row) for row in text_dates]
    cut_forms = ["07 Feb", "07 Feb 20", "07 Fe", "07 Feb 202", ""]
    for i, form in enumerate(cut_forms * 2):
        gaps[5 + 11 * i][-1] = form
    found.append(Variant("connected-on-gaps", {"Connections.csv": (CONNECTIONS_PREAMBLE + csv_text(CONNECTIONS_HEADER, gaps)).encode()},
                         total, ghosts, True, undated=len(cut_forms) * 2, note="cut short"))
    titled = [list(row) for row in text_dates]
    foreign = list(FOREIGN_TITLES)
    for i, row in enumerate(titled[: -len(SPECIAL)]):
        if row[0]:
            row[5] = foreign[i % len(foreign)]
    found.append(Variant("titles-in-six-languages", {"Connections.csv": (CONNECTIONS_PREAMBLE + csv_text(
        CONNECTIONS_HEADER, titled)).encode()}, total, ghosts, True))
    only_dates = [[row[-1]] for row in text_dates]
    found.append(Variant("connected-on-only", {"Connections.csv": csv_text(["Connected On"], only_dates).encode()},
                         total, 0, False, note="only the 'Connected On' column", special_rows=False))
    return found


# ---------------------------------------------------------------------------------------------
# The other files, as people have them


@dataclass(frozen=True)
class Form:
    """An export with a sound Connections.csv and one other file in a form real files take.

    ``table`` is the export's attribute that file fills, ``status`` what its read record must say
    (see :data:`helpers.export.reader.STATUSES`), ``expected`` some columns as they must be read (column ->
    values) of the table, or of its attribute ``frame`` (``posts`` or ``totals`` of the analytics),
    and ``message`` a phrase the record's notes must hold; ``absent`` is a phrase (a person's name)
    that must appear in no note.
    """

    name: str
    files: dict[str, bytes]
    table: str
    status: str
    expected: dict[str, list] = field(default_factory=dict)
    message: str = ""
    absent: str = ""
    frame: str = ""

    def write(self, folder: Path) -> Path:
        target = folder / self.name
        for name, data in self.files.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(data)
        return target


REACTION_MOMENTS = (datetime(2021, 4, 4, 16, 12), datetime(2021, 12, 28, 9, 5), datetime(2022, 1, 3, 7, 30),
                    datetime(2024, 6, 17, 6, 1))
_LINK = "https://www.linkedin.com/feed/update/urn:li:activity:70000000000000{:05d}"


def _invitation_rows(stamp) -> tuple[list[list[str]], list[datetime]]:
    moments = [datetime(2021, 11, 28, 20, 56), datetime(2021, 12, 2, 8, 5), datetime(2022, 1, 9, 13, 30)]
    rows = [[" ".join(MEMBER), f"{FIRST_NAMES[i]} Zqxinvitee", stamp(m), "", "OUTGOING"] for i, m in enumerate(moments)]
    return rows, moments


def forms() -> list[Form]:
    """Every form of the other files found in published exports, with what it must give."""
    connections = (CONNECTIONS_PREAMBLE + csv_text(CONNECTIONS_HEADER, [
        ["Ana", "Quintero", "https://www.linkedin.com/in/ana-quintero", "", "Initech", "Analyst", "07 Feb 2026"],
        ["Bo", "Lindqvist", "https://www.linkedin.com/in/bo-lindqvist", "", "Hooli", "Engineer", "03 Jan 2022"],
    ])).encode()

    def export(**files: bytes) -> dict[str, bytes]:
        return {"Connections.csv": connections, **{k.replace("__", " ").replace("_", "."): v for k, v in files.items()}}

    reactions_us = csv_text(["Date", "Type", "Link"], [
        [f"{m.month}/{m.day}/{m.year} {m:%H:%M}" if i % 2 else f"{m:%m/%d/%Y %H:%M}", "LIKE", _LINK.format(i)]
        for i, m in enumerate(REACTION_MOMENTS)], "\r\n")
    reactions_eu = csv_text(["Date", "Type", "Link"], [[f"{m:%d/%m/%Y %H:%M}", "PRAISE", _LINK.format(i)]
                                                     for i, m in enumerate(REACTION_MOMENTS)], "\r\n")
    workbook = xlsx_bytes({"Reactions": [["Date", "Type", "Link"],
                                          *[[m, "LIKE", _LINK.format(i)] for i, m in enumerate(REACTION_MOMENTS)]]})
    short_rows, short_moments = _invitation_rows(lambda m: f"{m:%m/%d/%y}")
    stripped_rows, _ = _invitation_rows(lambda m: f"{m.month}/{m.day}/{m:%y}, {m:%I:%M %p}")
    urn_rows = [row + ["urn:li:member:610150649", f"urn:li:member:7{i:08d}"] for i, row in enumerate(stripped_rows)]
    shares_2018 = csv_text(["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl"], [
        [f"{m:%Y/%m/%d %H:%M:%S} UTC", f"https://www.linkedin.com/updates?topic={6300000000000000000 + i}",
         "First line, with a comma.\r\nSecond line \"quoted\".", "", ""] for i, m in enumerate(REACTION_MOMENTS[:3])],
        "\r\n", "\t", quote_all=True)
    comments_2025 = "\r\n".join(["Date,Link,Message"] + [
        f'{m:%Y-%m-%d %H:%M:%S},{_LINK.format(i)},"I said \\"yes, gladly\\" - then {i} more, \\"quoted\\" too"'
        for i, m in enumerate(REACTION_MOMENTS)])
    top_posts = [["Maximum of 50 posts available to include in this list"], [],
                 ["Post URL", "Post publish date", "Engagements", None, "Post URL", "Post publish date", "Impressions"],
                 [_LINK.format(1), "6/11/2024", 12, None, _LINK.format(2), "7/1/2024", 1530],
                 [_LINK.format(2), "7/1/2024", 9, None, _LINK.format(1), "6/11/2024", 880]]
    content = xlsx_bytes({"DISCOVERY": [["Overall Performance", "6/1/2024 - 7/31/2024"], ["Impressions", 2410],
                                         ["Members reached", 1300]],
                           "ENGAGEMENT": [["Date", "Impressions", "Engagements"], ["6/11/2024", 700, 10],
                                          ["7/1/2024", 1500, 9]],
                           "TOP POSTS": top_posts,
                           "FOLLOWERS": [["Total followers on 7/31/2024:", 812], [], ["Date", "New followers"],
                                         ["6/11/2024", 3], ["7/1/2024", 5]],
                           "DEMOGRAPHICS": [["Top Demographics", "Value", "Percentage"]]})
    overall = xlsx_bytes({"DISCOVERY": [["Overall Performance", "Value", "Time Period"],
                                         ["Impressions", 15234, "6/22/2023 - 6/20/2024"], ["Unique views", 8120, None],
                                         ["Engagements", 431, None]],
                           "DEMOGRAPHICS": [["Top Demographics", "Value", "Percentage"], ["Job titles", "Analyst", 0.14]]})
    unrelated = xlsx_bytes({"Budget": [["Month", "Spend"], ["Jan", 120]]})
    return [
        Form("reactions-excel-resave-us", export(Reactions_csv=reactions_us.encode()), "reactions", "read",
             {"reacted_at": list(REACTION_MOMENTS)}, "month first"),
        Form("reactions-excel-resave-day-first", export(Reactions_csv=reactions_eu.encode()), "reactions", "read",
             {"reacted_at": list(REACTION_MOMENTS)}, "day first"),
        Form("reactions-workbook-named-csv", export(Reactions_csv=workbook), "reactions", "read",
             {"reacted_at": list(REACTION_MOMENTS), "type": ["LIKE"] * 4}, "Excel workbook"),
        Form("invitations-short-year", export(Invitations_csv=csv_text(
            ["From", "To", "Sent At", "Message", "Direction"], short_rows).encode()), "invitations", "read",
             {"sent_at": [datetime(m.year, m.month, m.day) for m in short_moments]}),
        Form("invitations-columns-stripped", export(Invitations_csv=csv_text(
            ["From", "To", "Sent At"], [r[:3] for r in stripped_rows]).encode()), "invitations", "skipped",
             message="but not 'Direction'", absent="Zqxinvitee"),
        Form("invitations-member-numbers", export(Invitations_csv=csv_text(
            ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrn", "inviteeProfileUrn"], urn_rows).encode()),
             "invitations", "read", {"invitee_urn": [r[-1] for r in urn_rows], "invitee_url": [None] * 3},
             "member number"),
        Form("shares-2018-utf16-tsv", export(Shares_csv=codecs_utf16(shares_2018)), "shares", "read",
             {"shared_at": list(REACTION_MOMENTS[:3])}, "UTF-16"),
        Form("comments-2025-backslash-quotes", export(Comments_csv=comments_2025.encode()), "comments", "read",
             {"link": [_LINK.format(i) for i in range(4)], "commented_at": list(REACTION_MOMENTS)}, "\\\""),
        Form("analytics-dimension-a1", export(**{"Content_2024-06-01_2024-07-31_Alex__Example.xlsx": content}),
             "analytics", "read", {"url": [_LINK.format(1), _LINK.format(2)], "impressions": [880, 1530]}, "2 posts",
             frame="posts"),
        Form("overall-analytics-workbook", export(**{"Overall__Analytics.xlsx": overall}), "analytics", "read",
             {"impressions": [15234], "members_reached": [8120], "engagements": [431],
              "period_start": [date(2023, 6, 22)], "period_end": [date(2024, 6, 20)]}, "period totals", frame="totals"),
        Form("workbook-not-analytics", export(**{"Budget.xlsx": unrelated}), "analytics", "not used",
             message="No sheet of it"),
        Form("reactions-name-in-date-column", export(Reactions_csv=(
            "Date,Type,Link\r\n2024-06-17 06:01:43,LIKE,x\r\nZqxperson Surname,LIKE,y").encode()), "reactions",
             "skipped", message="Line 3", absent="Zqxperson"),
        Form("positions-binary", export(Positions_csv=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "positions",
             "skipped", message="binary"),
    ]


def codecs_utf16(text: str) -> bytes:
    """UTF-16 little-endian with its byte-order mark, as LinkedIn wrote some 2018-22 files."""
    return b"\xff\xfe" + text.encode("utf-16-le")


# ---------------------------------------------------------------------------------------------
# Exports whose truth is known, in the layouts that defeat matching by profile address

#: Syllables of invented surnames: with the first names they make 16,500 full names, so two
#: connections rarely share one by chance (as in real networks); two pairs share one on purpose.
_SURNAME_HEADS = ("Mar", "Kel", "Dor", "Vas", "Lin", "Ostr", "Bren", "Cal", "Fer", "Hal", "Jur", "Nov", "Pel",
                  "Rad", "Sol", "Tor", "Vel", "Wyn", "Zan", "Quin")
_SURNAME_TAILS = ("ova", "sen", "ini", "ez", "ard", "ley", "ton", "berg", "ski", "ak", "ell", "uzzi", "ström",
                  "eau", "ić")
#: Positions (oldest first) of connections given the name of the one before them.
NAMESAKES = (41, 291)
MESSAGES_2022 = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "DATE", "SUBJECT",
                 "CONTENT", "FOLDER"]
MESSAGES_2018 = ["From", "To", "Date", "Subject", "Content", "Direction", "Folder"]


@dataclass(frozen=True)
class MatchCase:
    """An export whose truth is known: ``accepted`` (per outgoing invitation, in file order) and
    ``messages`` (per identified connection, in Connections.csv order: messages exchanged)."""

    name: str
    files: dict[str, bytes]
    accepted: tuple[bool, ...]
    messages: tuple[int, ...]
    matchable: bool = True  # False: the file's people cannot be told apart; the measures must be not testable

    def write(self, folder: Path) -> Path:
        target = folder / self.name
        target.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (target / name).write_bytes(data)
        return target


def _as_written(name: str, rng: np.random.Generator) -> str:
    """A name as another file may spell it: case, accents, credentials, emoji and spaces vary."""
    roll = rng.random()
    if roll < 0.15:
        return name.upper()
    if roll < 0.25:
        return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    if roll < 0.35:
        return f"{name}, PhD"
    if roll < 0.42:
        return f"{name} \U0001F680"
    if roll < 0.50:
        return f"  {name.lower()} "
    if roll < 0.54:  # a new surname since: no key can match it
        return f"{name.split()[0]} {_SURNAME_HEADS[rng.integers(len(_SURNAME_HEADS))]}dottir"
    return name


def _matching_people(rng: np.random.Generator, count: int, window: date) -> list[Person]:
    people, taken = [], set()
    days = sorted(date(2012, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, (window - date(2012, 1, 1)).days,
                                                                                     size=count - 70))
    days += sorted(window + timedelta(days=int(d)) for d in rng.integers(0, 170, size=70))
    for i, day in enumerate(days):
        if rng.random() < 0.02:
            people.append(Person("", "", "", None, None, day, ghost=True))
            continue
        while True:
            first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
            last = _SURNAME_HEADS[rng.integers(len(_SURNAME_HEADS))] + _SURNAME_TAILS[rng.integers(len(_SURNAME_TAILS))]
            if (first, last) not in taken:
                break
        if i in NAMESAKES:  # two pairs of namesakes, one of them recent
            twin = next(p for p in reversed(people) if not p.ghost)
            first, last = twin.first, twin.last.split(",")[0]
        taken.add((first, last))
        if rng.random() < 0.04:
            last = f"{last}, MBA"
        slug = f"{first}-{last.split(',')[0]}-{rng.integers(0x10000000, 0xFFFFFFFF):x}".lower()
        people.append(Person(first, last, slug, "Initech", "Analyst", day))
    return people


def _stranger(rng: np.random.Generator, people: list[Person]) -> str:
    names = {p.full_name for p in people}
    while True:
        name = f"{FIRST_NAMES[rng.integers(len(FIRST_NAMES))]} " \
               f"{_SURNAME_HEADS[rng.integers(len(_SURNAME_HEADS))]}{_SURNAME_TAILS[rng.integers(len(_SURNAME_TAILS))]}"
        if name not in names:
            return name


def matching_cases(seed: int = 13) -> list[MatchCase]:
    """Exports with a known truth, each in a layout that defeats matching by profile address."""
    rng = np.random.default_rng(seed)
    window = date(2023, 6, 1)
    people = _matching_people(rng, 320, window)
    member = " ".join(MEMBER)
    identified = [p for p in people if not p.ghost]
    recent = [p for p in identified if p.connected_on >= window]
    order = rng.permutation(len(recent))
    sent_to = [recent[i] for i in order[: int(len(recent) * 0.7)]]
    invited_by = [recent[i] for i in order[int(len(recent) * 0.7):]]
    outgoing: list[tuple[str, str, datetime, bool]] = []  # (name, url, sent, accepted)
    for person in sent_to:
        sent = datetime.combine(person.connected_on - timedelta(days=int(rng.integers(0, 5))), datetime.min.time())
        outgoing.append((_as_written(person.full_name, rng), person.url, sent + timedelta(hours=9), True))
    for _ in range(len(sent_to)):
        sent = datetime.combine(window + timedelta(days=int(rng.integers(0, 170))), datetime.min.time())
        stranger = _stranger(rng, people)
        outgoing.append((stranger, f"https://www.linkedin.com/in/{stranger.lower().replace(' ', '-')}-0a0b0c0d",
                         sent + timedelta(hours=10), False))
    outgoing.sort(key=lambda o: o[2], reverse=True)
    incoming = [(_as_written(p.full_name, rng), p.url,
                 datetime.combine(p.connected_on, datetime.min.time()) + timedelta(hours=8)) for p in invited_by]

    def invitations(url_of, header_extra: list[str], anonymous: bool = False) -> bytes:
        stamp = lambda m: f"{m.month}/{m.day}/{m:%y}, {m:%I:%M %p}"  # noqa: E731
        shown = (lambda name: "LinkedIn Member") if anonymous else (lambda name: name)  # noqa: E731
        rows = [[member, shown(name), stamp(sent), "Hi!" if i % 3 == 0 else "", "OUTGOING",
                 *([url_of(MEMBER_URL), url_of(url)] if header_extra else [])]
                for i, (name, url, sent, _) in enumerate(outgoing)]
        rows += [[shown(name), member, stamp(sent), "", "INCOMING",
                  *([url_of(url), url_of(MEMBER_URL)] if header_extra else [])] for name, url, sent in incoming]
        return csv_text(["From", "To", "Sent At", "Message", "Direction", *header_extra], rows).encode()

    messaged = [identified[i] for i in rng.choice(len(identified), size=70, replace=False)]
    namesake = identified[-1] if people[-1].first == identified[-1].first else next(
        p for p in reversed(identified) if sum(q.full_name == p.full_name for q in identified) > 1)
    if namesake not in messaged:
        messaged[-1] = namesake  # one of the namesakes was messaged: the matching must not guess which
    counts = np.maximum(1, np.round(200 / np.arange(1, 71) ** 1.1)).astype(int)
    truth = {id(p): int(n) for p, n in zip(messaged, counts)}
    rows_2022, rows_2018 = [], []
    start = datetime(2016, 1, 1)
    conversations = [(p, n, _as_written(p.full_name, rng)) for p, n in zip(messaged, counts)]
    conversations += [(None, 2, _stranger(rng, people)) for _ in range(12)]  # InMail from people not connected
    for c, (person, n, written) in enumerate(conversations):
        for k in range(n):
            moment = start + timedelta(days=int(rng.integers(0, 2500)), minutes=int(rng.integers(0, 1440)))
            mine = k % 2 == 0 and person is not None
            sender, to = (member, written) if mine else (written, member)
            rows_2022.append([f"2-{c:06d}==", "", sender, MEMBER_URL if mine else (person.url if person else ""),
                              to, f"{moment:%Y-%m-%d %H:%M:%S} UTC", "", "text", "INBOX"])
            rows_2018.append([sender, to, f"{moment.month}/{moment.day}/{moment:%y}, {moment:%I:%M %p}", "", "text",
                              "OUTGOING" if mine else "INCOMING", "INBOX"])
    in_file_order = sorted(people, key=lambda p: p.connected_on, reverse=True)  # as _rows writes them
    messages = tuple(truth.get(id(p), 0) for p in in_file_order if not p.ghost)
    accepted = tuple(o[3] for o in outgoing)

    def connections(with_url: bool) -> bytes:
        rows = _rows(people, with_url, lambda d: d.strftime("%d %b %Y"))[: -len(SPECIAL)]
        return (CONNECTIONS_PREAMBLE + csv_text(CONNECTIONS_HEADER if with_url else CONNECTIONS_HEADER_2018, rows)).encode()

    bare = lambda url: "https://www.linkedin.com/in"  # noqa: E731
    number = lambda url: f"urn:li:member:{zlib.crc32(url.encode()) % 10**9}"  # noqa: E731
    urls = ["inviterProfileUrl", "inviteeProfileUrl"]
    return [
        MatchCase("invitations-bare-addresses-2024", {
            "Connections.csv": connections(True), "Invitations.csv": invitations(bare, urls)}, accepted, messages),
        MatchCase("invitations-member-numbers-2023", {
            "Connections.csv": connections(True),
            "Invitations.csv": invitations(number, ["inviterProfileUrn", "inviteeProfileUrn"])}, accepted, messages),
        MatchCase("invitations-with-addresses-2024", {
            "Connections.csv": connections(True), "Invitations.csv": invitations(lambda url: url, urls)},
            accepted, messages),
        MatchCase("messages-without-addresses-2021", {
            "Connections.csv": connections(False), "Invitations.csv": invitations(bare, []),
            "messages.csv": csv_text(MESSAGES_2022, rows_2022).encode()}, accepted, messages),
        MatchCase("messages-2018", {
            "Connections.csv": connections(False), "Messages.csv": csv_text(MESSAGES_2018, rows_2018).encode()},
            accepted, messages),
        MatchCase("invitations-anonymous", {
            "Connections.csv": connections(True), "Invitations.csv": invitations(bare, urls, anonymous=True)},
            accepted, messages, matchable=False),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python tests/corpus.py",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the corpus into")
    args = parser.parse_args(argv)
    for variant in variants():
        print(variant.write(args.out))
    for form in forms():
        print(form.write(args.out / "forms"))
    for case in matching_cases():
        print(case.write(args.out / "matching"))


if __name__ == "__main__":
    main()
