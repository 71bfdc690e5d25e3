"""The reach model's three mechanisms, measured and fitted on real social graphs.

``python -m helpers.model.mechanisms --graphs ../shared/datasets`` (``make mechanisms``) writes
``data/reach_mechanisms.csv``: the fitted laws (replicate 0) and a bootstrap over graphs (replicates
1..B), which the model's uncertainty bands draw from. Fitting looks at each sampled ego's true
neighbourhood; predicting (``helpers.model.reach.predict_ego``) never does.

Per sampled ego of every Facebook100 school (the development graphs), measured:

- **assortativity**: the mean excess degree of the ego's alters over the graph's kappa (the mean
  excess degree of a random friend), against ``x`` = the ego's degree over the mean degree; fitted as
  ``log r = log a + (b + c log x) log x`` (robust least squares: near the median, as the 2nd degree of
  an ego with few friends is);
- **triadic closure**: the share of the alters' other ties that land among the alters, net of what the
  focus model's groups give by chance (``observed = t + (1 - t) chance``); fitted as ``t(k) = c * k**g``
  (robust least squares);
- **overlap of circles**: the 2nd degree the closed form gives with the alters' true degrees and the
  ego's own triadic share, for a grid of ``psi``; ``psi(x) = min(1, (x / x0)**-h)`` is fitted so that it matches
  the true 2nd degree (robust least squares on log sizes).

Beyond the range of ``x`` and ``k`` seen here the laws are held at their last value. The SNAP graphs
(a stitched Facebook ego sample, an e-mail network) are measured but not fitted: they are other kinds
of network, reported by ``make validate`` as such.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy.optimize import least_squares

from helpers.model.platform_reach import MECHANISMS_FILE, Focus, expected_layers, focus_rates
from helpers.model.population import UNKNOWN, Graph, focus_weights
from helpers.model.reach import PopulationFacts, _neighbours, distances

#: Graphs whose name starts with this are the schools the mechanisms are fitted on.
FITTED_PREFIX = "fb100-"
OVERLAP_GRID = np.linspace(0.2, 1.0, 17)
PARAMETERS = ("excess_scale", "excess_slope", "excess_curvature", "triadic_scale", "triadic_slope", "overlap_k0",
              "overlap_slope", "x_min", "x_max", "k_max")


@dataclass(frozen=True)
class RealGraph:
    name: str
    graph: Graph
    groups: np.ndarray  # (n, a) codes, UNKNOWN where empty
    attributes: list[str]

    def facts(self) -> PopulationFacts:
        marginals = []
        for column in self.groups.T:
            codes, counts = np.unique(column, return_counts=True)
            marginals.append((codes, counts / counts.sum()))
        return PopulationFacts(self.graph.n, self.graph.degree(), marginals)


def load_graph(edges: Path, nodes: Path) -> RealGraph:
    """Read a graph in the shared datasets' format (``source,target`` edges; ``id,<attributes>`` nodes)."""
    table = pl.read_csv(nodes, infer_schema=False)
    ids = table.get_column("id").cast(pl.Int64)
    index = pl.DataFrame({"id": ids, "index": np.arange(ids.len())})
    links = (pl.read_csv(edges, schema_overrides={"source": pl.Int64, "target": pl.Int64})
             .join(index.rename({"id": "source", "index": "u"}), on="source")
             .join(index.rename({"id": "target", "index": "v"}), on="target"))
    graph = Graph.from_edges(ids.len(), links["u"].to_numpy(), links["v"].to_numpy())
    attributes = [c for c in table.columns if c != "id"]
    groups = np.stack([
        table.select(pl.when(pl.col(c).is_null()).then(UNKNOWN).otherwise(pl.col(c).rank("dense").cast(pl.Int64) - 1))
        .to_series().to_numpy() for c in attributes], axis=1) if attributes else np.empty((ids.len(), 0), np.int64)
    name = edges.name.removesuffix(".edges.csv.gz").removesuffix(".edges.csv")
    return RealGraph(name, graph, groups, attributes)


def graph_files(folder: Path) -> list[tuple[Path, Path]]:
    """(edges, nodes) file pairs of every graph in ``folder``."""
    pairs = []
    for edges in sorted(folder.glob("*.edges.csv.gz")):
        nodes = edges.with_name(edges.name.replace(".edges.", ".nodes."))
        if nodes.exists():
            pairs.append((edges, nodes))
    return pairs


def sample_egos(real: RealGraph, egos: int, seed) -> np.ndarray:
    """``egos`` nodes with at least one tie, drawn without replacement."""
    rng = np.random.default_rng(seed)
    candidates = np.flatnonzero(real.graph.degree() > 0)
    return rng.choice(candidates, size=min(egos, candidates.size), replace=False)


