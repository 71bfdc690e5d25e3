"""What reaches a member's feed, and what they see of it: an attention-limited feed model.

Each day the candidates are the posts of the member's connections (a few percent of people post,
at heavy-tailed rates), posts by 2nd-degree people surfaced by connections' reactions, and a stream of
followed and out-of-network posts that does not depend on the network. Each post has a value to the
member: its source's mean (colleague, same job function, other connection, 2nd degree, out of network)
plus a topic term; a ranker sees that value with noise and shows the top few, as many as the member's
sessions that day hold. All constants are in ``data/assumptions.toml`` (``feed.*``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from helpers.evidence import profile
from helpers.model import assumptions

SOURCES = ("colleague", "same_function", "other_connection", "second_degree", "out_of_network")
CONNECTION_SOURCES = SOURCES[:3]
#: The noise of the noise-to-signal claim, by source (a definition, not an assumption): posts by other
#: connections, posts their reactions surface, and out-of-network posts; colleagues and people in the
#: member's function are the signal.
LOW_AFFINITY_SOURCES = ("other_connection", "second_degree", "out_of_network")
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


_SIMPLE = ("poster_share", "poster_rate_median", "poster_rate_sigma", "engagements_per_day", "out_of_network_per_day",
           "sessions_per_day", "posts_per_session", "topic_sd", "ranker_noise_sd", "valuable_above")
#: Every feed assumption, by its name in ``data/assumptions.toml``.
ASSUMPTIONS = tuple(f"feed.{name}" for name in _SIMPLE) + tuple(f"feed.affinity.{s}" for s in SOURCES)


@dataclass(frozen=True)
class FeedParams:
    poster_share: float
    poster_rate_median: float
    poster_rate_sigma: float
    engagements_per_day: float
    out_of_network_per_day: float
    sessions_per_day: float
    posts_per_session: float
    affinity: tuple[float, ...]  # per source, in SOURCES order
    topic_sd: float
    ranker_noise_sd: float
    valuable_above: float

    @classmethod
    def from_assumptions(cls, **overrides: float) -> FeedParams:
        values = {name: overrides.get(name, assumptions.value(f"feed.{name}")) for name in _SIMPLE}
        values["affinity"] = tuple(overrides.get(f"affinity.{s}", assumptions.value(f"feed.affinity.{s}"))
                                   for s in SOURCES)
        return cls(**values)

    @classmethod
    def from_setting(cls, setting: dict[str, float]) -> FeedParams:
        """The parameters at a setting of the assumptions ({"feed.topic_sd": 0.4, ...}); others at their value."""
        return cls.from_assumptions(**{name.removeprefix("feed."): value for name, value in setting.items()
                                       if name.startswith("feed.")})

    def with_(self, name: str, value: float) -> FeedParams:
        if name.startswith("affinity."):
            affinity = list(self.affinity)
            affinity[SOURCES.index(name.split(".", 1)[1])] = value
            return replace(self, affinity=tuple(affinity))
        return replace(self, **{name: value})


def composition(connections: int, colleague_share: float, same_function_share: float) -> dict[str, int]:
    """How many of the member's connections are colleagues, in their function (not colleagues), or other."""
    colleagues = int(round(connections * colleague_share))
    same = int(round((connections - colleagues) * same_function_share))
    return {"colleague": colleagues, "same_function": same, "other_connection": connections - colleagues - same}


def grown(base: dict[str, int], size: int, scenario: str = SCENARIOS[0]) -> dict[str, int]:
    """The network at ``size`` connections: ``base`` scaled when smaller or when its make-up is kept;
    when growing indiscriminately, every added connection is an other connection."""
    total = sum(base.values())
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; one of {SCENARIOS}")
    if scenario == SCENARIOS[0] or size <= total:
        return {s: int(round(n * size / max(total, 1))) for s, n in base.items()}
    return {**base, "other_connection": base.get("other_connection", 0) + size - total}


