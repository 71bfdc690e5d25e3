"""The shared verdict rules: their boundaries, their words, and that the judges use them."""

import doctest

import pytest

from helpers import rules
from helpers.evidence import bursts, invitations
from helpers.evidence.stats import TwoShares


def test_the_examples_in_the_rules_module_hold():
    failures, tried = doctest.testmod(rules)
    assert tried >= 5 and failures == 0


@pytest.mark.parametrize(("low", "high", "expected"), [
    (rules.DOUBLING_MEANINGFUL, 2.0, "supported"),            # the threshold itself counts
    (rules.DOUBLING_MEANINGFUL - 1e-9, 2.0, "mixed"),
    (0.5, rules.DOUBLING_NONE - 1e-9, "not supported"),
    (0.5, rules.DOUBLING_NONE, "mixed"),
])
def test_doubling_boundaries(low, high, expected):
    assert rules.doubling(low, high) == expected


@pytest.mark.parametrize(("low", "high", "expected"), [
    (0.20, 0.30, "supported"),                                # the higher threshold itself counts
    (0.20 - 1e-9, 0.30, "mixed"),
    (0.01, 0.10 - 1e-9, "not supported"),
    (0.01, 0.10, "mixed"),                                    # the lower one does not
])
def test_interval_boundaries(low, high, expected):
    assert rules.interval(low, high, 0.20, 0.10) == expected


def test_a_difference_inside_the_equivalence_margin_is_no_difference():
    margin = rules.EQUIVALENCE_MARGIN
    assert rules.difference(-margin, margin) == "not supported"
    assert rules.difference(-margin - 0.01, margin) == "mixed"
    assert rules.difference(-0.2, margin + 0.01) == "mixed"
    assert rules.difference(1e-9, 0.5) == "supported"


def test_tie_is_symmetric_around_the_reference():
    reference = 100.0
    assert rules.tie(reference * (1 + rules.TIE_MARGIN) + 1e-6, reference) == "win"
    assert rules.tie(reference * (1 - rules.TIE_MARGIN) - 1e-6, reference) == "loss"
    assert rules.tie(reference * (1 + rules.TIE_MARGIN), reference) == "tie"


def test_the_words_carry_the_numbers_the_verdict_uses():
    assert f"{rules.DOUBLING_MEANINGFUL:.2f}" in rules.doubling_rule("x")
    assert f"+-{rules.EQUIVALENCE_MARGIN * 100:.0f} points" in rules.difference_rule()
    assert f"{1 + rules.TIE_MARGIN:.2f} times" in rules.tie_rule("a strategy", "the other")


def test_the_judges_state_the_shared_rule():
    comparison = TwoShares("with a note", 20, 30, "without", 10, 30)
    verdict = invitations.judge_personalized(comparison)
    assert verdict.details["rule"] == rules.difference_rule()
    lo, hi = verdict.details["ci_low"], verdict.details["ci_high"]
    assert verdict.verdict == rules.difference(lo, hi)
    split = TwoShares(bursts.OTHERS, 30, 60, bursts.BURSTS, 10, 40)
    quality = bursts.judge_lower_quality(split)
    assert quality.details["rule"].endswith(rules.difference_rule("(others' share messaged - bursts' share)"))
