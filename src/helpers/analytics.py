"""Read LinkedIn creator-analytics workbooks (.xlsx) into per-post and per-day frames.

Two families exist (see ``shared/research/linkedin-export-format.md`` section 3):

- aggregate: ``Content_<start>_<end>_<Name>.xlsx`` (to 2025) or ``AggregateAnalytics_<Name>_<start>_<end>.xlsx``
  (2026), sheets ``DISCOVERY``, ``ENGAGEMENT``, ``TOP POSTS``, ``FOLLOWERS``, ``DEMOGRAPHICS``;
- one post: ``PostAnalytics_<Name>_<id>.xlsx`` (sheet ``PERFORMANCE``) or ``SinglePostAnalytics_<Name>_<id>.xlsx``
  (sheet ``Post analytics``), key/value rows.

Rows and columns move between versions, so everything is found by its label, never by position.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Analytics:
    """What the workbooks hold: one row per post, per day, and daily new followers."""

    posts: pl.DataFrame
    daily: pl.DataFrame
    followers: pl.DataFrame
    follower_total: int | None
    follower_total_on: date | None
    files: tuple[str, ...]


def is_analytics_name(name: str) -> bool:
    """True for the file names LinkedIn gives creator-analytics exports."""
    return bool(_NAME.match(name.rsplit("/", 1)[-1]))


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


def read_workbooks(workbooks: list[tuple[str, bytes]]) -> Analytics:
    """Merge any number of analytics workbooks; a post seen in several keeps every figure found."""
    import openpyxl

    posts: dict[str, dict] = {}
    daily: dict[date, dict] = {}
    followers: dict[date, dict] = {}
    total, total_on = None, None
    for name, raw in workbooks:
        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise ExportError(name, None, f"the workbook cannot be opened ({type(exc).__name__})",
                              "Export it again from LinkedIn's analytics page, or move it out of the folder.") from None
        try:
            top = _sheet(book, "TOP POSTS")
            found = _top_posts(_rows(top), name) if top is not None else []
            single = _sheet(book, "PERFORMANCE", "Post analytics")
            if single is not None:
                one = _single_post(_rows(single), name)
                found += [one] if one else []
            engagement = _sheet(book, "ENGAGEMENT")
            for record in _daily(_rows(engagement), name) if engagement is not None else []:
                daily[record["date"]] = record
            follower_sheet = _sheet(book, "FOLLOWERS")
            if follower_sheet is not None:
                records, t, t_on = _followers(_rows(follower_sheet), name)
                for record in records:
                    followers[record["date"]] = record
                if t is not None and (total_on is None or (t_on and t_on > total_on)):
                    total, total_on = t, t_on
        finally:
            book.close()
        for post in found:
            key = post.get("url") or f"{name}#{len(posts)}"
            merged = posts.setdefault(key, {})
            merged.update({k: v for k, v in post.items() if v is not None})
    return Analytics(
        posts=pl.DataFrame([{k: p.get(k) for k in POST_SCHEMA} for p in posts.values()], schema=POST_SCHEMA)
        .sort("published_on", nulls_last=True),
        daily=pl.DataFrame(list(daily.values()), schema=DAILY_SCHEMA).sort("date"),
        followers=pl.DataFrame(list(followers.values()), schema=FOLLOWER_SCHEMA).sort("date"),
        follower_total=total,
        follower_total_on=total_on,
        files=tuple(name for name, _ in workbooks),
    )
