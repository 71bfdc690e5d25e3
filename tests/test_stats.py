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
    resamples are drawn at once."""
    values = np.random.default_rng(0).zipf(1.6, 900).astype(float)
    low, high = stats.bootstrap_interval(values, np.max, seed=4, resamples=300)
    draws = np.random.default_rng(4).integers(0, values.size, size=(300, values.size))
    by_hand = np.quantile([values[row].max() for row in draws], [0.025, 0.975])
    assert (low, high) == pytest.approx(tuple(by_hand), rel=1e-12)


def test_the_percentile_interval_is_scipys_draw_for_draw():
    """The percentile bootstrap is computed without scipy.stats (0.6 s to import on three pages) and gives
    scipy.stats.bootstrap's interval for the same seed, batches included."""
    from scipy import stats as scipy_stats

    values = np.random.default_rng(2).lognormal(0, 1.0, 3_001)
    for statistic, resamples in ((np.mean, 2_000), (lambda v: stats.top_share(v, 300), 1_000)):
        ours = stats.bootstrap_interval(values, statistic, seed=7, resamples=resamples)
        theirs = scipy_stats.bootstrap((values,), statistic, n_resamples=resamples, vectorized=False,
                                       batch=stats._batch(values.size), method="percentile",
                                       rng=np.random.default_rng(7)).confidence_interval
        assert ours == pytest.approx((theirs.low, theirs.high), rel=1e-12, abs=0)


def test_the_line_fit_is_scipys_linregress():
    from scipy import stats as scipy_stats

    rng = np.random.default_rng(8)
    x = rng.uniform(0, 4, 40)
    y = 0.5 - 1.5 * x + rng.normal(0, 1, x.size)
    fit, line = stats.fit_line(x, y), scipy_stats.linregress(x, y)
    assert (fit.slope, fit.intercept, fit.r_squared) == pytest.approx((line.slope, line.intercept, line.rvalue ** 2),
                                                                      rel=1e-12)
    t = scipy_stats.t.ppf(0.975, x.size - 2)
    assert (fit.slope_low, fit.slope_high) == pytest.approx((line.slope - t * line.stderr,
                                                             line.slope + t * line.stderr), rel=1e-10)
    flat = stats.fit_line(x, np.full(x.size, 2.0))  # scipy says nan here; a flat line is a slope of 0 exactly
    assert (flat.slope, flat.slope_low, flat.slope_high, flat.r_squared) == (0.0, 0.0, 0.0, 0.0)


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


def test_the_t_quantile_is_scipys_without_importing_it():
    """The slope's t interval no longer imports scipy.special (0.15 s on three pages): its quantile is scipy's to
    1e-10 over the degrees of freedom the pages meet, and scipy's own distribution function takes it back to p."""
    from scipy import special, stats as scipy_stats

    for df in [*range(1, 60), 97, 198, 1_000, 29_998]:
        for p in (0.6, 0.9, 0.975, 0.995, 0.025):
            ours = stats.t_quantile(p, df)
            assert ours == pytest.approx(float(special.stdtrit(df, p)), rel=1e-10)
            assert scipy_stats.t.cdf(ours, df) == pytest.approx(p, abs=1e-13)
    with pytest.raises(ValueError, match="whole df"):
        stats.t_quantile(0.975, 2.5)
