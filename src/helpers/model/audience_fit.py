"""Fit the audience of a post to real LinkedIn posts: a Poisson-lognormal model with an author effect.

The reactions ``y`` of post ``j`` by author ``i`` with ``F_i`` followers are modelled as

    y_ij ~ Poisson(exp(alpha + beta * log(F_i / F_REF) + u_i + e_ij)),
    u_i ~ Normal(0, tau^2)    (the author effect: some members' posts reach more than others'),
    e_ij ~ Normal(0, sigma^2) (post-to-post spread),

``beta`` is the audience-size elasticity. The likelihood of each author integrates both random
effects out exactly (up to quadrature): the post integral by adaptive Gauss-Hermite quadrature,
tabulated over a fine grid of the linear predictor, the author integral on a fine grid. Parameters
are found by maximum marginal likelihood; their covariance is the cluster-robust (sandwich) one,
authors being the independent units, so an author's many posts are not counted as independent.

``python -m helpers.model.audience_fit`` refits on the shared datasets and writes ``data/audience_fit.json``
(derived figures only: no post, author or follower count is copied into the project).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy import special

from helpers.model import audience_members
from helpers.model.audience_members import F_REF
from helpers.paths import DATA_DIR, PROJECT_ROOT

FIT_FILE = DATA_DIR / "audience_fit.json"
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"

_GRID_STEP = 0.05  # of the linear predictor and of the author effect (log units)
_M_RANGE = (-12.0, 16.0)
_NODES, _WEIGHTS = np.polynomial.hermite.hermgauss(16)


@dataclass(frozen=True)
class Posts:
    """Counts by post, with each post's author (0..a-1, grouped) and that author's log audience."""

    counts: np.ndarray  # (n,) int
    author: np.ndarray  # (n,) int, sorted
    log_audience: np.ndarray  # (a,) float: log(F_i / F_REF)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, counts: str = "reactions", audience: str = "followers") -> Posts:
        ordered = frame.filter(pl.col(audience) > 0).sort("author")
        codes = ordered["author"].rank("dense").cast(pl.Int64).to_numpy() - 1
        first = np.r_[0, np.flatnonzero(np.diff(codes)) + 1]
        sizes = ordered[audience].to_numpy().astype(float)[first]
        return cls(ordered[counts].to_numpy().astype(np.int64), codes, np.log(sizes / F_REF))

    @property
    def authors(self) -> int:
        return int(self.log_audience.size)


@dataclass(frozen=True)
class Fit:
    """Maximum-likelihood estimates, their robust covariance (order alpha, beta, log tau, log sigma)."""

    alpha: float
    beta: float
    tau: float
    sigma: float
    covariance: list[list[float]]
    log_likelihood: float
    posts: int
    authors: int

    @property
    def vector(self) -> np.ndarray:
        return np.array([self.alpha, self.beta, np.log(self.tau), np.log(self.sigma)])

    def interval(self, name: str, level: float = 0.95) -> tuple[float, float]:
        """Wald interval of ``alpha``, ``beta``, ``tau`` or ``sigma`` (the last two on the log scale)."""
        index = ("alpha", "beta", "tau", "sigma").index(name)
        z = special.ndtri(0.5 + level / 2)
        centre, half = self.vector[index], z * np.sqrt(self.covariance[index][index])
        low, high = centre - half, centre + half
        return (float(np.exp(low)), float(np.exp(high))) if index >= 2 else (float(low), float(high))

    def draws(self, count: int, seed=None) -> np.ndarray:
        """``count`` parameter vectors (alpha, beta, tau, sigma) from the estimates' normal approximation."""
        rng = np.random.default_rng(seed)
        raw = rng.multivariate_normal(self.vector, np.asarray(self.covariance), size=count)
        return np.column_stack([raw[:, 0], raw[:, 1], np.exp(raw[:, 2]), np.exp(raw[:, 3])])


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    """log(sum(exp(values))) along ``axis``, shifted by the maximum (scipy's does the same with a cost per
    call that the fit, calling it thousands of times on small arrays, notices)."""
    top = values.max(axis=axis, keepdims=True)
    return (np.log(np.exp(values - top).sum(axis=axis, keepdims=True)) + top).squeeze(axis)


