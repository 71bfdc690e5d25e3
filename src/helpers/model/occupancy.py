"""The reach model's engine: a member's expected 2nd and 3rd degree, in closed form, from where ties land.

A population too large to generate need not be generated: a member's 2nd degree is the set of people
their connections' other ties land on. In the *focus model* (``helpers.model.population``) every tie forms
through a focus (a shared employer, a job function, a dorm...) or at random, and lands on a member in
proportion to the member's degree (within the group), at random ties land as in the simple graph with
the population's degrees and degree correlations (``helpers.model.landing``). For a group of ``n`` members
receiving ``x`` ties per unit of degree, each of a member's ``d`` ties is taken by one of them with probability
``x`` and the member escapes every tie with probability ``(1 - x) ** d`` (someone with one tie can be reached
once at most), so the expected number of distinct people reached is a sum over the few groups that receive
ties, integrated over the degree distribution (``helpers.model.degrees``). What sets how many ties there are and
where they land is read from measurable facts of the network (its degrees, the mean degree of the
connections of members of each degree, the local clustering of members of each degree ``c(k)``; measured on
a real graph, assumptions with ranges on LinkedIn), and two overlap laws fitted on real graphs of every
kind (``helpers.model.overlap_laws``):

- **the connections' degrees**: drawn from the landing kernel's connections of a member of this degree, as the
  median member of that degree has them (degree correlations and the simple graph's cut-off on hubs included);
- **triadic closure**: each connection knows ``c(k) (k - 1)`` of the member's other connections, so a share
  ``c(k) k (k - 1) / sum(d_a - 1)`` of their other ties stays among them (net of what lands there by chance);
- **overlap among the connections' circles** beyond the groups: ties concentrate on people another
  connection already knows, as if only a share ``psi`` of them landed independently (fitted);
- **overlap among the 2nd degree's circles**: the 3rd degree is the same occupancy one layer out (the 2nd
  degree's members, found through the kernel, send their own outward ties), of which a share ``psi3`` lands
  independently (fitted).

The 3rd degree is counted against everyone not yet reached. Dormant members (one connection) are part of
the degree distribution, so the 3rd degree saturates against the members who can be reached, not against
the head count.

:func:`expected_layers` is the engine (batched over runs, each run with its own parameters);
:func:`connection_layers` draws the connections' degrees and their closure and applies it. A LinkedIn member's
layers are ``helpers.model.scenarios.layer_sizes``; a real graph's ``helpers.model.reach.predict_ego``, which is what
``make validate`` tests. A test checks the engine against a fully generated focus-model population
(``helpers.model.population.focus_graph``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers.model.degrees import DegreeLaw
from helpers.model.landing import Landing
from helpers.model.overlap_laws import Mechanisms

#: Groups receiving ties are merged into this many bins of equal intensity when there are more of them.
INTENSITY_BINS = 64
#: At most this share of a connection's other ties closes among the member's connections, the rest always leaving
#: the 1st degree: where clustering times the member's connections exceeds a connection's own ties (thousands of
#: connections), the closure would otherwise take every tie. The overlap laws were fitted with this bound
#: (``helpers.model.mechanisms.observe``), so it is part of their fit, not an assumption to move on its own.
CLOSURE_CAP = 0.9
#: The engine works on (runs, connections) arrays; past this many elements (1 MB of doubles, a core's L2 cache here)
#: the runs are taken in slices, each computed alone. Every step is row by row, so the figures are the same (but for
#: the last bits of a double, where a sum's order follows the slice's shape: same settings, same numbers); arrays
#: that stay in the cache take a third of the time per run that 100 joint draws at 30,000 connections take at once.
CHUNK_ELEMENTS = 2**17
#: The share of the connections' other ties landing among them by chance is held below this, so that the closure
#: beyond chance, ``(observed - chance) / (1 - chance)``, stays defined (a numerical guard).
CHANCE_CAP = 0.95


def excess_weight(share: float, population_share: float) -> float:
    """The share of ties formed through a focus: the excess of the share of someone's connections in their own
    group over that group's share of the population, ``(s - p) / (1 - p)``, never below 0 (0 when the group is
    everyone).

    >>> excess_weight(0.75, 0.5), excess_weight(0.3, 0.0), excess_weight(0.1, 0.5)
    (0.5, 0.3, 0.0)
    """
    return max(0.0, (share - population_share) / (1 - population_share)) if population_share < 1 else 0.0


def capped(weights: np.ndarray, cap: float) -> np.ndarray:
    """Focus weights scaled down to sum to ``cap`` when they sum to more, so that some ties stay random."""
    total = weights.sum()
    return weights * cap / total if total > cap else weights


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


def _group_index(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Each connection's group (``np.unique`` order of the known codes) and how many groups there are; a connection
    whose group is unknown gets the extra index ``groups``, a slot that (R, groups + 1) tables leave empty or zero,
    so that (R, k) sums and picks need no copy of the known connections' columns."""
    known = codes >= 0
    _, inverse = np.unique(codes[known], return_inverse=True)
    groups = int(inverse.max(initial=-1)) + 1
    if known.all():
        return inverse, groups
    full = np.full(codes.shape, groups, dtype=inverse.dtype)
    full[known] = inverse
    return full, groups


