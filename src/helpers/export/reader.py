"""Read a member's LinkedIn data export ("Get a copy of your data") into typed polars frames.

>>> from helpers.export import load_export
>>> from helpers.paths import SAMPLE_EXPORT
>>> export = load_export(SAMPLE_EXPORT)
>>> export.connections.columns
['first_name', 'last_name', 'url', 'company', 'position', 'connected_on', 'is_ghost']

``path`` may be the downloaded ``.zip``, the folder it unzips to, or a lone ``Connections.csv``.
A zip is read in memory: nothing is extracted to disk. E-mail addresses and message texts are never
parsed into a frame.

``Connections.csv`` is required: when it cannot be read, :class:`~helpers.errors.ExportError` says which
file, which line, what was expected and what to do. Every other file is optional: when one cannot be
read, its table is ``None`` and :attr:`LinkedInExport.read_log` says why, so the pages that need it
say so and give ``not testable`` verdicts while the rest of the report is made.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import polars as pl

from helpers.errors import ExportError
from helpers.export import analytics
from helpers.export.csvfile import Column, Table, TableSpec, header_key, read_file, spreadsheet_dates
from helpers.sections import used_for

#: The forms 'Connected On' took: 2020 onwards, 2018, and Excel re-saves.
CONNECTED_ON_FORMATS = ("%d %b %Y", "%m/%d/%y, %I:%M %p", "%d-%b-%y")
#: 'Connected On' values cut short ('07 Feb', '07 Feb 20', '23-Nov-'): counted and left empty, not refused.
CONNECTED_ON_CUT = r"^\d{1,2}(\s+[A-Za-z]{0,3}(\s+\d{0,3})?|-[A-Za-z]{0,3}(-\d?)?|/\d{0,2}(/\d?)?)?$"
#: LinkedIn opened in May 2003: an earlier date is a year cut short ('07 Feb 202' reads as 202 AD).
LINKEDIN_FOUNDED = date(2003, 5, 5)
#: Timestamps in Invitations.csv and the 2018 Messages.csv.
US_STAMP = "%m/%d/%y, %I:%M %p"
#: Activity files' timestamps: 2020 onwards, and the 2018 Complete export's '2017/06/08 08:15:44 UTC'.
ACTIVITY_STAMPS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S UTC", "%Y-%m-%d %H:%M:%S UTC")
#: Refuse archives that would unpack beyond this (a zip bomb) or compress better than this ratio.
MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200

CONNECTIONS = TableSpec(
    file="Connections.csv",
    columns=(
        Column("First Name", "first_name"),
        Column("Last Name", "last_name"),
        Column("URL", "url", aliases=("Profile URL",)),
        Column("Company", "company"),
        Column("Position", "position"),
        Column("Connected On", "connected_on", "date", CONNECTED_ON_FORMATS, required=True,
               example="'07 Feb 2026', '1/8/18, 6:14 PM' or '23-Nov-21'",
               alternatives=spreadsheet_dates(with_time=False), earliest=LINKEDIN_FOUNDED, cut_short=CONNECTED_ON_CUT),
    ),
    hint="Connections.csv is in the LinkedIn download (Settings & Privacy > Data privacy > "
         "Get a copy of your data); pass the .zip, its folder, or that file.",
    period="connected_on",
)
INVITATIONS = TableSpec(
    file="Invitations.csv",
    columns=(
        Column("From", "from_name"),
        Column("To", "to_name"),
        Column("Sent At", "sent_at", "datetime", (US_STAMP, "%Y-%m-%d %H:%M:%S"), required=True,
               example="'8/26/22, 8:56 PM'", alternatives=spreadsheet_dates(with_time=True),
               earliest=LINKEDIN_FOUNDED),
        Column("Message", "has_message", "flag"),
        Column("Direction", "direction", required=True),
        Column("inviterProfileUrl", "inviter_url"),
        Column("inviteeProfileUrl", "invitee_url"),
        Column("inviterProfileUrn", "inviter_urn"),
        Column("inviteeProfileUrn", "invitee_urn"),
    ),
    period="sent_at",
)
MESSAGES = TableSpec(
    file="messages.csv",
    columns=(
        Column("CONVERSATION ID", "conversation_id"),
        Column("CONVERSATION TITLE", "conversation_title"),
        Column("FROM", "from_name", required=True),
        Column("SENDER PROFILE URL", "sender_url"),
        Column("TO", "to_names"),
        Column("RECIPIENT PROFILE URLS", "recipient_urls"),
        Column("DATE", "sent_at", "datetime", ("%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d %H:%M:%S", US_STAMP),
               required=True, example="'2022-09-08 18:08:14 UTC'", alternatives=spreadsheet_dates(with_time=True),
               earliest=LINKEDIN_FOUNDED),
        Column("FOLDER", "folder"),
        Column("IS MESSAGE DRAFT", "is_draft"),
    ),
    period="sent_at",
)
POSITIONS = TableSpec(
    file="Positions.csv",
    columns=(
        Column("Company Name", "company", required=True),
        Column("Title", "title"),
        Column("Started On", "started_on", "date", ("%b %Y", "%Y"), example="'Nov 2022' or '2017'"),
        Column("Finished On", "finished_on", "date", ("%b %Y", "%Y"), example="'Nov 2022' or '2017'"),
    ),
    period="started_on",
)
PROFILE = TableSpec(
    file="Profile.csv",
    columns=(
        Column("Headline", "headline", required=True),
        Column("Industry", "industry"),
        Column("Geo Location", "geo_location"),
    ),
)
SHARES = TableSpec(
    file="Shares.csv",
    columns=(
        Column("Date", "shared_at", "datetime", ACTIVITY_STAMPS, required=True,
               example="'2022-09-08 04:10:18'", alternatives=spreadsheet_dates(with_time=True),
               earliest=LINKEDIN_FOUNDED),
        Column("ShareLink", "share_link", required=True),
        Column("SharedUrl", "shared_url"),
        Column("Visibility", "visibility"),
    ),
    period="shared_at",
)
COMMENTS = TableSpec(
    file="Comments.csv",
    columns=(
        Column("Date", "commented_at", "datetime", ACTIVITY_STAMPS, required=True,
               example="'2024-03-17 18:03:34'", alternatives=spreadsheet_dates(with_time=True),
               earliest=LINKEDIN_FOUNDED),
        Column("Link", "link", required=True),
    ),
    line_filter=r"\d{4}[-/]\d{2}[-/]\d{2} |\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b",
    backslash_quotes=True,
    period="commented_at",
)
REACTIONS = TableSpec(
    file="Reactions.csv",
    columns=(
        Column("Date", "reacted_at", "datetime", ACTIVITY_STAMPS, required=True,
               example="'2024-06-17 06:01:43'", alternatives=spreadsheet_dates(with_time=True),
               earliest=LINKEDIN_FOUNDED),
        Column("Type", "type"),
        Column("Link", "link"),
    ),
    period="reacted_at",
)

#: The files only the Complete archive holds (the Basic one has the others; see
#: ../shared/research/linkedin-export-format.md, section 2.1).
COMPLETE_ONLY = ("shares", "comments", "reactions")
#: Where a member asks LinkedIn for their archive.
ARCHIVE_REQUEST = "on linkedin.com, Me, Settings & Privacy, Data privacy, Get a copy of your data"


def what_would_fill(table: str) -> str:
    """The sentence telling a member what would bring ``table`` into the report."""
    if table == "analytics":
        return ("What would fill it: your creator-analytics workbooks (on linkedin.com, Analytics, Content, Export, "
                "and per post View analytics, Export), put beside the zip.")
    spec = OPTIONAL_TABLES.get(table)
    name = spec.file if spec else table
    if table in COMPLETE_ONLY:
        return (f"What would fill it: the Complete archive, which holds {name}: {ARCHIVE_REQUEST}, "
                "\"Download larger data archive\".")
    return (f"What would fill it: the whole archive LinkedIn sends (the Basic and the Complete one both hold {name}; "
            f"{ARCHIVE_REQUEST}), given to the report as the zip or its folder, not Connections.csv alone.")


OPTIONAL_TABLES = {
    "invitations": INVITATIONS,
    "messages": MESSAGES,
    "positions": POSITIONS,
    "profile": PROFILE,
    "shares": SHARES,
    "comments": COMMENTS,
    "reactions": REACTIONS,
}
#: How a file was taken: every row; some rows or values left out; not at all (with why); not in the
#: export; in the export but not something the report reads.
STATUSES = ("read", "partly read", "skipped", "absent", "not used")


@dataclass(frozen=True)
class FileRead:
    """What became of one file of the export: the record behind the report's "what was read" table.

    ``file`` is the name as found (or as LinkedIn names it, when absent); ``table`` the attribute of
    :class:`LinkedInExport` it fills (``"analytics"`` for workbooks, ``""`` when none); ``status`` one of
    :data:`STATUSES`; ``rows`` and ``first``/``last`` (the period the rows cover) when read; ``notes``
    what was unusual or, when skipped, why and what to do; ``line`` where the problem is, when known.
    Nothing here quotes a connection's name.
    """

    file: str
    table: str
    status: str
    rows: int | None = None
    first: date | None = None
    last: date | None = None
    notes: tuple[str, ...] = ()
    line: int | None = None
    columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    @property
    def period(self) -> str:
        if self.first is None:
            return ""
        return f"{self.first:%d %b %Y} - {self.last:%d %b %Y}" if self.last != self.first else f"{self.first:%d %b %Y}"


@dataclass(frozen=True)
class LinkedInExport:
    """A member's export: ``connections`` always; each other table ``None`` when the file is absent
    or could not be read (``read_log`` says which, and why)."""

    source: Path
    kind: str  # "zip", "folder" or "csv"
    connections: pl.DataFrame
    invitations: pl.DataFrame | None = None
    messages: pl.DataFrame | None = None
    positions: pl.DataFrame | None = None
    profile: pl.DataFrame | None = None
    shares: pl.DataFrame | None = None
    comments: pl.DataFrame | None = None
    reactions: pl.DataFrame | None = None
    analytics: analytics.Analytics | None = None
    files: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    read_log: tuple[FileRead, ...] = ()

    @property
    def archive_type(self) -> str:
        """'Complete' when the activity files (Shares, Reactions, Comments) are there, else 'Basic'."""
        activity = (self.shares, self.reactions, self.comments)
        return "Complete" if any(t is not None for t in activity) else "Basic"

    def reads(self, table: str) -> list[FileRead]:
        """The records of the files behind ``table`` (several for ``"analytics"``)."""
        return [r for r in self.read_log if r.table == table]

    def has_column(self, table: str, column: str) -> bool:
        """True when ``table`` was read from a file that has ``column`` (our name, e.g. ``"company"``)."""
        return any(column in r.columns for r in self.reads(table) if r.status in ("read", "partly read"))

    def why_missing(self, table: str) -> tuple[str, str]:
        """(heading, reason) for a table the report has not got: "Not in this export", or "Left out" with
        the reason the file could not be read.

        >>> from helpers.paths import SAMPLE_EXPORT
        >>> heading, why = load_export(SAMPLE_EXPORT / "Connections.csv").why_missing("invitations")
        >>> heading, why[:64]
        ('Not in this export', 'There is no Invitations.csv in this export. What would fill it: ')
        """
        skipped = [r for r in self.reads(table) if r.status == "skipped"]
        if skipped:
            reasons = " ".join(f"{r.file} could not be read: {' '.join(r.notes)}" for r in skipped)
            return "Left out", reasons
        if table == "analytics":
            unused = [r.file for r in self.reads(table) if r.status == "not used"]
            if unused:
                return "Not used", (f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not a creator-analytics "
                                    "export this report can read (no DISCOVERY, TOP POSTS, ENGAGEMENT, FOLLOWERS, "
                                    "PERFORMANCE or Post analytics sheet). " + what_would_fill(table))
            return "Not in this export", ("This export holds no creator-analytics workbook (Content_*, "
                                          "AggregateAnalytics_*, PostAnalytics_* or SinglePostAnalytics_*.xlsx). "
                                          + what_would_fill(table))
        spec = OPTIONAL_TABLES.get(table)
        return "Not in this export", f"There is no {spec.file if spec else table} in this export. " + \
            what_would_fill(table)

    def read_summary(self) -> pl.DataFrame:
        """The "what was read" table: one row per file, in the order files are read."""
        return pl.DataFrame(
            [{"file": r.file, "used for": used_for(r.table), "status": r.status,
              "rows": r.rows, "period": r.period, "notes": " ".join(r.notes)} for r in self.read_log],
            schema={"file": pl.String, "used for": pl.String, "status": pl.String, "rows": pl.Int64,
                    "period": pl.String, "notes": pl.String},
        )


def file_key(name: str) -> str:
    """Match file names as LinkedIn spelt them in different years: case, spaces and underscores vary."""
    return header_key(Path(name).name)


class _Archive:
    """The files of an export, by matching key, read as bytes (zip members are never written out)."""

    def __init__(self, path: Path):
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, tuple[str, object]] = {}
        if path.is_dir():
            self.kind = "folder"
            for item in sorted(path.rglob("*"), key=lambda p: (len(p.parts), str(p))):
                if item.is_file() and len(item.relative_to(path).parts) <= 3:
                    self._files.setdefault(file_key(item.name), (str(item.relative_to(path)), item))
        elif zipfile.is_zipfile(path):
            self.kind = "zip"
            self._open_zip(path)
        elif path.suffix.lower() == ".zip":
            raise ExportError(path.name, None, "the file ends in .zip but is not a readable zip archive",
                              "Download the export again from LinkedIn; the download may have been cut short.")
        else:
            self.kind = "csv"
            self._files[file_key(CONNECTIONS.file)] = (path.name, path)

    def _open_zip(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise ExportError(path.name, None, f"the zip archive is damaged ({exc})",
                              "Download the export again from LinkedIn.") from None
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > MAX_UNPACKED_BYTES or (total > 50 * 1024**2 and total / packed > MAX_COMPRESSION_RATIO):
            raise ExportError(path.name, None,
                              f"the archive would unpack to {total / 1024**2:,.0f} MB "
                              f"({total / packed:,.0f} times its packed size); refusing it as a possible zip bomb",
                              "Use the zip exactly as LinkedIn sent it.")
        for info in sorted(infos, key=lambda i: (i.filename.count("/"), i.filename)):
            if not info.is_dir():
                self._files.setdefault(file_key(info.filename), (info.filename, info))

    def names(self) -> list[str]:
        return sorted(name for name, _ in self._files.values())

    def read(self, name: str) -> tuple[str, bytes] | None:
        """(name as found, bytes) of the file matching ``name``, or None when absent."""
        entry = self._files.get(file_key(name))
        if entry is None:
            return None
        shown, handle = entry
        try:
            if isinstance(handle, Path):
                return shown, handle.read_bytes()
            assert self._zip is not None
            with self._zip.open(handle) as member:
                data = member.read(MAX_UNPACKED_BYTES + 1)
        except PermissionError:
            raise ExportError(shown, None, "the file cannot be read (permission denied)",
                              "Check the file's permissions.") from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ExportError(shown, None, f"this member of the zip cannot be unpacked ({exc})",
                              "Download the export again from LinkedIn.") from None
        if len(data) > MAX_UNPACKED_BYTES:
            raise ExportError(shown, None, "the file unpacks to more than its declared size",
                              "Use the zip exactly as LinkedIn sent it.")
        return shown, data

    def workbooks(self) -> list[tuple[str, str]]:
        """(name, handle) of every workbook in the export, and of analytics workbooks placed beside it
        (LinkedIn's names, or names with 'analytics' or 'posts'); :meth:`read_workbook` reads one."""
        found: dict[str, str] = {}
        for key, (shown, _) in self._files.items():
            if shown.lower().endswith(".xlsx"):
                found.setdefault(Path(shown).name, key)
        beside = self.path.parent if self.kind != "folder" else None
        if beside is not None and beside.is_dir():
            for item in sorted(beside.iterdir()):
                if item.is_file() and analytics.may_be_analytics(item.name) and item.name not in found:
                    found[item.name] = str(item)
        return [(name, found[name]) for name in sorted(found)]

    def read_workbook(self, handle: str) -> bytes:
        if handle in self._files:
            item = self.read(handle)
            return item[1] if item else b""
        return Path(handle).read_bytes()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


IDENTITY_COLUMNS = ("first_name", "last_name", "url", "company", "position")


def _finish_connections(frame: pl.DataFrame, present: tuple[str, ...]) -> pl.DataFrame:
    """Add ``is_ghost``: every identity column the file has is empty. A file without any identity
    column (only 'Connected On') has no ghosts it could show: none is marked."""
    identity = [c for c in IDENTITY_COLUMNS if c in present]
    ghost = pl.all_horizontal(pl.col(c).is_null() for c in identity) if identity else pl.lit(False)
    return frame.with_columns(ghost.alias("is_ghost"))


def _period(frame: pl.DataFrame, column: str | None) -> tuple[date | None, date | None]:
    if column is None or frame.is_empty():
        return None, None
    values = frame.get_column(column).drop_nulls()
    if values.is_empty():
        return None, None
    first, last = values.min(), values.max()
    return (first.date() if hasattr(first, "date") else first), (last.date() if hasattr(last, "date") else last)


def _dates_note(table: Table, kept: str) -> list[str]:
    """Sentences counting the rows kept without a usable date, and what became of them (``kept``)."""
    notes = [f"{n:,} rows have an empty '{header}'." for header, n in table.missing_dates.items()]
    notes += [f"{n:,} rows have a '{header}' cut short or impossible (before LinkedIn existed)."
              for header, n in table.cut_dates.items()]
    return notes + [kept] if notes else notes


def _read_connections(archive: _Archive, source: Path) -> tuple[pl.DataFrame, FileRead, list[str]]:
    found = archive.read(CONNECTIONS.file)
    if found is None:
        listed = ", ".join(archive.names()[:8]) or "nothing"
        raise ExportError(source.name, None, f"there is no Connections.csv in this {archive.kind} (it holds {listed})",
                          CONNECTIONS.hint)
    shown, raw = found
    table = read_file(raw, replace(CONNECTIONS, file=shown))
    if table.frame.is_empty():
        raise ExportError(shown, None, "the file has a header but lists no connections",
                          "Download the export again from LinkedIn; if you have no connections yet, there is "
                          "nothing to analyse.")
    if table.frame["connected_on"].is_null().all():
        raise ExportError(shown, None, "no row has a usable 'Connected On' date (all are empty or cut short)",
                          "Use the original Connections.csv from the LinkedIn download.")
    notes = list(table.notes)
    if not any(c in table.columns for c in IDENTITY_COLUMNS):
        notes.append(f"{shown} has only the 'Connected On' column (the others were removed): sizes and growth are "
                     "measured, but employers, job functions, ghost rows and who is who are unknown.")
    notes += _dates_note(table, "They still count as connections, without a date.")
    first, last = _period(table.frame, "connected_on")
    status = "partly read" if table.unusable else "read"
    record = FileRead(shown, "connections", status, table.frame.height, first, last, tuple(notes),
                      columns=table.columns)
    return _finish_connections(table.frame, table.columns), record, notes


def _optional_note(spec: TableSpec, table: Table, shown: str) -> list[str]:
    notes = list(table.notes) + _dates_note(table, "They are kept, without a date.")
    if spec is INVITATIONS and ("inviter_urn" in table.columns or "invitee_urn" in table.columns) \
            and "invitee_url" not in table.columns:
        notes.append(f"{shown} names people by member number (urn:li:member:...), which Connections.csv does not "
                     "list: invitations are matched to connections by name.")
    return notes


def _skipped(file: str, table: str, error: BaseException) -> FileRead:
    if isinstance(error, ExportError):
        where = f"Line {error.line}: " if error.line else ""
        return FileRead(file, table, "skipped", notes=(f"{where}{error.problem}.", f"What to do: {error.todo}"),
                        line=error.line)
    return FileRead(file, table, "skipped",
                    notes=(f"It could not be read ({type(error).__name__}).",
                           "What to do: use the file exactly as LinkedIn sent it; if it is, please report this."))


def _read_optional(archive: _Archive, attribute: str, spec: TableSpec) -> tuple[pl.DataFrame | None, FileRead]:
    """One optional table, or None with the reason: a file that cannot be read never stops the export."""
    shown = spec.file
    try:
        item = archive.read(spec.file)
        if item is None:
            return None, FileRead(spec.file, attribute, "absent")
        shown, raw = item
        table = read_file(raw, replace(spec, file=shown))
    except Exception as error:  # noqa: BLE001 - any failure of an optional file becomes a note, never a refusal
        return None, _skipped(shown, attribute, error)
    first, last = _period(table.frame, spec.period)
    status = "partly read" if table.unusable else "read"
    return table.frame, FileRead(shown, attribute, status, table.frame.height, first, last,
                                 tuple(_optional_note(spec, table, shown)), columns=table.columns)


def _read_analytics(archive: _Archive) -> tuple[analytics.Analytics | None, list[FileRead]]:
    read, log = [], []
    for name, handle in archive.workbooks():
        try:
            book = analytics.read_workbook(name, archive.read_workbook(handle))
        except Exception as error:  # noqa: BLE001 - one bad workbook never hides the others
            log.append(_skipped(name, "analytics", error))
            continue
        if not analytics.has_figures(book):
            log.append(FileRead(name, "analytics", "not used",
                                notes=("No sheet of it is one LinkedIn's analytics exports have (DISCOVERY, "
                                       "ENGAGEMENT, TOP POSTS, FOLLOWERS, PERFORMANCE, Post analytics), or they are "
                                       "empty.",)))
            continue
        first, last = book.period
        log.append(FileRead(name, "analytics", "read", len(book.posts), first, last, (f"Read: {book.summary()}.",)))
        read.append(book)
    return (analytics.merge(read) if read else None), log


def load_export(path: str | Path) -> LinkedInExport:
    """Read a LinkedIn data export: a ``.zip``, the folder it unzips to, or a lone ``Connections.csv``.

    Parameters
    ----------
    path : str or Path
        Where the export is. The member's files are only read, never changed.

    Returns
    -------
    LinkedInExport
        ``connections`` has one row per connection line of the file, in file order (newest first
        in LinkedIn's own files), with columns ``first_name, last_name, url, company, position``
        (text, stripped, null when empty), ``connected_on`` (date; null when the file's value was
        empty or cut short, which ``read_log`` counts) and ``is_ghost`` (only a date: an account
        closed or hidden). Other files are typed frames, or ``None`` when absent or unreadable;
        ``read_log`` has one :class:`FileRead` per file looked at.

    Raises
    ------
    ExportError
        The path does not exist, is not an export, or its Connections.csv cannot be read; the message
        says which file and line, what was expected and what to do.
    """
    source = Path(path).expanduser()
    if not source.exists():
        raise ExportError(str(source), None, "no such file or folder",
                          "Check the path; pass the LinkedIn .zip, the folder it unzips to, or Connections.csv.")
    try:
        archive = _Archive(source)
    except PermissionError:
        raise ExportError(str(source), None, "it cannot be read (permission denied)",
                          "Check the permissions of the file or folder.") from None
    try:
        connections, connections_read, notes = _read_connections(archive, source)
        notes = [f"{connections_read.file}: {n}" if not n.startswith(connections_read.file) else n for n in notes]
        log = [connections_read]
        tables: dict[str, pl.DataFrame | None] = {}
        for attribute, spec in OPTIONAL_TABLES.items():
            tables[attribute], record = _read_optional(archive, attribute, spec)
            log.append(record)
            notes += [n if n.startswith(record.file) else f"{record.file}: {n}" for n in record.notes]
        posts, workbook_log = _read_analytics(archive)
        log += workbook_log
        notes += [f"{r.file}: {' '.join(r.notes)}" for r in workbook_log if r.status != "read"]
        seen = {file_key(r.file) for r in log}
        others = [name for name in archive.names() if file_key(name) not in seen]
        if others:
            listed = ", ".join(Path(n).name for n in others[:6]) + (", ..." if len(others) > 6 else "")
            log.append(FileRead(f"{len(others)} other file{'s' if len(others) > 1 else ''}", "", "not used",
                                notes=(f"Not needed for these questions: {listed}.",)))
        return LinkedInExport(
            source=source,
            kind=archive.kind,
            connections=connections,
            analytics=posts,
            files=tuple(archive.names()),
            notes=tuple(notes),
            read_log=tuple(log),
            **tables,
        )
    finally:
        archive.close()

