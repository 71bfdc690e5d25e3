"""The typical LinkedIn member of a given size: their make-up, and their 2nd and 3rd degree with bands.

What ``python -m helpers.model.reach --connections N`` prints, and what the reach page and LinkedIn's published
network sizes (``helpers.model.anchors``) are set beside: a member whose shares of colleagues and of their own
job function are the ``reach.typical_*`` assumptions, at the assumptions' values and over joint draws of every
assumption's range, the make-up included.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers.model.cache import remembered
from helpers.model.platform import Platform, everyone_weights
from helpers.model.scenarios import Scenario, layer_sizes, platform_draws

#: The joint draws of a typical member's reach are grouped by their drawn share of colleagues into this many
#: groups, and one member is built per group with the group's mean shares: building a member per draw would
#: cost a run of the engine per draw, and within a fifth of the draws the shares differ by little.
MAKE_UP_GROUPS = 5
#: What the previous version of the reach model (commit 7a2026d) gave a member with 500 connections and a typical
#: make-up, at the same seed and draws: the reach page sets the refitted model beside it.
PREVIOUS_AT_500 = {"connections": 500, "second_per_connection": 367, "third_share": 0.055}


def typical_shares() -> tuple[float, float]:
    """A typical member's shares of colleagues and of connections in their own job function, at their values (the
    platform's ``reach.typical_colleague_share`` and ``reach.typical_function_share``)."""
    platform = Platform.from_assumptions()
    return platform.colleague_share, platform.function_share


def typical_member(connections: int, colleague_share: float, function_share: float, function_groups: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Company and job-function codes of a member of that size with a typical make-up: a share of
    connections at the member's employer (company 0), the others each at another employer; a share in the
    member's own function (function 0), the others spread over the platform's other ``function_groups - 1``."""
    colleagues = int(round(colleague_share * connections))
    same_function = int(round(function_share * connections))
    companies = np.r_[np.zeros(colleagues, dtype=np.int64), 1 + np.arange(connections - colleagues)]
    functions = np.r_[np.zeros(same_function, dtype=np.int64),
                      rng.integers(1, function_groups, connections - same_function)]
    return companies, functions


def member_reach(connections: int, *, seed: int = 0, runs: int = 20, draws: int = 300,
                 platform: Platform | None = None) -> dict:
    """2nd and 3rd degree of a member of that size with a typical make-up (``reach.typical_*`` shares): at
    the assumptions' values (mean of ``runs`` Monte Carlo runs) and the 5%-95% band of ``draws`` joint
    draws over every assumption's range, the member's make-up included."""
    platform = platform or Platform.from_assumptions()
    companies, functions = typical_member(connections, platform.colleague_share, platform.function_share,
                                          platform.function_groups, np.random.default_rng([seed, connections]))
    w_company, w_function = everyone_weights(platform)
    point = layer_sizes(companies, functions, platform, w_company, w_function, runs=runs,
                        seed=np.random.default_rng([seed, connections, 0]))
    found = {"connections": connections, "seed": seed, "members": platform.members, "second": point.l2,
             "third": point.l3, "second_per_connection": point.l2 / max(connections, 1),
             "third_share": point.l3 / platform.members,
             "reachable_members": platform.members * (1 - platform.dormant_share)}
    if draws:
        table = platform_draws(draws, seed)
        # the make-up is drawn too (the typical shares are the platform's): draws are grouped by their colleague
        # share, each group's member built with the group's mean shares (on the platform's function groups at their
        # value)
        order = np.argsort(table["reach.typical_colleague_share"].to_numpy(), kind="stable")
        second, third, members = np.zeros(draws), np.zeros(draws), np.zeros(draws)
        for part, rows in enumerate(np.array_split(order, min(MAKE_UP_GROUPS, draws))):
            chunk = table[rows]
            colleague = float(chunk["reach.typical_colleague_share"].mean())
            function = float(chunk["reach.typical_function_share"].mean())
            companies, functions = typical_member(connections, colleague, function, platform.function_groups,
                                                  np.random.default_rng([seed, connections, part]))
            scenario = Scenario.from_draws(chunk)
            weights = np.array([everyone_weights(p) for p in scenario.platform])
            drawn = layer_sizes(companies, functions, scenario, weights[:, 0], weights[:, 1],
                                seed=np.random.default_rng([seed, connections, 1, part]))
            second[rows], third[rows], members[rows] = drawn.l2_runs, drawn.l3_runs, drawn.members
        for name, values in (("second", second), ("third", third), ("third_share", third / members)):
            found[f"{name}_q05"], found[f"{name}_q50"], found[f"{name}_q95"] = (
                float(v) for v in np.quantile(values, [0.05, 0.5, 0.95]))
        found["second_per_connection_q05"] = found["second_q05"] / max(connections, 1)
        found["second_per_connection_q95"] = found["second_q95"] / max(connections, 1)
        found["draws"] = draws
    return found


def kept_member_reach(connections: int, *, seed: int, draws: int) -> dict:
    """:func:`member_reach` with its default runs, computed once per seed and draws and kept (it depends on no
    export: ``helpers.model.cache``)."""
    return remembered(f"reach-{connections}", {"seed": seed, "draws": draws},
                      lambda: pl.DataFrame([member_reach(connections, seed=seed, draws=draws)])).row(0, named=True)
