"""The feed model beside real feeds: the captured feed cards and the published figures (``make validate-feed``).

``data/feed_captures.csv`` counts the cards of six members' saved feeds by kind, ``data/feed_figures.csv`` the
figures LinkedIn and industry counts published (see their headers for the sources). :func:`reference_feeds`
simulates the members the figures speak of (a member like the captured one, the reader, a small and a large
network); :func:`validation` sets each beside its figure, one row per check, and says which checks are
targets, which figures set a constant (calibrated) and which are out of sample.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from helpers.evidence.stats import wilson
from helpers.model.cache import remembered
from helpers.model.feed_simulation import KIND_LABELS, KINDS, SHARE_KEYS, FeedParams, average_feed, typical_composition
from helpers.paths import DATA_DIR

CAPTURES_FILE = DATA_DIR / "feed_captures.csv"
FIGURES_FILE = DATA_DIR / "feed_figures.csv"
#: The captured cards the model's shares are judged against: all 63, whole sessions as the model
#: simulates them (each opens on a first page with its ad at position 2); the 43 past the first page are
#: shown beside them.
CAPTURED_COLUMN = "all_cards"
#: The connections of the one captured member whose count is known, the size the model sets beside the captures
#: (rounded), and the sizes the direction is read at.
CAPTURED_MEMBER_CONNECTIONS = 2_399
CAPTURED_CONNECTIONS = 2_400
DIRECTION_SIZES = (100, 5_000)
#: The published figures on promoted posts set beside the model by year.
PROMOTED_FIGURES = ("ads_2016", "promoted_2021", "ads_2023", "promoted_2023")
#: The year the captures (2022-2026) are drawn at beside the published figures: the middle of their span.
CAPTURED_YEAR = 2024
#: Intervals on the captured shares: 90% Wilson (binomial) intervals.
Z90 = 1.6448536269514722
#: Which figure each calibrated constant was set from (at the captured member's size, typical make-up).
CALIBRATED = {
    "promoted": "feed.ad_spacing",
    "modules": "feed.module_share",
    "followed": "feed.followed_per_connection",
    "activity": "feed.activity_per_connection (against first_degree: 24 to 12 cards)",
    "first_degree": "feed.activity_per_connection (against activity: 12 to 24 cards)",
    "suggested": "feed.suggested_penalty",
}


def captures() -> pl.DataFrame:
    """The captured cards by kind (see the file's header for their source); read again when the file changes."""
    return _read_captures(CAPTURES_FILE.stat().st_mtime_ns)


@cache
def _read_captures(_changed: int) -> pl.DataFrame:
    """The captures file as it was when last changed at ``_changed`` (the verdicts ask for it at every joint draw)."""
    return pl.read_csv(CAPTURES_FILE, comment_prefix="#")


def published() -> pl.DataFrame:
    """The published figures (see the file's header for their source)."""
    return pl.read_csv(FIGURES_FILE, comment_prefix="#")


def captured_cards(column: str = CAPTURED_COLUMN) -> int:
    """How many feed cards were captured (all of them, or those past the first page)."""
    return _captured_cards(CAPTURES_FILE.stat().st_mtime_ns, column)


@cache
def _captured_cards(_changed: int, column: str) -> int:
    return int(captures().filter(pl.col("kind").is_in(KINDS))[column].sum())


def capture_counts(column: str = CAPTURED_COLUMN) -> dict[str, int]:
    """The captured cards by kind (the kinds of card, ``activity_out_of_network`` and the surfaced cards' authors)."""
    return {kind: int(cards) for kind, cards in captures().select("kind", column).drop_nulls().iter_rows()}


def surfaced_authors() -> tuple[int, int]:
    """Of the captured cards surfaced by a connection's activity whose author is a person, how many are by one of
    the member's own connections, and how many there are."""
    counts = capture_counts()
    people = sum(cards for kind, cards in counts.items()
                 if kind.startswith("activity_author_") and kind != "activity_author_page")
    return counts["activity_author_first_degree"], people


def figures() -> dict[str, dict]:
    """The published figures (:func:`published`) by id."""
    return {row["id"]: row for row in published().iter_rows(named=True)}


def promoted_by_year(feeds: dict[str, dict]) -> pl.DataFrame:
    """The published shares of promoted posts by year, and the captured cards' (at :data:`CAPTURED_YEAR`): ``year,
    share, low, high, what, kind`` (who counted)."""
    promoted = captured_shares().filter(pl.col("kind") == "promoted").row(0, named=True)
    by_year = pl.concat([
        published().filter(pl.col("id").is_in(PROMOTED_FIGURES)).select(
            "year", ((pl.col("low") + pl.col("high")) / 2).alias("share"), "low", "high",
            pl.col("figure").alias("what"), "grade"),
        pl.DataFrame({"year": [CAPTURED_YEAR], "share": [promoted["share"]], "low": [promoted["low"]],
                      "high": [promoted["high"]], "grade": ["R"],
                      "what": [f"captured feeds, 2022-2026 ({captured_cards()} cards, 90% interval)"]}).select(
            "year", "share", "low", "high", "what", "grade"),
    ])
    grades = {"S": "a member's own count", "I": "industry count", "R": "captured cards"}
    return by_year.with_columns(pl.col("grade").replace_strict(grades).alias("kind"))


def captured_shares(column: str = CAPTURED_COLUMN) -> pl.DataFrame:
    """Each kind's share of the captured cards with its 90% binomial (Wilson) interval."""
    table = captures().filter(pl.col("kind").is_in(SHARE_KEYS))
    total = captured_cards(column)
    rows = []
    for kind, cards in table.select("kind", column).iter_rows():
        low, high = wilson(int(cards), total, Z90)
        rows.append({"kind": kind, "cards": int(cards), "of": total, "share": cards / total, "low": low, "high": high})
    return pl.DataFrame(rows)


def _check(check: str, model: float, low: float | None, high: float | None, figure: str, role: str,
           target: bool = True) -> dict:
    passes = (low is None or model >= low) and (high is None or model <= high)
    return {"check": check, "model": model, "low": low, "high": high, "passes": passes, "figure": figure,
            "role": role, "target": target}


def reference_feeds(member: dict[str, int], *, seed: int, days: int = 2_000, members: int = 8,
                    member_label: str = "the default member", params: FeedParams | None = None) -> dict[str, dict]:
    """The feeds the model is set beside the figures with, by name: ``captured`` (a member like the captured
    one with a known size: 2,400 connections, typical make-up), ``member`` (``member``'s own make-up: the
    sample export's, or the reader's), and ``small`` and ``large`` (100 and 5,000 connections, typical
    make-up), each averaged over ``members`` simulated members; each with its ``label`` and ``connections``.
    The typical members' feeds depend on no export and are kept once computed (at the assumptions' values)."""
    def run(counts: dict[str, int], typical: bool) -> dict[str, float]:
        if params is not None or not typical:
            return average_feed(counts, params or FeedParams.from_assumptions(), days=days, seed=seed, members=members)
        arguments = {"counts": counts, "days": days, "seed": seed, "members": members}
        return remembered("feed-typical-member", arguments, lambda: pl.DataFrame(
            [average_feed(counts, FeedParams.from_assumptions(), days=days, seed=seed, members=members)])).row(0, named=True)

    sizes = {"captured": CAPTURED_CONNECTIONS, "small": DIRECTION_SIZES[0], "large": DIRECTION_SIZES[1]}
    found = {name: {"label": f"at {size:,} connections (typical make-up)", "connections": size,
                    **run(typical_composition(size), True)} for name, size in sizes.items()}
    connections = sum(member.values())
    found["member"] = {"label": f"{member_label} ({connections:,} connections)", "connections": connections,
                       **run(member, False)}
    return found


def validation(feeds: dict[str, dict], params: FeedParams | None = None) -> pl.DataFrame:
    """The model beside every figure it can be set beside, one row per check: ``model``, the band
    ``low``-``high`` it should fall in, ``passes``, the ``figure``, its ``role`` (``calibrated``: a constant
    was set from it; ``partly calibrated``; ``out of sample``: nothing was; ``consistency``: the same source
    set the inputs; ``context``) and whether it is one of the model's ``target``s (the others are context).
    ``feeds`` is :func:`reference_feeds`."""
    params = params or FeedParams.from_assumptions()
    shares, later = captured_shares(), captured_shares("past_first_page")
    by_id = figures()
    seen = by_id["seen_per_day"]
    rows = []
    for name in ("captured", "member"):
        found, label = feeds[name], feeds[name]["label"]
        for kind, cards, of, share, low, high in shares.iter_rows():
            role = "out of sample"
            if name == "captured":
                role = "calibrated" if kind in CALIBRATED else "partly calibrated"
            rows.append(_check(f"{label}: share of cards, {KIND_LABELS[kind].lower()}", found[f"share_{kind}"],
                               low, high, f"{cards} of {of} captured cards ({share:.1%}), 90% interval", role))
        rows.append(_check(f"{label}: share of cards, promoted", found["share_promoted"], 0.15, 0.36,
                           "captured 21-24% and industry counts of 20-36% (van der Blom, Dec 2021 and Dec 2023)",
                           "calibrated" if name == "captured" else "out of sample"))
        rows.append(_check(f"{label}: cards seen a day", found["seen_per_day"], seen["low"], seen["high"],
                           "2-7 feed posts a day from session counts and lengths (van der Blom 2022, 2024)",
                           "consistency"))
        for kind, cards, of, share, low, high in later.iter_rows():
            rows.append(_check(f"{label}: share of cards, {KIND_LABELS[kind].lower()}, against the {of} cards past "
                               "the first page", found[f"share_{kind}"], low, high,
                               f"{cards} of {of} ({share:.1%}), 90% interval", "context", target=False))
    big, small = feeds["large"], feeds["small"]
    posts = by_id["connection_posts_5000"]
    rows.append(_check(f"at {big['connections']:,} connections: connections' posts a day",
                       big["connection_posts_per_day"], posts["low"], posts["high"], posts["source"], "out of sample"))
    rows.append(_check(f"out-of-network share at {big['connections']:,} connections less than at "
                       f"{small['connections']:,} ({small['share_out_of_network']:.1%})",
                       big["share_out_of_network"], None, small["share_out_of_network"],
                       "members with weak networks get more suggested content (arXiv 2510.14223, qualitative)",
                       "out of sample"))
    first, people = surfaced_authors()
    low, high = wilson(first, people, Z90)
    rows.append(_check(f"at {CAPTURED_CONNECTIONS:,} connections: surfaced posts by people whose author is a "
                       "connection", params.first_degree_author_share(CAPTURED_CONNECTIONS), low, high,
                       f"{first} of {people} captured surfaced cards by people, 90% interval; the model's share is "
                       "the reach model's local clustering by degree", "out of sample",
                       target=False))
    at = feeds["captured"]
    organic = at["share_first_degree"] + at["share_followed"] + at["share_activity"]
    rows.append(_check("organic share of the feed (connections, follows and their activity)", organic,
                       by_id["organic_2019"]["low"], None, "over 80% (LinkedIn Engineering, 2019); the captures "
                       "(2022-26) and industry counts (2021-23) show promoted content growing since", "context",
                       target=False))
    for key in PROMOTED_FIGURES:
        figure = by_id[key]
        rows.append(_check(f"share of cards promoted beside {figure['year']}: {figure['figure']}", at["share_promoted"],
                           figure["low"], figure["high"], figure["source"], "context", target=False))
    return pl.DataFrame(rows)


def shares_beside(feeds: dict[str, dict]) -> pl.DataFrame:
    """Each kind's share of the cards seen: captured (all the cards, and those past the first page, with
    their 90% intervals) and the model for the captured-like member and for ``feeds["member"]``."""
    rows = []
    for column, name in ((CAPTURED_COLUMN, "captured, {} cards"), ("past_first_page", "captured, {} past page 1")):
        shares = captured_shares(column)
        rows += [{"kind": kind, "who": name.format(of), "share": share, "low": low, "high": high}
                 for kind, _, of, share, low, high in shares.iter_rows()]
    for name in ("captured", "member"):
        rows += [{"kind": kind, "who": f"model, {feeds[name]['label']}", "share": feeds[name][f"share_{kind}"],
                  "low": None, "high": None} for kind in SHARE_KEYS]
    return pl.DataFrame(rows)


def band_text(low: float | None, high: float | None) -> str:
    """A check's band in words.

    >>> band_text(0.1, 0.3), band_text(None, 0.5), band_text(0.8, None), band_text(0.21, 0.21)
    ('0.1 to 0.3', 'at most 0.5', 'at least 0.8', 'figure 0.21')
    """
    if low is None:
        return f"at most {high:.3g}"
    if high is None:
        return f"at least {low:.3g}"
    return f"figure {low:.3g}" if low == high else f"{low:.3g} to {high:.3g}"


def result_mark(row: dict) -> str:
    """PASS or FAIL for a target; inside or outside its band for context (a point figure is only set beside)."""
    if row["target"]:
        return "PASS" if row["passes"] else "FAIL"
    return "beside" if row["low"] == row["high"] else ("inside" if row["passes"] else "outside")


def validation_table(table: pl.DataFrame) -> pl.DataFrame:
    """:func:`validation` for a page: the result and the band in words."""
    return table.with_columns(
        pl.Series("result", [result_mark(row) for row in table.iter_rows(named=True)]),
        pl.Series("band", [band_text(low, high) for low, high in table.select("low", "high").iter_rows()]),
    ).select("result", "check", "model", "band", "figure", "role")


def print_validation(table: pl.DataFrame, file=None) -> bool:
    """Print each check with its :func:`result_mark`; True when every target passes."""
    for row in table.iter_rows(named=True):
        print(f"{result_mark(row):<7} {row['check']}: {row['model']:.3g} ({band_text(row['low'], row['high'])}; "
              f"{row['figure']}) [{row['role']}]", file=file)
    targets = table.filter(pl.col("target"))
    print(f"{int(targets['passes'].sum())} of {targets.height} targets pass", file=file)
    return bool(targets["passes"].all())
