"""The refit and its file: the committed reactions fit is the findev people's, reproduces the real posts'
figures, writes the posterior draws on one line, and the refit refuses a folder without the datasets."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import polars as pl
import pytest

from audience_fixtures import needs_shared
from conftest import run_main

from helpers.model import audience, audience_fit
from helpers.model.audience_reactions import Posts, describe, predictive_check, reaction_quantiles
from helpers.model.audience_windows import MEMBER_ANALYTICS
from helpers.paths import PROJECT_ROOT


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
    posts = Posts.from_frame(frame)
    check = predictive_check(audience_fit.load_fit(), posts, replicates=120, seed=1)
    for key, value in check.items():
        assert value["model_q025"] <= value["observed"] <= value["model_q975"], key
    small = frame.filter(pl.col("followers").is_between(300, 1000))
    typical = np.median(small["followers"].to_numpy())
    predicted = reaction_quantiles(audience_fit.load_fit(), typical, (0.5,), seed=1)[0]
    assert 0.5 <= predicted / small["reactions"].median() <= 2.0
    # the research note's intervals for the slopes (all years: author medians 0.06-0.45) hold the fitted elasticity
    assert 0.06 <= audience_fit.load_fit().beta <= 0.45


@needs_shared
def test_committed_fit_file_holds_the_data_s_own_figures():
    record = json.loads(audience_fit.FIT_FILE.read_text())
    observed = describe(Posts.from_frame(audience_fit.load_findev()))
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
    done = run_main(audience_fit.main, "--datasets", str(tmp_path))
    assert done.returncode == 2 and MEMBER_ANALYTICS in done.stderr and "Traceback" not in done.stderr


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


def test_the_published_bands_are_read_from_data_and_give_the_committed_slope():
    bands = audience_fit.metricool_bands()
    assert len(bands) == 4 and all(low < high for low, high, _ in bands)
    assert [mean for _, _, mean in bands] == sorted(mean for _, _, mean in bands)  # larger pages, more impressions
    record = json.loads(audience_fit.FIT_FILE.read_text())
    assert audience_fit.metricool_slope() == record["page_rate_elasticity"]["impressions_slope_metricool"]
    assert audience_fit.metricool_slope(bands[:2]) != audience_fit.metricool_slope(bands[1:])
