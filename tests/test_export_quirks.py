"""The reader against each quirk real LinkedIn exports have (shared/research/linkedin-export-format.md)."""

from __future__ import annotations

import zipfile
from datetime import date

import polars as pl
import pytest

from conftest import HEADER_2023, tree_digest
from helpers.errors import ExportError
from helpers.evidence import colleagues, invitations
from helpers.export import load_export, reader
from helpers.export.formats import CONNECTIONS_PREAMBLE
from helpers.paths import SAMPLE_EXPORT

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
    path = modern(ROW)
    workbook = next(SAMPLE_EXPORT.glob("Content_*.xlsx"))
    (tmp_path / workbook.name).write_bytes(workbook.read_bytes())
    export = load_export(path)
    assert export.kind == "csv" and export.analytics is not None and export.analytics.posts.height > 0


def test_the_members_files_are_not_modified(sample_zip):
    before = tree_digest(SAMPLE_EXPORT), tree_digest(sample_zip.parent)
    load_export(SAMPLE_EXPORT)
    load_export(sample_zip)
    assert (tree_digest(SAMPLE_EXPORT), tree_digest(sample_zip.parent)) == before


# ---------------------------------------------------------------------------------------------
# Forms real files were seen in since; the corpus (test_corpus.py) has one of each too


def test_semicolon_separated_re_save(write_connections):
    text = ("Notes:;;;;;;\r\n;;;;;;\r\n" + HEADER_2023.replace(",", ";").replace("Connected On", "Connected on")
            + '\r\nAna;"Silva; MS";;;Initech;Analyst;07 Feb 2026\r\n')
    export = load_export(write_connections(text))
    assert export.connections["last_name"].to_list() == ["Silva; MS"]
    assert any("semicolons" in note for note in export.notes)


def test_a_line_wrapped_whole_in_quotes_is_unwrapped(modern):
    wrapped = '"' + 'Jo,"Kight, MS",,,"Cacique Foods, LLC.",Analyst,01 Mar 2024'.replace('"', '""') + '"'
    row = only(modern(wrapped))
    assert (row["first_name"], row["last_name"], row["company"]) == ("Jo", "Kight, MS", "Cacique Foods, LLC.")


def test_a_whole_row_in_one_field_that_cannot_be_split_is_refused(modern):
    with pytest.raises(ExportError, match=r"line 5: this line holds a whole row in one quoted field"):
        load_export(modern('"Zqxname,Silva,,,Initech,Analyst,07 Feb 2026,x,y"'))


def test_refusals_never_quote_a_connections_name(write_connections, modern):
    """A header-less file, or a name in the date column: the message says what is wrong without the row."""
    headerless = write_connections("Zqxname,Silva,https://www.linkedin.com/in/zqx,,Initech,Analyst,07 Feb 2026")
    with pytest.raises(ExportError) as caught:
        load_export(headerless)
    assert "Zqxname" not in str(caught.value) and "no header line with the columns 'Connected On'" in str(caught.value)
    with pytest.raises(ExportError) as caught:
        load_export(modern(ROW, "Bo,Li,,,Hooli,CTO,Zqxname Surname"))
    assert "Zqxname" not in str(caught.value) and "line 6" in str(caught.value)


def test_only_some_columns_left_names_the_missing_ones(write_connections):
    with pytest.raises(ExportError, match=r"line 1 has the columns 'First Name', 'Last Name' but not 'Connected On'"):
        load_export(write_connections("First Name,Last Name\nAna,Silva"))


def test_utf16_without_a_byte_order_mark(write_connections):
    text = "\t".join(HEADER_2023.split(",")) + "\r\n" + "\t".join(ROW.split(","))
    assert only(write_connections(text.encode("utf-16-le")))["company"] == "Initech"


def test_connections_without_any_usable_date_are_refused(modern):
    with pytest.raises(ExportError, match="no row has a usable 'Connected On' date"):
        load_export(modern("Ana,Silva,,,Initech,Analyst,", "Bo,Li,,,Hooli,CTO,07 Feb"))


