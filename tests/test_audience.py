"""The audience model: the reactions fit and the members' impressions fit recover what they simulate (LinkedIn's
censoring included), the held-out tests count right, the model grows sublinearly, learns from a member's own posts
(a capped list read as LinkedIn writes it), the verdicts, the reader's windows and the CLI; plus the cascade
engine's exact answers."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta

import networkx as nx
import numpy as np
import polars as pl
import pytest

from helpers.export import analytics, synth
from helpers.model import assumptions, audience, audience_fit
from helpers.model import audience_members as members
from helpers.model.audience import AudienceModel
from helpers.model.cascade import independent_cascade
from helpers.model.population import Graph
from helpers.paths import PROJECT_ROOT

SHARED = audience_fit.DATASETS
needs_shared = pytest.mark.skipif(not (SHARED / "posts-findev.csv.gz").exists()
                                  or not (SHARED / members.MEMBER_ANALYTICS).exists(),
                                  reason="the shared post datasets (../shared/datasets) are not beside the project")


@pytest.fixture(scope="module")
def model():
    return AudienceModel.default(seed=5, year=2026)


def fixed_model(elasticity: float, level: float, spread: float = 0.5, draws: int = 200) -> AudienceModel:
    """A model whose every draw has the same elasticity, typical level at 2,000 followers and post spread, and
    whose members do not differ (every author state at effect 0)."""
    one = np.ones(draws)
    parameters = {"mu": np.log(level) * one, "b": elasticity * one, "gamma": 0 * one, "log_sigma": np.log(spread) * one,
                  "log_omega": -np.inf * one, "log_kappa": -np.inf * one, "log_tau": np.log(0.05) * one}
    states = members.AuthorStates(np.zeros((draws, audience.STATES)), np.full((draws, audience.STATES), spread))
    return AudienceModel(fit=replace(audience.members_fit(), year_range=(-30.0, 30.0)), parameters=parameters,
                         states=states, reactions_beta=elasticity * one, log_rate_ref=np.log(0.015) * one, rate_sd=0.0,
                         rate_elasticity=0 * one, follower_extra=0 * one, impressions_per_member=1.3 * one,
                         beyond_share=0.4 * one, year_effect=0 * one, year=2025)


# ---------------------------------------------------------------------------------------------
# The fit


def test_fit_recovers_known_parameters_from_data_the_model_simulates():
    rng = np.random.default_rng(1)
    log_audience = np.log(rng.lognormal(np.log(2000), 1.0, 90) / audience_fit.F_REF)
    truth = {"alpha": 3.0, "beta": 0.35, "tau": 0.8, "sigma": 1.0}
    fit = audience_fit.fit_posts(audience_fit.simulate(*truth.values(), log_audience, 25, seed=2))
    for name, value in truth.items():
        low, high = fit.interval(name)
        assert low <= value <= high, (name, value, low, high)
    assert abs(fit.beta - 0.35) < 0.2 and abs(fit.sigma / 1.0 - 1) < 0.1 and abs(fit.tau / 0.8 - 1) < 0.3


def test_fit_finds_no_audience_effect_where_there_is_none():
    rng = np.random.default_rng(3)
    log_audience = np.log(rng.lognormal(np.log(2000), 1.2, 50) / audience_fit.F_REF)
    fit = audience_fit.fit_posts(audience_fit.simulate(2.5, 0.0, 0.6, 0.8, log_audience, 15, seed=4))
    low, high = fit.interval("beta")
    assert low < 0 < high


def test_authors_held_out_fall_inside_the_predicted_bands_as_often_as_promised_and_not_when_the_model_is_wrong():
    rng = np.random.default_rng(5)
    log_audience = np.log(rng.lognormal(np.log(2000), 1.0, 60) / audience_fit.F_REF)
    posts = audience_fit.simulate(3.0, 0.3, 0.8, 0.9, log_audience, 12, seed=6)
    found = audience_fit.held_out_authors(posts, folds=4, seed=7)
    assert found["posts"] == 720 and found["authors"] == 60
    assert 0.42 <= found["inside_50"] <= 0.58 and 0.85 <= found["inside_90"] <= 0.95
    # posts far more alike than the model allows (no author effect, little spread) break the 50% band
    alike = audience_fit.simulate(3.0, 0.3, 0.01, 0.05, log_audience, 12, seed=6)
    spread = audience_fit.Posts(np.where(np.arange(720) % 2, alike.counts * 20, alike.counts // 20), alike.author,
                                alike.log_audience)
    assert audience_fit.held_out_authors(spread, folds=4, seed=7)["inside_50"] < 0.3


def test_quadrature_matches_a_direct_sum_for_the_poisson_lognormal():
    from scipy import stats

    grid = np.array([-1.0, 2.0, 4.5])
    table = audience_fit._post_table(np.array([0, 3, 40]), 0.9, grid)
    z = np.linspace(-9, 9, 20_001)
    for i, y in enumerate((0, 3, 40)):
        for j, m in enumerate(grid):
            direct = np.trapezoid(stats.poisson.pmf(y, np.exp(m + 0.9 * z)) * stats.norm.pdf(z), z)
            assert table[i, j] == pytest.approx(np.log(direct), abs=1e-6)


def test_committed_fit_is_the_findev_people_fit():
    fit = audience_fit.load_fit()
    assert fit.authors == 120 and fit.posts == 3354
    assert 0 < fit.beta < 1 and fit.tau > 0 and fit.sigma > 0
    assert np.allclose(np.asarray(fit.covariance), np.asarray(fit.covariance).T)


@needs_shared
def test_the_fitted_model_reproduces_the_real_posts_figures():
    """The research note's figures, recomputed on the real posts, fall inside what the fitted model gives
    on datasets simulated with the same authors; small accounts' median reactions within a factor of 2."""
    frame = audience_fit.load_findev()
    posts = audience_fit.Posts.from_frame(frame)
    check = audience_fit.predictive_check(audience_fit.load_fit(), posts, replicates=120, seed=1)
    for key, value in check.items():
        assert value["model_q025"] <= value["observed"] <= value["model_q975"], key
    small = frame.filter(pl.col("followers").is_between(300, 1000))
    typical = np.median(small["followers"].to_numpy())
    predicted = audience_fit.reaction_quantiles(audience_fit.load_fit(), typical, (0.5,), seed=1)[0]
    assert 0.5 <= predicted / small["reactions"].median() <= 2.0
    # the research note's intervals for the slopes (all years: author medians 0.06-0.45) hold the fitted elasticity
    assert 0.06 <= audience_fit.load_fit().beta <= 0.45


