"""What reaches a member's feed, and what they see of it: a feed of real LinkedIn sources and slots.

Each day the candidates are, from the member's network and follows:

- **connections' own posts** (``first_degree``): a share of connections post, at heavy-tailed rates;
- **followed people and pages** (``followed``): non-connections the member follows, whose number grows
  with the network;
- **posts surfaced by connections' activity** (``activity``): a reaction, comment or repost puts the post in
  the member's feed; its author is a page, one of the member's own connections (as often as a connection's
  other ties end among the member's: the reach model's local clustering by degree) or someone outside the
  network (2nd or 3rd degree: ``activity_out_of_network``, a part of ``activity``);

and, from the whole platform, **suggested** posts by out-of-network authors: a large pool the ranker
scores below network content, so they fill what the network does not. Each post has a value to the
member (its source's mean plus a topic term); the ranker sees that value with noise.

The member opens the feed about every other day; every session is a run of slots. **Promoted** posts take
fixed positions (the 2nd card, then one every few cards), **LinkedIn modules** (jobs, courses) a share of the
other slots; the rest are filled by the ranker's best organic candidates of the day. ``promoted``,
``modules``, ``first_degree``, ``followed``, ``activity`` and ``suggested`` are the disjoint kinds of card.
All constants are in ``data/assumptions.toml`` (``feed.*``), beside them
``../shared/research/linkedin-feed-composition.md``'s figures and the feed cards of six members
(``data/feed_captures.csv``), which :func:`validation` sets the model beside.

>>> params = FeedParams.from_assumptions()
>>> feed = simulate_feed(composition(2_400, 0.15, 0.3), params, days=60, seed=1)
>>> round(sum(feed[f"share_{kind}"] for kind in KINDS), 9)
1.0
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, fields, replace

import numpy as np
import polars as pl
from scipy.special import ndtri

from helpers.evidence import profile
from helpers.evidence.stats import wilson
from helpers import rules
from helpers.model import assumptions
from helpers.model.platform_reach import Platform, closing_share
from helpers.paths import DATA_DIR

CONNECTION_SOURCES = ("colleague", "same_function", "other_connection")
#: Where an organic candidate comes from; each has its own mean value to the member (``feed.affinity.*``).
SOURCES = CONNECTION_SOURCES + ("followed", "activity", "suggested")
#: The disjoint kinds of card a member sees (their shares sum to 1); ``activity_out_of_network`` is a part
#: of ``activity`` (the cards surfaced by a connection's activity whose author is outside the network).
KINDS = ("first_degree", "followed", "activity", "suggested", "promoted", "modules")
SHARE_KEYS = KINDS[:3] + ("activity_out_of_network",) + KINDS[3:]
#: How each kind of card is called on the page (and, in lower case, in the checks), and its colour there.
KIND_LABELS = {"first_degree": "Connections' own posts", "followed": "Followed people and pages",
               "activity": "Surfaced by connections' activity",
               "activity_out_of_network": "Surfaced, by people outside the network",
               "suggested": "Suggested", "promoted": "Promoted", "modules": "Modules (jobs, courses)"}
KIND_COLOURS = {"first_degree": "#1f5f99", "followed": "#7fb2e5", "activity": "#15803d",
                "activity_out_of_network": "#86c99b", "suggested": "#7c3aed", "promoted": "#c2410c",
                "modules": "#9ca3af"}
#: How the network grows: keeping the member's make-up, or indiscriminately (every added connection a
#: stranger: "other connection").
SCENARIOS = ("make-up kept", "indiscriminate")
#: What each growth strategy adds to the feed's sources (share of added connections per source).
STRATEGY_SOURCES = {
    "colleague": {"colleague": 1.0},
    "friend_of_friend": {"other_connection": 1.0},
    "same_title": {"same_function": 1.0},
    "same_industry": {"same_function": 0.5, "other_connection": 0.5},
    "event": {"other_connection": 1.0},
    "random": {"other_connection": 1.0},
}

_SIMPLE = ("posts_per_connection", "poster_share", "poster_rate_sigma", "followed_per_connection",
           "activity_per_connection", "activity_page_share", "suggested_candidates", "suggested_day_sd",
           "suggested_penalty", "ad_first_position", "ad_spacing", "module_share", "sessions_per_day",
           "posts_per_session", "topic_sd", "ranker_noise_sd", "valuable_above")
#: The reach model's assumptions the feed shares, by its field name: local clustering by degree sets how
#: often a surfaced post's author is a connection.
#: LinkedIn as the reach model has it at its assumptions' values (its landing kernel is built once).
_PLATFORM = Platform.from_assumptions()
_REACH = {"clustering_at_100": "reach.clustering_at_100", "clustering_slope": "reach.clustering_slope"}
#: Every assumption the feed depends on, by its name in ``data/assumptions.toml``: the feed's own and
#: the reach model's local clustering.
ASSUMPTIONS = (tuple(f"feed.{name}" for name in _SIMPLE) + tuple(f"feed.affinity.{s}" for s in SOURCES)
               + tuple(_REACH.values()))


@dataclass(frozen=True)
class FeedParams:
    """The feed's constants (see ``data/assumptions.toml``, ``feed.*``, for each one's unit and source)."""

    posts_per_connection: float
    poster_share: float
    poster_rate_sigma: float
    followed_per_connection: float
    activity_per_connection: float
    activity_page_share: float
    suggested_candidates: float
    suggested_day_sd: float
    suggested_penalty: float
    ad_first_position: float
    ad_spacing: float
    module_share: float
    sessions_per_day: float
    posts_per_session: float
    topic_sd: float
    ranker_noise_sd: float
    valuable_above: float
    affinity: tuple[float, ...]  # per source, in SOURCES order
    clustering_at_100: float
    clustering_slope: float

    @classmethod
    def from_assumptions(cls, **overrides: float) -> FeedParams:
        """The constants at their values; ``overrides`` by short name (``topic_sd=0.4``,
        ``**{"affinity.activity": 0.5}``, ``clustering_at_100=0.2``)."""
        unknown = set(overrides) - set(_SIMPLE) - {f"affinity.{s}" for s in SOURCES} - set(_REACH)
        if unknown:
            raise KeyError(f"no feed assumption {sorted(unknown)}; known: {_SIMPLE}, affinity.<source>")
        values = {name: overrides.get(name, assumptions.value(f"feed.{name}")) for name in _SIMPLE}
        values["affinity"] = tuple(overrides.get(f"affinity.{s}", assumptions.value(f"feed.affinity.{s}"))
                                   for s in SOURCES)
        values.update({field: overrides.get(field, assumptions.value(name)) for field, name in _REACH.items()})
        return cls(**values)

    @classmethod
    def from_setting(cls, setting: dict[str, float]) -> FeedParams:
        """The parameters at a setting of the assumptions ({"feed.topic_sd": 0.4, ...}); others at their value."""
        short = {name: field for field, name in _REACH.items()}
        return cls.from_assumptions(**{short.get(name, name.removeprefix("feed.")): value
                                       for name, value in setting.items() if name in ASSUMPTIONS})

    def with_(self, name: str, value: float) -> FeedParams:
        if name.startswith("affinity."):
            affinity = list(self.affinity)
            affinity[SOURCES.index(name.split(".", 1)[1])] = value
            return replace(self, affinity=tuple(affinity))
        if name not in {f.name for f in fields(self)}:
            raise KeyError(f"no feed parameter {name!r}")
        return replace(self, **{name: value})

    def first_degree_author_share(self, connections: int) -> float:
        """Of the posts by people that a connection's activity surfaces, the share whose author is one of
        the member's own connections: the share of a connection's other ties that end among the member's
        ``connections``, from the reach model's local clustering by degree and its landing kernel."""
        return closing_share(_PLATFORM, max(connections, 1), self.clustering_at_100, self.clustering_slope)


