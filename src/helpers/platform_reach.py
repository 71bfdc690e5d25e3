"""The focus model at LinkedIn's scale: a member's 2nd and 3rd degree among ~10^9 members.

A population of 10^9 cannot be generated, and need not be: the member's 2nd degree is made of the
people their connections' ties land on. Ties through a company land among that company's members
(a few hundred to a few hundred thousand), ties through a job function among tens of millions, and
random ties anywhere. For a group of ``n`` members receiving ``S`` ties, each landing on a member
with probability proportional to the member's degree, the expected number of distinct members hit
is exactly ``n * E_d[1 - exp(-S d / (n mu))]`` (Poisson occupancy with the degree distribution),
so the 2nd degree is a sum over the groups the member's connections are in. The 3rd degree is
extended the same way from the 2nd, and saturates against the platform's size. Random parts (the
degrees of the member's connections, company sizes) are drawn with a seed over several runs, which
gives the intervals.

The same model is generated explicitly by :func:`helpers.population.focus_graph`; a test checks that
both give the same layer sizes on a population small enough to generate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from helpers import assumptions


@dataclass(frozen=True)
class Platform:
    """The population's assumptions (see ``data/assumptions.toml``)."""

    members: float
    degree_median: float
    degree_sigma: float
    degree_cap: int
    company_size_median: float
    company_size_sigma: float
    function_groups: int
    triadic: float
    focus_cap: float

    @classmethod
    def from_assumptions(cls, **overrides: float) -> Platform:
        names = {
            "members": "reach.members", "degree_median": "reach.degree_median",
            "degree_sigma": "reach.degree_sigma", "degree_cap": "reach.degree_cap",
            "company_size_median": "reach.company_size_median", "company_size_sigma": "reach.company_size_sigma",
            "function_groups": "reach.function_groups", "triadic": "reach.triadic_share",
            "focus_cap": "reach.focus_cap",
        }
        unknown = set(overrides) - set(names)
        if unknown:
            raise ValueError(f"unknown platform settings {sorted(unknown)}")
        values = {field: overrides.get(field, assumptions.value(name)) for field, name in names.items()}
        values["degree_cap"] = int(values["degree_cap"])
        values["function_groups"] = int(values["function_groups"])
        return cls(**values)

    def with_(self, **changes: float) -> Platform:
        return replace(self, **changes)


