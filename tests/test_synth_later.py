"""A pair of exports of one invented member months apart (helpers.export.synth_later), made from known rules: the
check of the later export reads every outcome right, and intervals drawn from the rules themselves cover as often as
they say over 200 simulated members (so a check's "inside" means what it says)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from helpers.export import load_export
from helpers.export.synth_later import EARLIER_DATE, LaterRules, main, write_later
from helpers.model import forecast
from helpers.paths import SAMPLE_EXPORT
from helpers.report import checking, predictions

#: More invitations than the default member sends, so that a share's steps are small beside its spread.
COVERAGE_RULES = LaterRules(invitations_per_day=3.0, posts_per_day=0.12)
MEMBERS, WITH_POSTS = 200, 40


def _last_month(later: date) -> tuple[str, date]:
    index = forecast.month_index(later) - 1
    return forecast.month_label(index), forecast.month_end(index)


def _true_model(rules: LaterRules, earlier_rows: int, later: date, rng: np.random.Generator, draws: int = 100_000):
    """The predictions the rules themselves make, and each one's draws (to tell how often an outcome of a whole
    number falls inside an interval of the rounded bounds: a share of 150 invitations moves in steps)."""
    month, month_end = _last_month(later)
    days_to = (month_end - EARLIER_DATE).days
    accept = rules.note_share * rules.accept_with_note + (1 - rules.note_share) * rules.accept_without_note
    # every earlier row but the removed, the connections made by the month's end, and the invitations accepted by
    # then (sent on a day, connected 0-2 days later: on average one day of invitations falls after the month's end)
    made = rules.new_per_day * days_to + rules.invitations_per_day * accept * (days_to - 1)
    connections = earlier_rows - rng.binomial(earlier_rows, rules.removed_share, draws) + rng.poisson(made, draws)
    found = {("connections", month): connections.astype(float)}
    for key, share, accept_rate in (("acceptance_with_note", rules.note_share, rules.accept_with_note),
                                    ("acceptance_without_note", 1 - rules.note_share, rules.accept_without_note)):
        sent = rng.poisson(rules.invitations_per_day * share * rules.days, draws)
        sent = sent[sent > 0]
        found[(key, "invitations since")] = rng.binomial(sent, accept_rate) / sent
    records = [predictions.prediction(kind, about, float(np.median(values)), np.quantile(values, [0.25, 0.75]),
                                      np.quantile(values, [0.05, 0.95])) for (kind, about), values in found.items()]
    for size in np.unique(np.round(np.geomspace(earlier_rows * 0.9, earlier_rows * 1.6, 60))).astype(int):
        median = rules.median_views(int(size))
        records.append(predictions.prediction(
            "impressions_next_post", f"{size} connections", median,
            [median * math.exp(-predictions.Z50 * rules.post_sd), median * math.exp(predictions.Z50 * rules.post_sd)],
            [median * math.exp(-predictions.Z90 * rules.post_sd), median * math.exp(predictions.Z90 * rules.post_sd)]))
    document = {"export_date": EARLIER_DATE.isoformat(), "fingerprint": "0" * 16, "version": "0",
                "assumptions_hash": "0" * 16, "predictions": records}
    return document, {kind: values for (kind, _), values in found.items()}


def test_the_later_export_of_the_pair_is_read_right(tmp_path):
    """Every outcome the check reads is what the rules made: the connections by the last complete month, those
    removed and added, the invitations accepted with and without a note, each post's impressions and network size."""
    truth = write_later(SAMPLE_EXPORT, tmp_path / "later", seed=4)
    later = load_export(tmp_path / "later")
    assert predictions.export_date(later) == truth.later_date == date(2027, 4, 14)
    checked = checking.check_before(SAMPLE_EXPORT, later, seed=1)  # the earlier export itself
    assert (checked["removed"], checked["added"]) == (truth.removed, truth.added) and truth.removed > 0
    by_id = {r["id"]: r for r in checked["checks"]}
    month, month_end = _last_month(truth.later_date)
    assert by_id["connections"]["about"] == month
    assert by_id["connections"]["outcome"] == truth.connections_on(month_end)
    for key, (hits, sent) in truth.invitations.items():
        record = by_id[f"acceptance_{key}"]
        assert (record["trials"], record["outcome"]) == (sent, pytest.approx(hits / sent)) and sent > 0
    # the earlier export's own audience model predicts its next posts: each post made in between is a check of it
    ahead = [r for r in checked["checks"] if r["id"] == "impressions_next_post"]
    assert ahead and {r["about"] for r in ahead} <= {"690 connections", "1035 connections"}
    document, _ = _true_model(LaterRules(), truth.earlier_rows, truth.later_date, np.random.default_rng(0), 2_000)
    posts = [r for r in checking.check(document, later)["checks"] if r["id"] == "impressions_next_post"]
    settled = [p for p in truth.posts if (truth.later_date - p[0]).days >= checking.SETTLING_DAYS]
    assert len(posts) == len(settled) >= 5
    assert [(r["published_on"], r["size_then"], r["outcome"]) for r in posts] == \
        [(day.isoformat(), size, float(views)) for day, size, views in settled]


def test_the_command_writes_the_later_export(tmp_path, capsys):
    main(["--earlier", str(SAMPLE_EXPORT), "--out", str(tmp_path / "later"), "--seed", "2", "--days", "60"])
    assert "2027-01-14" in capsys.readouterr().out
    assert (tmp_path / "later" / "messages.csv").read_bytes() == (SAMPLE_EXPORT / "messages.csv").read_bytes()
    assert load_export(tmp_path / "later").connections.height > 690


@pytest.mark.slow
def test_intervals_from_the_true_rules_cover_as_often_as_they_say_over_200_members(tmp_path):
    """200 members (each its own events between the exports; 40 of them posting) checked against the intervals the
    rules that made them give: the share inside each interval is what the rules say it should be (within three
    binomial errors), and that is the nominal 50% and 90% but for the steps of whole numbers."""
    rng = np.random.default_rng(11)
    inside, expected, variance, checks = {50: 0, 90: 0}, {50: 0.0, 90: 0.0}, {50: 0.0, 90: 0.0}, 0
    document = draws = None
    for member in range(MEMBERS):
        truth = write_later(SAMPLE_EXPORT, tmp_path / str(member), seed=1_000 + member, rules=COVERAGE_RULES,
                            posts=member < WITH_POSTS, others=False)
        if document is None:  # every member starts from the same earlier export, so the rules predict the same
            document, draws = _true_model(COVERAGE_RULES, truth.earlier_rows, truth.later_date, rng)
        for record in checking.check(document, load_export(tmp_path / str(member)))["checks"]:
            if record["outcome"] is None:
                continue
            checks += 1
            for level in (50, 90):
                low, high = record[f"interval_{level}"]
                values = draws.get(record["id"])
                chance = (float(np.mean((values >= low) & (values <= high))) if values is not None
                          else level / 100)  # impressions: a continuous law's exact quantiles
                inside[level] += record[f"inside_{level}"]
                expected[level] += chance
                variance[level] += chance * (1 - chance)
    assert checks >= 3 * MEMBERS
    for level in (50, 90):
        assert abs(inside[level] - expected[level]) <= 3 * math.sqrt(variance[level]), (level, inside, expected)
        assert abs(expected[level] / checks - level / 100) <= 0.08, (level, expected[level] / checks)
