"""Distinct employers along the member's growth (helpers.evidence.opportunities)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from helpers.evidence import opportunities


def _network(companies: list[str | None]) -> pl.DataFrame:
    days = [date(2015, 1, 1) + timedelta(days=3 * i) for i in range(len(companies))]
    return pl.DataFrame({"company": companies, "position": ["Data Scientist"] * len(companies),
                         "connected_on": days, "is_ghost": [False] * len(companies)})


def test_the_curve_counts_distinct_employers_in_the_order_connections_were_made():
    companies = ["Initech", "INITECH", "Hooli", "Self-employed", None, "Hooli Inc", "Globex"] * 10
    curve = opportunities.employer_diversity(_network(companies))
    assert curve["connections"][0] == opportunities.FIRST_SIZE and curve["connections"][-1] == len(companies)
    assert curve["employers"][-1] == 3  # spellings merged, the placeholder and the blank name none
    assert curve["employers"].is_sorted() and curve["functions"][-1] == 1


def test_every_new_connection_from_a_new_employer_keeps_workplaces_coming():
    verdict = opportunities.judge_access(_network([f"Company {i}" for i in range(400)]), seed=3)
    assert verdict.verdict == "supported" and verdict.details["elasticity"] == pytest.approx(1.0, abs=0.01)


def test_the_same_few_employers_saturate():
    companies = [f"Company {i % 6}" for i in range(400)]
    verdict = opportunities.judge_access(_network(companies), seed=3)
    assert verdict.verdict == "not supported" and verdict.details["ci_high"] < opportunities.DIVERSITY_FLAT


def test_the_interval_comes_from_seeded_half_samples():
    network = _network([f"Company {i % 90}" if i % 3 else f"New {i}" for i in range(600)])
    first = opportunities.diversity_elasticity(network, seed=11)
    assert first == opportunities.diversity_elasticity(network, seed=11)
    assert first != opportunities.diversity_elasticity(network, seed=12)
    assert first[1] < first[0] < first[2]


def test_too_small_a_network_is_not_testable():
    verdict = opportunities.judge_access(_network(["A", "B"] * 10), seed=1)
    assert verdict.verdict == "not testable" and str(opportunities.MIN_CONNECTIONS_FOR_DIVERSITY) in verdict.evidence


def test_the_evidence_says_the_elasticity_as_times_for_a_doubling_not_as_an_exponent():
    verdict = opportunities.judge_access(_network([f"Company {i}" for i in range(400)]), seed=3)
    assert "doubling your network went with 2 times the workplaces" in verdict.evidence
    assert "^" not in verdict.evidence and "CI" not in verdict.evidence
