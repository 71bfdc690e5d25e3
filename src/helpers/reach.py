"""Count a member's 1st, 2nd and 3rd degree: exactly by BFS, and predicted by the focus model.

``layer_counts`` runs on CSR arrays (a level-synchronous numpy BFS, no Python loop over nodes);
``layer_counts_networkx`` is the reference, and tests check both agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from helpers.population import Graph, focus_graph, focus_weights, sample_groups


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


def layer_counts(graph: Graph, source: int, depth: int | None = 3) -> list[int]:
    """Number of nodes at distance 1, 2, ..., ``depth`` from ``source`` (every layer when ``depth`` is None).

    >>> from helpers.population import Graph
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


@dataclass(frozen=True)
class EgoPrediction:
    l1: int
    l2: float
    l3: float
    l2_runs: np.ndarray
    l3_runs: np.ndarray
    weights: np.ndarray


def predict_ego(facts: PopulationFacts, ego_groups: np.ndarray, alter_groups: np.ndarray, *, triadic: float,
                runs: int = 3, seed=None) -> EgoPrediction:
    """Predict an ego's 2nd and 3rd degree from its alters' groups and the population's facts.

    A population of ``facts.n`` nodes is generated ``runs`` times: the ego, its ``k`` alters with
    their known groups and degrees drawn size-biased (a friend has more friends than average), and
    everyone else with degrees and groups drawn from the facts; then the layers are counted by BFS.
    """
    rng = np.random.default_rng(seed)
    k = alter_groups.shape[0]
    weights = focus_weights(ego_groups, alter_groups, facts.marginals)
    pool = facts.degrees[facts.degrees > 0]
    biased = pool / pool.sum()
    l2, l3 = [], []
    for _ in range(runs):
        degrees = rng.choice(pool, size=facts.n)
        degrees[1: k + 1] = rng.choice(pool, size=k, p=biased)
        groups = sample_groups(facts.n, facts.marginals, rng)
        groups[0] = ego_groups
        known = alter_groups >= 0
        block = groups[1: k + 1]
        block[known] = alter_groups[known]
        graph = focus_graph(degrees, groups, weights, ego=0, alters=np.arange(1, k + 1), triadic=triadic, seed=rng)
        counts = layer_counts(graph, 0)
        l2.append(counts[1])
        l3.append(counts[2])
    return EgoPrediction(k, float(np.mean(l2)), float(np.mean(l3)), np.array(l2), np.array(l3), weights)


def naive_second_degree(k: int, facts: PopulationFacts) -> float:
    """Baseline: |L1| x mean excess degree (<d^2>/<d> - 1), as in a tree-like configuration model."""
    return k * facts.mean_excess_degree


def saturating_second_degree(k: int, facts: PopulationFacts) -> float:
    """Baseline: the same stubs landing at random on the population, so repeats and saturation count."""
    room = facts.n - 1 - k
    return room * (1 - np.exp(-k * facts.mean_excess_degree / facts.n))
