"""Read LinkedIn creator-analytics workbooks (.xlsx) into per-post and per-day frames.

Two families exist (see ``shared/research/linkedin-export-format.md`` section 3):

- aggregate: ``Content_<start>_<end>_<Name>.xlsx`` (to 2025) or ``AggregateAnalytics_<Name>_<start>_<end>.xlsx``
  (2026), sheets ``DISCOVERY``, ``ENGAGEMENT``, ``TOP POSTS``, ``FOLLOWERS``, ``DEMOGRAPHICS``;
- one post: ``PostAnalytics_<Name>_<id>.xlsx`` (sheet ``PERFORMANCE``) or ``SinglePostAnalytics_<Name>_<id>.xlsx``
  (sheet ``Post analytics``), key/value rows.

Rows and columns move between versions, so everything is found by its label, never by position.
Workbooks put together by hand (``Overall Analytics.xlsx`` with a DISCOVERY sheet of period totals,
``Top Posts.xlsx``) are read by the same labels. LinkedIn declares every sheet one cell big
(``<dimension ref="A1"/>``), so sheets are read whatever size they declare.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

from helpers.errors import ExportError

_NAME = re.compile(r"^(Content|AggregateAnalytics|PostAnalytics|SinglePostAnalytics)_.*\.xlsx$", re.I)
_DATE_FORMATS = ("%m/%d/%Y", "%b %d, %Y", "%Y-%m-%d", "%d %b %Y")

POST_SCHEMA = {
    "url": pl.String,
    "published_on": pl.Date,
    "impressions": pl.Int64,
    "members_reached": pl.Int64,
    "engagements": pl.Int64,
    "reactions": pl.Int64,
    "comments": pl.Int64,
    "reposts": pl.Int64,
    "source": pl.String,
}
DAILY_SCHEMA = {"date": pl.Date, "impressions": pl.Int64, "engagements": pl.Int64}
FOLLOWER_SCHEMA = {"date": pl.Date, "new_followers": pl.Int64}
TOTALS_SCHEMA = {"period_start": pl.Date, "period_end": pl.Date, "impressions": pl.Int64,
                 "members_reached": pl.Int64, "engagements": pl.Int64, "source": pl.String}
WINDOW_SCHEMA = {"source": pl.String, "period_start": pl.Date, "period_end": pl.Date, "impressions_listed": pl.Int64,
                 "impressions_min": pl.Int64, "capped": pl.Boolean, "total_impressions": pl.Int64}
LISTING_SCHEMA = {"source": pl.String, "url": pl.String, "published_on": pl.Date, "impressions": pl.Int64}
#: A TOP POSTS table lists at most this many posts by impressions: a full one leaves out every post below
#: its smallest (../shared/datasets/README.md, "Censoring").
TOP_POSTS_CAP = 50


@dataclass(frozen=True)
class Analytics:
    """What the workbooks hold: one row per post, per day, daily new followers, and period totals
    (a DISCOVERY sheet: impressions, members reached, engagements over a period).

    ``windows`` has one row per workbook with a period (its TOP POSTS impressions table: how many posts it
    lists, the smallest, whether it is full, and the period's total impressions); ``listings`` every post's
    impressions as each workbook gives them (a post's figure counts only the impressions inside that
    workbook's period). ``posts`` keeps, for a post in several workbooks, the figure of the period it was
    published in.
    """

    posts: pl.DataFrame
    daily: pl.DataFrame
    followers: pl.DataFrame
    follower_total: int | None
    follower_total_on: date | None
    files: tuple[str, ...]
    totals: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=TOTALS_SCHEMA))
    windows: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=WINDOW_SCHEMA))
    listings: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=LISTING_SCHEMA))


def is_analytics_name(name: str) -> bool:
    """True for the file names LinkedIn gives creator-analytics exports."""
    return bool(_NAME.match(name.rsplit("/", 1)[-1]))


def may_be_analytics(name: str) -> bool:
    """True for a workbook beside the export that may be analytics: LinkedIn's names, or a name
    holding 'analytics' or 'posts' (``Overall Analytics.xlsx``, ``Top Posts.xlsx``)."""
    base = name.rsplit("/", 1)[-1].lower()
    return is_analytics_name(name) or (base.endswith(".xlsx") and ("analytic" in base or "posts" in base))


def _label(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().rstrip(":").lower()


def _number(value: object, where: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        return int(round(value))
    text = str(value).strip().replace(",", "").replace("\u00a0", "")
    try:
        return int(round(float(text)))
    except ValueError:
        raise ExportError(where.split(",")[0], None, f"{where}: '{value}' is not a number",
                          "Use the workbook exactly as LinkedIn exported it.") from None


def _date(value: object, where: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ExportError(where.split(",")[0], None,
                      f"{where}: '{value}' is not a date in a form LinkedIn uses (expected e.g. '6/11/2024')",
                      "Use the workbook exactly as LinkedIn exported it.")


def _rows(sheet) -> list[list[object]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _sheet(book, *names: str):
    wanted = {_label(n) for n in names}
    return next((book[s] for s in book.sheetnames if _label(s) in wanted), None)


def _top_posts(rows: list[list[object]], file: str) -> list[dict]:
    """The posts of a TOP POSTS sheet (the engagements and the impressions tables side by side), each with
    the figures it has; ``listed_by_impressions`` marks the posts with a figure in the impressions table."""
    header_at = next((i for i, r in enumerate(rows) if any(_label(c) == "post url" for c in r)), None)
    if header_at is None:
        return []
    header = [_label(c) for c in rows[header_at]]
    posts: dict[str, dict] = {}
    for start, cell in enumerate(header):
        if cell != "post url":
            continue
        block = header[start: start + 3]
        metric = block[2] if len(block) == 3 else ""
        for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            url = row[start] if start < len(row) else None
            if not url:
                continue
            where = f"{file}, sheet TOP POSTS, row {offset}"
            post = posts.setdefault(str(url).strip(), {"url": str(url).strip(), "source": file})
            post["published_on"] = _date(row[start + 1], where) or post.get("published_on")
            if metric in ("impressions", "engagements"):
                post[metric] = _number(row[start + 2], where)
            if metric == "impressions":  # a listed row without a figure still fills one of the table's places
                post["listed_by_impressions"] = True
    return list(posts.values())


def _daily(rows: list[list[object]], file: str) -> list[dict]:
    header_at = next((i for i, r in enumerate(rows)
                      if r and _label(r[0]) == "date" and any(_label(c) == "impressions" for c in r)), None)
    if header_at is None:
        return []
    header = [_label(c) for c in rows[header_at]]
    out = []
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not row or row[0] is None:
            continue
        where = f"{file}, sheet ENGAGEMENT, row {offset}"
        record = {"date": _date(row[0], where)}
        for name in ("impressions", "engagements"):
            record[name] = _number(row[header.index(name)], where) if name in header else None
        out.append(record)
    return out


def _followers(rows: list[list[object]], file: str) -> tuple[list[dict], int | None, date | None]:
    total, total_on, out = None, None, []
    header_at = None
    for i, row in enumerate(rows):
        first = _label(row[0]) if row else ""
        found = re.match(r"total followers on (.+)", first)
        if found:
            total_on = _date(found.group(1), f"{file}, sheet FOLLOWERS, row {i + 1}")
            total = _number(row[1] if len(row) > 1 else None, f"{file}, sheet FOLLOWERS, row {i + 1}")
        if first == "date" and len(row) > 1 and "new followers" in _label(row[1]):
            header_at = i
            break
    if header_at is not None:
        for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            if row and row[0] is not None:
                where = f"{file}, sheet FOLLOWERS, row {offset}"
                out.append({"date": _date(row[0], where), "new_followers": _number(row[1], where)})
    return out, total, total_on


_SINGLE_LABELS = {
    "post url": "url",
    "post date": "published_on",
    "post publish date": "published_on",
    "impressions": "impressions",
    "members reached": "members_reached",
    "reactions": "reactions",
    "comments": "comments",
    "reposts": "reposts",
}


def _single_post(rows: list[list[object]], file: str) -> dict | None:
    post: dict = {"source": file}
    for i, row in enumerate(rows):
        if not row or len(row) < 2:
            continue
        name = _SINGLE_LABELS.get(_label(row[0]))
        if name is None or name in post:
            continue
        where = f"{file}, row {i + 1}"
        if name == "url":
            post[name] = str(row[1]).strip() if row[1] else None
        elif name == "published_on":
            post[name] = _date(row[1], where)
        else:
            post[name] = _number(row[1], where)
    return post if post.get("url") or post.get("impressions") is not None else None


_NAME_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})_(?:.*_)?(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Workbook:
    """What one workbook holds, before merging with the others."""

    name: str
    posts: tuple[dict, ...]
    daily: tuple[dict, ...]
    followers: tuple[dict, ...]
    follower_total: int | None
    follower_total_on: date | None
    totals: tuple[dict, ...]
    used: tuple[str, ...]  # the sheets read
    listed_by_impressions: int = 0  # posts with a figure in the TOP POSTS impressions table

    @property
    def window(self) -> tuple[date | None, date | None]:
        """The period the workbook's figures count: its DISCOVERY period, else the dates in its name
        (``Content_2024-11-20_2025-11-19_...``), else its daily rows; (None, None) for a one-post workbook."""
        for total in self.totals:
            if total.get("period_start") and total.get("period_end"):
                return total["period_start"], total["period_end"]
        found = _NAME_PERIOD.search(self.name.rsplit("/", 1)[-1])
        if found:
            return date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2))
        days = [d["date"] for d in self.daily if d.get("date")]
        return (min(days), max(days)) if days else (None, None)

    @property
    def period(self) -> tuple[date | None, date | None]:
        """First and last day the workbook's figures cover."""
        days = [p["published_on"] for p in self.posts if p.get("published_on")]
        days += [d["date"] for d in (*self.daily, *self.followers) if d.get("date")]
        days += [t[k] for t in self.totals for k in ("period_start", "period_end") if t.get(k)]
        return (min(days), max(days)) if days else (None, None)

    def summary(self) -> str:
        """What was taken from it, in words."""
        parts = []
        if self.posts:
            parts.append(f"{len(self.posts):,} post{'s' if len(self.posts) != 1 else ''}")
        if self.daily:
            parts.append(f"{len(self.daily):,} days of impressions")
        if self.followers or self.follower_total is not None:
            parts.append("followers")
        if self.totals:
            parts.append("period totals (impressions, members reached, engagements)")
        sheets = ", ".join(self.used)
        return f"{'; '.join(parts) or 'nothing usable'} (sheets {sheets})"


_PERIOD = re.compile(r"(\d{1,2}/\d{1,2}/\d{4})\s*-\s*(\d{1,2}/\d{1,2}/\d{4})")
_TOTAL_LABELS = {"impressions": "impressions", "members reached": "members_reached", "unique views": "members_reached",
                 "engagements": "engagements"}


def _discovery(rows: list[list[object]], file: str) -> dict | None:
    """Period totals of a DISCOVERY sheet, by label: LinkedIn's (``Overall Performance | period``, then
    ``Impressions``, ``Members reached``) or a hand-made one (``Unique views``, a ``Time Period`` column)."""
    record: dict = {"source": file}
    for i, row in enumerate(rows):
        name = _TOTAL_LABELS.get(_label(row[0]) if row else "")
        if name and name not in record and len(row) > 1:
            record[name] = _number(row[1], f"{file}, sheet DISCOVERY, row {i + 1}")
        for cell in row:
            found = _PERIOD.search(str(cell or ""))
            if found and "period_start" not in record:
                where = f"{file}, sheet DISCOVERY, row {i + 1}"
                record["period_start"], record["period_end"] = _date(found.group(1), where), _date(found.group(2), where)
    return record if any(k in record for k in _TOTAL_LABELS.values()) else None


def _padded(rows: list[list[object]]) -> list[list[object]]:
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [None] * (width - len(r)) for r in rows]


def read_workbook(name: str, raw: bytes) -> Workbook:
    """Read one analytics workbook; sheets are found by name, rows and columns by their labels.

    LinkedIn writes ``<dimension ref="A1"/>`` in every sheet; opened read-only, openpyxl would trust it
    and see one cell, so each sheet's dimensions are reset and every row is read.
    Raises :class:`ExportError` when the file is not a workbook or a figure is not a number or date.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise ExportError(name, None, "the workbook cannot be opened (it is damaged or not an .xlsx file)",
                          "Export it again from LinkedIn's analytics page, or move it out of the folder.") from None

    def rows_of(*names: str) -> list[list[object]] | None:
        sheet = _sheet(book, *names)
        if sheet is None:
            return None
        sheet.reset_dimensions()
        used.append(sheet.title)
        return _padded(_rows(sheet))

    used: list[str] = []
    posts, daily, followers, totals = [], [], [], []
    total = total_on = None
    listed = 0
    try:
        top = rows_of("TOP POSTS")
        listing = _top_posts(top, name) if top is not None else []
        posts += listing
        single = rows_of("PERFORMANCE", "Post analytics")
        one = _single_post(single, name) if single is not None else None
        posts += [one] if one else []
        engagement = rows_of("ENGAGEMENT")
        daily += _daily(engagement, name) if engagement is not None else []
        follower_rows = rows_of("FOLLOWERS")
        if follower_rows is not None:
            followers, total, total_on = _followers(follower_rows, name)
        discovery = rows_of("DISCOVERY")
        found = _discovery(discovery, name) if discovery is not None else None
        totals += [found] if found else []
        if not used:  # a hand-assembled workbook: look for LinkedIn's tables by their labels on any sheet
            for sheet in book.worksheets:
                sheet.reset_dimensions()
                rows = _padded(_rows(sheet))
                more, found = _top_posts(rows, name), _discovery(rows, name)
                if more or found:
                    used.append(sheet.title)
                    listing += more
                    posts += more
                    totals += [found] if found else []
        listed = sum(1 for post in listing if post.get("listed_by_impressions"))
    finally:
        book.close()
    return Workbook(name, tuple(posts), tuple(daily), tuple(followers), total, total_on, tuple(totals), tuple(used),
                    listed)


def has_figures(workbook: Workbook) -> bool:
    """True when the workbook gave anything the report uses."""
    return bool(workbook.posts or workbook.daily or workbook.followers or workbook.totals
                or workbook.follower_total is not None)


def _priority(book: Workbook, post: dict) -> int:
    """How much a workbook's figures for a post count: a one-post workbook's are the post's whole life (2);
    a period's, for a post published in it (1); a period's for an older post hold only its tail (0)."""
    start, end = book.window
    if start is None:
        return 2
    published = post.get("published_on")
    return 0 if published is not None and published < start else 1


def merge(workbooks: list[Workbook]) -> Analytics:
    """Merge any number of read workbooks; a post seen in several keeps every figure found, each from the
    workbook that counts it most fully (:func:`_priority`; later workbooks win ties)."""
    posts: dict[str, dict] = {}
    ranks: dict[str, dict] = {}
    daily: dict[date, dict] = {}
    followers: dict[date, dict] = {}
    windows, listings = [], []
    total, total_on = None, None
    for book in workbooks:
        for record in book.daily:
            daily[record["date"]] = record
        for record in book.followers:
            followers[record["date"]] = record
        if book.follower_total is not None and (total_on is None or (book.follower_total_on and
                                                                     book.follower_total_on > total_on)):
            total, total_on = book.follower_total, book.follower_total_on
        start, end = book.window
        if start is not None and (book.listed_by_impressions or book.totals):
            figures = [p["impressions"] for p in book.posts if p.get("impressions") is not None]
            windows.append({"source": book.name, "period_start": start, "period_end": end,
                            "impressions_listed": book.listed_by_impressions,
                            "impressions_min": min(figures) if figures else None,
                            "capped": book.listed_by_impressions >= TOP_POSTS_CAP,
                            "total_impressions": next((t.get("impressions") for t in book.totals
                                                       if t.get("impressions") is not None), None)})
            listings += [{"source": book.name, **{k: p.get(k) for k in ("url", "published_on", "impressions")}}
                         for p in book.posts if p.get("listed_by_impressions")]
        for post in book.posts:
            key = post.get("url") or f"{book.name}#{len(posts)}"
            merged, rank = posts.setdefault(key, {}), ranks.setdefault(key, {})
            priority = _priority(book, post)
            for name, value in post.items():
                if value is not None and name != "listed_by_impressions" and priority >= rank.get(name, -1):
                    merged[name], rank[name] = value, priority
    totals = [t for book in workbooks for t in book.totals]
    return Analytics(
        posts=pl.DataFrame([{k: p.get(k) for k in POST_SCHEMA} for p in posts.values()], schema=POST_SCHEMA)
        .sort("published_on", nulls_last=True),
        daily=pl.DataFrame(list(daily.values()), schema=DAILY_SCHEMA).sort("date"),
        followers=pl.DataFrame(list(followers.values()), schema=FOLLOWER_SCHEMA).sort("date"),
        follower_total=total,
        follower_total_on=total_on,
        files=tuple(book.name for book in workbooks),
        totals=pl.DataFrame([{k: t.get(k) for k in TOTALS_SCHEMA} for t in totals], schema=TOTALS_SCHEMA),
        windows=pl.DataFrame(windows, schema=WINDOW_SCHEMA).sort("period_start"),
        listings=pl.DataFrame(listings, schema=LISTING_SCHEMA),
    )
