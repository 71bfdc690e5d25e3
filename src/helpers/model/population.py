"""A synthetic population around a member: the *focus model* (Feld 1981), built by stub matching.

Every node has a target degree and a group in each attribute (company, job function, dorm, ...).
Each of its ties is formed through one *focus*: with probability ``weights[a]`` through attribute
``a`` (the partner shares the node's group in ``a``), otherwise at random in the whole population;
partners are chosen in proportion to their degree, as in a configuration model. Groups therefore
bring clustering and overlapping friends-of-friends, and the degree distribution is kept.

The member (the *ego*) is planted with its real list of alters: the ego's ties are exactly those,
each alter keeps one tie to the ego, a share ``triadic`` of the alters' other ties close triangles
among the alters (people you know know each other), and of the rest only a share ``overlap`` land
independently: the others join people another alter already knows (your friends' circles overlap).

``focus_graph`` returns CSR arrays (fast path, millions of nodes); ``to_networkx`` gives the same
graph as a :class:`networkx.Graph`, the modelling API and the reference the fast path is tested on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # networkx and scipy.sparse take 0.5 s to import: only what builds or converts graphs pays it
    import networkx as nx
    from scipy import sparse

from helpers.model.occupancy import capped, excess_weight

UNKNOWN = -1


@dataclass(frozen=True)
class Graph:
    """An undirected simple graph in CSR form (both directions stored, no self-loops)."""

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def n(self) -> int:
        return self.indptr.size - 1

    @property
    def arcs(self) -> int:
        return int(self.indices.size)

    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    @cached_property
    def matrix(self) -> sparse.csr_matrix:
        """The adjacency matrix as scipy's compiled graph routines take it (built on first use)."""
        from scipy import sparse

        index = np.int32 if self.arcs < 2**31 else np.int64
        return sparse.csr_matrix((np.ones(self.arcs), self.indices.astype(index), self.indptr.astype(index)),
                                 shape=(self.n, self.n))

    @classmethod
    def from_edges(cls, n: int, u: np.ndarray, v: np.ndarray) -> Graph:
        """Symmetrise, drop self-loops and duplicate edges."""
        from scipy import sparse

        keep = u != v
        u, v = u[keep], v[keep]
        matrix = sparse.csr_matrix((np.ones(2 * u.size, dtype=np.int8), (np.r_[u, v], np.r_[v, u])), shape=(n, n))
        matrix.sum_duplicates()
        matrix.sort_indices()
        return cls(matrix.indptr.astype(np.int64), matrix.indices.astype(np.int32))

    @classmethod
    def from_networkx(cls, graph: nx.Graph) -> Graph:
        nodes = np.fromiter(graph.nodes, dtype=np.int64)
        if nodes.size and (nodes.min() < 0 or nodes.max() >= nodes.size or np.unique(nodes).size != nodes.size):
            raise ValueError("nodes must be the integers 0..n-1")
        edges = np.array(list(graph.edges), dtype=np.int64).reshape(-1, 2)
        return cls.from_edges(graph.number_of_nodes(), edges[:, 0], edges[:, 1])


def to_networkx(graph: Graph) -> nx.Graph:
    """The same graph as a networkx Graph with nodes 0..n-1."""
    import networkx as nx

    result = nx.Graph()
    result.add_nodes_from(range(graph.n))
    owners = np.repeat(np.arange(graph.n), graph.degree())
    upper = owners < graph.indices
    result.add_edges_from(zip(owners[upper].tolist(), graph.indices[upper].tolist()))
    return result


