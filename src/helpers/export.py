"""Read a member's LinkedIn data export ("Get a copy of your data") into typed polars frames.

>>> from helpers.export import load_export
>>> from helpers.paths import SAMPLE_EXPORT
>>> export = load_export(SAMPLE_EXPORT)
>>> export.connections.columns
['first_name', 'last_name', 'url', 'company', 'position', 'connected_on', 'is_ghost']

``path`` may be the downloaded ``.zip``, the folder it unzips to, or a lone ``Connections.csv``.
A zip is read in memory: nothing is extracted to disk. E-mail addresses and message texts are never
parsed into a frame. Anything that cannot be read raises :class:`~helpers.errors.ExportError`.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from helpers import analytics
from helpers.csvfile import Column, TableSpec, header_key, read_table
from helpers.errors import ExportError

#: The forms 'Connected On' took: 2020 onwards, 2018, and Excel re-saves.
CONNECTED_ON_FORMATS = ("%d %b %Y", "%m/%d/%y, %I:%M %p", "%d-%b-%y")
#: Timestamps in Invitations.csv and the 2018 Messages.csv.
US_STAMP = "%m/%d/%y, %I:%M %p"
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
               example="'07 Feb 2026', '1/8/18, 6:14 PM' or '23-Nov-21'"),
    ),
    hint="Connections.csv is in the LinkedIn download (Settings & Privacy > Data privacy > "
         "Get a copy of your data); pass the .zip, its folder, or that file.",
)
INVITATIONS = TableSpec(
    file="Invitations.csv",
    columns=(
        Column("From", "from_name"),
        Column("To", "to_name"),
        Column("Sent At", "sent_at", "datetime", (US_STAMP, "%Y-%m-%d %H:%M:%S"), required=True,
               example="'8/26/22, 8:56 PM'"),
        Column("Message", "has_message", "flag"),
        Column("Direction", "direction", required=True),
        Column("inviterProfileUrl", "inviter_url"),
        Column("inviteeProfileUrl", "invitee_url"),
    ),
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
               required=True, example="'2022-09-08 18:08:14 UTC'"),
        Column("FOLDER", "folder"),
        Column("IS MESSAGE DRAFT", "is_draft"),
    ),
)
POSITIONS = TableSpec(
    file="Positions.csv",
    columns=(
        Column("Company Name", "company", required=True),
        Column("Title", "title"),
        Column("Started On", "started_on", "date", ("%b %Y", "%Y"), example="'Nov 2022' or '2017'"),
        Column("Finished On", "finished_on", "date", ("%b %Y", "%Y"), example="'Nov 2022' or '2017'"),
    ),
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
        Column("Date", "shared_at", "datetime", ("%Y-%m-%d %H:%M:%S",), required=True,
               example="'2022-09-08 04:10:18'"),
        Column("ShareLink", "share_link", required=True),
        Column("SharedUrl", "shared_url"),
        Column("Visibility", "visibility"),
    ),
)
COMMENTS = TableSpec(
    file="Comments.csv",
    columns=(
        Column("Date", "commented_at", "datetime", ("%Y-%m-%d %H:%M:%S",), required=True,
               example="'2024-03-17 18:03:34'"),
        Column("Link", "link", required=True),
    ),
    line_filter=r"\d{4}-\d{2}-\d{2} ",
)
REACTIONS = TableSpec(
    file="Reactions.csv",
    columns=(
        Column("Date", "reacted_at", "datetime", ("%Y-%m-%d %H:%M:%S",), required=True,
               example="'2024-06-17 06:01:43'"),
        Column("Type", "type"),
        Column("Link", "link"),
    ),
)

OPTIONAL_TABLES = {
    "invitations": INVITATIONS,
    "messages": MESSAGES,
    "positions": POSITIONS,
    "profile": PROFILE,
    "shares": SHARES,
    "comments": COMMENTS,
    "reactions": REACTIONS,
}


@dataclass(frozen=True)
class LinkedInExport:
    """A member's export: ``connections`` always; each other table ``None`` when the file is absent."""

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

    @property
    def archive_type(self) -> str:
        """'Complete' when the activity files (Shares, Reactions, Comments) are there, else 'Basic'."""
        activity = (self.shares, self.reactions, self.comments)
        return "Complete" if any(t is not None for t in activity) else "Basic"


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

    def workbooks(self) -> list[tuple[str, bytes]]:
        """Creator-analytics workbooks inside the export or placed beside it."""
        found: dict[str, tuple[str, bytes]] = {}
        for key, (shown, _) in self._files.items():
            if analytics.is_analytics_name(shown):
                item = self.read(key)
                if item:
                    found[Path(shown).name] = item
        beside = self.path.parent if self.kind != "folder" else None
        if beside is not None and beside.is_dir():
            for item in sorted(beside.iterdir()):
                if item.is_file() and analytics.is_analytics_name(item.name) and item.name not in found:
                    found[item.name] = (item.name, item.read_bytes())
        return [found[k] for k in sorted(found)]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _finish_connections(frame: pl.DataFrame) -> pl.DataFrame:
    identity = ["first_name", "last_name", "url", "company", "position"]
    return frame.with_columns(
        pl.all_horizontal(pl.col(c).is_null() for c in identity).alias("is_ghost"),
    )


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
        (text, stripped, null when empty), ``connected_on`` (date) and ``is_ghost`` (only a date:
        an account closed or hidden). Other files are typed frames, or ``None`` when absent.

    Raises
    ------
    ExportError
        The path does not exist, is not an export, or a file in it cannot be read; the message says
        which file and line, what was expected and what to do.
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
        found = archive.read(CONNECTIONS.file)
        if found is None:
            listed = ", ".join(archive.names()[:8]) or "nothing"
            raise ExportError(source.name, None,
                              f"there is no Connections.csv in this {archive.kind} (it holds {listed})",
                              CONNECTIONS.hint)
        notes: list[str] = []
        shown, raw = found
        connections, more = read_table(raw, replace(CONNECTIONS, file=shown))
        notes += more
        if connections.is_empty():
            raise ExportError(shown, None, "the file has a header but lists no connections",
                              "Download the export again from LinkedIn; if you have no connections yet, there is "
                              "nothing to analyse.")
        tables: dict[str, pl.DataFrame | None] = {}
        for attribute, spec in OPTIONAL_TABLES.items():
            item = archive.read(spec.file)
            if item is None and attribute == "messages":
                item = archive.read("Messages.csv")
            if item is None:
                tables[attribute] = None
                continue
            frame, more = read_table(item[1], replace(spec, file=item[0]))
            tables[attribute], notes = frame, notes + more
        workbooks = archive.workbooks()
        posts = analytics.read_workbooks(workbooks) if workbooks else None
        return LinkedInExport(
            source=source,
            kind=archive.kind,
            connections=_finish_connections(connections),
            analytics=posts,
            files=tuple(archive.names()),
            notes=tuple(notes),
            **tables,
        )
    finally:
        archive.close()


def normalise_profile_url(url: pl.Expr) -> pl.Expr:
    """A comparable form of a profile URL: percent-decoded, no scheme, host or trailing slash, lower case."""
    return (
        url.str.strip_chars()
        .str.replace(r"^(https?://)?([a-z]+\.)?linkedin\.com/in/", "")
        .str.strip_chars_end("/")
        .map_batches(_unquote_series, return_dtype=pl.String)
        .str.to_lowercase()
    )


def _unquote_series(series: pl.Series) -> pl.Series:
    from urllib.parse import unquote

    return pl.Series(series.name, [None if v is None else unquote(v) for v in series.to_list()], dtype=pl.String)