def ego_foci(facts: PopulationFacts, ego_groups: np.ndarray, alter_groups: np.ndarray) -> list[Focus]:
    """The foci of an ego's alters: focus weights read from the alters, group shares from the facts."""
    weights = focus_weights(np.asarray(ego_groups), alter_groups, facts.marginals)
    foci = []
    for attribute, (codes, shares) in enumerate(facts.marginals):
        column = alter_groups[:, attribute]
        share_of = dict(zip(codes.tolist(), shares.tolist()))
        present = np.unique(column[column >= 0]).tolist()
        foci.append(Focus(weights[attribute], column, np.array([share_of.get(c, 0.0) for c in present]),
                          share_of.get(UNKNOWN, 0.0)))
    return foci


def observe(real: RealGraph, egos: int, seed) -> pl.DataFrame:
    """One row per sampled ego: what the three mechanisms are fitted on (uses the true neighbourhood)."""
    graph, facts = real.graph, real.facts()
    degree = graph.degree().astype(float)
    law = facts.law
    mean, kappa = float(law.mean[0]), float(law.kappa[0])
    rows = []
    for ego in sample_egos(real, egos, seed):
        distance = distances(graph, int(ego))
        alters = np.flatnonzero(distance == 1)
        k = alters.size
        in_first = distance == 1
        owner = np.repeat(np.arange(k), degree[alters].astype(np.int64))
        common = np.bincount(owner, weights=in_first[_neighbours(graph, alters)], minlength=k)
        d = degree[alters]
        excess = d - 1
        observed = float(common.sum() / max(excess.sum(), 1.0))
        foci = ego_foci(facts, real.groups[ego], real.groups[alters])
        # the model sends a share t of each alter's other ties to the ego's alters and the rest through the
        # foci, some of which land on alters by chance: observed = t + (1 - t) * chance
        _, _, alter_rate = focus_rates(facts.n * mean, excess[None, :], foci)
        chance = min(float((d * alter_rate[0]).sum() / max(excess.sum(), 1.0)), 0.99)
        net = float(np.clip((observed - chance) / (1 - chance), 0.0, 0.95))
        outward = np.repeat(((1 - net) * excess)[None, :], OVERLAP_GRID.size, axis=0)
        second, _ = expected_layers(law, facts.n, np.repeat(d[None, :], OVERLAP_GRID.size, axis=0), outward, foci,
                                    OVERLAP_GRID, OVERLAP_GRID, 0.0)
        rows.append({"graph": real.name, "ego": int(ego), "n": facts.n, "mean_degree": mean, "kappa": kappa, "k": k,
                     "x": k / mean, "excess_ratio": float(excess.mean() / kappa), "triadic_observed": observed,
                     "triadic_chance": chance, "l2": int((distance == 2).sum()), "l3": int((distance == 3).sum()),
                     "l2_by_overlap": second.tolist()})
    return pl.DataFrame(rows)


def _overlap(k: np.ndarray, k0: float, slope: float) -> np.ndarray:
    return np.minimum(1.0, (k / k0) ** -slope)


def fit(observations: pl.DataFrame) -> dict[str, float]:
    """The three laws fitted on ``observations`` (rows of :func:`observe`, the fitted graphs only)."""
    rows = observations.filter(pl.col("k") > 0, pl.col("l2") > 0)
    x, k = rows["x"].to_numpy(), rows["k"].to_numpy().astype(float)
    ratio = rows["excess_ratio"].to_numpy()
    usable = ratio > 0
    log_x, log_ratio = np.log(x[usable]), np.log(ratio[usable])
    excess = least_squares(lambda p: p[0] + (p[1] + p[2] * log_x) * log_x - log_ratio, [0.0, 0.2, 0.0],
                           loss="soft_l1", f_scale=0.05).x
    chance, observed = rows["triadic_chance"].to_numpy(), rows["triadic_observed"].to_numpy()
    triadic = least_squares(lambda p: (1 - chance) * p[0] * k ** p[1] - (observed - chance), [0.01, 0.4],
                            loss="soft_l1", f_scale=0.05, bounds=([0, 0], [1, 2])).x
    log_grid = np.log(np.maximum(np.array(rows["l2_by_overlap"].to_list()), 1e-9))
    truth = np.log(rows["l2"].to_numpy())
    steps = np.arange(OVERLAP_GRID.size)

    def misfit(p):
        position = np.interp(np.clip(_overlap(k, *p), OVERLAP_GRID[0], 1.0), OVERLAP_GRID, steps)
        low = np.floor(position).astype(int)
        high = np.minimum(low + 1, steps.size - 1)
        share = position - low
        index = np.arange(x.size)
        return log_grid[index, low] * (1 - share) + log_grid[index, high] * share - truth

    overlap = least_squares(misfit, [5.0, 0.15], loss="soft_l1", f_scale=0.1, bounds=([1e-2, 0], [1e4, 1])).x
    return {"excess_scale": float(np.exp(excess[0])), "excess_slope": float(excess[1]),
            "excess_curvature": float(excess[2]),
            "triadic_scale": float(triadic[0]), "triadic_slope": float(triadic[1]),
            "overlap_k0": float(overlap[0]), "overlap_slope": float(overlap[1]),
            "x_min": float(np.quantile(x, 0.01)), "x_max": float(np.quantile(x, 0.99)),
            "k_max": float(np.quantile(k, 0.99))}


