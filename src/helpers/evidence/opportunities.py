"""access-to-opportunities: do new connections keep bringing new workplaces, or the same few employers?

Openings and news come from where people work; an export cannot say what the member heard, but it
shows how the distinct employers among the member's connections grew as the network did, in the order
the connections were made. The elasticity of distinct employers in connections is judged by the interval
rule (:func:`helpers.rules.interval`) against the thresholds below, written before any export was judged.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import profile, stats

#: Workplaces keep coming: each doubling of the network brings at least 41% more employers (elasticity 0.5).
DIVERSITY_GROWS = 0.5
#: Saturated: under 15% more employers per doubling (elasticity 0.2).
DIVERSITY_FLAT = 0.2
MIN_CONNECTIONS_FOR_DIVERSITY = 50
#: The curve starts at this many connections (or all of them, if fewer) and has this many sizes at most.
FIRST_SIZE, CURVE_SIZES = 25, 24


#: The rule of the access claim, as the page and the verdict say it.
ACCESS_RULE = (f"along your own growth, the distinct employers among your connections each time the connections "
               f"double: supported if the 95% interval of that growth lies at or above {2 ** DIVERSITY_GROWS - 1:.0%} "
               f"more employers per doubling; not supported if it lies below {2 ** DIVERSITY_FLAT - 1:.0%}; mixed "
               f"otherwise")

def _in_order(connections: pl.DataFrame) -> pl.DataFrame:
    """Dated, identified connections in the order they were made, with ``employer`` and ``function``."""
    return (connections.filter(~pl.col("is_ghost") & pl.col("connected_on").is_not_null())
            .with_row_index("row").sort(["connected_on", "row"])
            .select(profile.employer_key(pl.col("company")).alias("employer"),
                    profile.job_function(pl.col("position")).alias("function")))


def _codes(values: pl.Expr) -> pl.Expr:
    """0, 1, 2... for each distinct value; -1 for none."""
    return values.rank("dense").fill_null(0).cast(pl.Int64) - 1


def _distinct_curve(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sizes, distinct codes among the first ``size``) for codes in order; code -1 counts for nothing."""
    first = np.zeros(codes.size, dtype=bool)
    first[np.unique(codes, return_index=True)[1]] = True
    first &= codes >= 0
    sizes = np.unique(np.round(np.geomspace(min(FIRST_SIZE, codes.size), codes.size, CURVE_SIZES)).astype(int))
    return sizes, np.cumsum(first)[sizes - 1]


def employer_diversity(connections: pl.DataFrame) -> pl.DataFrame:
    """Distinct employers and job functions among the member's first ``connections`` connections, in the
    order they were made, at sizes from 25 to all of them (a geometric grid)."""
    people = _in_order(connections)
    if people.height < 2:
        return pl.DataFrame(schema={"connections": pl.Int64, "employers": pl.Int64, "functions": pl.Int64})
    codes = people.select(_codes(pl.col("employer")),
                          _codes(pl.when(pl.col("function") != "Other").then(pl.col("function"))))
    sizes, employers = _distinct_curve(codes["employer"].to_numpy())
    _, functions = _distinct_curve(codes["function"].to_numpy())
    return pl.DataFrame({"connections": sizes, "employers": employers, "functions": functions})


def diversity_long(curve: pl.DataFrame) -> pl.DataFrame:
    """:func:`employer_diversity` long, for a chart (``connections``, ``count of``, ``distinct``), zeros left out."""
    return (curve.unpivot(index="connections", on=["employers", "functions"], variable_name="count of",
                          value_name="distinct").filter(pl.col("distinct") > 0))


def _slope(codes: np.ndarray) -> float:
    sizes, distinct = _distinct_curve(codes)
    keep = distinct > 0
    return stats.fit_loglog(sizes[keep], distinct[keep]).slope


def diversity_elasticity(connections: pl.DataFrame, *, seed: int, resamples: int = 200) -> tuple[float, float, float]:
    """Slope of log(distinct employers) on log(connections) along the member's growth, with a 95% interval
    from half-samples: half the connections drawn without replacement (their order by date kept; a
    resample with replacement would repeat employers and bias a count of distinct ones), whose spread,
    divided by sqrt(2), is the full sample's standard error."""
    codes = _in_order(connections).select(_codes(pl.col("employer"))).to_series().to_numpy()
    rng = np.random.default_rng(seed)
    half = codes.size // 2
    estimates = [_slope(codes[np.sort(rng.choice(codes.size, half, replace=False))]) for _ in range(resamples)]
    estimate, error = _slope(codes), float(np.std(estimates, ddof=1)) / np.sqrt(2)
    return estimate, estimate - stats.Z95 * error, estimate + stats.Z95 * error


def judge_access(connections: pl.DataFrame, *, seed: int) -> Verdict:
    """access-to-opportunities, from the member's own network: do more connections mean more workplaces?"""
    claim = "access-to-opportunities"
    people = connections.filter(~pl.col("is_ghost") & pl.col("connected_on").is_not_null())
    curve = employer_diversity(connections)
    if people.height < MIN_CONNECTIONS_FOR_DIVERSITY or curve.filter(pl.col("employers") > 0).height < 3:
        return not_testable(claim, f"{people.height} dated connections with employers; at least "
                                   f"{MIN_CONNECTIONS_FOR_DIVERSITY} are needed to follow how they diversified.")
    elasticity, low, high = diversity_elasticity(connections, seed=seed)
    first, last = curve.row(0, named=True), curve.row(-1, named=True)
    evidence = (f"As your network grew from {first['connections']:,} to {last['connections']:,} connections, their "
                f"employers went from {first['employers']:,} to {last['employers']:,}: "
                f"{stats.doubling_words(elasticity, low, high, 'the workplaces to hear from')}.")
    return Verdict(claim, rules.interval(low, high, DIVERSITY_GROWS, DIVERSITY_FLAT), evidence, {
        "elasticity": elasticity, "ci_low": low, "ci_high": high, "employers": last["employers"],
        "functions": last["functions"], "connections": last["connections"],
        "covers": "the variety of workplaces among your connections; whether you heard of openings through them is "
                  "not in an export",
        "rule": ACCESS_RULE,
        "bias": "Employers are today's, not those at the time you connected. On LinkedIn, moderately weak ties "
                "(about 10 mutual connections) helped job moves most; strangers and close ties less "
                "(Rajkumar et al., Science 2022, 20M members).",
    })
