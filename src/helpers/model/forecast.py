"""How many connections the member will have, month by month, from their own recent pace.

The forecast commits to figures a later export can check (``helpers.report.predictions``). It starts from the pace
of the last :data:`HISTORY_MONTHS` complete months: each simulated future resamples those months twice, once for
the pace itself (its sampling error) and once for each future month (month-to-month variation), and lets the pace
wander as a random walk in its logarithm (``forecast.pace_drift``, fitted to real exports by replaying the forecast
at earlier dates of each: real members change pace far more than their own past months say; see :func:`fit_drift`). Connections removed later are not forecast: a later export counts them out, so the
outcome can fall below the band by the removals (the check counts them apart when it has both exports).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from helpers.evidence.profile import CONNECTION_CAP
from helpers.model import assumptions
from helpers.paths import DATA_DIR

#: Connections made per month in real exports (derived counts, sources in the file's header).
REAL_GROWTH_FILE = DATA_DIR / "real_connection_growth.csv"
#: The pace drift's out-of-sample checks on the real exports, as ``python -m helpers.model.forecast`` wrote them.
CHECKS_FILE = DATA_DIR / "forecast_checks.csv"
#: The drifts :func:`fit_drift` chooses among.
DRIFT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5)

#: The complete months before the export whose pace is carried forward (two years: recent enough to be today's
#: pace, long enough for a seasonal year twice).
HISTORY_MONTHS = 24
#: Months ahead, as the predictions file promises (so any later export within five years can be checked).
FORECAST_MONTHS = 60
#: Simulated futures.
PATHS = 4000
#: The quantiles written: the 90% and 50% intervals and the median.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Pace:
    """The months the forecast rests on: connections added in each of ``months`` complete months before the export
    (oldest first) and the count at the export."""

    added: np.ndarray
    total: int
    since: date

    @property
    def per_month(self) -> float:
        return float(self.added.mean()) if self.added.size else 0.0


def month_index(day: date) -> int:
    """Months since year 0, so that month arithmetic is integer arithmetic."""
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    """A :func:`month_index` as ``YYYY-MM``."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _rest_of_month(day: date) -> float:
    """The share of ``day``'s month after it."""
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ((following - day).days - 1) / (following - date(day.year, day.month, 1)).days


def recent_pace(connections: pl.DataFrame, since: date, history: int = HISTORY_MONTHS) -> Pace:
    """Connections added per complete month in the ``history`` months before ``since``'s month (fewer when the
    network is younger; none counted before its first connection). Every row of the file counts, as LinkedIn
    counts it."""
    _, added = monthly_additions(connections, since)
    return Pace(added[-history:] if history else added[:0], connections.height, since)


def pace_drift() -> float:
    """The assumption ``forecast.pace_drift`` at its value."""
    return assumptions.load()["forecast.pace_drift"].value


def connections_ahead(pace: Pace, *, seed: int, months: int = FORECAST_MONTHS, paths: int = PATHS,
                      drift: float | None = None) -> pl.DataFrame:
    """The count at the end of each of the ``months`` months after the export's month: ``month`` (``YYYY-MM``),
    ``point`` (the median future) and the 50% and 90% intervals (``low_50``, ``high_50``, ``low_90``,
    ``high_90``), capped at LinkedIn's limit. ``drift`` is how much the pace itself wanders: the standard
    deviation of the log of a year's pace over the previous year's (a random walk, month by month; the
    assumption's value when None)."""
    drift = pace_drift() if drift is None else drift
    rng = np.random.default_rng(seed)
    if pace.added.size == 0:
        futures = np.full((paths, months), float(pace.total))
    else:
        size = pace.added.size
        # each future's own pace: the history resampled (what two years say about the pace, and how surely) ...
        history = pace.added[rng.integers(0, size, (paths, size))]
        # ... then each month drawn from that future's resampled months; the rest of the export's month first
        picked = np.take_along_axis(history, rng.integers(0, size, (paths, months + 1)), axis=1)
        picked[:, 0] *= _rest_of_month(pace.since)
        if drift > 0:
            steps = rng.normal(0.0, drift / np.sqrt(12), (paths, months + 1))
            picked *= np.exp(np.cumsum(steps, axis=1))
        futures = np.minimum(pace.total + np.cumsum(picked, axis=1)[:, 1:], CONNECTION_CAP)
    q = np.quantile(futures, QUANTILES, axis=0)
    first = month_index(pace.since) + 1
    return pl.DataFrame({"month": [month_label(first + m) for m in range(months)], "point": q[2], "low_50": q[1],
                         "high_50": q[3], "low_90": q[0], "high_90": q[4]})


