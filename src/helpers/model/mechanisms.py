"""The reach model's overlap laws, measured and fitted on real social graphs of every kind.

``python -m helpers.model.mechanisms --graphs ../shared/datasets`` (``make mechanisms``) writes
``data/reach_mechanisms.csv``: the fitted laws (replicate 0) and a bootstrap over graphs (replicates
1..B), which the model's uncertainty bands draw from. Fitting looks at each sampled ego's true
neighbourhood; predicting (``helpers.model.reach.predict_ego``) never does.

What differs between a dense school and a large sparse online network is read from measurable facts of the
graph, the same for both kinds: its degrees (a hub cannot reach anybody twice), the degrees of the
connections of members of each degree (their pairings), and the local clustering of members of each degree
``c(k)`` (``helpers.model.landing``). The kernel alone should give the 2nd degree of the graph rewired keeping
its degree pairings (:func:`rewired`); :func:`degree_pairing_check` measures it, and what it leaves on the real
graph is what the overlap laws take away. Two laws remain to be fitted, on every graph of the folder
(schools, online networks, an e-mail network, a stitched ego-network sample):

- **overlap of the connections' circles**: the 2nd degree the closed form gives with the alters' true
  degrees, for a grid of ``psi``; ``psi = exp(-a m)``, ``m = c(k) (k - 1)`` the number of the ego's other
  connections each connection knows, is fitted so that it matches the true 2nd degree (robust least
  squares on log sizes): each connection one knows removes a share ``a`` of what a connection reaches anew;
- **overlap of the 2nd degree's circles**: the same for the 3rd degree on a grid of ``psi3`` (at the fitted
  ``psi``); ``psi3 = exp(-a3 c2)``, ``c2`` the local clustering of the 2nd degree's members.

Egos are drawn half among everyone, half among people with at least ``MEMBER_DEGREE`` friends (LinkedIn's
members have hundreds of connections; on a heavy-tailed graph most people have a handful). Beyond the range
of ``m`` and ``c2`` seen here the laws are held at their last value.

A graph is read as it comes (:func:`load_graph`): attributes known for too few people are left out, a graph
without any is predicted from its degrees and structure alone, and a file that cannot be read gets a
:class:`GraphFileError` naming the file and the line.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import polars as pl

from helpers.errors import ExportError
from helpers.model.landing import Structure
from helpers.model.occupancy import closure_share, expected_layers
from helpers.model.overlap_laws import MECHANISMS_FILE, Mechanisms
from helpers.model.population import UNKNOWN, Graph, group_focus_weights
from helpers.model.reach import PopulationFacts, distances, ego_foci, layer_counts, measure_structure, predict_ego

#: The psi and psi3 grids the closed form is evaluated on (log-spaced: the laws are fitted on log psi).
OVERLAP_GRID = np.geomspace(0.03, 1.0, 14)
THIRD_GRID = np.geomspace(0.03, 1.0, 10)
PARAMETERS = ("overlap_scale", "third_overlap_scale", "embedded_max", "clustering_max")
#: The 3rd-degree law is fitted on egos whose first three degrees leave more than a fifth of their graph unreached.
UNSATURATED_REACH = 0.8
#: Half the fit's egos are drawn among people with at least this many friends.
MEMBER_DEGREE = 50
#: An attribute known for fewer than this share of a graph's people is left out (too few alters would show it).
MIN_KNOWN_SHARE = 0.1
#: The seed of a real graph's structure (the members whose local clustering is read).
STRUCTURE_SEED = 20261122
#: Egos (with ``MEMBER_DEGREE`` or more friends) of the degree pairings' check on each graph.
PAIRING_EGOS = 60
#: What ``make mechanisms`` also writes: each graph's measured facts beside what its people's circles need.
FACTS_FILE = MECHANISMS_FILE.with_name("reach_graph_facts.csv")


def graph_facts() -> pl.DataFrame:
    """The measured facts of every shared graph, as ``make mechanisms`` wrote them (:data:`FACTS_FILE`)."""
    return pl.read_csv(FACTS_FILE, comment_prefix="#")


class GraphFileError(ExportError):
    """A graph file in the shared datasets' format that cannot be read: which file, which line, what to do."""


