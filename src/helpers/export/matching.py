"""Who is who across the export's files: by profile address when the addresses are usable, else by name.

Invitations and messages name people; to know whether an invitee became a connection, or whom a
message went to, each person is looked up among the connections. The profile address is the best
key, but many real files have none worth using: exports before 2022 list no addresses in
Connections.csv or for messages' recipients, exports of Dec 2023 - Jan 2024 give every invitation the
bare ``https://www.linkedin.com/in``, and 2022-23 invitations carry member numbers
(``urn:li:member:...``) that Connections.csv does not list. So, per file:

- addresses are used when at least :data:`URL_USABLE_SHARE` of the connections **and** of the file's
  people have a real ``/in/<slug>`` address; a person without one is then looked up by name;
- otherwise everyone is looked up by a normalised full name (:func:`person_key`). A name shared by
  two connections is **ambiguous**: it is never matched to either, and is counted as such.

How well it worked is measured, and a measure built on it is ``not testable`` when the share matched
falls below :data:`MIN_MATCH_SHARE` (both thresholds fixed here before any export was matched).

The people of the two files that name others are found here too: the other person of each invitation
(:func:`invitation_people`), and the participants of each message, the member among them
(:func:`message_people`): the member is the participant present in the most messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

import polars as pl

#: A file's profile addresses are used when at least half of its people (and of the connections) have one.
URL_USABLE_SHARE = 0.5
#: Below half matched, the matching has failed for this file: the measures built on it are not testable.
MIN_MATCH_SHARE = 0.5
#: Titles dropped from the front of a name when a given name and a surname follow.
HONORIFICS = ("dr", "dra", "prof", "mr", "mrs", "ms", "mx")


def person_key(name: pl.Expr) -> pl.Expr:
    """A comparable form of a person's full name, null when nothing is left.

    Accents folded (NFKD, marks dropped; "mathematical" letters become plain ones), case folded,
    text in parentheses (pronouns) and anything after a comma (credentials: ", PhD") dropped, emoji,
    symbols and punctuation removed, apostrophes joined, a leading title (Dr., Prof.) dropped,
    spaces collapsed.

    >>> import polars as pl
    >>> names = pl.Series(["  José MÜLLER, PhD ", "Dr. Jose Muller", "Priya Nair 👩\u200d💻", "O'Brien (she/her)"])
    >>> pl.select(person_key(pl.lit(names))).to_series().to_list()
    ['jose muller', 'jose muller', 'priya nair', 'obrien']
    """
    honorifics = "|".join(HONORIFICS)
    key = (
        name.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"\([^)]*\)", " ")
        .str.replace(r",.*$", "")
        .str.replace_all(r"['\u2019`]", "")
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
        .str.replace(rf"^({honorifics}) (\S+ \S)", "$2")
    )
    return pl.when(key.str.len_chars() > 0).then(key)


def profile_slug(url: pl.Expr) -> pl.Expr:
    """The ``<slug>`` of a ``linkedin.com/in/<slug>`` address, percent-decoded and in lower case; null for
    anything else (empty, the bare ``https://www.linkedin.com/in``, a ``urn:li:member:`` number)."""
    slug = url.str.extract(r"(?i)linkedin\.com/in/([^/?#\s]+)", 1)
    return slug.map_batches(_unquote, return_dtype=pl.String).str.to_lowercase()


def _unquote(series: pl.Series) -> pl.Series:
    return pl.Series(series.name, [None if v is None else unquote(v) for v in series.to_list()], dtype=pl.String)


def connection_index(connections: pl.DataFrame) -> pl.DataFrame:
    """Identified (non-ghost) connections in file order: ``connection`` (their number), ``url_key``
    (profile slug), ``name_key`` (:func:`person_key` of first and last name)."""
    full = pl.concat_str([pl.col("first_name"), pl.col("last_name")], separator=" ", ignore_nulls=True)
    return connections.filter(~pl.col("is_ghost")).with_row_index("connection").select(
        "connection", profile_slug(pl.col("url")).alias("url_key"), person_key(full).alias("name_key"))


def urls_usable(url_keys: pl.Series) -> bool:
    """True when at least :data:`URL_USABLE_SHARE` of the people have a real profile address."""
    return url_keys.len() > 0 and url_keys.is_not_null().mean() >= URL_USABLE_SHARE


def resolve(people: pl.DataFrame, index: pl.DataFrame, use_urls: bool) -> pl.DataFrame:
    """``people`` (columns ``url_key``, ``name_key``) with ``connection`` (the connection matched, or
    null) and ``match``: ``url``, ``name``, ``ambiguous`` (two or more connections have that name),
    ``none`` (not a connection) or ``no identifier`` (neither a usable address nor a name). Row order kept."""
    by_url = (index.filter(pl.col("url_key").is_not_null()).unique("url_key", keep="first", maintain_order=True)
              .select("url_key", pl.col("connection").alias("_by_url")))
    by_name = (index.filter(pl.col("name_key").is_not_null()).group_by("name_key", maintain_order=True)
               .agg(pl.col("connection").first().alias("_by_name"), pl.len().alias("_named")))
    joined = people.with_row_index("_row")
    joined = (joined.join(by_url, on="url_key", how="left", maintain_order="left") if use_urls
              else joined.with_columns(pl.lit(None, pl.UInt32).alias("_by_url")))
    joined = joined.join(by_name, on="name_key", how="left", maintain_order="left")
    via_url = pl.lit(use_urls) & pl.col("url_key").is_not_null()
    match = (pl.when(via_url & pl.col("_by_url").is_not_null()).then(pl.lit("url"))
             .when(via_url).then(pl.lit("none"))
             .when(pl.col("name_key").is_null()).then(pl.lit("no identifier"))
             .when(pl.col("_named").is_null()).then(pl.lit("none"))
             .when(pl.col("_named") > 1).then(pl.lit("ambiguous"))
             .otherwise(pl.lit("name")))
    return (joined.with_columns(match.alias("match"))
            .with_columns(pl.when(pl.col("match") == "url").then(pl.col("_by_url"))
                          .when(pl.col("match") == "name").then(pl.col("_by_name")).alias("connection"))
            .sort("_row").drop("_row", "_by_url", "_by_name", "_named"))


@dataclass(frozen=True)
class MatchReport:
    """How a file's people were matched to the connections, and whether that can be trusted.

    ``looked_up`` people were sought (what they are is said by ``basis``, where by ``found_in``);
    ``by_url`` and ``by_name`` were found, ``ambiguous`` share their name with two or more connections,
    ``unmatched`` were not found. The rate is ``(by_url + by_name) / looked_up``.
    """

    file: str
    method: str
    basis: str
    looked_up: int
    by_url: int
    by_name: int
    ambiguous: int
    unmatched: int
    found_in: str = "among your connections"

    @property
    def matched(self) -> int:
        return self.by_url + self.by_name

    @property
    def rate(self) -> float:
        return self.matched / self.looked_up if self.looked_up else 0.0

    @property
    def trusted(self) -> bool:
        """The rule: trusted when at least :data:`MIN_MATCH_SHARE` of the people looked up were found."""
        return self.looked_up > 0 and self.rate >= MIN_MATCH_SHARE

    @property
    def rule(self) -> str:
        return (f"people are matched by {self.method}; the measure is judged only if at least "
                f"{MIN_MATCH_SHARE:.0%} of {self.basis} are matched")

    def sentence(self) -> str:
        """One line for the page: method, rate, and what was left out."""
        ambiguous = (f"; {self.ambiguous:,} share their name with another connection and were left unmatched"
                     if self.ambiguous else "")
        return (f"Matched by {self.method}: {self.matched:,} of the {self.looked_up:,} {self.basis} "
                f"({self.rate:.0%}) were found {self.found_in}{ambiguous}.")

    def why_not(self) -> str:
        """The not-testable reason when the matching is not trusted."""
        if not self.looked_up:
            return (f"There are no {self.basis} to check the matching on (by {self.method}), so the measure "
                    "cannot be trusted and is not judged.")
        return (f"Only {self.matched:,} of the {self.looked_up:,} {self.basis} ({self.rate:.0%}) were found "
                f"{self.found_in} (matched by {self.method}); at least {MIN_MATCH_SHARE:.0%} are needed to trust "
                f"the measure, so it is not judged.")

    def details(self) -> dict:
        return {"method": self.method, "basis": self.basis, "looked_up": self.looked_up, "by_url": self.by_url,
                "by_name": self.by_name, "ambiguous": self.ambiguous, "unmatched": self.unmatched,
                "rate": self.rate, "rule": self.rule}


def method_name(use_urls: bool) -> str:
    return "profile address (by name where a person has none)" if use_urls else "name"


def tally(resolved: pl.DataFrame, file: str, use_urls: bool, basis: str,
          found_in: str = "among your connections") -> MatchReport:
    """A :class:`MatchReport` of ``resolve``'s output (each row one person looked up)."""
    counts = dict(resolved.group_by("match").len().iter_rows())
    return MatchReport(file, method_name(use_urls), basis, resolved.height, counts.get("url", 0),
                       counts.get("name", 0), counts.get("ambiguous", 0),
                       counts.get("none", 0) + counts.get("no identifier", 0), found_in)


# ---------------------------------------------------------------------------------------------
# The people of invitations and messages


def invitation_people(invitations: pl.DataFrame, connections: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """Every invitation with its other person (the invitee of an outgoing one, the inviter of an incoming
    one) looked up among the connections (``outgoing``, ``url_key``, ``name_key``, and ``connection`` and
    ``match`` from :func:`resolve`); and whether profile addresses were used (:func:`urls_usable` of both files)."""
    outgoing = pl.col("direction").str.to_uppercase() == "OUTGOING"
    people = invitations.with_columns(
        outgoing.fill_null(False).alias("outgoing"),
        profile_slug(pl.when(outgoing).then(pl.col("invitee_url")).otherwise(pl.col("inviter_url"))).alias("url_key"),
        person_key(pl.when(outgoing).then(pl.col("to_name")).otherwise(pl.col("from_name"))).alias("name_key"),
    )
    index = connection_index(connections)
    use_urls = urls_usable(index["url_key"]) and urls_usable(people["url_key"])
    return resolve(people, index, use_urls), use_urls


def flagged_message() -> pl.Expr:
    """True for a message no person wrote to the member: sponsored InMail, LinkedIn's own sender
    ("LinkedIn Member"), or one in the spam folder."""
    return (pl.col("conversation_title").fill_null("").str.to_lowercase().str.contains("sponsored")
            | (pl.col("from_name").fill_null("") == "LinkedIn Member")
            | (pl.col("folder").fill_null("").str.to_uppercase() == "SPAM"))


def personal_messages(messages: pl.DataFrame) -> pl.DataFrame:
    """Messages between people: the :func:`flagged_message` ones and drafts left out."""
    return messages.filter(~flagged_message()
                           & ~pl.col("is_draft").fill_null("no").str.to_lowercase().is_in(["yes", "true"]))


def message_people(messages: pl.DataFrame, index: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """Every sender and recipient of each message (``messages`` numbered in a ``message`` column; ``index``
    from :func:`connection_index`), and whether profile addresses are used.

    Columns: ``message``, ``sender`` (the row is the message's sender), ``url_key``, ``name_key``, ``who``
    (the address, else the name: one key per person) and ``is_member``. Recipients come from their
    addresses where those are used and given, else from the names in TO split at commas (group chats),
    unless the whole of TO is one connection's name ("Jo Kight, MS"). The member is the participant
    present in the most messages, with every name and address that participant goes by.
    """
    known_names = index["name_key"].drop_nulls().implode()
    senders = messages.select("message", pl.lit(True).alias("sender"),
                              profile_slug(pl.col("sender_url")).alias("url_key"),
                              person_key(pl.col("from_name")).alias("name_key"))
    by_url = (
        messages.filter(pl.col("recipient_urls").is_not_null())
        .select("message", pl.col("recipient_urls").str.split(",").alias("url"))
        .explode("url")
        .select("message", pl.lit(False).alias("sender"), profile_slug(pl.col("url")).alias("url_key"),
                pl.lit(None, pl.String).alias("name_key"))
    )
    use_urls = urls_usable(index["url_key"]) and urls_usable(pl.concat([senders, by_url])["url_key"])
    named = messages.filter(pl.col("recipient_urls").is_null()) if use_urls else messages
    by_name = (
        named.filter(pl.col("to_names").is_not_null())
        .with_columns(person_key(pl.col("to_names")).is_in(known_names).fill_null(False).alias("whole"))
        .select("message", pl.when(pl.col("whole")).then(pl.concat_list(pl.col("to_names")))
                .otherwise(pl.col("to_names").str.split(",")).alias("name"))
        .explode("name")
        .select("message", pl.lit(False).alias("sender"), pl.lit(None, pl.String).alias("url_key"),
                person_key(pl.col("name")).alias("name_key"))
    )
    if not use_urls:
        senders = senders.with_columns(pl.lit(None, pl.String).alias("url_key"))
    people = pl.concat([senders, by_name] + ([by_url] if use_urls else []))
    people = people.with_columns(pl.coalesce(pl.col("url_key"), pl.concat_str(pl.lit("name:"), "name_key")).alias("who"))
    return people.with_columns(_is_member(people)), use_urls


def _is_member(people: pl.DataFrame) -> pl.Expr:
    """The rows of the participant present in the most messages, by any name or address it goes by."""
    member = (people.group_by("who").agg(pl.col("message").n_unique().alias("n"))
              .sort(["n", "who"], descending=[True, False], nulls_last=True)["who"].first())
    mine = people.filter(pl.col("who") == member)
    names = mine["name_key"].drop_nulls().unique().implode()
    urls = pl.concat([mine["url_key"], people.filter(pl.col("name_key").is_in(names).fill_null(False))["url_key"]]
                     ).drop_nulls().unique().implode()
    return ((pl.col("who") == member).fill_null(False) | pl.col("name_key").is_in(names).fill_null(False)
            | pl.col("url_key").is_in(urls).fill_null(False)).alias("is_member")
