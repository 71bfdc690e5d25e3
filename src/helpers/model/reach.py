"""Count a member's 1st, 2nd and 3rd degree: exactly by BFS, and predicted by the reach model.

``layer_counts`` runs on CSR arrays (a level-synchronous numpy BFS, no Python loop over nodes; scipy's
compiled BFS when every level is wanted);
``layer_counts_networkx`` is the reference, and tests check both agree. ``predict_ego`` is the model's
prediction for a member of a real graph, from what an export would give.

``python -m helpers.model.reach --connections 500 --seed 1`` prints the model's 2nd and 3rd degree of a
LinkedIn member of that size with a typical make-up; its last line is one JSON object (``second``,
``third``, ``members``, ``second_q05``, ``second_q95``, ``third_q05``, ``third_q95``, ...).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import breadth_first_order

from helpers.model.platform_reach import DegreeLaw, Focus, Mechanisms, expected_layers, fitted_mechanisms, member_reach
from helpers.model.population import UNKNOWN, Graph, focus_weights


def _neighbours(graph: Graph, frontier: np.ndarray) -> np.ndarray:
    """All neighbours of ``frontier`` (with repeats), gathered without a Python loop."""
    starts = graph.indptr[frontier]
    lengths = graph.indptr[frontier + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=graph.indices.dtype)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return graph.indices[offsets + np.arange(total)]


def distances(graph: Graph, source: int, depth: int | None = 3) -> np.ndarray:
    """BFS distance of every node from ``source``, up to ``depth`` (every level when None); -1 beyond."""
    if depth is None:
        return _every_distance(graph, source)
    distance = np.full(graph.n, -1, dtype=np.int16)
    distance[source] = 0
    frontier = np.array([source], dtype=np.int64)
    level = 0
    while frontier.size and (depth is None or level < depth):
        level += 1
        candidates = _neighbours(graph, frontier)
        candidates = candidates[distance[candidates] < 0]
        distance[candidates] = level
        # a large frontier is found faster by one pass over the marks than by sorting the candidates
        frontier = np.flatnonzero(distance == level) if candidates.size > graph.n // 64 else np.unique(candidates)
    return distance


def _every_distance(graph: Graph, source: int) -> np.ndarray:
    """Distances to every reachable node with scipy's compiled BFS. Its order lists the nodes level by
    level, each after its parent, so parents' positions never decrease along it: one binary search per
    level finds where the next level ends."""
    order, parent = breadth_first_order(graph.matrix, source, directed=True, return_predecessors=True)
    position = np.empty(graph.n, dtype=np.int64)
    position[order] = np.arange(order.size)
    parent_position = position[parent[order[1:]]]
    ends = [1]
    while ends[-1] < order.size:
        ends.append(1 + int(np.searchsorted(parent_position, ends[-1], side="left")))
    distance = np.full(graph.n, -1, dtype=np.int16)
    distance[order] = np.repeat(np.arange(len(ends), dtype=np.int16), np.diff(np.r_[0, ends]))
    return distance


def layer_counts(graph: Graph, source: int, depth: int | None = 3) -> list[int]:
    """Number of nodes at distance 1, 2, ..., ``depth`` from ``source`` (every layer when ``depth`` is None).

    >>> from helpers.model.population import Graph
    >>> import numpy as np
    >>> path = Graph.from_edges(5, np.array([0, 1, 2, 3]), np.array([1, 2, 3, 4]))
    >>> layer_counts(path, 0)
    [1, 1, 1]
    >>> layer_counts(path, 0, depth=None)
    [1, 1, 1, 1]
    """
    distance = distances(graph, source, depth)
    counts = np.bincount(distance[distance > 0], minlength=(depth or 0) + 1)[1:]
    return counts.tolist()


def layer_counts_networkx(graph: nx.Graph, source, depth: int | None = 3) -> list[int]:
    """The same counts with networkx's BFS: the reference answer."""
    distances = nx.single_source_shortest_path_length(graph, source, cutoff=depth)
    counts = np.bincount(np.fromiter(distances.values(), dtype=np.int64), minlength=(depth or 0) + 1)
    return counts[1: depth + 1].tolist() if depth is not None else counts[1:].tolist()


@dataclass(frozen=True)
class PopulationFacts:
    """What the model may know about a population: its size, degree distribution, group sizes."""

    n: int
    degrees: np.ndarray  # a sample of the degree distribution (for a real graph: all degrees)
    marginals: list[tuple[np.ndarray, np.ndarray]]  # per attribute: group codes (-1 unknown), shares

    @property
    def mean_excess_degree(self) -> float:
        d = self.degrees.astype(float)
        return float((d * (d - 1)).sum() / d.sum())

    @cached_property
    def law(self) -> DegreeLaw:
        return DegreeLaw.from_degrees(self.degrees)