def _post_table(values: np.ndarray, sigma: float, grid: np.ndarray) -> np.ndarray:
    """log P(y | m) = log of the integral of Poisson(y; exp(m + sigma z)) N(z) dz, for each y and each m.

    Adaptive Gauss-Hermite: the integrand, in t = m + sigma z, is log-concave; the nodes are centred
    on its mode (found by Newton) and scaled by its curvature.
    """
    y = values.astype(float)[:, None]
    m = grid[None, :]
    inv = 1.0 / sigma**2
    t = np.broadcast_to(np.where(y > 0, (np.log(np.maximum(y, 0.5)) * y + m * inv) / (y + inv), m), (y.size, m.size))
    t = np.array(t)
    for _ in range(40):
        gradient = y - np.exp(t) - (t - m) * inv
        curvature = -np.exp(t) - inv
        step = np.clip(gradient / curvature, -2.0, 2.0)
        t -= step
        if np.abs(step).max() < 1e-10:
            break
    scale = 1.0 / np.sqrt(np.exp(t) + inv)
    nodes = t[..., None] + np.sqrt(2.0) * scale[..., None] * _NODES
    log_f = (y[..., None] * nodes - np.exp(nodes) - special.gammaln(y[..., None] + 1)
             - 0.5 * (nodes - m[..., None]) ** 2 * inv - 0.5 * np.log(2 * np.pi * sigma**2))
    log_w = np.log(_WEIGHTS) + _NODES**2 + np.log(np.sqrt(2.0) * scale[..., None])
    return _logsumexp(log_f + log_w, axis=-1)


class _Likelihood:
    """Per-author log marginal likelihood.

    With ``m = alpha + beta x_i + u`` the author integral is over ``m`` on a fixed grid:
    ``log L_i = log sum_k exp(S_i(m_k) - (m_k - c_i)^2 / (2 tau^2)) + const``, where
    ``S_i(m) = sum_j log P(y_ij | m)`` depends on sigma only and is cached per sigma. The likelihood is
    then smooth in alpha, beta and tau (no interpolation), which the sandwich's derivatives need.
    """

    def __init__(self, posts: Posts):
        self.posts = posts
        self.values, self.row = np.unique(posts.counts, return_inverse=True)
        self.grid = np.arange(_M_RANGE[0], _M_RANGE[1] + _GRID_STEP / 2, _GRID_STEP)
        self.starts = np.r_[0, np.flatnonzero(np.diff(posts.author)) + 1]
        self._sigma, self._sums = None, None

    def sums(self, sigma: float) -> np.ndarray:
        if self._sigma != sigma:
            table = _post_table(self.values, sigma, self.grid)
            self._sigma, self._sums = sigma, np.add.reduceat(table[self.row], self.starts, axis=0)
        return self._sums

    def per_author(self, theta: np.ndarray) -> np.ndarray:
        alpha, beta, log_tau, log_sigma = theta
        tau = np.exp(log_tau)
        centre = alpha + beta * self.posts.log_audience  # (a,)
        prior = -0.5 * ((self.grid[None, :] - centre[:, None]) / tau) ** 2
        return (_logsumexp(self.sums(float(np.exp(log_sigma))) + prior, axis=1)
                + np.log(_GRID_STEP / (tau * np.sqrt(2 * np.pi))))

    def total(self, theta: np.ndarray) -> float:
        return float(self.per_author(theta).sum())


def _start(posts: Posts) -> np.ndarray:
    logs = np.log(posts.counts + 0.5)
    means = np.bincount(posts.author, weights=logs) / np.bincount(posts.author)
    beta, alpha = np.polyfit(posts.log_audience, means, 1)
    within = float(np.sqrt(max(np.var(logs - means[posts.author]), 0.05)))
    between = float(np.sqrt(max(np.var(means - alpha - beta * posts.log_audience), 0.05)))
    return np.array([alpha, beta, np.log(between), np.log(within)])


