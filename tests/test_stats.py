"""The statistics under the verdicts (helpers.evidence.stats): their examples, and that the intervals cover."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

from helpers.evidence import stats


def test_the_examples_in_the_module_hold():
    failures, tried = doctest.testmod(stats)
    assert tried >= 8 and failures == 0


def test_the_bootstrap_resamples_with_the_seeded_generator():
    """The percentile interval is that of ``resamples`` draws of ``default_rng(seed).integers``, however many
    resamples are drawn at once, so a seed gives the same interval as before the move to scipy."""
    values = np.random.default_rng(0).zipf(1.6, 900).astype(float)
    low, high = stats.bootstrap_interval(values, np.max, seed=4, resamples=300)
    draws = np.random.default_rng(4).integers(0, values.size, size=(300, values.size))
    by_hand = np.quantile([values[row].max() for row in draws], [0.025, 0.975])
    assert (low, high) == pytest.approx(tuple(by_hand), rel=1e-12)


def test_the_percentile_bootstrap_covers_the_mean_about_as_often_as_it_says():
    rng = np.random.default_rng(9)
    covered = [lo <= 0.0 <= hi for lo, hi in (stats.bootstrap_interval(rng.normal(0, 1, 60), np.mean, seed=s,
                                                                      resamples=400) for s in range(120))]
    assert 0.85 <= np.mean(covered) <= 1.0


def test_bca_shifts_the_interval_of_a_skewed_mean():
    sample = np.random.default_rng(5).lognormal(0, 1.2, 40)
    percentile = stats.bootstrap_interval(sample, np.mean, seed=1, resamples=2000)
    bca = stats.bootstrap_interval(sample, np.mean, seed=1, resamples=2000, method="BCa")
    assert bca[1] > percentile[1] and bca[0] < sample.mean() < bca[1]  # corrected towards the long right tail


def test_the_slope_interval_covers_the_true_slope_about_95_percent_of_the_time():
    rng = np.random.default_rng(3)
    x = np.linspace(0, 5, 25)
    fits = [stats.fit_line(x, 1.0 + 2.0 * x + rng.normal(0, 1.5, x.size)) for _ in range(600)]
    coverage = np.mean([f.slope_low <= 2.0 <= f.slope_high for f in fits])
    assert 0.93 <= coverage <= 0.97
    assert np.mean([f.slope for f in fits]) == pytest.approx(2.0, abs=0.02)


def test_a_line_needs_three_points_with_different_x():
    with pytest.raises(ValueError, match="3 or more points"):
        stats.fit_line(np.array([1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="positive points"):
        stats.fit_loglog(np.array([1.0, 2.0, -3.0]), np.array([1.0, 2.0, 3.0]))
    power = stats.fit_loglog(np.array([1.0, 10.0, 100.0]), np.array([3.0, 30.0, 300.0]))
    assert power.slope == pytest.approx(1.0) and power.predict(np.array([1000.0])) == pytest.approx([3000.0])


def test_a_slope_is_said_as_times_for_a_doubling_with_its_interval():
    words = stats.doubling_words(1.0, -1.0, math.log2(12.4), "the posts")
    assert words == "doubling your network went with 2 times the posts (95% interval 0.5 to 12 times)"
