"""Read one LinkedIn CSV file into a typed polars frame, tolerating the quirks of real exports.

LinkedIn's CSVs drift between years: a ``Notes:`` preamble appears or not (and Excel pads it with
commas), headers change case and gain columns, files are UTF-8 with or without a BOM, re-saved as
cp1252, or written as UTF-16 tab-separated text. People re-save them in spreadsheets, which separate
fields with semicolons (European settings), rewrite dates as ``4/4/2021 16:12`` or ``28.11.2021``,
wrap whole lines in quotes, or save a workbook under the ``.csv`` name. A :class:`TableSpec` names
the columns we keep by their header text; everything else in the file (e-mail addresses, message
bodies) is never kept in a frame.

No message raised here quotes a connection's name: values are quoted only when they look like a date.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import polars as pl

from helpers.errors import ExportError

#: How many physical lines may stand before the header (LinkedIn writes 3; leave room for edits).
HEADER_SEARCH_LINES = 20
#: Field separators: LinkedIn's comma and tab, and the semicolon of spreadsheets set to European locales.
DELIMITERS = (",", ";", "\t")
#: Fields longer than this are refused (a message body can be long; a runaway quote is longer).
MAX_FIELD_CHARS = 10_000_000
#: How dates look once a spreadsheet re-saved them: the date part, month first (US) or day first.
#: Two-digit years first: '%Y' would read '11/28/21' as the year 21.
_MONTH_FIRST_DAYS = ("%m/%d/%y", "%m/%d/%Y")
_DAY_FIRST_DAYS = ("%d/%m/%y", "%d/%m/%Y", "%d.%m.%y", "%d.%m.%Y", "%d-%m-%Y")
_SPREADSHEET_TIMES = (" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", ", %I:%M %p")
#: Cells of a workbook saved under a .csv name are written out in these forms.
WORKBOOK_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def spreadsheet_dates(with_time: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The two orders a spreadsheet may have rewritten dates in, as (label, formats) alternatives."""

    def forms(days: tuple[str, ...]) -> tuple[str, ...]:
        timed = tuple(d + t for d in days for t in _SPREADSHEET_TIMES) if with_time else ()
        return timed + days

    return (("month first", forms(_MONTH_FIRST_DAYS)), ("day first", forms(_DAY_FIRST_DAYS)))


@dataclass(frozen=True)
class Column:
    """One column we keep: its header as LinkedIn spells it, our name, and how to type it.

    ``kind`` is ``"str"`` (stripped text, null when empty), ``"date"`` or ``"datetime"`` (parsed
    with ``formats``, tried in order; a non-empty value no format fits is an error), or ``"flag"``
    (True when the cell is non-empty; the text itself is dropped).

    For dates, ``alternatives`` are (label, formats) pairs tried when ``formats`` leave values
    unread, the whole column in one order (a spreadsheet writes every date of a file alike);
    ``earliest`` is the first plausible date (a year cut to '202' parses as 202 AD); ``cut_short``
    is a regular expression for values truncated mid-way (``'07 Feb'``): those and the too-early
    ones are counted and left empty rather than refused.
    """

    header: str
    name: str
    kind: str = "str"
    formats: tuple[str, ...] = ()
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()
    earliest: date | None = None
    cut_short: str | None = None

    def matches(self, header: str) -> bool:
        key = header_key(header)
        return key == header_key(self.header) or key in {header_key(a) for a in self.aliases}


@dataclass(frozen=True)
class TableSpec:
    """What one export file should look like and which of its columns we keep."""

    file: str
    columns: tuple[Column, ...]
    hint: str = ""
    line_filter: str | None = None  # regex a record's first line must match; others continue it
    backslash_quotes: bool = False  # quotes inside a field may be written \" (Comments.csv since 2025)
    period: str | None = None  # the column whose first and last dates are the period the file covers

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


@dataclass(frozen=True)
class Table:
    """One file as read: the typed frame, what was unusual, and what it lacked."""

    frame: pl.DataFrame
    notes: tuple[str, ...]
    columns: tuple[str, ...]  # our names of the spec's columns the file has
    unusable: int = 0  # rows kept with a date left empty (empty where required, cut short, implausible)
    missing_dates: dict[str, int] = field(default_factory=dict)  # column -> empty required values
    cut_dates: dict[str, int] = field(default_factory=dict)  # column -> cut-short or implausible values


def header_key(text: str) -> str:
    """Header comparison key: case, spaces, underscores and a BOM do not matter."""
    return re.sub(r"[\s_\ufeff\"]", "", text).lower()


