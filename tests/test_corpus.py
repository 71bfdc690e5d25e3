"""Every variant of the export corpus reads with the right number of rows, ghosts and dates."""

from __future__ import annotations

from datetime import date

import pytest

from helpers.corpus import SPECIAL, variants
from helpers.export import load_export

VARIANTS = variants()


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_each_variant_reads_completely(tmp_path, variant):
    export = load_export(variant.write(tmp_path))
    frame = export.connections
    assert frame.height == variant.rows
    assert int(frame["is_ghost"].sum()) == variant.ghosts
    assert frame["connected_on"].null_count() == 0
    assert (frame["url"].null_count() == frame.height) != variant.has_url
    long = frame.filter(frame["company"].str.len_chars() == 10_000)
    assert long.height >= 1 and long["position"][0] == "Y" * 10_000


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.name != "excel-resave"], ids=lambda v: v.name)
def test_hard_rows_survive_exactly(tmp_path, variant):
    frame = load_export(variant.write(tmp_path)).connections
    for first, last, company, position, day in SPECIAL:
        match = frame.filter((frame["first_name"] == first) & (frame["last_name"] == last))
        assert match.height >= 1, (first, last)
        row = match.row(0, named=True)
        assert (row["company"], row["position"], row["connected_on"]) == (company, position, day)


def test_future_dates_are_read_not_dropped(tmp_path):
    variant = next(v for v in VARIANTS if v.name == "duplicated-and-future")
    frame = load_export(variant.write(tmp_path)).connections
    assert frame["connected_on"].max() >= date(2027, 1, 1)


def test_archives_find_files_by_any_spelling(tmp_path):
    for name in ("archive-2018-names", "archive-folder-lowercase"):
        variant = next(v for v in VARIANTS if v.name == name)
        export = load_export(variant.write(tmp_path / name))
        assert export.messages is not None and export.messages.height == 1
