"""Claims settled by LinkedIn's own documentation, and claims no export can observe.

A fact check is ``not supported`` when LinkedIn documents otherwise; the member's own count is direct
evidence beside it. A claim about what other people see or think (search ranking, "People Also Viewed",
reputation) is ``not testable`` with the reason: an export holds the member's own data only.
"""

from __future__ import annotations

from helpers.claims import Verdict, not_testable
from helpers.evidence import profile

NETWORK_LIMIT_SOURCE = "LinkedIn Help, 'Network size limit' (a551012): a maximum of 30,000 1st-degree connections"
DISPLAY_SOURCE = "LinkedIn For Dummies (2nd ed.), and others: profiles show the exact count up to 500, then '500+'"
PREMIUM_SOURCE = ("LinkedIn Help, 'LinkedIn Premium features' (a550950): Premium adds InMail, insights and "
                  "learning; the network size limit is the same 30,000 for every member")


def free_cap(connections: int) -> Verdict:
    """free-cap-500: 500 is the most a free account can have."""
    shown = profile.DISPLAY_CAP
    above = connections > shown
    return Verdict("free-cap-500", "not supported",
                   f"LinkedIn's limit is {profile.CONNECTION_CAP:,} first-degree connections for every member; "
                   f"profiles show \"{shown}+\" above {shown}. You have {connections:,} connections"
                   + (f", more than {shown} yourself." if above else "."),
                   {"documented_cap": profile.CONNECTION_CAP, "display_cap": shown,
                    "your_connections": connections, "direct_evidence": above,
                    "rule": "a fact check: not supported when LinkedIn documents a higher cap; your own count above "
                            f"{shown} is direct evidence",
                    "sources": [NETWORK_LIMIT_SOURCE, DISPLAY_SOURCE]})


def premium_past_500(connections: int, added_past_500: int) -> Verdict:
    """premium-past-500: past 500 connections one must upgrade to Premium to add more."""
    own = (f" You added {added_past_500:,} connections after your {profile.DISPLAY_CAP}th." if added_past_500 else
           f" You have {connections:,} connections." if connections <= profile.DISPLAY_CAP else "")
    return Verdict("premium-past-500", "not supported",
                   f"Every member, free or Premium, may have up to {profile.CONNECTION_CAP:,} connections; Premium "
                   f"does not raise the limit.{own}",
                   {"documented_cap": profile.CONNECTION_CAP, "added_past_500": added_past_500,
                    "direct_evidence": added_past_500 > 0,
                    "rule": "a fact check: not supported when LinkedIn documents the same limit for every member; "
                            f"connections you added past your {profile.DISPLAY_CAP}th are direct evidence (your account "
                            "type is not in the export)",
                    "sources": [NETWORK_LIMIT_SOURCE, PREMIUM_SOURCE]})


#: Claims about what others see or think, or about time: why an export cannot judge them.
UNOBSERVABLE = {
    "people-also-viewed": "\"People Also Viewed\" and \"People Similar To\" are shown to other members by LinkedIn's "
                          "recommender; neither your export nor any public data records when you appear there.",
    "look-influential": "How influential or popular others find you is in their heads, not in your export; no public "
                        "study measured how connection counts change that impression on LinkedIn.",
    "reflects-on-you": "Whom others connect to through you, and what they think of you for it, is in their exports, "
                       "not yours.",
    "time-to-maintain": "The export records connections, invitations and messages, not the time you spend on them; "
                        "how the time needed grows with the network cannot be read from it.",
}


def unobservable() -> list[Verdict]:
    """The claims no export can test, each ``not testable`` with its reason."""
    return [not_testable(claim_id, reason, observable=False) for claim_id, reason in UNOBSERVABLE.items()]