def _looks_utf16(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for BOM-less UTF-16 text (every other byte zero), else None."""
    sample = raw[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(raw: bytes, file: str) -> tuple[str, list[str]]:
    """Bytes to text, with notes on anything unusual (a BOM, UTF-16, a cp1252 re-save)."""
    notes: list[str] = []
    if not raw.strip():
        raise ExportError(file, None, "the file is empty", "Download the export again from LinkedIn.")
    bomless = None if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _looks_utf16(raw)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or bomless:
        notes.append(f"{file} is UTF-16 text (as some LinkedIn files are); read as such.")
        try:
            return raw.decode(bomless or "utf-16"), notes
        except UnicodeDecodeError as exc:
            raise ExportError(file, None, f"the file starts like UTF-16 text but is not ({exc.reason})",
                              "Download the export again from LinkedIn.") from None
    if b"\x00" in raw[:4096]:
        raise ExportError(file, None, "the file holds binary data, not CSV text",
                          "Check that you picked the CSV file from the LinkedIn export, not another file renamed .csv.")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    notes.append(f"{file} is not UTF-8 (it was probably re-saved by Excel); read as Windows-1252, "
                 "so a few accented letters may be wrong.")
    return text, notes


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(WORKBOOK_FORMATS[0])
    if isinstance(value, date):
        return value.strftime(WORKBOOK_FORMATS[1])
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_as_text(raw: bytes, file: str) -> tuple[str, list[str]]:
    """The first sheet of an Excel workbook saved under a .csv name, as CSV text (dates in ISO form)."""
    import openpyxl  # here, not at the top: 0.2 s that every reader of a CSV-only export would pay for a rare case

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a zip that is not a workbook
        raise ExportError(file, None, "the file is a zip archive, not CSV text",
                          "Use the CSV file from the LinkedIn download, not a packed or converted copy.") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # spreadsheets may declare a wrong size; read every row there is
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in sheet.iter_rows(values_only=True):
            writer.writerow([_cell_text(v) for v in row])
    finally:
        book.close()
    note = (f"{file} is an Excel workbook saved under a .csv name (a spreadsheet re-save); its first sheet "
            "was read.")
    return out.getvalue(), [note]


def _split_fields(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def find_header(lines: list[str], spec: TableSpec) -> tuple[int, str, list[str]]:
    """Index, delimiter and fields of the header line: the first line holding every required column.

    The delimiter is the one, of comma, semicolon and tab, that splits that line into the columns.
    The error names the columns found and missing, never the text of a line (it may be a person's row).
    """
    best: tuple[int, int, list[str]] = (-1, 0, [])
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        for delimiter in sorted(DELIMITERS, key=lambda d: -line.count(d)):
            fields = _split_fields(line, delimiter)
            if all(any(col.matches(f) for f in fields) for col in spec.required):
                return index, delimiter, fields
            known = sum(any(col.matches(f) for f in fields) for col in spec.columns)
            if known > best[1]:
                best = (index, known, fields)
    wanted = ", ".join(f"'{c.header}'" for c in spec.required)
    index, known, fields = best
    if known:
        found = ", ".join(f"'{c.header}'" for c in spec.columns if any(c.matches(f) for f in fields))
        lacking = ", ".join(f"'{c.header}'" for c in spec.required if not any(c.matches(f) for f in fields))
        detail = f"line {index + 1} has the columns {found} but not {lacking}: columns were removed"
    else:
        examples = ", ".join(f"'{c.header}'" for c in spec.columns[:3])
        detail = f"none of them names a column this file should have, such as {examples}"
    raise ExportError(
        spec.file, None, f"no header line with the columns {wanted} in its first {HEADER_SEARCH_LINES} lines ({detail})",
        spec.hint or f"Check that this is the {spec.file} of a LinkedIn data export, as downloaded.",
    )


def _join_continuations(lines: list[str], header_index: int, pattern: str) -> tuple[list[str], list[int]]:
    """Glue lines that do not open a record back onto the record before them; also the 1-based
    physical line each glued line starts on.

    LinkedIn writes some multi-line fields (comments) without quotes, so their line breaks split
    the record; a record's first line is recognised by ``pattern`` (e.g. a leading timestamp).
    """
    opener = re.compile(pattern)
    out, origin = lines[: header_index + 1], list(range(1, header_index + 2))
    for number, line in enumerate(lines[header_index + 1:], start=header_index + 2):
        if opener.match(line) or len(out) == header_index + 1:
            out.append(line)
            origin.append(number)
        else:
            out[-1] = f"{out[-1]} {line}"
    return out, origin


def _records(lines: list[str], origin: list[int], header_index: int, delimiter: str, wanted: list[int],
             spec: TableSpec) -> tuple[list[int], list[list[str]], int]:
    """Each data record's first physical line and its kept fields, and how many whole-line records
    (a spreadsheet wrapping a line in quotes) were unwrapped.

    Raises ExportError at the first record with more fields than the header (an unquoted comma would
    shift every value after it into the wrong column), or with a whole row in one field that cannot
    be unwrapped: a row is never loaded with the whole line in its first column.
    """
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO("\n".join(lines[header_index:])), delimiter=delimiter)
    try:
        width = len(next(reader, []))
        starts, kept, unwrapped, previous_end = [], [], 0, reader.line_num
        for record in reader:
            start = origin[min(header_index + previous_end, len(origin) - 1)]
            previous_end = reader.line_num
            if not record:
                continue
            if len(record) == 1 and width > 1 and delimiter in record[0]:
                inner = _split_fields(record[0], delimiter)
                if len(inner) >= width and not any(v.strip() for v in inner[width:]):
                    record, unwrapped = inner, unwrapped + 1
                elif record[0].count(delimiter) >= width - 1:
                    raise ExportError(spec.file, start, "this line holds a whole row in one quoted field, "
                                      "and it cannot be split back into the columns",
                                      "Use the original file from the LinkedIn download, not a spreadsheet re-save.")
            if len(record) > width and any(v.strip() for v in record[width:]):
                raise ExportError(
                    spec.file, start, f"this row has {len(record)} fields but the header has {width}",
                    "A comma inside a value must be inside double quotes; use the original file from the LinkedIn download.",
                )
            starts.append(start)
            kept.append([record[i] if i < len(record) else "" for i in wanted])
    except csv.Error as exc:
        raise ExportError(spec.file, reader.line_num + header_index + 1, f"the file could not be read as CSV ({exc})",
                          "Use the original file from the LinkedIn download.") from None
    return starts, kept, unwrapped


def _parse(text: pl.Series, column: Column, formats: tuple[str, ...], floor: bool = True) -> pl.Series:
    """The first of ``formats`` giving each value a date (on or after ``column.earliest`` when ``floor``)."""
    dtype = pl.Date if column.kind == "date" else pl.Datetime("us")
    attempts = []
    for fmt in formats:
        has_time = any(t in fmt for t in ("%H", "%I", "%M", "%S"))
        attempt = pl.lit(text).str.strptime(pl.Datetime("us") if has_time else pl.Date, fmt, strict=False).cast(dtype)
        if floor and column.earliest is not None:
            attempt = pl.when(attempt.cast(pl.Date) >= column.earliest).then(attempt)
        attempts.append(attempt)
    if not attempts:
        return pl.Series(column.name, [None] * text.len(), dtype=dtype)
    return pl.select(pl.coalesce(attempts)).to_series().alias(column.name)


def _quotable(value: str) -> str:
    """The value in quotes when it looks like a date; else a mention that never shows it."""
    if re.fullmatch(r"[0-9A-Za-z ./:,+\-]{1,40}", value) and re.search(r"\d", value):
        return f"is '{value}', which is not a date in a form LinkedIn uses"
    return "holds text that is not a date (not shown here: it may be a name that slipped into this column)"


def _dates(text: pl.Series, lines: pl.Series, column: Column, spec: TableSpec, prefer_day_first: bool,
           notes: list[str]) -> tuple[pl.Series, pl.Series]:
    """Parse one date column; return it and the mask of values cut short or implausible (left empty)."""
    parsed = _parse(text, column, column.formats)
    unread = text.is_not_null() & parsed.is_null()
    if unread.any() and column.alternatives:
        order = sorted(column.alternatives, key=lambda a: a[0] != "day first") if prefer_day_first \
            else list(column.alternatives)
        tried = []
        for label, forms in order:
            candidate = _parse(text, column, column.formats + forms)
            tried.append((int((text.is_not_null() & candidate.is_null()).sum()), label, candidate))
        left, label, candidate = min(tried, key=lambda t: t[0])
        if left < int(unread.sum()):
            both = sum(t[0] == 0 for t in tried) > 1
            notes.append(f"{spec.file}: '{column.header}' dates were rewritten by a spreadsheet; read {label}"
                         + (" (every date fits either order; the file's separator suggests this one)." if both else "."))
            parsed, unread = candidate, text.is_not_null() & candidate.is_null()
    cut = pl.Series([False] * text.len(), dtype=pl.Boolean)
    if column.cut_short:
        cut = unread & text.str.contains(column.cut_short).fill_null(False)
    if column.earliest is not None and unread.any():  # a date, but one before LinkedIn existed
        every = column.formats + tuple(f for _, forms in column.alternatives for f in forms)
        cut = cut | (unread & _parse(text, column, every, floor=False).is_not_null())
    bad = unread & ~cut
    if bad.any():
        at = int(bad.arg_true()[0])
        more = int(bad.sum()) - 1
        raise ExportError(
            spec.file, lines[at],
            f"'{column.header}' {_quotable(text[at])} (expected e.g. {column.example or ', '.join(column.formats)})"
            + (f" ({more} more rows like it)" if more else ""),
            "If you edited the file in a spreadsheet, use the original file from the LinkedIn download; "
            "otherwise please report this date form.",
        )
    return parsed, cut


def _typed_text(column: Column, text: pl.Series) -> pl.Series:
    if column.kind == "flag":
        return text.is_not_null().alias(column.name)
    return text.alias(column.name)


def read_file(raw: bytes, spec: TableSpec) -> Table:
    """Parse one export file per ``spec``: the frame with the spec's columns in its order, and notes.

    Raises :class:`ExportError` naming the file, the line and the problem when the header is missing,
    a record has more fields than the header, a whole row sits in one field, or a date has a form none
    of the formats fits. Values are quoted in the message only when they look like dates.
    """
    if raw.startswith(b"PK\x03\x04"):
        text, notes = workbook_as_text(raw, spec.file)
        spec = replace(spec, columns=tuple(replace(c, formats=c.formats + WORKBOOK_FORMATS)
                                           if c.kind in ("date", "datetime") else c for c in spec.columns))
    else:
        text, notes = decode(raw, spec.file)
    if spec.backslash_quotes and '\\"' in text:
        text = text.replace('\\"', '""')
        notes.append(f"{spec.file} writes quotes inside a field as \\\" (as exports since 2025 do); read as such.")
    # only CR, LF and CRLF end a line: str.splitlines would also split names at U+2028, \x1c and the like
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_index, delimiter, fields = find_header(lines, spec)
    if delimiter == ";":
        notes.append(f"{spec.file} is separated by semicolons (a spreadsheet re-save with European settings); "
                     "read as such.")
    origin = list(range(1, len(lines) + 1))
    if spec.line_filter:
        lines, origin = _join_continuations(lines, header_index, spec.line_filter)

    positions = {c.name: next((i for i, f in enumerate(fields) if c.matches(f)), None) for c in spec.columns}
    kept = [c for c in spec.columns if positions[c.name] is not None]
    wanted = [positions[c.name] for c in kept]
    starts, records, unwrapped = _records(lines, origin, header_index, delimiter, wanted, spec)
    if unwrapped:
        notes.append(f"{spec.file}: {unwrapped:,} lines were wrapped whole in quotes (a spreadsheet re-save); "
                     "unwrapped and read.")
    stripped = [pl.col(c.name).str.strip_chars() for c in kept]
    raw_frame = (
        pl.DataFrame({c.name: [r[i] for r in records] for i, c in enumerate(kept)} | {"_line": starts},
                     schema={c.name: pl.String for c in kept} | {"_line": pl.Int64})
        .with_columns(pl.when(s.str.len_chars() > 0).then(s).alias(c.name) for s, c in zip(stripped, kept))
        .filter(pl.any_horizontal(pl.col(c.name).is_not_null() for c in kept))
    )
    lines_of = raw_frame["_line"]
    out: dict[str, pl.Series] = {}
    missing_dates: dict[str, int] = {}
    cut_dates: dict[str, int] = {}
    unusable = pl.Series([False] * raw_frame.height, dtype=pl.Boolean)
    for column in spec.columns:
        if column not in kept:
            out[column.name] = pl.Series(column.name, [None] * raw_frame.height, dtype=_dtype(column))
            continue
        text = raw_frame[column.name]
        if column.kind in ("date", "datetime"):
            parsed, cut = _dates(text, lines_of, column, spec, delimiter == ";", notes)
            if cut.any():
                cut_dates[column.header] = int(cut.sum())
            if column.required and text.null_count():
                missing_dates[column.header] = text.null_count()
            unusable = unusable | cut | text.is_null() if column.required else unusable | cut
            out[column.name] = parsed
        else:
            out[column.name] = _typed_text(column, text)
    frame = pl.DataFrame(list(out.values())) if out else pl.DataFrame()
    return Table(frame, tuple(notes), tuple(c.name for c in kept), int(unusable.sum()), missing_dates, cut_dates)


def _dtype(column: Column) -> pl.DataType:
    return {"str": pl.String, "flag": pl.Boolean, "date": pl.Date, "datetime": pl.Datetime("us")}[column.kind]