@needs_shared
def test_committed_fit_file_holds_the_data_s_own_figures():
    record = json.loads(audience_fit.FIT_FILE.read_text())
    observed = audience_fit.describe(audience_fit.Posts.from_frame(audience_fit.load_findev()))
    for key, value in observed.items():
        assert record["fits"]["findev_people_2024_2025"]["check"][key]["observed"] == pytest.approx(value)
    # the committed fit was tested on authors it never saw, and its bands held there
    held_out = record["fits"]["findev_people_2024_2025"]["held_out_authors"]
    assert held_out["authors"] == 120 and 0.4 <= held_out["inside_50"] <= 0.6 and 0.85 <= held_out["inside_90"] <= 0.95


def test_refit_refuses_a_folder_without_the_datasets(tmp_path):
    done = subprocess.run([sys.executable, "-m", "helpers.model.audience_fit", "--datasets", str(tmp_path)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert done.returncode == 2 and "posts-findev.csv.gz" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "posts-findev.csv.gz").write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "helpers.model.audience_fit", "--datasets", str(tmp_path)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert done.returncode == 2 and members.MEMBER_ANALYTICS in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------------------------------------
# The members' impressions, with LinkedIn's censoring


@pytest.fixture(scope="module")
def simulated():
    """Sixteen members drawn from the model, most with more posts than a TOP POSTS list holds."""
    rng = np.random.default_rng(1)
    followers = np.exp(rng.uniform(np.log(300), np.log(20_000), 16))
    windows = members.simulate_members(followers, rng.integers(30, 200, 16), mu=6.5, b=0.6, tau=0.8, sigma=1.0, seed=2)
    assert sum(w.log_cap is not None for w in windows) >= 10  # most lists are full
    return windows


def test_censored_fit_recovers_known_parameters_from_capped_lists(simulated):
    fit = members.fit_members(simulated, year=False, own_spread=False, drift=False)
    truth = {"mu": 6.5, "b": 0.6, "log_sigma": np.log(1.0), "log_tau": np.log(0.8)}
    for name, value in truth.items():
        low, high = fit.interval(name)
        assert low <= value <= high, (name, value, low, high)
    assert abs(fit.value("mu") - 6.5) < 0.3 and abs(np.exp(fit.value("log_sigma")) - 1.0) < 0.1


def test_a_capped_list_read_as_complete_biases_the_fit_and_the_censored_fit_corrects_it(simulated):
    naive = members.fit_members([members.read_as_complete(w) for w in simulated], year=False, own_spread=False,
                                drift=False)
    censored = members.fit_members(simulated, year=False, own_spread=False, drift=False)
    # the top 50 of up to 200 posts read as all of them: a typical post twice as good, posts more alike
    assert naive.value("mu") - 6.5 > 0.5 and np.exp(naive.value("log_sigma")) < 0.85
    assert abs(censored.value("mu") - 6.5) < abs(naive.value("mu") - 6.5) / 2
    low, high = naive.interval("mu")
    assert not low <= 6.5 <= high


def test_posterior_draws_cover_known_parameters_and_a_spread_the_fit_left_at_zero(simulated):
    fit = members.fit_members(simulated, year=False, own_spread=False, drift=False)
    posterior = members.with_posterior(fit, simulated, proposals=1000, keep=500, seed=3)
    assert posterior.effective_samples > 150 and len(posterior.samples) == 500
    for name, value in {"mu": 6.5, "b": 0.6, "log_sigma": 0.0, "log_tau": np.log(0.8)}.items():
        low, high = posterior.interval(name)
        assert low <= value <= high, (name, value, low, high)
    # members who do not differ at all: the fit puts their spread at its bound, with no variance; the
    # posterior still draws spreads above it, as the data allow
    alike = members.simulate_members(np.full(12, 2000.0), np.full(12, 20), mu=6.0, b=0.0, tau=0.0, sigma=1.0, seed=9)
    flat = members.fit_members(alike, year=False, own_spread=False, drift=False)
    stuck = flat.names.index("log_tau")
    if flat.covariance[stuck][stuck] == 0:
        drawn = np.asarray(members.with_posterior(flat, alike, proposals=600, keep=300, seed=4).samples)[:, stuck]
        assert drawn.std() > 0.1 and np.quantile(np.exp(drawn), 0.9) < 0.6
    assert posterior.draws(50, seed=1)["mu"].tolist() == posterior.draws(50, seed=1)["mu"].tolist()


def test_the_unlisted_posts_likelihood_is_the_order_statistics_one():
    """n posts below the cap, of which the listed are the top: log C(K + n, n) + n log F(cap), plus the sum's
    density; the tabulated version (unknown n) matches the direct sum over n."""
    from scipy import special, stats

    day = date(2025, 7, 1)
    window = members.Window("m", "w", day, day, 2000.0, 2000.0, np.log([900.0, 1200.0]),
                            np.array([day, day], dtype="datetime64[D]"), listed=2, log_cap=np.log(900.0),
                            unlisted_dates=np.array([day] * 5, dtype="datetime64[D]"),
                            unlisted_complete=True)
    centre, sigma = np.array([[6.0]]), np.array([[1.1]])
    direct = np.log(special.comb(7, 5)) + 5 * stats.norm.logcdf((np.log(900.0) - 6.0) / 1.1)
    assert members._unlisted_log_likelihood(window, centre, sigma)[0, 0] == pytest.approx(direct)
    unknown = replace(window, unlisted_complete=False, max_unlisted=300, unlisted_total=4000.0, total_sd=200.0)
    grid = np.linspace(4.0, 8.0, 9)[None, :]
    tabulated = members.window_log_likelihood(unknown, np.zeros(1), np.array([1.1]), grid[0])[0]
    summed = (members.window_log_likelihood(members.read_as_complete(unknown), np.zeros(1), np.array([1.1]), grid[0])
              + members._unlisted_log_likelihood(unknown, grid, np.array([[1.1]])))[0]
    assert unknown.unlisted_table is not None and tabulated == pytest.approx(summed, abs=2e-3)


def test_the_closed_form_member_filter_is_the_grid_one_where_both_apply():
    """A member whose posts are all measured: the Kalman filter of their drifting level gives the grid's
    likelihood (to the grid's resolution: a returning drift moves mass between its cells) and the same
    posterior states, for either drift."""
    days = [date(2024, 2, 1), date(2024, 5, 1), date(2024, 8, 1), date(2024, 11, 1)]
    window = members.Window("m", "w", date(2024, 1, 1), date(2024, 12, 31), 800.0, 1600.0,
                            np.log([300.0, 800.0, 450.0, 2000.0]), np.array(days, dtype="datetime64[D]"), listed=4)
    draws = {"mu": np.array([6.0, 6.4]), "b": np.array([0.5, 0.6]), "gamma": np.array([-0.3, -0.4]),
             "log_sigma": np.log([0.9, 1.2]), "log_omega": np.log([0.3, 0.4]), "log_kappa": np.log([0.5, 0.8]),
             "log_tau": np.log([0.6, 0.9])}
    for drift in members.DRIFTS:
        grid = members.member_filter([window], "normal", draws, closed_form=False, drift=drift)
        closed = members.member_filter([window], "normal", draws, closed_form=True, drift=drift)
        assert closed.total() == pytest.approx(grid.total(), abs=1e-4)
        for ahead in (None, 3.0):
            a, b = members.states_after(grid, 64, ahead), members.states_after(closed, 64, ahead)
            assert np.median(a.effects, axis=1) == pytest.approx(np.median(b.effects, axis=1), abs=0.05)
            assert np.std(a.effects, axis=1) == pytest.approx(np.std(b.effects, axis=1), rel=0.1)


def test_a_returning_drift_forgets_old_posts_and_a_random_walk_grows_without_bound():
    """Years after a member's posts, a returning drift gives back the members' distribution (scale tau), and
    half a year on it moves the level by about kappa, as a random walk does; the random walk's spread grows
    with the gap past any members' spread."""
    day = date(2024, 7, 1)
    window = members.Window("m", "w", day, day, 2000.0, 2000.0, np.log([5000.0] * 30),
                            np.array([day] * 30, dtype="datetime64[D]"), listed=30)
    draws = {"mu": np.array([6.0]), "b": np.array([0.5]), "gamma": np.array([0.0]), "log_sigma": np.log([0.5]),
             "log_omega": np.array([-np.inf]), "log_kappa": np.log([0.4]), "log_tau": np.log([0.9])}
    returning = members.member_filter([window], "normal", draws, closed_form=False)
    walk = members.member_filter([window], "normal", draws, closed_form=False, drift="random walk")
    near = members.member_filter([window], "normal", {**draws, "log_kappa": np.array([-np.inf])})
    settled = np.std(members.states_after(near, 400).effects)
    assert np.std(members.states_after(returning, 400, returning.last + 0.5).effects) == pytest.approx(
        np.hypot(settled, 0.4), rel=0.1)
    far = members.states_after(returning, 400, returning.last + 20.0).effects
    assert np.mean(far) == pytest.approx(0.0, abs=0.05) and np.std(far) == pytest.approx(0.9, rel=0.05)
    assert np.std(members.states_after(walk, 400, walk.last + 20.0).effects) == pytest.approx(0.4 * np.sqrt(40), rel=0.1)


def test_a_window_split_in_two_keeps_every_post_and_shares_the_total():
    day = date(2024, 1, 1)
    dates = np.array(["2024-02-01", "2024-05-01", "2024-09-01"], dtype="datetime64[D]")
    window = members.Window("m", "w", day, date(2024, 12, 31), 1000.0, 3000.0, np.log([100.0, 200.0, 300.0]), dates,
                            listed=3, log_cap=np.log(100.0), unlisted_dates=dates[:2], max_unlisted=100,
                            unlisted_total=1000.0, total_sd=30.0)
    before, after = window.split(date(2024, 7, 1))
    assert before.posts + after.posts == 3 and before.unlisted + after.unlisted == 2
    assert before.unlisted_total + after.unlisted_total == pytest.approx(1000.0)
    assert before.followers < window.followers < after.followers and before.years < after.years


def test_followers_on_a_day_and_members_of_windows():
    assert members.followers_on(date(2024, 1, 1), date(2024, 1, 1), date(2024, 12, 31), 1000, 400) == 600
    assert members.followers_on(date(2024, 12, 31), date(2024, 1, 1), date(2024, 12, 31), 1000, 400) == 1000
    # gross gains beyond the total: the start is held at a quarter of the end
    assert members.followers_on(date(2024, 1, 1), date(2024, 1, 1), date(2024, 12, 31), 800, 900) == 200
    assert members.followers_on(date(2024, 3, 1), date(2024, 1, 1), date(2024, 12, 31), 800, None) == 800
    assert [members.member_of(w) for w in ("dev01a", "dev01c", "dev07", "alex")] == ["dev01", "dev01", "dev07", "alex"]


def test_pit_coverage_counts_measured_and_censored_posts():
    low = np.array([0.3, 0.9, 0.0, 0.0, 0.6])
    high = np.array([0.3, 0.9, 0.5, 0.2, 1.0])
    inside = members.pit_coverage(low, high, 0.25, 0.75)
    # measured: in, out; below a cap at PIT 0.5: half its range is in; at 0.2: none; a floor at 0.6: 0.15 / 0.4
    assert inside == pytest.approx([1.0, 0.0, 0.5, 0.0, 0.375])


def test_author_coverage_counts_each_member_once_with_its_interval():
    rows = [{"window": f"a{i}", "member": "a", "in_50": i == 0, "in_90": True, "log_ratio": 0.3} for i in range(3)]
    rows += [{"window": w, "member": w, "in_50": w in "bc", "in_90": w != "e", "log_ratio": r}
             for w, r in zip("bcde", (0.1, -0.2, 0.5, -1.0))]
    summary = members.summarise_authors(rows)
    assert summary["members"] == 5 and summary["windows"] == 7
    assert summary["inside_50"] == pytest.approx((1 / 3 + 2) / 5) and summary["inside_90"] == pytest.approx(4 / 5)
    assert summary["inside_50_windows"] == pytest.approx(3 / 7)
    assert summary["median_log_ratio"] == pytest.approx(0.1)
    low, high = summary["inside_90_ci"]
    assert low < 0.8 < high and high - low > 0.4  # five members: a wide interval


def test_held_out_members_are_covered_as_promised_and_not_by_a_fit_too_sure_of_them():
    rng = np.random.default_rng(3)
    windows = members.simulate_members(np.exp(rng.uniform(np.log(300), np.log(20_000), 24)), np.full(24, 12),
                                       mu=6.5, b=0.6, tau=0.9, sigma=0.8, seed=4)
    held = members.held_out_members(windows, year=False, own_spread=False, drift=False, draws=200, seed=5)
    summary = members.summarise_authors(held["windows"])
    assert 0.3 <= summary["inside_50"] <= 0.75 and summary["inside_90"] >= 0.8
    assert abs(summary["median_log_ratio"]) < 0.35
    later = members.summarise_later(held["later"])
    assert abs(later["updated_in_50_known"] - 0.5) < 0.12 and abs(later["updated_in_90_known"] - 0.9) < 0.07
    # the same members against a fit that thinks members hardly differ: its author bands miss most of them
    fit = members.fit_members(windows, year=False, own_spread=False, drift=False)
    narrow = replace(fit, vector=[v if n != "log_tau" else np.log(0.1) for n, v in zip(fit.names, fit.vector)])
    draws = narrow.draws(200, 6)
    states = members.author_states(narrow, draws, 32)
    typical = [members.own_typical(w, 0.8) for w in windows]
    bands = [members.author_band(narrow, draws, states, w.log_audience, w.years) for w in windows]
    assert np.mean([b[1] <= t <= b[3] for t, b in zip(typical, bands)]) < 0.3


# ---------------------------------------------------------------------------------------------
# The model


def test_impressions_grow_with_the_network_but_less_than_in_proportion(model):
    table = audience.views_table(model, [100, 1000, 10_000])
    medians = table["median"].to_numpy()
    assert (np.diff(medians) > 0).all()
    assert 1.5 < medians[1] / medians[0] < 9 and 1.5 < medians[2] / medians[1] < 9
    assert 0 < np.median(model.elasticity) < 1


def test_author_band_holds_the_spread_between_members_inside_the_posts_band(model):
    row = audience.views_table(model, [500]).row(0, named=True)
    assert row["p05"] < row["author_q05"] < row["author_q25"] < row["author_q75"] < row["author_q95"] < row["p95"]
    # members differ: half of them within a factor of about 2 either way of the middle, not within 10%
    assert row["author_q75"] / row["author_q25"] > 1.8


def test_small_accounts_get_reactions_and_reach_fewer_members_than_impressions(model):
    result = audience.predict(model, connections=500, seed=1)
    assert 1 <= result["median_reactions"] <= 50
    assert result["median_members_reached"] < result["median_views"]
    assert 0 < result["share_views_1st_degree"] < 1


def test_same_seed_same_draws_other_seed_other_draws():
    a, b, c = (AudienceModel.default(seed=s, year=2026) for s in (3, 3, 4))
    assert np.array_equal(a.parameters["mu"], b.parameters["mu"]) and np.array_equal(a.states.effects, b.states.effects)
    assert not np.array_equal(a.parameters["mu"], c.parameters["mu"])
    assert audience.predict(a, connections=700, seed=1) == audience.predict(b, connections=700, seed=1)


def test_pinning_an_assumption_keeps_the_other_draws(model):
    pinned = AudienceModel.default(seed=5, year=2026, fixed={"audience.follower_extra": 0.4})
    assert (pinned.follower_extra == 0.4).all()
    assert np.array_equal(pinned.parameters["b"], model.parameters["b"])
    assert np.array_equal(pinned.impressions_per_member, model.impressions_per_member)


def test_years_are_read_inside_the_members_data_with_the_year_trend():
    fit = audience.members_fit()
    early, late = (AudienceModel.default(seed=2, year=y) for y in (2010, 2017))
    assert early.described_year == late.described_year == pytest.approx(members.YEAR_REF + 0.5 + fit.year_range[0])
    now = AudienceModel.default(seed=2, year=2025)  # the middle of 2025 is the fit's year 0
    at = np.full(now.draws, 2000.0)
    shift = now.typical_log_impressions(at) - late.typical_log_impressions(at)
    trend = late.parameters["gamma"]
    assert shift == pytest.approx(-trend * fit.year_range[0])
    if "gamma" in fit.names:
        return  # the fit estimates its own year effect: the assumption is not used
    item = assumptions.load()["audience.year_effect"]  # carried as the assumption, over its range
    assert item.low <= trend.min() and trend.max() <= item.high
    low, mode, high = item.low, item.value, item.high  # drawn triangular about the value: its median
    median = (low + np.sqrt((high - low) * (mode - low) / 2) if mode >= (low + high) / 2
              else high - np.sqrt((high - low) * (high - mode) / 2))
    assert np.median(trend) == pytest.approx(median, abs=0.02)
    pinned = AudienceModel.default(seed=2, year=2025, fixed={"audience.year_effect": 0.0})
    at = np.full(pinned.draws, 2000.0)
    # no trend: the level is the members' own, read at their mean year, whatever year is asked
    assert np.array_equal(pinned.typical_log_impressions(at),
                          AudienceModel.default(seed=2, year=2012, fixed={"audience.year_effect": 0.0})
                          .typical_log_impressions(at))


def test_an_update_made_once_moves_with_the_year_trend_like_one_made_again():
    if "gamma" in audience.members_fit().names:
        pytest.skip("the committed fit estimates its own year effect: no assumed trend to pin")
    base = AudienceModel.default(seed=4, draws=200, year=2026)
    posts = audience.history_windows(np.full(12, 800.0), np.full(12, 600.0), 2022)
    once = base.updated(posts)
    pinned = AudienceModel.default(seed=4, draws=200, year=2026, fixed={"audience.year_effect": -0.6})
    moved, again = pinned.with_states_of(once), pinned.updated(posts)
    at = np.full(base.draws, 1000.0)
    assert np.median(moved.author_typical(at)) == pytest.approx(np.median(again.author_typical(at)), rel=0.03)
    assert np.median(moved.author_typical(at)) < 0.8 * np.median(once.author_typical(at))


def test_chance_of_1000_is_the_lognormal_tail():
    flat = fixed_model(0.0, 1000.0, spread=0.5)
    # typical post exactly 1,000 at every size: the chance is one half
    assert flat.p_at_least(np.full(flat.draws, 777.0)) == pytest.approx(np.full(flat.draws, 0.5))
    assert audience.even_odds(flat) == 1
    steep = fixed_model(1.0, 100.0)  # typical post = followers / 20: 1,000 at 20,000 followers
    assert audience.even_odds(steep) == pytest.approx(20_000, rel=1e-3)
    assert audience.even_odds(fixed_model(0.5, 10.0)) is None


def test_own_posts_move_the_author_effect_towards_the_truth(model):
    rng = np.random.default_rng(2)
    truth = 1.0  # this member's posts do e^1 times the typical member's
    centre = float(np.median(model.typical_log_impressions(np.full(model.draws, 1500.0))))
    spread = float(np.median(model.states.spreads))
    posts = np.exp(centre + truth + rng.normal(0, spread, 40))
    windows = audience.history_windows(np.full(40, 1500 / 1.1), posts, model.year)
    then = model.updated(windows, at=members.middle_year(windows[0]))
    assert abs(np.median(then.states.effects) - truth) < 0.35
    assert np.std(then.states.effects) < np.std(model.states.effects) and then.own_posts == 40
    # half a year on, a returning drift has moved the level back towards the members' by its correlation
    later = model.updated(windows)
    left = members.correlation(np.exp(model.parameters["log_kappa"]), np.exp(model.parameters["log_tau"]),
                               members.HALF_YEAR)
    assert 0 < np.median(later.states.effects) < np.median(then.states.effects)
    assert np.mean(later.states.effects) == pytest.approx(np.mean(then.states.effects * left[:, None]), abs=0.05)
    assert np.median(later.own_share) < np.median(left)
    assert model.updated([]) is model


def test_a_capped_list_read_as_complete_overstates_a_member_and_read_as_capped_does_not(model):
    example = audience.capped_list_example(model, seed=3)
    assert example["read_as_complete"] > 1.5 * example["truth"]
    assert example["listed_median"] > 2 * example["truth"]
    assert abs(np.log(example["read_with_censoring"] / example["truth"])) < np.log(1.4)


def test_coverage_of_later_posts_is_calibrated_on_posts_the_model_simulates():
    base = fixed_model(0.6, 500.0, spread=0.8, draws=100)
    rng = np.random.default_rng(7)
    network = np.linspace(400, 1200, 60)
    impressions = np.exp(np.log(500.0) + 0.6 * np.log(network / 2000) + 0.5 + rng.normal(0, 0.8, network.size))
    days = pl.date_range(pl.date(2025, 1, 1), pl.date(2025, 3, 1), eager=True)[:60]
    windows = [members.Window("you", str(i), d, d, f, f, np.log([v]), np.array([d], dtype="datetime64[D]"))
               for i, (d, f, v) in enumerate(zip(days, network, impressions))]
    table, summary = audience.coverage(windows, base)
    assert summary["fitted_on"] == 30 and summary["tested_on"] == 30 and table.height == 30
    assert 0.3 <= summary["updated"]["in_50"] <= 0.75 and summary["updated"]["in_90"] >= 0.75


def test_the_blogger_s_baseline_is_read_among_members_of_his_size_in_the_data_s_first_year():
    then = AudienceModel.default(seed=7, draws=200, year=audience.BLOGGER["year"])
    baseline = audience.blogger_baseline(then, seed=7)
    assert round(baseline["year_described"]) == 2021  # 2017 is before the members' data: their first year
    typical = then.author_typical(then.audience(connections=audience.BLOGGER["connections"]))
    assert baseline["percentile"] == pytest.approx(float((typical < audience.BLOGGER["views"]).mean()))
    assert baseline["author_q25"] < baseline["author_q50"] < baseline["author_q75"]
    # a post below most members' typical ones lowers the chance of his next one, never raises it
    below = baseline["percentile"] < 0.5
    assert (baseline["p1000_at_500_after"] < baseline["p1000_at_500"]) == below
    assert baseline["p1000_at_500_low"] <= baseline["p1000_at_500"] <= baseline["p1000_at_500_high"]
    table = audience.replay([("none", [], [], then), ("his", [538], [357], then)], seed=7)
    assert table["p"].to_list() == pytest.approx([baseline["p1000_at_500"], baseline["p1000_at_500_after"]])


def test_the_parameter_table_reads_the_posterior(model):
    table = audience.parameter_table(model)
    assert (table["low"] <= table["estimate"]).all() and (table["estimate"] <= table["high"]).all()
    if model.fit.drift == "returning":
        left = table.filter(pl.col("parameter").str.starts_with("Share of a member's level left"))
        assert left.height == 1 and 0 <= left["low"][0] <= left["high"][0] <= 1


def test_the_fit_file_writes_the_posterior_draws_on_one_line():
    record = audience.load_record()
    text = audience_fit.dump_record(record)
    again = json.loads(text)
    assert np.allclose(again["members"]["fit"]["samples"], record["members"]["fit"]["samples"], rtol=0, atol=1e-5)
    assert {k: v for k, v in again["members"].items() if k != "fit"} == \
        {k: v for k, v in record["members"].items() if k != "fit"}
    draws_line = next(line for line in text.splitlines() if '"samples"' in line)
    assert draws_line.count("[") == len(record["members"]["fit"]["samples"]) + 1
    assert text == audience_fit.FIT_FILE.read_text()  # the committed file is what the writer writes


def test_verdict_rules_can_come_out_every_way():
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    grows = fixed_model(0.6, 400.0)
    flat = fixed_model(0.0, 400.0)
    assert audience.judge_audience_model(table(grows), grows, 500).verdict == "supported"
    assert audience.judge_audience_model(table(flat), flat, 500).verdict == "not supported"
    wide = replace(grows, parameters={**grows.parameters, "b": np.linspace(-0.2, 0.6, grows.draws)})
    assert audience.judge_audience_model(table(wide), wide, 500).verdict == "mixed"
    big = fixed_model(0.6, 5000.0, spread=0.3)
    small = fixed_model(0.6, 50.0, spread=0.3)
    assert audience.judge_views_model(table(big), big, 100).verdict == "supported"
    assert audience.judge_views_model(table(small), small, None).verdict == "not supported"
    unsure = replace(big, parameters={**big.parameters, "mu": np.log(np.geomspace(50, 50_000, big.draws))})
    assert audience.judge_views_model(table(unsure), unsure, 1000).verdict == "mixed"


def test_the_chance_of_1000_counts_how_much_members_differ():
    alike = fixed_model(0.6, 400.0, spread=0.5)
    differ = replace(alike, states=members.AuthorStates(
        np.tile(np.linspace(-2, 2, audience.STATES), (alike.draws, 1)), alike.states.spreads))
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    chance = {name: table(m).filter(pl.col("connections") == 500)["p1000"][0] for name, m in (("alike", alike),
                                                                                              ("differ", differ))}
    assert chance["alike"] < 0.01 and chance["differ"] > 0.05 and chance["differ"] > 20 * chance["alike"]
    assert "half of members' typical posts" in audience.judge_views_model(table(differ), differ, None).evidence
    mine = replace(differ, own_posts=12)
    assert "your typical post there lies between" in audience.judge_views_model(table(mine), mine, None).evidence


def test_what_this_means_for_you_says_how_much_members_differ(model):
    from helpers.claims import CLAIMS
    from helpers.report import ledger

    table = audience.views_table(model, audience.verdict_sizes(700))
    verdict = audience.judge_views_model(table, model, audience.even_odds(model))
    records = [{"id": c, "verdict": "not testable", "details": {"parts": []}} for c in CLAIMS if c != verdict.id]
    records.append({"id": verdict.id, "verdict": verdict.verdict,
                    "details": {"parts": [{"name": "model", "verdict": verdict.verdict, "details": verdict.details}]}})
    [line] = ledger.advice(records)
    row = table.filter(pl.col("connections") == 500).row(0, named=True)
    assert f"{row['p1000']:.0%}" in line and f"{row['author_q25']:,.0f} and {row['author_q75']:,.0f}" in line
    assert f"({model.described_year:.0f})" in line


def test_reactions_verdict_reads_the_fitted_elasticity():
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    grows, flat = fixed_model(0.6, 400.0), fixed_model(0.0, 400.0)
    assert audience.judge_engagement_model(table(grows), grows, 500).verdict == "supported"
    assert audience.judge_engagement_model(table(flat), flat, 500).verdict == "not supported"
    unsure = replace(grows, reactions_beta=np.linspace(-0.1, 0.5, grows.draws))
    verdict = audience.judge_engagement_model(table(unsure), unsure, 500)
    assert verdict.verdict == "mixed" and "Profile views" in verdict.evidence


def test_at_the_cap_the_wider_audience_claim_is_not_testable(model):
    verdict = audience.judge_audience_model(audience.views_table(model, [500, 30_000]), model, 30_000)
    assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence


def test_robustness_judges_at_joint_settings_of_every_assumption():
    table = audience.robustness(lambda fixed: AudienceModel.default(seed=5, draws=200, year=2026, fixed=fixed), 700,
                                draws=6, seed=2)
    assert table.height == 6 * 3 and set(audience.ASSUMED.values()) <= set(table.columns)
    assert set(table["claim"]) == {"wider-post-audience", "views-1000-at-500", "more-engagement"}
    pinned = AudienceModel.default(seed=5, draws=50, fixed={name: table[name][0] for name in audience.ASSUMED.values()})
    assert all((getattr(pinned, field) == table[name][0]).all() for field, name in audience.ASSUMED.items())


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
    gains = {name: density[name] - density["full"] for name in members.VARIANTS}
    walk = gains["drift without return (random walk)"] > members.HEAVIER_TAILS_MARGIN
    full = {**members.FULL_MODEL, "drift": "random walk" if walk else "returning"}
    for variant, setting in (("no year effect", "year"), ("one post spread for all", "own_spread"),
                             ("no drift", "drift")):
        kept = -gains[variant] > members.HEAVIER_TAILS_MARGIN
        assert record["settings"][setting] == (full[setting] if kept else members.VARIANTS[variant][setting])
    heavier = {"t": "t author effects", "mixture": "two groups (ordinary posters, creators)"}
    best = max(heavier, key=lambda kind: gains[heavier[kind]])
    assert record["settings"]["kind"] == (best if gains[heavier[best]] > members.HEAVIER_TAILS_MARGIN else "normal")


@needs_shared
def test_committed_members_figures_are_the_data_s_own():
    record = audience.load_record()["members"]
    windows = members.windows_from_members(members.load_member_analytics(SHARED))
    fit = members.load_members_fit(record)
    assert fit.windows == len(windows) and fit.posts == sum(w.posts for w in windows)
    assert fit.members == len(members.group_windows(windows))
    parameters = fit.point()
    total = sum(float(members.member_log_likelihood(g, fit.kind, parameters, drift=fit.drift)[0])
                for g in members.group_windows(windows).values())
    mean, sd = fit.b_prior
    assert total - 0.5 * ((fit.value("b") - mean) / sd) ** 2 == pytest.approx(fit.log_likelihood, abs=0.02)
    rate = members.reaction_rate(members.load_member_analytics(SHARED), windows,
                                 record["rate"]["rate_elasticity"])
    assert rate["log_rate_ref"] == pytest.approx(record["rate"]["log_rate_ref"])


# ---------------------------------------------------------------------------------------------
# The member's own analytics: a full list, read as LinkedIn writes it


def _capped_export_parts(posts: int = 80):
    """A workbook over 2025 listing the top 50 of ``posts`` posts, the member's Shares.csv and posts table."""
    rng = np.random.default_rng(11)
    moments = sorted(datetime(2025, 1, 10, 9) + timedelta(days=int(d)) for d in rng.integers(0, 330, posts))
    made = [synth.Post(moment, 7_200_000_000_000_000_000 + i, int(rng.lognormal(6, 1)), 10, 3)
            for i, moment in enumerate(moments)]
    followers = {date(2025, 1, 1) + timedelta(days=i): 1 for i in range(365)}
    book = analytics.read_workbook("Content_2025-01-01_2025-12-31_Alex Example.xlsx", synth.aggregate_workbook(
        made, date(2025, 1, 1), date(2025, 12, 31), followers, 1500, False, rng))
    merged = analytics.merge([book])
    shares = pl.DataFrame({"shared_at": moments})
    table = merged.posts.with_columns(pl.lit(1000).alias("network_size"), pl.lit(1500).alias("followers"))
    return made, merged, shares, audience.own_posts_table(table)


def test_the_reader_says_when_a_top_posts_list_is_full():
    made, merged, _, _ = _capped_export_parts()
    row = merged.windows.row(0, named=True)
    assert row["capped"] and row["impressions_listed"] == analytics.TOP_POSTS_CAP
    assert row["impressions_min"] == sorted(p.impressions for p in made)[-50]
    assert row["total_impressions"] == sum(p.impressions for p in made)
    assert merged.listings.height == 50


def test_a_post_keeps_the_figure_of_the_period_it_was_published_in():
    early = {"url": "u1", "published_on": date(2024, 12, 20), "impressions": 900, "source": "a"}
    tail = {"url": "u1", "published_on": date(2024, 12, 20), "impressions": 40, "source": "b"}
    sheets = ("TOP POSTS",)
    first = analytics.Workbook("Content_2024-01-01_2024-12-31_X.xlsx", (early,), (), (), None, None, (), sheets, 1)
    second = analytics.Workbook("Content_2025-01-01_2025-12-31_X.xlsx", (tail,), (), (), None, None, (), sheets, 1)
    for order in ([first, second], [second, first]):
        assert analytics.merge(order).posts["impressions"].to_list() == [900]


def test_own_windows_read_a_full_list_with_shares_and_the_total():
    made, merged, shares, posts = _capped_export_parts()
    [window] = audience.own_windows(posts, merged.windows, merged.listings, shares)
    assert window.log_cap == pytest.approx(np.log(merged.windows["impressions_min"][0]))
    assert window.listed == 50 and window.unlisted == len(made) - 50 and window.unlisted_complete
    listed = sum(sorted(p.impressions for p in made)[-50:])
    other = 1 - assumptions.value("audience.window_total_other")
    assert window.unlisted_total == pytest.approx(sum(p.impressions for p in made) * other - listed)
    # without Shares.csv the number of the others is unknown, bounded by the posting rate
    [blind] = audience.own_windows(posts, merged.windows, merged.listings, None)
    assert not blind.unlisted_complete and blind.max_unlisted > 100


def test_the_update_on_a_full_list_reads_the_member_lower_than_the_list():
    model = AudienceModel.default(seed=5, draws=200, year=2025)  # the year the member's posts were made in
    made, merged, shares, posts = _capped_export_parts(200)
    windows = audience.own_windows(posts, merged.windows, merged.listings, shares)
    when = max(members.middle_year(w) for w in windows)  # the member's level while they made these posts
    capped = model.updated(windows, at=when)
    complete = model.updated([members.read_as_complete(w) for w in windows], at=when)
    truth = np.median([p.impressions for p in made])
    at = np.full(model.draws, 1500.0)
    assert np.median(complete.author_typical(at)) > 1.5 * np.median(capped.author_typical(at))
    assert abs(np.log(np.median(capped.author_typical(at)) / truth)) < np.log(1.4)


# ---------------------------------------------------------------------------------------------
# The command line


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.model.audience", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120)


def test_cli_prints_one_json_object_last_with_the_issue_s_keys():
    done = run("--connections", "500", "--seed", "3", "--runs", "4000", "--year", "2026")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("median_views", "mean_views", "views_q10", "views_q90", "p_views_ge_1000", "median_reactions",
                "median_members_reached", "share_views_1st_degree", "author_typical_q05", "author_typical_q25",
                "author_typical_q75", "author_typical_q95"):
        assert isinstance(result[key], float), key
    assert result["views_q10"] < result["median_views"] < result["views_q90"]
    assert (result["author_typical_q05"] < result["author_typical_q25"] < result["author_typical_q50"]
            < result["author_typical_q75"] < result["author_typical_q95"])
    assert result["views_q05"] < result["author_typical_q05"] and result["author_typical_q95"] < result["views_q95"]
    assert run("--connections", "500", "--seed", "3", "--runs", "4000", "--year", "2026").stdout == done.stdout
    earlier_name = subprocess.run([sys.executable, "-m", "helpers.audience", "--connections", "500", "--seed", "3",
                                   "--runs", "4000", "--year", "2026"], capture_output=True, text=True,
                                  cwd=PROJECT_ROOT, timeout=120)
    assert earlier_name.stdout == done.stdout, "python -m helpers.audience (the earlier name) must give the same answer"


def test_cli_year_history_and_followers():
    plain = json.loads(run("--connections", "500", "--runs", "2000", "--year", "2026").stdout.splitlines()[-1])
    assert plain["year"] == 2026
    default = json.loads(run("--connections", "500", "--runs", "2000").stdout.splitlines()[-1])
    assert default["year"] == date.today().year
    old = json.loads(run("--connections", "500", "--runs", "2000", "--year", "2017").stdout.splitlines()[-1])
    older = json.loads(run("--connections", "500", "--runs", "2000", "--year", "2012").stdout.splitlines()[-1])
    # years before the members' data are read as its first year
    assert old["median_views"] == older["median_views"] and old["year_described"] < 2022
    high = json.loads(run("--connections", "500", "--runs", "2000", "--year", "2026", "--history-views", "5000", "4000",
                          "--history-connections", "300", "320").stdout.splitlines()[-1])
    low = json.loads(run("--connections", "500", "--runs", "2000", "--year", "2026", "--history-views", "20",
                         "--history-connections", "300").stdout.splitlines()[-1])
    assert low["p_views_ge_1000"] < plain["p_views_ge_1000"] < high["p_views_ge_1000"]
    assert high["own_posts"] == 2
    followers = json.loads(run("--followers", "20000", "--runs", "2000", "--year", "2026").stdout.splitlines()[-1])
    assert followers["audience"] == 20000 and followers["median_views"] > plain["median_views"]
    assert followers["author_typical_q25"] > plain["author_typical_q25"]


@pytest.mark.parametrize("args, message", [
    (("--connections", "40000"), "30,000"),
    (("--connections", "500", "--history-views", "100"), "one --history-connections"),
    (("--connections", "500", "--followers", "600"), "not allowed with"),
    (("--connections", "500", "--year", "1999"), "--year"),
])
def test_cli_refuses_bad_arguments_clearly(args, message):
    done = run(*args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------------------------------------
# The cascade engine (compared with NDlib in `make bench`)


def test_independent_cascade_exact_cases():
    path = Graph.from_networkx(nx.path_graph(6))
    assert independent_cascade(path, 0, 1.0, runs=5, seed=1).tolist() == [6] * 5
    assert independent_cascade(path, 0, 0.0, runs=5, seed=1).tolist() == [1] * 5
    # on a path from one end, the expected size is 1 + p + p^2 + ... + p^5
    p = 0.5
    sizes = independent_cascade(path, 0, p, runs=40_000, seed=2)
    expected = sum(p**i for i in range(6))
    assert abs(sizes.mean() - expected) < 4 * sizes.std() / np.sqrt(sizes.size)
    two = Graph.from_networkx(nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3)))
    assert independent_cascade(two, 0, 1.0, runs=3, seed=1).tolist() == [4, 4, 4]
