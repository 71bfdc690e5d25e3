"""The straight answer at the top of the index: will a bigger network get the member's posts to 1,000
views, said at the member's own size and from their own posts where the export has them, then one line
of what to do. Every sentence is built from the verdicts' figures and links to the page that shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.report.ledger import NOT_COUNTED
from helpers.sections import section

#: What a Complete archive adds that a Basic one lacks, and how to ask for it.
COMPLETE_ARCHIVE = ("Your export is the Basic archive: it holds no posts and no creator analytics, so what your "
                    "own posts reached cannot be counted and the answers below speak for members like you. To "
                    "have yours: on linkedin.com, Me, Settings & Privacy, Data privacy, Get a copy of your data, "
                    "\"Download larger data archive\" (it usually arrives within a day); put the creator-analytics "
                    "workbooks (Analytics, Content, Export) beside the zip.")


@dataclass(frozen=True)
class Sentence:
    text: str
    href: str = ""


def _part(records: dict[str, dict], claim: str, key: str) -> dict | None:
    """The part of ``claim`` judged in the section with ``key`` when it could be judged."""
    record = records.get(claim)
    return next((p for p in record["details"]["parts"] if p.get("key") == key and p["verdict"] not in NOT_COUNTED),
                None) if record else None


def _page(stem: str) -> str:
    return section(stem).page


def answer(records: list[dict], archive_type: str) -> list[Sentence]:
    """Three or four sentences: the member's own hit rate since 500, a typical post now and at double the
    network, the connections needed for even odds, and what matters more than size; the Basic archive's
    missing answers said as such."""
    by_id = {r["id"]: r for r in records}
    said = []
    own = _part(by_id, "views-1000-at-500", "data")
    if own:
        d = own["details"]
        said.append(Sentence(f"Since you passed 500 connections, {d['hits']} of your {d['posts']} posts reached "
                             f"1,000 impressions ({d['share']:.0%}); the middle one had {d['median_impressions']:,.0f}.",
                             _page("05-your-posts")))
    elif archive_type == "Basic":
        said.append(Sentence(COMPLETE_ARCHIVE, _page("05-your-posts")))
    else:
        said.append(Sentence("Your export holds no analytics of your posts past 500 connections, so what they "
                             "reached cannot be counted; the model below speaks for members like you.",
                             _page("05-your-posts")))
    wider = _part(by_id, "wider-post-audience", "model")
    if wider:
        d = wider["details"]
        whose = "a typical post of yours" if d.get("own_posts") else "a typical post by a member of your size"
        said.append(Sentence(f"In the model, {whose} gets about {d['median_now']:,.0f} impressions at your "
                             f"{d['current']:,} connections and about {d['median_larger']:,.0f} at {d['larger']:,}: "
                             f"{d['ratio']:.1f} times as many (95% interval {d['ratio_low']:.1f} to "
                             f"{d['ratio_high']:.1f} times).", _page("07-who-sees-your-posts")))
    views = _part(by_id, "views-1000-at-500", "model")
    if views:
        d = views["details"]
        needed = d.get("connections_for_even_odds")
        odds = (f"even odds of 1,000 impressions on a post take about {needed:,} connections" if needed else
                "even LinkedIn's cap of 30,000 connections does not give even odds of 1,000 impressions")
        said.append(Sentence(f"At 500 connections a post reaches 1,000 impressions with a chance of "
                             f"{d['p_views_ge_1000_at_500']:.0%} (95% interval {d['ci_low']:.0%} to "
                             f"{d['ci_high']:.0%}); {odds}.", _page("07-who-sees-your-posts")))
    if views and wider and {"author_typical_q25_at_500", "author_typical_q75_at_500"} <= set(views["details"]):
        d, ratio = views["details"], wider["details"]["ratio"]
        low, high = d["author_typical_q25_at_500"], d["author_typical_q75_at_500"]
        spread = high / max(low, 1e-9)
        if not d.get("own_posts"):
            said.append(Sentence(f"Members differ more than network size does: half of those with 500 connections have "
                                 f"a typical post between {low:,.0f} and {high:,.0f} impressions, {spread:.1f} times "
                                 f"apart, while doubling a network gives {ratio:.1f} times; what and how you post "
                                 f"{'matters more than' if spread > ratio else 'matters about as much as'} how many "
                                 f"you know.", _page("07-who-sees-your-posts")))
    return said


def what_to_do(records: list[dict]) -> Sentence | None:
    """One line of what to do, from the audience verdicts: grow for reach only when it pays off."""
    by_id = {r["id"]: r for r in records}
    wider = _part(by_id, "wider-post-audience", "model")
    if not wider:
        return None
    ratio = wider["details"]["ratio"]
    if ratio >= 2:
        text = "Growing your network grows your audience at least in proportion: connecting widely pays off in views."
    elif ratio >= 1.1:
        text = (f"Grow your network for the people in it, not for views: doubling it brings about {ratio:.1f} times "
                f"the impressions, not twice as many; invite people you would talk to, and post what they want to read.")
    else:
        text = "A bigger network would bring you hardly any more impressions: spend the effort on your posts instead."
    return Sentence(text, _page("07-who-sees-your-posts"))
