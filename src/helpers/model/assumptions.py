"""The models' assumptions, read from ``data/assumptions.toml``: value, range, unit and source each.

>>> value("reach.degree_cap")
30000
>>> draws = joint_draws(["reach.degree_sigma", "reach.members"], 4, seed=1)
>>> draws.columns, draws.height
(['draw', 'reach.degree_sigma', 'reach.members'], 4)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from helpers.paths import DATA_DIR

ASSUMPTIONS_FILE = DATA_DIR / "assumptions.toml"


@dataclass(frozen=True)
class Assumption:
    name: str
    value: float
    low: float
    high: float
    unit: str
    source: str


def _flatten(table: dict, prefix: str = "") -> dict[str, dict]:
    found = {}
    for key, item in table.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict) and "value" in item:
            found[name] = item
        elif isinstance(item, dict):
            found.update(_flatten(item, f"{name}."))
    return found


@cache
def load() -> dict[str, Assumption]:
    """Every assumption by dotted name; raises ValueError when one lacks a field or leaves its range."""
    raw = _flatten(tomllib.loads(ASSUMPTIONS_FILE.read_text(encoding="utf-8")))
    result = {}
    for name, item in raw.items():
        missing = {"value", "range", "unit", "source"} - set(item)
        if missing:
            raise ValueError(f"{ASSUMPTIONS_FILE.name}: [{name}] lacks {sorted(missing)}")
        low, high = item["range"]
        if not low <= item["value"] <= high:
            raise ValueError(f"{ASSUMPTIONS_FILE.name}: [{name}] value {item['value']} is outside its range {item['range']}")
        result[name] = Assumption(name, item["value"], low, high, item["unit"], item["source"])
    return result


def value(name: str, override: float | None = None) -> float:
    """The value of assumption ``name``, or ``override`` when given (a notebook parameter)."""
    if override is not None:
        return override
    try:
        return load()[name].value
    except KeyError:
        raise KeyError(f"no assumption {name!r} in {ASSUMPTIONS_FILE.name}") from None


def table(prefix: str = "") -> list[dict]:
    """Rows for a report table: name, value, range, unit, source."""
    return [{"assumption": a.name, "value": a.value, "low": a.low, "high": a.high, "unit": a.unit, "source": a.source}
            for a in load().values() if a.name.startswith(prefix)]


def joint_draws(names, size: int, seed, *, shape: str = "uniform", fixed: dict[str, float] | None = None,
                replicates: dict[str, int] | None = None) -> pl.DataFrame:
    """``size`` joint draws of the named assumptions over their ranges (a Latin hypercube: each range cut in
    ``size`` equal slices, each slice used once), one row per draw.

    The hypercube is the random one of ``scipy.stats.qmc.LatinHypercube`` (one uniform point in each slice, the
    slices permuted per column), drawn here in the order this project's figures were first computed with: the
    library draws the same design from another random stream, which moves every band and robustness share by
    Monte Carlo noise (and, at 64 draws, a verdict near its threshold).

    ``shape="uniform"`` spreads the draws evenly over each range (a robustness check that leans on no
    value); ``shape="triangular"`` draws from the triangular distribution on the range with its mode at the
    assumption's value (the uncertainty of a figure). A range spanning a factor of 3 or more is drawn in
    log (a median of 70 to 250 connections is as likely to be 100 as 175 times 1); a degenerate range gives
    its value; ``fixed`` pins assumptions at given values (a sensitivity check: the other columns are drawn
    exactly as without it). ``replicates`` adds integer columns drawn the same way from 1..N (e.g. a
    bootstrap replicate of a fit). The same seed gives the same draws.

    >>> draws = joint_draws(["reach.degree_sigma"], 4, seed=1)
    >>> spec = load()["reach.degree_sigma"]
    >>> bool(draws["reach.degree_sigma"].is_between(spec.low, spec.high).all())
    True
    """
    names, replicates, fixed = list(names), replicates or {}, fixed or {}
    columns = names + list(replicates)
    if not columns:
        return pl.DataFrame({"draw": np.arange(size)})
    rng = np.random.default_rng(seed)
    slices = rng.permuted(np.tile(np.arange(size), (len(columns), 1)), axis=1).T
    unit = (slices + rng.random((size, len(columns)))) / size
    found = {"draw": np.arange(size)}
    for position, name in enumerate(names):
        if name not in load():
            raise KeyError(f"no assumption {name!r} in {ASSUMPTIONS_FILE.name}")
        spec = load()[name]
        u = unit[:, position]
        logged = spec.low > 0 and spec.high / spec.low >= 3
        low, high, value = (np.log(spec.low), np.log(spec.high), np.log(spec.value)) if logged else \
            (spec.low, spec.high, spec.value)
        if name in fixed:
            found[name] = np.full(size, float(fixed[name]))
            continue
        if spec.low == spec.high:
            found[name] = np.full(size, float(spec.value))
            continue
        if shape == "triangular":  # the triangular distribution's inverse CDF
            mode = (value - low) / (high - low)
            x = np.where(u < mode, low + np.sqrt(u * (high - low) * (value - low)),
                         high - np.sqrt((1 - u) * (high - low) * (high - value)))
        elif shape == "uniform":
            x = low + u * (high - low)
        else:
            raise ValueError(f"shape is 'uniform' or 'triangular', not {shape!r}")
        found[name] = np.exp(x) if logged else x
    for position, (name, count) in enumerate(replicates.items(), start=len(names)):
        found[name] = 1 + np.minimum((unit[:, position] * count).astype(np.int64), count - 1)
    return pl.DataFrame(found)
