"""The reach model's two fitted overlap laws, as ``make mechanisms`` wrote them (``data/reach_mechanisms.csv``).

- **overlap among the connections' circles**: a share ``psi = exp(-a m)`` of the connections' outward ties lands
  independently of each other's circles, ``m = c(k) (k - 1)`` the number of the member's other connections each
  connection knows;
- **overlap among the 2nd degree's circles**: a share ``psi3 = exp(-a3 c2)`` of the 2nd degree's outward ties does,
  ``c2`` the local clustering of the 2nd degree's members.

Replicate 0 of the file is the fit on every shared graph, replicates 1.. a bootstrap over graphs, which the
model's bands draw from. How they are measured and fitted is ``helpers.model.mechanisms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from helpers.paths import DATA_DIR

MECHANISMS_FILE = DATA_DIR / "reach_mechanisms.csv"


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


#: What each fitted law says, as the pages explain it.
MEANINGS = {
    "overlap_scale": "a in psi = exp(-a m): each of your other connections a connection knows (m of them) costs it "
                     "this share of the new people it reaches",
    "third_overlap_scale": "a3 in psi3 = exp(-a3 c2): the same one layer out, c2 the local clustering of your 2nd "
                           "degree's members",
}


def fit_table() -> pl.DataFrame:
    """The two laws' fitted values with the 5% and 95% of their bootstrap replicates, and what each says."""
    table = _mechanism_table()
    fitted, spread = table.filter(pl.col("replicate") == 0), table.filter(pl.col("replicate") > 0)
    return pl.DataFrame([{"parameter": name, "value": fitted[name][0], "low": spread[name].quantile(0.05),
                          "high": spread[name].quantile(0.95), "meaning": text} for name, text in MEANINGS.items()])


@cache
def _mechanism_table() -> pl.DataFrame:
    if not MECHANISMS_FILE.exists():
        raise FileNotFoundError(f"{MECHANISMS_FILE} is missing: run `make mechanisms` "
                                "(python -m helpers.model.mechanisms --graphs ../shared/datasets)")
    return pl.read_csv(MECHANISMS_FILE, comment_prefix="#")

