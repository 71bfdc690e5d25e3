"""The analytics workbooks of an invented member's export: a post as LinkedIn's workbooks report it, the yearly
Content_/AggregateAnalytics_ workbook and the single post's, as LinkedIn lays them out (both layouts), with fixed
metadata so that the same content gives the same bytes. :mod:`helpers.export.synth` writes them into the export."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import openpyxl


@dataclass(frozen=True)
class Post:
    published: datetime
    activity_id: int
    impressions: int
    members_reached: int
    engagements: int

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/feed/update/urn:li:activity:{self.activity_id}"


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with fixed metadata and zip timestamps, so the same content gives the same bytes.

    Every sheet declares ``<dimension ref="A1"/>`` whatever its size, as LinkedIn's own workbooks do
    (a reader trusting it sees one cell per sheet).
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    fixed = datetime(2026, 11, 20, 12, 0, 0)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "LinkedIn"
    raw = io.BytesIO()
    book.save(raw)
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode()
                start = text.find("<dcterms:modified")
                end = text.find("</dcterms:modified>")
                if start >= 0 and end >= 0:
                    text = text[:start] + ('<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-20T12:00:00Z'
                                           ) + text[end:]
                data = text.encode()
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 11, 20, 12, 0, 0)), data)
    return out.getvalue()


def aggregate_workbook(posts: list[Post], start: date, end: date, new_followers: dict[date, int],
                       followers_total: int, text_numbers: bool, rng: np.random.Generator) -> bytes:
    """A Content_/AggregateAnalytics_ workbook for [start, end]: at most 50 posts per table, by label."""

    def value(n: int) -> object:
        return f"{n:,}" if text_numbers else n

    def day(d: date) -> str:
        return f"{d.month}/{d.day}/{d.year}"

    inside = [p for p in posts if start <= p.published.date() <= end]
    by_engagement = sorted(inside, key=lambda p: p.engagements, reverse=True)[:50]
    by_impressions = sorted(inside, key=lambda p: p.impressions, reverse=True)[:50]
    top = [["Maximum of 50 posts available to include in this list"], [],
           ["Post URL", "Post publish date", "Engagements", None, "Post URL", "Post publish date", "Impressions"]]
    for i in range(max(len(by_engagement), len(by_impressions))):
        left = by_engagement[i] if i < len(by_engagement) else None
        right = by_impressions[i] if i < len(by_impressions) else None
        top.append([
            left.url if left else None, day(left.published.date()) if left else None,
            value(left.engagements) if left else None, None,
            right.url if right else None, day(right.published.date()) if right else None,
            value(right.impressions) if right else None,
        ])
    daily_rows, follower_rows = [["Date", "Impressions", "Engagements"]], []
    current = start
    while current <= end:
        todays = [p for p in inside if p.published.date() == current]
        impressions = sum(p.impressions for p in todays) // 3 + int(rng.integers(0, 20))
        daily_rows.append([day(current), value(impressions), value(int(impressions * 0.03))])
        follower_rows.append([day(current), value(new_followers[current])])
        current += timedelta(days=1)
    total_impressions = sum(p.impressions for p in inside)
    sheets = {
        "DISCOVERY": [["Overall Performance", f"{day(start)} - {day(end)}"],
                      ["Impressions", value(total_impressions)],
                      ["Members reached", value(int(total_impressions * 0.55))]],
        "ENGAGEMENT": daily_rows,
        "TOP POSTS": top,
        "FOLLOWERS": [[f"Total followers on {day(end)}:", value(followers_total)], [],
                      ["Date", "New followers"], *follower_rows],
        "DEMOGRAPHICS": [["Top Demographics", "Value", "Percentage"], ["Job titles", "Data Scientist", 0.14],
                         ["Locations", "Berlin", 0.22], ["Industries", "Software Development", 0.31]],
    }
    return xlsx_bytes(sheets)


def single_post_workbook(post: Post, layout_2026: bool) -> bytes:
    rows = [["Post URL", post.url],
            ["Post Date", f"{post.published.month}/{post.published.day}/{post.published.year}"
             if layout_2026 else post.published.strftime("%b %d, %Y")],
            ["Post Publish Time", post.published.strftime("%I:%M %p").lstrip("0")],
            ["Impressions", f"{post.impressions:,}"], ["Members reached", f"{post.members_reached:,}"],
            ["Reactions", int(post.engagements * 0.8)], ["Comments", int(post.engagements * 0.15)],
            ["Reposts", int(post.engagements * 0.05)]]
    if layout_2026:
        return xlsx_bytes({"Post analytics": rows + [[], ["Post viewer demographics"], ["Category", "Value", "%"]]})
    return xlsx_bytes({"PERFORMANCE": rows, "TOP DEMOGRAPHICS": [["Category", "Value", "Percentage"]]})
