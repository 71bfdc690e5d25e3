"""Verdicts judged on people matched across the export's files, under the matching rule.

An invitation's acceptance or a message's recipient is known only through a person matched to a
connection (:mod:`helpers.export.matching`); when too few are matched, what was not matched would look
like a refusal or a connection never written to, so the verdict is not judged.
"""

from __future__ import annotations

from helpers.claims import Verdict, not_testable
from helpers.export.matching import MatchReport


def with_matching(verdict: Verdict, report: MatchReport | None) -> Verdict:
    """The verdict judged on people matched across files, under the matching rule: ``not testable``
    with the reason when the matching is not trusted (:attr:`MatchReport.trusted`), else the verdict
    with the matching's figures and its rule added to the rule it states."""
    if report is None or verdict.verdict == "not testable":
        return verdict
    if not report.trusted:
        return not_testable(verdict.id, report.why_not(), matching=report.details(), rule=report.rule)
    details = dict(verdict.details)
    details["rule"] = f"{details.get('rule', '')}; {report.rule}".lstrip("; ")
    details["matching"] = report.details()
    return Verdict(verdict.id, verdict.verdict, verdict.evidence, details)
