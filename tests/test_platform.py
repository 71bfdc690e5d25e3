"""LinkedIn as the reach model has it: a member's focus weights, and how often a connection's ties close back."""

from __future__ import annotations

import pytest

from helpers.model.occupancy import CLOSURE_CAP
from helpers.model.platform import Platform, closing_share, member_weights


def test_focus_weights_are_the_excess_shares_capped_so_some_ties_stay_random():
    platform = Platform.from_assumptions()
    base = 1 / platform.function_groups
    company, function = member_weights(0.2, base, platform)
    assert company == 0.2 and function == 0.0  # as many in the member's function as chance puts there
    # everyone in the member's function: weights of 0.2 and 1, scaled down together to the cap
    company, function = member_weights(0.2, 1.0, platform)
    assert company + function == pytest.approx(platform.focus_cap) and company / function == pytest.approx(0.2)
    assert member_weights(0.0, 0.0, platform) == (0.0, 0.0)


def test_ties_close_back_more_in_larger_networks_up_to_the_cap():
    platform = Platform.from_assumptions()
    shares = [closing_share(platform, size) for size in (10, 100, 1_000, 30_000)]
    assert shares == sorted(shares) and 0 < shares[0] and shares[-1] < CLOSURE_CAP
    # where everyone's connections know each other, some ties still leave
    assert closing_share(platform, 30_000, clustering_at_100=1.0) == CLOSURE_CAP
    assert closing_share(platform, 100, clustering_at_100=0.0) == 0.0
    assert platform.clustering_at(100) == pytest.approx(platform.clustering_at_100, rel=1e-3)  # interpolated
