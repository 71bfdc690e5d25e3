"""The reach model in closed form: a member's 2nd and 3rd degree, from a 1,000-person school to 10^9 members.

A population too large to generate need not be generated: a member's 2nd degree is the set of people
their connections' other ties land on. In the *focus model* (``helpers.model.population``) every tie forms
through a focus (a shared employer, a job function, a dorm...) or at random, and lands on a member in
proportion to the member's degree (within the group), at random ties land as in the simple graph with
the population's degrees and degree correlations (``helpers.model.landing``). For a group of ``n`` members
receiving ``x`` ties per unit of degree, each of a member's ``d`` ties is taken by one of them with probability
``x`` and the member escapes every tie with probability ``(1 - x) ** d`` (someone with one tie can be reached
once at most), so the expected number of distinct people reached is a sum over the few groups that receive
ties, integrated over the degree distribution. What sets how many ties there are and
where they land is read from measurable facts of the network (its degrees, the mean degree of the
connections of members of each degree, the local clustering of members of each degree ``c(k)``; measured on
a real graph, assumptions with ranges on LinkedIn), and two overlap laws fitted on real graphs of every
kind (dense schools, large sparse online networks) by ``helpers.model.mechanisms``:

- **the connections' degrees**: drawn from the landing kernel's connections of a member of this degree, as the
  median member of that degree has them (degree correlations and the simple graph's cut-off on hubs included);
- **triadic closure**: each connection knows ``c(k) (k - 1)`` of the member's other connections, so a share
  ``c(k) k (k - 1) / sum(d_a - 1)`` of their other ties stays among them (net of what lands there by chance);
- **overlap among the connections' circles** beyond the groups: ties concentrate on people another
  connection already knows, as if only a share ``psi = exp(-a c(k) (k - 1))`` of them landed
  independently (fitted);
- **overlap among the 2nd degree's circles**: the 3rd degree is the same occupancy one layer out (the 2nd
  degree's members, found through the kernel, send their own outward ties), of which a share
  ``psi3 = exp(-a3 c2)`` lands independently, ``c2`` the clustering of the 2nd degree's members (fitted).

The 3rd degree is counted against everyone not yet reached. Dormant members (one connection) are part of
the degree distribution, so the 3rd degree saturates against the members who can be reached, not against
the head count.

``expected_layers`` is the engine (batched over runs, each run with its own parameters);
``layer_sizes`` applies it to a LinkedIn member; ``helpers.model.reach.predict_ego`` applies the same engine
to a real graph's aggregate facts, which is what ``make validate`` tests. A test checks the engine
against a fully generated focus-model population (``helpers.model.population.focus_graph``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, cached_property

import numpy as np
import polars as pl
from scipy.special import ndtr, ndtri

from helpers.model import assumptions
from helpers.model.landing import Landing, Structure, landing
from helpers.paths import DATA_DIR

MECHANISMS_FILE = DATA_DIR / "reach_mechanisms.csv"
#: Support points of a degree distribution (log-spaced cells; twice as many change results by < 0.5%).
SUPPORT_POINTS = 96
#: Groups receiving ties are merged into this many bins of equal intensity when there are more of them.
INTENSITY_BINS = 64


@dataclass(frozen=True)
class Platform:
    """The population's assumptions (see ``data/assumptions.toml``)."""

    members: float
    degree_median: float
    degree_sigma: float
    degree_cap: int
    dormant_share: float
    company_size_median: float
    company_size_sigma: float
    function_groups: int
    focus_cap: float
    clustering_at_100: float
    clustering_slope: float
    assortativity: float

    @classmethod
    def from_assumptions(cls, **overrides: float) -> Platform:
        unknown = set(overrides) - set(PLATFORM_ASSUMPTIONS)
        if unknown:
            raise ValueError(f"unknown platform settings {sorted(unknown)}")
        values = {field: overrides.get(field, assumptions.value(name)) for field, name in PLATFORM_ASSUMPTIONS.items()}
        values["degree_cap"] = int(values["degree_cap"])
        values["function_groups"] = int(values["function_groups"])
        return cls(**values)

    def with_(self, **changes: float) -> Platform:
        return replace(self, **changes)

    def law(self) -> DegreeLaw:
        return DegreeLaw.lognormal(self.degree_median, self.degree_sigma, self.degree_cap, self.dormant_share)

    def structure(self) -> Structure:
        return _platform_structure(self)


@cache
def _platform_structure(platform: Platform) -> Structure:
    return Structure.assumed(platform.clustering_at_100, platform.clustering_slope, platform.assortativity,
                             platform.degree_cap)


@cache
def platform_landing(platform: Platform) -> Landing:
    """Where ties land on the platform (kept once built: a Platform is immutable)."""
    law = platform.law()
    return landing(law.values, platform.members * law.weights[0], platform.structure())


#: Platform field -> assumption name in ``data/assumptions.toml``.
PLATFORM_ASSUMPTIONS = {
    "members": "reach.members", "degree_median": "reach.degree_median", "degree_sigma": "reach.degree_sigma",
    "degree_cap": "reach.degree_cap", "dormant_share": "reach.dormant_share",
    "company_size_median": "reach.company_size_median", "company_size_sigma": "reach.company_size_sigma",
    "function_groups": "reach.function_groups", "focus_cap": "reach.focus_cap",
    "clustering_at_100": "reach.clustering_at_100", "clustering_slope": "reach.clustering_slope",
    "assortativity": "reach.assortativity",
}


