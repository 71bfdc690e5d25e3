"""The connections forecast (helpers.model.forecast): the pace it reads, and intervals that mean what they say."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from helpers.model import assumptions, forecast
from helpers.evidence.profile import CONNECTION_CAP, next_milestone


def _member(monthly: list[int], last_month: date) -> pl.DataFrame:
    """Connections made on the 10th of each of the months ending at ``last_month`` (``monthly`` added in each)."""
    days = []
    for back, added in enumerate(reversed(monthly)):
        year, month = divmod(last_month.year * 12 + last_month.month - 1 - back, 12)
        days += [date(year, month + 1, 10)] * added
    return pl.DataFrame({"connected_on": days}, schema={"connected_on": pl.Date})


def test_the_pace_is_read_from_complete_months_before_the_export_with_the_quiet_ones_counted():
    connections = _member([3, 0, 5, 7], date(2026, 10, 1))
    # the export on 20 November: October is the last complete month; November's rows would not count
    pace = forecast.recent_pace(connections.vstack(pl.DataFrame({"connected_on": [date(2026, 11, 2)]})),
                                date(2026, 11, 20))
    assert pace.added.tolist() == [3, 0, 5, 7] and pace.total == 16  # July to October: the network began in July
    later = forecast.recent_pace(connections, date(2027, 3, 5))
    assert later.added.tolist() == [3, 0, 5, 7, 0, 0, 0, 0] and later.per_month == 15 / 8
    old = forecast.recent_pace(_member([1] * 40, date(2026, 10, 1)), date(2026, 11, 20))
    assert old.added.size == forecast.HISTORY_MONTHS


def test_same_seed_same_forecast_nested_bands_and_never_past_the_cap():
    pace = forecast.Pace(np.array([40.0, 900.0, 15.0, 300.0]), 29_000, date(2026, 11, 15))
    first, again = (forecast.connections_ahead(pace, seed=3) for _ in range(2))
    assert first.equals(again)
    assert first.height == forecast.FORECAST_MONTHS and first["month"][0] == "2026-12"
    assert (first["low_90"] <= first["low_50"]).all() and (first["low_50"] <= first["point"]).all()
    assert (first["point"] <= first["high_50"]).all() and (first["high_50"] <= first["high_90"]).all()
    assert first["high_90"].max() == CONNECTION_CAP and first["low_90"][0] >= 29_000
    quiet = forecast.connections_ahead(forecast.Pace(np.zeros(0), 120, date(2026, 1, 31)), seed=1)
    assert quiet["point"].unique().to_list() == [120] and quiet["month"][0] == "2026-02"


def test_the_bands_cover_as_often_as_they_say_on_members_whose_pace_holds():
    """300 invented members whose monthly additions are Poisson at their own rate (1 to 40 a month): without drift
    (their pace does hold), a year after the export the 50% and 90% bands hold the true count about that often
    (within three binomial errors)."""
    rng = np.random.default_rng(11)
    inside = {50: 0, 90: 0}
    members = 300
    for member in range(members):
        rate = float(np.exp(rng.uniform(0, np.log(40))))
        history = rng.poisson(rate, 24)
        pace = forecast.Pace(history.astype(float), 500 + int(history.sum()), date(2026, 6, 30))
        table = forecast.connections_ahead(pace, seed=member, months=12, paths=2000, drift=0.0)
        truth = pace.total + rng.poisson(rate, 12).sum()
        row = table.row(11, named=True)
        inside[50] += row["low_50"] <= truth <= row["high_50"]
        inside[90] += row["low_90"] <= truth <= row["high_90"]
    for level, hits in inside.items():
        nominal = level / 100
        assert abs(hits / members - nominal) < 3 * np.sqrt(nominal * (1 - nominal) / members), (level, hits)


def test_the_milestone_is_500_then_half_as_large_again():
    assert [next_milestone(k) for k in (0, 499, 500, 702, 29_000)] == [500, 500, 750, 1053, CONNECTION_CAP]


def test_the_replay_predicts_from_the_past_only_and_reads_the_outcome_from_the_same_export():
    """A member who added exactly 5 a month for four years, then 50 a month for a year: without drift, every replayed
    check before the jump is exact (the pace held), the checks across the jump fall above their bands, and each check's outcome is
    the count the export shows a year on."""
    months = [5] * 48 + [50] * 12
    connections = _member(months, date(2026, 9, 1))
    first, added = forecast.monthly_additions(connections, date(2026, 10, 3))
    assert added.tolist() == months
    replayed = forecast.replay(first, added, seed=4, drift=0.0)
    assert replayed["written"].to_list()[-1] == "2025-10" and replayed["at"].to_list()[-1] == "2026-09"
    assert replayed["history"].min() >= forecast.REPLAY_MIN_HISTORY and replayed.height == 7
    steady = replayed.filter(pl.col("at") <= "2025-09")
    assert (steady["point"] == steady["outcome"]).all() and steady["inside_90"].all()
    jumped = replayed.filter(pl.col("at") > "2025-09")
    assert (jumped["outcome"] > jumped["high_90"]).all()
    last = replayed.row(-1, named=True)
    assert last["from"] == 5 * 48 and last["outcome"] == 5 * 48 + 50 * 12
    assert forecast.coverage(replayed) == {"checks": 7, "inside_50": 5 / 7, "inside_90": 5 / 7}
    short = forecast.replay(*forecast.monthly_additions(_member([3] * 20, date(2026, 9, 1)), date(2026, 10, 3)), seed=1)
    assert short.is_empty() and forecast.coverage(short)["checks"] == 0


def test_the_committed_pace_drift_is_what_the_real_exports_fit_and_it_covers_better_than_none():
    """The assumption's value is :func:`forecast.fit_drift`'s answer on the real exports, its range the values fitted
    leaving one member out; and out of sample (each member judged at the drift fitted on the others) the 90%
    intervals hold the outcome far more often than the pace-holds bands (no drift) do."""
    members = forecast.real_growth()
    assert len(members) >= 6 and all(added.sum() > 0 for _, added in members.values())
    best, left_out = forecast.fit_drift(members)
    item = assumptions.load()["forecast.pace_drift"]
    assert best == item.value and (left_out["drift"].min(), left_out["drift"].max()) == (item.low, item.high)
    committed = pl.read_csv(forecast.CHECKS_FILE, comment_prefix="#")
    assert committed.equals(pl.read_csv(left_out.write_csv(float_precision=6).encode()))
    drifted = (left_out["inside_90"] * left_out["checks"]).sum() / left_out["checks"].sum()
    none = forecast.coverage(pl.concat([forecast.replay(*m, seed=1, drift=0.0, paths=2000) for m in members.values()]))
    assert drifted > none["inside_90"] + 0.15