def fit_posts(posts: Posts) -> Fit:
    """Maximum marginal likelihood fit of the model in the module docstring, with sandwich covariance."""
    from scipy import optimize  # only the fit needs it (0.5 s to import), not the report
    likelihood = _Likelihood(posts)

    def inner(log_sigma: float, start: np.ndarray) -> tuple[float, np.ndarray]:
        result = optimize.minimize(
            lambda p: -likelihood.total(np.r_[p, log_sigma]), start, method="Nelder-Mead",
            options={"xatol": 1e-5, "fatol": 1e-6, "maxiter": 2000})
        return result.fun, result.x

    start = _start(posts)
    best = {"x": start[:3]}

    def outer(log_sigma: float) -> float:
        value, x = inner(log_sigma, best["x"])
        best["x"] = x
        return value

    found = optimize.minimize_scalar(outer, bounds=(start[3] - 1.5, start[3] + 1.0), method="bounded",
                                     options={"xatol": 1e-4})
    _, x = inner(found.x, best["x"])
    theta = np.r_[x, found.x]
    covariance = _sandwich(likelihood, theta)
    return Fit(float(theta[0]), float(theta[1]), float(np.exp(theta[2])), float(np.exp(theta[3])),
               covariance.tolist(), likelihood.total(theta), int(posts.counts.size), posts.authors)


def _sandwich(likelihood: _Likelihood, theta: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """H^-1 (sum over authors of score score') H^-1, by central differences."""
    k = theta.size
    eye = np.eye(k) * step
    scores = np.column_stack([(likelihood.per_author(theta + eye[i]) - likelihood.per_author(theta - eye[i]))
                              / (2 * step) for i in range(k)])
    hessian = np.zeros((k, k))
    for i in range(k):
        for j in range(i, k):
            value = (likelihood.total(theta + eye[i] + eye[j]) - likelihood.total(theta + eye[i] - eye[j])
                     - likelihood.total(theta - eye[i] + eye[j]) + likelihood.total(theta - eye[i] - eye[j])) \
                / (4 * step**2)
            hessian[i, j] = hessian[j, i] = value
    bread = np.linalg.inv(-hessian)
    return bread @ (scores.T @ scores) @ bread


def simulate(alpha: float, beta: float, tau: float, sigma: float, log_audience: np.ndarray, posts_per_author,
             seed=None) -> Posts:
    """Counts drawn from the model itself (for checking that the fit recovers known parameters)."""
    rng = np.random.default_rng(seed)
    sizes = np.broadcast_to(np.asarray(posts_per_author), log_audience.shape)
    author = np.repeat(np.arange(log_audience.size), sizes)
    u = rng.normal(0, tau, log_audience.size)
    rate = np.exp(alpha + beta * log_audience[author] + u[author] + rng.normal(0, sigma, author.size))
    return Posts(rng.poisson(rate), author, np.asarray(log_audience, dtype=float))


def reaction_quantiles(fit: Fit, followers: float, quantiles=(0.25, 0.5, 0.75), *, draws: int = 400,
                       per_draw: int = 50, seed=None) -> list[float]:
    """Quantiles of the reactions of a post by a random author with ``followers``, under the fit
    (parameters drawn from their uncertainty; author and post effects at stratified quantiles)."""
    rng = np.random.default_rng(seed)
    alpha, beta, tau, sigma = fit.draws(draws, rng).T
    z = special.ndtri((np.arange(per_draw) + 0.5) / per_draw)
    log_rate = (alpha + beta * np.log(followers / F_REF))[:, None] + np.sqrt(tau**2 + sigma**2)[:, None] * z
    counts = rng.poisson(np.exp(np.minimum(log_rate, 20)).ravel())
    return [float(q) for q in np.quantile(counts, quantiles)]


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


# ---------------------------------------------------------------------------------------------
# The shared datasets, the figures the fit must reproduce, and the published impressions by band

#: Mean impressions per post of LinkedIn company pages by follower band (Metricool LinkedIn Study 2024:
#: 1,578,969 posts of 41,170 pages, Oct 2023-Jan 2024). The open top band (50k-55M) is left out: its
#: typical size cannot be read from its edges. Each band stands at the geometric mean of its edges,
#: the lowest band's edge taken at 50 followers.
METRICOOL_BANDS = ((50, 500, 67.8), (500, 2_000, 260.98), (2_000, 10_000, 612.92), (10_000, 50_000, 1_690.33))
#: Edges of the follower bands in which the page compares the model with the posts; a band needs
#: posts by at least ``MIN_BAND_AUTHORS`` authors to be shown (no single author's posts are summarised).
FOLLOWER_BANDS = (500, 1_000, 2_000, 5_000, 20_000, 100_000, 1_000_000)
MIN_BAND_AUTHORS = 5


def describe(posts: Posts) -> dict[str, float]:
    """The research note's figures for one set of posts: the per-post slope of log(1 + reactions) on
    log(followers), the slope of author medians, and the median reactions of 300-1,000-follower authors."""
    x = posts.log_audience[posts.author]
    y = np.log1p(posts.counts)
    per_post = float(np.polyfit(x, y, 1)[0])
    order = np.argsort(posts.author, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(posts.author[order])) + 1]
    medians = np.array([np.median(part) for part in np.split(y[order], starts[1:])])
    per_author = float(np.polyfit(posts.log_audience, medians, 1)[0]) if posts.authors > 2 else float("nan")
    followers = F_REF * np.exp(x)
    small = (followers >= 300) & (followers <= 1000)
    return {"slope_per_post": per_post, "slope_author_medians": per_author,
            "median_reactions_300_1000": float(np.median(posts.counts[small])) if small.any() else float("nan")}


