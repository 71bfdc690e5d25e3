"""Members' export windows: read from the shared members' analytics, cut in two for the update test, or drawn
from the model itself (to check that the fit recovers known parameters through LinkedIn's censoring)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from helpers.model import assumptions
from helpers.model.audience_likelihood import F_REF, YEAR_REF, Window, member_of

MEMBER_ANALYTICS = "posts-member-analytics.csv.gz"


def simulate_members(followers: np.ndarray, posts: np.ndarray, *, mu: float, b: float, tau: float, sigma: float,
                     cap: int = 50, shares_known: bool = False, seed=None) -> list[Window]:
    """Members drawn from the model itself, each with one year-long window (in the middle of ``YEAR_REF``,
    so no year effect), ``posts`` posts, and a TOP POSTS list of the ``cap`` best: complete when a member has
    no more posts, else full, with the window's total, and the number of the others known only when
    ``shares_known`` (for checking that the fit recovers known parameters through LinkedIn's censoring)."""
    rng = np.random.default_rng(seed)
    start, end = date(YEAR_REF, 1, 1), date(YEAR_REF, 12, 31)
    per_day = assumptions.value("audience.max_posts_per_day")
    windows = []
    for i, (audience, count) in enumerate(zip(np.atleast_1d(followers), np.atleast_1d(posts))):
        logs = mu + b * np.log(audience / F_REF) + rng.normal(0, tau) + rng.normal(0, sigma, int(count))
        days = np.datetime64(start, "D") + np.sort(rng.integers(30, 330, int(count))).astype("timedelta64[D]")
        order = np.argsort(logs)[::-1]
        top, rest = order[:cap], order[cap:]
        window = Window(f"member {i}", f"member {i}", start, end, float(audience), float(audience), logs[top],
                        days[top], listed=int(top.size))
        if rest.size:
            total = float(np.exp(logs).sum())
            window = replace(window, log_cap=float(logs[top].min()),
                             unlisted_dates=days[rest] if shares_known else np.zeros(0, dtype="datetime64[D]"),
                             unlisted_complete=shares_known, max_unlisted=int(per_day * 365) - cap,
                             unlisted_total=float(np.exp(logs[rest]).sum()), total_sd=0.03 * total)
        windows.append(window)
    return windows


def read_as_complete(window: Window) -> Window:
    """The window as a reader who trusts a capped list sees it: the listed posts, and nothing else."""
    return replace(window, log_cap=None, unlisted_dates=np.zeros(0, dtype="datetime64[D]"), unlisted_total=None)


# ---------------------------------------------------------------------------------------------
# The shared members' analytics


def load_member_analytics(folder: Path) -> pl.DataFrame:
    """``posts-member-analytics.csv.gz`` (see ``../shared/datasets/README.md``), dates parsed."""
    return pl.read_csv(folder / MEMBER_ANALYTICS, infer_schema_length=None, try_parse_dates=True)


def followers_on(day: date, start: date, end: date, followers_end: float, followers_new: float | None) -> float:
    """Followers on ``day``: the window's end total less the new followers still to come (spread evenly
    over the window). New followers are gross gains (one member's exceed their total), so the start is
    held at a quarter of the end at least."""
    if followers_new is None:
        return float(followers_end)
    first = max(followers_end - followers_new, 0.25 * followers_end)
    remaining = (end - day).days / max((end - start).days, 1)
    return float(followers_end - (followers_end - first) * min(max(remaining, 0.0), 1.0))


#: A window known by its connections only may say in its notes how many it started with ("250 at window start").
_START_COUNT = re.compile(r"\((\d[\d,]*) at window start\)")


def windows_from_members(frame: pl.DataFrame) -> list[Window]:
    """The shared members' windows. Audience: followers (connections plus ``audience.follower_extra`` where
    only connections are known, growing from the start count the notes give); the censoring read from the
    columns the README describes."""
    extra = assumptions.value("audience.follower_extra")
    settled = assumptions.value("audience.settled_days")
    other = assumptions.value("audience.window_total_other")
    per_day = assumptions.value("audience.max_posts_per_day")
    windows = []
    for (name,), rows in frame.group_by("member", maintain_order=True):
        first = rows.row(0, named=True)
        start, end = first["window_start"], first["window_end"]
        total_end = first["followers_end"] if first["followers_end"] is not None else (
            first["connections"] * (1 + extra) if first["connections"] is not None else None)
        if total_end is None:
            continue
        new = first["followers_new"] if first["followers_end"] is not None else None
        known_start = _START_COUNT.search(first["notes"] or "") if first["followers_end"] is None else None
        if known_start:  # connections only, with the count at the window's start (the README's dev07)
            new = total_end - int(known_start.group(1).replace(",", "")) * (1 + extra)
        inside = rows.filter(pl.col("published_on").is_not_null() & (pl.col("published_on") >= start))
        listed = inside.filter(pl.col("impressions").is_not_null() & (pl.col("in_impressions_table") == 1))
        young = listed.filter((pl.lit(end) - pl.col("published_on")).dt.total_days() < settled)
        settled_posts = listed.filter((pl.lit(end) - pl.col("published_on")).dt.total_days() >= settled)
        capped = first["impressions_table_capped"] == 1
        total = first["window_impressions_total"]
        every_listed = rows.filter(pl.col("impressions").is_not_null() & (pl.col("in_impressions_table") == 1))
        log = lambda values: np.log(np.maximum(values.to_numpy().astype(float), 1.0))  # noqa: E731
        days = lambda values: values.to_numpy().astype("datetime64[D]")  # noqa: E731
        windows.append(Window(
            member=member_of(name), window=name, start=start, end=end,
            followers_start=followers_on(start, start, end, total_end, new), followers_end=float(total_end),
            log_impressions=log(settled_posts["impressions"]), dates=days(settled_posts["published_on"]),
            log_at_least=log(young["impressions"]), at_least_dates=days(young["published_on"]),
            listed=listed.height,
            log_cap=float(np.log(first["impressions_table_min"])) if capped else None,
            unlisted_dates=days(inside.filter(pl.col("in_impressions_table") == 0)["published_on"]) if capped
            else np.zeros(0, dtype="datetime64[D]"),
            unlisted_complete=False,
            max_unlisted=max(int(per_day * ((end - start).days + 1)) - listed.height, 0),
            unlisted_total=(max(total * (1 - other) - float(every_listed["impressions"].sum()), 0.0)
                            if capped and total is not None else None),
            total_sd=other * total if total is not None else 0.0,
        ))
    return windows


def split_member(windows: list[Window]) -> tuple[list[Window], list[Window], date]:
    """A member's windows cut at the median date of their known posts: (earlier, later, the date)."""
    days = np.sort(np.concatenate([np.concatenate([w.dates, w.at_least_dates, w.unlisted_dates]) for w in windows]))
    cut = days[days.size // 2].astype(date)
    parts = [w.split(cut) for w in windows]
    keep = lambda part: bool(part.posts or part.unlisted)  # noqa: E731
    return [p[0] for p in parts if keep(p[0])], [p[1] for p in parts if keep(p[1])], cut
