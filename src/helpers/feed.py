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

from helpers import assumptions, profile

SOURCES = ("colleague", "same_function", "other_connection", "second_degree", "out_of_network")
CONNECTION_SOURCES = SOURCES[:3]
#: What each growth strategy adds to the feed's sources (share of added connections per source).
STRATEGY_SOURCES = {
    "colleague": {"colleague": 1.0},
    "friend_of_friend": {"other_connection": 1.0},
    "same_title": {"same_function": 1.0},
    "same_industry": {"same_function": 0.5, "other_connection": 0.5},
    "event": {"other_connection": 1.0},
    "random": {"other_connection": 1.0},
}


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
    low_affinity_below: float

    @classmethod
    def from_assumptions(cls, **overrides: float) -> FeedParams:
        simple = ("poster_share", "poster_rate_median", "poster_rate_sigma", "engagements_per_day",
                  "out_of_network_per_day", "sessions_per_day", "posts_per_session", "topic_sd",
                  "ranker_noise_sd", "valuable_above", "low_affinity_below")
        values = {name: overrides.get(name, assumptions.value(f"feed.{name}")) for name in simple}
        values["affinity"] = tuple(overrides.get(f"affinity.{s}", assumptions.value(f"feed.affinity.{s}"))
                                   for s in SOURCES)
        return cls(**values)

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


def simulate_feed(counts: dict[str, int], params: FeedParams, *, days: int = 365, seed=None) -> dict[str, float]:
    """Daily averages over ``days`` simulated days for a network with ``counts`` connections per source.

    Returns ``available`` (candidate posts a day), ``seen``, ``mean_value_seen``, ``valuable_seen``
    (posts above the valuable threshold seen a day) and ``low_affinity_share`` (of the posts seen).
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
    order = np.lexsort((-score, day))
    day, source, value = day[order], source[order], value[order]
    starts = np.searchsorted(day, np.arange(days))
    rank = np.arange(day.size) - starts[day]
    seen = rank < attention[day]
    low = np.asarray(params.affinity)[source] < params.low_affinity_below
    shown = max(int(seen.sum()), 1)
    return {
        "available": float(per_day.sum() / days),
        "seen": float(seen.sum() / days),
        "mean_value_seen": float(value[seen].mean()) if seen.any() else 0.0,
        "valuable_seen": float((seen & (value >= params.valuable_above)).sum() / days),
        "low_affinity_share": float((seen & low).sum() / shown),
    }


def feed_curve(base: dict[str, int], sizes, params: FeedParams, *, days: int, seed: int) -> pl.DataFrame:
    """The feed at each network size in ``sizes``, the network's make-up kept."""
    total = sum(base.values())
    rows = []
    for size in sizes:
        counts = {s: int(round(n * size / total)) for s, n in base.items()}
        rows.append({"connections": int(size), **simulate_feed(counts, params, days=days, seed=seed)})
    return pl.DataFrame(rows)


def strategy_feed(base: dict[str, int], target: int, params: FeedParams, *, days: int, seed: int) -> pl.DataFrame:
    """The feed after growing to ``target`` connections by each strategy, and the change per added connection."""
    current = sum(base.values())
    before = simulate_feed(base, params, days=days, seed=seed)
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
# Verdicts. Rules fixed with the claims; each is re-checked across every assumption.

#: More valuable posts worth the name: +10% a day when the network doubles; none: under +2%.
FEED_MEANINGFUL = 1.10
FEED_NONE = 1.02
#: Noisier: the low-affinity share of what is seen rises by 2 points or more; not: by under 0.5.
NOISIER_BY = 0.02
NOT_NOISIER_BY = 0.005


