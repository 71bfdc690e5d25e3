"""Helpers for testing the '500+ connections' LinkedIn claims on a member's own data export.

One module per stage: ``export`` reads the archive, ``profile`` measures the network it shows,
``charts`` draws (offline), ``report`` renders the notebooks into HTML, ``synth`` writes the
synthetic sample export.
"""

from helpers.errors import ExportError
from helpers.paths import PROJECT_ROOT

__all__ = ["ExportError", "PROJECT_ROOT"]
