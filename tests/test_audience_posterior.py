"""The members' fit through LinkedIn's censoring: it recovers known parameters from capped lists, a capped
list read as complete biases it, and its posterior covers known parameters."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.model.audience_posterior import fit_members, with_posterior
from helpers.model.audience_windows import read_as_complete, simulate_members


@pytest.fixture(scope="module")
def simulated():
    """Sixteen members drawn from the model, most with more posts than a TOP POSTS list holds."""
    rng = np.random.default_rng(1)
    followers = np.exp(rng.uniform(np.log(300), np.log(20_000), 16))
    windows = simulate_members(followers, rng.integers(30, 200, 16), mu=6.5, b=0.6, tau=0.8, sigma=1.0, seed=2)
    assert sum(w.log_cap is not None for w in windows) >= 10  # most lists are full
    return windows


def test_censored_fit_recovers_known_parameters_from_capped_lists(simulated):
    fit = fit_members(simulated, year=False, own_spread=False, drift=False)
    truth = {"mu": 6.5, "b": 0.6, "log_sigma": np.log(1.0), "log_tau": np.log(0.8)}
    for name, value in truth.items():
        low, high = fit.interval(name)
        assert low <= value <= high, (name, value, low, high)
    assert abs(fit.value("mu") - 6.5) < 0.3 and abs(np.exp(fit.value("log_sigma")) - 1.0) < 0.1


def test_a_capped_list_read_as_complete_biases_the_fit_and_the_censored_fit_corrects_it(simulated):
    naive = fit_members([read_as_complete(w) for w in simulated], year=False, own_spread=False,
                                drift=False)
    censored = fit_members(simulated, year=False, own_spread=False, drift=False)
    # the top 50 of up to 200 posts read as all of them: a typical post twice as good, posts more alike
    assert naive.value("mu") - 6.5 > 0.5 and np.exp(naive.value("log_sigma")) < 0.85
    assert abs(censored.value("mu") - 6.5) < abs(naive.value("mu") - 6.5) / 2
    low, high = naive.interval("mu")
    assert not low <= 6.5 <= high


def test_posterior_draws_cover_known_parameters_and_a_spread_the_fit_left_at_zero(simulated):
    fit = fit_members(simulated, year=False, own_spread=False, drift=False)
    posterior = with_posterior(fit, simulated, proposals=1000, keep=500, seed=3)
    assert posterior.effective_samples > 150 and len(posterior.samples) == 500
    for name, value in {"mu": 6.5, "b": 0.6, "log_sigma": 0.0, "log_tau": np.log(0.8)}.items():
        low, high = posterior.interval(name)
        assert low <= value <= high, (name, value, low, high)
    # members who do not differ at all: the fit puts their spread at its bound, with no variance; the
    # posterior still draws spreads above it, as the data allow
    alike = simulate_members(np.full(12, 2000.0), np.full(12, 20), mu=6.0, b=0.0, tau=0.0, sigma=1.0, seed=9)
    flat = fit_members(alike, year=False, own_spread=False, drift=False)
    stuck = flat.names.index("log_tau")
    if flat.covariance[stuck][stuck] == 0:
        drawn = np.asarray(with_posterior(flat, alike, proposals=600, keep=300, seed=4).samples)[:, stuck]
        assert drawn.std() > 0.1 and np.quantile(np.exp(drawn), 0.9) < 0.6
    assert posterior.draws(50, seed=1)["mu"].tolist() == posterior.draws(50, seed=1)["mu"].tolist()
