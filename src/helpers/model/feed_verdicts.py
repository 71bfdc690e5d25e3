"""The verdicts on the feed claims, judged on the feed model in both growth scenarios.

"More of these articles on my feed" (:func:`judge_more_content`), "a higher noise to signal ratio"
(:func:`judge_noise`) and the feed half of "quality over quantity" (:func:`judge_selective_feed`); each rule is
fixed with its claim (the shared ones are ``helpers.rules``), and each verdict is judged again over joint draws of
every assumption the feed depends on (:func:`robustness`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence.profile import larger_network
from helpers.model.feed_simulation import ASSUMPTIONS, SCENARIOS, FeedParams, curves, grown, strategy_feed
from helpers.model.feed_validation import captured_cards
from helpers.model.judging import TYPICAL_OF_YOUR_SIZE, at_cap, now_and_larger, robustness_table, too_small

#: Noisier: the share of cards the member would not have chosen rises by 2 points or more; not: by under 0.5.
NOISIER_BY = 0.02
NOT_NOISIER_BY = 0.005


def _scenario_rows(table: pl.DataFrame, current: int, claim: str) -> dict[str, tuple[dict, dict, int]] | Verdict:
    """{scenario: (now, doubled, larger)} rows, or a not-testable verdict at the cap."""
    found, rows = {}, list(table.iter_rows(named=True))
    for scenario in SCENARIOS:
        result = now_and_larger([row for row in rows if row["scenario"] == scenario], current, claim)
        if isinstance(result, Verdict):
            return result
        found[scenario] = result
    return found


@dataclass(frozen=True)
class _Judged:
    """A claim judged in each growth scenario: the verdict over both (theirs when they agree, else mixed), each
    scenario's figures, and its line of evidence, joined."""

    verdict: str
    figures: dict[str, object]
    lines: str


def _each_scenario(found: dict[str, tuple[dict, dict, int]], judge) -> _Judged:
    """``judge(now, doubled, larger) -> (verdict, figures, line)`` in each scenario of :func:`_scenario_rows`."""
    verdicts, figures, lines = [], {}, []
    for scenario, (at, doubled, larger) in found.items():
        verdict, figures[scenario], line = judge(at, doubled, larger)
        verdicts.append(verdict)
        lines.append(f"{scenario}: {line}")
    return _Judged(verdicts[0] if len(set(verdicts)) == 1 else "mixed", figures, "; ".join(lines))


def _more_articles(at: dict, doubled: dict, larger: int) -> tuple[str, float, str]:
    """The doubling rule on "these articles" seen a day; the figure is the ratio."""
    ratio = doubled["articles_seen"] / at["articles_seen"]
    return rules.doubling(ratio), ratio, (f"{at['articles_seen'] * 30:.1f} a month now, "
                                          f"{doubled['articles_seen'] * 30:.1f} at {larger:,} (x{ratio:.2f})")


def _noisier(at: dict, doubled: dict, larger: int) -> tuple[str, tuple[float, float], str]:
    """More potential updates and a noisier feed; the figures are the change in noise and the supply ratio."""
    change = doubled["noise_share"] - at["noise_share"]
    supply = doubled["candidates_per_day"] / max(at["candidates_per_day"], 1e-12)
    if change < NOT_NOISIER_BY or supply < rules.DOUBLING_NONE:
        verdict = "not supported"
    elif change >= NOISIER_BY and supply >= rules.DOUBLING_MEANINGFUL:
        verdict = "supported"
    else:
        verdict = "mixed"
    return verdict, (change, supply), (f"candidates x{supply:.2f}, not chosen {at['noise_share']:.0%} now and "
                                       f"{doubled['noise_share']:.0%} at {larger:,} ({change * 100:+.1f} points)")