def simulate_feed(counts: dict[str, int], params: FeedParams, *, days: int = 365, seed=None) -> dict[str, float]:
    """Daily averages over ``days`` simulated days for a network with ``counts`` connections per source.

    Returns ``available`` (candidate posts a day), ``seen``, ``mean_value_seen``, ``valuable_seen``
    (posts above the valuable threshold seen a day), ``articles_seen`` (of those, the posts by people the
    member does not know that a connection's reaction surfaced: the blogger's "these articles") and
    ``low_affinity_share`` (of the posts seen, from :data:`LOW_AFFINITY_SOURCES`).
    """
    rng = np.random.default_rng(seed)
    connections = sum(counts.get(s, 0) for s in CONNECTION_SOURCES)
    rates = np.zeros(len(SOURCES))
    for index, source in enumerate(CONNECTION_SOURCES):
        n = counts.get(source, 0)
        posting = rng.random(n) < params.poster_share
        rates[index] = rng.lognormal(np.log(params.poster_rate_median), params.poster_rate_sigma, int(posting.sum())).sum()
    rates[SOURCES.index("second_degree")] = connections * params.engagements_per_day
    rates[SOURCES.index("out_of_network")] = params.out_of_network_per_day
    per_day = rng.poisson(rates, size=(days, len(SOURCES)))
    day = np.repeat(np.repeat(np.arange(days), len(SOURCES)), per_day.ravel())
    source = np.repeat(np.tile(np.arange(len(SOURCES)), days), per_day.ravel())
    value = np.asarray(params.affinity)[source] + rng.normal(0, params.topic_sd, source.size)
    score = value + rng.normal(0, params.ranker_noise_sd, source.size)
    attention = rng.poisson(params.sessions_per_day * params.posts_per_session, days)
    # posts come day by day already: one sort on (day, -score) packed in a float ranks each day's posts
    spread = float(np.abs(score).max(initial=0.0)) + 1.0
    order = np.argsort(day * (4 * spread) - score)
    day, source, value = day[order], source[order], value[order]
    starts = np.searchsorted(day, np.arange(days))
    rank = np.arange(day.size) - starts[day]
    seen = rank < attention[day]
    low = np.isin(source, [SOURCES.index(s) for s in LOW_AFFINITY_SOURCES])
    valuable = value >= params.valuable_above
    shown = max(int(seen.sum()), 1)
    return {
        "available": float(per_day.sum() / days),
        "seen": float(seen.sum() / days),
        "mean_value_seen": float(value[seen].mean()) if seen.any() else 0.0,
        "valuable_seen": float((seen & valuable).sum() / days),
        "articles_seen": float((seen & valuable & (source == SOURCES.index("second_degree"))).sum() / days),
        "low_affinity_share": float((seen & low).sum() / shown),
    }


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
                     "low_affinity_change": after["low_affinity_share"] - before["low_affinity_share"]})
    return pl.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Verdicts. Rules fixed with the claims; each is re-checked over joint draws of every feed assumption.

