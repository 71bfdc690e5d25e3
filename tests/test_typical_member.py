"""The typical LinkedIn member of a given size: their make-up."""

from __future__ import annotations

import numpy as np

from helpers.model.typical_member import typical_member


def test_a_typical_member_has_its_shares_of_colleagues_and_of_its_function():
    companies, functions = typical_member(1_000, 0.15, 0.3, 14, np.random.default_rng(1))
    assert (companies == 0).sum() == 150 and np.unique(companies[companies > 0]).size == 850  # each elsewhere
    assert (functions == 0).sum() == 300 and set(functions[functions > 0].tolist()) == set(range(1, 14))
    _, fewer = typical_member(1_000, 0.15, 0.3, 5, np.random.default_rng(1))
    assert fewer.max() == 4  # the others spread over the platform's other function groups
