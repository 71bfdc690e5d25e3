"""The rules every model verdict shares: too few connections to model, the member's size beside the
larger one the claim speaks of, and how robust a verdict is over joint draws of the assumptions.

They judge model curves, so they sit with the models; the verdict record itself is ``helpers.claims``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers.claims import Verdict, not_testable
from helpers.evidence.profile import CONNECTION_CAP, larger_network
from helpers.model import assumptions

#: A verdict is robust when it holds in at least this share of the joint draws over the assumptions.
ROBUST_SHARE = 0.90
#: Whom a model figure is about: the models are fed the member's size and make-up (the shares of colleagues
#: and of their own job function), not their own network, so what they give is a typical member's figure.
TYPICAL_OF_YOUR_SIZE = "a typical member of your size and make-up"


def robustness_table(judge, names, *, draws: int, seed=None) -> pl.DataFrame:
    """The claims judged at ``draws`` joint settings of the named assumptions (a Latin hypercube, each
    assumption spread evenly over its whole range): one row per draw and claim, with the setting.

    ``judge(setting)`` returns the verdicts at ``setting`` ({assumption name: value}).
    """
    settings = assumptions.joint_draws(list(names), draws, seed, shape="uniform").drop("draw")
    rows = []
    for draw, setting in enumerate(settings.iter_rows(named=True)):
        rows += [{"draw": draw, "claim": v.id, "verdict": v.verdict, **setting} for v in judge(setting)]
    return pl.DataFrame(rows)


def with_joint_robustness(verdict: Verdict, table: pl.DataFrame) -> Verdict:
    """The verdict with the share of :func:`robustness_table`'s draws in which it holds (``robust`` when
    at least ``ROBUST_SHARE``) and the assumptions that drive the flips: those whose low and high halves
    of their range flip the verdict at rates at least 10 points and two standard errors apart (closer
    than that, the halves differ by chance)."""
    mine = table.filter(pl.col("claim") == verdict.id) if table.height else table
    if verdict.verdict == "not testable" or mine.is_empty():
        return verdict
    holds = (mine["verdict"] == verdict.verdict).cast(pl.Float64)
    drivers = []
    for name in (c for c in mine.columns if c not in ("draw", "claim", "verdict")):
        values = mine[name]
        if values.n_unique() < 2:
            continue
        cut = float(values.median())
        low_half, high_half = holds.filter(values <= cut), holds.filter(values > cut)
        low_flip, high_flip = 1 - low_half.mean(), 1 - high_half.mean()
        pooled = 1 - float(holds.mean())
        error = np.sqrt(pooled * (1 - pooled) * (1 / max(low_half.len(), 1) + 1 / max(high_half.len(), 1)))
        if abs(high_flip - low_flip) >= max(0.10, 2 * error):
            drivers.append((abs(high_flip - low_flip), name, low_flip, high_flip, cut))
    details = dict(verdict.details)
    share = float(holds.mean())
    details.update({
        "robust_share": share, "robust": share >= ROBUST_SHARE, "robust_draws": mine.height,
        "verdicts_in_draws": dict(sorted(mine["verdict"].value_counts().iter_rows())),
        "drivers": [f"{name} (flips in {high:.0%} of draws above {cut:.3g}, {low:.0%} below)"
                    for _, name, low, high, cut in sorted(drivers, reverse=True)[:3]],
    })
    return Verdict(verdict.id, verdict.verdict, verdict.evidence, details)


#: Below this many identified connections, a network's make-up (colleagues, job functions) cannot be read
#: and the models' "what if it doubled" compares handfuls: their verdicts are not testable.
MIN_MODEL_CONNECTIONS = 20


def too_small(claim_id: str, current: int) -> Verdict | None:
    """A not-testable verdict when ``current`` is under :data:`MIN_MODEL_CONNECTIONS`, else None."""
    if current >= MIN_MODEL_CONNECTIONS:
        return None
    return not_testable(claim_id, f"With {current:,} connections the model has too little to go on: at least "
                                  f"{MIN_MODEL_CONNECTIONS} are needed to read your network's make-up.")


def at_cap(claim_id: str, current: int) -> Verdict | None:
    """A not-testable verdict when a network of ``current`` connections is at LinkedIn's cap and cannot grow,
    else None."""
    if larger_network(current) != current:
        return None
    return not_testable(claim_id, f"Your {current:,} connections are at LinkedIn's cap of {CONNECTION_CAP:,}: the "
                                  "network cannot grow further.")


def now_and_larger(table, current: int, claim_id: str) -> tuple[dict, dict, int] | Verdict:
    """The first rows of ``table`` (a DataFrame with a ``connections`` column, or its rows as dicts) at the member's
    size and at the larger size it is compared with; or a not-testable verdict when the network is at LinkedIn's cap
    and cannot grow."""
    capped = at_cap(claim_id, current)
    if capped:
        return capped
    larger = larger_network(current)
    # one pass over the rows: the verdicts ask this at every joint draw, where a filter per size cost more
    rows = table.iter_rows(named=True) if isinstance(table, pl.DataFrame) else table
    found = {}
    for row in rows:
        if row["connections"] in (current, larger):
            found.setdefault(row["connections"], row)
    return found[current], found[larger], larger