def fitted_graphs(observations: pl.DataFrame) -> list[str]:
    return sorted(g for g in observations["graph"].unique().to_list() if g.startswith(FITTED_PREFIX))


def bootstrap(observations: pl.DataFrame, replicates: int, seed) -> pl.DataFrame:
    """The fit (replicate 0) and ``replicates`` refits on graphs resampled with replacement."""
    rng = np.random.default_rng(seed)
    names = fitted_graphs(observations)
    by_graph = {name: observations.filter(pl.col("graph") == name) for name in names}
    rows = [{"replicate": 0, **fit(pl.concat(by_graph.values()))}]
    for replicate in range(1, replicates + 1):
        drawn = rng.choice(names, size=len(names), replace=True)
        rows.append({"replicate": replicate, **fit(pl.concat([by_graph[name] for name in drawn]))})
    return pl.DataFrame(rows)


def observe_folder(folder: Path, egos: int, seed, log=None) -> pl.DataFrame:
    """Observations on every graph of ``folder`` (each with its own stream from ``seed``)."""
    found = []
    for index, (edges, nodes) in enumerate(graph_files(folder)):
        started = time.perf_counter()
        real = load_graph(edges, nodes)
        found.append(observe(real, egos, [seed, index]))
        if log:
            print(f"{real.name:24s} {egos} egos observed ({time.perf_counter() - started:.0f} s)", file=log, flush=True)
    return pl.concat(found)


def write_fit(table: pl.DataFrame, out: Path, folder: Path, egos: int, seed: int) -> None:
    header = (f"# Reach mechanisms fitted on the Facebook100 schools (Traud, Mucha, Porter, Physica A 2012) in "
              f"{folder}: "
              f"{egos} egos per school, seed {seed}; replicate 0 is the fit, 1.. a bootstrap over schools. "
              f"Refit: python -m helpers.model.mechanisms --graphs {folder} --egos {egos} --seed {seed}\n")
    out.write_text(header + table.write_csv(float_precision=6))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.mechanisms",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--graphs", type=Path, required=True,
                        help="folder of graphs (NAME.edges.csv.gz, NAME.nodes.csv.gz)")
    parser.add_argument("--egos", type=int, default=300, help="egos sampled per graph")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed (egos and bootstrap)")
    parser.add_argument("--replicates", type=int, default=200, help="bootstrap replicates over schools")
    parser.add_argument("--out", type=Path, default=MECHANISMS_FILE, help="where to write the fitted laws")
    args = parser.parse_args(argv)
    if not args.graphs.is_dir() or not graph_files(args.graphs):
        print(f"No graphs found in {args.graphs}: expected NAME.edges.csv.gz and NAME.nodes.csv.gz files.",
              file=sys.stderr)
        return 2
    observations = observe_folder(args.graphs, args.egos, args.seed, log=sys.stdout)
    if not fitted_graphs(observations):
        print(f"No Facebook100 school ({FITTED_PREFIX}*) in {args.graphs}: nothing to fit on.", file=sys.stderr)
        return 2
    table = bootstrap(observations, args.replicates, args.seed)
    write_fit(table, args.out, args.graphs, args.egos, args.seed)
    fitted = table.filter(pl.col("replicate") == 0).row(0, named=True)
    spread = table.filter(pl.col("replicate") > 0)
    for name in PARAMETERS[:6]:
        low, high = np.quantile(spread[name].to_numpy(), [0.05, 0.95]) if spread.height else (np.nan, np.nan)
        print(f"{name:15s} {fitted[name]:9.4f}  (90% over schools resampled: {low:.4f} to {high:.4f})")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
