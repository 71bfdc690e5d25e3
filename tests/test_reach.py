"""Counting a member's 1st, 2nd and 3rd degree: CSR layer counts against networkx, a real graph's structure, the
ego prediction, and ``python -m helpers.model.reach``."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from conftest import run_main
from graph_fixtures import clustered_graph
from helpers.model import assumptions, reach
from helpers.model.landing import Structure
from helpers.model.mechanisms import RealGraph
from helpers.model.population import Graph, to_networkx
from helpers.model.reach import layer_counts, layer_counts_networkx, measure_structure, predict_ego
from helpers.paths import PROJECT_ROOT


GRAPHS = {
    "path": nx.path_graph(7),
    "star": nx.star_graph(9),
    "complete": nx.complete_graph(6),
    "two components": nx.disjoint_union(nx.cycle_graph(5), nx.path_graph(4)),
    "isolated node": nx.empty_graph(3),
    "clustered": nx.powerlaw_cluster_graph(3000, 4, 0.4, seed=2),
    "communities": nx.stochastic_block_model([200, 300, 250], [[0.05, 0.002, 0.001], [0.002, 0.03, 0.004],
                                                               [0.001, 0.004, 0.04]], seed=4),
}


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("depth", [1, 2, 3, 4, None])
def test_csr_layer_counts_equal_networkx(name, depth):
    graph = GRAPHS[name]
    csr = Graph.from_networkx(graph)
    for source in list(graph.nodes)[:: max(1, graph.number_of_nodes() // 7)]:
        assert layer_counts(csr, source, depth) == layer_counts_networkx(graph, source, depth)


def test_exact_answers_on_small_graphs():
    assert layer_counts(Graph.from_networkx(nx.path_graph(7)), 3) == [2, 2, 2]
    assert layer_counts(Graph.from_networkx(nx.star_graph(9)), 1) == [1, 8, 0]
    assert layer_counts(Graph.from_networkx(nx.complete_graph(6)), 0) == [5, 0, 0]
    assert layer_counts(Graph.from_networkx(nx.empty_graph(3)), 0) == [0, 0, 0]


def test_structure_of_a_graph_is_read_by_degree():
    cliques = nx.disjoint_union(nx.complete_graph(6), nx.star_graph(12))
    structure = measure_structure(Graph.from_networkx(cliques))
    assert structure.clustering_at(np.array([5.0]))[0] == 1.0  # everyone in a clique knows everyone
    assert structure.clustering_at(np.array([12.0]))[0] == 0.0  # the star's centre: no two leaves know each other
    assert np.exp(structure.neighbour_degree[0]) == pytest.approx(12.0)  # the leaves' one connection is the centre
    assert np.exp(structure.typical_degree[0]) == pytest.approx(12.0)  # and so is the median leaf's
    assumed = Structure.assumed(0.14, 0.33, 0.0)
    assert assumed.clustering_at(np.array([1.0, 100.0]))[0] == 0.0
    assert assumed.clustering_at(np.array([1000.0]))[0] == pytest.approx(0.14 * 10 ** -0.33, rel=1e-3)  # interpolated


def test_prediction_sees_the_alters_and_the_facts_not_the_answer():
    """Rewire every tie but the ego's own (degrees kept): the truth changes; told the same aggregate facts, the
    prediction cannot."""
    real = clustered_graph("fb100-caves", clustered=True)
    graph = to_networkx(real.graph)
    ego = 7
    own = list(graph.edges(ego))
    rewired = graph.copy()
    rewired.remove_edges_from(own)
    nx.double_edge_swap(rewired, nswap=40_000, max_tries=400_000, seed=3)
    rewired.add_edges_from(own)
    other = RealGraph(real.name, Graph.from_networkx(rewired), real.groups, real.attributes)
    assert np.array_equal(other.graph.degree(), real.graph.degree())
    alters = real.graph.indices[real.graph.indptr[ego]: real.graph.indptr[ego + 1]]
    predictions = [predict_ego(real.facts, g.groups[alters], runs=16, seed=2) for g in (real, other)]
    truths = [layer_counts(g.graph, ego)[1] for g in (real, other)]
    assert predictions[0].l2 == predictions[1].l2 and predictions[0].l3 == predictions[1].l3
    assert truths[0] != truths[1]
    assert 0 < predictions[0].l2 <= real.graph.n - 1 - alters.size


def test_reach_cli_prints_the_keys_and_is_reproducible():
    command = [sys.executable, "-m", "helpers.model.reach", "--connections", "500", "--seed", "3", "--draws", "40"]
    first = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert first.returncode == 0, first.stderr
    found = json.loads(first.stdout.strip().splitlines()[-1])
    assert {"second", "third", "members", "second_q05", "second_q95", "third_q05", "third_q95"} <= set(found)
    assert found["second_q05"] < found["second_q95"] and found["third_q05"] < found["third_q95"]
    assert found["members"] == assumptions.value("reach.members")
    assert 250 <= found["second"] / 500 <= 800  # hundreds per connection, as LinkedIn published (model/anchors.py)
    again = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert again.stdout == first.stdout
    refused = run_main(reach.main, "--connections", "0")
    assert refused.returncode == 2 and "30,000" in refused.stderr and "Traceback" not in refused.stderr