def composition(connections: int, colleague_share: float, same_function_share: float) -> dict[str, int]:
    """How many of the member's connections are colleagues, in their function (not colleagues), or other."""
    colleagues = int(round(connections * colleague_share))
    same = int(round((connections - colleagues) * same_function_share))
    return {"colleague": colleagues, "same_function": same, "other_connection": connections - colleagues - same}


def typical_composition(connections: int) -> dict[str, int]:
    """The make-up of a typical member of that size (``reach.typical_*`` assumptions, as the reach CLI's)."""
    return composition(connections, assumptions.value("reach.typical_colleague_share"),
                       assumptions.value("reach.typical_function_share"))


def grown(base: dict[str, int], size: int, scenario: str = SCENARIOS[0]) -> dict[str, int]:
    """The network at ``size`` connections: ``base`` scaled when smaller or when its make-up is kept;
    when growing indiscriminately, every added connection is an other connection."""
    total = sum(base.values())
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; one of {SCENARIOS}")
    if scenario == SCENARIOS[0] or size <= total:
        return {s: int(round(n * size / max(total, 1))) for s, n in base.items()}
    return {**base, "other_connection": base.get("other_connection", 0) + size - total}


def session_slots(lengths: np.ndarray, first: float, spacing: float) -> np.ndarray:
    """Promoted cards in sessions of ``lengths`` cards: one at position ``first``, then one every
    ``spacing`` cards (positions ``first + floor(i * spacing)``, i = 0, 1, ...).

    >>> session_slots(np.array([1, 2, 6, 7, 12]), 2, 5).tolist()
    [0, 1, 1, 2, 3]
    """
    lengths = np.asarray(lengths)
    return np.where(lengths >= first, np.ceil((lengths - first + 1) / spacing), 0).astype(np.int64)


