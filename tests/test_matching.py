"""Matching people across the export's files: the name key, the profile slug, ambiguity, and the rule
that makes a measure not testable when too few people match."""

from __future__ import annotations

import polars as pl
import pytest

from helpers.claims import Verdict
from helpers.evidence import measures, profile
from helpers.export import matching
from helpers.export.matching import MIN_MATCH_SHARE, MatchReport, person_key, profile_slug


def _keys(*names):
    return pl.select(person_key(pl.lit(pl.Series(list(names), dtype=pl.String)))).to_series().to_list()


@pytest.mark.parametrize("written,key", [
    ("Maria Garcia", "maria garcia"),
    ("  MARÍA   GARCÍA ", "maria garcia"),  # case, accents, spaces
    ("Maria Garcia, PhD", "maria garcia"),  # credentials after a comma
    ("Maria Garcia, MBA, PMP", "maria garcia"),
    ("Maria Garcia \U0001F680", "maria garcia"),  # emoji
    ("Priya Nair \U0001F469\u200d\U0001F4BB", "priya nair"),  # a ZWJ sequence
    ("Leo Martins \U0001F1E7\U0001F1F7", "leo martins"),  # a flag
    ("Kai Berg \u2728 CSM\u00ae", "kai berg csm"),  # symbols go, letters stay
    ("Dr. Maria Garcia", "maria garcia"),  # a title before a given name and a surname
    ("Sean O'Brien (he/him)", "sean obrien"),  # pronouns, apostrophes
    ("\U0001D4D0\U0001D4F7\U0001D4EA Fancy", "ana fancy"),  # "mathematical" letters used as a font
    ("Björn Bergström", "bjorn bergstrom"),
    ("\u9648 \u4f1f", "\u9648 \u4f1f"),  # CJK stays itself
    ("\u0410\u043d\u043d\u0430 \u0421\u043c\u0438\u0440\u043d\u043e\u0432\u0430", "\u0430\u043d\u043d\u0430 \u0441\u043c\u0438\u0440\u043d\u043e\u0432\u0430"),
    ("Dr. Who", "dr who"),  # no surname after it: the title is part of the name
    (" \U0001F680 ", None),
    (None, None),
])
def test_person_key(written, key):
    assert _keys(written) == [key]


@pytest.mark.parametrize("url,slug", [
    ("https://www.linkedin.com/in/ana-silva-3b2a91c4", "ana-silva-3b2a91c4"),
    ("https://www.linkedin.com/in/Ana-Silva/", "ana-silva"),
    ("www.linkedin.com/in/bj%C3%B6rn?trk=x", "björn"),
    ("https://www.linkedin.com/in", None),  # the bare address of Dec 2023 - Jan 2024 invitations
    ("https://www.linkedin.com/in/", None),
    ("urn:li:member:610150649", None),
    ("", None),
])
def test_profile_slug(url, slug):
    assert pl.select(profile_slug(pl.lit(url, dtype=pl.String))).item() == slug


def _connections(*names):
    frame = pl.DataFrame({"first_name": [n.split()[0] for n in names], "last_name": [n.split()[1] for n in names],
                          "url": [None] * len(names), "company": ["X"] * len(names), "position": [None] * len(names)},
                         schema={c: pl.String for c in ("first_name", "last_name", "url", "company", "position")})
    return frame.with_columns(pl.lit(False).alias("is_ghost"))


def test_a_name_two_connections_share_is_never_matched():
    index = matching.connection_index(_connections("Ana Silva", "Bo Li", "Ana Silva", "Jo Kight"))
    people = pl.DataFrame({"url_key": [None] * 4, "name_key": ["ana silva", "bo li", "zed z", None]},
                          schema={"url_key": pl.String, "name_key": pl.String})
    resolved = matching.resolve(people, index, use_urls=False)
    assert resolved["match"].to_list() == ["ambiguous", "name", "none", "no identifier"]
    assert resolved["connection"].to_list() == [None, 1, None, None]
    report = matching.tally(resolved, "x.csv", False, "people")
    assert (report.matched, report.ambiguous, report.unmatched, report.looked_up) == (1, 1, 2, 4)


def test_addresses_are_used_only_when_most_people_have_one():
    assert matching.urls_usable(pl.Series(["a", "b", None, None]))  # half: used
    assert not matching.urls_usable(pl.Series(["a", None, None], dtype=pl.String))
    assert not matching.urls_usable(pl.Series([], dtype=pl.String))


def _report(matched: int, looked_up: int) -> MatchReport:
    return MatchReport("Invitations.csv", "name", "connections made since the file begins", looked_up, 0, matched,
                       0, looked_up - matched, "in Invitations.csv")


def test_the_matching_rule_is_at_least_half_matched():
    assert MIN_MATCH_SHARE == 0.5
    assert _report(50, 100).trusted and not _report(49, 100).trusted and not _report(0, 0).trusted
    assert "at least 50%" in _report(49, 100).why_not() and "49 of the 100" in _report(49, 100).why_not()
    assert "Matched by name: 50 of the 100" in _report(50, 100).sentence()


def test_verdicts_on_matched_people_carry_the_matching_rule():
    judged = Verdict("inner-circle", "supported", "x", {"rule": "the claim's rule"})
    kept = measures.with_matching(judged, _report(80, 100))
    assert kept.verdict == "supported" and kept.details["matching"]["rate"] == 0.8
    assert kept.details["rule"].startswith("the claim's rule; people are matched by name")
    refused = measures.with_matching(judged, _report(10, 100))
    assert refused.verdict == "not testable" and "10 of the 100" in refused.evidence
    untouched = Verdict("inner-circle", "not testable", "no messages", {"reason": "no messages"})
    assert measures.with_matching(untouched, _report(10, 100)) is untouched


def test_job_titles_match_with_or_without_accents():
    titles = pl.DataFrame({"title": ["Ingénieur logiciel", "Ingenieur logiciel", "Diseñadora", "Disenadora",
                                     "Geschäftsführerin", "Geschaftsfuhrerin", "INGENIERO DE SOFTWARE"]})
    got = titles.select(profile.job_function(pl.col("title")).alias("f"))["f"].to_list()
    assert got == ["Engineering", "Engineering", "Design", "Design", "Founders & executives",
                   "Founders & executives", "Engineering"]
    levels = titles.select(profile.seniority(pl.col("title")).alias("s"))["s"].to_list()
    assert levels[4:6] == ["Director or head", "Director or head"]
