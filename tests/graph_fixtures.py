"""Small graphs the reach tests share: a focus-model population, school-like circles, and a graph file pair."""

from __future__ import annotations

import gzip

import networkx as nx
import numpy as np

from helpers.model.landing import Structure
from helpers.model.mechanisms import RealGraph
from helpers.model.population import Graph

#: No clustering, no degree correlations: ties land as in the simple graph with the given degrees.
NEUTRAL = Structure(np.zeros(1), np.zeros(1))


def population(n=20_000, seed=1):
    rng = np.random.default_rng(seed)
    degrees = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(8), 0.8, n))), 400).astype(np.int64)
    groups = np.stack([rng.integers(0, 200, n), rng.integers(0, 10, n)], axis=1)
    return degrees, groups


def clustered_graph(name: str, clustered: bool, caves_known: bool = False) -> RealGraph:
    """A school-like graph of 3,000 people: 60 tight circles of 50 (clustered) or random ties with the same
    mean degree; the 'dorm' attribute is the circle when ``caves_known``, else unrelated to the ties."""
    rng = np.random.default_rng(4)
    n = 3000
    graph = nx.relaxed_caveman_graph(60, 50, 0.15, seed=4) if clustered else nx.gnm_random_graph(n, 73_500, seed=4)
    dorm = np.repeat(np.arange(60), 50) if caves_known else rng.integers(0, 60, n)
    groups = np.stack([dorm, rng.integers(0, 4, n)], axis=1)
    return RealGraph(name, Graph.from_networkx(graph), groups, ["dorm", "year"])


def write_graph(folder, graph: nx.Graph, groups: np.ndarray):
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "toy.edges.csv.gz", "wt") as out:
        out.write("source,target\n" + "".join(f"{u},{v}\n" for u, v in graph.edges))
    with gzip.open(folder / "toy.nodes.csv.gz", "wt") as out:
        out.write("id,dorm,year\n" + "".join(f"{i},{g[0] if g[0] >= 0 else ''},{g[1]}\n" for i, g in enumerate(groups)))
