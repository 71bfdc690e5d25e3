"""Who sees a post: an independent-cascade model of a post's audience, and ``python -m helpers.audience``.

A post is shown to each of the author's connections and followers with the feed's view rate; each
viewer reacts or comments with a small probability, and every reaction exposes the post to a share
of the reactor's own connections (the author's 2nd degree; some of them are the author's connections,
by triadic closure), whose reactions expose it further (3rd degree). A viewer may also repost it,
showing it to their own followers. Posts differ in appeal: a lognormal multiplier per post scales
viewing and engaging. All rates are in ``data/assumptions.toml`` (``audience.*``).

Two engines run the same process:

- :func:`simulate_posts`, a branching process at LinkedIn's scale (the graph around one post is
  tree-like but for triadic closure, which is modelled), vectorised over many posts;
- :func:`cascade_on_graph`, the process on an explicit CSR graph, vectorised over runs; a test checks
  the two agree on a generated population. :func:`independent_cascade` is plain IC on CSR, the one
  ``make bench`` compares with NDlib.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from helpers import assumptions, profile
from helpers.claims import Verdict, assumption_ends, now_and_larger
from helpers.platform_reach import Degrees, Platform
from helpers.population import Graph
from helpers.reach import _neighbours, distances

_NAMES = {
    "view_rate": "audience.view_rate", "engage_rate": "audience.engage_rate",
    "spill_rate": "audience.spill_rate", "reshare_rate": "audience.reshare_rate",
    "second_degree_engagement": "audience.second_degree_engagement",
    "follower_extra": "audience.follower_extra", "post_sigma": "audience.post_sigma",
    "repost_view_rate": "audience.repost_view_rate", "spill_degree_cap": "audience.spill_degree_cap",
}


@dataclass(frozen=True)
class AudienceParams:
    view_rate: float  # chance a connection or follower sees the post in its lifetime
    engage_rate: float  # chance a viewer reacts or comments
    spill_rate: float  # share of a reactor's connections the reaction shows the post to
    reshare_rate: float  # chance a viewer reposts it
    second_degree_engagement: float  # how much less likely a 2nd-degree viewer is to react
    follower_extra: float  # followers who are not connections, per connection
    post_sigma: float  # spread of posts' appeal (sd of log multiplier)
    repost_view_rate: float  # chance that a reposter's connection sees the repost
    spill_degree_cap: float  # a reaction or repost reaches no more people than one with this many connections
    triadic: float  # share of a reactor's connections who are also the author's

    @classmethod
    def from_assumptions(cls, **overrides: float) -> AudienceParams:
        unknown = set(overrides) - set(_NAMES) - {"triadic"}
        if unknown:
            raise ValueError(f"unknown audience settings {sorted(unknown)}")
        values = {f: overrides.get(f, assumptions.value(n)) for f, n in _NAMES.items()}
        values["triadic"] = overrides.get("triadic", assumptions.value("reach.triadic_share"))
        return cls(**values)

    def with_(self, **changes: float) -> AudienceParams:
        return replace(self, **changes)


@dataclass(frozen=True)
class Posts:
    """Views of many simulated posts, by where the viewer sits relative to the author."""

    first: np.ndarray
    second: np.ndarray
    third: np.ndarray
    reshared: np.ndarray
    audience: int  # connections plus followers who are not connections

    @property
    def views(self) -> np.ndarray:
        return self.first + self.second + self.third

    def summary(self) -> dict[str, float]:
        views = self.views
        total = max(int(views.sum()), 1)
        return {
            "posts": int(views.size),
            "median_views": float(np.median(views)),
            "mean_views": float(views.mean()),
            "p05_views": float(np.quantile(views, 0.05)),
            "p95_views": float(np.quantile(views, 0.95)),
            "p_views_ge_1000": float((views >= 1000).mean()),
            "share_views_1st_degree": float(self.first.sum() / total),
            "share_of_audience_seeing": float(self.first.mean() / max(self.audience, 1)),
            "share_views_2nd_degree": float(self.second.sum() / total),
            "share_views_3rd_degree": float(self.third.sum() / total),
            "share_cascades_without_reshare": float((~self.reshared).mean()),
        }


def _per_post(counts: np.ndarray, owner: np.ndarray, posts: int) -> np.ndarray:
    return np.bincount(owner, weights=counts, minlength=posts)


def _spill(reactors: np.ndarray, spill: float, cap: float, degrees: Degrees, rng: np.random.Generator,
           posts: int) -> np.ndarray:
    """People shown the post by each post's reactors: sum over reactors of Binomial(min(d - 1, cap), spill)."""
    owner = np.repeat(np.arange(posts), reactors.astype(np.int64))
    if owner.size == 0:
        return np.zeros(posts)
    d = np.minimum(degrees.size_biased(owner.size, rng) - 1, cap)
    return _per_post(rng.binomial(np.maximum(d, 0).astype(np.int64), spill), owner, posts)


