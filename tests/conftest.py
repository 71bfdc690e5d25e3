"""Shared fixtures: small exports written on the fly, and one rendered sample report per session."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from helpers.paths import SAMPLE_EXPORT
from helpers.synth import CONNECTIONS_PREAMBLE, zip_export

HEADER_2023 = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


@pytest.fixture
def write_connections(tmp_path):
    """Write a Connections.csv from text or bytes; returns its path."""

    def write(content: str | bytes, name: str = "Connections.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


@pytest.fixture
def modern(write_connections):
    """A 2023+ Connections.csv (preamble, URL column, no final newline) from data rows."""

    def make(*rows: str) -> Path:
        return write_connections(CONNECTIONS_PREAMBLE + HEADER_2023 + "\n" + "\n".join(rows))

    return make


def tree_digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def sample_zip(tmp_path_factory) -> Path:
    """The bundled sample, packed as LinkedIn ships it."""
    return zip_export(SAMPLE_EXPORT, tmp_path_factory.mktemp("zip") / "Complete_LinkedInDataExport_11-20-2026.zip")


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory, sample_zip) -> Path:
    """The report of the zipped sample, rendered once for the report, privacy and browser tests."""
    from helpers.report import build_report

    out = tmp_path_factory.mktemp("reports") / "sample"
    outcomes = build_report(sample_zip, out, seed=7, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"))
    failed = [o for o in outcomes if not o.ok]
    assert not failed, failed
    return out