@dataclass(frozen=True)
class RealGraph:
    name: str
    graph: Graph
    groups: np.ndarray  # (n, a) codes, UNKNOWN where empty
    attributes: list[str]
    ignored: dict[str, float] = field(default_factory=dict)  # attribute left out -> share of people it is known for

    @cached_property
    def facts(self) -> PopulationFacts:
        marginals = []
        for column in self.groups.T:
            codes, counts = np.unique(column, return_counts=True)
            marginals.append((codes, counts / counts.sum()))
        return PopulationFacts(self.graph.n, self.graph.degree(), marginals,
                               measure_structure(self.graph, STRUCTURE_SEED),
                               group_focus_weights(self.graph, self.groups, marginals))


_WHAT_TO_DO = ("give the graph as the shared datasets are (../shared/datasets/README.md): NAME.edges.csv.gz with the "
               "header source,target and one edge of two integer ids per line, NAME.nodes.csv.gz with the header "
               "id,<attributes...> and one row per id")


def _lines(path: Path) -> list[str] | None:
    """The file's lines (gzip or plain text), or None when they cannot be read as text."""
    try:
        opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            return handle.read().splitlines()
    except (OSError, UnicodeDecodeError, EOFError):
        return None


def _read_table(path: Path, required: tuple[str, ...]) -> pl.DataFrame:
    """A graph file as strings, with the ``required`` columns; a GraphFileError (file, line) otherwise."""
    if not path.is_file():
        raise GraphFileError(path.name, None, f"there is no file {path}", _WHAT_TO_DO)
    try:
        table = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.NoDataError:
        raise GraphFileError(path.name, None, "the file is empty", _WHAT_TO_DO) from None
    except (pl.exceptions.ComputeError, OSError) as error:
        lines = _lines(path)
        if lines is None:
            raise GraphFileError(path.name, None, "the file is neither gzip-compressed nor plain UTF-8 text",
                                 _WHAT_TO_DO) from None
        rows = list(csv.reader(lines))
        width = len(rows[0]) if rows else 0
        for number, row in enumerate(rows[1:], start=2):
            if len(row) > width:
                raise GraphFileError(path.name, number, f"the row has {len(row)} fields but the header {width}",
                                     _WHAT_TO_DO) from None
        raise GraphFileError(path.name, None, f"the file cannot be read as CSV ({str(error).splitlines()[0]})",
                             _WHAT_TO_DO) from None
    missing = [column for column in required if column not in table.columns]
    if missing:
        raise GraphFileError(path.name, 1, f"the header {','.join(table.columns)[:80]!r} has no "
                                           f"{' or '.join(repr(m) for m in missing)} column", _WHAT_TO_DO)
    return table


def _integers(table: pl.DataFrame, column: str, path: Path) -> np.ndarray:
    """The column as int64; a GraphFileError naming the first line whose value is not an integer id."""
    values = table.get_column(column).str.strip_chars().cast(pl.Int64, strict=False)
    bad = values.is_null()
    if bad.any():
        row = int(bad.arg_max())
        raw = table.get_column(column)[row]
        shown = "empty" if raw is None or not raw.strip() else f"{raw[:20]!r}"
        raise GraphFileError(path.name, row + 2, f"'{column}' is {shown}, not an integer id", _WHAT_TO_DO)
    return values.to_numpy()