def simulate_posts(connections: int, params: AudienceParams, *, posts: int = 20_000, seed=None,
                   degrees: Degrees | None = None, scale: float = 1.0) -> Posts:
    """Simulate ``posts`` posts by a member with ``connections`` connections (a branching process).

    ``scale`` multiplies the view and engagement rates (a member's own calibration).
    """
    rng = np.random.default_rng(seed)
    if degrees is None:
        platform = Platform.from_assumptions()
        degrees = Degrees(platform.degree_median, platform.degree_sigma, platform.degree_cap, seed=0)
    t = params.triadic
    appeal = scale * rng.lognormal(-params.post_sigma**2 / 2, params.post_sigma, posts)
    audience = int(round(connections * (1 + params.follower_extra)))
    view = np.minimum(1.0, params.view_rate * appeal)
    engage = np.minimum(1.0, params.engage_rate * appeal)
    first = rng.binomial(audience, view).astype(float)
    reactors_1 = rng.binomial(first.astype(np.int64), engage)
    cap = params.spill_degree_cap
    shown = _spill(reactors_1, params.spill_rate, cap, degrees, rng, posts)
    # a share t of the reactors' connections are the author's own; those not yet reached now see it
    back = rng.binomial(shown.astype(np.int64), t)
    unseen = np.clip(1 - first / max(audience, 1), 0, 1)
    first = first + rng.binomial(back, unseen)
    second = shown - back
    reactors_2 = rng.binomial(second.astype(np.int64), np.minimum(1.0, engage * params.second_degree_engagement))
    third = _spill(reactors_2, params.spill_rate, cap, degrees, rng, posts) * (1 - t)
    # reposts: each reposter shows it to their own followers at the view rate (1st -> 2nd, 2nd -> 3rd degree)
    reposts_1 = rng.binomial(first.astype(np.int64), np.minimum(1.0, params.reshare_rate * appeal))
    reposts_2 = rng.binomial(second.astype(np.int64), np.minimum(1.0, params.reshare_rate * appeal))
    second = second + _spill(reposts_1, params.repost_view_rate, cap, degrees, rng, posts) * (1 - t)
    third = third + _spill(reposts_2, params.repost_view_rate, cap, degrees, rng, posts) * (1 - t)
    return Posts(first, np.round(second), np.round(third), (reposts_1 + reposts_2) > 0, audience)


def fit_scale(connections: np.ndarray, impressions: np.ndarray, params: AudienceParams, *, seed: int,
              degrees: Degrees | None = None) -> float:
    """The multiplier of view and engagement rates that makes the model's median views at each post's
    network size match the member's own impressions (geometric mean of the ratios, iterated)."""
    connections, impressions = np.asarray(connections, dtype=float), np.asarray(impressions, dtype=float)
    scale = 1.0
    for _ in range(4):
        predicted = np.array([np.median(simulate_posts(int(k), params, posts=2000, seed=seed, degrees=degrees,
                                                       scale=scale).views) for k in np.unique(connections)])
        lookup = dict(zip(np.unique(connections), np.maximum(predicted, 1)))
        ratio = float(np.exp(np.mean(np.log(np.maximum(impressions, 1) / np.array([lookup[k] for k in connections])))))
        scale *= ratio
        if abs(ratio - 1) < 0.02:
            break
    return scale


# ---------------------------------------------------------------------------------------------
# The same process on explicit graphs (CSR), vectorised over runs


def independent_cascade(graph: Graph, source: int, probability: float, *, runs: int, seed=None) -> np.ndarray:
    """Plain independent cascade from ``source`` with one edge probability: final size per run
    (the source included). Each newly active node tries each inactive neighbour once."""
    rng = np.random.default_rng(seed)
    active = np.zeros((runs, graph.n), dtype=bool)
    active[:, source] = True
    run_of = np.arange(runs)
    node_of = np.full(runs, source)
    while node_of.size:
        starts = graph.indptr[node_of]
        lengths = graph.indptr[node_of + 1] - starts
        targets = _neighbours(graph, node_of)
        runs_of_targets = np.repeat(run_of, lengths)
        hit = rng.random(targets.size) < probability
        runs_of_targets, targets = runs_of_targets[hit], targets[hit]
        fresh = ~active[runs_of_targets, targets]
        runs_of_targets, targets = runs_of_targets[fresh], targets[fresh]
        flat = np.unique(runs_of_targets.astype(np.int64) * graph.n + targets)
        run_of, node_of = flat // graph.n, flat % graph.n
        active[run_of, node_of] = True
    return active.sum(axis=1)