#: More articles worth the name: +10% a day when the network doubles; none: under +2%.
FEED_MEANINGFUL = 1.10
FEED_NONE = 1.02
#: Noisier: the low-affinity share of what is seen rises by 2 points or more; not: by under 0.5.
NOISIER_BY = 0.02
NOT_NOISIER_BY = 0.005
#: A strategy beats batch invitations when it does more than 5% better; loses when more than 5% worse.
TIE_MARGIN = 0.05


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
    not know, surfaced by a connection's reaction) among the posts the member sees, in both growth
    scenarios. ``table`` is :func:`curves` at (at least) the member's size and twice it."""
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
        parts.append("supported" if ratio >= FEED_MEANINGFUL else "not supported" if ratio < FEED_NONE else "mixed")
        lines.append(f"{scenario}: {at['articles_seen'] * 30:.1f} a month now, {doubled['articles_seen'] * 30:.1f} at "
                     f"{larger:,} (x{ratio:.2f})")
    at, doubled, larger = found[SCENARIOS[0]]
    evidence = (f"In the model, valuable posts by people you do not know that your connections' reactions put in your "
                f"feed, among the posts you see: {'; '.join(lines)}. You see about {at['seen']:.1f} posts a day "
                f"whatever your network's size; all valuable posts seen: {at['valuable_seen']:.2f} a day now, "
                f"{doubled['valuable_seen']:.2f} at {larger:,} (make-up kept).")
    return Verdict("feed-more-content", _both_ways(parts), evidence, {
        "ratio_make_up_kept": ratios[SCENARIOS[0]], "ratio_indiscriminate": ratios[SCENARIOS[1]],
        "articles_now_per_day": at["articles_seen"], "valuable_now": at["valuable_seen"],
        "valuable_doubled": doubled["valuable_seen"], "seen_per_day": at["seen"],
        "reading": "'these articles' are valuable posts by people you do not know that reach you through your "
                   "connections' reactions, as the blogger's did; 'on my feed' is what you see of it. The re-reading "
                   "'a better feed' (all valuable posts seen) is shown beside it and not judged",
        "rule": f"in each growth scenario (make-up kept; indiscriminate), supported if doubling the network raises "
                f"those articles seen a day by at least {FEED_MEANINGFUL - 1:.0%}, not supported if by less than "
                f"{FEED_NONE - 1:.0%}, mixed otherwise; the verdict is the scenarios' when they agree, mixed when "
                f"they do not",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_noise(table: pl.DataFrame, current: int):
    """noise-to-signal: does the low-affinity share of the posts seen rise when the network doubles?"""
    from helpers.claims import Verdict

    found = _scenario_rows(table, current, "noise-to-signal")
    if isinstance(found, Verdict):
        return found
    parts, changes, lines = [], {}, []
    for scenario, (at, doubled, larger) in found.items():
        change = doubled["low_affinity_share"] - at["low_affinity_share"]
        changes[scenario] = change
        parts.append("supported" if change >= NOISIER_BY else "not supported" if change < NOT_NOISIER_BY else "mixed")
        lines.append(f"{scenario}: {at['low_affinity_share']:.0%} now, {doubled['low_affinity_share']:.0%} at "
                     f"{larger:,} ({change * 100:+.1f} points)")
    evidence = ("In the model, the share of what you see that comes from low-affinity sources (other connections, "
                f"their reactions, out-of-network posts): {'; '.join(lines)}.")
    return Verdict("noise-to-signal", _both_ways(parts), evidence, {
        "change_make_up_kept": changes[SCENARIOS[0]], "change_indiscriminate": changes[SCENARIOS[1]],
        "rule": f"in each growth scenario, supported if doubling the network raises the low-affinity share of the "
                f"posts seen by {NOISIER_BY * 100:.0f} points or more, not supported if by less than "
                f"{NOT_NOISIER_BY * 100:.1f}, mixed otherwise; the verdict is the scenarios' when they agree, mixed "
                f"when they do not. Low affinity is a fixed set of sources (other connections, their reactions, "
                f"out-of-network posts), whatever the assumptions",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_selective_feed(strategies_table: pl.DataFrame, tie_margin: float = TIE_MARGIN):
    from helpers.claims import Verdict

    random = strategies_table.filter(pl.col("strategy") == "random").row(0, named=True)
    selective = strategies_table.filter(pl.col("strategy") != "random").sort("valuable_per_added", descending=True)
    best = selective.row(0, named=True)
    if best["valuable_per_added"] > (1 + tie_margin) * random["valuable_per_added"]:
        verdict = "supported"
    elif best["valuable_per_added"] < (1 - tie_margin) * random["valuable_per_added"]:
        verdict = "not supported"
    else:
        verdict = "mixed"
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
    """The feed verdicts at ``draws`` joint settings of every feed assumption (see
    :func:`helpers.model.judging.robustness_table`)."""
    from helpers.model.judging import robustness_table

    return robustness_table(lambda setting: verdicts(base, target, FeedParams.from_setting(setting), days=days,
                                                     seed=seed), ASSUMPTIONS, draws=draws, seed=seed)
