"""Every structural choice of the members' model judged on members held out (leave one member out), and the
refit that writes the members' part of ``data/audience_fit.json`` (``python -m helpers.model.audience_fit``).

A year effect ``gamma`` is fitted, or held at an assumption (``audience.year_effect``) when the members held
out do not ask for it; a heavier-tailed author distribution, or a drift without return, replaces the default
only when it predicts the members held out better (:data:`CHOICE_RULE`, :data:`VARIANTS`).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import polars as pl

from helpers.evidence.stats import wilson
from helpers.model import assumptions
from helpers.model.audience_filter import member_filter, member_log_likelihood, middle_year
from helpers.model.audience_likelihood import YEAR_REF, Window, expected_unlisted, level, log_sum
from helpers.model.audience_posterior import (MembersFit, fit_members, group_windows, trend_draws, with_assumed_trend,
                                              with_posterior)
from helpers.model.audience_states import (BANDS, AuthorStates, later_posts_pit, new_member_states, own_typical,
                                           pit_coverage, states_after)
from helpers.model.audience_windows import MEMBER_ANALYTICS, load_member_analytics, split_member, windows_from_members

# ---------------------------------------------------------------------------------------------
# Leave one member out


AUTHOR_PROBABILITIES = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
#: A heavier-tailed author distribution replaces the normal only if it beats it on the members held out
#: by more than this many log units of predictive density (e^2: the held-out data 7 times likelier).
HEAVIER_TAILS_MARGIN = 2.0


def author_band(fit: MembersFit, draws: dict[str, np.ndarray], states: AuthorStates, log_audience: float,
                years: float, probabilities=AUTHOR_PROBABILITIES) -> np.ndarray:
    """Quantiles of an author's typical (median) post at that audience and year: over the parameter draws
    and the author distribution."""
    centre = level(draws, log_audience, years, fit.year_range)
    return np.exp(np.quantile((centre[:, None] + states.effects).ravel(), probabilities))


def held_out_members(windows: list[Window], kind: str = "normal", *, year: bool = True, own_spread: bool = True,
                     drift: str | None = "returning", b_prior: tuple[float, float] | None = None, draws: int = 400,
                     effects: int = 32, posterior: bool = False, assumed_trend: bool = False, seed=None) -> dict:
    """Each member predicted by the fit to the others (a member's windows left out together).

    For every window: the member's typical post from their own posts (:func:`own_typical`, at the held-out
    fit's post spread) beside the author-level band at their audience and year. For every member: the
    held-out log predictive density of their windows (over the fit's parameter draws), and the update
    test: their earlier posts update the author effect, and their later posts' PITs (censoring included)
    are counted in the 50% and 90% post intervals, beside the same without the update. The draws are the
    normal approximation's, or with ``posterior`` each held-out fit's posterior (:func:`with_posterior`);
    with ``assumed_trend`` a fit without a year effect is fitted with ``audience.year_effect`` and carries it
    over its range.
    """
    rng = np.random.default_rng(seed)
    rows, later_rows, densities = [], [], {}
    for member, mine in group_windows(windows).items():
        rest = [w for w in windows if w.member != member]
        fit = fit_members(rest, kind, year=year, own_spread=own_spread, drift=drift, b_prior=b_prior,
                          fixed_trend=assumptions.value("audience.year_effect") if assumed_trend else 0.0)
        if posterior:
            fit = with_posterior(fit, rest, proposals=POSTERIOR_PROPOSALS // 2, keep=draws, seed=rng)
        parameters = fit.draws(draws, rng)
        if assumed_trend:
            parameters = with_assumed_trend(fit, parameters, trend_draws(draws, rng))
        prior = new_member_states(fit, parameters, effects)
        log_density = member_log_likelihood(mine, kind, parameters, drift=fit.drift)
        densities[member] = float(log_sum(log_density, axis=0) - np.log(draws))
        sigma = float(np.exp(fit.value("log_sigma")))
        for window in mine:
            typical = own_typical(window, sigma)
            band = author_band(fit, parameters, prior, window.log_audience, window.years)
            rows.append({"window": window.window, "member": member, "followers": round(window.followers),
                         "year": round(YEAR_REF + 0.5 + window.years, 2), "typical": typical,
                         **{f"q{round(p * 100):02d}": float(v) for p, v in zip(AUTHOR_PROBABILITIES, band)},
                         "in_50": bool(band[1] <= typical <= band[3]), "in_90": bool(band[0] <= typical <= band[4]),
                         "log_ratio": float(np.log(typical / band[2]))})
        earlier, later, _ = split_member(mine)
        found = member_filter(earlier, kind, parameters, fit.year_range, drift=fit.drift)
        for window in later:
            updated = states_after(found, effects, middle_year(window))
            unknown = 0.0
            if window.log_cap is not None and not window.unlisted_complete and window.posts:
                implied = expected_unlisted(window, np.log(own_typical(window, sigma)), sigma)
                unknown = max(implied - window.unlisted, 0.0)
            row = {"window": window.window, "member": member, "measured": window.posts,
                   "unlisted_known": window.unlisted, "unlisted_inferred": unknown}
            for name, chosen in (("updated", updated), ("not_updated", prior)):
                low, high, weight = later_posts_pit(fit, parameters, chosen, window, unknown)
                measured = slice(0, window.posts)
                known = weight.copy()
                if known.size > window.posts:
                    known[-1] = window.unlisted
                for band_name, (lower, upper) in BANDS.items():
                    inside = pit_coverage(low, high, lower, upper)
                    row[f"{name}_in_{band_name}_measured"] = float(inside[measured].sum())
                    row[f"{name}_in_{band_name}_known"] = float((inside * known).sum())
                    row[f"{name}_in_{band_name}_all"] = float((inside * weight).sum())
            later_rows.append(row)
    return {"kind": kind, "year": year, "own_spread": own_spread, "drift": drift, "windows": rows,
            "later": later_rows,
            "log_predictive": densities}


def _wilson(successes: float, trials: float) -> tuple[float, float]:
    return wilson(successes, trials) if trials else (float("nan"), float("nan"))


def summarise_authors(rows: list[dict]) -> dict:
    """Coverage of the author-level bands over members (a member's windows weigh one member together)
    and over windows, with Wilson 95% intervals; median log ratio member/model over members."""
    frame = pl.DataFrame(rows)
    by_member = frame.group_by("member", maintain_order=True).agg(
        pl.col("in_50").cast(pl.Float64).mean(), pl.col("in_90").cast(pl.Float64).mean(), pl.col("log_ratio").mean())
    members = by_member.height
    summary = {"members": members, "windows": frame.height}
    for band in BANDS:
        share = float(by_member[f"in_{band}"].sum())
        summary[f"inside_{band}"] = share / members
        summary[f"inside_{band}_ci"] = _wilson(share, members)
        summary[f"inside_{band}_windows"] = float(frame[f"in_{band}"].mean())
    ratios = by_member["log_ratio"].to_numpy()
    summary["median_log_ratio"] = float(np.median(ratios))
    summary["median_log_ratio_windows"] = float(np.median(frame["log_ratio"].to_numpy()))
    summary["mean_abs_log_ratio"] = float(np.mean(np.abs(ratios)))
    return summary


def summarise_later(rows: list[dict]) -> dict:
    """Coverage of the later posts' 50% and 90% intervals, updated and not: over measured posts only, with
    the known unlisted posts (censored), and with the unlisted posts the windows' totals imply; Wilson
    intervals over posts (posts of one member are not independent: read them as a floor on the noise).
    ``..._known_by_member`` is the known posts' coverage of each member averaged over members (each member
    once, as the author-level coverage counts them: two members hold a third of the later posts)."""
    frame = pl.DataFrame(rows)
    counts = {"measured": float(frame["measured"].sum()),
              "known": float(frame["measured"].sum() + frame["unlisted_known"].sum()),
              "all": float(frame["measured"].sum() + frame["unlisted_known"].sum() + frame["unlisted_inferred"].sum())}
    summary = {"members": frame["member"].n_unique(), "posts": counts}
    by_member = frame.group_by("member", maintain_order=True).agg(
        pl.exclude("window", "member").sum()).with_columns(known=pl.col("measured") + pl.col("unlisted_known"))
    for name in ("updated", "not_updated"):
        for band in BANDS:
            for which, total in counts.items():
                inside = float(frame[f"{name}_in_{band}_{which}"].sum())
                summary[f"{name}_in_{band}_{which}"] = inside / total
                summary[f"{name}_in_{band}_{which}_ci"] = _wilson(inside, total)
            shares = (by_member[f"{name}_in_{band}_known"] / by_member["known"]).to_numpy()
            summary[f"{name}_in_{band}_known_by_member"] = float(shares.mean())
    return summary


# ---------------------------------------------------------------------------------------------
# Reactions per impression, where both are seen


def reaction_rate(frame: pl.DataFrame, windows: list[Window], rate_elasticity: float) -> dict:
    """log reactions per impression at ``F_REF`` from the members whose posts have both (each member's mean
    of log((reactions + 1/2) / impressions), moved to ``F_REF`` by ``rate_elasticity``), its standard
    error over members, and the post-to-post sd net of the counts' Poisson noise."""
    audience = {w.window: w.log_audience for w in windows}
    means, spreads, posts = [], [], 0
    for (name,), rows in frame.filter(pl.col("reactions").is_not_null() & (pl.col("impressions") > 0)).group_by(
            "member", maintain_order=True):
        if name not in audience:
            continue
        reactions = rows["reactions"].to_numpy().astype(float)
        logs = np.log((reactions + 0.5) / rows["impressions"].to_numpy())
        means.append(logs.mean() - rate_elasticity * audience[name])
        spreads.append(max(logs.var() - np.mean(1 / (reactions + 0.5)), 0.0))
        posts += rows.height
    means = np.asarray(means)
    between = float(means.std(ddof=1)) if means.size > 1 else 0.5
    return {"log_rate_ref": float(means.mean()), "log_rate_ref_se": between / np.sqrt(means.size),
            "between_members_sd": between, "rate_sd": float(np.sqrt(np.mean(spreads))), "members": int(means.size),
            "posts": posts, "rate_elasticity": rate_elasticity}


# ---------------------------------------------------------------------------------------------
# The refit: every structural choice judged on the members held out

#: Proposals of the importance sampler for the chosen model's posterior (its held-out fits use half as many).
POSTERIOR_PROPOSALS = 2000
#: The model every choice starts from (:data:`CHOICE_RULE`).
FULL_MODEL = {"kind": "normal", "year": True, "own_spread": True, "drift": "returning"}
#: The full model and the variants that each change one thing; each runs the whole leave-one-member-out test.
VARIANTS = {
    "full": {},
    "no year effect": {"year": False},
    "one post spread for all": {"own_spread": False},
    "no drift": {"drift": None},
    "drift without return (random walk)": {"drift": "random walk"},
    "t author effects": {"kind": "t"},
    "two groups (ordinary posters, creators)": {"kind": "mixture"},
}
CHOICE_RULE = (f"Start from the full model (normal author effects, a year effect, each member's own post spread, "
               f"a drift of each member's level that returns towards the members' distribution). A term is kept "
               f"when leaving it out loses more than {HEAVIER_TAILS_MARGIN:g} units of held-out log predictive "
               f"density (leave one member out); a heavier-tailed author distribution replaces the normal, and a "
               f"drift without return (a random walk) the returning one, when it gains more than "
               f"{HEAVIER_TAILS_MARGIN:g}. A year effect left out is carried as an assumption (audience.year_effect).")


def b_prior_from_reactions(beta: float, beta_se: float) -> tuple[float, float]:
    """The second measurement of ``b``: the scraped posts' reactions elasticity less the fall of reactions per
    impression with audience size (``audience.rate_elasticity``, its range read as +-2 sd)."""
    item = assumptions.load()["audience.rate_elasticity"]
    return beta - item.value, float(np.sqrt(beta_se**2 + ((item.high - item.low) / 4) ** 2))


def _run(windows: list[Window], settings: dict, prior, seed, posterior: bool) -> dict:
    assumed = posterior and not settings["year"]
    held = held_out_members(windows, settings["kind"], year=settings["year"], own_spread=settings["own_spread"],
                            drift=settings["drift"], b_prior=prior, posterior=posterior,
                            assumed_trend=assumed, seed=seed)
    whole = fit_members(windows, settings["kind"], year=settings["year"], own_spread=settings["own_spread"],
                        drift=settings["drift"], b_prior=prior,
                        fixed_trend=assumptions.value("audience.year_effect") if assumed else 0.0)
    return {"settings": settings, "held": held, "fit": whole,
            "held_out_log_predictive": float(sum(held["log_predictive"].values())),
            "authors": summarise_authors(held["windows"]), "later": summarise_later(held["later"])}


def refit(folder: Path, reactions_beta: tuple[float, float], seed: int, log=print) -> dict:
    """Fit the members' analytics, judge every structural choice on members held out, and return the
    derived record (no post, date or follower count of a member's is copied: only fitted and held-out
    figures, the members' typical posts and sizes by anonymous window). The variants are compared with
    the normal approximation (fast); the chosen model is then fitted and held out with its posterior (and,
    without a fitted year effect, with the assumed one)."""
    frame = load_member_analytics(folder)
    windows = windows_from_members(frame)
    prior = b_prior_from_reactions(*reactions_beta)
    settings = dict(FULL_MODEL)
    runs = {}
    for index, (name, change) in enumerate(VARIANTS.items()):
        runs[name] = _run(windows, {**settings, **change}, prior, [seed, index], posterior=False)
        log(f"  {name:42s} held-out log density {runs[name]['held_out_log_predictive']:9.2f}  in-sample "
            f"{runs[name]['fit'].log_likelihood:9.2f}", flush=True)
    full = runs["full"]["held_out_log_predictive"]
    kept = dict(settings)
    for name, key in (("no year effect", "year"), ("one post spread for all", "own_spread"),
                      ("no drift", "drift")):
        if full - runs[name]["held_out_log_predictive"] <= HEAVIER_TAILS_MARGIN:
            kept[key] = VARIANTS[name][key]
    for name, key in (("t author effects", "kind"), ("two groups (ordinary posters, creators)", "kind"),
                      ("drift without return (random walk)", "drift")):
        if runs[name]["held_out_log_predictive"] - full > HEAVIER_TAILS_MARGIN and kept[key] == settings[key]:
            kept[key] = VARIANTS[name][key]
    chosen_name = next(name for name, run in runs.items() if run["settings"] == kept) \
        if any(run["settings"] == kept for run in runs.values()) else "chosen"
    chosen = _run(windows, kept, prior, [seed, len(runs)], posterior=True)
    fit = with_posterior(chosen["fit"], windows, proposals=POSTERIOR_PROPOSALS, seed=[seed, len(runs) + 1])
    log(f"  chosen: {chosen_name}, with its posterior: held-out log density {chosen['held_out_log_predictive']:9.2f}; "
        f"{fit.effective_samples:.0f} effective of {POSTERIOR_PROPOSALS} proposals", flush=True)
    trend = 0.0 if kept["year"] else assumptions.value("audience.year_effect")
    members_only = fit_members(windows, kept["kind"], year=kept["year"], own_spread=kept["own_spread"],
                               drift=kept["drift"], b_prior=None, fixed_trend=trend)
    single = [w for w in windows if len(group_windows(windows)[w.member]) == 1]
    without_multi_year = fit_members(single, kept["kind"], year=True, own_spread=kept["own_spread"],
                                     drift=kept["drift"], b_prior=prior)
    year_fit = with_posterior(runs["full"]["fit"], windows, proposals=POSTERIOR_PROPOSALS // 2,
                              seed=[seed, len(runs) + 2])
    rate = reaction_rate(frame, windows, assumptions.value("audience.rate_elasticity"))
    return {
        "source": f"{MEMBER_ANALYTICS} in ../shared/datasets: members' own creator-analytics exports, one log and one "
                  "scrape, published by the members in their own repositories (../shared/datasets/README.md)",
        "fit": asdict(fit), "settings": kept, "choice_rule": CHOICE_RULE, "chosen": chosen_name,
        "b_prior": {"reactions_beta": reactions_beta[0], "reactions_beta_se": reactions_beta[1],
                    "mean": prior[0], "sd": prior[1]},
        "b_members_only": [members_only.value("b"), *members_only.interval("b")],
        "year_effect_fitted": [year_fit.estimate("gamma"), *year_fit.interval("gamma")],
        "year_effect_without_multi_year_member": [without_multi_year.value("gamma"),
                                                  *without_multi_year.interval("gamma")],
        "comparison": [{"variant": name, **run["settings"], "held_out_log_predictive": run["held_out_log_predictive"],
                        "in_sample_log_likelihood": run["fit"].log_likelihood, "parameters": len(run["fit"].names),
                        **{f"authors_{k}": run["authors"][k] for k in ("inside_50", "inside_90", "median_log_ratio")},
                        **{f"later_{k}": run["later"][f"updated_in_{k}_known"] for k in BANDS}}
                       for name, run in runs.items()],
        "held_out": {"windows": chosen["held"]["windows"], "log_predictive": chosen["held"]["log_predictive"],
                     "log_predictive_total": chosen["held_out_log_predictive"], "authors": chosen["authors"],
                     "later": chosen["later"], "later_rows": chosen["held"]["later"]},
        "rate": rate,
    }
