"""The claims under test, and the verdict records notebooks write for the report to collect.

Sources: ``000`` is the article on growing a LinkedIn network (connections of connections, the
"500 cap", noise to signal, invitations, colleagues, inner circle); ``002`` is the blogger who
expected 1,000 views once past 500 connections.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from helpers.paths import resolve

#: A model half whose answer is fixed by its own construction whatever the data may be ``not informative``:
#: it is shown, and does not count in the combined verdict.
VERDICTS = ("supported", "not supported", "mixed", "not testable", "not informative")
VERDICT_SUFFIX = ".verdicts.json"
#: A verdict is robust when it holds in at least this share of the joint draws over the assumptions.
ROBUST_SHARE = 0.90

#: id -> (claim, source): each claim quoted from ``shared/sources`` (fragments joined by " ... ").
CLAIMS: dict[str, tuple[str, str]] = {
    "feed-more-content": ("If my network were bigger, I'd get more of these articles on my feed.", "002"),
    "wider-post-audience": ("If my network were bigger, I'd reach more people if I have something to share.", "002"),
    "views-1000-at-500": ("When I grow my LinkedIn network to 500+ connections, my next availability update ... "
                          "will reach 1000 views.", "002"),
    "second-third-degree-growth": ("Your second- and third degree network grows, so you'll end up higher in "
                                   "search results.", "002"),
    "more-visibility": ("Having more connections makes you more visible in LinkedIn search results, which can be "
                        "helpful for personal branding.", "000"),
    "fof-exponential": ("Connecting with connections of connections ... making it easy to expand your network "
                        "exponentially.", "000"),
    "noise-to-signal": ("Higher noise to signal ratio ... The more connections you have, the more potential updates "
                        "and notifications you\u2019ll receive.", "000"),
    "free-cap-500": ("It\u2019s the maximum number of connections you can have with a free account ... LinkedIn limits "
                     "the number of connections free users can have to 500.", "000"),
    "colleagues-large-share": ("Current or former colleagues make up a significant portion of most users\u2019 "
                               "connections.", "000"),
    "personalized-invites": ("Personalized connection invitations are better received than generic mass "
                             "invites.", "000"),
    "ignored-invites-rise": ("So the more invites you send, the lower your acceptance rate will be.", "000"),
    "inner-circle": ("Most people end up only interacting with a small inner circle rather than their whole "
                     "network.", "000"),
    "quality-over-quantity": ("Quality over quantity ... Genuine professional relationships bring far more value "
                              "than superficial connections.", "000"),
    "access-to-opportunities": ("You\u2019re more likely to hear about new jobs, projects, events, and industry "
                                "trends with more connections.", "000"),
    "lower-quality-connections": ("When you connect indiscriminately, the likelihood of meaningless connections "
                                  "increases substantially.", "000"),
    "premium-past-500": ("With over 500 connections, you must upgrade to a premium account to continue adding "
                         "more.", "000"),
    "badge-social-proof": ("People know that high connection counts look impressive and will connect with someone "
                           "just because they already have 500+. ... 500+ badge gives you more credibility as a "
                           "networker.", "000, 002"),
    "more-engagement": ("More profile views, likes comments and shares, which is better for your personal brand.",
                        "002"),
    "spam-rises": ("So what are the downside of a large network? ... Spam, although this ... can be easily "
                   "managed", "002"),
    "time-to-maintain": ("Time consuming to maintain ... With 500+ connections, it becomes challenging to devote "
                         "time to each individual.", "000"),
    "people-also-viewed": ("You\u2019re also more likely to appear in \u201cPeople Also Viewed\u201d sections. ... "
                           "You'll appear more often in People Similar To.", "000, 002"),
    "look-influential": ("Look influential and popular ... people equate connection size with popularity and "
                         "influence.", "000"),
    "reflects-on-you": ("if they connect to \"bad\" people through you, this will reflect on you.", "002"),
}


@dataclass(frozen=True)
class Verdict:
    """One judgement of one claim by one notebook.

    ``evidence`` is the one line a reader sees (with its number and interval); ``details`` holds the
    figures behind it, the rule applied, and the caveats.
    """

    id: str
    verdict: str
    evidence: str
    details: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.id not in CLAIMS:
            raise ValueError(f"unknown claim id {self.id!r}; known: {sorted(CLAIMS)}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {self.verdict!r}")

    @property
    def claim(self) -> str:
        return CLAIMS[self.id][0]

    @property
    def source(self) -> str:
        return CLAIMS[self.id][1]

    def record(self) -> dict:
        """The JSON record: ``{id, claim, source, verdict, evidence, details}``."""
        return {"id": self.id, "claim": self.claim, "source": self.source, "verdict": self.verdict,
                "evidence": self.evidence, "details": self.details}


def not_testable(claim_id: str, why: str, **details: object) -> Verdict:
    """A verdict for a claim this export cannot judge, saying why."""
    return Verdict(claim_id, "not testable", why, {"reason": why, **details})


def write_verdicts(output_dir: str | Path, notebook: str, verdicts: list[Verdict]) -> Path:
    """Write a notebook's verdicts as a JSON list of records into the report folder."""
    target = resolve(output_dir) / f"{notebook}{VERDICT_SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    records = [v.record() for v in verdicts]
    target.write_text(json.dumps(records, ensure_ascii=False, indent=1, default=_jsonable))
    return target


def _jsonable(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def robustness_table(judge, names, *, draws: int, seed=None) -> pl.DataFrame:
    """The claims judged at ``draws`` joint settings of the named assumptions (a Latin hypercube, each
    assumption spread evenly over its whole range): one row per draw and claim, with the setting.

    ``judge(setting)`` returns the verdicts at ``setting`` ({assumption name: value}).
    """
    from helpers import assumptions

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


def now_and_larger(table, current: int, claim_id: str) -> tuple[dict, dict, int] | Verdict:
    """The rows of ``table`` (a ``connections`` column) at the member's size and at the larger size it is
    compared with; or a not-testable verdict when the network is at LinkedIn's cap and cannot grow."""
    import polars as pl

    from helpers.profile import larger_network

    larger = larger_network(current)
    if larger == current:
        return not_testable(claim_id, f"Your {current:,} connections are at LinkedIn's cap of 30,000: the network "
                                      "cannot grow further.")
    row = lambda size: table.filter(pl.col("connections") == size).row(0, named=True)  # noqa: E731
    return row(current), row(larger), larger
