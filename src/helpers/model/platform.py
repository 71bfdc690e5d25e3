"""LinkedIn as the reach model has it: the platform's assumptions, where ties land on it, and what it makes of a
member's make-up.

:class:`Platform` holds one setting of the ``reach.*`` assumptions (``data/assumptions.toml``: members, their degrees,
the dormant share, employer sizes, job functions, local clustering by degree and degree correlations);
:func:`platform_landing` the landing kernel of its degrees and structure (``helpers.model.landing``), built once per
setting. :func:`member_weights` turns shares of colleagues and of one's own job function into the shares of ties formed
through employers and functions, :func:`everyone_weights` gives everyone's (a typical member's); :func:`closing_share`
is how often a connection's other ties end among the member's own connections (the feed's surfaced posts by
connections).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from helpers.model import assumptions
from helpers.model.degrees import DegreeLaw
from helpers.model.landing import Landing, Structure, landing
from helpers.model.occupancy import CLOSURE_CAP, capped, excess_weight


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
    #: a typical member's shares of connections at their own employer and in their own job function: how everyone's
    #: ties form, the member's connections' included (:func:`everyone_weights`)
    colleague_share: float
    function_share: float

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

    def clustering_at(self, connections: float) -> float:
        """Local clustering of a member with ``connections`` connections on the platform."""
        return float(self.structure().clustering_at(np.array([float(connections)]))[0])


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
    "assortativity": "reach.assortativity", "colleague_share": "reach.typical_colleague_share",
    "function_share": "reach.typical_function_share",
}


def member_weights(colleague_share: float, same_function_share: float, platform: Platform) -> tuple[float, float]:
    """Company and function focus weights of a member with these shares of connections.

    The member's share of connections at their own employers is the company weight (employers are a
    negligible share of the platform); the function weight is the excess share in the member's own
    function over its platform share ``1 / function_groups`` (``helpers.model.occupancy.excess_weight``, as on a
    real graph). The total is capped at ``focus_cap``.
    """
    excess = [excess_weight(colleague_share, 0.0), excess_weight(same_function_share, 1.0 / platform.function_groups)]
    company, function = capped(np.array(excess), platform.focus_cap)
    return float(company), float(function)


def everyone_weights(platform: Platform) -> tuple[float, float]:
    """The shares of everyone's ties formed through employers and through job functions: a typical member's
    (``reach.typical_colleague_share``, ``reach.typical_function_share``). A member's connections form their ties
    as the members of their own employers and functions do, whatever the member's own shares: on the real graphs
    the reach model is validated on, a group's focus weight is read from its members' ties
    (``helpers.model.population.group_focus_weights``), not from the person predicted."""
    return member_weights(platform.colleague_share, platform.function_share, platform)


def closing_share(platform: Platform, connections: int, clustering_at_100: float | None = None,
                  clustering_slope: float | None = None) -> float:
    """Share of a connection's other ties that end among the member's own ``connections`` (chance included):
    each connection knows ``c(k) (k - 1)`` of the others (local clustering by degree, the clustering
    assumptions unless given), out of the other ties of the median member's connections of that size on the
    platform's landing kernel.
    """
    at_100 = platform.clustering_at_100 if clustering_at_100 is None else clustering_at_100
    slope = platform.clustering_slope if clustering_slope is None else clustering_slope
    return _closing_share(platform, int(connections), float(at_100), float(slope))


@cache
def _closing_share(platform: Platform, connections: int, at_100: float, slope: float) -> float:
    """:func:`closing_share`, kept: the feed asks it again for every network it simulates (a function of its
    arguments only, a Platform being a frozen record of values)."""
    law = platform.law()
    alters = platform_landing(platform).alters[0, int(law.cell_of(connections))]
    other_ties = max(float(alters @ np.maximum(law.values - 1, 0.0)), 1.0)
    clustering = Structure.assumed(at_100, slope, platform.assortativity, platform.degree_cap)
    c_k = float(clustering.clustering_at(np.array([float(connections)]))[0])
    return min(c_k * max(connections - 1, 0) / other_ties, CLOSURE_CAP)
