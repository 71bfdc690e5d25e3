"""Plain independent cascade on a CSR graph, vectorised over runs: the engine ``make bench`` compares
with NDlib's ``IndependentCascadesModel`` (same graph, edge probability and number of runs).

The audience of a post is not simulated this way any more (``helpers.model.audience`` is fitted to real
posts: a cascade whose viewers each see a post with a fixed chance gives views exactly proportional
to connections, which real posts contradict); the engine stays as the project's diffusion baseline.
"""

from __future__ import annotations

import numpy as np

from helpers.model.population import Graph
from helpers.model.reach import _neighbours


def independent_cascade(graph: Graph, source: int, probability: float, *, runs: int, seed=None) -> np.ndarray:
    """Final size of an independent cascade from ``source`` (the source included), one per run: each
    newly active node tries each inactive neighbour once, with ``probability``.

    >>> import numpy as np
    >>> path = Graph.from_edges(3, np.array([0, 1]), np.array([1, 2]))
    >>> independent_cascade(path, 0, 1.0, runs=2, seed=1).tolist()
    [3, 3]
    """
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
