"""Read one LinkedIn CSV file into a typed polars frame, tolerating the quirks of real exports.

LinkedIn's CSVs drift between years: a ``Notes:`` preamble appears or not (and Excel pads it with
commas), headers change case and gain columns, files are UTF-8 with or without a BOM, re-saved as
cp1252, or written as UTF-16 tab-separated text. A :class:`TableSpec` names the columns we keep by
their header text; everything else in the file (e-mail addresses, message bodies) is never parsed
into a frame.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

import polars as pl

from helpers.errors import ExportError

#: How many physical lines may stand before the header (LinkedIn writes 3; leave room for edits).
HEADER_SEARCH_LINES = 20


@dataclass(frozen=True)
class Column:
    """One column we keep: its header as LinkedIn spells it, our name, and how to type it.

    ``kind`` is ``"str"`` (stripped text, null when empty), ``"date"`` or ``"datetime"`` (parsed
    with ``formats``, tried in order; a non-empty value no format fits is an error), or ``"flag"``
    (True when the cell is non-empty; the text itself is dropped).
    """

    header: str
    name: str
    kind: str = "str"
    formats: tuple[str, ...] = ()
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""

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

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def header_key(text: str) -> str:
    """Header comparison key: case, spaces, underscores and a BOM do not matter."""
    return re.sub(r"[\s_\ufeff\"]", "", text).lower()


def decode(raw: bytes, file: str) -> tuple[str, list[str]]:
    """Bytes to text, with notes on anything unusual (a BOM, UTF-16, a cp1252 re-save)."""
    notes: list[str] = []
    if not raw.strip():
        raise ExportError(file, None, "the file is empty", "Download the export again from LinkedIn.")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append(f"{file} is UTF-16 text (as some LinkedIn files are); read as such.")
        try:
            return raw.decode("utf-16"), notes
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


def _split_fields(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def find_header(lines: list[str], spec: TableSpec) -> tuple[int, str, list[str]]:
    """Index, delimiter and fields of the header line: the first line holding every required column."""
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        delimiter = "\t" if line.count("\t") > line.count(",") else ","
        fields = _split_fields(line, delimiter)
        if all(any(col.matches(f) for f in fields) for col in spec.required):
            return index, delimiter, fields
    wanted = ", ".join(f"'{c.header}'" for c in spec.required)
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    seen = first[:80] + ("..." if len(first) > 80 else "")
    raise ExportError(
        spec.file, None,
        f"no header line with the columns {wanted} in its first {HEADER_SEARCH_LINES} lines "
        f"(the first line reads '{seen}')",
        spec.hint or f"Check that this is the {spec.file} of a LinkedIn data export.",
    )


def _record_lines(lines: list[str], header_index: int, delimiter: str, spec: TableSpec) -> list[int]:
    """The 1-based physical line on which each data record starts (quoted newlines span lines).

    Raises ExportError at the first record with more fields than the header: an unquoted comma
    would shift every value after it into the wrong column.
    """
    reader = csv.reader(io.StringIO("\n".join(lines[header_index:])), delimiter=delimiter)
    width = len(next(reader, []))
    starts, previous_end = [], reader.line_num
    for record in reader:
        start = header_index + previous_end + 1
        if len(record) > width and any(field.strip() for field in record[width:]):
            raise ExportError(
                spec.file, start, f"this row has {len(record)} fields but the header has {width}",
                "A comma inside a value must be inside double quotes; use the original file from the LinkedIn download.",
            )
        starts.append(start)
        previous_end = reader.line_num
    return starts


def _join_continuations(lines: list[str], header_index: int, pattern: str) -> list[str]:
    """Glue lines that do not open a record back onto the record before them.

    LinkedIn writes some multi-line fields (comments) without quotes, so their line breaks split
    the record; a record's first line is recognised by ``pattern`` (e.g. a leading timestamp).
    """
    opener = re.compile(pattern)
    out = lines[: header_index + 1]
    for line in lines[header_index + 1:]:
        if opener.match(line) or len(out) == header_index + 1:
            out.append(line)
        else:
            out[-1] = f"{out[-1]} {line}"
    return out


def _typed(column: Column, source: str) -> pl.Expr:
    text = pl.col(source).str.strip_chars()
    text = pl.when(text.str.len_chars() > 0).then(text)
    if column.kind == "str":
        return text.alias(column.name)
    if column.kind == "flag":
        return text.is_not_null().alias(column.name)
    dtype = pl.Date if column.kind == "date" else pl.Datetime("us")
    attempts = []
    for fmt in column.formats:
        has_time = any(t in fmt for t in ("%H", "%I", "%M", "%S"))
        parsed = text.str.strptime(pl.Datetime("us") if has_time else pl.Date, fmt, strict=False)
        attempts.append(parsed.cast(dtype))
    return pl.coalesce(attempts).alias(column.name)


def read_table(raw: bytes, spec: TableSpec) -> tuple[pl.DataFrame, list[str]]:
    """Parse one export file per ``spec``: a frame with the spec's columns in its order, and notes.

    Raises :class:`ExportError` naming the file, the line and the value when the header is missing,
    a record has more fields than the header, or a date has a form none of the formats fits.
    """
    text, notes = decode(raw, spec.file)
    # only CR, LF and CRLF end a line: str.splitlines would also split names at U+2028, \x1c and the like
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_index, delimiter, fields = find_header(lines, spec)
    if spec.line_filter:
        lines = _join_continuations(lines, header_index, spec.line_filter)

    sources: dict[str, str] = {}
    for column in spec.columns:
        position = next((i for i, f in enumerate(fields) if column.matches(f)), None)
        if position is not None:
            sources[column.name] = f"c{position}"
    # Only the kept columns are parsed: e-mail addresses and message bodies never reach a frame.
    wanted = sorted({int(s[1:]) for s in sources.values()}) or [0]
    body = "\n".join(lines[header_index + 1:])
    if not body.strip():
        frame = pl.DataFrame(schema={f"c{i}": pl.String for i in wanted})
    else:
        try:
            frame = pl.read_csv(
                io.BytesIO(body.encode("utf-8")), has_header=False, separator=delimiter,
                infer_schema=False, quote_char='"', columns=wanted,
            )
        except pl.exceptions.PolarsError as exc:
            raise _locate_parse_error(lines, header_index, delimiter, len(fields), spec, exc) from None
        frame.columns = [f"c{i}" for i in wanted]
    starts = _record_lines(lines, header_index, delimiter, spec)
    if len(starts) != frame.height:  # the two parsers disagree on records; keep line numbers honest
        starts = [None] * frame.height
    frame = frame.with_columns(pl.Series("_line", starts, dtype=pl.Int64))
    kept = [c for c in spec.columns if c.name in sources]
    raw_cols = [pl.col(sources[c.name]).alias(f"raw_{c.name}") for c in kept]
    typed = frame.select(
        pl.col("_line"), *raw_cols, *[_typed(c, sources[c.name]) for c in kept]
    ).filter(pl.any_horizontal(pl.col(f"raw_{c.name}").str.strip_chars().str.len_chars() > 0 for c in kept)
             if kept else pl.lit(False))
    for column in kept:
        if column.kind in ("date", "datetime"):
            _check_parsed(typed, column, spec)
    missing = [c for c in spec.columns if c.name not in sources]
    result = typed.select(
        *[pl.col(c.name) for c in kept],
        *[_null_of(c) for c in missing],
    ).select([c.name for c in spec.columns])
    return result, notes


def _null_of(column: Column) -> pl.Expr:
    dtype = {"str": pl.String, "flag": pl.Boolean, "date": pl.Date, "datetime": pl.Datetime("us")}[column.kind]
    return pl.lit(None, dtype=dtype).alias(column.name)


def _check_parsed(frame: pl.DataFrame, column: Column, spec: TableSpec) -> None:
    bad = frame.filter(
        pl.col(column.name).is_null() & (pl.col(f"raw_{column.name}").str.strip_chars().str.len_chars() > 0)
    )
    if bad.height:
        line, value = bad.row(0, named=True)["_line"], bad.row(0, named=True)[f"raw_{column.name}"]
        more = f" ({bad.height - 1} more rows like it)" if bad.height > 1 else ""
        raise ExportError(
            spec.file, line,
            f"'{column.header}' is '{value}', which is not a date in a form LinkedIn uses "
            f"(expected e.g. {column.example or ', '.join(column.formats)}){more}",
            "If you edited the file in a spreadsheet, use the original file from the LinkedIn download; "
            "otherwise please report this date form.",
        )


def _locate_parse_error(lines, header_index, delimiter, width, spec, exc) -> ExportError:
    """An ExportError for a file polars could not parse: the first ragged row, or polars' reason."""
    try:
        _record_lines(lines, header_index, delimiter, spec)
    except ExportError as located:
        return located
    return ExportError(spec.file, None, f"the file could not be read as CSV ({str(exc).splitlines()[0]})",
                       "Use the original file from the LinkedIn download.")
