"""The claims under test and the verdict record a section makes of one (helpers.report.pages writes them).

Sources: ``000`` is the article on growing a LinkedIn network (connections of connections, the
"500 cap", noise to signal, invitations, colleagues, inner circle); ``002`` is the blogger who
expected 1,000 views once past 500 connections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: A model half whose answer is fixed by its own construction whatever the data may be ``not informative``:
#: it is shown, and does not count in the combined verdict.
VERDICTS = ("supported", "not supported", "mixed", "not testable", "not informative")

#: Who each source is, as the pages name them.
SOURCE_NAMES = {"002": "the blogger", "000": "the article", "000, 002": "the article and the blogger"}
#: id -> (claim, source): each claim quoted from ``shared/sources`` (fragments joined by " ... "), in the
#: order the report lists them: the blogger's claims (002) first, then the article's (000).
CLAIMS: dict[str, tuple[str, str]] = {
    "feed-more-content": ("If my network were bigger, I'd get more of these articles on my feed.", "002"),
    "wider-post-audience": ("If my network were bigger, I'd reach more people if I have something to share.", "002"),
    "views-1000-at-500": ("When I grow my LinkedIn network to 500+ connections, my next availability update ... "
                          "will reach 1000 views.", "002"),
    "second-third-degree-growth": ("Your second- and third degree network grows, so you'll end up higher in "
                                   "search results.", "002"),
    "more-engagement": ("More profile views, likes comments and shares, which is better for your personal brand.",
                        "002"),
    "people-also-viewed": ("You\u2019re also more likely to appear in \u201cPeople Also Viewed\u201d sections. ... "
                           "You'll appear more often in People Similar To.", "000, 002"),
    "badge-social-proof": ("People know that high connection counts look impressive and will connect with someone "
                           "just because they already have 500+. ... 500+ badge gives you more credibility as a "
                           "networker.", "000, 002"),
    "spam-rises": ("So what are the downside of a large network? ... Spam, although this ... can be easily "
                   "managed", "002"),
    "reflects-on-you": ("if they connect to \"bad\" people through you, this will reflect on you.", "002"),
    "more-visibility": ("Having more connections makes you more visible in LinkedIn search results, which can be "
                        "helpful for personal branding.", "000"),
    "fof-exponential": ("Connecting with connections of connections ... making it easy to expand your network "
                        "exponentially.", "000"),
    "noise-to-signal": ("Higher noise to signal ratio ... The more connections you have, the more potential updates "
                        "and notifications you\u2019ll receive.", "000"),
    "free-cap-500": ("It\u2019s the maximum number of connections you can have with a free account ... LinkedIn limits "
                     "the number of connections free users can have to 500.", "000"),
    "premium-past-500": ("With over 500 connections, you must upgrade to a premium account to continue adding "
                         "more.", "000"),
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
    "time-to-maintain": ("Time consuming to maintain ... With 500+ connections, it becomes challenging to devote "
                         "time to each individual.", "000"),
    "look-influential": ("Look influential and popular ... people equate connection size with popularity and "
                         "influence.", "000"),
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