def _pair_within_keys(keys: np.ndarray, owners: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle stubs within each key and pair neighbours: a configuration model per focus group.

    The key, a random tie-breaker and the owner are packed into one int64 and sorted once (a two-key
    lexsort of 15 million stubs takes ten times longer); when they do not fit, lexsort it is.
    """
    shifted = keys - keys.min(initial=0)
    key_bits = int(shifted.max(initial=0)).bit_length()
    owner_bits = int(owners.max(initial=0)).bit_length()
    random_bits = 63 - key_bits - owner_bits
    if random_bits >= 20:
        packed = (shifted << (random_bits + owner_bits)) \
            | (rng.integers(0, 1 << random_bits, size=keys.size, dtype=np.int64) << owner_bits) | owners
        packed.sort()
        keys = packed >> (random_bits + owner_bits)
        owners = packed & ((1 << owner_bits) - 1)
    else:
        order = np.lexsort((rng.random(keys.size), keys))
        keys, owners = keys[order], owners[order]
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    position = np.arange(keys.size) - np.repeat(starts, np.diff(np.r_[starts, keys.size]))
    left = np.flatnonzero(position % 2 == 0)
    left = left[left + 1 < keys.size]
    left = left[keys[left] == keys[left + 1]]
    return owners[left], owners[left + 1]


def focus_graph(degrees: np.ndarray, groups: np.ndarray, weights: np.ndarray, *, ego: int | None = None,
                alters: np.ndarray | None = None, triadic: float = 0.0, overlap: float = 1.0, seed=None) -> Graph:
    """Generate a focus-model graph.

    Parameters
    ----------
    degrees : (n,) int array
        Target degree of every node (the result is slightly lower: self-loops, repeats and an odd
        stub out in a group are dropped).
    groups : (n, a) int array
        Group code of every node in each attribute; ``UNKNOWN`` (-1) where unknown. A tie through an
        attribute whose group is unknown is formed at random instead.
    weights : (a,) float array
        Probability that a tie is formed through each attribute; the rest are random.
    ego, alters : optional
        Plant a member: ``ego``'s ties are exactly ``alters`` (its own target degree is ignored);
        each alter spends one of its stubs on the ego.
    triadic : float
        Share of the alters' remaining stubs paired among the alters themselves.
    overlap : float
        Share of the alters' other stubs paired as usual; each of the rest joins someone another
        alter's tie already reached (a random end of the alters' outward ties): the alters' circles
        overlap beyond their groups.
    seed : int or numpy Generator

    Returns
    -------
    Graph
    """
    rng = np.random.default_rng(seed)
    degrees = np.asarray(degrees, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64).reshape(degrees.size, -1)
    weights = np.asarray(weights, dtype=float)
    if weights.size != groups.shape[1] or weights.min(initial=0) < 0 or weights.sum() > 1 + 1e-12:
        raise ValueError("weights need one value per attribute, each >= 0, summing to at most 1")
    free = degrees.copy()
    is_alter = np.zeros(degrees.size, dtype=bool)
    if ego is not None:
        alters = np.asarray(alters, dtype=np.int64)
        free[ego] = 0
        free[alters] = np.maximum(free[alters] - 1, 0)
        is_alter[alters] = True
    owners = np.repeat(np.arange(degrees.size), np.maximum(free, 0))
    channel = np.searchsorted(np.cumsum(weights), rng.random(owners.size), side="right")
    # key: -2 = triadic (among alters), -1 = random, else attribute * stride + group
    stride = int(groups.max(initial=0)) + 2
    keys = np.full(owners.size, -1, dtype=np.int64)
    for attribute in range(weights.size):
        chosen = channel == attribute
        group = groups[owners[chosen], attribute]
        keys[chosen] = np.where(group >= 0, attribute * stride + group, -1)
    if ego is not None and triadic > 0:
        keys[is_alter[owners] & (rng.random(owners.size) < triadic)] = -2
    copies = np.zeros(owners.size, dtype=bool)
    if ego is not None and overlap < 1:
        copies = is_alter[owners] & (keys != -2) & (rng.random(owners.size) >= overlap)
    u, v = _pair_within_keys(keys[~copies], owners[~copies], rng)
    if copies.any():
        outward = is_alter[u] != is_alter[v]
        reached = np.where(is_alter[u], v, u)[outward]
        if reached.size:
            u = np.r_[u, owners[copies]]
            v = np.r_[v, rng.choice(reached, size=int(copies.sum()))]
    if ego is not None:
        u = np.r_[u, np.full(alters.size, ego)]
        v = np.r_[v, alters]
    return Graph.from_edges(degrees.size, u, v)


def group_focus_weights(graph: Graph, groups: np.ndarray, marginals: list[tuple[np.ndarray, np.ndarray]]
                        ) -> list[np.ndarray]:
    """How much of its members' ties each group keeps through its focus, read from the graph's edges.

    For attribute ``a`` and each group ``g`` of ``marginals[a]``, among the ties between people whose groups are
    known: ``s`` = share of the ties of ``g``'s members that stay in ``g``, ``q`` = ``g``'s share of all the ties'
    ends, the share a tie formed at random lands in (random ties land in proportion to degree); the excess
    ``(s - q) / (1 - q)`` is the share of its members' ties formed through the focus (0 for the unknown code and for
    a group without ties). Ties are counted, not members: a connection is reached along a tie, so its own ties
    weigh in proportion to their number, a hub's as many times as it has ties. Returns one array per attribute,
    aligned with the marginals' codes.
    """
    owners = np.repeat(np.arange(graph.n), graph.degree())
    found = []
    for attribute, (codes, _) in enumerate(marginals):
        column = groups[:, attribute]
        ends = column[owners], column[graph.indices]
        known = (ends[0] >= 0) & (ends[1] >= 0)
        size = int(codes.max(initial=0)) + 1
        ties = np.bincount(ends[0][known], minlength=size)
        kept = np.bincount(ends[0][known & (ends[0] == ends[1])], minlength=size)
        total = max(int(ties.sum()), 1)
        found.append(np.array([excess_weight(kept[code] / ties[code], ties[code] / total)
                               if code >= 0 and ties[code] else 0.0 for code in codes.tolist()]))
    return found


def focus_weights(alter_groups: np.ndarray, marginals: list[tuple[np.ndarray, np.ndarray]],
                  group_weights: list[np.ndarray], cap: float = 0.9, min_known: int = 3) -> np.ndarray:
    """How much of the member's connections' other ties each attribute explains: the mean, over the connections
    whose group is known, of their group's focus weight (:func:`group_focus_weights`). A connection's ties form
    as its own group's members' do, whatever the member's own group: the member's own share of connections in
    their group says how the member's ties formed, not how the connections' did. 0 when fewer than ``min_known``
    connections' groups are known; the total is capped at ``cap`` so some ties stay random.

    >>> marginals = [(np.array([0, 1]), np.array([0.5, 0.5]))]
    >>> focus_weights(np.array([[0], [0], [0], [1]]), marginals, [np.array([0.6, 0.2])]).round(2).tolist()
    [0.5]
    """
    weights = np.zeros(len(marginals))
    for attribute, (codes, _) in enumerate(marginals):
        column = alter_groups[:, attribute]
        known = column[column >= 0]
        if known.size < min_known:
            continue
        position = np.minimum(np.searchsorted(codes, known), codes.size - 1)
        if not (codes[position] == known).all():
            raise ValueError(f"attribute {attribute}: a connection's group is not among the population's groups")
        weights[attribute] = group_weights[attribute][position].mean()
    return capped(weights, cap)

