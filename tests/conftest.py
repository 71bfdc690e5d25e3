"""Shared fixtures: small exports written on the fly, and one rendered sample report per session."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

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


#: The test files that take longest on make test's two workers (test_report's renders, the cohort, the fits held out,
#: the members made later, the browser), started first so that the short files fill in at the end and both workers
#: end together (``make test`` passes ``--no-loadscope-reorder``: pytest-xdist otherwise starts the files with the
#: most tests first, and a long file with few tests came last, alone).
SLOWEST_FIRST = ("test_report.py", "test_cohort.py", "test_audience_reactions.py", "test_synth_later.py",
                 "test_audience_holdout.py", "test_browser.py", "test_checking.py")


def pytest_collection_modifyitems(items) -> None:
    rank = {name: place for place, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file's own order is kept


def run_main(main, *arguments: str) -> SimpleNamespace:
    """A command's ``main(argv)`` run in this process, as ``python -m`` would run it but without starting an
    interpreter: its ``returncode`` (argparse's exit included), ``stdout`` and ``stderr``. Each command's own test
    runs it once through ``python -m`` too."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(arguments))
        except SystemExit as stopped:
            code = stopped.code
    return SimpleNamespace(returncode=code or 0, stdout=out.getvalue(), stderr=err.getvalue())


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


def shared_once(tmp_path_factory, name: str, build) -> Path:
    """A folder ``build(folder)`` fills once per test run: with pytest-xdist (``make test`` runs two workers, each
    with its own session) the first worker to ask builds it under the run's common temporary folder while the
    other waits on a lock, then both read it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build(folder)
            done.touch()
    return folder


#: Fewer Monte Carlo runs, joint draws and simulated days: for the reports whose tests check what a page says and
#: hides (gaps, privacy), not the precision of the models; the sample's report is rendered at the notebooks' own.
QUICK_SETTINGS = {"runs": 4, "draws": 24, "robustness_draws": 8, "robustness_runs": 2, "days": 120,
                  "robustness_days": 60, "validation_days": 200, "validation_members": 2}


def _render(export: Path, out: Path, seed: int, settings: dict | None = None) -> Path:
    from helpers.report.render import build_report

    outcomes = build_report(export, out, seed=seed, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"),
                            settings=settings)
    failed = [o for o in outcomes if not o.ok]
    assert not failed, [o.failure for o in failed]
    return out


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> Path:
    """The report of the zipped sample, rendered once for the report, privacy and browser tests."""
    def build(folder: Path) -> None:
        export = zip_export(SAMPLE_EXPORT, folder / "Complete_LinkedInDataExport_11-20-2026.zip")
        _render(export, folder / "sample", seed=7)

    return shared_once(tmp_path_factory, "sample-report", build) / "sample"


PAYLOADS = {
    "first": '<b id="pwned">Eve</b>',
    "company": "<script>document.body.dataset.pwned='1'</script>Evil Corp",
    "position": '=HYPERLINK("http://evil.example","click") {{ 7*7 }} <img src=x onerror="document.title=\'PWNED\'">',
}


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    """A full report of an export whose names, employers and titles are HTML, JavaScript, spreadsheet
    formulas and template syntax, and whose every row carries an e-mail address (at :data:`QUICK_SETTINGS`)."""
    def build(shared: Path) -> None:
        folder = shared / "Complete_LinkedInDataExport_11-20-2026"
        _write_hostile(folder)
        _render(folder, shared / "report", seed=5, settings=QUICK_SETTINGS)

    shared = shared_once(tmp_path_factory, "hostile-report", build)
    return shared / "Complete_LinkedInDataExport_11-20-2026", shared / "report"


def _write_hostile(folder: Path) -> None:
    import csv
    import io

    from helpers.export.synth import write_export

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

