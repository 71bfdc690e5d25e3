"""Where a tie lands: the maximum-entropy simple graph with a network's degrees and degree pairings."""

from __future__ import annotations

import networkx as nx
import numpy as np

from graph_fixtures import NEUTRAL
from helpers.model.degrees import DegreeLaw
from helpers.model.landing import Structure, landing
from helpers.model.mechanisms import RealGraph
from helpers.model.population import Graph


def test_landing_is_degree_proportional_on_a_large_population_and_tilts_to_the_assortativity():
    law = DegreeLaw.lognormal(130, 1.1, 30_000, dormant_share=0.4)
    counts = 1e9 * law.weights[0]
    neutral = landing(law.values, counts, NEUTRAL)
    # a member's connections are picked in proportion to their degree, whoever the member is (up to the hubs'
    # ties to each other, which a simple graph caps)
    size_biased = counts * law.values / (counts * law.values).sum()
    assert np.allclose(neutral.alters[0, 10], size_biased, rtol=0.02, atol=1e-12)
    assert np.allclose(neutral.alters[0, 80], size_biased, rtol=0.02, atol=1e-12)
    assortative = landing(law.values, counts, Structure.assumed(0.14, 0.33, assortativity=0.2))

    def mean_log_degree_of_connections(kernel, cell):
        return float(kernel.alters[0, cell] @ np.log(law.values))

    few, many = law.cell_of(20), law.cell_of(2000)
    assert mean_log_degree_of_connections(assortative, few) < mean_log_degree_of_connections(neutral, few)
    assert mean_log_degree_of_connections(assortative, many) > mean_log_degree_of_connections(neutral, many)
    slope = ((mean_log_degree_of_connections(assortative, many) - mean_log_degree_of_connections(assortative, few))
             / np.log(law.values[many] / law.values[few]))
    assert abs(slope - 0.2) < 0.01


def test_the_kernel_is_a_graph_with_the_measured_degrees_and_degree_pairings():
    """Every tie counted from both ends (the kernel is symmetric), every class with its degree, and the connections
    of every class with the mean log degree measured on the graph: on a graph whose hubs are joined to many one-tie
    members, where tilting each class's row on its own would not add up."""
    rng = np.random.default_rng(8)
    graph = nx.barabasi_albert_graph(6000, 3, seed=8)
    graph.add_edges_from((int(h), 6000 + i) for i, h in enumerate(rng.choice(50, 3000)))  # hubs' one-tie fans
    real = RealGraph("fans", Graph.from_networkx(graph), np.zeros((9000, 0), dtype=np.int64), [])
    facts = real.facts
    law, kernel = facts.law, facts.landing
    counts = facts.n * law.weights[0]
    chance = kernel.ties[0] * law.values[:, None]  # chance that members of two classes are connected
    assert np.allclose(chance, chance.T, rtol=1e-9, atol=1e-15) and chance.max() <= 1
    assert np.allclose(chance @ counts, law.values, rtol=1e-3)
    measured = np.interp(np.log(law.values), facts.structure.log_degree, facts.structure.neighbour_degree)
    mean_log = (chance * counts[None, :]) @ np.log(law.values) / law.values
    assert np.abs(mean_log - measured).max() < 0.02
    # a member's connections are drawn as the median member's: their mean degree is that member's
    typical = np.exp(np.interp(np.log(law.values), facts.structure.log_degree, facts.structure.typical_degree))
    assert np.allclose(kernel.alters[0] @ law.values, typical, rtol=1e-3)


def test_landing_keeps_hubs_from_reaching_anyone_twice():
    """A hub of a small graph: degree-proportional landing would send many of its ties to the same few hubs;
    in the simple graph with the same degrees it reaches exactly its degree in distinct people."""
    degrees = np.r_[np.full(10, 900), np.full(990, 10)]
    law = DegreeLaw.from_degrees(degrees)
    kernel = landing(law.values, degrees.size * law.weights[0], NEUTRAL)
    hub = law.cell_of(900)
    chance = kernel.ties[0, hub] * law.values[hub]  # chance of a tie to a given member
    counts = degrees.size * law.weights[0]
    assert chance.max() <= 1.0 and abs((counts * chance).sum() / 900 - 1) < 1e-3
    proportional = 900 * law.values / (counts * law.values).sum()
    assert proportional[hub] > 1.0  # a hub-to-hub "probability" above one: impossible in a simple graph
    assert kernel.alters[0, hub, hub] < counts[hub] * proportional[hub] / 900
