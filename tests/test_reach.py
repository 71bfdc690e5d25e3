"""The reach model: CSR layer counts against networkx, the focus-model generator, the platform-scale
closed form against full generation, the validation CLI, and the reach verdicts' branches."""

from __future__ import annotations

import gzip
import subprocess
import sys

import networkx as nx
import numpy as np
import polars as pl
import pytest

from helpers.paths import PROJECT_ROOT
from helpers.platform_reach import Degrees, Platform, layer_sizes
from helpers.population import Graph, focus_graph, focus_weights, to_networkx
from helpers.reach import layer_counts, layer_counts_networkx

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
@pytest.mark.parametrize("depth", [1, 2, 3, 4])
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


def test_networkx_round_trip_keeps_every_edge():
    graph = GRAPHS["clustered"]
    back = to_networkx(Graph.from_networkx(graph))
    assert nx.utils.edges_equal(back.edges, graph.edges) and back.number_of_nodes() == graph.number_of_nodes()


def _population(n=20_000, seed=1):
    rng = np.random.default_rng(seed)
    degrees = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(8), 0.8, n))), 400).astype(np.int64)
    groups = np.stack([rng.integers(0, 200, n), rng.integers(0, 10, n)], axis=1)
    return degrees, groups


def test_focus_graph_is_simple_keeps_degrees_and_plants_the_ego():
    degrees, groups = _population()
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
    degrees, groups = _population()
    graph = focus_graph(degrees, groups, np.array([1.0, 0.0]), seed=3)
    owners = np.repeat(np.arange(graph.n), graph.degree())
    assert (groups[owners, 0] == groups[graph.indices, 0]).all()


def test_triadic_closure_adds_ties_among_the_alters():
    degrees, groups = _population()
    alters = np.arange(1, 101)

    def among(triadic):
        graph = focus_graph(degrees, groups, np.array([0.0, 0.0]), ego=0, alters=alters, triadic=triadic, seed=5)
        return to_networkx(graph).subgraph(alters.tolist()).number_of_edges()

    assert among(0.0) < 5 < 50 < among(0.3)


def test_same_seed_same_graph_and_another_seed_another():
    degrees, groups = _population(5000)
    a = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=11)
    b = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=11)
    c = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=12)
    assert np.array_equal(a.indices, b.indices) and np.array_equal(a.indptr, b.indptr)
    assert not np.array_equal(a.indices, c.indices)


def test_focus_weights_from_the_alters():
    marginals = [(np.array([-1, 0, 1]), np.array([0.2, 0.4, 0.4]))]
    alters = np.array([[0], [0], [0], [1], [-1]])
    # 3 of 4 known alters share the ego's group, which holds half of the known population: (0.75-0.5)/0.5
    assert focus_weights(np.array([0]), alters, marginals).tolist() == [0.5]
    assert focus_weights(np.array([-1]), alters, marginals).tolist() == [0.0]
    many = [(np.array([0, 1]), np.array([0.1, 0.9]))] * 3
    capped = focus_weights(np.array([0, 0, 0]), np.zeros((10, 3), dtype=int), many, cap=0.9)
    assert abs(capped.sum() - 0.9) < 1e-12


def test_occupancy_function_matches_its_definition():
    values = np.array([1, 2, 5, 10, 50], dtype=float)
    degrees = Degrees(0, 0, 0, values=np.repeat(values, 1000))
    for x in (0.01, 0.3, 2.0):
        direct = np.mean(1 - np.exp(-x * values / values.mean()))
        assert abs(float(degrees.phi(x)) - direct) < 1e-3


@pytest.mark.slow
def test_closed_form_agrees_with_full_generation():
    """The platform model's closed form against generating the same focus model in full."""
    rng = np.random.default_rng(5)
    n = 100_000
    degrees = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(8), 0.8, n))), 500).astype(np.int64)
    sizes = np.maximum(1, np.round(rng.lognormal(np.log(60), 1.2, 5000))).astype(int)
    company = np.repeat(np.arange(sizes.size), sizes)[:n]
    company = np.r_[company, np.full(n - company.size, sizes.size)]
    rng.shuffle(company)
    function = rng.integers(0, 14, n)
    groups = np.stack([company, function], axis=1)
    weights, triadic, k = np.array([0.3, 0.15]), 0.15, 150
    same = np.flatnonzero((company == company[0]) & (np.arange(n) != 0))
    colleagues = rng.choice(same, size=min(same.size, 40), replace=False)
    alters = np.r_[colleagues, rng.choice(np.setdiff1d(np.arange(1, n), same), k - colleagues.size, replace=False)]
    distribution = Degrees(0, 0, 0, values=degrees)
    generated = []
    for run in range(4):
        trial = degrees.copy()
        trial[alters] = distribution.size_biased(k, rng).astype(np.int64)
        generated.append(layer_counts(focus_graph(trial, groups, weights, ego=0, alters=alters, triadic=triadic,
                                                  seed=run), 0))
    truth = np.mean(generated, axis=0)
    platform = Platform(members=n, degree_median=8, degree_sigma=0.8, degree_cap=500, company_size_median=60,
                        company_size_sigma=1.2, function_groups=14, triadic=triadic, focus_cap=0.9)
    known = {int(c): int(s) for c, s in zip(*np.unique(company, return_counts=True))}
    closed = layer_sizes(company[alters], function[alters], platform, 0.3, 0.15, runs=40, seed=1,
                         degrees=distribution, company_sizes=known)
    assert abs(closed.l2 / truth[1] - 1) < 0.12, (closed.l2, truth)
    assert abs(closed.l3 / truth[2] - 1) < 0.12, (closed.l3, truth)


