"""The export, read once per report: the renderer reads the member's export, keeps it in a private
temporary file, and each notebook's kernel takes it from there instead of reading the archive again.

Outside a report (JupyterLab, nbval, a script) :func:`load` is :func:`helpers.export.load_export`.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from helpers.export import LinkedInExport, load_export
from helpers.paths import resolve

#: Set by the renderer for its kernels: the file holding the export it read.
HANDOFF_ENV = "HELPERS_EXPORT_HANDOFF"


def hand_over(export: LinkedInExport, folder: Path) -> Path:
    """Keep ``export`` in ``folder`` (a private temporary folder of the caller's) for :func:`load` in
    processes started with :data:`HANDOFF_ENV` set to the returned file."""
    target = folder / "export.pickle"
    with target.open("wb") as stream:
        pickle.dump((str(export.source.resolve()), export), stream, protocol=pickle.HIGHEST_PROTOCOL)
    return target


def load(path: str | Path) -> LinkedInExport:
    """The export at ``path`` (relative paths from the project root): the one the report handed over
    when it is that export, else read from disk."""
    source = resolve(path)
    handoff = os.environ.get(HANDOFF_ENV)
    if handoff and Path(handoff).is_file():
        with open(handoff, "rb") as stream:
            where, export = pickle.load(stream)
        if where == str(source.resolve()):
            return export
    return load_export(source)
