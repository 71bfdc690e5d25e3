"""Stage 1, the export: reading LinkedIn's "Get a copy of your data" archive and its formats.

``reader`` opens the archive (zip, folder or lone CSV) into typed polars frames; ``csvfile`` holds the
CSV quirks of real exports, ``analytics`` the creator-analytics workbooks, ``matching`` how a person in
one file is found in another (the people of invitations and messages, the member among them);
``formats`` the forms LinkedIn writes Connections.csv in, and ``synth`` the invented sample export.
Modules here import only ``helpers.paths``, ``helpers.errors`` and each other.

>>> from helpers.export import load_export, ExportError
"""

from helpers.errors import ExportError
from helpers.export.reader import FileRead, LinkedInExport, load_export, what_would_fill

__all__ = ["ExportError", "FileRead", "LinkedInExport", "load_export", "what_would_fill"]
