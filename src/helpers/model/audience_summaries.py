"""What the audience page sets beside the model: the fitted parameters, reactions where members' records give
both, and the blogger's 2017 experiment replayed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl

from helpers.model import assumptions
from helpers.model.audience import AUTHOR_QUANTILES, AudienceModel, predict
from helpers.model.audience_filter import HALF_YEAR, correlation
from helpers.model.audience_likelihood import YEAR_REF


def parameter_table(model: AudienceModel) -> pl.DataFrame:
    """The fitted parameters as the page shows them: posterior median and 95% interval, on a readable scale
    (the year trend the assumption's, when the fit holds it fixed)."""
    fit = model.fit

    def posterior(name: str, transform=float) -> tuple[float, float, float]:
        low, high = fit.interval(name)
        return transform(fit.estimate(name)), transform(low), transform(high)

    at_2000 = model.typical_log_impressions(np.full(model.draws, 2000.0))
    trend = assumptions.load()["audience.year_effect"]
    drift = ("returns towards the members' over years" if fit.drift == "returning" else "a random walk")
    rows = [(f"Impressions of a typical post at 2,000 followers, {model.described_year:.0f}",
             *np.exp(np.quantile(at_2000, [0.5, 0.025, 0.975]))),
            ("Elasticity of impressions in followers (b)", *posterior("b")),
            ("Year trend: a typical post a year later (x)", *posterior("gamma", np.exp)) if "gamma" in fit.names
            else ("Year trend, assumed: a typical post a year later (x)", np.exp(trend.value), np.exp(trend.low),
                  np.exp(trend.high)),
            ("Spread between members (sd of log author effect)", *posterior("log_tau", np.exp))]
    if "log_kappa" in fit.names:
        rows.append((f"Drift of a member's level (sd of log over half a year; {drift})",
                     *posterior("log_kappa", np.exp)))
        if fit.drift == "returning":
            samples = np.asarray(fit.samples) if fit.samples else np.asarray([fit.vector])
            kappa, tau = (np.exp(samples[:, fit.names.index(name)]) for name in ("log_kappa", "log_tau"))
            left = correlation(kappa, tau, HALF_YEAR)
            rows.append(("Share of a member's level left half a year on (correlation)",
                         *np.quantile(left, [0.5, 0.025, 0.975])))
    rows.append(("Post-to-post spread of the median member (sd of log)", *posterior("log_sigma", np.exp)))
    if "log_omega" in fit.names:
        rows.append(("Spread of members' own post spreads (sd of log)", *posterior("log_omega", np.exp)))
    return pl.DataFrame([{"parameter": r[0], "estimate": float(r[1]), "low": float(r[2]), "high": float(r[3])}
                         for r in rows])


def reactions_beside_members(model: AudienceModel, record: dict, reactions: dict) -> pl.DataFrame:
    """Reactions per impression where members' records give both, the scraped posters' reactions beside
    members' of the same size in 2025, the members a typical post reaches and its impressions from beyond
    the author's audience, at 2,000 followers (``record``: the fit file's ``members``; ``reactions``: its
    scraped fit of 2024-25 posts)."""
    rate = record["rate"]
    rate_ref = float(np.exp(rate["log_rate_ref"]))
    low, high = np.exp(rate["log_rate_ref"] + np.array([-1.96, 1.96]) * rate["log_rate_ref_se"])
    at_2000 = np.full(model.draws, 2000.0)
    in_2025 = replace(model, year=YEAR_REF)
    members_reactions = float(np.median(in_2025.author_typical(at_2000))) * rate_ref
    scraped = float(np.exp(reactions["alpha"]))
    reached = model.posts(at_2000).reshape(model.draws, -1) / model.impressions_per_member[:, None] / 2000
    return pl.DataFrame([
        {"figure": "Reactions per impression at 2,000 followers",
         "value": f"{rate_ref:.1%} (95% interval {low:.1%}-{high:.1%})",
         "source": f"{rate['members']} members' own records, {rate['posts']} posts with both"},
        {"figure": "Reactions of a typical post at 2,000 followers (scraped: 2024-25 posts; members: 2025)",
         "value": f"scraped active posters {scraped:.0f}; members {members_reactions:.0f} "
                  f"(x{scraped / members_reactions:.1f})",
         "source": f"posts-findev ({reactions['authors']} members) and this model"},
        {"figure": "Members reached by a typical post, share of a 2,000-follower audience (published: 10-15%)",
         "value": f"{np.median(reached):.0%}", "source": "R. van der Blom, Algorithm Insights 2024 (1.5M posts, 34k profiles)"},
        {"figure": "Impressions from beyond the author's own audience at 2,000 followers (published: about 40%)",
         "value": f"{np.median(model.beyond_first(at_2000)):.0%} (set to it)",
         "source": "R. van der Blom, Algorithm Insights 2024"},
    ])


#: The blogger's own experiment (sources/): his availability update, 538 views at 357 connections, in 2017.
BLOGGER = {"views": 538, "connections": 357, "year": 2017}


def replay(histories: list[tuple[str, list, list, AudienceModel]], *, connections: int = 500,
           seed=None) -> pl.DataFrame:
    """The next post at ``connections`` after each history of earlier posts: (label, their impressions, the
    connections they were made at, the model they update, in its year)."""
    rows = []
    for label, views, made_at, start in histories:
        after = start.updated_by_connections(np.array(made_at, dtype=float), np.array(views, dtype=float)) \
            if len(views) else start
        result = predict(after, connections=connections, seed=seed)
        rows.append({"history": label, "median": result["median_views"], "q10": result["views_q10"],
                     "q90": result["views_q90"], "p": result["p_views_ge_1000"],
                     "p_low": result["p_views_ge_1000_q025"], "p_high": result["p_views_ge_1000_q975"]})
    return pl.DataFrame(rows)


def blogger_baseline(then: AudienceModel, *, seed=None) -> dict[str, float]:
    """The blogger's 2017 baseline in ``then`` (the model in 2017, read as the members' data's first year):
    where a typical post of 538 sits among members with 357 connections, the band of their typical posts,
    and the chance of 1,000 at 500 connections without and with his post known."""
    typical = then.author_typical(then.audience(connections=BLOGGER["connections"]))
    band = np.quantile(typical, AUTHOR_QUANTILES)
    before = predict(then, connections=500, seed=seed)
    after = predict(then.updated_by_connections(np.array([BLOGGER["connections"]], dtype=float),
                                                np.array([BLOGGER["views"]], dtype=float)), connections=500, seed=seed)
    return {"year_described": then.described_year, "percentile": float((typical < BLOGGER["views"]).mean()),
            **{f"author_q{round(q * 100):02d}": float(v) for q, v in zip(AUTHOR_QUANTILES, band)},
            "p1000_at_500": before["p_views_ge_1000"], "p1000_at_500_low": before["p_views_ge_1000_q025"],
            "p1000_at_500_high": before["p_views_ge_1000_q975"], "p1000_at_500_after": after["p_views_ge_1000"],
            "p1000_at_500_after_low": after["p_views_ge_1000_q025"],
            "p1000_at_500_after_high": after["p_views_ge_1000_q975"]}
