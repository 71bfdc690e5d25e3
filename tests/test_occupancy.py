"""The reach engine: occupancy by degree, closure from clustering net of the groups, and the closed form against
a fully generated focus-model population."""

from __future__ import annotations

import numpy as np
import pytest

from graph_fixtures import NEUTRAL, clustered_graph
from helpers.model.degrees import DegreeLaw
from helpers.model.landing import landing
from helpers.model.mechanisms import RealGraph
from helpers.model.occupancy import Focus, _missed, capped, closure_share, excess_weight, expected_layers
from helpers.model.population import focus_graph
from helpers.model.reach import ego_foci, layer_counts


def test_a_member_with_one_tie_is_reached_once_at_most():
    # one tie, surely taken: reached (Poisson occupancy would leave them unreached with chance e^-1)
    assert _missed(np.array([1.0]), np.array([1.0]))[0] < 1e-9
    assert _missed(np.array([0.3]), np.array([1.0]))[0] == pytest.approx(0.7)
    # many ties each rarely taken: the Poisson limit
    assert _missed(np.array([0.001]), np.array([1000.0]))[0] == pytest.approx(np.exp(-1.0), rel=1e-3)


def _generated_member(n=100_000, k=150, seed=5):
    rng = np.random.default_rng(seed)
    degrees = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(8), 0.8, n))), 500).astype(np.int64)
    sizes = np.maximum(1, np.round(rng.lognormal(np.log(60), 1.2, 5000))).astype(int)
    company = np.repeat(np.arange(sizes.size), sizes)[:n]
    company = np.r_[company, np.full(n - company.size, sizes.size)]
    rng.shuffle(company)
    function = rng.integers(0, 14, n)
    same = np.flatnonzero((company == company[0]) & (np.arange(n) != 0))
    colleagues = rng.choice(same, size=min(same.size, 40), replace=False)
    alters = np.r_[colleagues, rng.choice(np.setdiff1d(np.arange(1, n), same), k - colleagues.size, replace=False)]
    return rng, degrees, company, function, alters


@pytest.mark.slow
@pytest.mark.parametrize("triadic, overlap", [(0.0, 1.0), (0.15, 1.0), (0.1, 0.6)])
def test_closed_form_agrees_with_full_generation(triadic, overlap):
    """The engine behind every prediction, against generating the same focus model in full."""
    rng, degrees, company, function, alters = _generated_member()
    n, k, runs = degrees.size, alters.size, 5
    weights = np.array([0.3, 0.15])
    law = DegreeLaw.from_degrees(degrees)
    kernel = landing(law.values, n * law.weights[0], NEUTRAL)
    # the alters' degrees: drawn as friends' are (in proportion to degree), the same in both
    cells = law.draw_cells(law.weights * law.values, rng.random((runs, k)))
    drawn = law.values[cells]
    generated = []
    for run in range(runs):
        trial = degrees.copy()
        trial[alters] = drawn[run].astype(np.int64)
        graph = focus_graph(trial, np.stack([company, function], axis=1), weights, ego=0, alters=alters,
                            triadic=triadic, overlap=overlap, seed=run)
        generated.append(layer_counts(graph, 0))
    truth = np.mean(generated, axis=0)

    def focus(weight, column):
        present = np.unique(column[alters])
        return Focus(weight, column[alters], np.bincount(column)[present] / n, 0.0)

    found = expected_layers(law, n, kernel, cells, drawn, (1 - triadic) * (drawn - 1),
                            [focus(0.3, company), focus(0.15, function)], overlap, 1.0, np.zeros(law.values.size))
    assert abs(found.second.mean() / truth[1] - 1) < 0.04, (found.second.mean(), truth)
    assert abs(found.third.mean() / truth[2] - 1) < 0.08, (found.third.mean(), truth)


