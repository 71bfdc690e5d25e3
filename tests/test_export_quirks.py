"""The reader against each quirk real LinkedIn exports have (shared/research/linkedin-export-format.md)."""

from __future__ import annotations

import zipfile
from datetime import date

import polars as pl
import pytest

from conftest import HEADER_2023, tree_digest
from helpers.errors import ExportError
from helpers.export import load_export
from helpers.synth import CONNECTIONS_PREAMBLE

ROW = "Ana,Silva,https://www.linkedin.com/in/ana-silva-3b2a91c4,,Initech,Data Scientist,07 Feb 2026"


def only(path) -> dict:
    frame = load_export(path).connections
    assert frame.height == 1
    return frame.row(0, named=True)


def test_modern_export_with_preamble_and_url(modern):
    row = only(modern(ROW))
    assert row == {
        "first_name": "Ana", "last_name": "Silva", "url": "https://www.linkedin.com/in/ana-silva-3b2a91c4",
        "company": "Initech", "position": "Data Scientist", "connected_on": date(2026, 2, 7), "is_ghost": False,
    }


def test_schema_is_typed_and_has_no_email_column(modern):
    frame = load_export(modern(ROW)).connections
    assert frame.schema == pl.Schema({
        "first_name": pl.String, "last_name": pl.String, "url": pl.String, "company": pl.String,
        "position": pl.String, "connected_on": pl.Date, "is_ghost": pl.Boolean,
    })


def test_email_addresses_are_never_loaded(modern):
    path = modern("Ana,Silva,https://www.linkedin.com/in/ana,ana.silva@example.com,Initech,Analyst,07 Feb 2026")
    export = load_export(path)
    cells = [v for row in export.connections.iter_rows() for v in row]
    assert not any("@" in str(v) for v in cells)
    assert not any("mail" in c for c in export.connections.columns)


def test_2018_export_without_preamble_url_or_day_first_dates(write_connections):
    path = write_connections('First Name,Last Name,Email Address,Company,Position,Connected On\n'
                             'Ana,Silva,,Initech,Analyst,"1/8/18, 6:14 PM"\n'
                             'Bo,Li,,Hooli,CTO,"12/31/17, 11:02 AM"')
    frame = load_export(path).connections
    assert frame["connected_on"].to_list() == [date(2018, 1, 8), date(2017, 12, 31)]
    assert frame["url"].null_count() == 2


def test_2021_export_with_preamble_but_no_url_column(write_connections):
    path = write_connections(CONNECTIONS_PREAMBLE + "First Name,Last Name,Email Address,Company,Position,Connected On\n"
                             "Ana,Silva,,Initech,Analyst,16 Dec 2021")
    assert only(path)["connected_on"] == date(2021, 12, 16)


def test_excel_resave_padded_preamble_short_dates_crlf_cp1252(write_connections):
    text = ("Notes:,,,,,,\r\n"
            '"When exporting your connection data, you may notice ...",,,,,,\r\n'
            ",,,,,,\r\n"
            f"{HEADER_2023}\r\n"
            "Jos\u00e9,M\u00fcller,,,Caf\u00e9 Soci\u00e9t\u00e9,Analyst,5-Jan-26\r\n"
            "Ana,Silva,,,Initech,Analyst,23-Nov-21\r\n")
    export = load_export(write_connections(text, encoding="cp1252"))
    frame = export.connections
    assert frame["connected_on"].to_list() == [date(2026, 1, 5), date(2021, 11, 23)]
    assert frame["first_name"][0] == "Jos\u00e9" and frame["company"][0] == "Caf\u00e9 Soci\u00e9t\u00e9"
    assert any("Windows-1252" in note for note in export.notes)


def test_utf8_bom_is_ignored(write_connections):
    path = write_connections(b"\xef\xbb\xbf" + (HEADER_2023 + "\n" + ROW).encode())
    assert only(path)["first_name"] == "Ana"


def test_utf16_tab_separated_file(write_connections):
    header = "\t".join(f'"{h}"' for h in HEADER_2023.split(","))
    row = "\t".join(f'"{v}"' for v in ROW.split(","))
    path = write_connections(f"{header}\r\n{row}\r\n".encode("utf-16"))
    assert only(path)["company"] == "Initech"


@pytest.mark.parametrize("ending", ["", "\n", "\r\n", "\n\n"])
def test_final_newline_or_not(modern, ending):
    frame = load_export(modern(ROW + ending)).connections
    assert frame.height == 1


def test_quoted_commas_in_names_and_companies(modern):
    row = only(modern('Jo,"Kight, MS",,,"Cacique Foods, LLC.","VP, Software Engineering",01 Mar 2024'))
    assert (row["last_name"], row["company"], row["position"]) == (
        "Kight, MS", "Cacique Foods, LLC.", "VP, Software Engineering")


def test_surrounding_spaces_are_stripped_and_empty_means_null(modern):
    row = only(modern(' Ali , Ahsan ,,, ,  ,01 Mar 2024'))
    assert (row["first_name"], row["last_name"], row["company"], row["position"]) == ("Ali", "Ahsan", None, None)


@pytest.mark.parametrize("first,last", [
    ("Priya", "Nair \U0001F469\u200d\U0001F4BB"),  # ZWJ sequence
    ("Leo", "Martins \U0001F1E7\U0001F1F7"),  # flag
    ("\u9648", "\u4f1f"),  # CJK
    ("\u0645\u062d\u0645\u062f", "\u0639\u0644\u064a"),  # Arabic, right to left
    ("\U0001D4D0\U0001D4F7\U0001D4EA", "Fancy"),  # mathematical script letters
])
def test_emoji_and_non_latin_names_survive_unchanged(modern, first, last):
    row = only(modern(f"{first},{last},,,Initech,Analyst,01 Mar 2024"))
    assert (row["first_name"], row["last_name"]) == (first, last)


