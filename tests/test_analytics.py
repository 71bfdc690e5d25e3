"""The creator-analytics reader: it says when a top-posts list is full, and a post keeps the figure of the period
it was published in."""

from __future__ import annotations

from datetime import date

from audience_fixtures import capped_export_parts

from helpers.export import analytics


def test_the_reader_says_when_a_top_posts_list_is_full():
    made, merged, _, _ = capped_export_parts()
    row = merged.windows.row(0, named=True)
    assert row["capped"] and row["impressions_listed"] == analytics.TOP_POSTS_CAP
    assert row["impressions_min"] == sorted(p.impressions for p in made)[-50]
    assert row["total_impressions"] == sum(p.impressions for p in made)
    assert merged.listings.height == 50


def test_a_post_keeps_the_figure_of_the_period_it_was_published_in():
    early = {"url": "u1", "published_on": date(2024, 12, 20), "impressions": 900, "source": "a"}
    tail = {"url": "u1", "published_on": date(2024, 12, 20), "impressions": 40, "source": "b"}
    sheets = ("TOP POSTS",)
    first = analytics.Workbook("Content_2024-01-01_2024-12-31_X.xlsx", (early,), (), (), None, None, (), sheets, 1)
    second = analytics.Workbook("Content_2025-01-01_2025-12-31_X.xlsx", (tail,), (), (), None, None, (), sheets, 1)
    for order in ([first, second], [second, first]):
        assert analytics.merge(order).posts["impressions"].to_list() == [900]
