"""Every form of the export corpus reads as it must: Connections.csv variants with the right rows,
ghosts and dates; the other files' forms with the right status, frame or message; and exports whose
truth is known matched to it closely enough."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from corpus import FOREIGN_TITLES, SPECIAL, forms, matching_cases, variants
from helpers.evidence import colleagues, inner_circle, invitations, profile
from helpers.export import load_export, matching

VARIANTS = variants()
FORMS = forms()
CASES = matching_cases()


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_each_variant_reads_completely(tmp_path, variant):
    export = load_export(variant.write(tmp_path))
    frame = export.connections
    assert frame.height == variant.rows
    assert int(frame["is_ghost"].sum()) == variant.ghosts
    assert frame["connected_on"].null_count() == variant.undated
    assert (frame["url"].null_count() == frame.height) != variant.has_url
    if variant.special_rows:
        long = frame.filter(frame["company"].str.len_chars() == 10_000)
        assert long.height >= 1 and long["position"][0] == "Y" * 10_000
    record = export.reads("connections")[0]
    assert (record.status, record.rows) == ("partly read" if variant.undated else "read", variant.rows)
    assert variant.note in " ".join(record.notes)


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.exact and v.special_rows], ids=lambda v: v.name)
def test_hard_rows_survive_exactly(tmp_path, variant):
    frame = load_export(variant.write(tmp_path)).connections
    for first, last, company, position, day in SPECIAL:
        match = frame.filter((frame["first_name"] == first) & (frame["last_name"] == last))
        assert match.height >= 1, (first, last)
        row = match.row(0, named=True)
        assert (row["company"], row["position"], row["connected_on"]) == (company, position, day)


def _variant(name: str):
    return next(v for v in VARIANTS if v.name == name)


def test_a_wrapped_re_save_reads_the_same_rows_as_the_original(tmp_path):
    original = load_export(_variant("era-2023").write(tmp_path / "a")).connections
    wrapped = load_export(_variant("ptbr-wrapped-lines").write(tmp_path / "b")).connections
    assert wrapped.equals(original)
    assert not wrapped["first_name"].str.contains(",Initech,", literal=True).any()


def test_day_first_semicolon_dates_are_the_real_days(tmp_path):
    original = load_export(_variant("era-2023").write(tmp_path / "a")).connections
    european = load_export(_variant("semicolon-resave-day-first").write(tmp_path / "b")).connections
    assert european.equals(original)


def test_empty_and_cut_short_dates_are_counted_and_said(tmp_path):
    export = load_export(_variant("connected-on-gaps").write(tmp_path))
    notes = " ".join(export.reads("connections")[0].notes)
    assert "2 rows have an empty 'Connected On'" in notes
    assert "8 rows have a 'Connected On' cut short" in notes
    assert export.connections["connected_on"].drop_nulls().min() >= date(2003, 5, 5)


def test_a_file_of_dates_only_counts_connections_without_inventing_ghosts(tmp_path):
    export = load_export(_variant("connected-on-only").write(tmp_path))
    assert not export.connections["is_ghost"].any()
    assert not export.has_column("connections", "company")
    assert colleagues.colleagues_gap(export)[0]  # no colleague can be found without employers


def test_titles_in_six_languages_no_longer_land_in_other(tmp_path):
    connections = load_export(_variant("titles-in-six-languages").write(tmp_path)).connections
    mix = dict(profile.function_mix(connections.head(-len(SPECIAL))).select("function", "share").iter_rows())
    assert mix.get("Other", 0.0) == 0.0
    titled = pl.DataFrame({"title": list(FOREIGN_TITLES)})
    got = titled.select(profile.job_function(pl.col("title")).alias("function"))["function"].to_list()
    assert dict(zip(FOREIGN_TITLES, got)) == FOREIGN_TITLES


def test_future_dates_are_read_not_dropped(tmp_path):
    frame = load_export(_variant("duplicated-and-future").write(tmp_path)).connections
    assert frame["connected_on"].max() >= date(2027, 1, 1)


def test_archives_find_files_by_any_spelling(tmp_path):
    for name in ("archive-2018-names", "archive-folder-lowercase"):
        export = load_export(_variant(name).write(tmp_path / name))
        assert export.messages is not None and export.messages.height == 1


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_each_form_of_the_other_files(tmp_path, form):
    export = load_export(form.write(tmp_path))
    assert export.connections.height == 2, "the sound Connections.csv is read whatever the other file"
    records = export.reads(form.table)
    assert [r.status for r in records] == [form.status]
    notes = " ".join(records[0].notes)
    assert form.message in notes
    if form.absent:
        assert form.absent not in " ".join(export.notes) + notes
    table = getattr(export, form.table)
    if form.status in ("read", "partly read"):
        frame = getattr(table, form.frame) if form.frame else table
        for column, values in form.expected.items():
            assert frame[column].to_list() == values, column
    else:
        assert table is None
        heading, why = export.why_missing(form.table)
        assert heading == ("Left out" if form.status == "skipped" else "Not used") and why


@pytest.mark.parametrize("case", [c for c in CASES if c.matchable], ids=lambda c: c.name)
def test_matching_gives_rates_close_to_the_truth(tmp_path, case):
    export = load_export(case.write(tmp_path))
    if export.invitations is not None:
        outgoing = invitations.outgoing_invitations(export.invitations, export.connections)
        truth = pl.Series(case.accepted)
        decided = outgoing["accepted"].is_not_null()
        assert decided.mean() >= 0.95
        assert abs(outgoing["accepted"].mean() - truth.mean()) <= 0.03
        assert (outgoing["accepted"].filter(decided) == truth.filter(decided)).mean() >= 0.97
        report = invitations.invitation_matching(export.invitations, export.connections)
        assert report.trusted and report.rate >= 0.9
    if export.messages is not None:
        counts, report = inner_circle.match_messages(export.messages, export.connections)
        truth = pl.Series(case.messages)
        assert abs((counts["messages"] > 0).mean() - (truth > 0).mean()) <= 0.03
        assert (counts["messages"] == truth).mean() >= 0.97
        assert report.trusted and report.ambiguous >= 1  # a namesake was messaged: never guessed
        circle = inner_circle.inner_circle(counts, seed=1)
        assert circle.gini < 0.99 and circle.messaged > 50


def test_bare_addresses_are_no_addresses_and_the_file_is_matched_by_name(tmp_path):
    """The failure seen in Dec 2023 - Jan 2024 exports: every invitation's address is the bare
    'https://www.linkedin.com/in', which used to be compared as an address and matched no one."""
    case = next(c for c in CASES if c.name == "invitations-bare-addresses-2024")
    export = load_export(case.write(tmp_path))
    people, use_urls = matching.invitation_people(export.invitations, export.connections)
    assert people["url_key"].null_count() == people.height and not use_urls
    assert matching.urls_usable(matching.connection_index(export.connections)["url_key"])
    assert invitations.invitation_matching(export.invitations, export.connections).method == "name"


def test_unmatchable_invitations_are_not_testable(tmp_path):
    case = next(c for c in CASES if not c.matchable)
    export = load_export(case.write(tmp_path))
    report = invitations.invitation_matching(export.invitations, export.connections)
    assert not report.trusted and report.rate == 0.0
    outgoing = invitations.outgoing_invitations(export.invitations, export.connections)
    comparison = invitations.compare(outgoing, pl.col("has_message"), "with a note", "without a note")
    verdict = invitations.judge_personalized(comparison, matching=report)
    assert verdict.verdict == "not testable" and "at least 50%" in verdict.evidence
