"""Shared fixtures: small exports written on the fly, and one rendered sample report per session."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from helpers.export.formats import CONNECTIONS_HEADER, CONNECTIONS_PREAMBLE
from helpers.export.synth import zip_export
from helpers.paths import SAMPLE_EXPORT

#: The 2023+ Connections.csv header line.
HEADER_2023 = ",".join(CONNECTIONS_HEADER)


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
    from helpers.report.render import build_report

    out = tmp_path_factory.mktemp("reports") / "sample"
    outcomes = build_report(sample_zip, out, seed=7, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"))
    failed = [o for o in outcomes if not o.ok]
    assert not failed, failed
    return out


PAYLOADS = {
    "first": '<b id="pwned">Eve</b>',
    "company": "<script>document.body.dataset.pwned='1'</script>Evil Corp",
    "position": '=HYPERLINK("http://evil.example","click") {{ 7*7 }} <img src=x onerror="document.title=\'PWNED\'">',
}


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    """A full report of an export whose names, employers and titles are HTML, JavaScript, spreadsheet
    formulas and template syntax, and whose every row carries an e-mail address."""
    import csv
    import io

    from helpers.export.synth import write_export

    folder = tmp_path_factory.mktemp("hostile") / "Complete_LinkedInDataExport_11-20-2026"
    write_export(folder)
    source = (folder / "Connections.csv").read_text().split("\n", 4)[4]
    rows = list(csv.reader(io.StringIO(source)))[1:]
    for index, row in enumerate(rows):
        if not row[0]:
            continue  # ghost rows stay ghosts
        row[3] = f"person{index}@example.org"
        if index % 3 == 0:
            row[0], row[1], row[4], row[5] = PAYLOADS["first"], f"Zqxsurname{index}", PAYLOADS["company"], \
                PAYLOADS["position"]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([CONNECTIONS_HEADER, *rows])
    (folder / "Connections.csv").write_text(CONNECTIONS_PREAMBLE + text.getvalue())
    out = tmp_path_factory.mktemp("hostile-report") / "report"
    from helpers.report.render import build_report

    outcomes = build_report(folder, out, seed=5, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"))
    assert all(o.ok for o in outcomes), [o.failure for o in outcomes if not o.ok]
    return folder, out


#: Debian's chromium, which .ci/run installs; Playwright drives it and downloads no browser of its own.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session, driven by Playwright; skipped, saying why, without it."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
