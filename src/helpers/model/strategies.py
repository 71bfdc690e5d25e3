"""The member's reach as their network grows, by growth strategy, and the verdicts on the reach claims.

The member's connections enter the platform model (``helpers.model.platform_reach``) as company and job-function
codes. Growing the network adds connections whose groups depend on the strategy:

- ``colleague``: someone at the member's current employer;
- ``friend_of_friend``: someone a connection knows (People You May Know): shares that connection's
  company or function as often as ties form through them, and knows at least that connection;
- ``same_title``: a stranger in the member's own job function, at another company;
- ``same_industry``: a member of a group in the member's field (functions as among their connections);
- ``event``: attendees of one event, from several companies, who also know each other;
- ``random``: a batch invitation to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import colleagues as measures, profile
from helpers.export import LinkedInExport
from helpers.model import assumptions
from helpers.model.judging import MIN_MODEL_CONNECTIONS, now_and_larger, too_small
from helpers.model.platform_reach import (PLATFORM_ASSUMPTIONS, Layers, Platform, Scenario, layer_sizes,
                                          mechanism_replicates, member_weights, platform_draws)

STRATEGIES = ("colleague", "friend_of_friend", "same_title", "same_industry", "event", "random")
LABELS = {
    "colleague": "Former and current colleagues", "friend_of_friend": "Friends of friends (People You May Know)",
    "same_title": "Strangers with your job title", "same_industry": "Members of your groups or industry",
    "event": "Attendees of an event", "random": "Batch invitations to anyone",
}
SELECTIVE = ("colleague", "friend_of_friend", "same_title", "same_industry", "event")


@dataclass(frozen=True)
class MemberNetwork:
    """The member's connections as model inputs: codes, weights, and the member's own groups."""

    companies: np.ndarray
    functions: np.ndarray
    own_company: int
    own_function: int
    w_company: float
    w_function: float
    colleague_share: float
    same_function_share: float
    function_names: tuple[str, ...]


def member_network(export: LinkedInExport, platform: Platform) -> MemberNetwork:
    """Codes of each identified connection's company and function, and the focus weights they imply."""
    connections = export.connections.filter(~pl.col("is_ghost"))
    functions = profile.title_rules().filter(pl.col("kind") == "function")["label"].to_list()
    keyed = connections.select(
        pl.when(profile.is_placeholder(pl.col("company"))).then(None)
        .otherwise(profile.company_key(pl.col("company"))).alias("company"),
        profile.job_function(pl.col("position")).alias("function"),
    )
    company_codes = keyed.select(pl.col("company").rank("dense").cast(pl.Int64).fill_null(0) - 1)["company"].to_numpy()
    function_codes = keyed.select(
        pl.col("function").replace_strict(functions, list(range(len(functions))), default=-1, return_dtype=pl.Int64)
    )["function"].to_numpy()
    own_function_name = measures.member_function(export.positions)
    own_function = functions.index(own_function_name) if own_function_name in functions else -1
    if export.positions is not None and not export.positions.is_empty():
        flags = measures.colleague_flags(export.connections, export.positions, measures.reference_date(export))
        colleague_share = float(flags["is_colleague"].mean())
        current = measures.employer_periods(export.positions, measures.reference_date(export)).sort(
            "finished_on", descending=True)["key"].first()
        matches = keyed.with_row_index().filter(pl.col("company") == current)["index"].to_numpy()
        own_company = int(company_codes[matches[0]]) if matches.size else int(company_codes.max(initial=-1) + 1)
    else:  # no Positions.csv: the most common employer among connections stands in for the member's
        counts = np.bincount(company_codes[company_codes >= 0]) if (company_codes >= 0).any() else np.array([0])
        own_company = int(counts.argmax())
        colleague_share = float(counts.max() / max(company_codes.size, 1))
    same_function = float((function_codes == own_function).mean()) if own_function >= 0 else 1 / len(functions)
    w_company, w_function = member_weights(colleague_share, same_function, platform)
    return MemberNetwork(company_codes, function_codes, own_company, own_function, w_company, w_function,
                         colleague_share, same_function, tuple(functions))