def predictive_check(fit: Fit, posts: Posts, replicates: int = 200, seed=None) -> dict[str, dict[str, float]]:
    """The figures of :func:`describe` on data simulated from the fitted model (parameters drawn from
    their uncertainty) with the same authors' audiences and post counts, beside the observed ones."""
    rng = np.random.default_rng(seed)
    counts = np.bincount(posts.author, minlength=posts.authors)
    simulated = [describe(simulate(*draw, posts.log_audience, counts, seed=rng)) for draw in fit.draws(replicates, rng)]
    observed = describe(posts)
    result = {}
    for key, value in observed.items():
        values = np.array([s[key] for s in simulated])
        values = values[np.isfinite(values)]
        if not values.size or not np.isfinite(value):
            continue
        result[key] = {"observed": value, "model_median": float(np.median(values)),
                       "model_q025": float(np.quantile(values, 0.025)), "model_q975": float(np.quantile(values, 0.975))}
    return result


def held_out_authors(posts: Posts, folds: int = 5, seed=None) -> dict[str, float]:
    """The fit tested on authors it never saw, as a new member is: the authors are split into ``folds``
    groups; each group's posts are predicted by the fit to the others, at each author's audience, with the
    author effect unknown (a random author's). Returns the share of held-out posts inside the predicted
    middle 50% and 90% of posts, and the median factor between a held-out author's median post and the
    predicted median (both as 1 + reactions)."""
    rng = np.random.default_rng(seed)
    group = rng.permutation(posts.authors) % folds
    inside_50, inside_90, factors = [], [], []
    for fold in range(folds):
        kept = group[posts.author] != fold
        codes = np.cumsum(group != fold) - 1  # authors renumbered 0.. within the kept ones
        fit = fit_posts(Posts(posts.counts[kept], codes[posts.author[kept]], posts.log_audience[group != fold]))
        for author in np.flatnonzero(group == fold):
            counts = posts.counts[posts.author == author]
            q05, q25, q50, q75, q95 = reaction_quantiles(fit, F_REF * np.exp(posts.log_audience[author]),
                                                         (0.05, 0.25, 0.5, 0.75, 0.95), seed=rng)
            inside_50 += ((counts >= q25) & (counts <= q75)).tolist()
            inside_90 += ((counts >= q05) & (counts <= q95)).tolist()
            factors.append(np.exp(abs(np.log1p(np.median(counts)) - np.log1p(q50))))
    return {"folds": folds, "authors": posts.authors, "posts": int(posts.counts.size),
            "inside_50": float(np.mean(inside_50)), "inside_90": float(np.mean(inside_90)),
            "median_author_factor": float(np.median(factors))}


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


def metricool_slope(bands=METRICOOL_BANDS) -> float:
    """Log-log slope of mean impressions on band size (company pages, Metricool 2024)."""
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
    members = record["members"] = audience_members.refit(
        folder, (people["beta"], float(np.sqrt(people["covariance"][1][1]))), seed)
    fit = audience_members.load_members_fit(members)
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
    for needed in ("posts-findev.csv.gz", audience_members.MEMBER_ANALYTICS):
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
