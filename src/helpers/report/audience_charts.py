"""The audience page's charts and tables (notebook 07): members beside the model fitted without them, reactions
by follower band, impressions and the chance of 1,000 by network size, where the impressions come from, a member's
later posts against the prediction from their earlier ones; the fitted parameters, the variants compared, the
update's checks, what a capped list does and the replayed histories. Shapes the model pages share are in
:mod:`.charts`."""

from __future__ import annotations

import altair as alt
import polars as pl

from helpers.report.charts import HIGHLIGHT, MUTED
from helpers.report.prose import show_table

#: The colour of interval rules drawn over bars and of the member's own posts.
INK = "#111827"


def members_beside_model(held: pl.DataFrame) -> alt.LayerChart:
    """Each held-out member's typical post (``typical``, coloured by ``where`` it falls) beside the 50% and 90%
    author-level bands of the model fitted without them (``q05``, ``q25``, ``q75``, ``q95``), by followers."""
    base = alt.Chart(held).encode(x=alt.X("followers:Q", title="Followers (middle of the export window)",
                                          scale=alt.Scale(type="log")))
    return alt.layer(
        base.mark_rule(strokeWidth=1, color=MUTED).encode(
            y=alt.Y("q05:Q", title="Impressions of a typical post", scale=alt.Scale(type="log")), y2="q95:Q"),
        base.mark_rule(strokeWidth=6, opacity=0.45, color=MUTED).encode(y="q25:Q", y2="q75:Q"),
        base.mark_point(filled=True, size=80).encode(
            y="typical:Q", color=alt.Color("where:N", title=None),
            tooltip=[alt.Tooltip("window:N", title="Member (export)"), alt.Tooltip("year:Q", title="Year", format=".1f"),
                     alt.Tooltip("followers:Q", title="Followers", format=","),
                     alt.Tooltip("typical:Q", title="Typical post", format=",.0f"),
                     alt.Tooltip("q25:Q", title="Model: half of members from", format=",.0f"),
                     alt.Tooltip("q75:Q", title="to", format=",.0f"),
                     alt.Tooltip("ratio:Q", title="Member / model median", format=".2f")]),
    ).properties(title=alt.Title("Members' typical posts and the model fitted without them",
                                 subtitle="Point: the member; bars: the model's 50% and 90% of members at that size and year"))


def reactions_by_band(bands: pl.DataFrame) -> alt.FacetChart:
    """Reactions per post by follower band, real posts beside the reactions model, one panel per ``panel``
    (:func:`helpers.model.audience_fit.bands_beside_fit`)."""
    base = alt.Chart(bands).encode(
        x=alt.X("x:Q", title="Followers (band median)", scale=alt.Scale(type="log")),
        color=alt.Color("source:N", title=None))
    return alt.layer(
        base.mark_rule(strokeWidth=2).encode(y=alt.Y("q25:Q", title="Reactions per post", scale=alt.Scale(type="log")),
                                             y2="q75:Q"),
        base.mark_point(filled=True, size=70).encode(y="median:Q", tooltip=[
            alt.Tooltip("source:N", title="Source"), alt.Tooltip("followers:Q", title="Followers", format=",.0f"),
            alt.Tooltip("median:Q", title="Median reactions", format=",.0f"),
            alt.Tooltip("q25:Q", title="Quarter of posts below", format=",.0f"),
            alt.Tooltip("q75:Q", title="Quarter of posts above", format=",.0f"),
            alt.Tooltip("posts:Q", title="Real posts in band"), alt.Tooltip("authors:Q", title="Authors in band")]),
    ).properties(width=300, height=260).facet(column=alt.Column("panel:N", title=None)).properties(
        title=alt.Title("Reactions per post by audience size: real posts and the reactions model",
                        subtitle="Point: median; bar: the middle half of posts"))