def load_graph(edges: Path, nodes: Path) -> RealGraph:
    """Read a graph in the shared datasets' format (``source,target`` edges; ``id,<attributes>`` nodes).

    Attributes known for fewer than ``MIN_KNOWN_SHARE`` of the people are left out (``ignored``); with none
    left the graph runs through the model's degree-only path. Self-loops and repeated edges are dropped. A
    file that cannot be read raises :class:`GraphFileError` with the file, the line and what to do.
    """
    edges, nodes = Path(edges), Path(nodes)
    table = _read_table(nodes, ("id",))
    ids = _integers(table, "id", nodes)
    order = np.argsort(ids, kind="stable")
    repeated = np.flatnonzero(ids[order][1:] == ids[order][:-1])
    if repeated.size:
        row = int(order[1:][repeated].min())
        raise GraphFileError(nodes.name, row + 2, f"id {ids[row]} is listed twice", _WHAT_TO_DO)
    links = _read_table(edges, ("source", "target"))
    ends = [_integers(links, column, edges) for column in ("source", "target")]
    sorted_ids = ids[order]
    found = []
    for column, values in zip(("source", "target"), ends):
        position = np.minimum(np.searchsorted(sorted_ids, values), max(ids.size - 1, 0))
        unknown = (sorted_ids[position] != values) if ids.size else np.ones(values.size, dtype=bool)
        if unknown.any():
            row = int(np.argmax(unknown))
            raise GraphFileError(edges.name, row + 2, f"{column} {values[row]} is not an id of {nodes.name}",
                                 _WHAT_TO_DO)
        found.append(order[position])
    graph = Graph.from_edges(ids.size, found[0], found[1])
    attributes, ignored, columns = [], {}, []
    for name in (c for c in table.columns if c != "id"):
        column = table.get_column(name).str.strip_chars().replace("", None)
        known = (table.height - column.null_count()) / max(table.height, 1)
        if known < MIN_KNOWN_SHARE:
            ignored[name] = known
            continue
        attributes.append(name)
        columns.append(pl.DataFrame({"v": column}).select(
            pl.when(pl.col("v").is_null()).then(UNKNOWN).otherwise(pl.col("v").rank("dense").cast(pl.Int64) - 1))
            .to_series().to_numpy())
    groups = np.stack(columns, axis=1) if columns else np.empty((ids.size, 0), np.int64)
    name = edges.name.removesuffix(".edges.csv.gz").removesuffix(".edges.csv")
    return RealGraph(name, graph, groups, attributes, ignored)


def graph_files(folder: Path) -> list[tuple[Path, Path]]:
    """(edges, nodes) file pairs of every graph in ``folder``."""
    pairs = []
    for edges in sorted(folder.glob("*.edges.csv.gz")):
        nodes = edges.with_name(edges.name.replace(".edges.", ".nodes."))
        if nodes.exists():
            pairs.append((edges, nodes))
    return pairs


def sample_egos(real: RealGraph, egos: int, seed, min_degree: int = 1) -> np.ndarray:
    """``egos`` nodes with at least ``min_degree`` ties, drawn without replacement."""
    rng = np.random.default_rng(seed)
    candidates = np.flatnonzero(real.graph.degree() >= max(min_degree, 1))
    return rng.choice(candidates, size=min(egos, candidates.size), replace=False)