class Degrees:
    """A capped lognormal degree distribution, with the occupancy function phi precomputed.

    ``phi(x) = E_d[1 - exp(-x d / mu)]``: the chance a member is hit when a group receives ``x``
    ties per member; ``phi_biased`` is the same for a member picked in proportion to degree.
    """

    def __init__(self, median: float, sigma: float, cap: int, seed: int = 0, sample: int = 200_000,
                 values: np.ndarray | None = None):
        rng = np.random.default_rng(seed)
        if values is None:
            values = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(median), sigma, sample))), cap)
        self.values = np.asarray(values, dtype=float)
        self.mu = float(self.values.mean())
        self.kappa = float((self.values * (self.values - 1)).sum() / self.values.sum())
        self._grid = np.geomspace(1e-10, 1e6, 700)
        # 4,000 stratified quantiles stand for the distribution in the expectations (a 200k x 700 table would not fit)
        strata = np.quantile(self.values, (np.arange(4000) + 0.5) / 4000)
        hit = -np.expm1(-np.outer(self._grid, strata / self.mu))
        self._phi = hit.mean(axis=1)
        self._phi_biased = (hit * strata).sum(axis=1) / strata.sum()

    def _interp(self, table: np.ndarray, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        out = np.interp(np.log(np.clip(x, 1e-10, 1e6)), np.log(self._grid), table)
        return np.where(x <= 0, 0.0, out)

    def phi(self, x) -> np.ndarray:
        return self._interp(self._phi, x)

    def phi_biased(self, x) -> np.ndarray:
        return self._interp(self._phi_biased, x)

    def size_biased(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Degrees of people reached by following a tie (friends have more friends)."""
        return rng.choice(self.values, size=size, p=self.values / self.values.sum())


def _hashed_normal(codes: np.ndarray, run: int, seed: int) -> np.ndarray:
    """A standard normal draw per company code that depends only on (code, run, seed): every scenario
    of one run sees the same company sizes (common random numbers), however many companies it adds."""
    from scipy.special import ndtri

    x = (codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
         + np.uint64((run * 0x632BE59BD9B4E019 + seed * 0x85EBCA77C2B2AE63) % 2**64))
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    uniform = (x >> np.uint64(11)).astype(np.float64) / float(2**53)
    return ndtri(np.clip(uniform, 1e-12, 1 - 1e-12))


@dataclass(frozen=True)
class Layers:
    """Mean sizes of the 1st, 2nd and 3rd degree over the runs, with 90% bands."""

    l1: int
    l2: float
    l3: float
    l2_band: tuple[float, float]
    l3_band: tuple[float, float]
    l2_runs: np.ndarray
    l3_runs: np.ndarray


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


def layer_sizes(companies: np.ndarray, functions: np.ndarray, platform: Platform, w_company: float,
                w_function: float, *, runs: int = 20, seed=None, degrees: Degrees | None = None,
                company_sizes: dict[int, int] | None = None, extra_triadic: np.ndarray | None = None) -> Layers:
    """Expected 1st, 2nd and 3rd degree of a member whose connections are in ``companies`` and ``functions``.

    Parameters
    ----------
    companies, functions : (k,) int arrays
        Each connection's company and job-function code; -1 where unknown (its ties through that
        focus then land at random).
    platform : Platform
    w_company, w_function : float
        Share of everyone's ties formed through their company and through their job function.
    runs, seed :
        Monte Carlo over connections' degrees and company sizes.
    degrees : Degrees, optional
        The degree distribution (default: the platform's lognormal).
    company_sizes : dict, optional
        Known sizes of some companies (code -> members); others are drawn from the platform's law.
    extra_triadic : (k,) float array, optional
        An additional share of each connection's ties that go to the member's other connections
        (e.g. attendees of one event who know each other).
    """
    rng = np.random.default_rng(seed)
    size_seed = int(rng.integers(2**31))
    degrees = degrees or Degrees(platform.degree_median, platform.degree_sigma, platform.degree_cap, seed=0)
    companies = np.asarray(companies, dtype=np.int64)
    functions = np.asarray(functions, dtype=np.int64)
    k = companies.size
    n_total = float(platform.members)
    t = platform.triadic
    w_random = 1.0 - w_company - w_function
    function_size = n_total / platform.function_groups
    extra = np.zeros(k) if extra_triadic is None else np.asarray(extra_triadic, dtype=float)
    known_company = companies >= 0
    codes, inverse = np.unique(np.where(known_company, companies, -1), return_inverse=True)
    company_of = np.where(known_company, inverse, -1)
    l2_runs, l3_runs = np.zeros(runs), np.zeros(runs)
    for run in range(runs):
        d = degrees.size_biased(k, rng)
        excess = np.maximum(d - 1, 0) * (1 - t) * (1 - extra)
        # company sizes: known, or drawn per company; never fewer than the member's connections there + 1
        counts = np.bincount(company_of[known_company], minlength=codes.size).astype(float)
        drawn = np.exp(np.log(platform.company_size_median)
                       + platform.company_size_sigma * _hashed_normal(codes, run, size_seed))
        sizes = np.maximum(np.round(drawn), counts + 1)
        if company_sizes:
            for position, code in enumerate(codes):
                if code in company_sizes:
                    sizes[position] = max(company_sizes[code], counts[position] + 1)
        # ties of the connections, by focus
        to_company = np.bincount(company_of[known_company], weights=excess[known_company] * w_company,
                                 minlength=codes.size)
        known_function = functions >= 0
        per_function = np.bincount(functions[known_function], weights=excess[known_function] * w_function,
                                   minlength=platform.function_groups)
        spread = (excess * w_random).sum() + (excess[~known_company] * w_company).sum() \
            + (excess[~known_function] * w_function).sum()
        # 2nd degree: company members hit through the company focus beyond what other ties hit,
        # plus everyone hit through function groups and random ties
        background = (per_function.sum() + spread) / n_total  # ties per member from non-company foci
        company_hits = sizes * (degrees.phi(to_company / sizes + background) - degrees.phi(background))
        # hits on the member's own connections are not 2nd degree; each can be hit once (size-biased members)
        wasted_company = counts * degrees.phi_biased(to_company / sizes)
        function_hits = function_size * degrees.phi(per_function / function_size + spread / n_total).sum()
        wasted_other = k * float(degrees.phi_biased(background))
        l2 = max(0.0, company_hits.sum() - wasted_company.sum() + function_hits - wasted_other)
        # 3rd degree: ties of the 2nd degree (each reached in proportion to degree: mean excess kappa)
        a_hits = np.maximum(company_hits - wasted_company, 0)
        b_hits = max(l2 - a_hits.sum(), 0.0)
        back = a_hits * degrees.kappa * (1 - t) * w_company
        again = sizes * (degrees.phi((to_company + back) / sizes + background)
                         - degrees.phi(to_company / sizes + background))
        own_sizes = rng.lognormal(np.log(platform.company_size_median), platform.company_size_sigma, 512)
        per_member = degrees.kappa * (1 - t) * w_company
        new_companies = b_hits * float(np.mean(own_sizes * degrees.phi_biased(per_member / own_sizes)))
        outward = l2 * degrees.kappa * (1 - t) * (1 - w_company)
        spread_out = n_total * float(degrees.phi(outward / n_total)) * (1 - (k + l2) / n_total)
        raw = again.sum() + new_companies + spread_out
        room = max(n_total - 1 - k - l2, 0.0)
        l3 = room * -np.expm1(-raw / room) if room else 0.0
        l2_runs[run], l3_runs[run] = l2, l3
    return Layers(k, float(l2_runs.mean()), float(l3_runs.mean()),
                  (float(np.quantile(l2_runs, 0.05)), float(np.quantile(l2_runs, 0.95))),
                  (float(np.quantile(l3_runs, 0.05)), float(np.quantile(l3_runs, 0.95))), l2_runs, l3_runs)