def cascade_on_graph(graph: Graph, source: int, params: AudienceParams, *, runs: int, seed=None) -> Posts:
    """The audience process on an explicit graph: views by BFS distance from the author."""
    rng = np.random.default_rng(seed)
    distance = distances(graph, source, depth=3)
    appeal = rng.lognormal(-params.post_sigma**2 / 2, params.post_sigma, runs)
    seen = np.zeros((runs, graph.n), dtype=bool)
    first_hop = _neighbours(graph, np.array([source]))
    run_of = np.repeat(np.arange(runs), first_hop.size)
    node_of = np.tile(first_hop, runs)
    keep = rng.random(node_of.size) < np.minimum(1, params.view_rate * appeal[run_of])
    run_of, node_of = run_of[keep], node_of[keep]
    seen[run_of, node_of] = True
    while run_of.size:
        engage = np.minimum(1, params.engage_rate * appeal[run_of]
                            * np.where(distance[node_of] >= 2, params.second_degree_engagement, 1.0))
        reacting = rng.random(run_of.size) < engage
        r_run, r_node = run_of[reacting], node_of[reacting]
        lengths = graph.indptr[r_node + 1] - graph.indptr[r_node]
        targets = _neighbours(graph, r_node)
        t_run = np.repeat(r_run, lengths)
        hit = rng.random(targets.size) < params.spill_rate
        t_run, targets = t_run[hit], targets[hit]
        fresh = ~seen[t_run, targets] & (targets != source)
        flat = np.unique(t_run[fresh].astype(np.int64) * graph.n + targets[fresh])
        run_of, node_of = flat // graph.n, flat % graph.n
        seen[run_of, node_of] = True
    by_distance = [(seen & (distance == d)).sum(axis=1) for d in (1, 2)]
    beyond = (seen & ((distance >= 3) | (distance < 0))).sum(axis=1)
    return Posts(by_distance[0].astype(float), by_distance[1].astype(float), beyond.astype(float),
                 np.zeros(runs, dtype=bool), int(first_hop.size))


# ---------------------------------------------------------------------------------------------
# Verdicts (model halves). Rules fixed with the claims; each is re-checked across every assumption.

#: A wider audience worth the name: +10% median views when the network doubles; none: under +2%.
AUDIENCE_MEANINGFUL = 1.10
AUDIENCE_NONE = 1.02
TARGET_VIEWS = 1_000
EVEN_ODDS_GRID = (250, 500, 1000, 2000, 3500, 5000, 7500, 10000, 15000, 20000, 30000)


def views_table(params: AudienceParams, sizes, *, posts: int, seed: int, degrees: Degrees | None = None,
                scale: float = 1.0) -> pl.DataFrame:
    """Median, 90% band, mean and P(views >= 1,000) of posts at each network size (same seed each)."""
    from helpers.stats import wilson

    rows = []
    for size in sizes:
        simulated = simulate_posts(int(size), params, posts=posts, seed=seed, degrees=degrees, scale=scale)
        views = simulated.views
        hits = int((views >= TARGET_VIEWS).sum())
        low, high = wilson(hits, views.size)
        total = max(views.sum(), 1)
        rows.append({"connections": int(size), "median": float(np.median(views)),
                     "p05": float(np.quantile(views, 0.05)), "p95": float(np.quantile(views, 0.95)),
                     "mean": float(views.mean()), "p1000": hits / views.size, "p1000_low": low, "p1000_high": high,
                     "first": float(simulated.first.sum() / total), "second": float(simulated.second.sum() / total),
                     "third": float(simulated.third.sum() / total)})
    return pl.DataFrame(rows)


def even_odds(table) -> int | None:
    """The network size at which P(views >= 1,000) reaches one half (log interpolation), or None."""
    sizes, p = table["connections"].to_numpy(), table["p1000"].to_numpy()
    above = np.flatnonzero(p >= 0.5)
    if not above.size:
        return None
    i = int(above[0])
    if i == 0:
        return int(sizes[0])
    x0, x1, y0, y1 = np.log(sizes[i - 1]), np.log(sizes[i]), p[i - 1], p[i]
    return int(round(np.exp(x0 + (0.5 - y0) * (x1 - x0) / (y1 - y0))))