def _export_with(tmp_path, **files: str | bytes):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_text(HEADER_2023 + "\n" + ROW)
    for name, content in files.items():
        path = folder / name.replace("_", " ").replace(" csv", ".csv")
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def test_an_optional_file_that_cannot_be_read_is_a_note_not_a_refusal(tmp_path):
    folder = _export_with(tmp_path, Invitations_csv='From,To,Sent At\nMe,Zqxname Li,"8/26/22, 8:56 PM"',
                          Skills_csv="Name\nSQL")
    before = tree_digest(folder)
    export = load_export(folder)
    assert tree_digest(folder) == before
    assert export.invitations is None and export.connections.height == 1
    record = export.reads("invitations")[0]
    assert (record.status, record.file) == ("skipped", "Invitations.csv")
    assert "but not 'Direction'" in record.notes[0] and record.notes[1].startswith("What to do:")
    heading, why = export.why_missing("invitations")
    assert heading == "Left out" and "Invitations.csv could not be read" in why and "Zqxname" not in why
    heading, why = export.why_missing("messages")
    assert heading == "Not in this export" and why.startswith("There is no messages.csv in this export. What would ")
    assert "the Basic and the Complete one both hold messages.csv" in why and "not Connections.csv alone" in why
    assert "Download larger data archive" in export.why_missing("reactions")[1]  # only the Complete archive has it


def test_the_read_log_lists_every_file_with_rows_period_and_status(tmp_path):
    folder = _export_with(tmp_path, Reactions_csv="Date,Type,Link\r\n2024-06-17 06:01:43,LIKE,x\r\n2021-01-02 10:00:00,LIKE,y",
                          Skills_csv="Name\nSQL", Education_csv="School Name\nX")
    summary = load_export(folder).read_summary()
    rows = {r["file"]: r for r in summary.iter_rows(named=True)}
    assert rows["Connections.csv"]["status"] == "read" and rows["Connections.csv"]["rows"] == 1
    assert (rows["Reactions.csv"]["rows"], rows["Reactions.csv"]["period"]) == (2, "02 Jan 2021 - 17 Jun 2024")
    assert rows["Invitations.csv"]["status"] == "absent"
    assert rows["2 other files"]["status"] == "not used" and "Education.csv, Skills.csv" in rows["2 other files"]["notes"]
    assert summary.columns == ["file", "used for", "status", "rows", "period", "notes"]


def test_an_unexpected_failure_of_an_optional_file_is_still_only_a_note(tmp_path, monkeypatch):
    real = reader.read_file

    def broken(raw, spec):
        if spec.file == "Reactions.csv":
            raise RuntimeError("a bug")
        return real(raw, spec)

    monkeypatch.setattr(reader, "read_file", broken)
    export = load_export(_export_with(tmp_path, Reactions_csv="Date,Type,Link\n2024-06-17 06:01:43,LIKE,x"))
    assert export.reactions is None and export.reads("reactions")[0].status == "skipped"
    assert "RuntimeError" in export.reads("reactions")[0].notes[0]


def test_a_damaged_workbook_does_not_hide_the_others(tmp_path):
    good = next(SAMPLE_EXPORT.glob("Content_*.xlsx"))
    folder = _export_with(tmp_path)
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "Content_2020-01-01_2020-12-31_Alex Example.xlsx").write_bytes(b"PK\x03\x04 truncated")
    export = load_export(folder)
    statuses = {r.file: r.status for r in export.reads("analytics")}
    assert statuses == {good.name: "read", "Content_2020-01-01_2020-12-31_Alex Example.xlsx": "skipped"}
    assert export.analytics.posts.height > 0


def test_invitations_without_dates_are_partly_read_and_judge_nothing(tmp_path):
    export = load_export(_export_with(tmp_path, Invitations_csv="From,To,Sent At,Message,Direction\n"
                                                                "Me,Ana Silva,,,OUTGOING\nMe,Bo Li,,Hi,OUTGOING"))
    record = export.reads("invitations")[0]
    assert (record.status, record.rows, record.period) == ("partly read", 2, "")
    assert "2 rows have an empty 'Sent At'" in " ".join(record.notes)
    assert colleagues.reference_date(export) == date(2026, 2, 7)
    assert not invitations.invitation_matching(export.invitations, export.connections).trusted
