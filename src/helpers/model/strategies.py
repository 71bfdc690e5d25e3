"""The member's reach as their network grows, and by growth strategy.

The member's connections (``helpers.evidence.member.Member``) enter the reach model as employer and job-function
codes (``helpers.model.scenarios.layer_sizes``). :func:`growth_curve` scales the network with its make-up kept;
:func:`strategy_gains` grows it by a strategy, whose added connections' groups depend on it:

- ``colleague``: someone at the member's current employer;
- ``friend_of_friend``: someone a connection knows (People You May Know): shares that connection's
  company or function as often as ties form through them, and knows at least that connection;
- ``same_title``: a stranger in the member's own job function, at another company;
- ``same_industry``: a member of a group in the member's field (functions as among their connections);
- ``event``: attendees of one event, from several companies, who also know each other;
- ``random``: a batch invitation to anyone.

The reach claims are judged on these curves in ``helpers.model.reach_verdicts``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers.evidence.member import Member
from helpers.evidence.profile import CONNECTION_CAP, larger_network, next_milestone
from helpers.model import assumptions
from helpers.model.platform import Platform, everyone_weights
from helpers.model.scenarios import Layers, Scenario, layer_sizes, platform_draws

STRATEGIES = ("colleague", "friend_of_friend", "same_title", "same_industry", "event", "random")
LABELS = {
    "colleague": "Former and current colleagues", "friend_of_friend": "Friends of friends (People You May Know)",
    "same_title": "Strangers with your job title", "same_industry": "Members of your groups or industry",
    "event": "Attendees of an event", "random": "Batch invitations to anyone",
}
SELECTIVE = ("colleague", "friend_of_friend", "same_title", "same_industry", "event")
#: The network sizes a growth curve is read at, from 50 connections to LinkedIn's cap.
CURVE_SIZES = (50, 100, 200, 500, 1000, 2000, 5000, 10000, CONNECTION_CAP)


def curve_sizes(current: int) -> list[int]:
    """:data:`CURVE_SIZES` with the member's size, the larger one the claims compare it with and the next
    milestone the predictions are about."""
    return sorted({*CURVE_SIZES, current, larger_network(current), next_milestone(current)})


def added_connections(member: Member, strategy: str, count: int, rng: np.random.Generator, event_ties: float,
                      next_company: int, weights: tuple[float, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Company codes, function codes and extra shared ties of ``count`` new connections by ``strategy``;
    ``weights`` are the shares of ties formed through employers and through job functions (a friend of a friend
    shares the connection's groups as often as ties form through them)."""
    functions = len(member.function_names)
    known_functions = member.functions[member.functions >= 0]
    mix = known_functions if known_functions.size else np.arange(functions)
    fresh = next_company + np.arange(count)
    extra = np.zeros(count)
    if strategy == "colleague":
        company = np.full(count, member.own_company)
        function = rng.choice(mix, size=count)
    elif strategy == "friend_of_friend":
        via = rng.integers(0, member.connections, size=count)
        roll = rng.random(count)
        w_company, w_function = weights
        by_company = roll < w_company
        by_function = ~by_company & (roll < w_company + w_function)
        company = np.where(by_company, member.companies[via], fresh)
        function = np.where(by_company | by_function, member.functions[via], rng.integers(0, functions, count))
        extra = np.full(count, assumptions.value("strategy.friend_of_friend_ties"))
    elif strategy == "same_title":
        company, function = fresh, np.full(count, member.own_function)
    elif strategy == "same_industry":
        company, function = fresh, rng.choice(mix, size=count)
    elif strategy == "event":
        per_employer = int(assumptions.value("strategy.event_attendees_per_employer"))
        company = next_company + rng.integers(0, max(1, count // per_employer), size=count)
        function, extra = rng.choice(mix, size=count), np.full(count, event_ties)
    elif strategy == "random":
        company, function = fresh, rng.integers(0, functions, count)
    else:
        raise ValueError(f"unknown strategy {strategy!r}; one of {STRATEGIES}")
    return company.astype(np.int64), function.astype(np.int64), extra


def grown_network(member: Member, size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The member's network scaled to ``size`` connections with its composition kept: a random subset
    when smaller; when larger, new connections at the same employers as often as now, else elsewhere."""
    k = member.connections
    if size <= k:
        keep = rng.choice(k, size=size, replace=False)
        return member.companies[keep], member.functions[keep]
    more = size - k
    pick = rng.integers(0, k, size=more)
    counts = np.bincount(member.companies[member.companies >= 0])
    clustered = float(counts[counts >= 2].sum() / k) if counts.size else 0.0
    same_place = rng.random(more) < clustered
    start = int(member.companies.max(initial=0)) + 1
    companies = np.where(same_place, member.companies[pick], start + np.arange(more))
    return np.r_[member.companies, companies], np.r_[member.functions, member.functions[pick]]


def focus_weights_by_setting(platforms: list[Platform]) -> np.ndarray:
    """(P, 2) the shares of everyone's ties formed through employers and through job functions under each
    platform setting (``platform.everyone_weights``: a typical member's, whatever the member's own make-up)."""
    return np.array([everyone_weights(p) for p in platforms])


def draw_scenario(draws: int, seed) -> tuple[Scenario, np.ndarray, np.ndarray]:
    """Joint draws over every reach assumption's range (and the fitted laws' bootstrap), with everyone's
    focus weights under each draw: the one set of draws behind every band of a figure."""
    scenario = Scenario.from_draws(platform_draws(draws, seed))
    weights = focus_weights_by_setting(scenario.platform)
    return scenario, weights[:, 0], weights[:, 1]


def _settings(platforms: list[Platform], runs: int,
              mechanisms: list | None = None) -> tuple[Scenario, np.ndarray, np.ndarray]:
    """``runs`` Monte Carlo runs of each platform setting in one scenario (common random numbers across
    settings), with everyone's focus weights under each setting; ``mechanisms`` gives each setting its
    own fitted laws (e.g. a bootstrap replicate), else the committed fit."""
    weights = focus_weights_by_setting(platforms)
    mechanisms = mechanisms or [None] * len(platforms)
    scenario = Scenario.stack([Scenario.from_platform(p, runs, m) for p, m in zip(platforms, mechanisms)])
    return scenario, np.repeat(weights[:, 0], runs), np.repeat(weights[:, 1], runs)


def _per_setting(layers: Layers, settings: int) -> list[dict]:
    """Mean and 90% band of the 2nd and 3rd degree of each setting's runs."""
    columns = {}
    for name, runs in (("second", layers.l2_runs), ("third", layers.l3_runs)):
        runs = runs.reshape(settings, -1)
        low, high = np.quantile(runs, [0.05, 0.95], axis=1)
        columns |= {name: runs.mean(axis=1), f"{name}_low": low, f"{name}_high": high}
    return [{name: float(values[i]) for name, values in columns.items()} for i in range(settings)]


def growth_curves(member: Member, platforms: list[Platform], sizes, *, runs: int, seed: int,
                  draws: int = 0, mechanisms: list | None = None) -> list[pl.DataFrame]:
    """:func:`growth_curve` for several settings of the assumptions at once (one table each)."""
    scenario, w_company, w_function = _settings(platforms, runs, mechanisms)
    joint = draw_scenario(draws, seed) if draws else None
    rows = [[] for _ in platforms]
    for size in sizes:
        rng = np.random.default_rng([seed, int(size)])
        companies, functions = grown_network(member, int(size), rng)
        layers = layer_sizes(companies, functions, scenario, w_company, w_function, seed=rng)
        extra = {}
        if joint is not None:
            drawn = layer_sizes(companies, functions, *joint, seed=np.random.default_rng([seed, int(size), 1]))
            for name, values in (("second", drawn.l2_runs), ("third", drawn.l3_runs),
                                 ("third_share", drawn.l3_runs / drawn.members)):
                for q in (5, 25, 50, 75, 95):
                    extra[f"{name}_q{q:02d}"] = float(np.quantile(values, q / 100))
        for found, platform, line in zip(rows, platforms, _per_setting(layers, len(platforms))):
            found.append({"connections": int(size), **line, "members": platform.members, **extra})
    return [pl.DataFrame(found) for found in rows]


def growth_curve(member: Member, platform: Platform, sizes, *, runs: int, seed: int,
                 draws: int = 0) -> pl.DataFrame:
    """2nd and 3rd degree for each network size in ``sizes``: the model at the assumptions' values (mean of
    ``runs`` Monte Carlo runs, their 90% band in ``*_low``/``*_high``) and, with ``draws``, the 5%, 50% and
    95% of that many joint draws over the assumptions' ranges (``*_q05``, ``*_q50``, ``*_q95``).

    Each size has its own random stream (``[seed, size]``), so a size's figures do not depend on which
    other sizes are asked for: the member's size now gives the same number in every table and chart.
    """
    return growth_curves(member, [platform], sizes, runs=runs, seed=seed, draws=draws)[0]


def strategy_gains_many(member: Member, platforms: list[Platform], targets, *, runs: int,
                        seed: int, mechanisms: list | None = None, settings: list[dict[str, float]] | None = None,
                        only: dict[int, tuple[str, ...]] | None = None) -> list[pl.DataFrame]:
    """:func:`strategy_gains` for several settings of the assumptions at once (one table each).

    ``settings`` gives each platform setting its own strategy assumptions (``strategy.acceptance.*``,
    ``strategy.event_ties``); missing ones take their values. ``only`` limits some targets to the
    strategies named (the others are computed in full): each strategy and target is its own stream,
    so what is computed does not depend on what is left out. Friends of friends share a connection's groups as
    often as ties form through them at the assumptions' values, in every setting."""
    def strategy_value(index: int, name: str) -> float:
        found = (settings or [{}] * len(platforms))[index]
        return float(found.get(name, assumptions.value(name)))

    k = member.connections
    scenario, w_company, w_function = _settings(platforms, runs, mechanisms)
    at_values = everyone_weights(Platform.from_assumptions())
    base = _per_setting(layer_sizes(member.companies, member.functions, scenario, w_company, w_function,
                                    seed=seed), len(platforms))
    rows = [[] for _ in platforms]
    for target in targets:
        if target <= k:
            continue
        for strategy in (only or {}).get(int(target), STRATEGIES):
            rng = np.random.default_rng([seed, int(target), STRATEGIES.index(strategy)])
            company, function, extra = added_connections(member, strategy, int(target) - k, rng, 1.0,
                                                         int(member.companies.max(initial=0)) + 1, at_values)
            if strategy == "event":  # the attendees' ties to each other: one share per setting
                ties = np.array([strategy_value(i, "strategy.event_ties") for i in range(len(platforms))])
                extra_triadic = np.repeat(np.hstack([np.zeros((ties.size, k)), ties[:, None] * extra[None, :]]),
                                          runs, axis=0)
            else:
                extra_triadic = np.r_[np.zeros(k), extra]
            grown = _per_setting(layer_sizes(np.r_[member.companies, company], np.r_[member.functions, function],
                                             scenario, w_company, w_function, seed=seed,
                                             extra_triadic=extra_triadic), len(platforms))
            for index, (found, before, after) in enumerate(zip(rows, base, grown)):
                acceptance = strategy_value(index, f"strategy.acceptance.{strategy}")
                per_accepted_2 = (after["second"] - before["second"]) / (target - k)
                per_accepted_3 = (after["third"] - before["third"]) / (target - k)
                found.append({"strategy": strategy, "label": LABELS[strategy], "from": k, "to": int(target),
                              "acceptance": acceptance, "second_per_accepted": per_accepted_2,
                              "second_per_invitation": per_accepted_2 * acceptance,
                              "third_per_accepted": per_accepted_3,
                              "third_per_invitation": per_accepted_3 * acceptance,
                              "second_after": after["second"], "third_after": after["third"]})
    return [pl.DataFrame(found) for found in rows]


def strategy_gains(member: Member, platform: Platform, targets, *, runs: int, seed: int) -> pl.DataFrame:
    """Marginal 2nd- and 3rd-degree gain per accepted connection and per invitation, by strategy,
    as the network grows from its current size to each target (the same seed for every strategy)."""
    return strategy_gains_many(member, [platform], targets, runs=runs, seed=seed)[0]


def curve_layers(curve: pl.DataFrame) -> pl.DataFrame:
    """:func:`growth_curve` long: one row per size and ``layer`` (2nd, 3rd degree), its ``members`` and the band
    of the joint draws (``low``, ``high``)."""
    return pl.concat([curve.select("connections", pl.lit(f"{name} degree").alias("layer"),
                                   pl.col(column).alias("members"), pl.col(f"{column}_q05").alias("low"),
                                   pl.col(f"{column}_q95").alias("high"))
                      for name, column in (("2nd", "second"), ("3rd", "third"))])


def gains_long(gains: pl.DataFrame) -> pl.DataFrame:
    """:func:`strategy_gains`'s 2nd-degree gains long: one row per strategy, target and ``per`` (per accepted
    connection, per invitation sent), the ``gain`` in 2nd-degree members."""
    return gains.unpivot(index=["label", "strategy", "to"], on=["second_per_accepted", "second_per_invitation"],
                         variable_name="per", value_name="gain").with_columns(
        pl.col("per").replace_strict({"second_per_accepted": "per accepted connection",
                                      "second_per_invitation": "per invitation sent"}))


def growth_exponent(curve: pl.DataFrame, column: str, low: int, high: int) -> float:
    """Slope of log(column) on log(connections) between ``low`` and ``high`` connections."""
    part = curve.filter(pl.col("connections").is_between(low, high))
    x, y = np.log(part["connections"].to_numpy()), np.log(part[column].to_numpy())
    return float(np.polyfit(x, y, 1)[0]) if x.size >= 2 else float("nan")


def saturation(curve: pl.DataFrame, platform: Platform) -> tuple[int, float]:
    """The network size from which the 3rd degree grows less than half as fast as the network
    (:func:`saturation_starts`; LinkedIn's cap when it never does) and the share of the members with a network
    of their own it then holds."""
    starts = saturation_starts(curve, "third") or CONNECTION_CAP
    there = curve.filter(pl.col("connections") >= starts).sort("connections").row(0, named=True)
    return starts, there["third"] / (platform.members * (1 - platform.dormant_share))


def saturation_starts(curve: pl.DataFrame, column: str = "third", below: float = 0.5, step: float = 1.4) -> int | None:
    """The network size from which ``column`` grows slower than ``connections ** below``, read on points
    at least ``step`` times apart (slopes over closer points are Monte Carlo noise)."""
    kept, last = [], 0.0
    for row in curve.sort("connections").iter_rows(named=True):
        if not kept or row["connections"] >= last * step:
            kept.append(row)
            last = row["connections"]
    x = np.log([r["connections"] for r in kept])
    y = np.log([r[column] for r in kept])
    slopes = np.diff(y) / np.diff(x)
    slow = np.flatnonzero(slopes < below)
    return int(kept[int(slow[0])]["connections"]) if slow.size else None
