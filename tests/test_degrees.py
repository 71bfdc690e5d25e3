"""Degree distributions on support points, against a sample of the same distribution."""

from __future__ import annotations

from helpers.model.degrees import DegreeLaw, Degrees


def test_degree_law_matches_a_sample_of_the_same_distribution():
    law = DegreeLaw.lognormal(150, 1.1, 30_000)
    sample = Degrees(150, 1.1, 30_000, seed=3, sample=400_000)
    assert abs(law.mean[0] / sample.mu - 1) < 0.01
    assert abs(law.kappa[0] / sample.kappa - 1) < 0.03
    dormant = DegreeLaw.lognormal(150, 1.1, 30_000, dormant_share=0.4)
    assert abs(dormant.weights[0, 0] - 0.4) < 1e-3 and dormant.mean[0] < 0.61 * law.mean[0]
