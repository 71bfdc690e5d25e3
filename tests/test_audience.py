"""The audience model: the fit recovers what it simulates, reproduces the real posts' figures, grows
sublinearly, learns from a member's own posts, and the CLI; plus the cascade engine's exact answers."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import networkx as nx
import numpy as np
import polars as pl
import pytest

from helpers.model import audience, audience_fit
from helpers.model.audience import AudienceModel
from helpers.model.cascade import independent_cascade
from helpers.model.population import Graph
from helpers.paths import PROJECT_ROOT

SHARED = audience_fit.DATASETS
needs_shared = pytest.mark.skipif(not (SHARED / "posts-findev.csv.gz").exists(),
                                  reason="the shared post datasets (../shared/datasets) are not beside the project")


@pytest.fixture(scope="module")
def model():
    return AudienceModel.default(seed=5)


def fixed_model(elasticity: float, level: float, spread: float = 0.5, draws: int = 200) -> AudienceModel:
    """A model whose every draw has the same elasticity, typical level at 2,000 followers and spread."""
    one = np.ones(draws)
    return AudienceModel(alpha=np.log(level * 0.015) * one, beta=elasticity * one, tau=spread * one, sigma=spread * one,
                         rate_ref=0.015 * one, rate_elasticity=0 * one, rate_sd=0 * one, selection_shift=0 * one,
                         follower_extra=0 * one, impressions_per_member=1.3 * one, beyond_share=0.4 * one,
                         author_mean=0 * one, author_sd=spread * one)


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


# ---------------------------------------------------------------------------------------------
# The model


def test_impressions_grow_with_the_network_but_less_than_in_proportion(model):
    table = audience.views_table(model, [100, 1000, 10_000])
    medians = table["median"].to_numpy()
    assert (np.diff(medians) > 0).all()
    assert 1.5 < medians[1] / medians[0] < 9 and 1.5 < medians[2] / medians[1] < 9
    assert 0 < np.median(model.elasticity) < 1


def test_small_accounts_get_tens_of_reactions_not_zero(model):
    result = audience.predict(model, connections=500, seed=1)
    # active posters with 300-1,000 followers get a median of 11-24 reactions (research note, findev)
    assert 11 / 2 <= result["median_reactions"] <= 24 * 2
    assert result["median_members_reached"] < result["median_views"]
    assert 0 < result["share_views_1st_degree"] < 1


def test_same_seed_same_draws_other_seed_other_draws():
    a, b, c = AudienceModel.default(seed=3), AudienceModel.default(seed=3), AudienceModel.default(seed=4)
    assert np.array_equal(a.alpha, b.alpha) and np.array_equal(a.rate_ref, b.rate_ref)
    assert not np.array_equal(a.alpha, c.alpha)
    assert audience.predict(a, connections=700, seed=1) == audience.predict(b, connections=700, seed=1)


def test_pinning_an_assumption_keeps_the_other_draws(model):
    pinned = AudienceModel.default(seed=5, fixed={"audience.selection_shift": -1.0})
    assert (pinned.selection_shift == -1.0).all()
    assert np.array_equal(pinned.rate_ref, model.rate_ref) and np.array_equal(pinned.alpha, model.alpha)


def test_chance_of_1000_is_the_lognormal_tail():
    flat = fixed_model(0.0, 1000.0, spread=0.5)
    # typical post exactly 1,000 at every size: the chance is one half
    assert flat.p_at_least(np.full(flat.draws, 777.0)) == pytest.approx(np.full(flat.draws, 0.5))
    assert audience.even_odds(flat) == 1
    steep = fixed_model(1.0, 100.0)  # typical post = followers / 20: 1,000 at 20,000 followers
    assert audience.even_odds(steep) == pytest.approx(20_000, rel=1e-3)
    assert audience.even_odds(fixed_model(0.5, 10.0)) is None


def test_own_posts_move_the_author_effect_towards_the_truth():
    base = fixed_model(0.6, 500.0, spread=0.8)
    rng = np.random.default_rng(2)
    followers = rng.uniform(300, 3000, 40)
    truth = 1.0  # this member's posts do e^1 times the typical
    impressions = np.exp(np.log(500.0) + 0.6 * np.log(followers / 2000) + truth
                         + rng.normal(0, base.post_sd[0], followers.size))
    updated = base.updated(followers, impressions)
    assert abs(np.median(updated.author_mean) - truth) < 0.3
    assert (updated.author_sd < base.author_sd).all() and updated.own_posts == 40
    assert base.updated(np.array([]), np.array([])) is base


def test_coverage_of_later_posts_is_calibrated_on_posts_the_model_simulates():
    base = fixed_model(0.6, 500.0, spread=0.8, draws=100)
    rng = np.random.default_rng(7)
    network = np.linspace(400, 1200, 60)
    impressions = np.exp(np.log(500.0) + 0.6 * np.log(network / 2000) + 0.5 + rng.normal(0, base.post_sd[0], network.size))
    posts = pl.DataFrame({"published_on": pl.date_range(pl.date(2025, 1, 1), pl.date(2025, 3, 1), eager=True)[:60],
                          "network_size": network.astype(int), "followers": network, "impressions": impressions})
    table, summary = audience.coverage(audience.own_posts_table(posts, base), base)
    assert summary["fitted_on"] == 30 and summary["tested_on"] == 30
    assert 0.3 <= summary["updated"]["in_50"] <= 0.75 and summary["updated"]["in_90"] >= 0.75
    assert table.height == 60


def test_verdict_rules_can_come_out_every_way():
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    grows = fixed_model(0.6, 400.0)
    flat = fixed_model(0.0, 400.0)
    assert audience.judge_audience_model(table(grows), grows, 500).verdict == "supported"
    assert audience.judge_audience_model(table(flat), flat, 500).verdict == "not supported"
    wide = replace(grows, beta=np.linspace(-0.2, 0.6, grows.draws))
    assert audience.judge_audience_model(table(wide), wide, 500).verdict == "mixed"
    big = fixed_model(0.6, 5000.0, spread=0.3)
    small = fixed_model(0.6, 50.0, spread=0.3)
    assert audience.judge_views_model(table(big), big, 100).verdict == "supported"
    assert audience.judge_views_model(table(small), small, None).verdict == "not supported"
    unsure = replace(big, alpha=np.log(np.geomspace(50, 50_000, big.draws) * 0.015))
    assert audience.judge_views_model(table(unsure), unsure, 1000).verdict == "mixed"


def test_reactions_verdict_reads_the_fitted_elasticity():
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    grows, flat = fixed_model(0.6, 400.0), fixed_model(0.0, 400.0)
    assert audience.judge_engagement_model(table(grows), grows, 500).verdict == "supported"
    assert audience.judge_engagement_model(table(flat), flat, 500).verdict == "not supported"
    unsure = replace(grows, beta=np.linspace(-0.1, 0.5, grows.draws))
    verdict = audience.judge_engagement_model(table(unsure), unsure, 500)
    assert verdict.verdict == "mixed" and "Profile views" in verdict.evidence


def test_at_the_cap_the_wider_audience_claim_is_not_testable(model):
    verdict = audience.judge_audience_model(audience.views_table(model, [500, 30_000]), model, 30_000)
    assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence


def test_robustness_judges_at_joint_settings_of_every_assumption():
    table = audience.robustness(lambda fixed: AudienceModel.default(seed=5, draws=200, fixed=fixed), 700,
                                draws=6, seed=2)
    assert table.height == 6 * 3 and set(audience.ASSUMED.values()) <= set(table.columns)
    assert set(table["claim"]) == {"wider-post-audience", "views-1000-at-500", "more-engagement"}
    pinned = AudienceModel.default(seed=5, draws=50, fixed={name: table[name][0] for name in audience.ASSUMED.values()})
    assert all((getattr(pinned, field) == table[name][0]).all() for field, name in audience.ASSUMED.items())


# ---------------------------------------------------------------------------------------------
# The command line


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.model.audience", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120)


def test_cli_prints_one_json_object_last_with_the_issue_s_keys():
    done = run("--connections", "500", "--seed", "3", "--runs", "4000")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("median_views", "mean_views", "views_q10", "views_q90", "p_views_ge_1000", "median_reactions",
                "median_members_reached", "share_views_1st_degree"):
        assert isinstance(result[key], float), key
    assert result["views_q10"] < result["median_views"] < result["views_q90"]
    assert run("--connections", "500", "--seed", "3", "--runs", "4000").stdout == done.stdout
    earlier_name = subprocess.run([sys.executable, "-m", "helpers.audience", "--connections", "500", "--seed", "3",
                                   "--runs", "4000"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert earlier_name.stdout == done.stdout, "python -m helpers.audience (the earlier name) must give the same answer"


def test_cli_history_and_followers():
    plain = json.loads(run("--connections", "500", "--runs", "2000").stdout.splitlines()[-1])
    high = json.loads(run("--connections", "500", "--runs", "2000", "--history-views", "5000", "4000",
                          "--history-connections", "300", "320").stdout.splitlines()[-1])
    low = json.loads(run("--connections", "500", "--runs", "2000", "--history-views", "20",
                         "--history-connections", "300").stdout.splitlines()[-1])
    assert low["p_views_ge_1000"] < plain["p_views_ge_1000"] < high["p_views_ge_1000"]
    assert high["own_posts"] == 2
    followers = json.loads(run("--followers", "20000", "--runs", "2000").stdout.splitlines()[-1])
    assert followers["audience"] == 20000 and followers["median_views"] > plain["median_views"]


@pytest.mark.parametrize("args, message", [
    (("--connections", "40000"), "30,000"),
    (("--connections", "500", "--history-views", "100"), "one --history-connections"),
    (("--connections", "500", "--followers", "600"), "not allowed with"),
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