def _each_connection(table: np.ndarray, index: np.ndarray, count: int) -> np.ndarray:
    """Each connection's entry of ``table`` (R, count) by :func:`_group_index`; 0 for a connection whose group is
    unknown (the empty slot)."""
    if index.size and index.max() >= count:
        table = np.concatenate([table, np.zeros((table.shape[0], 1))], axis=1)
    return table[:, index]


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
    # the share of each connection's ties sent at random: one per run while every connection's groups are known
    every_known = all(bool((focus.codes >= 0).all()) for focus in foci)
    random_share = np.ones((runs, 1) if every_known else (runs, k))
    alter_rate = np.zeros((runs, k))
    groups = []
    for focus in foci:
        weight = np.broadcast_to(np.asarray(focus.weight, dtype=float), (runs,))
        known = focus.codes >= 0
        random_share -= weight[:, None] * (1.0 if every_known else known[None, :])
        index, count = _group_index(focus.codes)
        shares = np.broadcast_to(focus.shares, (runs, count))
        unknown = np.broadcast_to(np.asarray(focus.unknown, dtype=float), (runs,))
        # drawn group sizes cannot hold more than the population: shrink them to fit when they would
        room = np.maximum(1 - unknown, 0.0)
        shares = shares * np.minimum(1.0, room / np.maximum(shares.sum(axis=1), 1e-300))[:, None]
        stubs = _per_group(outward, index, count + 1)[:, :count] * weight[:, None]
        rate = psi[:, None] * stubs / (total_degree[:, None] * np.maximum(shares, 1e-300))
        alter_rate += _each_connection(rate, index, count)
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
        index, count = _group_index(focus.codes)
        alter_rate3 += _each_connection(np.take_along_axis(rate3, bins, axis=1), index, count)
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
    observed = np.minimum(np.asarray(clustering_k, dtype=float) * k * (k - 1) / total, CLOSURE_CAP)
    n = np.broadcast_to(np.asarray(members, dtype=float), (runs,))
    random_stubs, _, focus_rate = through_foci or focus_rates(n * law.mean, excess, foci)
    by_cell = _Cells(cells, law.values.size)
    exposure = landing.hits(by_cell.total(random_stubs))
    shape = _landing_shape(landing, by_cell.total(excess), law.values, n * law.mean)
    received = alter_degrees * by_cell.pick(shape) * focus_rate + by_cell.pick(exposure)
    chance = np.minimum(received.sum(axis=1) / total, CHANCE_CAP)
    return np.clip((observed - chance) / (1 - chance), 0.0, CLOSURE_CAP)


def _rows(part: slice, runs: int, law: DegreeLaw, members, landing: Landing, clustering: np.ndarray,
          foci: list[Focus], mechanisms: Mechanisms, uniform: np.ndarray, extra_triadic: np.ndarray | None):
    """The arguments of :func:`connection_layers` (but ``k``) for the runs ``part`` of ``runs``: what holds one row
    per run is sliced, what every run shares (one row, the connections' codes) is kept."""
    def take(value, dims: int = 1):
        value = np.asarray(value)
        return value[part] if value.ndim >= dims and value.shape[0] == runs else value

    sliced_law = DegreeLaw.__new__(DegreeLaw)  # the weights as they are: the constructor would normalise them again
    sliced_law.values, sliced_law.weights = law.values, take(law.weights, 2)
    return {"law": sliced_law, "members": take(members), "clustering": take(clustering, 2),
            "landing": Landing(take(landing.ties, 3), take(landing.alters, 3)),
            "foci": [Focus(take(f.weight), f.codes, take(f.shares, 2), take(f.unknown)) for f in foci],
            "mechanisms": Mechanisms(**{name: take(getattr(mechanisms, name))
                                        for name in Mechanisms.__dataclass_fields__}),
            "uniform": uniform[part], "extra_triadic": None if extra_triadic is None else take(extra_triadic, 2)}


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
    if alter_degrees is None and uniform.shape[0] > 1 and uniform.size > CHUNK_ELEMENTS:
        runs, step = uniform.shape[0], max(1, CHUNK_ELEMENTS // max(k, 1))
        parts = [connection_layers(k=k, **_rows(slice(start, start + step), runs, law, members, landing, clustering,
                                                foci, mechanisms, uniform, extra_triadic))
                 for start in range(0, runs, step)]
        return Reach(*(np.concatenate([getattr(part, name) for part in parts])
                       for name in ("second", "third", "second_clustering")))
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
