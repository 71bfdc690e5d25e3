"""A member's level through their periods: the closed-form filter is the grid one where both apply, a returning
drift forgets old posts and a random walk does not."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from helpers.model.audience_filter import DRIFTS, member_filter
from helpers.model.audience_likelihood import Window
from helpers.model.audience_states import states_after


def test_the_closed_form_member_filter_is_the_grid_one_where_both_apply():
    """A member whose posts are all measured: the Kalman filter of their drifting level gives the grid's
    likelihood (to the grid's resolution: a returning drift moves mass between its cells) and the same
    posterior states, for either drift."""
    days = [date(2024, 2, 1), date(2024, 5, 1), date(2024, 8, 1), date(2024, 11, 1)]
    window = Window("m", "w", date(2024, 1, 1), date(2024, 12, 31), 800.0, 1600.0,
                            np.log([300.0, 800.0, 450.0, 2000.0]), np.array(days, dtype="datetime64[D]"), listed=4)
    draws = {"mu": np.array([6.0, 6.4]), "b": np.array([0.5, 0.6]), "gamma": np.array([-0.3, -0.4]),
             "log_sigma": np.log([0.9, 1.2]), "log_omega": np.log([0.3, 0.4]), "log_kappa": np.log([0.5, 0.8]),
             "log_tau": np.log([0.6, 0.9])}
    for drift in DRIFTS:
        grid = member_filter([window], "normal", draws, closed_form=False, drift=drift)
        closed = member_filter([window], "normal", draws, closed_form=True, drift=drift)
        assert closed.total() == pytest.approx(grid.total(), abs=1e-4)
        for ahead in (None, 3.0):
            a, b = states_after(grid, 64, ahead), states_after(closed, 64, ahead)
            assert np.median(a.effects, axis=1) == pytest.approx(np.median(b.effects, axis=1), abs=0.05)
            assert np.std(a.effects, axis=1) == pytest.approx(np.std(b.effects, axis=1), rel=0.1)


def test_a_returning_drift_forgets_old_posts_and_a_random_walk_grows_without_bound():
    """Years after a member's posts, a returning drift gives back the members' distribution (scale tau), and
    half a year on it moves the level by about kappa, as a random walk does; the random walk's spread grows
    with the gap past any members' spread."""
    day = date(2024, 7, 1)
    window = Window("m", "w", day, day, 2000.0, 2000.0, np.log([5000.0] * 30),
                            np.array([day] * 30, dtype="datetime64[D]"), listed=30)
    draws = {"mu": np.array([6.0]), "b": np.array([0.5]), "gamma": np.array([0.0]), "log_sigma": np.log([0.5]),
             "log_omega": np.array([-np.inf]), "log_kappa": np.log([0.4]), "log_tau": np.log([0.9])}
    returning = member_filter([window], "normal", draws, closed_form=False)
    walk = member_filter([window], "normal", draws, closed_form=False, drift="random walk")
    near = member_filter([window], "normal", {**draws, "log_kappa": np.array([-np.inf])})
    settled = np.std(states_after(near, 400).effects)
    assert np.std(states_after(returning, 400, returning.last + 0.5).effects) == pytest.approx(
        np.hypot(settled, 0.4), rel=0.1)
    far = states_after(returning, 400, returning.last + 20.0).effects
    assert np.mean(far) == pytest.approx(0.0, abs=0.05) and np.std(far) == pytest.approx(0.9, rel=0.05)
    assert np.std(states_after(walk, 400, walk.last + 20.0).effects) == pytest.approx(0.4 * np.sqrt(40), rel=0.1)