def fit_egos(real: RealGraph, egos: int, seed) -> np.ndarray:
    """The fit's egos: half drawn among everyone with a tie, half among people with ``MEMBER_DEGREE`` or more."""
    everyone = sample_egos(real, egos - egos // 2, [*np.atleast_1d(seed).tolist(), 1])
    members = np.setdiff1d(sample_egos(real, egos // 2, [*np.atleast_1d(seed).tolist(), 2], MEMBER_DEGREE),
                           everyone)
    return np.r_[everyone, members]


def structure_slopes(structure: Structure, mean_degree: float) -> dict[str, float]:
    """A structure in three numbers: local clustering at 100 connections, the log-log slope at which it falls
    between 10 and 500 connections, and the log-log slope of the connections' mean degree (the median member's)
    on one's own between an eighth of the mean degree and eight times it."""
    degree = np.exp(structure.log_degree)
    found = {"clustering_at_100": float(structure.clustering_at(np.array([100.0]))[0])}
    fall = (degree >= 10) & (degree <= 500) & (structure.clustering > 0)
    found["clustering_slope"] = float(-np.polyfit(structure.log_degree[fall], np.log(structure.clustering[fall]),
                                                  1)[0]) if fall.sum() >= 2 else float("nan")
    near = (degree >= mean_degree / 8) & (degree <= 8 * mean_degree)
    found["neighbour_degree_slope"] = float(np.polyfit(structure.log_degree[near], structure.neighbour_degree[near], 1)[0]
                                   ) if near.sum() >= 2 else float("nan")
    return found


def observe(real: RealGraph, egos: int, seed) -> pl.DataFrame:
    """One row per sampled ego: the true layers, and the closed form's 2nd and 3rd degree with the alters' true
    degrees on the grids of ``psi`` and ``psi3`` (what the two laws are fitted on; uses the true neighbourhood)."""
    graph, facts = real.graph, real.facts
    degree = graph.degree().astype(float)
    law = facts.law
    grid = np.repeat(OVERLAP_GRID, THIRD_GRID.size)
    grid3 = np.tile(THIRD_GRID, OVERLAP_GRID.size)
    runs = grid.size
    rows = []
    described = structure_slopes(facts.structure, float(degree.mean()))
    for ego in fit_egos(real, egos, seed):
        distance = distances(graph, int(ego))
        alters = np.flatnonzero(distance == 1)
        k = alters.size
        d = np.broadcast_to(degree[alters], (runs, k))
        cells = np.broadcast_to(law.cell_of(degree[alters]), (runs, k))
        clustering_k = float(facts.structure.clustering_at(np.array([k]))[0])
        foci = ego_foci(facts, real.groups[alters])
        triadic = closure_share(law, facts.n, facts.landing, cells[:1], d[:1], foci, clustering_k)
        outward = (1 - triadic)[:, None] * np.maximum(d - 1, 0)
        found = expected_layers(law, facts.n, facts.landing, cells, d, outward, foci, grid, grid3, facts.clustering)
        rows.append({"graph": real.name, "ego": int(ego), "n": facts.n, "k": k, "embedded": clustering_k * (k - 1),
                     "l2": int((distance == 2).sum()), "l3": int((distance == 3).sum()),
                     "l2_by_overlap": found.second[:: THIRD_GRID.size].tolist(),
                     "l3_by_overlap": found.third.tolist(),
                     "clustering_by_overlap": found.second_clustering[:: THIRD_GRID.size].tolist(), **described})
    return pl.DataFrame(rows)


def _interpolate(log_grid: np.ndarray, values: np.ndarray, log_at: np.ndarray) -> np.ndarray:
    """Row-wise linear interpolation of ``values`` (m, G) on the common ``log_grid`` (G,) at ``log_at`` (m,)."""
    position = np.interp(np.clip(log_at, log_grid[0], log_grid[-1]), log_grid, np.arange(log_grid.size))
    low = np.minimum(np.floor(position).astype(int), log_grid.size - 2)
    share = position - low
    index = np.arange(values.shape[0])
    return values[index, low] * (1 - share) + values[index, low + 1] * share


def fit(observations: pl.DataFrame) -> dict[str, float]:
    """The two overlap laws fitted on ``observations`` (rows of :func:`observe`)."""
    from scipy.optimize import least_squares  # 0.3 s to import: the reach page reads the fit, it does not refit

    rows = observations.filter(pl.col("k") > 0, pl.col("l2") > 0)
    embedded = rows["embedded"].to_numpy()
    log_grid = np.log(OVERLAP_GRID)
    second = np.log(np.maximum(np.array(rows["l2_by_overlap"].to_list()), 1e-9))
    truth = np.log(rows["l2"].to_numpy())

    def log_psi(p):
        return -p[0] * embedded

    overlap = least_squares(lambda p: _interpolate(log_grid, second, log_psi(p)) - truth, [0.03],
                            loss="soft_l1", f_scale=0.1, bounds=([0], [10])).x
    psi = log_psi(overlap)
    third = np.array(rows["l3_by_overlap"].to_list()).reshape(rows.height, OVERLAP_GRID.size, THIRD_GRID.size)
    position = np.interp(np.clip(psi, log_grid[0], 0.0), log_grid, np.arange(log_grid.size))
    low = np.minimum(np.floor(position).astype(int), log_grid.size - 2)
    share = (position - low)[:, None]
    index = np.arange(rows.height)
    at_psi = third[index, low] * (1 - share) + third[index, low + 1] * share
    clustering = _interpolate(log_grid, np.array(rows["clustering_by_overlap"].to_list()), psi)
    # the 3rd degree says something of its overlap only where it does not just fill what the 2nd left
    reached = 1 + rows["k"].to_numpy() + rows["l2"].to_numpy() + rows["l3"].to_numpy()
    usable = ((rows["l3"].to_numpy() > 0) & (at_psi.max(axis=1) > 0)
              & (reached < UNSATURATED_REACH * rows["n"].to_numpy()))
    log_third = np.log(np.maximum(at_psi[usable], 1e-9))
    truth3 = np.log(rows["l3"].to_numpy()[usable])
    third_scale = least_squares(
        lambda p: _interpolate(np.log(THIRD_GRID), log_third, -p[0] * clustering[usable]) - truth3, [3.0],
        loss="soft_l1", f_scale=0.1, bounds=([0], [50])).x
    return {"overlap_scale": float(overlap[0]), "third_overlap_scale": float(third_scale[0]),
            "embedded_max": float(np.quantile(embedded, 0.99)),
            "clustering_max": float(np.quantile(clustering, 0.99))}


def describe(observations: pl.DataFrame, fitted: dict[str, float]) -> pl.DataFrame:
    """Per graph, its measured facts and, among its egos with ``MEMBER_DEGREE`` or more friends, the share of the
    alters' outward ties that must land independently for the closed form to give their true 2nd degree (told
    their true degrees; the median over the egos whose 2nd degree moves with it), beside the fitted law's."""
    rows = []
    log_grid = np.log(OVERLAP_GRID)
    for (name,), part in observations.filter(pl.col("k") >= MEMBER_DEGREE, pl.col("l2") > 0).group_by(
            ["graph"], maintain_order=True):
        second = np.log(np.maximum(np.array(part["l2_by_overlap"].to_list()), 1e-9))
        truth = np.log(part["l2"].to_numpy())
        moves = (second[:, -1] - second[:, 0] > 0.3) & (truth >= second[:, 0]) & (truth <= second[:, -1])
        needed = [np.exp(np.interp(t, row, log_grid)) for row, t in zip(second[moves], truth[moves])]
        first = part.row(0, named=True)
        rows.append({"graph": name, "nodes": first["n"], "egos": part.height,
                     **{key: first[key] for key in ("clustering_at_100", "clustering_slope", "neighbour_degree_slope")},
                     "embedded": float(part["embedded"].median()),
                     "overlap_needed": float(np.median(needed)) if needed else None,
                     "overlap_fitted": float(np.exp(-fitted["overlap_scale"] * min(float(part["embedded"].median()),
                                                                                  fitted["embedded_max"])))})
    return pl.DataFrame(rows)


def rewired(graph: Graph, seed) -> Graph:
    """The graph with its ties' pairs of end degrees kept and the ends matched at random among the ties of the same
    pair of degrees (the 2K random graph: Mahadevan, Krioukov, Fall and Vahdat, SIGCOMM 2006): every member keeps
    their degree and the degree correlations are the graph's, while clustering and communities are gone. A tie
    the matching repeats, or that joins a member to themself, is dropped (a few among hubs)."""
    rng = np.random.default_rng(seed)
    degree = graph.degree()
    owners = np.repeat(np.arange(graph.n), degree)
    upper = owners < graph.indices
    low, high = owners[upper], graph.indices[upper].astype(np.int64)
    swap = degree[low] > degree[high]
    low, high = np.where(swap, high, low), np.where(swap, low, high)
    pair = degree[low].astype(np.int64) * (int(degree.max(initial=0)) + 1) + degree[high]
    same = degree[low] == degree[high]
    # ties between two degrees: the higher ends are shuffled among the ties of that pair
    order = np.lexsort((rng.random(pair.size), pair))
    grouped = pair[order]
    shuffled = np.lexsort((rng.random(pair.size), grouped))
    keep = ~same[order]
    ends = [low[order][keep], high[order][shuffled][keep]]
    # ties within one degree: every end of those ties is shuffled and paired anew
    for value in np.unique(pair[same]):
        stubs = np.concatenate([low[same & (pair == value)], high[same & (pair == value)]])
        rng.shuffle(stubs)
        ends = [np.r_[ends[0], stubs[0::2]], np.r_[ends[1], stubs[1::2]]]
    return Graph.from_edges(graph.n, ends[0], ends[1])


def degree_pairing_check(real: RealGraph, egos: int, seed) -> dict[str, float]:
    """How much of the overlap among the friends' circles of people with ``MEMBER_DEGREE`` or more friends the
    degrees and their pairings explain: the closed form's median signed error on their 2nd degree, told their
    friends' true degrees, with no overlap law and from the degrees alone, on the graph rewired keeping its
    degree pairings (:func:`rewired`; what the kernel alone should get right) and on the graph itself (what the
    overlap law has to take away)."""
    found = {}
    plain = Mechanisms(0.0, 0.0, 1.0, 1.0)
    for name, graph in (("rewired", rewired(real.graph, seed)), ("real", real.graph)):
        other = RealGraph(real.name, graph, real.groups[:, :0], [])
        degree = graph.degree()
        errors = []
        for ego in sample_egos(other, egos, seed, MEMBER_DEGREE):
            alters = graph.indices[graph.indptr[ego]: graph.indptr[ego + 1]]
            truth = layer_counts(graph, int(ego), depth=2)[1]
            predicted = predict_ego(other.facts, other.groups[alters], mechanisms=plain, runs=1,
                                    alter_degrees=degree[alters])
            errors.append(predicted.l2 / truth - 1 if truth else np.nan)
        found[f"pairings_error_{name}"] = float(np.nanmedian(errors)) if errors else float("nan")
    return found


def fitted_graphs(observations: pl.DataFrame) -> list[str]:
    return sorted(observations["graph"].unique().to_list())


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
            print(f"{real.name:24s} {found[-1].height} egos observed ({time.perf_counter() - started:.0f} s)", file=log,
                  flush=True)
    return pl.concat(found)


def write_fit(table: pl.DataFrame, out: Path, folder: Path, graphs: list[str], egos: int, seed: int) -> None:
    header = (f"# Reach overlap laws fitted on the {len(graphs)} graphs in {folder} ({', '.join(graphs)}; the "
              f"Facebook100 schools: Traud, Mucha, Porter, Physica A 2012; the SNAP and MUSAE graphs: see that "
              f"folder's README): {egos} egos per graph, half of them with {MEMBER_DEGREE}+ friends, seed {seed}; "
              f"replicate 0 is the fit, 1.. a bootstrap over graphs. "
              f"Refit: python -m helpers.model.mechanisms --graphs {folder} --egos {egos} --seed {seed}\n")
    out.write_text(header + table.write_csv(float_precision=6))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.mechanisms",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--graphs", type=Path, required=True,
                        help="folder of graphs (NAME.edges.csv.gz, NAME.nodes.csv.gz)")
    parser.add_argument("--egos", type=int, default=200, help="egos sampled per graph")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed (egos and bootstrap)")
    parser.add_argument("--replicates", type=int, default=200, help="bootstrap replicates over graphs")
    parser.add_argument("--out", type=Path, default=MECHANISMS_FILE, help="where to write the fitted laws")
    args = parser.parse_args(argv)
    if not args.graphs.is_dir() or not graph_files(args.graphs):
        print(f"No graphs found in {args.graphs}: expected NAME.edges.csv.gz and NAME.nodes.csv.gz files.",
              file=sys.stderr)
        return 2
    try:
        observations = observe_folder(args.graphs, args.egos, args.seed, log=sys.stdout)
        pairings = []
        for edges, nodes in graph_files(args.graphs):
            real = load_graph(edges, nodes)
            pairings.append({"graph": real.name, **degree_pairing_check(real, PAIRING_EGOS, args.seed)})
        pairings = pl.DataFrame(pairings)
    except GraphFileError as error:
        print(error, file=sys.stderr)
        return 2
    table = bootstrap(observations, args.replicates, args.seed)
    write_fit(table, args.out, args.graphs, fitted_graphs(observations), args.egos, args.seed)
    fitted = table.filter(pl.col("replicate") == 0).row(0, named=True)
    facts = args.out.with_name(FACTS_FILE.name)
    facts.write_text(f"# Measured on the graphs in {args.graphs} by python -m helpers.model.mechanisms (egos with "
                     f"{MEMBER_DEGREE}+ friends of the fit's sample): local clustering, its fall and the log-log slope of "
                     "the friends' mean log degree on one's own; m = how many of an ego's other friends each friend "
                     "knows; the share of the friends' outward ties landing independently that gives their true 2nd "
                     "degree, and the fitted law's; the closed form's median signed error on the 2nd degree told the "
                     f"friends' true degrees, with no overlap law ({PAIRING_EGOS} egos with {MEMBER_DEGREE}+ friends), on "
                     "the graph rewired keeping its degree pairings and on the graph itself\n"
                     + describe(observations, fitted).join(pairings, on="graph", how="left")
                     .write_csv(float_precision=4))
    spread = table.filter(pl.col("replicate") > 0)
    for name in PARAMETERS[:2]:
        low, high = np.quantile(spread[name].to_numpy(), [0.05, 0.95]) if spread.height else (np.nan, np.nan)
        print(f"{name:20s} {fitted[name]:9.4f}  (90% over graphs resampled: {low:.4f} to {high:.4f})")
    print(f"wrote {args.out} and {facts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
