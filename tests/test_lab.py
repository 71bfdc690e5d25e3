"""The notebooks in JupyterLab, as a member uses them: JupyterLab on a free local port, Debian's Chromium
driven by Playwright, each notebook opened and run top to bottom from the Run menu with its defaults.

Every chart must be drawn, no cell may fail, and no request may leave the machine (the browser's are
recorded; `.ci/run` also runs this test in a network namespace with nothing but loopback). The notebooks
are copies in a temporary folder, so JupyterLab's autosave never writes outputs into the project.

Slow (JupyterLab and a kernel per notebook): `make test-lab` runs it, beside `make test`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from helpers.paths import NOTEBOOKS_DIR

pytestmark = [pytest.mark.lab, pytest.mark.slow, pytest.mark.browser]

NOTEBOOKS = tuple(sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")))
KERNEL_IDLE = ("() => !!document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell') &&"
               " /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')")
ALL_RUN = ("() => { const prompts = [...document.querySelectorAll("
           "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];"
           " return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }")
CHARTS = ("() => [document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .report-chart').length,"
          " document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .report-chart svg.marks').length]")
ERRORS = ("() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')]"
          ".map(o => o.textContent).filter(t => t.includes('Traceback (most recent call last)'))")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving copies of the notebooks, with its settings and runtime files in a temporary folder."""
    root = tmp_path_factory.mktemp("lab")
    for name in NOTEBOOKS:
        shutil.copy(NOTEBOOKS_DIR / name, root / name)
    state = tmp_path_factory.mktemp("lab-state")
    port, token = _free_port(), secrets.token_hex(16)
    environment = {**os.environ, "JUPYTER_RUNTIME_DIR": str(state / "runtime"), "JUPYTER_CONFIG_DIR": str(state / "config"),
                   "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces")}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
               "--LabApp.extension_manager=readonly"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (state / "lab.log").open("w")
    server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"JupyterLab did not start: {(state / 'lab.log').read_text()[-3000:]}")
        time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_each_notebook_runs_top_to_bottom_in_jupyterlab(browser, lab, notebook):
    base, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console, outside = [], []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)

    def record(request):
        if urlsplit(request.url).hostname not in ("127.0.0.1", "localhost", None):
            outside.append(request.url)

    page.on("request", record)
    page.goto(f"{base}/lab/workspaces/{notebook.split('-')[0]}/tree/{notebook}?reset&token={token}")
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(ALL_RUN, timeout=300_000)
    page.wait_for_function(KERNEL_IDLE, timeout=300_000)
    errors = page.evaluate(ERRORS)
    assert not errors, f"{notebook}: a cell failed: {errors[0][-2000:]}"
    page.wait_for_function("(c) => { const [all, drawn] = (" + CHARTS + ")(); return all > 0 && all === drawn; }",
                           arg=None, timeout=60_000)
    charts, drawn = page.evaluate(CHARTS)
    assert charts > 0 and drawn == charts, f"{notebook}: {drawn} of {charts} charts drawn"
    assert not outside, f"{notebook}: requests left the machine: {outside}"
    assert not [m for m in console if "Failed to load resource" not in m or "127.0.0.1" not in m], console
    context.close()
