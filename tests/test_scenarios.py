"""A LinkedIn member's layers on the platform: reproducible, growing with connections, over joint draws of the
assumptions with common random numbers."""

from __future__ import annotations

import numpy as np

from helpers.model import assumptions
from helpers.model.platform import Platform
from helpers.model.scenarios import Scenario, layer_sizes, platform_draws


def test_platform_layers_are_reproducible_and_grow_with_connections():
    platform = Platform.from_assumptions()
    rng = np.random.default_rng(0)
    companies, functions = rng.integers(0, 50, 200), rng.integers(0, 14, 200)
    small = layer_sizes(companies, functions, platform, 0.3, 0.2, runs=10, seed=3)
    again = layer_sizes(companies.copy(), functions.copy(), platform, 0.3, 0.2, runs=10, seed=3)
    other = layer_sizes(companies, functions, platform, 0.3, 0.2, runs=10, seed=4)
    assert small.l2 == again.l2 and small.l3 == again.l3
    assert small.l2 != other.l2
    big_make_up = rng.integers(0, 500, 2000), rng.integers(0, 14, 2000)
    big = layer_sizes(*big_make_up, platform, 0.3, 0.2, runs=10, seed=3)
    # ten times the connections: a larger 2nd degree, but less than ten times, as connections who know each other
    # overlap; where nobody's connections know each other it grows almost in proportion
    assert 2 * small.l2 < big.l2 < 10 * small.l2 and big.l3 > small.l3
    loose = platform.with_(clustering_at_100=0.005)
    ratio = (layer_sizes(*big_make_up, loose, 0.3, 0.2, runs=10, seed=3).l2
             / layer_sizes(companies, functions, loose, 0.3, 0.2, runs=10, seed=3).l2)
    assert ratio > 7 and ratio > big.l2 / small.l2
    assert small.l2_band[0] <= small.l2 <= small.l2_band[1]
    assert big.l2 + big.l3 < platform.members * (1 - platform.dormant_share)


def test_joint_draws_cover_the_ranges_and_widen_the_bands():
    draws = platform_draws(200, seed=5)
    spec = assumptions.load()["reach.degree_sigma"]
    values = np.sort(draws["reach.degree_sigma"].to_numpy())
    assert spec.low <= values[0] < spec.low + 0.01 and spec.high - 0.01 < values[-1] <= spec.high
    assert np.histogram(values, bins=10, range=(spec.low, spec.high))[0].tolist() == [20] * 10  # Latin hypercube
    assert draws.equals(platform_draws(200, seed=5)) and not draws.equals(platform_draws(200, seed=6))
    platform = Platform.from_assumptions()
    rng = np.random.default_rng(0)
    companies, functions = np.r_[np.zeros(75, int), 1 + np.arange(425)], rng.integers(0, 14, 500)
    noise = layer_sizes(companies, functions, platform, 0.15, 0.2, runs=40, seed=1)
    joint = Scenario.from_draws(draws)
    drawn = layer_sizes(companies, functions, joint, np.full(200, 0.15), np.full(200, 0.2), seed=1)
    noise_width = noise.l2_band[1] / noise.l2_band[0]
    assert drawn.l2_band[1] / drawn.l2_band[0] > 2 * noise_width
    assert drawn.l2_band[0] < noise.l2 < drawn.l2_band[1]


def test_common_random_numbers_make_settings_comparable():
    platform = Platform.from_assumptions()
    rng = np.random.default_rng(1)
    companies, functions = rng.integers(0, 300, 400), rng.integers(0, 14, 400)
    both = Scenario.stack([Scenario.from_platform(platform, 8), Scenario.from_platform(platform, 8)])
    layers = layer_sizes(companies, functions, both, 0.2, 0.2, seed=9)
    assert np.array_equal(layers.l2_runs[:8], layers.l2_runs[8:])
