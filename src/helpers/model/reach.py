"""Count a member's 1st, 2nd and 3rd degree: exactly by BFS, and predicted by the reach model.

``layer_counts`` runs on CSR arrays (a level-synchronous numpy BFS, no Python loop over nodes; scipy's
compiled BFS when every level is wanted);
``layer_counts_networkx`` is the reference, and tests check both agree. ``measure_structure`` reads a real
graph's local clustering and degree correlations by degree (the facts the reach model takes beside the degree
distribution); ``predict_ego`` is the model's prediction for a member of a real graph, from what an export
would give and the graph's aggregate facts (these, its groups' focus weights as its clustering, are read from the
whole graph, the member's own ties among the others: negligible but for groups of a few people).

``python -m helpers.model.reach --connections 500 --seed 1`` prints the model's 2nd and 3rd degree of a
LinkedIn member of that size with a typical make-up; its last line is one JSON object (``second``,
``third``, ``members``, ``second_q05``, ``second_q95``, ``third_q05``, ``third_q95``, ...).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cached_property

from typing import TYPE_CHECKING

import numpy as np

from helpers.model import command_line
from helpers.model.degrees import DegreeLaw
from helpers.model.landing import Landing, Structure, landing
from helpers.model.occupancy import Focus, connection_layers
from helpers.model.overlap_laws import Mechanisms, fitted_mechanisms
from helpers.model.population import UNKNOWN, Graph, focus_weights
from helpers.model.typical_member import member_reach

if TYPE_CHECKING:
    import networkx as nx

#: The structure's profiles are read in bins of half an octave of degree, local clustering on at most this many
#: members of each bin (drawn at random; the standard error of a bin's mean is then under 0.02).
CLUSTERING_SAMPLE = 200


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
    from scipy.sparse.csgraph import breadth_first_order

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
    import networkx as nx

    distances = nx.single_source_shortest_path_length(graph, source, cutoff=depth)
    counts = np.bincount(np.fromiter(distances.values(), dtype=np.int64), minlength=(depth or 0) + 1)
    return counts[1: depth + 1].tolist() if depth is not None else counts[1:].tolist()


def local_clustering(graph: Graph, nodes: np.ndarray) -> np.ndarray:
    """Local clustering of each of ``nodes``: the share of pairs of its neighbours that are neighbours (0 below 2)."""
    mark = np.zeros(graph.n, dtype=bool)
    found = np.zeros(len(nodes))
    for index, node in enumerate(np.asarray(nodes)):
        around = graph.indices[graph.indptr[node]: graph.indptr[node + 1]]
        if around.size < 2:
            continue
        mark[around] = True
        found[index] = mark[_neighbours(graph, around)].sum() / (around.size * (around.size - 1))
        mark[around] = False
    return found


def measure_structure(graph: Graph, seed=0, sample: int = CLUSTERING_SAMPLE) -> Structure:
    """A real graph's local clustering and the degrees of connections, by degree (half-octave bins).

    The connections' log degree is averaged over every tie of the bin's members, and the mean degree of each
    member's connections is read and the median member's kept; local clustering is averaged over at most
    ``sample`` members per bin, drawn with ``seed``.

    >>> import networkx as nx
    >>> structure = measure_structure(Graph.from_networkx(nx.complete_graph(5)))
    >>> float(structure.clustering_at(np.array([4.0]))[0]), round(float(np.exp(structure.neighbour_degree[0])), 6)
    (1.0, 4.0)
    """
    rng = np.random.default_rng(seed)
    degree = graph.degree()
    owners = np.repeat(np.arange(graph.n), degree)
    cell = np.floor(2 * np.log2(np.maximum(degree, 1))).astype(np.int64)
    live = degree > 0
    bins, inverse = np.unique(cell[live], return_inverse=True)
    by_tie = np.full(graph.n, -1)
    by_tie[live] = inverse
    ties = np.bincount(by_tie[owners], minlength=bins.size)
    neighbour = np.bincount(by_tie[owners], weights=np.log(degree[graph.indices]), minlength=bins.size)
    members_mean = np.bincount(owners, weights=degree[graph.indices], minlength=graph.n) / np.maximum(degree, 1)
    centres, clustering, typical = [], [], []
    for index in range(bins.size):
        members = np.flatnonzero(live & (cell == bins[index]))
        centres.append(float(np.log(degree[members]).mean()))
        typical.append(float(np.log(np.median(members_mean[members]))))
        pairs = members[degree[members] >= 2]
        drawn = rng.choice(pairs, size=min(sample, pairs.size), replace=False) if pairs.size else pairs
        clustering.append(float(local_clustering(graph, drawn).mean()) if drawn.size else 0.0)
    if not centres:
        return Structure(np.zeros(1), np.zeros(1), np.zeros(1))
    return Structure(np.array(centres), np.array(clustering), neighbour / np.maximum(ties, 1),
                     typical_degree=np.array(typical))


@dataclass(frozen=True)
class PopulationFacts:
    """What the model may know about a population: its size, degree distribution, group sizes, and its
    structure (local clustering and the mean degree of connections, by degree)."""

    n: int
    degrees: np.ndarray  # a sample of the degree distribution (for a real graph: all degrees)
    marginals: list[tuple[np.ndarray, np.ndarray]]  # per attribute: group codes (-1 unknown), shares
    structure: Structure
    #: per attribute, each group's focus weight (``population.group_focus_weights``), aligned with the marginals
    group_weights: list[np.ndarray]

    @property
    def mean_excess_degree(self) -> float:
        d = self.degrees.astype(float)
        return float((d * (d - 1)).sum() / d.sum())

    @cached_property
    def law(self) -> DegreeLaw:
        return DegreeLaw.from_degrees(self.degrees)

    @cached_property
    def landing(self) -> Landing:
        return landing(self.law.values, self.n * self.law.weights[0], self.structure)

    @cached_property
    def clustering(self) -> np.ndarray:
        return self.structure.clustering_at(self.law.values)


@dataclass(frozen=True)
class EgoPrediction:
    l1: int
    l2: float
    l3: float
    l2_runs: np.ndarray
    l3_runs: np.ndarray
    weights: np.ndarray


def ego_foci(facts: PopulationFacts, alter_groups: np.ndarray) -> list[Focus]:
    """The foci of an ego's alters: focus weights of the alters' groups (``population.focus_weights``), group
    shares from the facts."""
    weights = focus_weights(alter_groups, facts.marginals, facts.group_weights)
    foci = []
    for attribute, (codes, shares) in enumerate(facts.marginals):
        column = alter_groups[:, attribute]
        share_of = dict(zip(codes.tolist(), shares.tolist()))
        present = np.unique(column[column >= 0]).tolist()
        foci.append(Focus(weights[attribute], column, np.array([share_of.get(c, 0.0) for c in present]),
                          share_of.get(UNKNOWN, 0.0)))
    return foci


def predict_ego(facts: PopulationFacts, alter_groups: np.ndarray, *,
                mechanisms: Mechanisms | None = None, runs: int = 32, seed=None,
                alter_degrees: np.ndarray | None = None) -> EgoPrediction:
    """Predict an ego's 2nd and 3rd degree from its alters' groups and the population's facts.

    The same closed form as at LinkedIn's scale (``occupancy.connection_layers``): the alters' degrees
    are drawn ``runs`` times from the landing kernel's connections of a member of this degree (the graph's
    degree correlations); the graph's local clustering at this degree sets how many of the alters' other
    ties close among them; the rest land through the alters' groups (each group's focus weight read from the
    graph's ties: :func:`ego_foci`) or at random, with the fitted overlap among the alters' circles and among the 2nd
    degree's. Nothing of the ego's own neighbourhood beyond its list of alters is used. The median over the
    runs is the prediction. A graph without attributes (``alter_groups`` of shape (k, 0)) is predicted from
    the degrees and the structure alone.

    ``alter_degrees`` replaces the drawn degrees with given ones: a diagnostic (what the error would be if
    the alters' degrees were known), never used for a prediction.
    """
    rng = np.random.default_rng(seed)
    mechanisms = mechanisms or fitted_mechanisms()
    alter_groups = np.asarray(alter_groups, dtype=np.int64)
    if alter_groups.ndim == 1:
        alter_groups = alter_groups.reshape(-1, len(facts.marginals))
    k = alter_groups.shape[0]
    # each connection's quantile is stratified over the runs (a Latin hypercube): the median over the runs is then
    # the alters' law's, not that of a few draws
    uniform = (rng.permuted(np.tile(np.arange(runs), (k, 1)), axis=1).T + rng.random((runs, k))) / runs
    foci = ego_foci(facts, alter_groups)
    weights = np.array([float(focus.weight) for focus in foci])
    if k == 0:
        return EgoPrediction(0, 0.0, 0.0, np.zeros(runs), np.zeros(runs), weights)
    found = connection_layers(facts.law, facts.n, facts.landing, facts.clustering, k, foci, mechanisms,
                              uniform=None if alter_degrees is not None else uniform, alter_degrees=alter_degrees)
    return EgoPrediction(k, float(np.median(found.second)), float(np.median(found.third)), found.second, found.third,
                         weights)


def naive_second_degree(k: int, facts: PopulationFacts) -> float:
    """Baseline: |L1| x mean excess degree (<d^2>/<d> - 1), as in a tree-like configuration model."""
    return k * facts.mean_excess_degree


def saturating_second_degree(k: int, facts: PopulationFacts) -> float:
    """Baseline: the same stubs landing at random on the population, so repeats and saturation count."""
    room = facts.n - 1 - k
    return room * (1 - np.exp(-k * facts.mean_excess_degree / facts.n))


def main(argv: list[str] | None = None) -> int:
    parser = command_line.member_parser("python -m helpers.model.reach",
                                        "The 2nd and 3rd degree of a LinkedIn member of a given size.")
    command_line.add_connections(parser, required=True)
    parser.add_argument("--draws", type=int, default=300, help="joint draws over the assumptions' ranges (the bands)")
    parser.add_argument("--runs", type=int, default=20, help="Monte Carlo runs at the assumptions' values")
    args = parser.parse_args(argv)
    command_line.check_connections(parser, args.connections)
    if args.draws < 2 or args.runs < 1:
        parser.error("--draws must be at least 2 and --runs at least 1")
    found = member_reach(args.connections, seed=args.seed, runs=args.runs, draws=args.draws)
    return command_line.print_answer(
        f"A member with {args.connections:,} connections (typical make-up) among {found['members']:,.0f} members: "
        f"2nd degree {found['second']:,.0f} (90% over the assumptions: {found['second_q05']:,.0f} to "
        f"{found['second_q95']:,.0f}), {found['second_per_connection']:,.0f} per connection; 3rd degree "
        f"{found['third']:,.0f} ({found['third_share']:.1%} of members; {found['third_q05']:,.0f} to "
        f"{found['third_q95']:,.0f}).", found)

if __name__ == "__main__":
    sys.exit(main())
