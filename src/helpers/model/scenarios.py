"""Runs of the reach model: settings of the platform per run, their joint draws, and a LinkedIn member's layers.

A :class:`Scenario` is one row per run: a Monte Carlo run at one setting of the assumptions, or a joint draw
over every assumption's range (:func:`platform_draws`, a Latin hypercube with the fitted laws' bootstrap
replicates); runs that share a ``stream`` share their random numbers, so settings compare without noise.
:func:`layer_sizes` applies the engine (``helpers.model.occupancy``) to a member whose connections are given by
their employer and job-function codes, with each employer's size drawn per run: the :class:`Layers` it returns
hold the mean 1st, 2nd and 3rd degree over the runs and their 90% bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl
from scipy.special import ndtri

from helpers.model import assumptions
from helpers.model.degrees import DegreeLaw
from helpers.model.landing import Landing
from helpers.model.occupancy import Focus, connection_layers
from helpers.model.overlap_laws import Mechanisms, fitted_mechanisms, mechanism_replicates
from helpers.model.platform import PLATFORM_ASSUMPTIONS, Platform, platform_landing


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

