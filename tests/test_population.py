"""The focus model's generator: a simple graph that keeps its degrees, groups, the planted member, closure and
overlap; and the focus weights read from the groups' ties."""

from __future__ import annotations

import networkx as nx
import numpy as np
import polars as pl
import pytest

from graph_fixtures import population
from helpers.model.population import Graph, focus_graph, focus_weights, group_focus_weights, to_networkx
from helpers.model.reach import layer_counts


def test_networkx_round_trip_keeps_every_edge():
    graph = nx.powerlaw_cluster_graph(3000, 4, 0.4, seed=2)
    back = to_networkx(Graph.from_networkx(graph))
    assert nx.utils.edges_equal(back.edges, graph.edges) and back.number_of_nodes() == graph.number_of_nodes()


def test_focus_graph_is_simple_keeps_degrees_and_plants_the_ego():
    degrees, groups = population()
    alters = np.arange(1, 51)
    graph = focus_graph(degrees, groups, np.array([0.4, 0.2]), ego=0, alters=alters, triadic=0.2, seed=7)
    owners = np.repeat(np.arange(graph.n), graph.degree())
    assert not (owners == graph.indices).any(), "self-loop"
    matrix = pl.DataFrame({"u": owners, "v": graph.indices})
    assert matrix.is_duplicated().sum() == 0, "repeated edge"
    assert sorted(graph.indices[graph.indptr[0]: graph.indptr[1]].tolist()) == alters.tolist()
    kept = graph.degree()[51:].sum() / degrees[51:].sum()
    assert 0.95 < kept <= 1.0, f"only {kept:.1%} of the target degree was realised"


def test_focus_weight_one_keeps_every_tie_inside_its_group():
    degrees, groups = population()
    graph = focus_graph(degrees, groups, np.array([1.0, 0.0]), seed=3)
    owners = np.repeat(np.arange(graph.n), graph.degree())
    assert (groups[owners, 0] == groups[graph.indices, 0]).all()


def test_triadic_closure_adds_ties_among_the_alters():
    degrees, groups = population()
    alters = np.arange(1, 101)

    def among(triadic):
        graph = focus_graph(degrees, groups, np.array([0.0, 0.0]), ego=0, alters=alters, triadic=triadic, seed=5)
        return to_networkx(graph).subgraph(alters.tolist()).number_of_edges()

    assert among(0.0) < 5 < 50 < among(0.3)


def test_same_seed_same_graph_and_another_seed_another():
    degrees, groups = population(5000)
    a = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=11)
    b = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=11)
    c = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=12)
    assert np.array_equal(a.indices, b.indices) and np.array_equal(a.indptr, b.indptr)
    assert not np.array_equal(a.indices, c.indices)


def test_focus_weights_are_the_alters_groups_mean_whatever_the_egos_group():
    marginals = [(np.array([-1, 0, 1]), np.array([0.2, 0.4, 0.4]))]
    by_group = [np.array([0.0, 0.6, 0.2])]
    alters = np.array([[0], [0], [0], [1], [-1]])
    # the four known alters: three of group 0 (0.6), one of group 1 (0.2); the unknown one does not count
    assert focus_weights(alters, marginals, by_group).tolist() == pytest.approx([0.5])
    assert focus_weights(alters[:2], marginals, by_group).tolist() == [0.0]  # fewer than three known
    many = [(np.array([0, 1]), np.array([0.1, 0.9]))] * 3
    capped = focus_weights(np.zeros((10, 3), dtype=int), many, [np.array([0.8, 0.1])] * 3, cap=0.9)
    assert abs(capped.sum() - 0.9) < 1e-12


def test_group_focus_weights_recover_the_generators_weights_from_the_ties():
    degrees, groups = population()
    graph = focus_graph(degrees, groups, np.array([0.4, 0.2]), seed=3)
    marginals = [(np.unique(column), np.bincount(column) / column.size) for column in groups.T]
    found = group_focus_weights(graph, groups, marginals)
    # every group of each attribute keeps the weight it was generated with (a little less in the groups of 100:
    # repeated ties between their hubs are dropped)
    assert np.median(found[0]) == pytest.approx(0.4, abs=0.03) and np.median(found[1]) == pytest.approx(0.2, abs=0.01)
    assert np.quantile(found[1], 0.9) - np.quantile(found[1], 0.1) < 0.02  # ten groups of 2,000: little noise
    lone = focus_graph(degrees, groups, np.array([0.0, 0.0]), seed=3)
    assert np.abs(group_focus_weights(lone, groups, marginals)[1]).max() < 0.02  # random ties: no focus


def test_group_focus_weights_measure_chance_by_ties_when_groups_differ_in_friend_count():
    rng = np.random.default_rng(8)
    n = 20_000
    group = (np.arange(n) >= n // 2).astype(np.int64)
    degrees = np.maximum(1, np.round(rng.lognormal(np.where(group == 0, np.log(25), np.log(5)), 0.5))).astype(np.int64)
    groups = np.where(rng.random(n) < 0.1, -1, group)[:, None]  # a tenth unknown: their ties are left out
    marginals = [(np.unique(groups[:, 0]), np.bincount(groups[:, 0] + 1) / n)]
    for planted in (0.0, 0.3):
        graph = focus_graph(degrees, groups, np.array([planted]), seed=5)
        found = group_focus_weights(graph, groups, marginals)[0]
        # half the people but five sixths of the ties are in group 0: by chance most ties land there, which a share
        # of people as the chance level would take for a focus
        assert found[0] == 0.0 and np.abs(found[1:] - planted).max() < 0.03, (planted, found)


def test_overlap_sends_ties_to_people_another_alter_already_reached():
    degrees, groups = population()
    alters = np.arange(1, 101)

    def second(overlap):
        graph = focus_graph(degrees, groups, np.array([0.0, 0.0]), ego=0, alters=alters, overlap=overlap, seed=5)
        return layer_counts(graph, 0)[1]

    assert second(0.5) < 0.65 * second(1.0)