#: The replay's horizon (months ahead each replayed prediction is checked at) and how often a cutoff is taken.
REPLAY_HORIZON = 12
REPLAY_EVERY = 6
#: Complete months a replayed prediction needs before its cutoff (half the forecast's own history at least).
REPLAY_MIN_HISTORY = 12


def monthly_additions(connections: pl.DataFrame, since: date) -> tuple[int, np.ndarray]:
    """Connections made in each complete month before ``since``'s month, from the first connection's month:
    (that month's index, counts)."""
    dated = connections.filter(pl.col("connected_on").is_not_null())["connected_on"]
    end = month_index(since)  # the export's own month is incomplete: left out
    if not dated.len():
        return end, np.zeros(0)
    months = np.array([month_index(d) for d in dated.to_list()], dtype=np.int64)
    first = int(months.min())
    kept = months[months < end] - first
    return first, np.bincount(kept, minlength=max(end - first, 0)).astype(float)


def replay(first: int, added: np.ndarray, *, seed: int, horizon: int = REPLAY_HORIZON, every: int = REPLAY_EVERY,
           min_history: int = REPLAY_MIN_HISTORY, paths: int = PATHS, drift: float | None = None) -> pl.DataFrame:
    """The forecast as if it had been written at earlier dates: at each cutoff (every ``every`` months, the latest
    one ``horizon`` months before the data end), predict from the months before it only and check ``horizon``
    months on against what the same export shows then. One row a cutoff: ``written`` (the month the prediction
    was written at the start of), ``history`` months, ``at`` (the month checked), the prediction's ``point`` and
    intervals, the ``outcome`` and whether it fell inside each interval. Both counts are of connections that still
    exist at the export (removed ones are missing from the file at every date alike)."""
    rows = []
    last = added.size - horizon
    for cutoff in range(last, min_history - 1, -every):
        history = added[max(0, cutoff - HISTORY_MONTHS):cutoff]
        total = int(added[:cutoff].sum())
        day = month_end(first + cutoff - 1)
        table = connections_ahead(Pace(history, total, day), seed=seed + cutoff, months=horizon, paths=paths,
                                  drift=drift)
        row = table.row(horizon - 1, named=True)
        outcome = total + float(added[cutoff:cutoff + horizon].sum())
        rows.append({"written": month_label(first + cutoff), "history": int(history.size), "at": row["month"],
                     "from": total, "point": row["point"], "low_50": row["low_50"], "high_50": row["high_50"],
                     "low_90": row["low_90"], "high_90": row["high_90"], "outcome": outcome,
                     "inside_50": row["low_50"] <= outcome <= row["high_50"],
                     "inside_90": row["low_90"] <= outcome <= row["high_90"]})
    schema = {"written": pl.String, "history": pl.Int64, "at": pl.String, "from": pl.Int64, "point": pl.Float64,
              "low_50": pl.Float64, "high_50": pl.Float64, "low_90": pl.Float64, "high_90": pl.Float64,
              "outcome": pl.Float64, "inside_50": pl.Boolean, "inside_90": pl.Boolean}
    return pl.DataFrame(rows[::-1], schema=schema)


