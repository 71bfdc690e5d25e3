"""Refit the audience model on the shared datasets: ``python -m helpers.model.audience_fit`` (``make fit``).

It fits the reactions of the scraped posts (:mod:`helpers.model.audience_reactions`) and the members' own
analytics (:mod:`helpers.model.audience_holdout`), and writes ``data/audience_fit.json`` (derived figures only:
no post, author or follower count is copied into the project); :func:`load_fit` reads a reactions fit back.
The published impressions of company pages by follower band (Metricool) are read from
``data/metricool_bands.csv``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import polars as pl

from helpers.model import audience_holdout
from helpers.model.audience_likelihood import F_REF
from helpers.model.audience_posterior import load_members_fit
from helpers.model.audience_reactions import (Fit, Posts, fit_posts, held_out_authors, predictive_check,
                                              reaction_quantiles)
from helpers.model.audience_windows import MEMBER_ANALYTICS
from helpers.paths import DATA_DIR, PROJECT_ROOT

FIT_FILE = DATA_DIR / "audience_fit.json"
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"

#: Mean impressions per post of LinkedIn company pages by follower band (Metricool LinkedIn Study 2024).
METRICOOL_FILE = DATA_DIR / "metricool_bands.csv"
#: Edges of the follower bands in which the page compares the model with the posts; a band needs
#: posts by at least ``MIN_BAND_AUTHORS`` authors to be shown (no single author's posts are summarised).
FOLLOWER_BANDS = (500, 1_000, 2_000, 5_000, 20_000, 100_000, 1_000_000)
MIN_BAND_AUTHORS = 5


def bands_beside_fit(record: dict, fit: Fit, names: dict[str, str], seed=None) -> pl.DataFrame:
    """Real posts' reactions by follower band (``record["fits"][name]["bands"]`` for each of ``names``, by the
    panel label to show) beside the fit's quantiles at each band's median; the two sources sit a little left
    and right of the band's median (``x``) so that both bars show."""
    rows = []
    for name, label in names.items():
        for band in record["fits"][name]["bands"]:
            q25, q50, q75 = reaction_quantiles(fit, band["followers_median"], seed=seed)
            shared = {"panel": label, "followers": band["followers_median"], "posts": band["posts"],
                      "authors": band["authors"]}
            rows += [{**shared, "x": band["followers_median"] / 1.06, "source": "real posts",
                      "median": band["reactions_median"], "q25": band["reactions_q25"], "q75": band["reactions_q75"]},
                     {**shared, "x": band["followers_median"] * 1.06, "source": "model", "median": q50, "q25": q25,
                      "q75": q75}]
    return pl.DataFrame(rows)


def band_table(frame: pl.DataFrame, edges=FOLLOWER_BANDS) -> list[dict]:
    """Authors, posts and reactions (quartiles of posts) by follower band: aggregates only, over bands
    holding posts by at least ``MIN_BAND_AUTHORS`` authors."""
    band = np.searchsorted(np.asarray(edges), frame["followers"].to_numpy(), side="right")
    rows = []
    for _, part in sorted(frame.with_columns(pl.Series("band", band)).group_by("band"), key=lambda item: item[0]):
        if part["author"].n_unique() < MIN_BAND_AUTHORS:
            continue
        rows.append({"followers_median": float(part["followers"].median()), "authors": part["author"].n_unique(),
                     "posts": part.height, "reactions_q25": float(part["reactions"].quantile(0.25)),
                     "reactions_median": float(part["reactions"].median()),
                     "reactions_q75": float(part["reactions"].quantile(0.75))})
    return rows


def metricool_bands() -> list[tuple[float, float, float]]:
    """The published bands of ``data/metricool_bands.csv``: (lowest followers, highest, mean impressions per post)."""
    return list(pl.read_csv(METRICOOL_FILE, comment_prefix="#").iter_rows())


def metricool_slope(bands=None) -> float:
    """Log-log slope of mean impressions on band size (company pages, Metricool 2024; each band at the geometric
    mean of its edges); ``bands`` the published ones by default."""
    bands = metricool_bands() if bands is None else bands
    centres = np.array([np.sqrt(low * high) for low, high, _ in bands])
    means = np.array([mean for _, _, mean in bands])
    return float(np.polyfit(np.log(centres), np.log(means), 1)[0])


def load_findev(folder: Path = DATASETS, account_type: str = "profile", since: str | None = "2024-01-01") -> pl.DataFrame:
    """Posts of ``posts-findev.csv.gz`` by one kind of account; ``since`` keeps recent posts only
    (followers were counted at the scrape, Oct 2025: old posts were made to smaller audiences)."""
    frame = pl.read_csv(folder / "posts-findev.csv.gz").filter(pl.col("account_type") == account_type)
    return frame.filter(pl.col("posted_on") >= since) if since else frame


def load_influencers(folder: Path = DATASETS) -> pl.DataFrame:
    return pl.read_csv(folder / "posts-influencers.csv.gz")


