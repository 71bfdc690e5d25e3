"""Leave one member out: PIT coverage counts censored posts, author coverage counts each member once, held-out
members are covered as promised, and the committed fit holds its held-out figures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from audience_fixtures import SHARED, needs_shared

from helpers.model import audience
from helpers.model.audience_filter import member_log_likelihood
from helpers.model.audience_holdout import (FULL_MODEL, HEAVIER_TAILS_MARGIN, VARIANTS, author_band, held_out_members,
                                            reaction_rate, summarise_authors, summarise_later)
from helpers.model.audience_posterior import fit_members, group_windows, load_members_fit
from helpers.model.audience_states import author_states, own_typical, pit_coverage
from helpers.model.audience_windows import load_member_analytics, simulate_members, windows_from_members


def test_pit_coverage_counts_measured_and_censored_posts():
    low = np.array([0.3, 0.9, 0.0, 0.0, 0.6])
    high = np.array([0.3, 0.9, 0.5, 0.2, 1.0])
    inside = pit_coverage(low, high, 0.25, 0.75)
    # measured: in, out; below a cap at PIT 0.5: half its range is in; at 0.2: none; a floor at 0.6: 0.15 / 0.4
    assert inside == pytest.approx([1.0, 0.0, 0.5, 0.0, 0.375])


def test_author_coverage_counts_each_member_once_with_its_interval():
    rows = [{"window": f"a{i}", "member": "a", "in_50": i == 0, "in_90": True, "log_ratio": 0.3} for i in range(3)]
    rows += [{"window": w, "member": w, "in_50": w in "bc", "in_90": w != "e", "log_ratio": r}
             for w, r in zip("bcde", (0.1, -0.2, 0.5, -1.0))]
    summary = summarise_authors(rows)
    assert summary["members"] == 5 and summary["windows"] == 7
    assert summary["inside_50"] == pytest.approx((1 / 3 + 2) / 5) and summary["inside_90"] == pytest.approx(4 / 5)
    assert summary["inside_50_windows"] == pytest.approx(3 / 7)
    assert summary["median_log_ratio"] == pytest.approx(0.1)
    low, high = summary["inside_90_ci"]
    assert low < 0.8 < high and high - low > 0.4  # five members: a wide interval


def test_held_out_members_are_covered_as_promised_and_not_by_a_fit_too_sure_of_them():
    rng = np.random.default_rng(3)
    windows = simulate_members(np.exp(rng.uniform(np.log(300), np.log(20_000), 24)), np.full(24, 12),
                                       mu=6.5, b=0.6, tau=0.9, sigma=0.8, seed=4)
    held = held_out_members(windows, year=False, own_spread=False, drift=False, draws=200, seed=5)
    summary = summarise_authors(held["windows"])
    assert 0.3 <= summary["inside_50"] <= 0.75 and summary["inside_90"] >= 0.8
    assert abs(summary["median_log_ratio"]) < 0.35
    later = summarise_later(held["later"])
    assert abs(later["updated_in_50_known"] - 0.5) < 0.12 and abs(later["updated_in_90_known"] - 0.9) < 0.07
    # the same members against a fit that thinks members hardly differ: its author bands miss most of them
    fit = fit_members(windows, year=False, own_spread=False, drift=False)
    narrow = replace(fit, vector=[v if n != "log_tau" else np.log(0.1) for n, v in zip(fit.names, fit.vector)])
    draws = narrow.draws(200, 6)
    states = author_states(narrow, draws, 32)
    typical = [own_typical(w, 0.8) for w in windows]
    bands = [author_band(narrow, draws, states, w.log_audience, w.years) for w in windows]
    assert np.mean([b[1] <= t <= b[3] for t, b in zip(typical, bands)]) < 0.3


def test_the_committed_members_fit_holds_its_held_out_figures():
    """The fit file's leave-one-member-out figures, a guard on `make fit`: the issue's targets (members'
    typical posts inside the author-level bands, the centre, later posts after the update, censoring
    included), and the choice of model follows the rule on the held-out densities the file records."""
    record = audience.load_record()["members"]
    authors, later = record["held_out"]["authors"], record["held_out"]["later"]
    assert authors["members"] == 9 and authors["windows"] == 11
    assert 0.3 <= authors["inside_50"] <= 0.7 and authors["inside_90"] >= 0.8
    assert abs(authors["median_log_ratio"]) <= 0.35
    assert abs(later["updated_in_50_known"] - 0.5) <= 0.1 and abs(later["updated_in_90_known"] - 0.9) <= 0.1
    density = {row["variant"]: row["held_out_log_predictive"] for row in record["comparison"]}
    gains = {name: density[name] - density["full"] for name in VARIANTS}
    walk = gains["drift without return (random walk)"] > HEAVIER_TAILS_MARGIN
    full = {**FULL_MODEL, "drift": "random walk" if walk else "returning"}
    for variant, setting in (("no year effect", "year"), ("one post spread for all", "own_spread"),
                             ("no drift", "drift")):
        kept = -gains[variant] > HEAVIER_TAILS_MARGIN
        assert record["settings"][setting] == (full[setting] if kept else VARIANTS[variant][setting])
    heavier = {"t": "t author effects", "mixture": "two groups (ordinary posters, creators)"}
    best = max(heavier, key=lambda kind: gains[heavier[kind]])
    assert record["settings"]["kind"] == (best if gains[heavier[best]] > HEAVIER_TAILS_MARGIN else "normal")


@needs_shared
def test_committed_members_figures_are_the_data_s_own():
    record = audience.load_record()["members"]
    windows = windows_from_members(load_member_analytics(SHARED))
    fit = load_members_fit(record)
    assert fit.windows == len(windows) and fit.posts == sum(w.posts for w in windows)
    assert fit.members == len(group_windows(windows))
    parameters = fit.point()
    total = sum(float(member_log_likelihood(g, fit.kind, parameters, drift=fit.drift)[0])
                for g in group_windows(windows).values())
    mean, sd = fit.b_prior
    assert total - 0.5 * ((fit.value("b") - mean) / sd) ** 2 == pytest.approx(fit.log_likelihood, abs=0.02)
    rate = reaction_rate(load_member_analytics(SHARED), windows,
                                 record["rate"]["rate_elasticity"])
    assert rate["log_rate_ref"] == pytest.approx(record["rate"]["log_rate_ref"])