def _top_of_pool(pool: np.ndarray, wanted: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The ``wanted[d]`` largest of ``pool[d]`` standard normal draws, for each day d, without drawing the
    pool: the top order statistics of uniforms are products of powers of uniforms (Renyi's
    representation). Returns (day, z) for the drawn ones, best first within each day."""
    wanted = np.minimum(wanted, pool).astype(np.int64)
    width = int(wanted.max(initial=0))
    if width == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    rank = np.arange(width)
    remaining = np.maximum(pool[:, None] - rank[None, :], 1.0)
    log_u = -np.cumsum(rng.exponential(size=(pool.size, width)) / remaining, axis=1)
    keep = rank[None, :] < wanted[:, None]
    day = np.broadcast_to(np.arange(pool.size)[:, None], keep.shape)[keep]
    return day, -ndtri(-np.expm1(log_u[keep]))


def simulate_feed(counts: dict[str, int], params: FeedParams, *, days: int = 365, seed=None) -> dict[str, float]:
    """Daily averages over ``days`` simulated days for a network with ``counts`` connections per source.

    Returns ``seen_per_day`` (cards seen), ``candidates_per_day`` (organic candidates from the network and
    follows: the "potential updates"), ``connection_posts_per_day`` (of those, connections' own posts),
    ``suggested_candidates_per_day`` (the platform's pool), ``share_<kind>`` for each of :data:`SHARE_KEYS`
    (shares of the cards seen; the :data:`KINDS` sum to 1) and ``share_out_of_network`` (suggested plus
    surfaced posts by out-of-network authors), ``mean_value_seen`` (of the organic cards), ``valuable_seen``
    (organic posts at or above the valuable threshold seen a day), ``articles_seen`` (of those, the posts by
    people the member does not know that a connection's activity surfaced: the blogger's "these articles"),
    ``noise_share`` (cards the member would not have chosen: promoted, modules and organic posts below the
    valuable threshold; the rest, the valuable ones, are the signal).
    """
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    slot_rng, suggestion_rng, candidate_rng, *poster_rngs = [np.random.default_rng(s) for s in
                                                             sequence.spawn(3 + len(CONNECTION_SOURCES))]
    # the member's sessions and their slots, which do not depend on the network
    sessions = slot_rng.poisson(params.sessions_per_day, days)
    lengths = 1 + slot_rng.poisson(params.posts_per_session - 1, int(sessions.sum()))
    promoted = session_slots(lengths, params.ad_first_position, params.ad_spacing)
    modules = slot_rng.binomial(lengths - promoted, params.module_share)
    slots = np.bincount(np.repeat(np.arange(days), sessions), lengths - promoted - modules,
                        minlength=days).astype(np.int64)

    connections = sum(counts.get(s, 0) for s in CONNECTION_SOURCES)
    organic = SOURCES[:-1]
    rates = np.zeros(len(organic))
    sigma = params.poster_rate_sigma
    median_rate = params.posts_per_connection / (params.poster_share * np.exp(sigma**2 / 2))
    for index, (source, poster_rng) in enumerate(zip(CONNECTION_SOURCES, poster_rngs)):
        # one stream per source, one row per connection: a network grown from this one keeps its posters
        draws = poster_rng.random((counts.get(source, 0), 2))
        posting = draws[:, 0] < params.poster_share
        rates[index] = (median_rate * np.exp(sigma * ndtri(draws[posting, 1]))).sum()
    rates[organic.index("followed")] = connections * params.followed_per_connection
    rates[organic.index("activity")] = connections * params.activity_per_connection
    per_day = candidate_rng.poisson(rates, size=(days, len(organic)))
    # only the days with a session show anything: their candidates are the ones drawn and ranked
    active = np.flatnonzero(slots > 0)
    on_active = per_day[active].ravel()
    day = np.repeat(np.repeat(active, len(organic)), on_active)
    source = np.repeat(np.tile(np.arange(len(organic)), active.size), on_active)
    affinity = np.asarray(params.affinity)
    value = affinity[source] + candidate_rng.normal(0, params.topic_sd, source.size)
    score = value + candidate_rng.normal(0, params.ranker_noise_sd, source.size)
    # a surfaced post's author: a page, else a connection as often as ties close back, else out of network
    outside = source == organic.index("activity")
    home = (params.activity_page_share + (1 - params.activity_page_share)
            * params.first_degree_author_share(connections))
    outside[outside] = candidate_rng.random(int(outside.sum())) >= home

    # suggestions: the best of the day's pool. How well a day's pool matches the member varies from day to
    # day, and the ranker scores suggestions below network content (its preference for network content).
    pool = np.floor(params.suggested_candidates * sessions)
    s_day, z = _top_of_pool(pool, slots, suggestion_rng)
    s_mean = affinity[SOURCES.index("suggested")] + suggestion_rng.normal(0, params.suggested_day_sd, days)[s_day]
    spread = float(np.hypot(params.topic_sd, params.ranker_noise_sd))
    # a suggestion's value given its score (both normal): the topic term's part of the score's spread
    topic_part, rest_sd = (params.topic_sd**2 / spread, params.topic_sd * params.ranker_noise_sd / spread) \
        if spread else (0.0, 0.0)
    day = np.concatenate([day, s_day])
    source = np.concatenate([source, np.full(s_day.size, SOURCES.index("suggested"))])
    value = np.concatenate([value, s_mean + topic_part * z + suggestion_rng.normal(0, rest_sd, z.size)])
    score = np.concatenate([score, s_mean - params.suggested_penalty + spread * z])
    outside = np.concatenate([outside, np.zeros(s_day.size, dtype=bool)])

    # one sort on (day, -score) packed in a float ranks each day's candidates
    width = 4 * (float(np.abs(score).max(initial=0.0)) + 1.0)
    order = np.argsort(day * width - score)
    day, source, value, outside = day[order], source[order], value[order], outside[order]
    starts = np.searchsorted(day, np.arange(days))
    seen = (np.arange(day.size) - starts[day]) < slots[day]
    by_source = np.bincount(source[seen], minlength=len(SOURCES))
    kinds = {"first_degree": by_source[:len(CONNECTION_SOURCES)].sum(),
             **{kind: by_source[SOURCES.index(kind)] for kind in ("followed", "activity", "suggested")},
             "promoted": promoted.sum(), "modules": modules.sum()}
    shown = int(sum(kinds.values()))
    cards = max(shown, 1)
    valuable = seen & (value >= params.valuable_above)
    signal = int(valuable.sum())
    shares = {f"share_{kind}": float(n / cards) for kind, n in kinds.items()}
    shares["share_activity_out_of_network"] = float((seen & outside).sum() / cards)
    return {
        "seen_per_day": shown / days,
        "candidates_per_day": float(per_day.sum() / days),
        "connection_posts_per_day": float(per_day[:, :len(CONNECTION_SOURCES)].sum() / days),
        "suggested_candidates_per_day": float(pool.sum() / days),
        **{f"share_{key}": shares[f"share_{key}"] for key in SHARE_KEYS},
        "share_out_of_network": shares["share_activity_out_of_network"] + shares["share_suggested"],
        "mean_value_seen": float(value[seen].mean()) if seen.any() else 0.0,
        "valuable_seen": signal / days,
        "articles_seen": float((valuable & outside).sum() / days),
        "noise_share": (shown - signal) / cards,
    }


def average_feed(counts: dict[str, int], params: FeedParams, *, days: int, seed, members: int = 1) -> dict[str, float]:
    """:func:`simulate_feed` averaged over ``members`` simulated members with the same make-up (each with
    its own connections' posting rates: who among the connections posts is not known, and it moves a
    member's mix by a few points)."""
    runs = [simulate_feed(counts, params, days=days, seed=child)
            for child in np.random.SeedSequence(seed).spawn(members)]
    return {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}


def feed_curve(base: dict[str, int], sizes, params: FeedParams, *, days: int, seed: int,
               scenario: str = SCENARIOS[0], known: dict | None = None) -> pl.DataFrame:
    """The feed at each network size in ``sizes``, grown from ``base`` as ``scenario`` says. ``known`` maps
    a network's make-up to its simulated feed (same days and seed): a network both scenarios share (the
    member's own, any smaller one) is simulated once."""
    known = {} if known is None else known
    rows = []
    for size in sizes:
        counts = grown(base, int(size), scenario)
        key = tuple(sorted(counts.items()))
        if key not in known:
            known[key] = simulate_feed(counts, params, days=days, seed=seed)
        rows.append({"connections": int(size), "scenario": scenario, **known[key]})
    return pl.DataFrame(rows)


def curves(base: dict[str, int], sizes, params: FeedParams, *, days: int, seed: int,
           known: dict | None = None) -> pl.DataFrame:
    """:func:`feed_curve` in both growth scenarios, stacked."""
    known = {} if known is None else known
    return pl.concat([feed_curve(base, sizes, params, days=days, seed=seed, scenario=s, known=known)
                      for s in SCENARIOS])


def strategy_feed(base: dict[str, int], target: int, params: FeedParams, *, days: int, seed: int,
                  before: dict[str, float] | None = None) -> pl.DataFrame:
    """The feed after growing to ``target`` connections by each strategy, and the change per added connection
    (``before``: the feed of ``base`` with the same days and seed, when already simulated)."""
    current = sum(base.values())
    before = before or simulate_feed(base, params, days=days, seed=seed)
    rows = []
    for strategy, mix in STRATEGY_SOURCES.items():
        counts = dict(base)
        for source, share in mix.items():
            counts[source] = counts.get(source, 0) + int(round((target - current) * share))
        after = simulate_feed(counts, params, days=days, seed=seed)
        added = max(target - current, 1)
        rows.append({"strategy": strategy, "to": target, **{f"{k}_after": v for k, v in after.items()},
                     "valuable_per_added": (after["valuable_seen"] - before["valuable_seen"]) / added,
                     "value_change": after["mean_value_seen"] - before["mean_value_seen"],
                     "noise_change": after["noise_share"] - before["noise_share"]})
    return pl.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The model beside real feeds: the captured cards and the published figures.

CAPTURES_FILE = DATA_DIR / "feed_captures.csv"
FIGURES_FILE = DATA_DIR / "feed_figures.csv"
#: The captured cards the model's shares are judged against: all 63, whole sessions as the model
#: simulates them (each opens on a first page with its ad at position 2); the 43 past the first page are
#: shown beside them.
CAPTURED_COLUMN = "all_cards"
#: The captured member whose connection count is known (2,399), and the sizes the direction is read at.
CAPTURED_CONNECTIONS = 2_400
DIRECTION_SIZES = (100, 5_000)
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
    """The captured cards by kind (see the file's header for their source)."""
    return pl.read_csv(CAPTURES_FILE, comment_prefix="#")


def published() -> pl.DataFrame:
    """The published figures (see the file's header for their source)."""
    return pl.read_csv(FIGURES_FILE, comment_prefix="#")


def captured_shares(column: str = CAPTURED_COLUMN) -> pl.DataFrame:
    """Each kind's share of the captured cards with its 90% binomial (Wilson) interval."""
    table = captures().filter(pl.col("kind").is_in(SHARE_KEYS))
    total = int(table.filter(pl.col("kind").is_in(KINDS))[column].sum())
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
        from helpers.model.cache import remembered

        arguments = {"counts": counts, "days": days, "seed": seed, "members": members}
        compute = lambda: pl.DataFrame(  # noqa: E731
            [average_feed(counts, FeedParams.from_assumptions(), days=days, seed=seed, members=members)])
        return remembered("feed-typical-member", arguments, compute).row(0, named=True)

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
        rows.append(_check(f"{label}: cards seen a day", found["seen_per_day"], 2.0, 7.0,
                           "2-7 feed posts a day from session counts and lengths (van der Blom 2022, 2024)",
                           "consistency"))
        for kind, cards, of, share, low, high in later.iter_rows():
            rows.append(_check(f"{label}: share of cards, {KIND_LABELS[kind].lower()}, against the {of} cards past "
                               "the first page", found[f"share_{kind}"], low, high,
                               f"{cards} of {of} ({share:.1%}), 90% interval", "context", target=False))
    big, small = feeds["large"], feeds["small"]
    figures = {row["id"]: row for row in published().iter_rows(named=True)}
    posts = figures["connection_posts_5000"]
    rows.append(_check(f"at {big['connections']:,} connections: connections' posts a day",
                       big["connection_posts_per_day"], posts["low"], posts["high"], posts["source"], "out of sample"))
    rows.append(_check(f"out-of-network share at {big['connections']:,} connections less than at "
                       f"{small['connections']:,} ({small['share_out_of_network']:.1%})",
                       big["share_out_of_network"], None, small["share_out_of_network"],
                       "members with weak networks get more suggested content (arXiv 2510.14223, qualitative)",
                       "out of sample"))
    authors = captures().filter(pl.col("kind").str.starts_with("activity_author_"))
    people = int(authors.filter(pl.col("kind") != "activity_author_page")["all_cards"].sum())
    first = int(authors.filter(pl.col("kind") == "activity_author_first_degree")["all_cards"].item())
    low, high = wilson(first, people, Z90)
    rows.append(_check(f"at {CAPTURED_CONNECTIONS:,} connections: surfaced posts by people whose author is a "
                       "connection", params.first_degree_author_share(CAPTURED_CONNECTIONS), low, high,
                       f"{first} of {people} captured surfaced cards by people, 90% interval; the model's share is "
                       "the reach model's local clustering by degree", "out of sample",
                       target=False))
    at = feeds["captured"]
    organic = at["share_first_degree"] + at["share_followed"] + at["share_activity"]
    rows.append(_check("organic share of the feed (connections, follows and their activity)", organic,
                       figures["organic_2019"]["low"], None, "over 80% (LinkedIn Engineering, 2019); the captures "
                       "(2022-26) and industry counts (2021-23) show promoted content growing since", "context",
                       target=False))
    for key in ("ads_2016", "promoted_2021", "ads_2023", "promoted_2023"):
        figure = figures[key]
        rows.append(_check(f"share of cards promoted beside {figure['year']}: {figure['figure']}", at["share_promoted"],
                           figure["low"], figure["high"], figure["source"], "context", target=False))
    return pl.DataFrame(rows)


def shares_beside(feeds: dict[str, dict]) -> pl.DataFrame:
    """Each kind's share of the cards seen: captured (all 63 cards, and the 43 past the first page, with
    their 90% intervals) and the model for the captured-like member and for ``feeds["member"]``."""
    rows = []
    for column, name in ((CAPTURED_COLUMN, "captured, 63 cards"), ("past_first_page", "captured, 43 past page 1")):
        rows += [{"kind": kind, "who": name, "share": share, "low": low, "high": high}
                 for kind, _, _, share, low, high in captured_shares(column).iter_rows()]
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


# ---------------------------------------------------------------------------------------------
# Verdicts. Rules fixed with the claims; each is re-checked over joint draws of every feed assumption.

#: Noisier: the share of cards the member would not have chosen rises by 2 points or more; not: by under 0.5.
NOISIER_BY = 0.02
NOT_NOISIER_BY = 0.005


def _both_ways(verdicts: list[str]) -> str:
    """The verdict over both growth scenarios: agreeing ones give theirs; otherwise mixed."""
    return verdicts[0] if len(set(verdicts)) == 1 else "mixed"


def _scenario_rows(table: pl.DataFrame, current: int, claim: str):
    """{scenario: (now, doubled)} rows, or a not-testable verdict at the cap."""
    from helpers.claims import Verdict
    from helpers.model.judging import now_and_larger

    found = {}
    for scenario in SCENARIOS:
        result = now_and_larger(table.filter(pl.col("scenario") == scenario), current, claim)
        if isinstance(result, Verdict):
            return result
        found[scenario] = result
    return found


def judge_more_content(table: pl.DataFrame, current: int):
    """feed-more-content, as written: more of "these articles" (valuable posts by people the member does
    not know, surfaced by a connection's reaction, comment or repost) among the cards the member sees,
    where promoted posts, modules and suggestions take slots too, in both growth scenarios. ``table`` is
    :func:`curves` at (at least) the member's size and twice it."""
    from helpers.claims import Verdict, not_testable

    found = _scenario_rows(table, current, "feed-more-content")
    if isinstance(found, Verdict):
        return found
    if any(at["articles_seen"] <= 0 for at, _, _ in found.values()):
        return not_testable("feed-more-content", "In the model no such article reaches the posts you see at your "
                                                 "network's size, so there is nothing to compare.")
    parts, ratios, lines = [], {}, []
    for scenario, (at, doubled, larger) in found.items():
        ratio = doubled["articles_seen"] / at["articles_seen"]
        ratios[scenario] = ratio
        parts.append(rules.doubling(ratio))
        lines.append(f"{scenario}: {at['articles_seen'] * 30:.1f} a month now, {doubled['articles_seen'] * 30:.1f} at "
                     f"{larger:,} (x{ratio:.2f})")
    at, doubled, larger = found[SCENARIOS[0]]
    evidence = (f"In the model, valuable posts by people you do not know that your connections' reactions, comments "
                f"and reposts put in your feed, among the cards you see: {'; '.join(lines)}. You see about "
                f"{at['seen_per_day']:.1f} cards a day whatever your network's size, {at['share_promoted']:.0%} of "
                f"them promoted; suggestions take {at['share_suggested']:.1%} now and "
                f"{doubled['share_suggested']:.1%} at {larger:,}; all valuable posts seen: {at['valuable_seen']:.2f} a "
                f"day now, {doubled['valuable_seen']:.2f} at {larger:,} (make-up kept).")
    return Verdict("feed-more-content", _both_ways(parts), evidence, {
        "ratio_make_up_kept": ratios[SCENARIOS[0]], "ratio_indiscriminate": ratios[SCENARIOS[1]],
        "articles_now_per_day": at["articles_seen"], "valuable_now": at["valuable_seen"],
        "valuable_doubled": doubled["valuable_seen"], "seen_per_day": at["seen_per_day"],
        "suggested_now": at["share_suggested"], "suggested_doubled": doubled["share_suggested"],
        "reading": "'these articles' are valuable posts by people you do not know that reach you through your "
                   "connections' reactions, comments and reposts, as the blogger's did; 'on my feed' is what you see "
                   "of it, beside the promoted posts, modules and suggestions that take the same slots. The "
                   "re-reading 'a better feed' (all valuable posts seen) is shown beside it and not judged",
        "covers": "the posts surfaced by your connections' activity whose authors are outside your network; the "
                  "shares of what a feed holds were set beside 63 real feed cards, the value of a post is an "
                  "assumption drawn over its range",
        "rule": f"in each growth scenario (make-up kept; indiscriminate), supported if doubling the network raises "
                f"those articles seen a day by at least {rules.DOUBLING_MEANINGFUL - 1:.0%}, not supported if by less "
                f"than {rules.DOUBLING_NONE - 1:.0%}, mixed otherwise; the verdict is the scenarios' when they agree, mixed when "
                f"they do not",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_noise(table: pl.DataFrame, current: int):
    """noise-to-signal, as written: more potential updates (organic candidates a day from the network and
    follows) and a higher noise to signal ratio among the cards seen: a larger share of cards the member
    would not have chosen (promoted posts, LinkedIn modules and organic posts below the valuable threshold;
    the signal is the valuable ones), when the network doubles, in both growth scenarios."""
    from helpers.claims import Verdict

    found = _scenario_rows(table, current, "noise-to-signal")
    if isinstance(found, Verdict):
        return found
    parts, changes, supplies, lines = [], {}, {}, []
    for scenario, (at, doubled, larger) in found.items():
        change = doubled["noise_share"] - at["noise_share"]
        supply = doubled["candidates_per_day"] / max(at["candidates_per_day"], 1e-12)
        changes[scenario], supplies[scenario] = change, supply
        if change < NOT_NOISIER_BY or supply < rules.DOUBLING_NONE:
            parts.append("not supported")
        elif change >= NOISIER_BY and supply >= rules.DOUBLING_MEANINGFUL:
            parts.append("supported")
        else:
            parts.append("mixed")
        lines.append(f"{scenario}: candidates x{supply:.2f}, not chosen {at['noise_share']:.0%} now and "
                     f"{doubled['noise_share']:.0%} at {larger:,} ({change * 100:+.1f} points)")
    at, doubled, larger = found[SCENARIOS[0]]
    low_value = at["noise_share"] - at["share_promoted"] - at["share_modules"]
    evidence = (f"In the model, doubling your network brings more potential updates "
                f"({at['candidates_per_day']:,.0f} candidate posts a day now, {doubled['candidates_per_day']:,.0f} at "
                f"{larger:,}); of the cards you see, those you would not have chosen (promoted "
                f"{at['share_promoted']:.0%}, modules {at['share_modules']:.0%}, posts below the valuable threshold "
                f"{low_value:.0%}): {'; '.join(lines)}.")
    return Verdict("noise-to-signal", _both_ways(parts), evidence, {
        "change_make_up_kept": changes[SCENARIOS[0]], "change_indiscriminate": changes[SCENARIOS[1]],
        "supply_ratio_make_up_kept": supplies[SCENARIOS[0]], "supply_ratio_indiscriminate": supplies[SCENARIOS[1]],
        "noise_now": at["noise_share"], "promoted_now": at["share_promoted"], "modules_now": at["share_modules"],
        "reading": "'more potential updates' are the organic candidates a day from your connections, their activity "
                   "and the people you follow; 'noise' is what you see and would not have chosen: promoted posts, "
                   "LinkedIn modules and posts below the valuable threshold; the signal is the valuable posts",
        "covers": "the feed only (notifications are not modelled); promoted posts and modules were set beside 63 real "
                  "feed cards, whether a post is worth choosing rests on the value assumptions, drawn over their "
                  "ranges",
        "rule": f"in each growth scenario, supported if doubling the network raises the candidates a day by at least "
                f"{rules.DOUBLING_MEANINGFUL - 1:.0%} and the share of cards seen that you would not have chosen by "
                f"{NOISIER_BY * 100:.0f} points or more; not supported if that share rises by less than "
                f"{NOT_NOISIER_BY * 100:.1f} points (or falls) or the candidates rise by less than "
                f"{rules.DOUBLING_NONE - 1:.0%}; mixed otherwise; the verdict is the scenarios' when they agree, mixed when "
                f"they do not",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_selective_feed(strategies_table: pl.DataFrame, tie_margin: float = rules.TIE_MARGIN):
    from helpers.claims import Verdict

    random = strategies_table.filter(pl.col("strategy") == "random").row(0, named=True)
    selective = strategies_table.filter(pl.col("strategy") != "random").sort("valuable_per_added", descending=True)
    best = selective.row(0, named=True)
    outcome = rules.tie(best["valuable_per_added"], random["valuable_per_added"], tie_margin)
    verdict = {"win": "supported", "loss": "not supported", "tie": "mixed"}[outcome]
    evidence = (f"In the model each connection added by the best selective strategy "
                f"({best['strategy'].replace('_', ' ')}) adds "
                f"{best['valuable_per_added'] * 365:.2f} valuable posts seen a year, against "
                f"{random['valuable_per_added'] * 365:.2f} for batch invitations.")
    return Verdict("quality-over-quantity", verdict, evidence, {
        "half": "feed", "best_selective": best["strategy"], "best_per_added": best["valuable_per_added"],
        "random_per_added": random["valuable_per_added"],
        "rule": f"supported if the best selective strategy adds more than {1 + tie_margin:.2f} times the valuable "
                f"posts seen per added connection that batch invitations add; not supported if less than "
                f"{1 - tie_margin:.2f} times; mixed in between",
    })


def verdicts(base: dict[str, int], target: int, params: FeedParams, *, days: int, seed: int) -> list:
    """The three feed verdicts at one setting of the assumptions."""
    from helpers.claims import not_testable
    from helpers.model.judging import too_small

    current = sum(base.values())
    claims = ("feed-more-content", "noise-to-signal", "quality-over-quantity")
    if too_small("feed-more-content", current):
        return [too_small(claim, current) for claim in claims]
    if profile.larger_network(current) == current:
        return [not_testable(claim, f"Your {current:,} connections are at LinkedIn's cap of 30,000: the network cannot "
                                    "grow further.") for claim in claims]
    known = {}
    table = curves(base, sorted({current, profile.larger_network(current)}), params, days=days, seed=seed, known=known)
    found = [judge_more_content(table, current), judge_noise(table, current)]
    if target > current:
        before = known[tuple(sorted(grown(base, current).items()))]
        found.append(judge_selective_feed(strategy_feed(base, target, params, days=days, seed=seed, before=before)))
    else:
        found.append(not_testable("quality-over-quantity", "Your network is at LinkedIn's cap: no strategy can grow it."))
    return found


def robustness(base: dict[str, int], target: int, *, days: int, seed: int, draws: int) -> pl.DataFrame:
    """The feed verdicts at ``draws`` joint settings of every assumption the feed depends on, the value
    assumptions included (see :func:`helpers.model.judging.robustness_table`)."""
    from helpers.model.judging import robustness_table

    return robustness_table(lambda setting: verdicts(base, target, FeedParams.from_setting(setting), days=days,
                                                     seed=seed), ASSUMPTIONS, draws=draws, seed=seed)


# ---------------------------------------------------------------------------------------------
# The command line.

def member_summary(connections: int, *, seed: int, days: int, members: int) -> dict:
    """What the CLI prints for a member of ``connections`` with a typical make-up."""
    found = average_feed(typical_composition(connections), FeedParams.from_assumptions(), days=days, seed=seed,
                         members=members)
    return {
        "connections": connections, "seed": seed, "days": days, "members": members,
        "seen_per_day": found["seen_per_day"], "candidates_per_day": found["candidates_per_day"],
        "connection_posts_per_day": found["connection_posts_per_day"],
        "suggested_candidates_per_day": found["suggested_candidates_per_day"],
        "share_seen": {key: found[f"share_{key}"] for key in SHARE_KEYS},
        "share_out_of_network": found["share_out_of_network"], "noise_share": found["noise_share"],
        "valuable_seen_per_day": found["valuable_seen"], "articles_seen_per_day": found["articles_seen"],
    }


def sample_member() -> dict[str, int]:
    """The make-up of the bundled sample export's member (the report's default member)."""
    from helpers.export import load_export
    from helpers.model.strategies import member_network
    from helpers.paths import resolve

    network = member_network(load_export(resolve("data/sample")), Platform.from_assumptions())
    return composition(max(int(network.companies.size), 1), network.colleague_share, network.same_function_share)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.feed",
                                     description="What a LinkedIn member's feed is made of, by network size.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--connections", type=int, help="the member's connections (1 to 30,000), typical make-up")
    mode.add_argument("--validate", action="store_true",
                      help="set the model beside the captured feed cards and the published figures (pass/fail)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    parser.add_argument("--days", type=int, default=2_000, help="days simulated per member")
    parser.add_argument("--members", type=int, default=8, help="simulated members averaged (who posts varies)")
    args = parser.parse_args(argv)
    if args.days < 1 or args.members < 1:
        parser.error("--days and --members must be at least 1")
    if args.validate:
        feeds = reference_feeds(sample_member(), seed=args.seed, days=args.days, members=args.members,
                                member_label="the sample export's member")
        return 0 if print_validation(validation(feeds)) else 1
    if not 1 <= args.connections <= profile.CONNECTION_CAP:
        parser.error("--connections must be between 1 and 30,000 (LinkedIn's cap)")
    found = member_summary(args.connections, seed=args.seed, days=args.days, members=args.members)
    share = found["share_seen"]
    print(f"A member with {args.connections:,} connections (typical make-up) sees {found['seen_per_day']:.1f} cards "
          f"a day of {found['candidates_per_day']:,.0f} candidate posts ({found['connection_posts_per_day']:,.1f} by "
          f"connections): connections' posts {share['first_degree']:.0%}, followed {share['followed']:.0%}, surfaced "
          f"by connections' activity {share['activity']:.0%} (by people outside the network "
          f"{share['activity_out_of_network']:.0%}), suggested {share['suggested']:.1%}, promoted "
          f"{share['promoted']:.0%}, modules {share['modules']:.0%}.")
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