def test_ghost_rows_have_only_a_date(modern):
    frame = load_export(modern(ROW, ",,,,,,07 Feb 2025")).connections
    assert frame["is_ghost"].to_list() == [False, True]
    assert frame.row(1, named=True)["connected_on"] == date(2025, 2, 7)
    assert frame.row(1, named=True)["first_name"] is None


def test_rows_keep_file_order(modern):
    frame = load_export(modern("A,1,,,,,01 Jan 2020", "B,2,,,,,01 Jan 2024", "C,3,,,,,01 Jan 2022")).connections
    assert frame["first_name"].to_list() == ["A", "B", "C"]


def test_blank_lines_are_not_connections(modern):
    assert load_export(modern(ROW, "", ROW.replace("Ana", "Bo"))).connections.height == 2


def test_unknown_date_form_names_the_line_and_the_value(modern):
    with pytest.raises(ExportError) as caught:
        load_export(modern(ROW, "Bo,Li,,,,,2026-02-07"))
    message = str(caught.value)
    assert "Connections.csv, line 6" in message and "'2026-02-07'" in message and "What to do" in message


def test_row_with_too_many_fields_names_the_line(modern):
    with pytest.raises(ExportError, match=r"line 5: this row has 8 fields but the header has 7"):
        load_export(modern("Ana,Silva,x,,Initech,Analyst,Extra,07 Feb 2026"))


def test_another_linkedin_file_given_as_connections(write_connections):
    path = write_connections('From,To,Sent At,Message,Direction\nA,B,"8/26/22, 8:56 PM",,OUTGOING')
    with pytest.raises(ExportError, match="no header line with the columns 'Connected On'"):
        load_export(path)


def test_empty_and_binary_files_are_refused(write_connections):
    with pytest.raises(ExportError, match="empty"):
        load_export(write_connections(b""))
    with pytest.raises(ExportError, match="binary"):
        load_export(write_connections(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


def test_missing_path_says_what_to_pass(tmp_path):
    with pytest.raises(ExportError, match="no such file or folder.*\nWhat to do: .*zip"):
        load_export(tmp_path / "nope.zip")


def _zip(path, files: dict[str, str]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize("name", ["Connections.csv", "connections.csv", "CONNECTIONS.CSV", "Basic_Export/Connections.csv"])
def test_zip_file_names_in_any_case_or_folder(tmp_path, name):
    archive = _zip(tmp_path / "Basic_LinkedInDataExport_11-20-2026.zip", {name: HEADER_2023 + "\n" + ROW})
    export = load_export(archive)
    assert export.kind == "zip" and export.connections.height == 1


def test_zip_is_read_without_writing_anything(tmp_path):
    archive = _zip(tmp_path / "export.zip", {"Connections.csv": HEADER_2023 + "\n" + ROW, "../evil.csv": "x"})
    before = tree_digest(tmp_path)
    load_export(archive)
    assert tree_digest(tmp_path) == before
    assert not (tmp_path.parent / "evil.csv").exists()


def test_zip_without_connections_lists_what_it_holds(tmp_path):
    archive = _zip(tmp_path / "export.zip", {"Profile.csv": "Headline\nx", "Skills.csv": "Name\nSQL"})
    with pytest.raises(ExportError, match=r"no Connections.csv in this zip \(it holds Profile.csv, Skills.csv\)"):
        load_export(archive)


def test_a_damaged_zip_is_an_export_error(tmp_path):
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ExportError, match="zip"):
        load_export(broken)


def test_space_and_underscore_spellings_of_file_names(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_text(HEADER_2023 + "\n" + ROW)
    (folder / "Rich Media.csv").write_text("Type,Link\n")
    (folder / "Messages.csv").write_text('From,To,Date,Subject,Content,Direction,Folder\n'
                                         'Ana Silva,Me,"10/16/18, 8:36 AM",Hi,Hello &rsquo;,INCOMING,INBOX')
    export = load_export(folder)
    assert export.messages is not None and export.messages["sent_at"][0].year == 2018
    assert "content" not in export.messages.columns and "subject" not in export.messages.columns


def test_comments_with_unquoted_line_breaks_are_rejoined(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_text(HEADER_2023 + "\n" + ROW)
    (folder / "Comments.csv").write_bytes(
        b"Date,Link,Message\r\n2024-03-17 18:03:34,https://x/1,Two thoughts:\r\nfirst\r\nsecond\r\n"
        b"2024-03-16 10:00:00,https://x/2,ok")
    comments = load_export(folder).comments
    assert comments["link"].to_list() == ["https://x/1", "https://x/2"]


def test_basic_archive_has_no_activity_tables(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_text(HEADER_2023 + "\n" + ROW)
    export = load_export(folder)
    assert export.archive_type == "Basic"
    assert (export.shares, export.reactions, export.comments, export.analytics, export.invitations) == (None,) * 5


def test_lone_connections_csv_reads_analytics_placed_beside_it(tmp_path, modern):
    from helpers.paths import SAMPLE_EXPORT

    path = modern(ROW)
    workbook = next(SAMPLE_EXPORT.glob("Content_*.xlsx"))
    (tmp_path / workbook.name).write_bytes(workbook.read_bytes())
    export = load_export(path)
    assert export.kind == "csv" and export.analytics is not None and export.analytics.posts.height > 0


def test_the_members_files_are_not_modified(sample_zip):
    from helpers.paths import SAMPLE_EXPORT

    before = tree_digest(SAMPLE_EXPORT), tree_digest(sample_zip.parent)
    load_export(SAMPLE_EXPORT)
    load_export(sample_zip)
    assert (tree_digest(SAMPLE_EXPORT), tree_digest(sample_zip.parent)) == before