def judge_more_content(curve: pl.DataFrame, current: int):
    from helpers.claims import Verdict, now_and_larger

    found = now_and_larger(curve, current, "feed-more-content")
    if isinstance(found, Verdict):
        return found
    at, doubled, larger = found
    ratio = doubled["valuable_seen"] / max(at["valuable_seen"], 1e-9)
    verdict = "supported" if ratio >= FEED_MEANINGFUL else "not supported" if ratio < FEED_NONE else "mixed"
    evidence = (f"In the model you see about {at['seen']:.1f} posts a day whatever your network's size; of them "
                f"{at['valuable_seen']:.2f} a day are valuable now and {doubled['valuable_seen']:.2f} at "
                f"{larger:,} connections (x{ratio:.2f}), because the feed has more good posts to pick from "
                f"({at['available']:,.0f} vs {doubled['available']:,.0f} candidates a day).")
    return Verdict("feed-more-content", verdict, evidence, {
        "valuable_now": at["valuable_seen"], "valuable_doubled": doubled["valuable_seen"], "ratio": ratio,
        "seen_per_day": at["seen"],
        "rule": f"supported if doubling the network raises the valuable posts seen a day by at least "
                f"{FEED_MEANINGFUL - 1:.0%}; not supported if by less than {FEED_NONE - 1:.0%}; mixed otherwise",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_noise(curve: pl.DataFrame, current: int):
    from helpers.claims import Verdict, now_and_larger

    found = now_and_larger(curve, current, "noise-to-signal")
    if isinstance(found, Verdict):
        return found
    at, doubled, larger = found
    change = doubled["low_affinity_share"] - at["low_affinity_share"]
    verdict = "supported" if change >= NOISIER_BY else "not supported" if change < NOT_NOISIER_BY else "mixed"
    evidence = (f"In the model {at['low_affinity_share']:.0%} of what you see comes from low-affinity sources "
                f"(other connections, their reactions, out-of-network posts) now and "
                f"{doubled['low_affinity_share']:.0%} at {larger:,} connections ({change * 100:+.1f} points).")
    return Verdict("noise-to-signal", verdict, evidence, {
        "low_affinity_now": at["low_affinity_share"], "low_affinity_doubled": doubled["low_affinity_share"],
        "change": change,
        "rule": f"supported if doubling the network raises the low-affinity share of the posts seen by "
                f"{NOISIER_BY * 100:.0f} points or more; not supported if by less than {NOT_NOISIER_BY * 100:.1f}; "
                f"mixed otherwise",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_selective_feed(strategies_table: pl.DataFrame, tie_margin: float = 0.05):
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
    evidence = (f"In the model each connection added by {best['strategy'].replace('_', ' ')} adds "
                f"{best['valuable_per_added'] * 365:.2f} valuable posts seen a year, against "
                f"{random['valuable_per_added'] * 365:.2f} for batch invitations.")
    return Verdict("quality-over-quantity", verdict, evidence, {
        "half": "feed", "best_selective": best["strategy"], "best_per_added": best["valuable_per_added"],
        "random_per_added": random["valuable_per_added"],
        "rule": f"supported if some selective strategy adds more valuable posts seen per added connection than "
                f"batch invitations (by more than {tie_margin:.0%}); not supported if batch invitations add more; "
                f"mixed within {tie_margin:.0%}",
    })


def sensitivity(base: dict[str, int], target: int, params: FeedParams, *, days: int, seed: int) -> pl.DataFrame:
    """The three feed verdicts with every feed assumption at each end of its range."""
    from helpers import assumptions
    from helpers.claims import assumption_ends

    current = sum(base.values())
    names = [n for n in assumptions.load() if n.startswith("feed.")]
    rows = []
    for name, end, setting in assumption_ends(names):
        moved = params.with_(name.removeprefix("feed."), setting)
        curve = feed_curve(base, sorted({current, profile.larger_network(current)}), moved, days=days, seed=seed)
        table = strategy_feed(base, target, moved, days=days, seed=seed) if target > current else None
        found = [judge_more_content(curve, current), judge_noise(curve, current)]
        found += [judge_selective_feed(table)] if table is not None else []
        for verdict in found:
            rows.append({"assumption": name, "end": end, "setting": setting, "claim": verdict.id,
                         "verdict": verdict.verdict})
    return pl.DataFrame(rows)