def judge_more_content(table: pl.DataFrame, current: int):
    """feed-more-content, as written: more of "these articles" (valuable posts by people the member does
    not know, surfaced by a connection's reaction, comment or repost) among the cards the member sees,
    where promoted posts, modules and suggestions take slots too, in both growth scenarios. ``table`` is
    :func:`helpers.model.feed_simulation.curves` at (at least) the member's size and twice it."""
    found = _scenario_rows(table, current, "feed-more-content")
    if isinstance(found, Verdict):
        return found
    if any(at["articles_seen"] <= 0 for at, _, _ in found.values()):
        return not_testable("feed-more-content", "In the model no such article reaches the posts you see at your "
                                                 "network's size, so there is nothing to compare.")
    judged = _each_scenario(found, _more_articles)
    at, doubled, larger = found[SCENARIOS[0]]
    evidence = (f"In the model, for {TYPICAL_OF_YOUR_SIZE}: valuable posts by people one does not know that one's "
                f"connections' reactions, comments and reposts put in the feed, among the cards seen: {judged.lines}. "
                f"Such a member sees about {at['seen_per_day']:.1f} cards a day whatever the network's size, {at['share_promoted']:.0%} of "
                f"them promoted; suggestions take {at['share_suggested']:.1%} now and "
                f"{doubled['share_suggested']:.1%} at {larger:,}; all valuable posts seen: {at['valuable_seen']:.2f} a "
                f"day now, {doubled['valuable_seen']:.2f} at {larger:,} (make-up kept).")
    return Verdict("feed-more-content", judged.verdict, evidence, {
        "ratio_make_up_kept": judged.figures[SCENARIOS[0]], "ratio_indiscriminate": judged.figures[SCENARIOS[1]],
        "articles_now_per_day": at["articles_seen"], "valuable_now": at["valuable_seen"],
        "valuable_doubled": doubled["valuable_seen"], "seen_per_day": at["seen_per_day"],
        "suggested_now": at["share_suggested"], "suggested_doubled": doubled["share_suggested"],
        "reading": "'these articles' are valuable posts by people you do not know that reach you through your "
                   "connections' reactions, comments and reposts, as the blogger's did; 'on my feed' is what you see "
                   "of it, beside the promoted posts, modules and suggestions that take the same slots. The "
                   "re-reading 'a better feed' (all valuable posts seen) is shown beside it and not judged",
        "covers": "the posts surfaced by your connections' activity whose authors are outside your network; the "
                  f"shares of what a feed holds were set beside {captured_cards()} real feed cards, the value of a post is an "
                  "assumption drawn over its range",
        "rule": f"in each growth scenario (make-up kept; indiscriminate), supported if doubling the network raises "
                f"those articles seen a day by at least {rules.DOUBLING_MEANINGFUL - 1:.0%}, not supported if by less "
                f"than {rules.DOUBLING_NONE - 1:.0%}, mixed otherwise; the verdict is the scenarios' when they agree, mixed when "
                f"they do not",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_noise(table: pl.DataFrame, current: int):
    """noise-to-signal, as written: more potential updates (organic candidates a day from the network and
    follows) and a higher noise to signal ratio among the cards seen: a larger share of cards the member
    would not have chosen (promoted posts, LinkedIn modules and organic posts below the valuable threshold;
    the signal is the valuable ones), when the network doubles, in both growth scenarios."""
    found = _scenario_rows(table, current, "noise-to-signal")
    if isinstance(found, Verdict):
        return found
    judged = _each_scenario(found, _noisier)
    changes = {scenario: change for scenario, (change, _) in judged.figures.items()}
    supplies = {scenario: supply for scenario, (_, supply) in judged.figures.items()}
    at, doubled, larger = found[SCENARIOS[0]]
    low_value = at["noise_share"] - at["share_promoted"] - at["share_modules"]
    evidence = (f"In the model, for {TYPICAL_OF_YOUR_SIZE}, doubling the network brings more potential updates "
                f"({at['candidates_per_day']:,.0f} candidate posts a day now, {doubled['candidates_per_day']:,.0f} at "
                f"{larger:,}); of the cards seen, those one would not have chosen (promoted "
                f"{at['share_promoted']:.0%}, modules {at['share_modules']:.0%}, posts below the valuable threshold "
                f"{low_value:.0%}): {judged.lines}.")
    return Verdict("noise-to-signal", judged.verdict, evidence, {
        "change_make_up_kept": changes[SCENARIOS[0]], "change_indiscriminate": changes[SCENARIOS[1]],
        "supply_ratio_make_up_kept": supplies[SCENARIOS[0]], "supply_ratio_indiscriminate": supplies[SCENARIOS[1]],
        "noise_now": at["noise_share"], "promoted_now": at["share_promoted"], "modules_now": at["share_modules"],
        "reading": "'more potential updates' are the organic candidates a day from your connections, their activity "
                   "and the people you follow; 'noise' is what you see and would not have chosen: promoted posts, "
                   "LinkedIn modules and posts below the valuable threshold; the signal is the valuable posts",
        "covers": f"the feed only (notifications are not modelled); promoted posts and modules were set beside "
                  f"{captured_cards()} real feed cards, whether a post is worth choosing rests on the value assumptions, drawn over their "
                  "ranges",
        "rule": f"in each growth scenario, supported if doubling the network raises the candidates a day by at least "
                f"{rules.DOUBLING_MEANINGFUL - 1:.0%} and the share of cards seen that you would not have chosen by "
                f"{NOISIER_BY * 100:.0f} points or more; not supported if that share rises by less than "
                f"{NOT_NOISIER_BY * 100:.1f} points (or falls) or the candidates rise by less than "
                f"{rules.DOUBLING_NONE - 1:.0%}; mixed otherwise; the verdict is the scenarios' when they agree, mixed when "
                f"they do not",
        "bias": "The export holds no record of your feed: this is the model only.",
    })


def judge_selective_feed(strategies_table: pl.DataFrame, tie_margin: float = rules.TIE_MARGIN) -> Verdict:
    """quality-over-quantity, feed half: the valuable posts seen per connection added by the best selective
    strategy beside batch invitations (``strategies_table`` is :func:`helpers.model.feed_simulation.strategy_feed`)."""
    random = strategies_table.filter(pl.col("strategy") == "random").row(0, named=True)
    selective = strategies_table.filter(pl.col("strategy") != "random").sort("valuable_per_added", descending=True)
    best = selective.row(0, named=True)
    outcome = rules.tie(best["valuable_per_added"], random["valuable_per_added"], tie_margin)
    verdict = {"win": "supported", "loss": "not supported", "tie": "mixed"}[outcome]
    evidence = (f"In the model, for {TYPICAL_OF_YOUR_SIZE}, each connection added by the best selective strategy "
                f"({best['strategy'].replace('_', ' ')}) adds "
                f"{best['valuable_per_added'] * 365:.2f} valuable posts seen a year, against "
                f"{random['valuable_per_added'] * 365:.2f} for batch invitations.")
    return Verdict("quality-over-quantity", verdict, evidence, {
        "half": "feed", "best_selective": best["strategy"], "best_per_added": best["valuable_per_added"],
        "random_per_added": random["valuable_per_added"],
        "rule": f"supported if the best selective strategy adds more than {1 + tie_margin:.2f} times the valuable "
                f"posts seen per added connection that batch invitations add; not supported if less than "
                f"{1 - tie_margin:.2f} times; mixed in between",
    })


def verdicts(base: dict[str, int], target: int, params: FeedParams, *, days: int, seed: int) -> list[Verdict]:
    """The three feed verdicts at one setting of the assumptions, for the network ``base`` (its make-up:
    :func:`helpers.model.feed_simulation.member_composition`) growing to ``target`` by each strategy."""
    current = sum(base.values())
    claims = ("feed-more-content", "noise-to-signal", "quality-over-quantity")
    if too_small("feed-more-content", current):
        return [too_small(claim, current) for claim in claims]
    if at_cap("feed-more-content", current):
        return [at_cap(claim, current) for claim in claims]
    known = {}
    table = curves(base, sorted({current, larger_network(current)}), params, days=days, seed=seed, known=known)
    found = [judge_more_content(table, current), judge_noise(table, current)]
    if target > current:
        before = known[tuple(sorted(grown(base, current).items()))]
        found.append(judge_selective_feed(strategy_feed(base, target, params, days=days, seed=seed, before=before)))
    else:
        found.append(not_testable("quality-over-quantity", "Your network is at LinkedIn's cap: no strategy can grow it."))
    return found


def robustness(base: dict[str, int], target: int, *, days: int, seed: int, draws: int) -> pl.DataFrame:
    """The feed verdicts at ``draws`` joint settings of every assumption the feed depends on, the value
    assumptions included (see :func:`helpers.model.judging.robustness_table`)."""
    return robustness_table(lambda setting: verdicts(base, target, FeedParams.from_setting(setting), days=days,
                                                     seed=seed), ASSUMPTIONS, draws=draws, seed=seed)