def judge_audience_model(table: pl.DataFrame, current: int) -> Verdict:
    found = now_and_larger(table, current, "wider-post-audience")
    if isinstance(found, Verdict):
        return found
    at, doubled, larger = found
    ratio = doubled["median"] / max(at["median"], 1)
    verdict = ("supported" if ratio >= AUDIENCE_MEANINGFUL else "not supported" if ratio < AUDIENCE_NONE
               else "mixed")
    evidence = (f"In the model a typical post of yours reaches {at['median']:,.0f} people now "
                f"(90% of posts {at['p05']:,.0f}-{at['p95']:,.0f}) and {doubled['median']:,.0f} at {larger:,} "
                f"connections (x{ratio:.2f}).")
    return Verdict("wider-post-audience", verdict, evidence, {
        "median_now": at["median"], "median_doubled": doubled["median"], "ratio": ratio, "current": current,
        "rule": f"supported if doubling the network raises a typical post's views by at least "
                f"{AUDIENCE_MEANINGFUL - 1:.0%}; not supported if by less than {AUDIENCE_NONE - 1:.0%}; mixed otherwise",
    })


def judge_views_model(table: pl.DataFrame) -> Verdict:
    at = table.filter(table["connections"] == 500).row(0, named=True)
    needed = even_odds(table)
    verdict = ("supported" if at["p1000_low"] > 0.5 else "not supported" if at["p1000_high"] < 0.5 else "mixed")
    odds = (f"even odds of 1,000 views need about {needed:,} connections" if needed else
            "even at 30,000 connections the odds stay below one half")
    evidence = (f"In the model, {at['p1000']:.1%} of posts by a member with 500 connections reach 1,000 views "
                f"(95% CI {at['p1000_low']:.1%}-{at['p1000_high']:.1%}; typical post {at['median']:,.0f}); {odds}.")
    return Verdict("views-1000-at-500", verdict, evidence, {
        "p_views_ge_1000_at_500": at["p1000"], "ci_low": at["p1000_low"], "ci_high": at["p1000_high"],
        "connections_for_even_odds": needed, "median_views_at_500": at["median"],
        "rule": "supported if, at 500 connections, the 95% interval of the share of posts reaching 1,000 views lies "
                "above one half; not supported if below one half; mixed otherwise",
    })


def sensitivity(current: int, params: AudienceParams, *, posts: int, seed: int) -> pl.DataFrame:
    """Both audience verdicts with every audience assumption, and the degree distribution's, at each end."""
    platform = Platform.from_assumptions()
    sizes = sorted({500, current, profile.larger_network(current)})
    rows = []
    names = [*_NAMES.values(), "reach.triadic_share", "reach.degree_median", "reach.degree_sigma"]
    for name, end, setting in assumption_ends(names):
        field = next((f for f, n in _NAMES.items() if n == name), None)
        moved = params.with_(**{field: setting}) if field else \
            params.with_(triadic=setting) if name == "reach.triadic_share" else params
        degrees = None
        if name in ("reach.degree_median", "reach.degree_sigma"):
            changed = platform.with_(**{name.split(".")[1]: setting})
            degrees = Degrees(changed.degree_median, changed.degree_sigma, changed.degree_cap, seed=0)
        table = views_table(moved, sizes, posts=posts, seed=seed, degrees=degrees)
        for verdict in (judge_audience_model(table, current), judge_views_model(table)):
            rows.append({"assumption": name, "end": end, "setting": setting, "claim": verdict.id,
                         "verdict": verdict.verdict})
    return pl.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Simulate the audience of a member's posts.")
    parser.add_argument("--connections", type=int, required=True, help="the member's connections")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    parser.add_argument("--runs", type=int, default=20_000, help="posts simulated")
    args = parser.parse_args(argv)
    if not 1 <= args.connections <= 30_000:
        parser.error("--connections must be between 1 and 30,000 (LinkedIn's cap)")
    posts = simulate_posts(args.connections, AudienceParams.from_assumptions(), posts=args.runs, seed=args.seed)
    summary = posts.summary()
    print(f"{args.runs:,} posts by a member with {args.connections:,} connections: median "
          f"{summary['median_views']:,.0f} views, {summary['p_views_ge_1000']:.1%} reach 1,000.")
    print(json.dumps({"connections": args.connections, "seed": args.seed, "runs": args.runs, **summary}))
    return 0



if __name__ == "__main__":
    sys.exit(main())
