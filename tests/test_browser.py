"""Every report page in a real headless Chromium with no network: charts drawn, no console errors.

One Debian Chromium, driven by Playwright (no browser of its own downloaded), opens every page; every
request that is not a file of the report is refused and recorded, so a page that reached out to the
network fails the test.
"""

from __future__ import annotations

import re

import pytest

from helpers.claims import CLAIMS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHARTS_DRAWN = ("() => document.querySelectorAll('.report-chart').length === "
                "document.querySelectorAll('.report-chart svg.marks, .report-chart canvas.marks').length")


def _visit(browser, page_files) -> dict:
    """Open each page in turn in one tab and collect its DOM once every chart is drawn (or 20 s passed), its
    console messages, the requests that left the report, and the charts drawn: {name: (dom, console,
    outside, drawn)}."""
    page = browser.new_page()
    console, outside = [], []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"error: {error}"))
    page.route(re.compile(r"^(?!file:).*"), lambda route: (outside.append(route.request.url), route.abort()))
    found = {}
    for page_file in page_files:
        console.clear()
        outside.clear()
        page.goto(page_file.as_uri())
        try:
            page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
        except Exception:  # the assertions say what was not drawn
            pass
        drawn = page.evaluate("document.querySelectorAll('.report-chart svg.marks, .report-chart canvas.marks').length")
        found[page_file.name] = (page.content(), list(console), list(outside), drawn)
    page.close()
    return found


def test_every_page_draws_every_chart_offline_without_console_errors(browser, sample_report):
    pages = sorted(sample_report.glob("*.html"))
    assert any(p.name == "index.html" for p in pages)
    visited = _visit(browser, pages)
    for page in pages:
        dom, console, outside, drawn = visited[page.name]
        expected = page.read_text().count('class="report-chart"')
        assert drawn == expected, f"{page.name}: {drawn} of {expected} charts drawn"
        assert not re.search(r"class=\"report-chart\"[^>]*>This chart could not be drawn", dom), page.name
        assert not console, f"{page.name}: console messages {console}"
        cut = re.findall(r"<text[^>]*>([^<]*…)</text>", dom)
        assert not cut, f"{page.name}: chart labels cut short: {cut}"
        assert not outside, f"{page.name}: requests left the report {outside}"
        if page.name not in FRONT_PAGES:
            assert expected > 0, f"{page.name} has no chart"


#: The pages the report writes beside the sections; they hold no chart.
FRONT_PAGES = ("index.html", "glossary.html", "summary.html")


def test_the_index_shows_every_claim_once(browser, sample_report):
    dom, _, _, _ = _visit(browser, [sample_report / "index.html"])["index.html"]
    shown = re.findall(r'<(?:tr|span) id="claim-[a-z0-9-]+" data-claim="([a-z0-9-]+)"|<span data-claim="([a-z0-9-]+)"',
                       dom)
    assert sorted(a or b for a, b in shown) == sorted(CLAIMS)


def test_the_answer_is_in_the_first_screen_of_the_index(browser, sample_report):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto((sample_report / "index.html").as_uri())
    box = page.locator("#answer").bounding_box()
    first_screen = page.evaluate("""() => {
        const answer = document.getElementById('answer');
        return [...answer.querySelectorAll('p')].filter(p => p.getBoundingClientRect().top < 1000)
            .map(p => p.innerText).join(' ');
    }""")
    before = page.evaluate("() => document.querySelectorAll('table').length - "
                           "document.querySelectorAll('#answer ~ * table, #answer ~ table').length")
    page.close()
    assert box is not None and box["y"] < 400, box
    assert "1,000 impressions" in first_screen and "connections" in first_screen, first_screen
    assert before == 0, "a table comes before the answer"


def test_nothing_from_a_hostile_export_runs_in_the_browser(browser, hostile_report):
    _, out = hostile_report
    pages = sorted(out.glob("*.html"))
    visited = _visit(browser, pages)
    for page in pages:
        dom, console, outside, drawn = visited[page.name]
        assert 'id="pwned"' not in dom, f"{page.name}: export HTML became an element"
        assert 'data-pwned="1"' not in dom, f"{page.name}: an export's script ran"
        assert "<title>PWNED" not in dom, f"{page.name}: an export's onerror ran"
        expected = page.read_text().count('class="report-chart"')
        assert drawn == expected, f"{page.name}: {drawn} of {expected} charts drawn"
        assert not outside, f"{page.name}: requests left the report {outside}"


def test_the_cohort_page_opens_offline_and_says_every_claim(browser, tmp_path):
    """The cohort report in the browser: no console message, no request leaving it, a row per population claim."""
    import os

    from helpers.export.synth_cohort import write_cohort
    from helpers.report import cohort

    write_cohort(tmp_path / "exports", cohort.MIN_MEMBERS, seed=8, analytics_years=1)
    cohort.build_cohort(tmp_path / "exports", tmp_path / "report", seed=1, jobs=2, stream=open(os.devnull, "w"))
    dom, console, outside, _ = _visit(browser, [tmp_path / "report" / "index.html"])["index.html"]
    assert not console and not outside, (console, outside)
    rows = re.findall(r'<tr data-claim="([a-z0-9-]+)">.*?<td class="v-[a-z-]+">([^<]+)</td>', dom, re.S)
    assert [c for c, _ in rows] == list(cohort.COHORT_CLAIMS)
    assert {v for _, v in rows} <= {"supported", "not supported", "mixed", "not testable"}
