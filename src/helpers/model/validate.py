"""Validate the reach model on real social graphs: ``python -m helpers.model.validate`` (``make validate``).

For each sampled ego, every edge but the ego's own list is hidden: the model gets the ego's alters
with their attributes (what an export gives) and the population's aggregate facts (size, degree
distribution, attribute-group sizes, local clustering and the mean degree of connections by degree), and
predicts the 2nd and 3rd degree; an exact BFS on the real graph gives the truth. The overlap laws were
fitted on every graph in ``../shared/datasets`` (``helpers.model.mechanisms``), so a graph's error under the
committed fit is in-sample; the out-of-sample figure refits the laws without that graph (leave one graph
out) and predicts it. Egos are drawn among everyone with a tie and, as LinkedIn's members have hundreds of
connections, among people with ``MEMBER_DEGREE`` (50) friends or more (``--min-degree``). Errors are reported
where LinkedIn is (egos whose true 2nd degree covers under 20% of their graph) and by ego-degree quintile,
besides pooled, per graph and over the schools and over the large networks, each beside the friend-count floor
(the model's error less the floor's with a paired-bootstrap interval over the egos: :func:`over_floor`) and with
how often the truth lies in the band of the prediction's runs.

Also measures, on the real graphs themselves, what the claims are about: how the 2nd degree grows
with the 1st across nodes, and what one added tie does to a node's 2nd degree, by strategy.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from helpers.evidence import stats
from helpers.model.mechanisms import (MEMBER_DEGREE, MIN_KNOWN_SHARE, PARAMETERS, GraphFileError, RealGraph, fit,
                                      graph_files, load_graph, observe_folder, sample_egos)
from helpers.model.overlap_laws import MECHANISMS_FILE, Mechanisms, fitted_mechanisms
from helpers.model.reach import distances, layer_counts, naive_second_degree, predict_ego, saturating_second_degree
from helpers.paths import DATA_DIR

SUMMARY_FILE = DATA_DIR / "validation_summary.csv"
EXPERIMENTS_FILE = DATA_DIR / "real_graph_experiments.csv"
#: An ego is in LinkedIn's regime when its true 2nd degree covers less than this share of its graph.
UNSATURATED = 0.2
#: Settings of the observations behind the committed fit (``helpers.model.mechanisms``), reused for its refits.
FIT_EGOS, FIT_SEED = 200, 20261122
#: A graph of at least this many people is a large network (LinkedIn's 2nd degrees are a small share of it).
LARGE_GRAPH = 30_000
#: The school graphs (the Facebook100 colleges) are named with this prefix: a label of the reports only.
SCHOOL_PREFIX = "fb100-"
#: The floor of any prediction from the friend count alone: the median true 2nd degree of the ``ORACLE_NEIGHBOURS``
#: people nearest in friend count among ``ORACLE_REFERENCE`` others of the same graph (their truth is known to it,
#: which the model's never is).
ORACLE_REFERENCE, ORACLE_NEIGHBOURS = 600, 20
#: What the version before the friends' own groups (commit f6ef7d3: focus weights read from the person predicted)
#: gave out of sample among people with ``MEMBER_DEGREE`` or more friends: the reach page sets the summary beside it.
PREVIOUS_AT_MEMBERS = {"musae-github": {"l2_median_abs_error": 0.2549, "l2_median_signed_error": -0.1084,
                                        "l2_median_abs_error_known_degrees": 0.1025},
                       "snap-slashdot0902": {"l2_median_abs_error": 0.1428},
                       "all schools": {"l2_median_abs_error": 0.0563, "l3_median_abs_error": 0.1176}}
#: The band of a prediction's runs (the alters' degrees drawn): from the 5% to the 95% of them.
BAND = (0.05, 0.95)
#: The interval of the model's error less the floor's: a paired bootstrap over the egos (this many resamples, this
#: seed, the 5% and the 95% of them), so that "no worse than the floor" is read with the noise of the egos drawn.
FLOOR_RESAMPLES, FLOOR_SEED = 1000, 20261204


def degree_oracle(real: RealGraph, egos: np.ndarray, seed, reference: int = ORACLE_REFERENCE,
                  neighbours: int = ORACLE_NEIGHBOURS, min_degree: int = 1) -> np.ndarray:
    """For each ego, the median true 2nd degree of the ``neighbours`` people of the same graph nearest to it
    in log friend count, among ``reference`` people drawn at random among those with ``min_degree`` friends or
    more, as the egos are (the ego itself left out).

    No predictor that knows only a person's friend count (and the graph's aggregates) can be expected to do
    better than this one, which also knows the graph's own answer for people like them: its error is the
    floor the model's error is read against. BFS per reference person; the draw has its own stream.
    """
    rng = np.random.default_rng([*np.atleast_1d(seed).tolist(), 0x0A])
    degree = real.graph.degree()
    candidates = np.flatnonzero(degree >= max(min_degree, 1))
    people = rng.choice(candidates, size=min(reference, candidates.size), replace=False)
    second = np.array([layer_counts(real.graph, int(p), depth=2)[1] for p in people], dtype=float)
    log_degree = np.log(degree[people])
    found = np.empty(len(egos))
    for index, ego in enumerate(np.asarray(egos)):
        distance = np.abs(log_degree - np.log(degree[ego]))
        distance[people == ego] = np.inf
        take = min(neighbours, int(np.isfinite(distance).sum()))
        found[index] = np.median(second[np.argsort(distance, kind="stable")[:take]]) if take else np.nan
    return found


def validate_graph(real: RealGraph, egos: int, seed: int, runs: int, mechanisms: Mechanisms | None = None,
                   oracle: np.ndarray | None = None, min_degree: int = 1) -> pl.DataFrame:
    """One row per sampled ego (drawn among people with ``min_degree`` friends or more): ``ego, l1, l2_true,
    l2_pred, l3_true, l3_pred``, the band of the runs (``l2_low``, ``l2_high``, ``l3_low``, ``l3_high``: :data:`BAND`
    of them), the two baselines, the graph's size and, as diagnostics, the prediction had the
    alters' true degrees been known (``l2_known_degrees``, ``l3_known_degrees``) and the floor of a prediction
    from the friend count alone (``l2_degree_oracle``, :func:`degree_oracle`; pass ``oracle`` to reuse it for the
    same egos). The egos depend only on ``seed``; predictions draw from a stream of their own."""
    chosen = sample_egos(real, egos, seed, min_degree)
    oracle = degree_oracle(real, chosen, seed, min_degree=min_degree) if oracle is None else oracle
    facts = real.facts
    mechanisms = mechanisms or fitted_mechanisms()
    degree = real.graph.degree()
    rows = []
    for index, ego in enumerate(chosen):
        truth = layer_counts(real.graph, int(ego))
        alters = real.graph.indices[real.graph.indptr[ego]: real.graph.indptr[ego + 1]]
        predicted = predict_ego(facts, real.groups[alters], mechanisms=mechanisms, runs=runs,
                                seed=[seed, index])
        # diagnostic only: the same model told the alters' true degrees
        known = predict_ego(facts, real.groups[alters], mechanisms=mechanisms, runs=1,
                            seed=[seed, index], alter_degrees=degree[alters])
        l2_band, l3_band = (np.quantile(values, BAND) for values in (predicted.l2_runs, predicted.l3_runs))
        rows.append({
            "ego": int(ego), "l1": truth[0], "l2_true": truth[1], "l2_pred": predicted.l2,
            "l3_true": truth[2], "l3_pred": predicted.l3, "l2_low": float(l2_band[0]), "l2_high": float(l2_band[1]),
            "l3_low": float(l3_band[0]), "l3_high": float(l3_band[1]),
            "l2_naive": naive_second_degree(truth[0], facts),
            "l2_saturating": saturating_second_degree(truth[0], facts),
            "nodes": real.graph.n, "l2_known_degrees": known.l2, "l2_degree_oracle": float(oracle[index]),
            "l3_known_degrees": known.l3,
        })
    return pl.DataFrame(rows)


def _error(predicted: str, truth: str) -> pl.Expr:
    return (pl.col(predicted) - pl.col(truth)) / pl.col(truth)


def regimes(rows: pl.DataFrame) -> list[tuple[str, pl.DataFrame, dict]]:
    """The egos by regime: all, unsaturated (2nd degree under 20% of the graph), and ego-degree quintiles
    (edges from these egos' own degrees)."""
    rows = rows.filter(pl.col("l2_true") > 0)
    found = [("all", rows, {}),
             ("unsaturated", rows.filter(pl.col("l2_true") < UNSATURATED * pl.col("nodes")), {})]
    if rows.height >= 5:
        edges = np.quantile(rows["l1"].to_numpy(), [0.2, 0.4, 0.6, 0.8])
        quintile = np.searchsorted(edges, rows["l1"].to_numpy(), side="left")
        for q in range(5):
            part = rows.filter(pl.Series(quintile == q))
            if part.height:
                span = {"k_low": int(part["l1"].min()), "k_high": int(part["l1"].max())}
                found.append((f"degree q{q + 1}", part, span))
    return found


def over_floor(model: np.ndarray, floor: np.ndarray) -> tuple[float, float, float]:
    """The model's median absolute error less the floor's on the same egos, and its 90% interval by a paired
    bootstrap over the egos (:data:`FLOOR_RESAMPLES`, :data:`FLOOR_SEED`): positive is worse than the floor.

    >>> over_floor(np.array([0.1, 0.2, 0.3]), np.array([0.1, 0.2, 0.3]))
    (0.0, 0.0, 0.0)
    """
    model, floor = np.abs(np.asarray(model, dtype=float)), np.abs(np.asarray(floor, dtype=float))
    low, high = stats.bootstrap_interval(np.arange(model.size), lambda egos: np.median(model[egos])
                                         - np.median(floor[egos]), seed=FLOOR_SEED, resamples=FLOOR_RESAMPLES,
                                         level=0.9)
    return float(np.median(model) - np.median(floor)), low, high


def against_floor(line: dict) -> str:
    """A summary line's model error beside the floor's, in words (``l2_error_over_floor`` and its interval).

    >>> line = {"l2_error_over_floor": 0.011, "l2_error_over_floor_low": -0.035, "l2_error_over_floor_high": 0.051}
    >>> against_floor(line)
    '1.1 points worse than the floor (90% of redraws of the people: from 3.5 better to 5.1 worse)'
    """
    def signed(value: float) -> tuple[float, str]:
        points = round(100 * value, 1) + 0.0
        return abs(points), "worse" if points > 0 else "better"

    size, way = signed(line["l2_error_over_floor"])
    low, high = (signed(line[f"l2_error_over_floor_{end}"]) for end in ("low", "high"))
    level = "level with the floor" if size == 0 else f"{size:.1f} points {way} than the floor"
    return f"{level} (90% of redraws of the people: from {low[0]:.1f} {low[1]} to {high[0]:.1f} {high[1]})"


def _inside(part: pl.DataFrame, layer: str) -> float:
    """Share of the egos whose true ``layer`` degree lies in the band of the prediction's runs."""
    return part.select(pl.col(f"{layer}_true").is_between(pl.col(f"{layer}_low"), pl.col(f"{layer}_high"))
                       .mean()).item()


def summarise(rows: pl.DataFrame) -> list[dict]:
    """Median absolute and signed errors of the 2nd degree (and of the baselines, the 3rd degree) by regime, the
    model's error less the floor's with its interval, and how often the truth lies in the band of the runs."""
    found = []
    for regime, part, extra in regimes(rows):
        if part.is_empty():
            found.append({"regime": regime, "egos": 0})
            continue
        with_l3 = part.filter(pl.col("l3_true") > 0)
        errors = part.select(model=_error("l2_pred", "l2_true"), floor=_error("l2_degree_oracle", "l2_true"))
        excess, excess_low, excess_high = over_floor(errors["model"].to_numpy(), errors["floor"].to_numpy())
        found.append({
            "regime": regime, "egos": part.height, "k_low": extra.get("k_low"), "k_high": extra.get("k_high"),
            "l2_median_abs_error": part.select(_error("l2_pred", "l2_true").abs().median()).item(),
            "l2_median_signed_error": part.select(_error("l2_pred", "l2_true").median()).item(),
            "l2_mape_naive": part.select(_error("l2_naive", "l2_true").abs().median()).item(),
            "l2_mape_saturating": part.select(_error("l2_saturating", "l2_true").abs().median()).item(),
            "l2_median_abs_error_known_degrees":
                part.select(_error("l2_known_degrees", "l2_true").abs().median()).item(),
            "l2_median_abs_error_degree_oracle":
                part.select(_error("l2_degree_oracle", "l2_true").abs().median()).item(),
            "l2_median_signed_error_degree_oracle":
                part.select(_error("l2_degree_oracle", "l2_true").median()).item(),
            "l3_median_abs_error": with_l3.select(_error("l3_pred", "l3_true").abs().median()).item()
            if with_l3.height else None,
            "l3_median_signed_error": with_l3.select(_error("l3_pred", "l3_true").median()).item()
            if with_l3.height else None,
            "l3_median_abs_error_known_degrees":
                with_l3.select(_error("l3_known_degrees", "l3_true").abs().median()).item() if with_l3.height else None,
            "l2_error_over_floor": excess, "l2_error_over_floor_low": excess_low,
            "l2_error_over_floor_high": excess_high,
            "l2_band_coverage": _inside(part, "l2"),
            "l3_band_coverage": _inside(with_l3, "l3") if with_l3.height else None,
        })
    return found


def _second_degree_after(graph, ego: int, distance: np.ndarray, partner: int) -> int:
    """|L2| of ``ego`` once the edge ego-partner is added (BFS distances from ego given)."""
    reach = set(np.flatnonzero(distance == 2).tolist())
    reach.update(graph.indices[graph.indptr[partner]: graph.indptr[partner + 1]].tolist())
    first = set(np.flatnonzero(distance == 1).tolist()) | {partner, ego}
    return len(reach - first)


def experiments(real: RealGraph, egos: int, seed: int) -> pl.DataFrame:
    """On the real graph: the empirical exponent of |L2| on |L1|, and the gain in |L2| from one added
    tie to a friend of a friend, to someone in the ego's own group, or to a random stranger."""
    rng = np.random.default_rng(seed)
    degrees = real.graph.degree()
    chosen = rng.choice(np.flatnonzero(degrees > 0), size=min(egos, int((degrees > 0).sum())), replace=False)
    homophily_attribute = _most_homophilous(real)
    l1, l2, gains = [], [], {"friend of a friend": [], "same group": [], "random stranger": []}
    for ego in chosen:
        distance = distances(real.graph, int(ego))
        current = int((distance == 2).sum())
        l1.append(int((distance == 1).sum()))
        l2.append(current)
        pools = {"friend of a friend": np.flatnonzero(distance == 2),
                 "random stranger": np.flatnonzero(distance != 1)}
        if homophily_attribute is not None and real.groups[ego, homophily_attribute] >= 0:
            same = real.groups[:, homophily_attribute] == real.groups[ego, homophily_attribute]
            pools["same group"] = np.flatnonzero(same & (distance != 1) & (distance != 0))
        for strategy, pool in pools.items():
            pool = pool[pool != ego]
            if pool.size:
                partner = int(rng.choice(pool))
                gains[strategy].append(_second_degree_after(real.graph, int(ego), distance, partner) - current)
    fit_line = stats.fit_loglog(np.array(l1), np.array(l2))
    rows = [{"graph": real.name, "measure": "exponent of |L2| on |L1| across nodes", "strategy": "",
             "value": fit_line.slope, "ci_low": fit_line.slope_low, "ci_high": fit_line.slope_high, "egos": len(l1)}]
    for strategy, values in gains.items():
        if values:
            array = np.array(values, dtype=float)
            low, high = stats.bootstrap_interval(array, np.mean, seed=seed, resamples=500)
            rows.append({"graph": real.name, "measure": "mean gain in |L2| from one added tie", "strategy": strategy,
                         "value": float(array.mean()), "ci_low": low, "ci_high": high, "egos": array.size})
    return pl.DataFrame(rows)


def _most_homophilous(real: RealGraph) -> int | None:
    """The attribute whose groups hold the largest excess share of edges (from the graph's edges)."""
    best, best_excess = None, 0.0
    owners = np.repeat(np.arange(real.graph.n), real.graph.degree())
    for attribute in range(real.groups.shape[1]):
        a, b = real.groups[owners, attribute], real.groups[real.graph.indices, attribute]
        known = (a >= 0) & (b >= 0)
        if known.sum() == 0:
            continue
        observed = float((a[known] == b[known]).mean())
        _, counts = np.unique(real.groups[real.groups[:, attribute] >= 0, attribute], return_counts=True)
        expected = float(((counts / counts.sum()) ** 2).sum())
        if observed - expected > best_excess:
            best, best_excess = attribute, observed - expected
    return best


def kind_of(name: str, nodes: int) -> str:
    """A label of the reports: the schools, the large networks (``LARGE_GRAPH`` people or more), the others."""
    if name.startswith(SCHOOL_PREFIX):
        return "school"
    return "large network" if nodes >= LARGE_GRAPH else "other network"


def spans_by_kind(facts: pl.DataFrame, column: str) -> dict[str, tuple[float, float]]:
    """The lowest and the highest ``column`` among the graphs of each kind (:func:`kind_of`) of a table with a
    ``graph`` and a ``nodes`` column (e.g. ``helpers.model.mechanisms.graph_facts``)."""
    kinds = pl.Series("kind", [kind_of(name, nodes) for name, nodes in facts.select("graph", "nodes").iter_rows()])
    spans = facts.with_columns(kinds).group_by("kind").agg(pl.col(column).min().alias("low"),
                                                          pl.col(column).max().alias("high"))
    return {kind: (low, high) for kind, low, high in spans.iter_rows()}


#: Pooled rows of the summary: their name, and the kind of graph they pool.
POOLED = {"all schools": "school", "large networks": "large network"}
#: The regimes of the summary, in the order the pages show them.
REGIMES = ("all", "unsaturated", *(f"degree q{q}" for q in range(1, 6)))
#: How the pages name the two fits and the floor.
FIT_NAMES = {"in-sample": "model, laws fitted on every college", "leave-one-graph-out": "model, laws fitted without it"}


def committed_summary() -> pl.DataFrame:
    """The committed validation summary (``make validate`` writes it): one row per graph or pool, fit, ego degree
    and regime."""
    return pl.read_csv(SUMMARY_FILE)


def committed_experiments() -> pl.DataFrame:
    """The committed real-graph experiments: the exponent of the 2nd degree on the 1st, and one added tie's gain."""
    return pl.read_csv(EXPERIMENTS_FILE)


@dataclass(frozen=True)
class GraphCounts:
    """How many real graphs the model was fitted and validated on, how many are schools, and the largest's size."""

    graphs: int
    schools: int
    largest: int


def graph_counts(summary: pl.DataFrame | None = None) -> GraphCounts:
    """The :class:`GraphCounts` of the committed summary (or of ``summary``)."""
    summary = committed_summary() if summary is None else summary
    graphs = summary.filter(~pl.col("kind").str.ends_with("(pooled)")).unique("graph")
    return GraphCounts(graphs.height, graphs.filter(pl.col("kind") == "school").height, int(graphs["nodes"].max()))


@dataclass(frozen=True)
class TieGains:
    """What one added tie did on the real graphs (:func:`experiments`): on how many of the ``graphs`` a tie to a
    random stranger added more to the 2nd degree than a tie to a friend of a friend, on how many a tie within one's
    own group added the least (None when no graph has groups), and the span of the 2nd degree's exponent on the 1st
    across nodes."""

    graphs: int
    stranger_more: int
    group_least: int | None
    exponent_low: float
    exponent_high: float


def tie_gains(experiments: pl.DataFrame) -> TieGains:
    """The :class:`TieGains` of an experiments table (:func:`committed_experiments`)."""
    pivot = experiments.filter(pl.col("measure").str.starts_with("mean gain")).pivot(on="strategy", index="graph",
                                                                                     values="value")
    exponents = experiments.filter(pl.col("strategy") == "")["value"]
    least = None
    if {"same group", "friend of a friend", "random stranger"} <= set(pivot.columns):
        least = int((pivot["same group"] < pivot[["friend of a friend", "random stranger"]].min_horizontal()).sum())
    return TieGains(pivot.height, int((pivot["friend of a friend"] < pivot["random stranger"]).sum()), least,
                    float(exponents.min()), float(exponents.max()))


def by_regime(summary: pl.DataFrame, graph: str, fit: str, min_degree: int = 1) -> dict[str, dict]:
    """One graph's (or pool's) summary rows by regime, for one fit and ego degree."""
    rows = summary.filter(pl.col("graph") == graph, pl.col("fit") == fit, pl.col("min_degree") == min_degree)
    return {row["regime"]: row for row in rows.iter_rows(named=True)}


def regime_errors(summary: pl.DataFrame, graph: str = "all schools") -> pl.DataFrame:
    """The 2nd degree's median absolute and signed errors of a pool by regime (everyone with a friend), in and out of
    sample and the friend-count floor's, long: ``fit, regime, egos, error, value`` and the regime's ``label``
    (with its friend counts) and ``position`` (its place in :data:`REGIMES`)."""
    pooled = summary.filter(pl.col("graph") == graph, pl.col("min_degree") == 1)
    labels = {row["regime"]: (f"{row['regime']} ({row['k_low']}-{row['k_high']} friends)" if row["k_low"] is not None
                              else row["regime"]) for row in pooled.iter_rows(named=True)}
    floor = pooled.filter(pl.col("fit") == "in-sample").select(
        pl.lit("friend-count floor").alias("fit"), "regime", "egos",
        pl.col("l2_median_abs_error_degree_oracle").alias("l2_median_abs_error"),
        pl.col("l2_median_signed_error_degree_oracle").alias("l2_median_signed_error"))
    return pl.concat([pooled.select(floor.columns).with_columns(pl.col("fit").replace(FIT_NAMES)), floor]).unpivot(
        index=["fit", "regime", "egos"], on=["l2_median_abs_error", "l2_median_signed_error"],
        variable_name="error", value_name="value").with_columns(
        pl.col("regime").replace_strict(labels).alias("label"),
        pl.col("regime").replace_strict({r: i for i, r in enumerate(REGIMES)}, default=len(REGIMES)).alias("position"),
        pl.col("error").replace_strict({"l2_median_abs_error": "median |error|",
                                        "l2_median_signed_error": "median signed error"}))


def method_errors(summary: pl.DataFrame) -> pl.DataFrame:
    """Each graph's out-of-sample median error on the 2nd degree (everyone with a friend) beside the friend-count
    floor's and the two baselines', long: ``graph, kind, nodes, method, error``."""
    per_graph = summary.filter(pl.col("regime") == "all", ~pl.col("kind").str.ends_with("(pooled)"),
                               pl.col("fit") == "leave-one-graph-out", pl.col("min_degree") == 1)
    return per_graph.unpivot(index=["graph", "kind", "nodes"],
                             on=["l2_median_abs_error", "l2_median_abs_error_degree_oracle", "l2_mape_saturating",
                                 "l2_mape_naive"], variable_name="method", value_name="error").with_columns(
        pl.col("method").replace_strict({"l2_median_abs_error": "this model",
                                         "l2_median_abs_error_degree_oracle": "friend-count floor",
                                         "l2_mape_saturating": "saturating baseline", "l2_mape_naive": "naive baseline"}))


def _print_regimes(label: str, rows: pl.DataFrame, log=None) -> None:
    log = log or sys.stdout  # looked up when called, so that a redirected stdout is used
    for line in summarise(rows):
        if not line["egos"]:
            print(f"  {label:22s} {line['regime']:28s}     0 egos", file=log, flush=True)
            continue
        span = f" (degree {line['k_low']}-{line['k_high']})" if line["k_low"] is not None else ""
        third = (f"; 3rd degree {line['l3_median_abs_error']:6.1%}, {line['l3_median_signed_error']:+6.1%}"
                 if line["l3_median_abs_error"] is not None else "")
        print(f"  {label:22s} {line['regime'] + span:28s} {line['egos']:5d} egos: 2nd degree median |error| "
              f"{line['l2_median_abs_error']:6.1%}, signed {line['l2_median_signed_error']:+6.1%}"
              f"  (friend-count floor {line['l2_median_abs_error_degree_oracle']:6.1%}, "
              f"{line['l2_median_signed_error_degree_oracle']:+6.1%}; alters' degrees known "
              f"{line['l2_median_abs_error_known_degrees']:6.1%}){third}; model less floor "
              f"{round(100 * line['l2_error_over_floor'], 1) + 0.0:+.1f} points (90%: "
              f"{100 * line['l2_error_over_floor_low']:+.1f} to {100 * line['l2_error_over_floor_high']:+.1f}); "
              f"truth in the runs' 90% band "
              f"{line['l2_band_coverage']:.0%}", file=log, flush=True)


def validate_folder(folder: Path, egos: int, seed: int, runs: int, out: Path | None,
                    log=None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every graph of ``folder`` under the committed fit and under a fit without it, among everyone and among
    people with ``MEMBER_DEGREE`` friends or more; pooled over the schools and over the large networks."""
    log = log or sys.stdout
    print("refitting the overlap laws once per graph left out (observations as in the committed fit)", file=log,
          flush=True)
    observations = observe_folder(folder, FIT_EGOS, FIT_SEED)
    committed = fitted_mechanisms()
    refit = Mechanisms(**fit(observations))
    if not np.allclose([getattr(refit, f) for f in PARAMETERS], [getattr(committed, f) for f in PARAMETERS], rtol=1e-4):
        print(f"warning: the committed fit ({MECHANISMS_FILE.name}) is not the fit of these graphs: run "
              f"python -m helpers.model.mechanisms --graphs {folder} --egos {FIT_EGOS} --seed {FIT_SEED}", file=log,
              flush=True)
    summaries, found = [], []
    pooled = {(group, name, degree): [] for group in POOLED for name in ("in-sample", "leave-one-graph-out")
              for degree in (1, MEMBER_DEGREE)}
    for edges, nodes in graph_files(folder):
        started = time.perf_counter()
        real = load_graph(edges, nodes)
        kind = kind_of(real.name, real.graph.n)
        without = Mechanisms(**fit(observations.filter(pl.col("graph") != real.name)))
        print(f"{real.name} ({kind}, {real.graph.n:,} people)", file=log, flush=True)
        for min_degree in (1, MEMBER_DEGREE):
            rows = validate_graph(real, egos, seed, runs, committed, min_degree=min_degree)
            if rows.is_empty():
                continue
            fits = {"in-sample": rows,
                    "leave-one-graph-out": validate_graph(real, egos, seed, runs, without,
                                                          oracle=rows["l2_degree_oracle"].to_numpy(),
                                                          min_degree=min_degree)}
            for name, table in fits.items():
                if out:
                    out.mkdir(parents=True, exist_ok=True)
                    table.write_csv(out / f"{real.name}.{name}.min-degree-{min_degree}.csv")
                summaries += [{"graph": real.name, "kind": kind, "fit": name, "min_degree": min_degree,
                               "nodes": real.graph.n, "edges": real.graph.arcs // 2, **line}
                              for line in summarise(table)]
                for group, pooled_kind in POOLED.items():
                    if kind == pooled_kind:
                        pooled[(group, name, min_degree)].append(table)
                _print_regimes(f"{name}, {min_degree}+ friends", table, log)
        found.append(experiments(real, egos, seed))
        print(f"  ({time.perf_counter() - started:.0f} s)", file=log, flush=True)
    for (group, name, min_degree), tables in pooled.items():
        if tables:
            both = pl.concat(tables)
            summaries += [{"graph": group, "kind": f"{POOLED[group]} (pooled)", "fit": name, "min_degree": min_degree,
                           "nodes": None, "edges": None, **line} for line in summarise(both)]
            print(f"{group} pooled", file=log)
            _print_regimes(f"{name}, {min_degree}+ friends", both, log)
    return pl.DataFrame(summaries), pl.concat(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.validate",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--edges", type=Path, help="one graph's NAME.edges.csv.gz")
    parser.add_argument("--nodes", type=Path, help="that graph's NAME.nodes.csv.gz")
    parser.add_argument("--graphs", type=Path, help="a folder of graphs: validate every one, write the summary")
    parser.add_argument("--egos", type=int, default=100, help="egos sampled per graph")
    parser.add_argument("--min-degree", type=int, default=1,
                        help="draw egos among people with at least this many friends (one graph; default 1)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    parser.add_argument("--runs", type=int, default=32, help="model runs per ego (their median is the prediction)")
    parser.add_argument("--out", type=Path, help="per-ego results CSV (one graph) or folder for them (--graphs)")
    parser.add_argument("--summary", type=Path, default=SUMMARY_FILE, help="where --graphs writes the summary table")
    args = parser.parse_args(argv)
    if args.egos < 1 or args.runs < 1 or args.min_degree < 1:
        parser.error("--egos, --runs and --min-degree must be at least 1")
    try:
        if args.edges:
            return _validate_one(args)
        if not args.graphs:
            parser.error("give --edges/--nodes for one graph or --graphs for a folder")
        if not args.graphs.is_dir() or not graph_files(args.graphs):
            print(f"No graphs found in {args.graphs}: expected NAME.edges.csv.gz and NAME.nodes.csv.gz files "
                  "(the shared datasets live in ../shared/datasets beside the project). Pass GRAPHS=<folder>.",
                  file=sys.stderr)
            return 2
        summary, found = validate_folder(args.graphs, args.egos, args.seed, args.runs, args.out)
    except GraphFileError as error:
        print(error, file=sys.stderr)
        return 2
    summary.write_csv(args.summary, float_precision=4)
    found.write_csv(args.summary.with_name(EXPERIMENTS_FILE.name), float_precision=4)
    print(f"wrote {args.summary} and {args.summary.with_name(EXPERIMENTS_FILE.name)}")
    return 0


def _validate_one(args: argparse.Namespace) -> int:
    """``--edges E --nodes N``: one graph under the committed fit."""
    if not args.nodes:
        print("--edges needs --nodes: the graph's NAME.nodes.csv.gz (header id,<attributes...>; one row per id).",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    real = load_graph(args.edges, args.nodes)
    rows = validate_graph(real, args.egos, args.seed, args.runs, min_degree=args.min_degree)
    if args.out:
        rows.write_csv(args.out)
    used = ", ".join(real.attributes) if real.attributes else "none: degrees and structure only"
    print(f"{real.name}: {real.graph.n:,} nodes, {real.graph.arcs // 2:,} edges, {rows.height} egos with "
          f"{args.min_degree}+ friends; attributes used: {used}")
    if real.ignored:
        print("attributes left out (known for under {:.0%} of people): ".format(MIN_KNOWN_SHARE)
              + ", ".join(f"{name} ({share:.1%})" for name, share in real.ignored.items()))
    if rows.is_empty():
        print(f"no one in {real.name} has {args.min_degree} or more friends: nothing to validate")
        return 0
    _print_regimes("committed fit", rows)
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
