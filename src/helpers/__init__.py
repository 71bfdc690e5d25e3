"""Helpers for testing the '500+ connections' LinkedIn claims on a member's own data export.

The pipeline is in the folders, and imports only point down it:

1. ``helpers.export``: the reader and its formats (``from helpers.export import load_export, ExportError``);
2. ``helpers.evidence``: what the member's own data shows;
3. ``helpers.model``: reach, audience and feed models, with every assumption's range and source;
4. ``helpers.report``: the ledger, its prose and charts, and the rendering (``python -m helpers.report``).

Beneath them all: ``paths``, ``errors`` and ``claims`` (the claims under test and the verdict record
every stage writes). ``audience``, ``reach`` and ``validate`` here are the commands' earlier names.
"""

from helpers.errors import ExportError
from helpers.paths import PROJECT_ROOT

__all__ = ["ExportError", "PROJECT_ROOT"]