def refit(folder: Path = DATASETS, seed: int = 20261122) -> dict:
    """Fit every dataset the audience model uses and return the derived record written to the fit file."""
    record = {"source": "posts-findev.csv.gz (public posts scraped Oct 2025 for a university project) and "
                        "posts-influencers.csv.gz (Kaggle 'LinkedIn Influencers' Data', c. 2021-22) in "
                        "../shared/datasets (research/linkedin-post-audience-data.md); Metricool LinkedIn Study 2024",
              "f_ref": F_REF, "seed": seed, "fits": {}}
    sets = {
        "findev_people_2024_2025": load_findev(folder),
        "findev_people_all_years": load_findev(folder, since=None),
        "findev_pages_2024_2025": load_findev(folder, "company"),
        "influencers": load_influencers(folder),
    }
    for index, (name, frame) in enumerate(sets.items()):
        posts = Posts.from_frame(frame)
        fit = fit_posts(posts)
        record["fits"][name] = {**asdict(fit), "beta_95": fit.interval("beta"),
                                "check": predictive_check(fit, posts, seed=[seed, index]),
                                "bands": band_table(frame)}
        print(f"{name:26s} beta {fit.beta:.3f} [{fit.interval('beta')[0]:.3f}, {fit.interval('beta')[1]:.3f}]  "
              f"alpha {fit.alpha:.2f}  tau {fit.tau:.2f}  sigma {fit.sigma:.2f}  "
              f"({fit.authors} authors, {fit.posts} posts)", flush=True)
    members = Posts.from_frame(sets["findev_people_2024_2025"])
    held_out = record["fits"]["findev_people_2024_2025"]["held_out_authors"] = held_out_authors(members, seed=seed)
    print(f"held-out authors ({held_out['folds']} folds): {held_out['inside_50']:.0%} of posts inside the predicted "
          f"middle 50%, {held_out['inside_90']:.0%} inside the 90%; an author's median post within a factor "
          f"{held_out['median_author_factor']:.2f} of the prediction (median over authors)", flush=True)
    pages = record["fits"]["findev_pages_2024_2025"]
    slope = metricool_slope()
    record["page_rate_elasticity"] = {
        "impressions_slope_metricool": slope, "reactions_beta_findev_pages": pages["beta"],
        "value": pages["beta"] - slope,
        "note": "reactions per impression of company pages scale as followers^(beta_reactions - beta_impressions)"}
    print(f"pages: impressions slope {slope:.3f} (Metricool), reactions beta {pages['beta']:.3f} (findev): "
          f"reactions per impression ~ followers^{pages['beta'] - slope:.3f}")
    people = record["fits"]["findev_people_2024_2025"]
    print("members' own analytics: every choice judged on members held out (leave one member out)", flush=True)
    members = record["members"] = audience_holdout.refit(
        folder, (people["beta"], float(np.sqrt(people["covariance"][1][1]))), seed)
    fit = load_members_fit(members)
    authors, later = members["held_out"]["authors"], members["held_out"]["later"]
    print(f"chosen: {members['chosen']} ({fit.kind} author effects; year effect {members['settings']['year']}, "
          f"own post spreads {members['settings']['own_spread']}, drift {members['settings']['drift']}); posterior medians: "
          + ", ".join(f"{name} {fit.estimate(name):.3f}" for name in fit.names))
    print(f"leave one member out, author level ({authors['members']} members, {authors['windows']} windows): "
          f"{authors['inside_50']:.0%} inside the 50% interval (95% CI {authors['inside_50_ci'][0]:.0%}-"
          f"{authors['inside_50_ci'][1]:.0%}), {authors['inside_90']:.0%} inside the 90% "
          f"({authors['inside_90_ci'][0]:.0%}-{authors['inside_90_ci'][1]:.0%}); median log ratio member/model "
          f"{authors['median_log_ratio']:+.2f}")
    print(f"leave one member out, later posts after the update on earlier ones ({later['posts']['known']:.0f} posts, "
          f"censored ones included): {later['updated_in_50_known']:.0%} inside the 50% interval, "
          f"{later['updated_in_90_known']:.0%} inside the 90% (not updated: {later['not_updated_in_50_known']:.0%}, "
          f"{later['not_updated_in_90_known']:.0%}); each member once: {later['updated_in_50_known_by_member']:.0%}, "
          f"{later['updated_in_90_known_by_member']:.0%}", flush=True)
    return record


#: Decimals the members' posterior draws are stored with (their posterior sds are 0.1 or more).
SAMPLE_DECIMALS = 5


def dump_record(record: dict) -> str:
    """The derived fit as JSON, one field a line, except the members' posterior draws: one line of them,
    rounded to ``SAMPLE_DECIMALS`` (so that a refit's diff stays readable)."""
    placeholder = "posterior draws, written on one line"
    samples = record["members"]["fit"]["samples"]
    members = {**record["members"], "fit": {**record["members"]["fit"], "samples": placeholder}}
    text = json.dumps({**record, "members": members}, indent=1)
    compact = json.dumps(np.round(np.asarray(samples, dtype=float), SAMPLE_DECIMALS).tolist(), separators=(",", ":"))
    return text.replace(json.dumps(placeholder), compact, 1) + "\n"


def load_fit(name: str = "findev_people_2024_2025", path: Path = FIT_FILE) -> Fit:
    """One fit from the committed derived file."""
    entry = json.loads(path.read_text())["fits"][name]
    return Fit(**{k: entry[k] for k in Fit.__dataclass_fields__})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.audience_fit",
                                     description="Refit the audience model on the shared post datasets.")
    parser.add_argument("--datasets", type=Path, default=DATASETS, help="folder holding posts-*.csv.gz")
    parser.add_argument("--out", type=Path, default=FIT_FILE, help="where to write the derived fit (JSON)")
    args = parser.parse_args(argv)
    for needed in ("posts-findev.csv.gz", MEMBER_ANALYTICS):
        if not (args.datasets / needed).exists():
            print(f"No {needed} in {args.datasets}: the shared datasets live in ../shared/datasets beside "
                  "the project; pass --datasets <folder>.", file=sys.stderr)
            return 2
    record = refit(args.datasets)
    args.out.write_text(dump_record(record))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