@dataclass(frozen=True)
class EgoPrediction:
    l1: int
    l2: float
    l3: float
    l2_runs: np.ndarray
    l3_runs: np.ndarray
    weights: np.ndarray


def predict_ego(facts: PopulationFacts, ego_groups: np.ndarray, alter_groups: np.ndarray, *,
                mechanisms: Mechanisms | None = None, runs: int = 32, seed=None,
                alter_degrees: np.ndarray | None = None) -> EgoPrediction:
    """Predict an ego's 2nd and 3rd degree from its alters' groups and the population's facts.

    The same closed form as at LinkedIn's scale (``platform_reach.expected_layers``): the alters'
    degrees are drawn ``runs`` times from the population's size-biased degree distribution tilted to
    the fitted mean for an ego of this degree; a fitted share of their other ties closes triangles; the
    rest land through the attributes the ego's alters share (focus weights read from the alters) or at
    random, with the fitted overlap among the alters' circles. Nothing of the ego's own neighbourhood
    beyond its list of alters is used. The median over the runs is the prediction.

    ``alter_degrees`` replaces the drawn degrees with given ones: a diagnostic (what the error would be if
    the alters' degrees were known), never used for a prediction.
    """
    rng = np.random.default_rng(seed)
    mechanisms = mechanisms or fitted_mechanisms()
    alter_groups = np.asarray(alter_groups, dtype=np.int64).reshape(-1, len(facts.marginals))
    k = alter_groups.shape[0]
    weights = focus_weights(np.asarray(ego_groups), alter_groups, facts.marginals)
    if k == 0:
        return EgoPrediction(0, 0.0, 0.0, np.zeros(runs), np.zeros(runs), weights)
    law = facts.law
    x = k / float(law.mean[0])
    excess = mechanisms.excess_ratio(x) * float(law.kappa[0])
    degrees = law.draw(np.repeat(law.tilted(law.gamma_for(excess)), runs, axis=0), rng.random((runs, k)))
    if alter_degrees is not None:
        degrees = np.repeat(np.asarray(alter_degrees, dtype=float)[None, :], runs, axis=0)
    outward = (1 - mechanisms.triadic(k)) * np.maximum(degrees - 1, 0)
    foci = []
    for attribute, (codes, shares) in enumerate(facts.marginals):
        column = alter_groups[:, attribute]
        present = np.unique(column[column >= 0])
        share_of = dict(zip(codes.tolist(), shares.tolist()))
        foci.append(Focus(weights[attribute], column, np.array([share_of.get(c, 0.0) for c in present.tolist()]),
                          share_of.get(UNKNOWN, 0.0)))
    second, third = expected_layers(law, facts.n, degrees, outward, foci, mechanisms.overlap(k),
                                    mechanisms.overlap(mechanisms.k_max), mechanisms.triadic(degrees.mean(axis=1)))
    return EgoPrediction(k, float(np.median(second)), float(np.median(third)), second, third, weights)


def naive_second_degree(k: int, facts: PopulationFacts) -> float:
    """Baseline: |L1| x mean excess degree (<d^2>/<d> - 1), as in a tree-like configuration model."""
    return k * facts.mean_excess_degree


def saturating_second_degree(k: int, facts: PopulationFacts) -> float:
    """Baseline: the same stubs landing at random on the population, so repeats and saturation count."""
    room = facts.n - 1 - k
    return room * (1 - np.exp(-k * facts.mean_excess_degree / facts.n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.reach",
                                     description="The 2nd and 3rd degree of a LinkedIn member of a given size.")
    parser.add_argument("--connections", type=int, required=True, help="the member's connections (1 to 30,000)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    parser.add_argument("--draws", type=int, default=300, help="joint draws over the assumptions' ranges (the bands)")
    parser.add_argument("--runs", type=int, default=20, help="Monte Carlo runs at the assumptions' values")
    args = parser.parse_args(argv)
    if not 1 <= args.connections <= 30_000:
        parser.error("--connections must be between 1 and 30,000 (LinkedIn's cap)")
    if args.draws < 2 or args.runs < 1:
        parser.error("--draws must be at least 2 and --runs at least 1")
    found = member_reach(args.connections, seed=args.seed, runs=args.runs, draws=args.draws)
    print(f"A member with {args.connections:,} connections (typical make-up) among {found['members']:,.0f} members: "
          f"2nd degree {found['second']:,.0f} (90% over the assumptions: {found['second_q05']:,.0f} to "
          f"{found['second_q95']:,.0f}), {found['second_per_connection']:,.0f} per connection; 3rd degree "
          f"{found['third']:,.0f} ({found['third_share']:.1%} of members; {found['third_q05']:,.0f} to "
          f"{found['third_q95']:,.0f}).")
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
