"""Every report page in a real headless Chromium with no network: charts drawn, no console errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import pytest

from helpers.claims import CLAIMS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--virtual-time-budget=15000",
         "--enable-logging=stderr", "--v=0"]


def _offline_prefix() -> list[str]:
    """Run in an empty network namespace when we can (root), else point every host nowhere."""
    if os.geteuid() == 0 and shutil.which("unshare"):
        return ["unshare", "-n"]
    return []


def _load(page) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as profile:
        offline = [] if _offline_prefix() else ['--host-resolver-rules=MAP * ~NOTFOUND', "--proxy-server=127.0.0.1:9"]
        done = subprocess.run([*_offline_prefix(), CHROMIUM, *FLAGS, *offline, f"--user-data-dir={profile}",
                               "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    return done.stdout, done.stderr


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_every_page_draws_every_chart_offline_without_console_errors(sample_report):
    pages = sorted(sample_report.glob("*.html"))
    assert any(p.name == "index.html" for p in pages)
    for page in pages:
        dom, log = _load(page)
        expected = page.read_text().count('class="report-chart"')
        drawn = len(re.findall(r'<svg[^>]*class="marks"', dom)) + len(re.findall(r'<canvas[^>]*class="marks"', dom))
        assert drawn == expected, f"{page.name}: {drawn} of {expected} charts drawn"
        assert not re.search(r"class=\"report-chart\"[^>]*>This chart could not be drawn", dom), page.name
        from_page = [line for line in log.splitlines() if "CONSOLE" in line and "file://" in line]
        assert not from_page, f"{page.name}: console messages {from_page}"
        if page.name != "index.html":
            assert expected > 0, f"{page.name} has no chart"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_ledger_shows_every_claim(sample_report):
    dom, _ = _load(sample_report / "index.html")
    rows = re.findall(r'<tr id="claim-([a-z0-9-]+)">', dom)
    assert len(rows) == len(CLAIMS)
    verdicts = re.findall(r'<td class="v-(supported|not-supported|mixed|not-testable)">', dom)
    assert len(verdicts) == len(CLAIMS)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_nothing_from_a_hostile_export_runs_in_the_browser(hostile_report):
    _, out = hostile_report
    for page in sorted(out.glob("*.html")):
        dom, log = _load(page)
        assert 'id="pwned"' not in dom, f"{page.name}: export HTML became an element"
        assert 'data-pwned="1"' not in dom, f"{page.name}: an export's script ran"
        assert "<title>PWNED" not in dom, f"{page.name}: an export's onerror ran"
        expected = page.read_text().count('class="report-chart"')
        drawn = len(re.findall(r'<svg[^>]*class="marks"', dom))
        assert drawn == expected, f"{page.name}: {drawn} of {expected} charts drawn"
