"""The cascade engine's exact answers (it is compared with NDlib in `make bench`)."""

from __future__ import annotations

import networkx as nx
import numpy as np

from helpers.model.cascade import independent_cascade
from helpers.model.population import Graph


def test_independent_cascade_exact_cases():
    path = Graph.from_networkx(nx.path_graph(6))
    assert independent_cascade(path, 0, 1.0, runs=5, seed=1).tolist() == [6] * 5
    assert independent_cascade(path, 0, 0.0, runs=5, seed=1).tolist() == [1] * 5
    # on a path from one end, the expected size is 1 + p + p^2 + ... + p^5
    p = 0.5
    sizes = independent_cascade(path, 0, p, runs=40_000, seed=2)
    expected = sum(p**i for i in range(6))
    assert abs(sizes.mean() - expected) < 4 * sizes.std() / np.sqrt(sizes.size)
    two = Graph.from_networkx(nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3)))
    assert independent_cascade(two, 0, 1.0, runs=3, seed=1).tolist() == [4, 4, 4]
