"""Verdicts judged on people matched across files carry the matching rule (helpers.evidence.matched)."""

from __future__ import annotations

from helpers.claims import Verdict
from helpers.evidence.matched import with_matching
from helpers.export.matching import MatchReport


def _report(matched: int, looked_up: int) -> MatchReport:
    return MatchReport("Invitations.csv", "name", "connections made since the file begins", looked_up, 0, matched,
                       0, looked_up - matched, "in Invitations.csv")


def test_verdicts_on_matched_people_carry_the_matching_rule():
    judged = Verdict("inner-circle", "supported", "x", {"rule": "the claim's rule"})
    kept = with_matching(judged, _report(80, 100))
    assert kept.verdict == "supported" and kept.details["matching"]["rate"] == 0.8
    assert kept.details["rule"].startswith("the claim's rule; people are matched by name")
    refused = with_matching(judged, _report(10, 100))
    assert refused.verdict == "not testable" and "10 of the 100" in refused.evidence
    untouched = Verdict("inner-circle", "not testable", "no messages", {"reason": "no messages"})
    assert with_matching(untouched, _report(10, 100)) is untouched
    assert with_matching(judged, None) is judged
