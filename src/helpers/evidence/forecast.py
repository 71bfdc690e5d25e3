"""How many connections the member will have, month by month, from their own recent pace.

The forecast commits to figures a later export can check (``helpers.report.predictions``). It assumes the pace
of the last :data:`HISTORY_MONTHS` complete months goes on: each simulated future resamples those months twice,
once for the pace itself (its sampling error, which dominates at long horizons) and once for each future month
(month-to-month variation). A member who changes pace (a job search, a new role) will fall outside the bands, which
is what the check is for. Connections removed later are not forecast: a later export counts them out, so the
outcome can fall below the band by the removals (the check counts them apart when it has both exports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from helpers.evidence.profile import CONNECTION_CAP

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


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _rest_of_month(day: date) -> float:
    """The share of ``day``'s month after it."""
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ((following - day).days - 1) / (following - date(day.year, day.month, 1)).days


def recent_pace(connections: pl.DataFrame, since: date, history: int = HISTORY_MONTHS) -> Pace:
    """Connections added per complete month in the ``history`` months before ``since``'s month (fewer when the
    network is younger; none counted before its first connection). Every row of the file counts, as LinkedIn
    counts it."""
    dated = connections.filter(pl.col("connected_on").is_not_null())["connected_on"]
    end = _month(since)  # the export's own month is incomplete: left out
    first = _month(dated.min()) if dated.len() else end
    start = max(end - history, first)
    months = np.array([_month(d) for d in dated.to_list()], dtype=np.int64) if dated.len() else np.zeros(0, np.int64)
    inside = months[(months >= start) & (months < end)] - start
    return Pace(np.bincount(inside, minlength=end - start).astype(float), connections.height, since)


def connections_ahead(pace: Pace, *, seed: int, months: int = FORECAST_MONTHS, paths: int = PATHS) -> pl.DataFrame:
    """The count at the end of each of the ``months`` months after the export's month: ``month`` (``YYYY-MM``),
    ``point`` (the median future) and the 50% and 90% intervals (``low_50``, ``high_50``, ``low_90``,
    ``high_90``), capped at LinkedIn's limit."""
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
        futures = np.minimum(pace.total + np.cumsum(picked, axis=1)[:, 1:], CONNECTION_CAP)
    q = np.quantile(futures, QUANTILES, axis=0)
    first = _month(pace.since) + 1
    return pl.DataFrame({"month": [_label(first + m) for m in range(months)], "point": q[2], "low_50": q[1],
                         "high_50": q[3], "low_90": q[0], "high_90": q[4]})
