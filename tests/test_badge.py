"""Invitations received around the day the profile first showed "500+" (helpers.evidence.badge)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import pytest

from helpers.evidence import badge
from helpers.evidence.badge import BadgeWindow

CROSSED = date(2024, 3, 4)


def _window(before: int, after: int) -> BadgeWindow:
    return BadgeWindow(CROSSED, 12.0, 12.0, before, after)


def test_the_rule_can_come_out_every_way():
    assert badge.judge_badge(_window(40, 90)).verdict == "supported"
    assert badge.judge_badge(_window(90, 40)).verdict == "not supported"
    assert badge.judge_badge(_window(10, 13)).verdict == "mixed"
    assert badge.judge_badge(_window(2, 3)).verdict == "not testable"
    assert badge.judge_badge("Invitations.csv covers only 2026").verdict == "not testable"


def test_a_ratio_inside_the_equivalence_band_is_no_change():
    steady = badge.judge_badge(_window(2000, 2000))
    low, high = steady.details["ci_low"], steady.details["ci_high"]
    assert badge.RATIO_EQUIVALENCE[0] < low < 1 < high < badge.RATIO_EQUIVALENCE[1]
    assert steady.verdict == "not supported"
    assert badge.judge_badge(_window(60, 70)).verdict == "mixed"  # around 1 but wider than the band


def test_the_ratio_is_of_weekly_rates():
    ratio, low, high = BadgeWindow(CROSSED, 12.0, 6.0, 120, 60).ratio  # 10 a week before, 10 a week after
    assert ratio == pytest.approx(1.0) and low < 1 < high


def _invitations(days: list[date], direction: str = "INCOMING") -> pl.DataFrame:
    return pl.DataFrame({"sent_at": [datetime.combine(d, datetime.min.time()) for d in days],
                         "direction": [direction] * len(days)})


def test_the_window_counts_received_invitations_up_to_badge_weeks_on_each_side():
    days = [CROSSED + timedelta(days=d) for d in range(-200, 60, 2)]
    sent = _invitations([CROSSED - timedelta(days=1)] * 5, "OUTGOING")
    window = badge.badge_window(pl.concat([_invitations(days), sent]), CROSSED)
    assert window.weeks_before == badge.BADGE_WEEKS and window.weeks_after == pytest.approx(58 / 7)
    assert (window.before, window.after) == (badge.BADGE_WEEKS * 7 // 2, 29)  # every second day; sent ones left out
    weekly = badge.received_by_week(_invitations(days))
    assert weekly["received"].sum() == len(days) and weekly["week"].is_sorted()


def test_a_window_the_file_does_not_cover_says_why():
    late = _invitations([CROSSED + timedelta(days=d) for d in range(0, 100)])
    reason = badge.badge_window(late, CROSSED)
    assert isinstance(reason, str) and f"at least {badge.MIN_WEEKS} weeks" in reason
    assert "has not passed" in badge.badge_window(late, None)
