"""The claims ledger: every claim once, with its verdict, evidence, robustness and where it is shown.

Notebooks write their verdicts into the report folder (:mod:`helpers.report.pages`). Where two notebooks
judge the same claim (your own data and the model; the reach and the feed halves), the ledger shows
both and combines them by :func:`combine`, the rule written down here with the claims:

- a part that is ``not testable`` or ``not informative`` does not count;
- when the parts that count agree, that is the verdict;
- when they disagree, the claim is ``mixed``;
- when no part counts, the claim is ``not testable``.

A claim is *uncertain* when a part that counts holds in fewer than ``ROBUST_SHARE`` of the joint draws
over the model's assumptions: its verdict stands, and is shown with less weight.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from helpers.claims import CLAIMS
from helpers.model.judging import ROBUST_SHARE
from helpers.model.strategies import LABELS
from helpers.report.pages import verdict_records
from helpers.sections import BY_STEM, MODELLED, Section

#: Verdicts that do not count in the combination (see the module's rule).
NOT_COUNTED = ("not testable", "not informative")


@dataclass(frozen=True)
class Part:
    notebook: str
    record: dict

    @property
    def section(self) -> Section | None:
        """The registered section that judged this part (None for a notebook outside the registry)."""
        return BY_STEM.get(self.notebook)

    @property
    def name(self) -> str:
        """The name of this half of the claim (empty for a section that never shares a claim)."""
        return self.section.part if self.section else ""

    @property
    def label(self) -> str:
        return self.section.label if self.section else self.notebook

    @property
    def key(self) -> str:
        return (self.section.key if self.section else "") or self.notebook

    @property
    def about(self) -> str:
        return self.section.about if self.section else "you"

    @property
    def counts(self) -> bool:
        return self.record["verdict"] not in NOT_COUNTED


def combine(verdicts: list[str]) -> str:
    """The combined verdict of a claim judged in several places (see the module's rule).

    >>> combine(["supported", "not testable"])
    'supported'
    >>> combine(["supported", "not supported"])
    'mixed'
    >>> combine(["not testable", "not testable"])
    'not testable'
    """
    counted = [v for v in verdicts if v not in NOT_COUNTED]
    if not counted:
        return "not testable"
    return counted[0] if len(set(counted)) == 1 else "mixed"


def collect(folder: Path) -> dict[str, list[Part]]:
    """Every verdict record in a report folder, by claim (in the order of :data:`helpers.claims.CLAIMS`),
    in notebook order."""
    parts: dict[str, list[Part]] = {claim: [] for claim in CLAIMS}
    for notebook, record in verdict_records(folder):
        parts.setdefault(record["id"], []).append(Part(notebook, record))
    return parts


def _robustness(parts: list[Part]) -> str:
    if any("sources" in p.record["details"] for p in parts):
        return "LinkedIn's documentation, and your own count"
    shares = [(p.label, p.record["details"]["robust_share"])
              for p in parts if "robust_share" in p.record["details"]]
    if shares:
        return "; ".join(f"{name}: holds in {share:.0%} of joint draws" for name, share in shares)
    return "from your data" if any(p.record["verdict"] not in ("not testable",) for p in parts) else ""


def _robust(parts: list[Part]) -> bool | None:
    """Whether the counted parts hold over the assumptions' ranges (None when no part was re-checked)."""
    checked = [p.record["details"]["robust_share"] for p in parts if p.counts and "robust_share" in p.record["details"]]
    return None if not checked else min(checked) >= ROBUST_SHARE


def _about(parts: list[Part]) -> str:
    """Whom the claim's verdict is about: the member (their own data), members like them (a model), or both."""
    whom = list(dict.fromkeys(p.about for p in parts if p.counts)) or [parts[0].about]
    return " and ".join(sorted(whom, key=lambda w: w == MODELLED))


def in_words(verdict: str, parts: list[Part]) -> str:
    """A claim judged in several places, in one sentence: each part's verdict, then the claim's and why.

    >>> parts = [Part("05-your-posts", {"verdict": "mixed"}), Part("07-who-sees-your-posts", {"verdict": "supported"})]
    >>> in_words("mixed", parts)
    'your own posts: mixed; model: supported; overall mixed, because they disagree'
    """
    listed = "; ".join(f"{p.label}: {p.record['verdict']}" for p in parts)
    counted = [p for p in parts if p.counts]
    if not counted:
        why = "no part could be judged"
    elif len(counted) < len(parts):
        why = f"only {' and '.join(p.label for p in counted)} could be judged"
    elif len({p.record['verdict'] for p in counted}) > 1:
        why = "they disagree"
    else:
        why = "they agree"
    return f"{listed}; overall {verdict}, because {why}"


def ledger(folder: Path) -> list[dict]:
    """The combined records ``{id, claim, source, verdict, evidence, details}``, one per claim."""
    records = []
    for claim_id, parts in collect(folder).items():
        text, source = CLAIMS[claim_id]
        if not parts:
            records.append({"id": claim_id, "claim": text, "source": source, "verdict": "not testable",
                            "evidence": "No section of this report judged it.",
                            "details": {"parts": [], "robust": None, "about": "you"}})
            continue
        verdict = combine([p.record["verdict"] for p in parts])
        if len(parts) == 1:
            evidence = parts[0].record["evidence"]
        else:
            evidence = " ".join(f"{p.name.capitalize()}: {p.record['verdict']}. {p.record['evidence']}" for p in parts)
        records.append({
            "id": claim_id, "claim": text, "source": source, "verdict": verdict, "evidence": evidence,
            "details": {
                "combined_by": "parts that are not testable or not informative do not count; agreeing parts give their verdict, "
                               "disagreeing parts give mixed" if len(parts) > 1 else None,
                "robustness": _robustness(parts),
                "robust": _robust(parts),
                "about": _about(parts),
                "in_words": in_words(verdict, parts) if len(parts) > 1 else None,
                "covers": "; ".join(dict.fromkeys(p.record["details"]["covers"] for p in parts
                                                  if p.record["details"].get("covers"))) or None,
                "parts": [{"notebook": p.notebook, "name": p.name, "key": p.key, "verdict": p.record["verdict"],
                           "evidence": p.record["evidence"], "details": p.record["details"]} for p in parts],
            },
        })
    return records


def write_claims(folder: Path) -> list[dict]:
    """Write ``claims.json`` (the ledger) into the report folder and return it."""
    records = ledger(folder)
    (folder / "claims.json").write_text(json.dumps(records, ensure_ascii=False, indent=1, default=str))
    return records


def advice(records: list[dict]) -> list[str]:
    """'What this means for you': plain sentences drawn from the verdicts' figures (each only when the
    claim was judged, and saying what its verdict says)."""
    by_id = {r["id"]: r for r in records}

    def part(claim: str, name: str) -> dict | None:
        return next((p for p in by_id[claim]["details"]["parts"]
                     if p["name"] == name and p["verdict"] not in ("not testable", "not informative")), None)

    lines = []
    views = part("views-1000-at-500", "model")
    if views:
        details = views["details"]
        needed = details.get("connections_for_even_odds")
        whose = ("Your typical post at 500 connections would lie between" if details.get("own_posts") else
                 "Members differ: half of those with 500 connections have a typical post between")
        spread = (f" {whose} {details['author_typical_q25_at_500']:,.0f} and "
                  f"{details['author_typical_q75_at_500']:,.0f} impressions ({details['year']:.0f})."
                  if "author_typical_q25_at_500" in details else "")
        lines.append(f"At 500 connections a post reaches 1,000 impressions with probability "
                     f"{details['p_views_ge_1000_at_500']:.0%} (95% interval {details['ci_low']:.0%}-"
                     f"{details['ci_high']:.0%}); " + (f"even odds take about {needed:,} connections." if needed else
                                                       "even 30,000 connections do not give even odds.") + spread)
    reach = part("quality-over-quantity", "reach")
    if reach:
        details = reach["details"]
        best = LABELS.get(details.get("best_selective_per_invitation", ""), "selective invitations").lower()
        versus = {"win": "more than", "loss": "less than", "tie": "about as much as"}
        lines.append(f"Per invitation sent, {best} add the most to your 2nd degree, since more of them accept; per "
                     f"accepted connection, the best selective strategy adds {versus[details['per_accepted']]} a "
                     f"batch invitation to a stranger does.")
    fof = by_id["fof-exponential"]
    if fof["verdict"] in ("supported", "not supported"):
        lines.append("Connecting with friends of friends grows your 2nd degree "
                     + ("faster than linearly." if fof["verdict"] == "supported" else
                        "roughly linearly, not exponentially."))
    feed = part("feed-more-content", "feed")
    if feed:
        more = feed["verdict"] == "supported"
        lines.append("You see about the same number of posts whatever your network's size (attention is fixed); a "
                     "bigger network changes which ones: "
                     + ("more valuable posts by strangers your connections react to." if more else
                        "not clearly more of the valuable posts by strangers that the blogger hoped for."))
    return lines
