"""One window's likelihood: the unlisted posts' order statistics, a window split in two, followers on a day and
the member a window belongs to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from helpers.model.audience_likelihood import Window, _unlisted_log_likelihood, member_of, window_log_likelihood
from helpers.model.audience_windows import followers_on, read_as_complete


def test_the_unlisted_posts_likelihood_is_the_order_statistics_one():
    """n posts below the cap, of which the listed are the top: log C(K + n, n) + n log F(cap), plus the sum's
    density; the tabulated version (unknown n) matches the direct sum over n."""
    from scipy import special, stats

    day = date(2025, 7, 1)
    window = Window("m", "w", day, day, 2000.0, 2000.0, np.log([900.0, 1200.0]),
                            np.array([day, day], dtype="datetime64[D]"), listed=2, log_cap=np.log(900.0),
                            unlisted_dates=np.array([day] * 5, dtype="datetime64[D]"),
                            unlisted_complete=True)
    centre, sigma = np.array([[6.0]]), np.array([[1.1]])
    direct = np.log(special.comb(7, 5)) + 5 * stats.norm.logcdf((np.log(900.0) - 6.0) / 1.1)
    assert _unlisted_log_likelihood(window, centre, sigma)[0, 0] == pytest.approx(direct)
    unknown = replace(window, unlisted_complete=False, max_unlisted=300, unlisted_total=4000.0, total_sd=200.0)
    grid = np.linspace(4.0, 8.0, 9)[None, :]
    tabulated = window_log_likelihood(unknown, np.zeros(1), np.array([1.1]), grid[0])[0]
    summed = (window_log_likelihood(read_as_complete(unknown), np.zeros(1), np.array([1.1]), grid[0])
              + _unlisted_log_likelihood(unknown, grid, np.array([[1.1]])))[0]
    assert unknown.unlisted_table is not None and tabulated == pytest.approx(summed, abs=2e-3)


def test_a_window_split_in_two_keeps_every_post_and_shares_the_total():
    day = date(2024, 1, 1)
    dates = np.array(["2024-02-01", "2024-05-01", "2024-09-01"], dtype="datetime64[D]")
    window = Window("m", "w", day, date(2024, 12, 31), 1000.0, 3000.0, np.log([100.0, 200.0, 300.0]), dates,
                            listed=3, log_cap=np.log(100.0), unlisted_dates=dates[:2], max_unlisted=100,
                            unlisted_total=1000.0, total_sd=30.0)
    before, after = window.split(date(2024, 7, 1))
    assert before.posts + after.posts == 3 and before.unlisted + after.unlisted == 2
    assert before.unlisted_total + after.unlisted_total == pytest.approx(1000.0)
    assert before.followers < window.followers < after.followers and before.years < after.years


def test_followers_on_a_day_and_members_of_windows():
    assert followers_on(date(2024, 1, 1), date(2024, 1, 1), date(2024, 12, 31), 1000, 400) == 600
    assert followers_on(date(2024, 12, 31), date(2024, 1, 1), date(2024, 12, 31), 1000, 400) == 1000
    # gross gains beyond the total: the start is held at a quarter of the end
    assert followers_on(date(2024, 1, 1), date(2024, 1, 1), date(2024, 12, 31), 800, 900) == 200
    assert followers_on(date(2024, 3, 1), date(2024, 1, 1), date(2024, 12, 31), 800, None) == 800
    assert [member_of(w) for w in ("dev01a", "dev01c", "dev07", "alex")] == ["dev01", "dev01", "dev07", "alex"]
