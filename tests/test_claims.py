"""The claims registry quotes its sources; robustness from joint draws; the ledger's combination rule."""

from __future__ import annotations

import re

import pytest

from helpers import claims
from helpers.claims import CLAIMS, Verdict
from helpers.model.judging import robustness_table, with_joint_robustness
from helpers.paths import PROJECT_ROOT
from helpers.report import ledger

SOURCES = PROJECT_ROOT.parent / "shared" / "sources"
SOURCE_FILES = {"000": "000_8227c082790d8018.txt", "002": "002_4052f03b17436e81.txt"}


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the posts under test (../shared/sources) are not beside the project")
def test_every_claim_is_quoted_word_for_word_from_its_source():
    texts = {key: re.sub(r"\s+", " ", (SOURCES / name).read_text(encoding="utf-8")) for key, name in SOURCE_FILES.items()}
    for claim_id, (quote, source) in CLAIMS.items():
        for fragment in quote.split(" ... "):
            assert any(fragment.strip() in texts[key.strip()] for key in source.split(",")), (claim_id, fragment)


def test_a_report_no_section_judged_lists_every_claim_once_as_not_testable(tmp_path):
    records = ledger.ledger(tmp_path)
    assert [r["id"] for r in records] == list(CLAIMS)
    assert {r["verdict"] for r in records} == {"not testable"}
    blogger_first = ["002" in r["source"] for r in records]
    assert blogger_first == sorted(blogger_first, reverse=True)  # the blogger's claims (002), then the article's


def test_not_informative_parts_do_not_count():
    assert ledger.combine(["supported", "not informative"]) == "supported"
    assert ledger.combine(["not informative", "not testable"]) == "not testable"
    assert ledger.combine(["not supported", "not informative", "supported"]) == "mixed"
    assert Verdict("wider-post-audience", "not informative", "x").verdict == "not informative"
    with pytest.raises(ValueError):
        Verdict("wider-post-audience", "probably", "x")


def test_joint_robustness_counts_the_share_of_draws_and_names_the_driver():
    def judge(setting):
        flips = setting["feed.topic_sd"] > 0.6  # range 0.3-0.8: 40% of an even spread lies above 0.6
        return [Verdict("noise-to-signal", "not supported" if flips else "supported", "x")]

    table = robustness_table(judge, ["feed.topic_sd", "feed.ranker_noise_sd"], draws=50, seed=1)
    assert table.height == 50
    verdict = with_joint_robustness(Verdict("noise-to-signal", "supported", "x", {"rule": "r"}), table)
    assert verdict.details["robust_share"] == pytest.approx(0.6, abs=0.03)
    assert verdict.details["robust"] is False and verdict.details["robust_draws"] == 50
    assert len(verdict.details["drivers"]) == 1 and verdict.details["drivers"][0].startswith("feed.topic_sd")
    always = robustness_table(lambda s: [Verdict("noise-to-signal", "supported", "x")], ["feed.topic_sd"], draws=10, seed=1)
    assert with_joint_robustness(Verdict("noise-to-signal", "supported", "x"), always).details["robust"] is True
    same = robustness_table(judge, ["feed.topic_sd"], draws=20, seed=4)
    assert same.equals(robustness_table(judge, ["feed.topic_sd"], draws=20, seed=4))


def test_a_not_testable_verdict_carries_no_robustness():
    table = robustness_table(lambda s: [Verdict("noise-to-signal", "supported", "x")], ["feed.topic_sd"], draws=5, seed=1)
    verdict = with_joint_robustness(claims.not_testable("noise-to-signal", "no feed"), table)
    assert "robust_share" not in verdict.details


def test_advice_says_what_each_verdict_says_and_skips_what_was_not_judged():
    def record(claim_id, verdict, parts=()):
        return {"id": claim_id, "verdict": verdict, "details": {"parts": list(parts)}}

    part = lambda name, verdict, **details: {"name": name, "verdict": verdict, "details": details}  # noqa: E731
    records = [record(c, "not testable") for c in CLAIMS]
    assert ledger.advice(records) == []
    records = [record(c, "not testable") for c in CLAIMS if c not in ("fof-exponential", "views-1000-at-500")]
    records.append(record("fof-exponential", "supported"))
    records.append(record("views-1000-at-500", "mixed", [part("model", "mixed", p_views_ge_1000_at_500=0.35,
                                                              ci_low=0.14, ci_high=0.57, connections_for_even_odds=1100)]))
    lines = ledger.advice(records)
    assert any("faster than linearly" in line for line in lines)
    assert any("35% (95% interval 14%-57%)" in line and "1,100 connections" in line for line in lines)