class Degrees:
    """A sample of a capped lognormal degree distribution (used to draw degrees one by one)."""

    def __init__(self, median: float, sigma: float, cap: int, seed: int = 0, sample: int = 200_000,
                 values: np.ndarray | None = None):
        rng = np.random.default_rng(seed)
        if values is None:
            values = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(median), sigma, sample))), cap)
        self.values = np.asarray(values, dtype=float)
        self.mu = float(self.values.mean())
        self.kappa = float((self.values * (self.values - 1)).sum() / self.values.sum())

    def size_biased(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Degrees of people reached by following a tie (friends have more friends)."""
        return rng.choice(self.values, size=size, p=self.values / self.values.sum())


class DegreeLaw:
    """A degree distribution on a few support points, one row of weights per run.

    ``values`` (S,) are degrees, ``weights`` (R, S) their probabilities (each row sums to 1).

    >>> law = DegreeLaw.from_degrees(np.array([1, 1, 2, 4]))
    >>> float(law.mean[0]), float(law.kappa[0])
    (2.0, 1.5)
    """

    def __init__(self, values: np.ndarray, weights: np.ndarray):
        self.values = np.asarray(values, dtype=float)
        self.weights = np.atleast_2d(np.asarray(weights, dtype=float))
        self.weights = self.weights / self.weights.sum(axis=1, keepdims=True)

    @classmethod
    def lognormal(cls, median, sigma, cap: float, dormant_share=0.0, points: int = SUPPORT_POINTS) -> DegreeLaw:
        """A lognormal (``median``, ``sigma``) rounded to at least 1 and capped at ``cap``, plus a share
        ``dormant_share`` of members with a single connection. Arguments may be arrays (one per run)."""
        median, sigma, dormant = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (median, sigma, dormant_share))
        edges = np.geomspace(1.5, cap, points)
        values = np.r_[1.0, np.sqrt(edges[:-1] * edges[1:]), cap]
        cdf = ndtr((np.log(edges)[None, :] - np.log(median)[:, None]) / sigma[:, None])
        mass = np.diff(np.c_[np.zeros(cdf.shape[0]), cdf, np.ones(cdf.shape[0])], axis=1) * (1 - dormant)[:, None]
        mass[:, 0] += dormant
        return cls(values, mass)

    @classmethod
    def from_degrees(cls, degrees: np.ndarray, points: int = SUPPORT_POINTS) -> DegreeLaw:
        """The empirical distribution of ``degrees``, merged into log-spaced cells (each at its mean degree)."""
        degrees = np.asarray(degrees, dtype=float)
        top = max(float(degrees.max(initial=1)), 2.0)
        edges = np.r_[0.5, np.geomspace(1.5, top + 0.5, points)]
        cell = np.searchsorted(edges, degrees, side="right")
        counts = np.bincount(cell, minlength=edges.size + 1).astype(float)
        sums = np.bincount(cell, weights=degrees, minlength=edges.size + 1)
        used = counts > 0
        return cls(sums[used] / counts[used], counts[used])

    @property
    def runs(self) -> int:
        return self.weights.shape[0]

    @property
    def mean(self) -> np.ndarray:
        return self.weights @ self.values

    @property
    def kappa(self) -> np.ndarray:
        """Mean number of other ties of someone reached by following a tie (``<d^2>/<d> - 1``)."""
        return (self.weights @ (self.values * (self.values - 1))) / self.mean

    def draw(self, weights: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        """(R, m) degrees: the quantiles ``uniform`` (R, m) of each run's row of ``weights`` (inverse CDF)."""
        return self.values[self.draw_cells(weights, uniform)]

    def draw_cells(self, weights: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        """(R, m) support points drawn as :meth:`draw` draws degrees."""
        runs, size = uniform.shape
        weights = np.atleast_2d(weights)
        if weights.shape[0] == 1:  # one law for every run
            cumulative = np.cumsum(weights[0])
            index = np.searchsorted(cumulative / cumulative[-1], np.minimum(uniform, 1 - 1e-12))
            return np.minimum(index, self.values.size - 1)
        weights = np.broadcast_to(weights, (runs, self.values.size))
        cumulative = np.cumsum(weights, axis=1)
        cumulative /= cumulative[:, -1:]
        offset = np.arange(runs)[:, None]
        index = np.searchsorted((cumulative + offset).ravel(), (np.minimum(uniform, 1 - 1e-12) + offset).ravel())
        return np.minimum(index.reshape(runs, size) - offset * self.values.size, self.values.size - 1)

    def cell_of(self, degrees) -> np.ndarray:
        """The support point nearest (in log) to each degree."""
        log_values = np.log(np.maximum(self.values, 0.5))
        middles = (log_values[1:] + log_values[:-1]) / 2
        return np.searchsorted(middles, np.log(np.maximum(np.asarray(degrees, dtype=float), 0.5)))


@dataclass(frozen=True)
class Mechanisms:
    """The fitted overlap laws (``data/reach_mechanisms.csv``), held at their last value beyond the fitted range.

    ``embedded`` is how many of a member's other connections each connection knows, ``c(k) (k - 1)``;
    ``clustering`` the local clustering of the 2nd degree's members (weighted by their pairs of ties).
    """

    overlap_scale: float
    third_overlap_scale: float
    embedded_max: float
    clustering_max: float

    def overlap(self, embedded):
        """Share of the connections' outward ties that land independently of each other's circles."""
        return np.exp(-self.overlap_scale * np.clip(embedded, 0.0, self.embedded_max))

    def overlap_third(self, clustering):
        """Share of the 2nd degree's outward ties that land independently of each other's circles."""
        return np.exp(-self.third_overlap_scale * np.clip(clustering, 0.0, self.clustering_max))

    @classmethod
    def stacked(cls, mechanisms: list[Mechanisms]) -> Mechanisms:
        """One Mechanisms whose fields are arrays (one value per run): its laws then give one value per run."""
        return cls(**{name: np.array([getattr(m, name) for m in mechanisms]) for name in cls.__dataclass_fields__})


@cache
def fitted_mechanisms(replicate: int = 0) -> Mechanisms:
    """The laws fitted on the development graphs (replicate 0), or one bootstrap replicate of the fit
    (kept once read: a Mechanisms is immutable)."""
    table = _mechanism_table()
    row = table.filter(pl.col("replicate") == replicate)
    if row.is_empty():
        raise ValueError(f"{MECHANISMS_FILE.name} has no replicate {replicate}: run `python -m helpers.model.mechanisms`")
    values = row.drop("replicate").row(0, named=True)
    unknown = set(values) - set(Mechanisms.__dataclass_fields__)
    if unknown:
        raise ValueError(f"{MECHANISMS_FILE.name} holds laws of another version of the model ({sorted(unknown)}): "
                         "run `make mechanisms`")
    return Mechanisms(**values)


def mechanism_replicates() -> int:
    """Number of bootstrap replicates of the fit (replicate 0 is the fit itself)."""
    return int(_mechanism_table()["replicate"].max())


@cache
def _mechanism_table() -> pl.DataFrame:
    if not MECHANISMS_FILE.exists():
        raise FileNotFoundError(f"{MECHANISMS_FILE} is missing: run `make mechanisms` "
                                "(python -m helpers.model.mechanisms --graphs ../shared/datasets)")
    return pl.read_csv(MECHANISMS_FILE, comment_prefix="#")


@dataclass(frozen=True)
class Focus:
    """One attribute through which ties form: its weight, the connections' groups, their population shares.

    ``codes`` (k,) is each connection's group (-1 unknown: its ties through this focus land at random);
    ``shares`` (R, G) the population share of each distinct known code, in ``np.unique`` order;
    ``unknown`` (R,) the share of the population whose group is unknown (they receive no ties through it).
    """

    weight: np.ndarray
    codes: np.ndarray
    shares: np.ndarray
    unknown: np.ndarray


def _per_group(values: np.ndarray, inverse: np.ndarray, groups: int) -> np.ndarray:
    """Row-wise sums of ``values`` (R, m) by group index ``inverse`` (m,) -> (R, groups)."""
    runs = values.shape[0]
    index = (np.arange(runs)[:, None] * groups + inverse[None, :]).ravel()
    return np.bincount(index, weights=values.ravel(), minlength=runs * groups).reshape(runs, groups)


def _binned(shares: np.ndarray, intensity: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge groups of similar intensity (share-weighted means) when there are more than INTENSITY_BINS;
    returns the bins' shares and intensities (R, B) and each group's bin (R, G). Bins are equal slices of
    each run's own range of log intensities."""
    runs, count = shares.shape
    if count <= INTENSITY_BINS:
        return shares, intensity, np.broadcast_to(np.arange(count), (runs, count))
    log_rate = np.log(np.maximum(intensity, 1e-300))
    low, high = log_rate.min(axis=1, keepdims=True), log_rate.max(axis=1, keepdims=True)
    bins = np.minimum(((log_rate - low) / np.maximum(high - low, 1e-12) * INTENSITY_BINS).astype(np.int64),
                      INTENSITY_BINS - 1)
    index = (np.arange(runs)[:, None] * INTENSITY_BINS + bins).ravel()

    def total(values):
        return np.bincount(index, weights=values.ravel(), minlength=runs * INTENSITY_BINS).reshape(runs, INTENSITY_BINS)

    mass = total(shares)
    return mass, total(shares * intensity) / np.maximum(mass, 1e-300), bins


def focus_rates(total_degree, outward: np.ndarray, foci: list[Focus], overlap=1.0):
    """Where the connections' outward ties land through their foci: the ties each connection sends at random
    instead (R, k), per focus the rates of the groups that receive ties, and the rate (per unit of degree) at
    which each connection itself receives ties through the foci (R, k).

    ``total_degree`` is the population's total degree (members times mean degree).
    """
    runs, k = outward.shape
    total_degree = np.broadcast_to(np.asarray(total_degree, dtype=float), (runs,))
    psi = np.broadcast_to(np.asarray(overlap, dtype=float), (runs,))
    random_share = np.ones((runs, k))
    alter_rate = np.zeros((runs, k))
    groups = []
    for focus in foci:
        weight = np.broadcast_to(np.asarray(focus.weight, dtype=float), (runs,))
        known = focus.codes >= 0
        random_share -= weight[:, None] * known[None, :]
        _, inverse = np.unique(focus.codes[known], return_inverse=True)
        shares = np.broadcast_to(focus.shares, (runs, int(inverse.max(initial=-1)) + 1))
        unknown = np.broadcast_to(np.asarray(focus.unknown, dtype=float), (runs,))
        # drawn group sizes cannot hold more than the population: shrink them to fit when they would
        room = np.maximum(1 - unknown, 0.0)
        shares = shares * np.minimum(1.0, room / np.maximum(shares.sum(axis=1), 1e-300))[:, None]
        every = known.all()  # most connections name their employer: no copy of the (R, k) ties then
        stubs = _per_group(outward if every else outward[:, known], inverse, shares.shape[1]) * weight[:, None]
        rate = psi[:, None] * stubs / (total_degree[:, None] * np.maximum(shares, 1e-300))
        if every:
            alter_rate += rate[:, inverse]
        else:
            alter_rate[:, known] += rate[:, inverse]
        other = np.maximum(1 - shares.sum(axis=1) - unknown, 0.0)
        groups.append((weight, shares, rate, other, unknown))
    return outward * random_share, groups, alter_rate


class _Cells:
    """The connections' support points (R, k) as flat indices into (R, S) tables, computed once per member."""

    def __init__(self, cells: np.ndarray, size: int):
        self.runs, self.size, self.shape = cells.shape[0], size, cells.shape
        self.index = (np.arange(cells.shape[0])[:, None] * size + cells).ravel()

    def total(self, values: np.ndarray) -> np.ndarray:
        """Row-wise sums of ``values`` (R, k) by support point -> (R, S)."""
        values = np.broadcast_to(values, self.shape)
        return np.bincount(self.index, weights=values.ravel(), minlength=self.runs * self.size).reshape(self.runs,
                                                                                                        self.size)

    def pick(self, table: np.ndarray) -> np.ndarray:
        """Each connection's entry of ``table`` (R, S) -> (R, k)."""
        return np.broadcast_to(table, (self.runs, self.size)).ravel()[self.index].reshape(self.shape)


def _missed(share: np.ndarray, degree: np.ndarray) -> np.ndarray:
    """The chance that a member of this degree is reached by none of the ties landing around them, when each of
    their own ties is taken by one of those with probability ``share`` (the ties expected to land on them over
    their degree): someone with one tie can be reached once at most. The Poisson ``exp(-share * degree)`` would let
    them be reached twice, which a sparse graph's many one-tie members show: their 3rd degree's share is short by a
    tenth. ``share`` (a new array) is overwritten."""
    found = np.minimum(share, 1 - 1e-12, out=share)
    np.negative(found, out=found)
    np.log1p(found, out=found)
    found *= degree
    return np.exp(found, out=found)


def _landing_shape(landing: Landing, stubs: np.ndarray, values: np.ndarray, total_degree: np.ndarray) -> np.ndarray:
    """(R, S) how much more than in proportion to degree a tie sent by ``stubs`` (R, S) lands on a member of each
    class (the kernel over degree-proportional landing). Ties through a focus land inside its groups with the
    same shape: the groups hold members of every degree, and a hub reaches nobody twice there either."""
    sent = stubs.sum(axis=1)
    per_tie = landing.hits(stubs) / np.maximum(sent, 1e-300)[:, None]
    proportional = values[None, :] / np.asarray(total_degree, dtype=float)[:, None]
    shape = np.divide(per_tie, proportional, out=np.zeros_like(per_tie), where=proportional > 0)
    return np.where(sent[:, None] > 0, shape, 1.0)


@dataclass(frozen=True)
class Reach:
    """Expected 2nd and 3rd degree per run, and the local clustering of the 2nd degree's members (by pairs of ties)."""

    second: np.ndarray
    third: np.ndarray
    second_clustering: np.ndarray


def _scaled(through_foci: tuple, stubs: np.ndarray, rates: np.ndarray) -> tuple:
    """``focus_rates`` of outward ties ``stubs`` (R,) times as many, landing independently ``rates`` (R,) times as
    often: it is linear in both."""
    random_stubs, groups, alter_rate = through_foci
    return (random_stubs * stubs[:, None],
            [(weight, shares, rate * rates[:, None], other, unknown)
             for weight, shares, rate, other, unknown in groups],
            alter_rate * rates[:, None])


def expected_layers(law: DegreeLaw, members, landing: Landing, cells: np.ndarray, alter_degrees: np.ndarray,
                    outward: np.ndarray, foci: list[Focus], overlap, overlap_third, clustering, *,
                    through_foci: tuple | None = None) -> Reach:
    """Expected 2nd and 3rd degree, per run, of a member whose connections have the given degrees.

    Parameters
    ----------
    law : DegreeLaw
        The population's degree distribution (one row per run, or one row for all).
    members : float or (R,) array
        Population size.
    landing : Landing
        Where random ties land (one kernel per run, or one for all).
    cells : (R, k) int array
        Each connection's support point of ``law`` (its row of the kernel).
    alter_degrees, outward : (R, k) arrays
        Each connection's degree, and how many of its ties leave the member's 1st degree.
    foci : list of Focus
    overlap : float or (R,)
        Share of the connections' outward ties that land independently (``psi``).
    overlap_third : float, (R,) or callable
        The same for the 2nd degree's outward ties, or the law giving it from the 2nd degree's clustering.
    clustering : (S,) or (R, S)
        Local clustering of members of each support point.
    through_foci : tuple, optional
        ``focus_rates(members * mean degree, outward, foci, overlap)`` when the caller has it already.
    """
    runs, k = outward.shape
    size = law.values.size
    d = law.values[None, :]
    w = np.broadcast_to(law.weights, (runs, size))
    n = np.broadcast_to(np.asarray(members, dtype=float), (runs,))
    mu = np.broadcast_to(law.mean, (runs,))
    psi = np.broadcast_to(np.asarray(overlap, dtype=float), (runs,))
    total_out = outward.sum(axis=1)
    random_stubs, groups, focus_rate = through_foci or focus_rates(n * mu, outward, foci, psi)
    # 2nd degree: escape probability of a member of each degree from every tie of the connections
    by_cell = _Cells(cells, size)
    exposure = psi[:, None] * landing.hits(by_cell.total(random_stubs))
    shape = _landing_shape(landing, by_cell.total(outward), law.values, n * mu)
    reach_degree = d * shape  # degree-proportional landing inside the groups, shaped as the kernel's
    per_tie = np.divide(1.0, d, out=np.zeros(d.shape), where=d > 0)
    binned = [_binned(shares, rate) for _, shares, rate, _, _ in groups]
    # (R, S, bins): a member of each degree escapes the ties landing in each bin of groups
    missed = [_missed(shape[:, :, None] * r[:, None, :], d[:, :, None]) for _, r, _ in binned]
    average = [(s[:, None, :] * m).sum(axis=2) + (o + u)[:, None]
               for (s, _, _), m, (_, _, _, o, u) in zip(binned, missed, groups)]
    escape = _missed(exposure * per_tie, d)
    for part in average:
        escape = escape * part
    alter_exposure = alter_degrees * by_cell.pick(shape) * focus_rate + by_cell.pick(exposure)
    alter_hit = 1 - _missed(alter_exposure / np.maximum(alter_degrees, 1.0), alter_degrees)
    second = np.maximum(n * (w * (1 - escape)).sum(axis=1) - alter_hit.sum(axis=1), 0.0)

    # 3rd degree: the 2nd degree's outward ties, through the same foci and the kernel
    reached = np.maximum(n[:, None] * w * (1 - escape) - by_cell.total(alter_hit), 0.0)
    reached_degree = (reached * d).sum(axis=1)
    back = np.maximum(total_out - alter_exposure.sum(axis=1) / np.maximum(psi, 1e-12), 0.0)
    onward = np.broadcast_to(np.where(reached_degree > 0, np.maximum(reached_degree - back, 0.0)
                                      / np.maximum(reached_degree, 1e-300), 0.0)[:, None], (runs, size))
    left = reached * d * onward
    pairs = reached * d * np.maximum(d - 1, 0.0)
    second_clustering = (pairs * np.broadcast_to(clustering, (runs, size))).sum(axis=1) / np.maximum(
        pairs.sum(axis=1), 1e-300)
    psi3 = np.broadcast_to(np.asarray(overlap_third(second_clustering) if callable(overlap_third) else overlap_third,
                                      dtype=float), (runs,))
    random3 = left * (1 - sum((g[0] for g in groups), np.zeros(runs)))[:, None]
    shape3 = _landing_shape(landing, left, law.values, n * mu)
    both = np.ones_like(escape)
    alter_rate3 = np.zeros((runs, k))
    for focus, (weight, _, _, other, unknown), (shares, rate, bins), part, miss in zip(foci, groups, binned, average,
                                                                                        missed):
        without = escape / np.maximum(part, 1e-300)  # escape from every focus but this one
        # total degree of the 2nd-degree members in each group, per unit of population share
        in_groups = n[:, None] * ((w * d * onward)[:, :, None] * (1 - miss * without[:, :, None])).sum(axis=1)
        elsewhere = n[:, None] * w * d * onward * (1 - without)
        rate3 = psi3[:, None] * weight[:, None] * in_groups / (n * mu)[:, None]
        rate3_other = psi3 * weight * elsewhere.sum(axis=1) / (n * mu)
        random3 += (weight * unknown)[:, None] * elsewhere
        known = focus.codes >= 0
        _, inverse = np.unique(focus.codes[known], return_inverse=True)
        alter_rate3[:, known] += np.take_along_axis(rate3, bins, axis=1)[:, inverse]
        both = both * ((shares[:, None, :] * miss * _missed(shape3[:, :, None] * rate3[:, None, :],
                                                            d[:, :, None])).sum(axis=2)
                       + other[:, None] * _missed(shape3 * rate3_other[:, None], d) + unknown[:, None])
    exposure3 = psi3[:, None] * landing.hits(random3)
    alter_exposure3 = alter_degrees * by_cell.pick(shape3) * alter_rate3 + by_cell.pick(exposure3)
    both = both * _missed((exposure + exposure3) * per_tie, d)
    alter_ties = np.maximum(alter_degrees, 1.0)
    alters_third = ((1 - alter_hit) * (1 - _missed(alter_exposure3 / alter_ties, alter_degrees))).sum(axis=1)
    third = np.maximum(n * (w * (escape - both)).sum(axis=1) - alters_third, 0.0)
    return Reach(second, np.minimum(third, np.maximum(n - 1 - k - second, 0.0)), second_clustering)


def closure_share(law: DegreeLaw, members, landing: Landing, cells: np.ndarray, alter_degrees: np.ndarray,
                  foci: list[Focus], clustering_k, through_foci: tuple | None = None) -> np.ndarray:
    """Share of the connections' other ties that close among the member's connections beyond what lands there by
    chance (through the foci or at random), per run: each connection knows ``c(k) (k - 1)`` of the others.
    ``through_foci`` is ``focus_rates`` of the connections' other ties, when the caller has it."""
    runs, k = alter_degrees.shape
    excess = np.maximum(alter_degrees - 1, 0.0)
    total = np.maximum(excess.sum(axis=1), 1e-300)
    observed = np.minimum(np.asarray(clustering_k, dtype=float) * k * (k - 1) / total, 0.9)
    n = np.broadcast_to(np.asarray(members, dtype=float), (runs,))
    random_stubs, _, focus_rate = through_foci or focus_rates(n * law.mean, excess, foci)
    by_cell = _Cells(cells, law.values.size)
    exposure = landing.hits(by_cell.total(random_stubs))
    shape = _landing_shape(landing, by_cell.total(excess), law.values, n * law.mean)
    received = alter_degrees * by_cell.pick(shape) * focus_rate + by_cell.pick(exposure)
    chance = np.minimum(received.sum(axis=1) / total, 0.95)
    return np.clip((observed - chance) / (1 - chance), 0.0, 0.9)


def closing_share(platform: Platform, connections: int, clustering_at_100: float | None = None,
                  clustering_slope: float | None = None) -> float:
    """Share of a connection's other ties that end among the member's own ``connections`` (chance included):
    each connection knows ``c(k) (k - 1)`` of the others (local clustering by degree, the clustering
    assumptions unless given), out of the other ties of the median member's connections of that size on the
    platform's landing kernel.
    """
    law = platform.law()
    alters = platform_landing(platform).alters[0, int(law.cell_of(connections))]
    other_ties = max(float(alters @ np.maximum(law.values - 1, 0.0)), 1.0)
    at_100 = platform.clustering_at_100 if clustering_at_100 is None else clustering_at_100
    slope = platform.clustering_slope if clustering_slope is None else clustering_slope
    clustering = Structure.assumed(at_100, slope, platform.assortativity, platform.degree_cap)
    c_k = float(clustering.clustering_at(np.array([float(connections)]))[0])
    return min(c_k * max(connections - 1, 0) / other_ties, 0.9)


def connection_layers(law: DegreeLaw, members, landing: Landing, clustering: np.ndarray, k: int, foci: list[Focus],
                      mechanisms: Mechanisms, *, uniform: np.ndarray | None = None,
                      alter_degrees: np.ndarray | None = None, extra_triadic: np.ndarray | None = None) -> Reach:
    """The 2nd and 3rd degree of a member with ``k`` connections, one value per run.

    The connections' degrees are drawn from the kernel's connections of a member of degree ``k`` at the
    quantiles ``uniform`` (R, k) (or given: ``alter_degrees``, the diagnostic); a share of their other ties
    closes among them (:func:`closure_share`, plus ``extra_triadic``); the rest land through the foci and the
    kernel, with the fitted overlaps.
    """
    clustering = np.atleast_2d(clustering)
    if alter_degrees is None:
        runs = uniform.shape[0]
        cells = law.draw_cells(landing.alters[:, law.cell_of(k), :], uniform)
        degrees = law.values[cells]
    else:
        runs = max(law.runs, clustering.shape[0], landing.ties.shape[0])
        degrees = np.broadcast_to(np.asarray(alter_degrees, dtype=float), (runs, k))
        cells = np.broadcast_to(law.cell_of(degrees), (runs, k))
    clustering_k = np.broadcast_to(clustering[:, law.cell_of(k)], (runs,))
    excess = np.maximum(degrees - 1, 0.0)
    n = np.broadcast_to(np.asarray(members, dtype=float), (runs,))
    every_tie = focus_rates(n * law.mean, excess, foci)
    triadic = closure_share(law, members, landing, cells, degrees, foci, clustering_k, every_tie)
    psi = np.broadcast_to(mechanisms.overlap(clustering_k * (k - 1)), (runs,))
    if extra_triadic is None:
        outward, through_foci = (1 - triadic)[:, None] * excess, _scaled(every_tie, 1 - triadic, (1 - triadic) * psi)
    else:
        outward, through_foci = (1 - triadic)[:, None] * np.atleast_2d(1 - extra_triadic) * excess, None
    return expected_layers(law, members, landing, cells, degrees, outward, foci, psi, mechanisms.overlap_third,
                           clustering, through_foci=through_foci)


def _hashed_normal(codes: np.ndarray, run: np.ndarray, seed: int) -> np.ndarray:
    """A standard normal draw per (company code, run) that depends only on (code, run, seed): every
    scenario sees the same company sizes (common random numbers), however many companies it adds."""
    x = (codes.astype(np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)
         + ((np.asarray(run, dtype=np.uint64)[:, None] * np.uint64(0x632BE59BD9B4E019))
            + np.uint64((seed * 0x85EBCA77C2B2AE63) % 2**64)))
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    uniform = (x >> np.uint64(11)).astype(np.float64) / float(2**53)
    return ndtri(np.clip(uniform, 1e-12, 1 - 1e-12))


@dataclass(frozen=True)
class Layers:
    """Mean sizes of the 1st, 2nd and 3rd degree over the runs, with 90% bands (5% and 95% of the runs)."""

    l1: int
    l2: float
    l3: float
    l2_band: tuple[float, float]
    l3_band: tuple[float, float]
    l2_runs: np.ndarray
    l3_runs: np.ndarray
    members: np.ndarray

    @classmethod
    def from_runs(cls, k: int, second: np.ndarray, third: np.ndarray, members) -> Layers:
        members = np.broadcast_to(np.asarray(members, dtype=float), second.shape).copy()
        return cls(k, float(second.mean()), float(third.mean()),
                   (float(np.quantile(second, 0.05)), float(np.quantile(second, 0.95))),
                   (float(np.quantile(third, 0.05)), float(np.quantile(third, 0.95))), second, third, members)


def member_weights(colleague_share: float, same_function_share: float, platform: Platform) -> tuple[float, float]:
    """Company and function focus weights from the member's own connections.

    The member's share of connections at their own employers is the company weight (employers are a
    negligible share of the platform); the function weight is the excess share in the member's own
    function over its platform share ``1 / function_groups``. The total is capped at ``focus_cap``.
    """
    base = 1.0 / platform.function_groups
    company = max(0.0, colleague_share)
    function = max(0.0, (same_function_share - base) / (1 - base))
    total = company + function
    if total > platform.focus_cap:
        company, function = company * platform.focus_cap / total, function * platform.focus_cap / total
    return company, function


@dataclass(frozen=True)
class Scenario:
    """Per-run settings of the platform: one row per run (a Monte Carlo run, or a joint draw of the
    assumptions). Runs with the same ``stream`` share their random numbers (the connections' degree
    quantiles, the companies' sizes): common random numbers, so settings compare without noise."""

    platform: list[Platform]
    mechanisms: list[Mechanisms]
    streams: np.ndarray

    @classmethod
    def from_platform(cls, platform: Platform, runs: int, mechanisms: Mechanisms | None = None) -> Scenario:
        """``runs`` Monte Carlo runs at one setting (streams 0..runs-1)."""
        return cls([platform] * runs, [mechanisms or fitted_mechanisms()] * runs, np.arange(runs))

    @classmethod
    def stack(cls, scenarios: list[Scenario]) -> Scenario:
        """Several scenarios in one (their streams kept: the same run of each shares its random numbers)."""
        return cls([p for s in scenarios for p in s.platform], [m for s in scenarios for m in s.mechanisms],
                   np.concatenate([s.streams for s in scenarios]))

    @classmethod
    def from_draws(cls, draws: pl.DataFrame, base: Platform | None = None) -> Scenario:
        """One run per row of ``draws`` (columns named after assumptions, see ``assumptions.joint_draws``,
        and optionally ``replicate``: the bootstrap replicate of the fitted laws); other settings from ``base``."""
        base = base or Platform.from_assumptions()
        platforms, mechanisms = [], []
        for row in draws.iter_rows(named=True):
            changes = {field: row[name] for field, name in PLATFORM_ASSUMPTIONS.items() if name in row}
            for integer in ("degree_cap", "function_groups"):
                if integer in changes:
                    changes[integer] = int(round(changes[integer]))
            platform = base.with_(**changes)
            platforms.append(platform)
            mechanisms.append(fitted_mechanisms(int(row.get("replicate", 0))))
        return cls(platforms, mechanisms, np.arange(len(platforms)))

    @property
    def runs(self) -> int:
        return len(self.platform)

    def column(self, field: str) -> np.ndarray:
        return np.array([getattr(p, field) for p in self.platform], dtype=float)

    def law(self) -> DegreeLaw:
        cap = max(p.degree_cap for p in self.platform)
        return DegreeLaw.lognormal(self.column("degree_median"), self.column("degree_sigma"), cap,
                                   self.column("dormant_share"))

    @cached_property
    def landing(self) -> Landing:
        """Where random ties land in each run (kept: the same for every member)."""
        return Landing.stacked([platform_landing(p) for p in self.platform])

    @cached_property
    def clustering(self) -> np.ndarray:
        """(R, S) local clustering of each support point of :meth:`law` under each run's assumptions."""
        values = self.law().values
        return np.stack([p.structure().clustering_at(values) for p in self.platform])


def platform_draws(size: int, seed, extra: tuple[str, ...] = ()) -> pl.DataFrame:
    """Joint Latin-hypercube draws over every reach assumption's range and the fitted laws' bootstrap
    replicates (plus the ``extra`` assumptions named): the rows of a ``Scenario.from_draws``."""
    names = [name for name in PLATFORM_ASSUMPTIONS.values() if name != "reach.degree_cap"] + list(extra)
    return assumptions.joint_draws(names, size, seed, replicates={"replicate": mechanism_replicates()})


def layer_sizes(companies: np.ndarray, functions: np.ndarray, platform: Platform | Scenario, w_company, w_function, *,
                runs: int = 20, seed=None, extra_triadic: np.ndarray | None = None,
                mechanisms: Mechanisms | None = None) -> Layers:
    """Expected 1st, 2nd and 3rd degree of a member whose connections are in ``companies`` and ``functions``.

    Parameters
    ----------
    companies, functions : (k,) int arrays
        Each connection's company and job-function code; -1 where unknown (its ties through that
        focus then land at random).
    platform : Platform or Scenario
        One setting of the assumptions (repeated over ``runs`` Monte Carlo runs), or a Scenario with
        one setting per run (joint draws over the assumptions' ranges).
    w_company, w_function : float or (R,) arrays
        Share of everyone's ties formed through their company and through their job function.
    runs, seed :
        Monte Carlo runs over the connections' degrees and the companies' sizes.
    extra_triadic : (k,) or (R, k) float array, optional
        An additional share of each connection's ties that go to the member's other connections
        (e.g. attendees of one event who know each other), for every run or per run.
    mechanisms : Mechanisms, optional
        The fitted laws (default: the committed fit).
    """
    scenario = platform if isinstance(platform, Scenario) else Scenario.from_platform(platform, runs, mechanisms)
    runs = scenario.runs
    rng = np.random.default_rng(seed)
    size_seed = int(rng.integers(2**31))
    companies = np.asarray(companies, dtype=np.int64)
    functions = np.asarray(functions, dtype=np.int64)
    k = companies.size
    members = scenario.column("members")
    law = scenario.law()
    streams = scenario.streams
    uniform = rng.random((int(streams.max()) + 1, k))[streams]
    # company sizes drawn per company; never fewer than the member's connections there + 1
    known_company = companies >= 0
    codes, counts = np.unique(companies[known_company], return_counts=True)
    drawn = np.exp(np.log(scenario.column("company_size_median"))[:, None]
                   + scenario.column("company_size_sigma")[:, None] * _hashed_normal(codes, streams, size_seed))
    sizes = np.maximum(np.round(drawn), counts[None, :] + 1)
    function_codes = np.unique(functions[functions >= 0])
    # the platform has at least as many function groups as the member's connections show
    groups = np.maximum(scenario.column("function_groups"), function_codes.size)
    foci = [Focus(np.broadcast_to(np.asarray(w_company, dtype=float), (runs,)), companies, sizes / members[:, None],
                  np.zeros(runs)),
            Focus(np.broadcast_to(np.asarray(w_function, dtype=float), (runs,)), functions,
                  np.repeat((1 / groups)[:, None], function_codes.size, axis=1), np.zeros(runs))]
    if k == 0:
        return Layers.from_runs(0, np.zeros(runs), np.zeros(runs), members)
    found = connection_layers(law, members, scenario.landing, scenario.clustering, k, foci,
                              Mechanisms.stacked(scenario.mechanisms), uniform=uniform, extra_triadic=extra_triadic)
    return Layers.from_runs(k, found.second, found.third, members)


def typical_member(connections: int, colleague_share: float, function_share: float,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Company and job-function codes of a member of that size with a typical make-up: a share of
    connections at the member's employer (company 0), the others each at another employer; a share in the
    member's own function (function 0), the others spread over the 13 other functions."""
    colleagues = int(round(colleague_share * connections))
    same_function = int(round(function_share * connections))
    companies = np.r_[np.zeros(colleagues, dtype=np.int64), 1 + np.arange(connections - colleagues)]
    functions = np.r_[np.zeros(same_function, dtype=np.int64), rng.integers(1, 14, connections - same_function)]
    return companies, functions


def member_reach(connections: int, *, seed: int = 0, runs: int = 20, draws: int = 300,
                 platform: Platform | None = None) -> dict:
    """2nd and 3rd degree of a member of that size with a typical make-up (``reach.typical_*`` shares): at
    the assumptions' values (mean of ``runs`` Monte Carlo runs) and the 5%-95% band of ``draws`` joint
    draws over every assumption's range, the member's make-up included."""
    platform = platform or Platform.from_assumptions()
    colleague_share = assumptions.value("reach.typical_colleague_share")
    function_share = assumptions.value("reach.typical_function_share")
    companies, functions = typical_member(connections, colleague_share, function_share,
                                          np.random.default_rng([seed, connections]))
    w_company, w_function = member_weights(colleague_share, function_share, platform)
    point = layer_sizes(companies, functions, platform, w_company, w_function, runs=runs,
                        seed=np.random.default_rng([seed, connections, 0]))
    found = {"connections": connections, "seed": seed, "members": platform.members, "second": point.l2,
             "third": point.l3, "second_per_connection": point.l2 / max(connections, 1),
             "third_share": point.l3 / platform.members,
             "reachable_members": platform.members * (1 - platform.dormant_share)}
    if draws:
        table = platform_draws(draws, seed, extra=("reach.typical_colleague_share", "reach.typical_function_share"))
        # the make-up is drawn too: draws are grouped by their colleague share (5 groups), each group's
        # member built with its mean shares
        order = np.argsort(table["reach.typical_colleague_share"].to_numpy(), kind="stable")
        second, third, members = np.zeros(draws), np.zeros(draws), np.zeros(draws)
        for part, rows in enumerate(np.array_split(order, min(5, draws))):
            chunk = table[rows]
            colleague = float(chunk["reach.typical_colleague_share"].mean())
            function = float(chunk["reach.typical_function_share"].mean())
            companies, functions = typical_member(connections, colleague, function,
                                                  np.random.default_rng([seed, connections, part]))
            scenario = Scenario.from_draws(chunk)
            weights = np.array([member_weights(c, f, p) for c, f, p in zip(chunk["reach.typical_colleague_share"],
                                                                           chunk["reach.typical_function_share"],
                                                                           scenario.platform)])
            drawn = layer_sizes(companies, functions, scenario, weights[:, 0], weights[:, 1],
                                seed=np.random.default_rng([seed, connections, 1, part]))
            second[rows], third[rows], members[rows] = drawn.l2_runs, drawn.l3_runs, drawn.members
        for name, values in (("second", second), ("third", third), ("third_share", third / members)):
            found[f"{name}_q05"], found[f"{name}_q50"], found[f"{name}_q95"] = (
                float(v) for v in np.quantile(values, [0.05, 0.5, 0.95]))
        found["second_per_connection_q05"] = found["second_q05"] / max(connections, 1)
        found["second_per_connection_q95"] = found["second_q95"] / max(connections, 1)
        found["draws"] = draws
    return found