def test_no_ties_no_reach_and_a_lone_friend_gives_its_other_ties():
    law = DegreeLaw.from_degrees(np.full(10_000, 20))
    kernel = landing(law.values, 10_000 * law.weights[0], NEUTRAL)
    none = Focus(0.0, np.array([-1]), np.zeros(0), 0.0)
    cell = law.cell_of(np.array([[20.0]]))
    found = expected_layers(law, 10_000, kernel, cell, np.array([[20.0]]), np.array([[19.0]]), [none], 1.0, 1.0, 0.0)
    assert abs(found.second[0] - 19) < 0.1  # 19 ties into 10,000 people: almost no repeats
    assert 19 * 19 * 0.9 < found.third[0] < 19 * 19
    empty = expected_layers(law, 10_000, kernel, np.zeros((1, 0), dtype=int), np.zeros((1, 0)), np.zeros((1, 0)), [],
                            1.0, 1.0, 0.0)
    assert empty.second[0] == 0


def _closure(real: RealGraph, ego: int) -> float:
    facts = real.facts
    alters = real.graph.indices[real.graph.indptr[ego]: real.graph.indptr[ego + 1]]
    degrees = real.graph.degree()[alters].astype(float)[None, :]
    foci = ego_foci(facts, real.groups[alters])
    clustering = facts.structure.clustering_at(np.array([alters.size]))
    return float(closure_share(facts.law, facts.n, facts.landing, facts.law.cell_of(degrees), degrees, foci,
                               clustering)[0])


def test_triadic_closure_is_read_from_clustering_net_of_the_groups():
    random = clustered_graph("random", clustered=False)
    assert _closure(random, 7) < 0.01  # no triangles beyond chance
    hidden = clustered_graph("caves", clustered=True)
    assert _closure(hidden, 7) > 0.4  # circle-mates know each other, and no attribute says so
    known = clustered_graph("caves", clustered=True, caves_known=True)
    assert _closure(known, 7) < 0.5 * _closure(hidden, 7)  # the same triangles, mostly explained by the dorms


def test_a_focus_explains_the_excess_share_of_ties_in_ones_own_group():
    assert excess_weight(0.75, 0.5) == 0.5
    assert excess_weight(0.3, 0.0) == 0.3  # a group that is a negligible share of everyone: the share itself
    assert excess_weight(0.1, 0.5) == 0.0 and excess_weight(1.0, 1.0) == 0.0  # no excess; a group of everyone
    assert np.allclose(capped(np.array([0.6, 0.6]), 0.9), [0.45, 0.45])
    assert capped(np.array([0.3, 0.2]), 0.9).tolist() == [0.3, 0.2]


def test_runs_taken_in_slices_give_the_same_figures(monkeypatch):
    """Joint draws over many runs are computed a slice of runs at a time (to stay in the cache): every run's
    figures are those of all runs at once, with per-run laws, kernels, foci and event ties alike, to the last bits
    of a double (a sum's order can differ with the slice's shape: 2e-15 at most)."""
    from helpers.model import occupancy
    from helpers.model.scenarios import Scenario, layer_sizes, platform_draws

    rng = np.random.default_rng(11)
    companies, functions = rng.integers(-1, 40, 900), rng.integers(-1, 12, 900)
    joint = Scenario.from_draws(platform_draws(8, seed=5))  # each run its own law, kernel and fitted laws
    event = np.r_[np.zeros(600), np.full(300, 0.4)]
    whole = [layer_sizes(companies, functions, joint, 0.2, 0.1, seed=3, extra_triadic=extra)
             for extra in (None, np.tile(event, (joint.runs, 1)))]
    monkeypatch.setattr(occupancy, "CHUNK_ELEMENTS", 900 * 3)  # slices of 3 runs, the last of 2
    assert joint.runs == 8 and joint.landing.ties.shape[0] == 8
    sliced = [layer_sizes(companies, functions, joint, 0.2, 0.1, seed=3, extra_triadic=extra)
              for extra in (None, np.tile(event, (joint.runs, 1)))]
    for before, after in zip(whole, sliced):
        assert np.allclose(before.l2_runs, after.l2_runs, rtol=1e-13, atol=0)
        assert np.allclose(before.l3_runs, after.l3_runs, rtol=1e-13, atol=0)
