"""Matching people across the export's files: the name key, the profile slug, ambiguity, the rule
that makes a measure not testable when too few people match, and the people of messages."""

from __future__ import annotations

import doctest
from datetime import datetime

import polars as pl
import pytest

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


def test_the_examples_in_the_module_hold():
    failures, tried = doctest.testmod(matching)
    assert tried >= 2 and failures == 0


ME = "https://www.linkedin.com/in/me"


def _messages(rows):
    """Messages from (sender, sender address, TO, recipient addresses, title, folder, draft) tuples."""
    frame = pl.DataFrame(rows, schema=["from_name", "sender_url", "to_names", "recipient_urls", "conversation_title",
                                       "folder", "is_draft"], orient="row")
    return frame.with_columns(pl.lit(datetime(2026, 1, 1)).alias("sent_at")).with_row_index("message")


def test_linkedin_s_own_messages_spam_and_drafts_are_not_personal():
    messages = _messages([
        ("Ana Silva", None, "Me", None, None, "INBOX", "No"),
        ("LinkedIn Member", None, "Me", None, "Sponsored Conversation", "INBOX", "No"),
        ("Recruiter", None, "Me", None, "Sponsored", "INBOX", "No"),
        ("Spammer", None, "Me", None, None, "SPAM", "No"),
        ("Me", None, "Ana Silva", None, None, "INBOX", "Yes"),
    ])
    assert messages.select(matching.flagged_message())["conversation_title"].to_list() == [False, True, True, True,
                                                                                            False]
    assert matching.personal_messages(messages)["from_name"].to_list() == ["Ana Silva"]


def test_the_member_is_the_participant_of_most_messages_by_any_name_or_address():
    messages = _messages([
        ("Me", ME, "Ana Silva", "https://www.linkedin.com/in/ana", None, "INBOX", "No"),
        ("Ana Silva", "https://www.linkedin.com/in/ana", "Me", ME, None, "INBOX", "No"),
        ("ME", None, "Jo Kight, MS", None, None, "INBOX", "No"),  # no addresses: by name, one connection's
        ("Bo Li", "https://www.linkedin.com/in/bo", "Me", ME, None, "INBOX", "No"),
        ("Me", None, "Zed Zo, Bo Li", None, None, "INBOX", "No"),  # a group chat
    ])
    index = matching.connection_index(pl.DataFrame({
        "first_name": ["Ana", "Bo", "Jo"], "last_name": ["Silva", "Li", "Kight, MS"],
        "url": ["https://www.linkedin.com/in/ana", "https://www.linkedin.com/in/bo", "https://www.linkedin.com/in/jo"],
        "is_ghost": [False] * 3}))
    people, use_urls = matching.message_people(messages, index)
    assert use_urls
    others = people.filter(~pl.col("is_member")).sort("message", "name_key", "url_key")
    assert others.select("message", "sender", "who").rows() == [
        (0, False, "ana"), (1, True, "ana"), (2, False, "name:jo kight"), (3, True, "bo"), (4, False, "name:bo li"),
        (4, False, "name:zed zo")]
    assert people.filter(pl.col("is_member"))["message"].unique().sort().to_list() == [0, 1, 2, 3, 4]
