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
(``data/feed_captures.csv``), which ``helpers.model.feed_validation`` sets the model beside. The verdicts
on the feed claims are ``helpers.model.feed_verdicts``; ``python -m helpers.model.feed`` is ``helpers.model.feed``.

>>> params = FeedParams.from_assumptions()
>>> feed = simulate_feed(composition(2_400, 0.15, 0.3), params, days=60, seed=1)
>>> round(sum(feed[f"share_{kind}"] for kind in KINDS), 9)
1.0
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache

import numpy as np
import polars as pl
from scipy.special import ndtri

from helpers.evidence.member import Member
from helpers.evidence.profile import CONNECTION_CAP, larger_network
from helpers.model import assumptions
from helpers.model.platform import Platform, closing_share
from helpers.model.typical_member import typical_shares

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
#: The network sizes the feed is read at, from 100 connections to LinkedIn's cap.
CURVE_SIZES = (100, 250, 500, 1000, 2000, 5000, 10000, CONNECTION_CAP)
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
        return closing_share(Platform.from_assumptions(), max(connections, 1), self.clustering_at_100,
                             self.clustering_slope)


def composition(connections: int, colleague_share: float, same_function_share: float) -> dict[str, int]:
    """How many of the member's connections are colleagues, in their function (not colleagues), or other."""
    colleagues = int(round(connections * colleague_share))
    same = int(round((connections - colleagues) * same_function_share))
    return {"colleague": colleagues, "same_function": same, "other_connection": connections - colleagues - same}


def member_composition(member: Member) -> dict[str, int]:
    """The member's own make-up (at least one connection: a feed of nobody is still a feed of suggestions)."""
    return composition(max(member.connections, 1), member.colleague_share, member.same_function_share)


def curve_sizes(current: int) -> list[int]:
    """:data:`CURVE_SIZES` with the member's size and the larger one the claims compare it with."""
    return sorted({*CURVE_SIZES, current, larger_network(current)})


def typical_composition(connections: int) -> dict[str, int]:
    """The make-up of a typical member of that size (``reach.typical_*`` assumptions, as the reach CLI's)."""
    return composition(connections, *typical_shares())


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


@dataclass(frozen=True)
class _MemberDays:
    """What a member's simulated days hold whatever their network: the organic slots of each day, the promoted
    cards and modules shown, the platform's pool of suggestions and the suggestions drawn from it."""

    slots: np.ndarray
    promoted: int
    modules: int
    pool: float
    suggested_day: np.ndarray
    suggested_value: np.ndarray
    suggested_score: np.ndarray


def _key(sequence: np.random.SeedSequence) -> tuple:
    return sequence.entropy, sequence.spawn_key, sequence.pool_size


@lru_cache(maxsize=32)
def _member_days(params: FeedParams, days: int, slot_key: tuple, suggestion_key: tuple) -> _MemberDays:
    """The member's sessions and slots and the day's suggestions, from their own random streams: one draw for
    every network simulated with the same parameters, days and seed (a page simulates several networks)."""
    slot_rng, suggestion_rng = (np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=spawn_key,
                                                                             pool_size=pool_size))
                                for entropy, spawn_key, pool_size in (slot_key, suggestion_key))
    sessions = slot_rng.poisson(params.sessions_per_day, days)
    lengths = 1 + slot_rng.poisson(params.posts_per_session - 1, int(sessions.sum()))
    promoted = session_slots(lengths, params.ad_first_position, params.ad_spacing)
    modules = slot_rng.binomial(lengths - promoted, params.module_share)
    slots = np.bincount(np.repeat(np.arange(days), sessions), lengths - promoted - modules,
                        minlength=days).astype(np.int64)
    # suggestions: the best of the day's pool. How well a day's pool matches the member varies from day to
    # day, and the ranker scores suggestions below network content (its preference for network content).
    pool = np.floor(params.suggested_candidates * sessions)
    s_day, z = _top_of_pool(pool, slots, suggestion_rng)
    s_mean = params.affinity[SOURCES.index("suggested")] + suggestion_rng.normal(0, params.suggested_day_sd,
                                                                                   days)[s_day]
    spread = float(np.hypot(params.topic_sd, params.ranker_noise_sd))
    # a suggestion's value given its score (both normal): the topic term's part of the score's spread
    topic_part, rest_sd = (params.topic_sd**2 / spread, params.topic_sd * params.ranker_noise_sd / spread) \
        if spread else (0.0, 0.0)
    found = _MemberDays(slots, int(promoted.sum()), int(modules.sum()), float(pool.sum()), s_day,
                        s_mean + topic_part * z + suggestion_rng.normal(0, rest_sd, z.size),
                        s_mean - params.suggested_penalty + spread * z)
    for array in (found.slots, found.suggested_day, found.suggested_value, found.suggested_score):
        array.flags.writeable = False  # shared by every call that reads them
    return found


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
    slot_seed, suggestion_seed, candidate_seed, *poster_seeds = sequence.spawn(3 + len(CONNECTION_SOURCES))
    candidate_rng, *poster_rngs = [np.random.default_rng(s) for s in (candidate_seed, *poster_seeds)]
    member_days = _member_days(params, days, *(_key(s) for s in (slot_seed, suggestion_seed)))
    slots = member_days.slots
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

    s_day = member_days.suggested_day
    day = np.concatenate([day, s_day])
    source = np.concatenate([source, np.full(s_day.size, SOURCES.index("suggested"))])
    value = np.concatenate([value, member_days.suggested_value])
    score = np.concatenate([score, member_days.suggested_score])
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
             "promoted": member_days.promoted, "modules": member_days.modules}
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
        "suggested_candidates_per_day": member_days.pool / days,
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


def kinds_long(table: pl.DataFrame) -> pl.DataFrame:
    """A feed table's shares of each kind of card seen, long: ``connections, kind, share`` with the kind's ``label``
    and its ``position`` in :data:`KINDS` (the order the shares stack in)."""
    return (table.select("connections", *[f"share_{kind}" for kind in KINDS])
            .unpivot(index="connections", variable_name="kind", value_name="share")
            .with_columns(pl.col("kind").str.strip_prefix("share_"))
            .with_columns(pl.col("kind").replace_strict(KIND_LABELS).alias("label"),
                          pl.col("kind").replace_strict({kind: i for i, kind in enumerate(KINDS)}).alias("position")))
