"""Property-based tests of the reader: any bytes give a typed frame or an ExportError; valid exports
round-trip exactly; and the hostile inputs of the hardening list."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HEADER_2023
from helpers.errors import ExportError
from helpers.export import load_export
from helpers.export.formats import CONNECTIONS_PREAMBLE

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read_bytes(tmp_path, raw: bytes):
    """The export read from ``raw``, or None when the reader refused it, saying which file and what to do."""
    path = tmp_path / "Connections.csv"
    path.write_bytes(raw)
    try:
        return load_export(path)
    except ExportError as error:
        assert error.file == "Connections.csv" and error.problem and error.todo, str(error)
        return None


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_frame_or_an_export_error(tmp_path, raw):
    export = _read_bytes(tmp_path, raw)
    if export is not None:
        assert export.connections.schema["connected_on"] == pl.Date


@FUZZ
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40), max_size=12))
def test_any_text_after_a_real_header_gives_a_frame_or_an_export_error(tmp_path, lines):
    body = "\n".join(lines)
    export = _read_bytes(tmp_path, (CONNECTIONS_PREAMBLE + HEADER_2023 + "\n" + body).encode("utf-8"))
    if export is not None:
        frame = export.connections
        assert frame.columns == ["first_name", "last_name", "url", "company", "position", "connected_on", "is_ghost"]
        assert 1 <= frame.height <= body.count("\n") + body.count("\r") + 1  # at most a row a line
        assert frame["connected_on"].null_count() < frame.height  # a file without one usable date is refused


FIELD = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30).map(str.strip)
ROW = st.tuples(FIELD, FIELD, FIELD, FIELD, FIELD, st.dates(date(2003, 5, 5), date(2026, 11, 20)))


@FUZZ
@given(st.lists(ROW, min_size=1, max_size=25))
def test_written_then_read_round_trips_exactly(tmp_path, rows):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER_2023.split(","))
    for first, last, url, company, position, day in rows:
        writer.writerow([first, last, url, "", company, position, day.strftime("%d %b %Y")])
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS_PREAMBLE + text.getvalue().rstrip("\n"), encoding="utf-8")
    frame = load_export(path).connections
    expected = [tuple(v or None for v in row[:5]) + (row[5],) for row in rows]
    got = [tuple(r[:6]) for r in frame.iter_rows()]
    assert got == expected


def test_header_only_file_is_an_export_error(write_connections):
    with pytest.raises(ExportError, match="header but lists no connections"):
        load_export(write_connections(CONNECTIONS_PREAMBLE + HEADER_2023))


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", HEADER_2023 + "\n" + ",,,,,,01 Jan 2020\n" * 10)
        archive.writestr("messages.csv", b"\0" * (80 * 1024**2))
    assert bomb.stat().st_size < 1024**2
    with pytest.raises(ExportError, match="zip bomb"):
        load_export(bomb)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_an_export_error(write_connections):
    path = write_connections(HEADER_2023 + "\nA,B,,,,,01 Jan 2020")
    path.chmod(0)
    try:
        with pytest.raises(ExportError, match="permission"):
            load_export(path)
    finally:
        path.chmod(0o644)


def test_names_with_unicode_line_separators_stay_one_record(modern):
    frame = load_export(modern("Ana\u2028Maria,Silva\x1c,,,Initech,Analyst,07 Feb 2026")).connections
    assert frame.height == 1 and frame["first_name"][0] == "Ana\u2028Maria"