def month_end(index: int) -> date:
    """The last day of a :func:`month_index`."""
    following = index + 1
    return date(following // 12, following % 12 + 1, 1) - timedelta(days=1)


def coverage(replayed: pl.DataFrame) -> dict[str, float]:
    """How often the replayed outcomes fell inside the 50% and 90% intervals, over how many checks."""
    if replayed.is_empty():
        return {"checks": 0, "inside_50": float("nan"), "inside_90": float("nan")}
    return {"checks": replayed.height, "inside_50": float(replayed["inside_50"].mean()),
            "inside_90": float(replayed["inside_90"].mean())}


def real_growth() -> dict[str, tuple[int, np.ndarray]]:
    """Each real export of :data:`REAL_GROWTH_FILE` as :func:`monthly_additions` gives it (complete months
    before its export date)."""
    text = REAL_GROWTH_FILE.read_text(encoding="utf-8")
    dates = {m[1]: date.fromisoformat(m[2]) for m in re.finditer(r"^# export_date: (\S+) (\S+)$", text, re.M)}
    table = pl.read_csv(REAL_GROWTH_FILE, comment_prefix="#")
    found = {}
    for export, end in sorted(dates.items()):
        rows = table.filter(pl.col("export") == export)
        months = np.array([int(m[:4]) * 12 + int(m[5:]) - 1 for m in rows["month"]], dtype=np.int64)
        first = int(months.min())
        added = np.zeros(max(month_index(end) - first, 0))
        keep = months < month_index(end)
        np.add.at(added, months[keep] - first, rows["added"].to_numpy()[keep])
        found[export] = (first, added)
    return found


def _score(checks: list[pl.DataFrame]) -> float:
    """How far pooled coverage is from nominal, 50% and 90% together (the rule :func:`fit_drift` minimises)."""
    pooled = coverage(pl.concat(checks))
    return abs(pooled["inside_50"] - 0.5) + abs(pooled["inside_90"] - 0.9)


def fit_drift(members: dict[str, tuple[int, np.ndarray]], *, seed: int = 1, paths: int = 2000,
              grid=DRIFT_GRID) -> tuple[float, pl.DataFrame]:
    """The drift of :data:`DRIFT_GRID` whose replayed intervals cover closest to nominal over ``members``, and
    each member left out in turn: the drift fitted on the others and that member's coverage at it (the honest,
    out-of-sample figure)."""
    replays = {(name, drift): replay(first, added, seed=seed, drift=drift, paths=paths)
               for name, (first, added) in members.items() for drift in grid}
    usable = [name for name in members if not replays[name, grid[0]].is_empty()]
    best = min(grid, key=lambda d: _score([replays[n, d] for n in usable]))
    rows = []
    for held in usable:
        fitted = min(grid, key=lambda d: _score([replays[n, d] for n in usable if n != held]))
        rows.append({"member": held, "drift": fitted, **coverage(replays[held, fitted])})
    return best, pl.DataFrame(rows)


def pooled(left_out: pl.DataFrame) -> dict[str, float]:
    """The left-out members' checks pooled: ``members``, ``checks`` and the shares inside each interval."""
    checks = int(left_out["checks"].sum())
    return {"members": left_out.height, "checks": checks,
            **{f"inside_{level}": float((left_out[f"inside_{level}"] * left_out["checks"]).sum() / checks)
               for level in (50, 90)}}


def real_coverage() -> dict[str, float]:
    """:func:`pooled` of the committed :data:`CHECKS_FILE` (what the page quotes without refitting)."""
    return pooled(pl.read_csv(CHECKS_FILE, comment_prefix="#"))


def main(argv: list[str] | None = None) -> int:
    """Fit the pace drift to the real exports, print it with the leave-one-member-out coverage and write the
    checks to :data:`CHECKS_FILE`."""
    best, left_out = fit_drift(real_growth())
    found = pooled(left_out)
    print(f"forecast.pace_drift fitted: {best:g} (leaving one member out: {left_out['drift'].min():g} to "
          f"{left_out['drift'].max():g}); out of sample, {found['checks']} checks of {found['members']} members: "
          f"{found['inside_50']:.0%} inside the 50% intervals, {found['inside_90']:.0%} inside the 90%")
    header = ("# Each real export of real_connection_growth.csv left out in turn: the pace drift fitted on the others "
              "and this member's replayed checks a year ahead at it (python -m helpers.model.forecast)\n")
    CHECKS_FILE.write_text(header + left_out.write_csv(float_precision=6), encoding="utf-8")
    print(left_out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