def impressions_by_size(table: pl.DataFrame, current: int, target: int, described: str) -> alt.LayerChart:
    """Impressions of a post by network size (:func:`helpers.model.audience.views_table`): the median post, half
    of members' typical posts and 90% of posts, a dashed line at ``target`` impressions and a dotted one at the
    member's ``current`` size; pointing at a size reads it."""
    size_pick = alt.selection_point(name="size_pick", fields=["connections"], nearest=True, on="pointerover",
                                    empty=False)
    band = alt.Chart(table).encode(x=alt.X("connections:Q", title="Your connections", scale=alt.Scale(type="log")))
    return alt.layer(
        band.mark_area(opacity=0.15).encode(y=alt.Y("p05:Q", title="Impressions of a post", scale=alt.Scale(type="log")),
                                            y2="p95:Q"),
        band.mark_area(opacity=0.35).encode(y="author_q25:Q", y2="author_q75:Q"),
        band.mark_point(opacity=0, size=300).add_params(size_pick).encode(y="median:Q"),
        band.mark_line(point=True).encode(y="median:Q", tooltip=[
            alt.Tooltip("connections:Q", title="Connections", format=","),
            alt.Tooltip("median:Q", title="Median post", format=",.0f"),
            alt.Tooltip("author_q25:Q", title="Half of members' typical posts from", format=",.0f"),
            alt.Tooltip("author_q75:Q", title="to", format=",.0f"),
            alt.Tooltip("p05:Q", title="5% of posts below", format=",.0f"),
            alt.Tooltip("p95:Q", title="5% of posts above", format=",.0f"),
            alt.Tooltip("p1000:Q", title="Chance of 1,000", format=".0%")]),
        alt.Chart(pl.DataFrame({"y": [target]})).mark_rule(strokeDash=[6, 4], color=HIGHLIGHT).encode(y="y:Q"),
        alt.Chart(pl.DataFrame({"x": [current]})).mark_rule(strokeDash=[2, 3], color=MUTED).encode(x="x:Q"),
        band.mark_rule(color=INK).encode(opacity=alt.condition(size_pick, alt.value(0.6), alt.value(0))),
        band.mark_text(align="left", dx=6, dy=-8).encode(
            y="median:Q", text=alt.condition(size_pick, alt.Text("median:Q", format=",.0f"), alt.value(""))),
    ).properties(title=alt.Title(f"Impressions of a post by network size, {described}",
                                 subtitle="Median post, half of members' typical posts, and 90% of posts; point at a size to read it"))


def chance_of_1000(table: pl.DataFrame, current: int, described: str) -> alt.LayerChart:
    """The chance that a post reaches 1,000 impressions at every network size of ``table`` (a line, with its 95%
    interval as a band, on a log axis of sizes), the member's own size marked and labelled, 500 connections (the
    blogger's milestone) marked, and even odds dashed."""
    span = [int(table["connections"].min()), int(table["connections"].max())]
    size = alt.X("connections:Q", title="Your connections", scale=alt.Scale(type="log", domain=span, nice=False),
                 axis=alt.Axis(format=",", labelOverlap="greedy"))
    axis = {"title": "Chance a post reaches 1,000", "axis": alt.Axis(format="%"), "scale": alt.Scale(domain=[0, 1])}
    chance = alt.Y("p1000:Q", **axis)
    curve = alt.Chart(table).encode(x=size)
    you = table.filter(pl.col("connections") == current).with_columns(
        pl.format("you: {} connections, {}%", pl.col("connections"), (pl.col("p1000") * 100).round(0).cast(pl.Int64))
        .alias("label"))
    milestone = pl.DataFrame({"connections": [500], "label": ["500 connections"]})
    return alt.layer(
        curve.mark_area(opacity=0.2).encode(y=alt.Y("p1000_low:Q", **axis), y2="p1000_high:Q"),
        curve.mark_line(point=True).encode(y=chance, tooltip=[
            alt.Tooltip("connections:Q", title="Connections", format=","),
            alt.Tooltip("p1000:Q", title="Chance", format=".0%"),
            alt.Tooltip("p1000_low:Q", title="95% interval from", format=".0%"),
            alt.Tooltip("p1000_high:Q", title="95% interval to", format=".0%")]),
        alt.Chart(pl.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[6, 4], color=MUTED).encode(y="y:Q"),
        alt.Chart(milestone).mark_rule(strokeDash=[2, 3], color=MUTED).encode(x="connections:Q"),
        alt.Chart(you).mark_rule(color=HIGHLIGHT).encode(x="connections:Q"),
        alt.Chart(you).mark_point(filled=True, size=90, color=HIGHLIGHT).encode(x="connections:Q", y="p1000:Q"),
        alt.Chart(you).mark_text(align="left", dx=8, dy=14, color=HIGHLIGHT, fontWeight="bold").encode(
            x="connections:Q", y="p1000:Q", text="label:N"),
    ).properties(height=300, title=alt.Title(
        f"Chance that a post reaches 1,000 impressions, {described}",
        subtitle=["Line: the model's estimate over members as they differ; band: its 95% interval",
                  "Dashed: even odds; dotted: 500 connections; orange: your size"]))


