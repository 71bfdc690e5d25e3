"""Unwanted conversations against network size (helpers.evidence.spam)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import polars as pl

from helpers.evidence import spam

ME, ME_URL = "Alex Example", "https://www.linkedin.com/in/alex-example"
SCHEMA = {"conversation_id": pl.String, "conversation_title": pl.String, "from_name": pl.String,
          "sender_url": pl.String, "to_names": pl.String, "recipient_urls": pl.String, "sent_at": pl.Datetime,
          "folder": pl.String, "is_draft": pl.String}


def _message(conversation, sender, to, day, title=None, folder="INBOX"):
    url = ME_URL if sender.lower().startswith("alex") else f"https://www.linkedin.com/in/{sender.split()[0].lower()}"
    return {"conversation_id": conversation, "conversation_title": title, "from_name": sender, "sender_url": url,
            "to_names": to, "recipient_urls": None, "sent_at": datetime.combine(day, datetime.min.time()),
            "folder": folder, "is_draft": "No"}


def _connections(days):
    return pl.DataFrame({"first_name": ["Ana"] * len(days), "last_name": [f"S{i}" for i in range(len(days))],
                         "url": [None] * len(days), "connected_on": days, "is_ghost": [False] * len(days)},
                        schema={"first_name": pl.String, "last_name": pl.String, "url": pl.String,
                                "connected_on": pl.Date, "is_ghost": pl.Boolean})


def test_a_conversation_is_unwanted_when_flagged_or_never_answered_by_the_member():
    rows = [
        _message("c1", "Ana S0", ME, date(2024, 1, 3)), _message("c1", "ALEX EXAMPLE", "Ana S0", date(2024, 1, 4)),
        _message("c2", "Bo Li", ME, date(2024, 1, 9)),                                    # never answered
        _message("c3", "Cy Po", ME, date(2024, 2, 1), title="Sponsored Conversation"),
        _message("c3", ME, "Cy Po", date(2024, 2, 2)),                                    # answered, but sponsored
        _message("c4", "Di Ro", ME, date(2024, 2, 5), folder="SPAM"),
        _message("c5", ME, "Ana S0", date(2024, 2, 7)),
    ] + [_message(f"m{i}", ME, "Ana S0", date(2024, 2, 10)) for i in range(3)]           # the member is the most present
    monthly = spam.unwanted_by_month(pl.DataFrame(rows, schema=SCHEMA),
                                     _connections([date(2023, 12, 1), date(2024, 1, 20)]))
    assert monthly.select("month", "conversations", "unwanted", "network_size").rows() == [
        (date(2024, 1, 1), 2, 1, 2), (date(2024, 2, 1), 6, 2, 2)]


def _months(unwanted):
    months = pl.date_range(date(2020, 1, 1), date(2030, 1, 1), "1mo", eager=True)[: len(unwanted)]
    return pl.DataFrame({"month": months, "conversations": unwanted, "unwanted": unwanted,
                         "network_size": np.geomspace(100, 3000, len(unwanted)).round().astype(int)})


def test_the_slope_rule_can_come_out_every_way():
    sizes = np.geomspace(100, 3000, 36)
    assert spam.judge_spam(_months((sizes / 20).round().astype(int))).verdict == "supported"
    assert spam.judge_spam(_months((3000 / sizes).round().astype(int))).verdict == "not supported"
    noisy = np.random.default_rng(2).poisson(3, 36)
    assert spam.judge_spam(_months(noisy)).verdict == "mixed"
    assert spam.judge_spam(_months([1] * (spam.MIN_MONTHS - 1))).verdict == "not testable"
    assert spam.judge_spam(None, "no messages file").evidence == "no messages file"


def test_the_evidence_says_the_slope_as_times_for_a_doubling_not_as_an_exponent():
    sizes = np.geomspace(100, 3000, 36)
    verdict = spam.judge_spam(_months((sizes / 20).round().astype(int)))
    assert f"{2 ** verdict.details['slope']:.2g} times the unwanted conversations (95% interval" in verdict.evidence
    assert "^" not in verdict.evidence and "CI" not in verdict.evidence