def test_platform_layers_are_reproducible_and_grow_with_connections():
    platform = Platform.from_assumptions()
    rng = np.random.default_rng(0)
    companies, functions = rng.integers(0, 50, 200), rng.integers(0, 14, 200)
    small = layer_sizes(companies, functions, platform, 0.3, 0.2, runs=10, seed=3)
    again = layer_sizes(companies.copy(), functions.copy(), platform, 0.3, 0.2, runs=10, seed=3)
    other = layer_sizes(companies, functions, platform, 0.3, 0.2, runs=10, seed=4)
    assert small.l2 == again.l2 and small.l3 == again.l3
    assert small.l2 != other.l2
    big = layer_sizes(rng.integers(0, 500, 2000), rng.integers(0, 14, 2000), platform, 0.3, 0.2, runs=10, seed=3)
    assert big.l2 > 5 * small.l2 and big.l3 > small.l3
    assert small.l2_band[0] <= small.l2 <= small.l2_band[1]
    assert big.l2 + big.l3 < platform.members


def _write_graph(folder, graph: nx.Graph, groups: np.ndarray):
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "toy.edges.csv.gz", "wt") as out:
        out.write("source,target\n" + "".join(f"{u},{v}\n" for u, v in graph.edges))
    with gzip.open(folder / "toy.nodes.csv.gz", "wt") as out:
        out.write("id,dorm,year\n" + "".join(f"{i},{g[0] if g[0] >= 0 else ''},{g[1]}\n" for i, g in enumerate(groups)))


def test_validate_cli_writes_truth_from_bfs_and_a_prediction(tmp_path):
    graph = nx.stochastic_block_model([60, 80, 70], [[0.2, 0.01, 0.01], [0.01, 0.15, 0.02], [0.01, 0.02, 0.18]],
                                      seed=9)
    groups = np.stack([np.repeat([0, 1, 2], [60, 80, 70]), np.arange(210) % 4], axis=1)
    groups[::17, 0] = -1
    _write_graph(tmp_path / "graphs", graph, groups)
    out = tmp_path / "toy.csv"
    done = subprocess.run([sys.executable, "-m", "helpers.validate", "--edges", str(tmp_path / "graphs/toy.edges.csv.gz"),
                           "--nodes", str(tmp_path / "graphs/toy.nodes.csv.gz"), "--egos", "15", "--seed", "3",
                           "--out", str(out)], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = pl.read_csv(out)
    assert rows.columns[:6] == ["ego", "l1", "l2_true", "l2_pred", "l3_true", "l3_pred"]
    assert rows.height == 15
    for row in rows.iter_rows(named=True):
        assert [row["l1"], row["l2_true"], row["l3_true"]] == layer_counts_networkx(graph, row["ego"])
    ape = ((rows["l2_pred"] - rows["l2_true"]).abs() / rows["l2_true"]).median()
    assert ape < 0.5


def test_validate_over_a_missing_folder_says_what_to_pass(tmp_path):
    done = subprocess.run([sys.executable, "-m", "helpers.validate", "--graphs", str(tmp_path / "nothing")],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "No graphs found" in done.stderr and "GRAPHS=" in done.stderr


def test_committed_validation_summary_covers_every_shared_graph():
    summary = pl.read_csv(PROJECT_ROOT / "data" / "validation_summary.csv")
    assert set(summary["role"]) == {"development", "held out", "held out (pooled)"}
    assert (summary["l2_mape_model"] < summary["l2_mape_saturating"]).all()
    pooled = summary.filter(pl.col("role") == "held out (pooled)")
    sampled = summary.filter(pl.col("role") == "held out")["egos"].sum()
    assert sampled - 5 <= pooled["egos"][0] <= sampled  # egos with an empty 2nd degree have no error to pool
    summary = summary.filter(pl.col("role") != "held out (pooled)")
    shared = PROJECT_ROOT.parent / "shared" / "datasets"
    if shared.is_dir():
        names = {p.name.removesuffix(".edges.csv.gz") for p in shared.glob("*.edges.csv.gz")}
        assert names == set(summary["graph"])