def added_connections(network: MemberNetwork, strategy: str, count: int, rng: np.random.Generator,
                      event_ties: float, next_company: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Company codes, function codes and extra shared ties of ``count`` new connections by ``strategy``."""
    functions = len(network.function_names)
    known_functions = network.functions[network.functions >= 0]
    mix = known_functions if known_functions.size else np.arange(functions)
    fresh = next_company + np.arange(count)
    extra = np.zeros(count)
    if strategy == "colleague":
        company = np.full(count, network.own_company)
        function = rng.choice(mix, size=count)
    elif strategy == "friend_of_friend":
        via = rng.integers(0, network.companies.size, size=count)
        roll = rng.random(count)
        by_company = roll < network.w_company
        by_function = ~by_company & (roll < network.w_company + network.w_function)
        company = np.where(by_company, network.companies[via], fresh)
        function = np.where(by_company | by_function, network.functions[via], rng.integers(0, functions, count))
        extra = np.full(count, 1.0 / 50)  # at least the one mutual connection, of ~50 ties (our guess)
    elif strategy == "same_title":
        company, function = fresh, np.full(count, network.own_function)
    elif strategy == "same_industry":
        company, function = fresh, rng.choice(mix, size=count)
    elif strategy == "event":
        company = next_company + rng.integers(0, max(1, count // 5), size=count)
        function, extra = rng.choice(mix, size=count), np.full(count, event_ties)
    elif strategy == "random":
        company, function = fresh, rng.integers(0, functions, count)
    else:
        raise ValueError(f"unknown strategy {strategy!r}; one of {STRATEGIES}")
    return company.astype(np.int64), function.astype(np.int64), extra


def grown_network(network: MemberNetwork, size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The member's network scaled to ``size`` connections with its composition kept: a random subset
    when smaller; when larger, new connections at the same employers as often as now, else elsewhere."""
    k = network.companies.size
    if size <= k:
        keep = rng.choice(k, size=size, replace=False)
        return network.companies[keep], network.functions[keep]
    more = size - k
    pick = rng.integers(0, k, size=more)
    counts = np.bincount(network.companies[network.companies >= 0])
    clustered = float(counts[counts >= 2].sum() / k) if counts.size else 0.0
    same_place = rng.random(more) < clustered
    start = int(network.companies.max(initial=0)) + 1
    companies = np.where(same_place, network.companies[pick], start + np.arange(more))
    return np.r_[network.companies, companies], np.r_[network.functions, network.functions[pick]]


def draw_scenario(network: MemberNetwork, draws: int, seed) -> tuple[Scenario, np.ndarray, np.ndarray]:
    """Joint draws over every reach assumption's range (and the fitted laws' bootstrap), with the member's
    focus weights under each draw: the one set of draws behind every band of a figure."""
    scenario = Scenario.from_draws(platform_draws(draws, seed))
    weights = np.array([member_weights(network.colleague_share, network.same_function_share, p)
                        for p in scenario.platform])
    return scenario, weights[:, 0], weights[:, 1]


def _settings(network: MemberNetwork, platforms: list[Platform], runs: int,
              mechanisms: list | None = None) -> tuple[Scenario, np.ndarray, np.ndarray]:
    """``runs`` Monte Carlo runs of each platform setting in one scenario (common random numbers across
    settings), with the member's focus weights under each setting; ``mechanisms`` gives each setting its
    own fitted laws (e.g. a bootstrap replicate), else the committed fit."""
    weights = np.array([member_weights(network.colleague_share, network.same_function_share, p) for p in platforms])
    mechanisms = mechanisms or [None] * len(platforms)
    scenario = Scenario.stack([Scenario.from_platform(p, runs, m) for p, m in zip(platforms, mechanisms)])
    return scenario, np.repeat(weights[:, 0], runs), np.repeat(weights[:, 1], runs)


def _per_setting(layers: Layers, settings: int) -> list[dict]:
    """Mean and 90% band of the 2nd and 3rd degree of each setting's runs."""
    found = []
    for second, third in zip(layers.l2_runs.reshape(settings, -1), layers.l3_runs.reshape(settings, -1)):
        found.append({"second": float(second.mean()), "second_low": float(np.quantile(second, 0.05)),
                      "second_high": float(np.quantile(second, 0.95)), "third": float(third.mean()),
                      "third_low": float(np.quantile(third, 0.05)), "third_high": float(np.quantile(third, 0.95))})
    return found


def growth_curves(network: MemberNetwork, platforms: list[Platform], sizes, *, runs: int, seed: int,
                  draws: int = 0, mechanisms: list | None = None) -> list[pl.DataFrame]:
    """:func:`growth_curve` for several settings of the assumptions at once (one table each)."""
    scenario, w_company, w_function = _settings(network, platforms, runs, mechanisms)
    joint = draw_scenario(network, draws, seed) if draws else None
    rows = [[] for _ in platforms]
    for size in sizes:
        rng = np.random.default_rng([seed, int(size)])
        companies, functions = grown_network(network, int(size), rng)
        layers = layer_sizes(companies, functions, scenario, w_company, w_function, seed=rng)
        extra = {}
        if joint is not None:
            drawn = layer_sizes(companies, functions, *joint, seed=np.random.default_rng([seed, int(size), 1]))
            for name, values in (("second", drawn.l2_runs), ("third", drawn.l3_runs),
                                 ("third_share", drawn.l3_runs / drawn.members)):
                for q in (5, 50, 95):
                    extra[f"{name}_q{q:02d}"] = float(np.quantile(values, q / 100))
        for found, platform, line in zip(rows, platforms, _per_setting(layers, len(platforms))):
            found.append({"connections": int(size), **line, "members": platform.members, **extra})
    return [pl.DataFrame(found) for found in rows]


def growth_curve(network: MemberNetwork, platform: Platform, sizes, *, runs: int, seed: int,
                 draws: int = 0) -> pl.DataFrame:
    """2nd and 3rd degree for each network size in ``sizes``: the model at the assumptions' values (mean of
    ``runs`` Monte Carlo runs, their 90% band in ``*_low``/``*_high``) and, with ``draws``, the 5%, 50% and
    95% of that many joint draws over the assumptions' ranges (``*_q05``, ``*_q50``, ``*_q95``).

    Each size has its own random stream (``[seed, size]``), so a size's figures do not depend on which
    other sizes are asked for: the member's size now gives the same number in every table and chart.
    """
    return growth_curves(network, [platform], sizes, runs=runs, seed=seed, draws=draws)[0]


def strategy_gains_many(network: MemberNetwork, platforms: list[Platform], targets, *, runs: int,
                        seed: int, mechanisms: list | None = None, settings: list[dict[str, float]] | None = None,
                        only: dict[int, tuple[str, ...]] | None = None) -> list[pl.DataFrame]:
    """:func:`strategy_gains` for several settings of the assumptions at once (one table each).

    ``settings`` gives each platform setting its own strategy assumptions (``strategy.acceptance.*``,
    ``strategy.event_ties``); missing ones take their values. ``only`` limits some targets to the
    strategies named (the others are computed in full): each strategy and target is its own stream,
    so what is computed does not depend on what is left out."""
    def strategy_value(index: int, name: str) -> float:
        found = (settings or [{}] * len(platforms))[index]
        return float(found.get(name, assumptions.value(name)))

    k = network.companies.size
    scenario, w_company, w_function = _settings(network, platforms, runs, mechanisms)
    base = _per_setting(layer_sizes(network.companies, network.functions, scenario, w_company, w_function,
                                    seed=seed), len(platforms))
    rows = [[] for _ in platforms]
    for target in targets:
        if target <= k:
            continue
        for strategy in (only or {}).get(int(target), STRATEGIES):
            rng = np.random.default_rng([seed, int(target), STRATEGIES.index(strategy)])
            company, function, extra = added_connections(network, strategy, int(target) - k, rng, 1.0,
                                                         int(network.companies.max(initial=0)) + 1)
            if strategy == "event":  # the attendees' ties to each other: one share per setting
                ties = np.array([strategy_value(i, "strategy.event_ties") for i in range(len(platforms))])
                extra_triadic = np.repeat(np.hstack([np.zeros((ties.size, k)), ties[:, None] * extra[None, :]]),
                                          runs, axis=0)
            else:
                extra_triadic = np.r_[np.zeros(k), extra]
            grown = _per_setting(layer_sizes(np.r_[network.companies, company], np.r_[network.functions, function],
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


def strategy_gains(network: MemberNetwork, platform: Platform, targets, *, runs: int, seed: int) -> pl.DataFrame:
    """Marginal 2nd- and 3rd-degree gain per accepted connection and per invitation, by strategy,
    as the network grows from its current size to each target (the same seed for every strategy)."""
    return strategy_gains_many(network, [platform], targets, runs=runs, seed=seed)[0]


def growth_exponent(curve: pl.DataFrame, column: str, low: int, high: int) -> float:
    """Slope of log(column) on log(connections) between ``low`` and ``high`` connections."""
    part = curve.filter(pl.col("connections").is_between(low, high))
    x, y = np.log(part["connections"].to_numpy()), np.log(part[column].to_numpy())
    return float(np.polyfit(x, y, 1)[0]) if x.size >= 2 else float("nan")


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


# ---------------------------------------------------------------------------------------------
# Verdicts. Each rule is written here before the results; robustness comes from joint draws over
# every assumption's range (:func:`robustness`).

#: Exponential growth multiplies the gain per added connection; linear keeps it flat (+-20% noise).
FOF_EXPONENTIAL = 2.0
FOF_LINEAR = 1.2
#: The band as first written, before Monte Carlo noise in the sensitivity runs led to widening it.
FOF_LINEAR_FIRST_WRITTEN = 1.1
#: One strategy beats another by more than 5%, loses by more than 5%; within 5% they tie (noise).
GROWTH_COVERS = "growth of your 2nd and 3rd degree only; whether it lifts you in search results cannot be observed"


def judge_growth(curve: pl.DataFrame, current: int) -> Verdict:
    """second-third-degree-growth: do the 2nd and 3rd degree grow when the network doubles?"""
    found = too_small("second-third-degree-growth", current) or now_and_larger(curve, current, "second-third-degree-growth")
    if isinstance(found, Verdict):
        return found
    at, doubled, larger = found
    ratio2, ratio3 = doubled["second"] / at["second"], doubled["third"] / at["third"]
    clear = doubled["second_low"] > at["second_high"] and doubled["third_low"] > at["third_high"]
    verdict = rules.doubling(min(ratio2, ratio3))
    if verdict == "supported" and not clear:
        verdict = "mixed"
    evidence_line = (f"Growing your network from {current:,} to {larger:,} connections takes your 2nd degree "
                     f"from {at['second']:,.0f} to {doubled['second']:,.0f} (x{ratio2:.2f}) and your 3rd degree "
                     f"from {at['third']:,.0f} to {doubled['third']:,.0f} (x{ratio3:.2f}); whether that lifts you in "
                     f"search results cannot be measured here.")
    return Verdict("second-third-degree-growth", verdict, evidence_line, {
        "ratio_second": ratio2, "ratio_third": ratio3, "current": current, "covers": GROWTH_COVERS,
        "rule": f"supported if doubling the network raises both the 2nd and the 3rd degree by at least "
                f"{rules.DOUBLING_MEANINGFUL - 1:.0%} with the 90% bands of the Monte Carlo runs apart; not supported if "
                f"either rises by less than {rules.DOUBLING_NONE - 1:.0%}; mixed otherwise. The search-ranking half of the "
                f"claim is not testable",
    })


def judge_visibility(curve: pl.DataFrame, current: int) -> Verdict:
    """more-visibility: members who see you within 2 degrees (your 1st + 2nd degree, by symmetry)."""
    found = too_small("more-visibility", current) or now_and_larger(curve, current, "more-visibility")
    if isinstance(found, Verdict):
        return found
    at, doubled, larger = found
    before, after = current + at["second"], 2 * current + doubled["second"]
    elasticity = float(np.log(after / before) / np.log(larger / current))
    verdict = "supported" if elasticity >= 0.5 else "not supported" if elasticity <= 0.1 else "mixed"
    evidence_line = (f"{before:,.0f} members have you within 2 degrees now, {after:,.0f} at {larger:,} "
                     f"connections: {elasticity:.2f}% more for each 1% more connections. Search ranking itself "
                     "is LinkedIn's and is not observable here.")
    return Verdict("more-visibility", verdict, evidence_line, {
        "within_two_now": before, "within_two_doubled": after, "elasticity": elasticity,
        "covers": "how many members have you within 2 degrees; search ranking itself cannot be observed",
        "rule": "visibility read as the number of members who see you as a 1st or 2nd-degree connection; "
                "supported if it grows at least half as fast as the network (elasticity >= 0.5); not supported "
                "if at most 0.1; mixed otherwise",
    })


def _fof_verdict(ratio: float, linear: float) -> str:
    return "supported" if ratio >= FOF_EXPONENTIAL else "not supported" if ratio < linear else "mixed"


def judge_fof(gains: pl.DataFrame, real: pl.DataFrame | None, current: int | None = None) -> Verdict:
    """fof-exponential: does each friend-of-friend connection add more than the one before? Needs two
    growth steps (to two different sizes) to compare."""
    claim = "fof-exponential"
    small = too_small(claim, current) if current is not None else None
    if small:
        return small
    fof = gains.filter(pl.col("strategy") == "friend_of_friend").sort("to")
    if fof["to"].n_unique() < 2:
        return not_testable(claim, "Only one size to grow to before LinkedIn's cap of 30,000: the gain of one growth "
                                   "step cannot be compared with the next.")
    first, last = fof.row(0, named=True), fof.row(-1, named=True)
    ratio = last["second_per_accepted"] / first["second_per_accepted"] if first["second_per_accepted"] > 0 else 0.0
    verdict = _fof_verdict(ratio, FOF_LINEAR)
    first_written = _fof_verdict(ratio, FOF_LINEAR_FIRST_WRITTEN)
    real_line = ""
    if real is not None and real.height:
        gains_real = real.filter(pl.col("measure").str.starts_with("mean gain"))
        pivot = gains_real.pivot(on="strategy", index="graph", values="value")
        fewer = int((pivot["friend of a friend"] < pivot["random stranger"]).sum())
        real_line = (f" On {fewer} of {pivot.height} real social graphs, a tie to a friend of a friend added fewer "
                     "2nd-degree contacts than a tie to a random stranger.")
    shape = ("no faster than linear" if verdict == "not supported" else
             "accelerating as an exponential would" if verdict == "supported" else "a little faster than linear")
    evidence_line = (f"Each friend-of-friend connection adds about {first['second_per_accepted']:,.0f} people to your "
                     f"2nd degree when you grow to {first['to']:,} connections and {last['second_per_accepted']:,.0f} "
                     f"each when you grow to {last['to']:,} (x{ratio:.2f}): growth is {shape}.{real_line}")
    return Verdict(claim, verdict, evidence_line, {
        "gain_first": first["second_per_accepted"], "gain_last": last["second_per_accepted"], "ratio": ratio,
        "first_written_band_verdict": first_written,
        "rule": f"exponential growth needs each added connection to add far more than the previous ones: supported "
                f"if the 2nd-degree gain per friend-of-friend connection at least doubles ({FOF_EXPONENTIAL:g}x) from "
                f"the first to the last growth step; not supported if it rises by less than {FOF_LINEAR - 1:.0%} "
                f"(linear growth); mixed otherwise. This band was widened from {FOF_LINEAR_FIRST_WRITTEN - 1:.0%}, as "
                f"first written, after Monte Carlo noise showed in the sensitivity runs; under the band as first "
                f"written the verdict is: {first_written}",
    })


def judge_selective(gains: pl.DataFrame, real: pl.DataFrame | None = None, current: int | None = None) -> Verdict:
    """quality-over-quantity, reach half: selective strategies vs batch invitations to anyone, per accepted
    connection and per invitation sent, under one rule."""
    claim = "quality-over-quantity"
    small = too_small(claim, current) if current is not None else None
    if small:
        return small
    step = gains.filter(pl.col("to") == gains["to"].min())
    random = step.filter(pl.col("strategy") == "random").row(0, named=True)
    selective = step.filter(pl.col("strategy").is_in(SELECTIVE))
    best_accepted = selective.sort("second_per_accepted", descending=True).row(0, named=True)
    best_invited = selective.sort("second_per_invitation", descending=True).row(0, named=True)
    accepted = rules.tie(best_accepted["second_per_accepted"], random["second_per_accepted"])
    invited = rules.tie(best_invited["second_per_invitation"], random["second_per_invitation"])
    verdict = ("supported" if accepted == invited == "win" else "not supported" if accepted == invited == "loss"
               else "mixed")
    real_line = ""
    if real is not None and real.height:
        pivot = real.filter(pl.col("measure").str.starts_with("mean gain")).pivot(on="strategy", index="graph",
                                                                                  values="value")
        if {"same group", "friend of a friend", "random stranger"} <= set(pivot.columns):
            least = int((pivot["same group"] < pivot[["friend of a friend", "random stranger"]].min_horizontal()).sum())
            real_line = (f" On real social graphs a tie within one's own group added the least 2nd-degree reach on "
                         f"{least} of {pivot.height}.")
    word = {"win": "more than", "loss": "less than", "tie": "about as much as"}
    evidence_line = (f"Per accepted connection, the best selective strategy ({LABELS[best_accepted['strategy']].lower()}) "
                     f"adds {best_accepted['second_per_accepted']:,.0f} to your 2nd degree, {word[accepted]} batch "
                     f"invitations ({random['second_per_accepted']:,.0f}); per invitation sent, "
                     f"{LABELS[best_invited['strategy']].lower()} add {best_invited['second_per_invitation']:,.0f}, "
                     f"{word[invited]} batch invitations ({random['second_per_invitation']:,.0f}).{real_line}")
    return Verdict(claim, verdict, evidence_line, {
        "half": "reach (the feed half is judged with the feed model)", "per_accepted": accepted,
        "per_invitation": invited,
        "best_selective_per_accepted": best_accepted["strategy"], "best_selective_per_invitation": best_invited["strategy"],
        "random_per_accepted": random["second_per_accepted"], "random_per_invitation": random["second_per_invitation"],
        "rule": f"{rules.tie_rule('a strategy', 'the 2nd-degree reach batch invitations add')}; supported if the "
                f"best selective strategy wins both per accepted connection and per invitation sent; not supported "
                f"if it loses both; mixed otherwise. The acceptance rates are assumptions, moved across their ranges "
                f"in the robustness check",
    })


def _verdicts(network: MemberNetwork, curve: pl.DataFrame, gains: pl.DataFrame,
              real: pl.DataFrame | None) -> list[Verdict]:
    k = network.companies.size
    verdicts = [judge_growth(curve, k), judge_visibility(curve, k)]
    if gains.is_empty():
        why = "Your network is at LinkedIn's cap of 30,000: no strategy can grow it."
        return verdicts + [not_testable("fof-exponential", why), not_testable("quality-over-quantity", why)]
    return verdicts + [judge_fof(gains, real, k), judge_selective(gains, real, k)]


def reach_verdicts(network: MemberNetwork, platform: Platform, targets, real: pl.DataFrame | None, *, runs: int,
                   seed: int) -> tuple[list[Verdict], pl.DataFrame, pl.DataFrame]:
    """The four reach verdicts at one setting of the assumptions, with the curve and gains behind them.

    The curve is computed at the member's size and the larger one with the same per-size streams as
    :func:`growth_curve`, so the figures it quotes are those of the page's growth chart."""
    k = network.companies.size
    curve = growth_curve(network, platform, sorted({k, profile.larger_network(k)}), runs=runs, seed=seed)
    gains = strategy_gains(network, platform, targets, runs=runs, seed=seed)
    return _verdicts(network, curve, gains, real), curve, gains


#: Every assumption the reach verdicts depend on, moved jointly in :func:`robustness`.
ROBUSTNESS_ASSUMPTIONS = tuple(name for name in PLATFORM_ASSUMPTIONS.values() if name != "reach.degree_cap") + \
    tuple(f"strategy.acceptance.{strategy}" for strategy in STRATEGIES) + ("strategy.event_ties",)


def robustness(network: MemberNetwork, targets, real: pl.DataFrame | None, *, draws: int, runs: int,
               seed: int) -> pl.DataFrame:
    """The reach verdicts at ``draws`` joint settings of every reach and strategy assumption, each spread over
    its whole range, and of the fitted laws (a bootstrap replicate per draw, the structural alternative):
    one row per draw and claim, with the setting (see :func:`helpers.model.judging.with_joint_robustness`)."""
    k = network.companies.size
    if profile.larger_network(k) == k or k < MIN_MODEL_CONNECTIONS:
        return pl.DataFrame()  # every reach verdict is not testable: nothing to check
    table = assumptions.joint_draws(ROBUSTNESS_ASSUMPTIONS, draws, seed, shape="uniform",
                                    replicates={"replicate": mechanism_replicates()})
    scenario = Scenario.from_draws(table)
    settings = table.drop("draw").to_dicts()
    curves = growth_curves(network, scenario.platform, sorted({k, profile.larger_network(k)}), runs=runs, seed=seed,
                           mechanisms=scenario.mechanisms)
    # the verdicts read every strategy at the first target and friends of friends at the last
    later = {int(t): ("friend_of_friend",) for t in targets[1:]}
    gains = strategy_gains_many(network, scenario.platform, targets, runs=runs, seed=seed,
                                mechanisms=scenario.mechanisms, settings=settings, only=later)
    rows = []
    for draw, (setting, curve, gain) in enumerate(zip(settings, curves, gains)):
        rows += [{"draw": draw, "claim": v.id, "verdict": v.verdict, **setting}
                 for v in _verdicts(network, curve, gain, real)]
    return pl.DataFrame(rows)
