"""Measuring and fitting the overlap laws on real graphs, reading graph files as they come, and the committed
graph facts."""

from __future__ import annotations

import gzip

import networkx as nx
import numpy as np
import polars as pl
import pytest

from graph_fixtures import clustered_graph
from helpers.model.mechanisms import RealGraph, degree_pairing_check, fit, graph_facts, load_graph, observe, rewired
from helpers.model.population import Graph


def test_the_kernel_gives_the_2nd_degree_of_the_graph_rewired_with_its_degree_pairings():
    """The closed form told the friends' true degrees, with no overlap law, against exact BFS on a heavy-tailed graph
    with hubs rewired keeping each tie's pair of end degrees (degrees and degree correlations kept, clustering
    gone): the kernel alone must give it."""
    graph = nx.powerlaw_cluster_graph(20_000, 6, 0.3, seed=2)
    real = RealGraph("hubs", Graph.from_networkx(graph), np.zeros((20_000, 0), dtype=np.int64), [])
    again = rewired(real.graph, 3)
    assert np.abs(again.degree() - real.graph.degree()).mean() < 0.05  # degrees kept but for a few repeated ties
    assert abs(degree_pairing_check(real, 30, 4)["pairings_error_rewired"]) < 0.03
    # friends in the same circles: what the degree pairings leave is the overlap the law is fitted to
    circles = nx.relaxed_caveman_graph(100, 60, 0.1, seed=5)
    caves = RealGraph("caves", Graph.from_networkx(circles), np.zeros((6000, 0), dtype=np.int64), [])
    check = degree_pairing_check(caves, 30, 4)
    assert abs(check["pairings_error_rewired"]) < 0.03 and check["pairings_error_real"] > 0.5


def test_the_overlap_law_finds_overlapping_circles_where_friends_know_each_other():
    def overlap_at_typical_ego(real: RealGraph) -> float:
        observed = observe(real, 60, seed=1)
        return float(np.exp(-fit(observed)["overlap_scale"] * observed["embedded"].median()))

    # circle-mates' other ties land in the same few circles, beyond what closing among them explains
    assert overlap_at_typical_ego(clustered_graph("caves", clustered=True)) < 0.9
    assert overlap_at_typical_ego(clustered_graph("random", clustered=False)) > 0.99


def test_the_fit_is_reproducible_with_its_seed():
    graph = clustered_graph("fb100-caves", clustered=True)
    assert fit(observe(graph, 40, seed=7)) == fit(observe(graph, 40, seed=7))
    assert fit(observe(graph, 40, seed=7)) != fit(observe(graph, 40, seed=8))


def test_attributes_known_for_few_people_are_left_out(tmp_path):
    graph = nx.cycle_graph(200)
    with gzip.open(tmp_path / "few.edges.csv.gz", "wt") as out:
        out.write("source,target\n" + "".join(f"{u},{v}\n" for u, v in graph.edges))
    with gzip.open(tmp_path / "few.nodes.csv.gz", "wt") as out:
        out.write("id,dorm,year\n" + "".join(f"{i},{'7' if i < 10 else ''},{i % 4}\n" for i in graph.nodes))
    real = load_graph(tmp_path / "few.edges.csv.gz", tmp_path / "few.nodes.csv.gz")
    assert real.attributes == ["year"] and real.ignored == {"dorm": pytest.approx(0.05)}
    assert real.groups.shape == (200, 1) and set(real.groups[:, 0]) == {0, 1, 2, 3}


def test_committed_graph_facts_say_what_differs_between_the_kinds_of_network():
    """``make mechanisms`` writes each graph's measured facts: the large online networks' people know fewer of each
    other's friends than the schools', and their friends' circles overlap less; the one law of clustering follows."""
    facts = graph_facts()
    schools = facts.filter(pl.col("graph").str.starts_with("fb100-"))
    large = facts.filter(pl.col("nodes") >= 30_000)
    assert schools.height == 11 and large.height >= 2
    assert large["clustering_at_100"].max() < schools["clustering_at_100"].min()
    assert large["overlap_needed"].min() > schools["overlap_needed"].max()
    assert large["overlap_fitted"].min() > schools["overlap_fitted"].max()
    assert ((facts["overlap_fitted"] - facts["overlap_needed"]).abs().drop_nulls() < 0.25).mean() > 0.8
    # the kernel alone gives the large networks' 2nd degree when nothing but their degree pairings is left; in the
    # schools, friends' circles overlap beyond them (what the law of clustering takes away)
    assert (large["pairings_error_rewired"].abs() < 0.05).all()
    assert (schools["pairings_error_real"] > schools["pairings_error_rewired"] + 0.01).all()
