"""The scraped posts' reactions fit: it recovers what it simulates, finds no audience effect where there is
none, its bands hold on authors held out, and its quadrature is the direct sum."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.model.audience_likelihood import F_REF
from helpers.model.audience_reactions import Posts, _post_table, fit_posts, held_out_authors, simulate


def test_fit_recovers_known_parameters_from_data_the_model_simulates():
    rng = np.random.default_rng(1)
    log_audience = np.log(rng.lognormal(np.log(2000), 1.0, 90) / F_REF)
    truth = {"alpha": 3.0, "beta": 0.35, "tau": 0.8, "sigma": 1.0}
    fit = fit_posts(simulate(*truth.values(), log_audience, 25, seed=2))
    for name, value in truth.items():
        low, high = fit.interval(name)
        assert low <= value <= high, (name, value, low, high)
    assert abs(fit.beta - 0.35) < 0.2 and abs(fit.sigma / 1.0 - 1) < 0.1 and abs(fit.tau / 0.8 - 1) < 0.3


def test_fit_finds_no_audience_effect_where_there_is_none():
    rng = np.random.default_rng(3)
    log_audience = np.log(rng.lognormal(np.log(2000), 1.2, 50) / F_REF)
    fit = fit_posts(simulate(2.5, 0.0, 0.6, 0.8, log_audience, 15, seed=4))
    low, high = fit.interval("beta")
    assert low < 0 < high


def test_authors_held_out_fall_inside_the_predicted_bands_as_often_as_promised_and_not_when_the_model_is_wrong():
    rng = np.random.default_rng(5)
    log_audience = np.log(rng.lognormal(np.log(2000), 1.0, 60) / F_REF)
    posts = simulate(3.0, 0.3, 0.8, 0.9, log_audience, 12, seed=6)
    found = held_out_authors(posts, folds=4, seed=7)
    assert found["posts"] == 720 and found["authors"] == 60
    assert 0.42 <= found["inside_50"] <= 0.58 and 0.85 <= found["inside_90"] <= 0.95
    # posts far more alike than the model allows (no author effect, little spread) break the 50% band
    alike = simulate(3.0, 0.3, 0.01, 0.05, log_audience, 12, seed=6)
    spread = Posts(np.where(np.arange(720) % 2, alike.counts * 20, alike.counts // 20), alike.author,
                                alike.log_audience)
    assert held_out_authors(spread, folds=4, seed=7)["inside_50"] < 0.3


def test_quadrature_matches_a_direct_sum_for_the_poisson_lognormal():
    from scipy import stats

    grid = np.array([-1.0, 2.0, 4.5])
    table = _post_table(np.array([0, 3, 40]), 0.9, grid)
    z = np.linspace(-9, 9, 20_001)
    for i, y in enumerate((0, 3, 40)):
        for j, m in enumerate(grid):
            direct = np.trapezoid(stats.poisson.pmf(y, np.exp(m + 0.9 * z)) * stats.norm.pdf(z), z)
            assert table[i, j] == pytest.approx(np.log(direct), abs=1e-6)