def impressions_origin(table: pl.DataFrame, sizes) -> alt.LayerChart:
    """The share of a post's impressions from beyond the member's connections and followers at each of ``sizes``,
    with its 95% interval."""
    origin = table.filter(pl.col("connections").is_in(sizes)).with_columns(
        pl.col("connections").cast(pl.String).alias("network"))
    return alt.layer(
        alt.Chart(origin).mark_bar().encode(
            y=alt.Y("network:N", title="Connections", sort=None),
            x=alt.X("beyond:Q", title="Share of impressions from beyond your connections and followers",
                    axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            tooltip=[alt.Tooltip("network:N", title="Connections"), alt.Tooltip("beyond:Q", title="Share", format=".0%"),
                     alt.Tooltip("beyond_low:Q", title="95% interval from", format=".0%"),
                     alt.Tooltip("beyond_high:Q", title="95% interval to", format=".0%")]),
        alt.Chart(origin).mark_rule(color=INK).encode(y=alt.Y("network:N", sort=None), x="beyond_low:Q", x2="beyond_high:Q"),
    ).properties(title="Where the impressions of your posts come from")


def later_posts_against_prediction(checked: pl.DataFrame) -> alt.LayerChart:
    """The member's later posts (points) in the middle 50% and 90% bands predicted from their earlier ones
    (:func:`helpers.model.audience_own_posts.coverage`)."""
    base = alt.Chart(checked).encode(x=alt.X("published_on:T", title="Published"))
    return alt.layer(
        base.mark_area(opacity=0.15).encode(y=alt.Y("q05:Q", title="Impressions", scale=alt.Scale(type="log")), y2="q95:Q"),
        base.mark_area(opacity=0.3).encode(y="q25:Q", y2="q75:Q"),
        base.mark_point(filled=True, color=INK).encode(y="impressions:Q", tooltip=[
            alt.Tooltip("published_on:T", title="Published", format="%d %b %Y"),
            alt.Tooltip("impressions:Q", title="Impressions", format=","),
            alt.Tooltip("q25:Q", title="Predicted middle 50% from", format=",.0f"),
            alt.Tooltip("q75:Q", title="to", format=",.0f")]),
    ).properties(title=alt.Title("Your later posts against the prediction from your earlier ones",
                                 subtitle="Bands: predicted middle 50% and 90%; points: what the posts got"))


def show_parameters(table: pl.DataFrame) -> None:
    """The fitted parameters (:func:`helpers.model.audience_summaries.parameter_table`)."""
    show_table(table, formats={"estimate": "{:,.2f}", "low": "{:,.2f}", "high": "{:,.2f}"},
               titles={"parameter": "Fitted (posterior median)", "estimate": "Estimate", "low": "95% interval from",
                       "high": "to"})


def show_variants(comparison: list[dict]) -> None:
    """The model variants judged on the members held out (the fit file's ``members.comparison``)."""
    frame = pl.DataFrame(comparison).select(
        "variant", "held_out_log_predictive", "in_sample_log_likelihood", "parameters", "authors_inside_50",
        "authors_inside_90", "later_50", "later_90")
    show_table(frame, formats={"held_out_log_predictive": "{:,.1f}", "in_sample_log_likelihood": "{:,.1f}",
                               "authors_inside_50": "{:.0%}", "authors_inside_90": "{:.0%}", "later_50": "{:.0%}",
                               "later_90": "{:.0%}"},
               titles={"variant": "Model", "held_out_log_predictive": "Held-out log density (higher is better)",
                       "in_sample_log_likelihood": "In-sample log likelihood", "parameters": "Parameters",
                       "authors_inside_50": "Members in 50% band", "authors_inside_90": "in 90% band",
                       "later_50": "Later posts in 50%", "later_90": "in 90%"})


def show_coverage(summary: dict) -> None:
    """How many of the member's later posts fell in the bands predicted from their earlier ones, with and without
    the update (:func:`helpers.model.audience_own_posts.coverage`)."""
    show_table(pl.DataFrame([{"model": name, "posts": summary[name]["posts"], "in_50": summary[name]["in_50"],
                              "in_90": summary[name]["in_90"]} for name in ("updated", "not updated")]),
               formats={"posts": "{:,.0f}", "in_50": "{:.0%}", "in_90": "{:.0%}"},
               titles={"model": "Model", "posts": "Later posts", "in_50": "Inside the middle 50% (expected 50%)",
                       "in_90": "Inside the 90% band (expected 90%)"})


def show_members_later_posts(later: dict) -> None:
    """The shared members' later posts in the updated and not-updated bands, counting measured posts only, then
    the posts known to be below a full list, then those the periods' totals imply (``held_out.later``)."""
    show_table(pl.DataFrame([
        {"posts": label, "count": later["posts"][which], "in_50": later[f"updated_in_50_{which}"],
         "in_90": later[f"updated_in_90_{which}"], "in_50_before": later[f"not_updated_in_50_{which}"],
         "in_90_before": later[f"not_updated_in_90_{which}"]}
        for label, which in (("measured (listed) posts only", "measured"),
                             ("and the posts known to be below a full list", "known"),
                             ("and the posts the periods' totals imply below it", "all"))]),
        formats={"count": "{:,.0f}", "in_50": "{:.0%}", "in_90": "{:.0%}", "in_50_before": "{:.0%}",
                 "in_90_before": "{:.0%}"},
        titles={"posts": "Later posts counted", "count": "Posts", "in_50": "Updated: in 50%", "in_90": "in 90%",
                "in_50_before": "Not updated: in 50%", "in_90_before": "in 90%"})


def show_capped_list(example: dict) -> None:
    """What a capped list does to the update (:func:`helpers.model.audience_own_posts.capped_list_example`)."""
    show_table(pl.DataFrame([{"reading": "The member's true typical post", "typical": example["truth"]},
                             {"reading": f"Median of the {example['listed']} listed posts", "typical": example["listed_median"]},
                             {"reading": "Update, the list read as complete", "typical": example["read_as_complete"]},
                             {"reading": "Update, the list read as capped (with Shares.csv and the total)",
                              "typical": example["read_with_censoring"]}]),
               formats={"typical": "{:,.0f}"}, titles={"reading": "Reading", "typical": "Typical post"})


def show_replay(table: pl.DataFrame) -> None:
    """The next post at 500 connections after each history (:func:`helpers.model.audience_summaries.replay`)."""
    show_table(table, formats={"median": "{:,.0f}", "q10": "{:,.0f}", "q90": "{:,.0f}", "p": "{:.0%}",
                               "p_low": "{:.0%}", "p_high": "{:.0%}"},
               titles={"history": "Earlier posts", "median": "Next post at 500: median", "q10": "80% of posts from",
                       "q90": "to", "p": "Chance of 1,000", "p_low": "95% interval from", "p_high": "to"})
