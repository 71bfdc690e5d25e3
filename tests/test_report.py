"""The report pipeline: a real render of the sample, atomic replacement, and clear failures."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import QUICK_SETTINGS, run_main, tree_digest
from helpers.claims import CLAIMS
from helpers.export import load_export
from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT, SAMPLE_EXPORT
from helpers.report import render
from helpers.report.render import build_report, export_name

pytestmark = pytest.mark.slow


def test_every_notebook_becomes_a_page_linked_from_the_index(sample_report):
    pages = sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
    assert pages, "no notebooks"
    index = (sample_report / "index.html").read_text()
    for stem in pages:
        assert (sample_report / f"{stem}.html").stat().st_size > 100_000
        assert f'href="{stem}.html"' in index
    assert "702 connections" in index


def test_pages_hide_code_and_fetch_nothing(sample_report):
    for page in sample_report.glob("*.html"):
        text = page.read_text()
        assert "charts.enable_offline()" not in text, f"{page.name} shows code"
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?:", text), page.name
        assert "default-src 'none'" in text, f"{page.name} has no content security policy"


def test_no_email_surname_or_profile_url_reaches_the_report(sample_report):
    connections = load_export(PROJECT_ROOT / "data" / "sample").connections
    raw = (PROJECT_ROOT / "data" / "sample" / "Connections.csv").read_text()
    emails = set(re.findall(r"[\w.+-]+@example\.com", raw))
    assert emails, "the sample should contain a few e-mail addresses to prove they are never used"
    surnames = {s.split(",")[0] for s in connections["last_name"].drop_nulls().to_list() if len(s) > 5}
    slugs = {u.rsplit("/", 1)[-1] for u in connections["url"].drop_nulls().to_list()}
    for produced in sample_report.rglob("*"):
        if produced.is_file():
            text = produced.read_text(errors="replace")
            tokens = set(re.findall(r"[\w%.+@-]+", text))  # every word, address and slug-like run of the page
            assert not emails & tokens, produced.name
            assert not slugs & tokens, produced.name
            quoted = set(re.findall(r">([^<>]{6,40})<", text)) | set(re.findall(r'"([^"]{6,40})"', text))
            assert not surnames & quoted, produced.name


def test_export_name_is_the_file_or_folder_name():
    assert export_name(Path("/x/Basic_LinkedInDataExport_11-20-2026.zip")) == "Basic_LinkedInDataExport_11-20-2026"
    assert export_name(Path("data/sample")) == "sample"
    assert export_name(Path("Connections.csv")) == "Connections"


def _tiny_notebooks(folder: Path, broken: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    parameters = new_code_cell('export_path = ""\noutput_dir = ""\nseed = 0\nshow_names = False',
                               metadata={"tags": ["parameters"]})
    ok = new_notebook(cells=[new_markdown_cell("# Fine"), parameters, new_code_cell("print(seed)")])
    nbformat.write(ok, folder / "01-fine.ipynb")
    if broken:
        bad = new_notebook(cells=[new_markdown_cell("# Broken"), parameters, new_code_cell("x = 1"),
                                  new_code_cell("raise ValueError('the model exploded')")])
        nbformat.write(bad, folder / "02-broken.ipynb")
    for nb in folder.glob("*.ipynb"):
        node = nbformat.read(nb, as_version=4)
        node.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(node, nb)
    return folder


def test_a_failed_run_names_notebook_and_cell_and_keeps_the_last_report(tmp_path, sample_zip):
    out = tmp_path / "reports" / "mine"
    out.mkdir(parents=True)  # the last good report
    (out / "index.html").write_text("<p>the report of last week</p>")
    (out / "claims.json").write_text("[]")
    before = tree_digest(out)
    outcomes = build_report(sample_zip, out, 1, 2, notebooks_dir=_tiny_notebooks(tmp_path / "bad", True),
                            stream=open(os.devnull, "w"))
    failed = [o for o in outcomes if not o.ok]
    assert [o.stem for o in failed] == ["02-broken"]
    assert failed[0].failure == "cell 4 (In [4]): ValueError: the model exploded"
    assert Path(failed[0].kept_at).exists()
    assert tree_digest(out) == before
    assert not list(out.parent.glob(".mine.*")), "the partial folder was left behind"


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.report", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=600)


def test_cli_bad_export_is_a_clear_message_not_a_traceback(tmp_path):
    not_csv = tmp_path / "Connections.csv"
    not_csv.write_text('From,To,Sent At,Message,Direction\nA,B,"8/26/22, 8:56 PM",,OUTGOING')
    done = run_main(render.main, "--export", str(not_csv), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "Connections.csv: no header line with the columns 'Connected On'" in done.stderr
    assert "What to do:" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_setting_no_notebook_takes_is_refused_naming_those_they_take(tmp_path):
    done = run_main(render.main, "--export", str(SAMPLE_EXPORT), "--out", str(tmp_path / "out"), "--set",
                    "robustness_drawz=8")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no notebook takes the setting(s) robustness_drawz" in done.stderr
    assert "robustness_draws (06-your-reach, 07-who-sees-your-posts, 08-your-feed)" in done.stderr
    assert not (tmp_path / "out").exists()
    assert "--set takes NAME=VALUE" in run_main(render.main, "--set", "runs").stderr


def test_cli_failure_exit_code_and_message(tmp_path, sample_zip):
    notebooks = _tiny_notebooks(tmp_path / "bad", True)
    done = _run_cli("--export", str(sample_zip), "--out", str(tmp_path / "out"), "--notebooks", str(notebooks))
    assert done.returncode == 1
    assert "Notebook 02-broken failed at cell 4 (In [4]): ValueError: the model exploded" in done.stderr
    assert "no report was written" in done.stderr
    assert "[2/2]" in done.stdout


def test_summaries_are_plain_json(sample_report):
    for summary in sample_report.glob("*.summary.json"):
        content = json.loads(summary.read_text())
        assert content["lines"] and all(isinstance(line, str) for line in content["lines"])


EVIDENCE_CLAIMS = {"colleagues-large-share", "personalized-invites", "ignored-invites-rise", "inner-circle",
                   "wider-post-audience", "views-1000-at-500", "more-engagement", "badge-social-proof", "spam-rises",
                   "lower-quality-connections"}
#: The sample's Invitations.csv covers its last months only, long after it passed 500 (as real exports do).
NOT_IN_THE_SAMPLE = {"badge-social-proof"}


EVIDENCE_NOTEBOOKS = ("02-colleagues", "03-invitations", "04-inner-circle", "05-your-posts")


def _verdicts(folder: Path) -> dict[str, dict]:
    """The export-evidence notebooks' verdicts by claim (the model notebooks judge some claims too)."""
    records = {}
    for notebook in EVIDENCE_NOTEBOOKS:
        for record in json.loads((folder / f"{notebook}.verdicts.json").read_text()):
            records[record["id"]] = record
    return records


def test_sample_verdicts_are_complete_records(sample_report):
    verdicts = _verdicts(sample_report)
    assert EVIDENCE_CLAIMS <= set(verdicts)
    for record in verdicts.values():
        assert list(record) == ["id", "claim", "source", "verdict", "evidence", "details"]
        if record["id"] in NOT_IN_THE_SAMPLE:
            assert record["verdict"] == "not testable" and "Invitations.csv covers" in record["evidence"]
            continue
        assert record["verdict"] != "not testable", record
        assert record["details"]["rule"]
    index = (sample_report / "index.html").read_text()
    shown = re.findall(r'<(?:tr id="claim-[a-z0-9-]+"|span) data-claim="([a-z0-9-]+)"', index)
    assert sorted(shown) == sorted(CLAIMS)  # every claim once: in the tables, or folded into the not-testable line
    assert "What was read from your export" in index
    for name in ("Connections.csv", "Invitations.csv", "messages.csv", "Reactions.csv", "Content_2023-11-21"):
        assert re.search(rf"<td[^>]*>{re.escape(name)}[^<]*</td>", index), name


def assert_no_page_empty_without_why(out: Path) -> None:
    """Every section page of a report either shows something of the member's (a chart) or says why not and what
    would fill it, once for each thing it lacks."""
    for page in sorted(out.glob("0*.html")):
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", page.read_text(), flags=re.S)))
        lacks = len(re.findall(r"Not in this export:|Left out:|Not used:|No posts:", text))
        if 'class="report-chart"' not in page.read_text() or lacks:
            assert lacks, f"{page.name} shows no chart and does not say why"
            assert text.count("What would fill it:") + text.count("What to do:") >= lacks, \
                f"{page.name} says what it lacks but not what would fill it"


def test_basic_archive_with_a_damaged_file_renders_with_notes_and_not_testable_claims(tmp_path):
    """A Basic archive (no analytics) whose Invitations.csv lost columns in a spreadsheet: the report is
    made, the page and the index say the file could not be read and why, and only the claims that
    need it are not testable; no page is empty without saying why and what would fill it (every page, the model
    pages at fewer draws)."""
    import csv
    import io

    from helpers.export.synth import write_export

    export = tmp_path / "Basic_LinkedInDataExport_11-20-2026"
    write_export(export, complete=False)
    rows = list(csv.reader(io.StringIO((export / "Invitations.csv").read_text())))
    stripped = io.StringIO()
    csv.writer(stripped, lineterminator="\n").writerows([row[:3] for row in rows])
    (export / "Invitations.csv").write_text(stripped.getvalue())
    invitee = rows[1][1]
    out = tmp_path / "report"
    outcomes = build_report(export, out, seed=3, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"),
                            settings=QUICK_SETTINGS)
    assert len(outcomes) == len(list(NOTEBOOKS_DIR.glob("[0-9]*.ipynb")))
    assert all(o.ok for o in outcomes), [o.failure for o in outcomes if not o.ok]
    verdicts = _verdicts(out)
    for claim in ("wider-post-audience", "views-1000-at-500"):
        assert verdicts[claim]["verdict"] == "not testable"
        assert "analytics workbook" in verdicts[claim]["evidence"]
    for claim in ("personalized-invites", "ignored-invites-rise"):
        assert verdicts[claim]["verdict"] == "not testable"
        assert "Invitations.csv could not be read" in verdicts[claim]["evidence"]
        assert "but not 'Direction'" in verdicts[claim]["evidence"]
    for claim in ("colleagues-large-share", "inner-circle"):
        assert verdicts[claim]["verdict"] != "not testable"
    assert "Not in this export" in (out / "05-your-posts.html").read_text()
    assert "Invitations.csv could not be read" in (out / "03-invitations.html").read_text()
    assert "What was read from your export" in (out / "01-your-network.html").read_text()
    index = (out / "index.html").read_text()
    assert "Could not be read, so left out: Invitations.csv" in index
    answer = re.search(r'<div id="answer">(.*?)</div>', index, re.S)[1]
    assert "Basic archive" in answer and "Download larger data archive" in answer
    assert re.search(r"<td[^>]*>Invitations\.csv</td>.*?<td[^>]*>skipped</td>", index)
    for page in out.glob("*.html"):
        assert invitee not in page.read_text(), page.name
    assert_no_page_empty_without_why(out)


def test_lone_connections_csv_renders_every_page_with_clear_gaps(tmp_path):
    lone = tmp_path / "Connections.csv"
    lone.write_bytes((PROJECT_ROOT / "data" / "sample" / "Connections.csv").read_bytes())
    out = tmp_path / "report"
    outcomes = build_report(lone, out, seed=3, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"),
                            settings=QUICK_SETTINGS)
    assert all(o.ok for o in outcomes), [o.failure for o in outcomes if not o.ok]
    assert "Run settings changed from the notebooks' own: days = 120, draws = 24," in html.unescape(
        (out / "index.html").read_text())
    verdicts = _verdicts(out)
    assert {k for k, v in verdicts.items() if v["verdict"] == "not testable"} == EVIDENCE_CLAIMS
    for page in ("02-colleagues", "03-invitations", "04-inner-circle", "05-your-posts"):
        assert "Not in this export" in (out / f"{page}.html").read_text(), page
    assert_no_page_empty_without_why(out)
    # Without Positions.csv the colleague share and count of the model pages rest on a stand-in, and say so.
    reach, feed = ((out / f"{page}.html").read_text() for page in ("06-your-reach", "08-your-feed"))
    assert ("of your connections work today at one of your employers, past or present (assumed: the most common "
            "employer among your ") in reach
    assert "Read from your export" not in reach
    assert re.search(r"colleagues \(assumed: the most common employer among your connections", feed)
    claims = json.loads((out / "claims.json").read_text())
    assert [c["id"] for c in claims] == list(CLAIMS)
    assert all(c["verdict"] in ("supported", "not supported", "mixed", "not testable") and c["evidence"]
               for c in claims)


def test_hostile_export_leaks_nothing_and_stays_text(hostile_report):
    export, out = hostile_report
    slugs = set(re.findall(r"linkedin\.com/in/([^,\s\"]+)", (export / "Connections.csv").read_text()))
    assert len(slugs) > 100
    produced = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in produced} >= {".html", ".ipynb", ".json"}
    for path in produced:
        text = path.read_text(errors="replace")
        assert "@example.org" not in text, f"{path.name} holds an e-mail address"
        assert "Zqxsurname" not in text, f"{path.name} holds a surname"
        assert not slugs & set(re.findall(r"/in/([^,\s\"'<>/]+)", text)), f"{path.name} holds a profile URL"
        if path.suffix == ".html":
            assert "<script>document.body.dataset.pwned" not in text, f"{path.name} runs an export's script"
            assert '<b id="pwned">' not in text and "<img src=x onerror" not in text, f"{path.name} renders export HTML"
    claims = json.loads((out / "claims.json").read_text())
    assert len(claims) == len(CLAIMS)


def test_claims_json_matches_the_ledger_and_every_link_resolves(sample_report):
    claims = json.loads((sample_report / "claims.json").read_text())
    index = (sample_report / "index.html").read_text()
    assert [c["id"] for c in claims] == list(CLAIMS)
    for claim in claims:
        assert list(claim) == ["id", "claim", "source", "verdict", "evidence", "details"]
        if claim["verdict"] == "not testable":  # folded into one line, with why
            shown = re.search(rf'<span data-claim="{claim["id"]}" data-verdict="not testable">(.*?)</span>', index, re.S)
            assert claim["evidence"] in html.unescape(shown[1])
            continue
        row = re.search(rf'<tr id="claim-{claim["id"]}" data-claim="{claim["id"]}" data-verdict="{claim["verdict"]}">'
                        rf'(.*?)</tr>', index, re.S).group(1)
        assert f'class="v-{claim["verdict"].replace(" ", "-")}"' in row
        assert claim["evidence"] in html.unescape(row)
    for target in set(re.findall(r'href="([^"#]+)"', index)):
        assert (sample_report / target).exists(), target
    assert sum(c["verdict"] != "not testable" for c in claims) >= 13


def test_same_seed_same_numbers_and_the_export_is_untouched(tmp_path, hostile_report):
    """A second render of an export with the first one's seed and settings gives byte-identical verdicts, claims,
    predictions and page figures (every chart's data included; only the charts' random element ids differ), and leaves the export as
    it was."""
    export, first = hostile_report
    before = tree_digest(export)
    again = tmp_path / "again"
    outcomes = build_report(export, again, seed=5, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"),
                            settings=QUICK_SETTINGS)
    assert all(o.ok for o in outcomes)
    assert tree_digest(export) == before
    for name in ["claims.json", "predictions.json", *[p.name for p in first.glob("*.verdicts.json")],
                 *[p.name for p in first.glob("*.summary.json")]]:
        assert (again / name).read_bytes() == (first / name).read_bytes(), name

    def figures(page: Path) -> str:
        return re.sub(r"(chart-|cell-id=)[0-9a-f]{8,12}", r"\1", page.read_text())

    for page in sorted(first.glob("0*.html")):
        assert figures(again / page.name) == figures(page), page.name


def test_the_sample_is_marked_by_its_file_and_a_copy_without_it_is_not(tmp_path, sample_report):
    from helpers.export import load_export
    from helpers.export.synth import INVENTED_MARKER, is_invented, zip_export

    assert (SAMPLE_EXPORT / INVENTED_MARKER).is_file()
    assert 'class="invented"' in (sample_report / "index.html").read_text()
    copy = tmp_path / "copy"
    shutil.copytree(SAMPLE_EXPORT, copy)
    (copy / INVENTED_MARKER).unlink()
    assert not is_invented(load_export(copy))  # the same people and employers: nothing is guessed
    assert not is_invented(load_export(copy / "Connections.csv"))
    assert is_invented(load_export(zip_export(SAMPLE_EXPORT, tmp_path / "sample.zip")))
    assert is_invented(load_export(SAMPLE_EXPORT / "Connections.csv"))


def test_a_kernel_takes_the_export_the_report_handed_over_and_only_that_one(tmp_path, monkeypatch):
    from dataclasses import replace

    from helpers.export import load_export
    from helpers.report import loader

    read = load_export(SAMPLE_EXPORT)
    marked = replace(read, notes=("handed over",))
    monkeypatch.setenv(loader.HANDOFF_ENV, str(loader.hand_over(marked, tmp_path)))
    assert loader.load(SAMPLE_EXPORT).notes == ("handed over",)
    assert loader.load(SAMPLE_EXPORT / "Connections.csv").notes != ("handed over",)
    monkeypatch.delenv(loader.HANDOFF_ENV)
    assert loader.load(SAMPLE_EXPORT).notes == read.notes


def test_a_section_leaves_its_verdicts_and_headline_side_by_side(tmp_path):
    from helpers.claims import Verdict
    from helpers.report import pages
    from helpers.report.ledger import ledger

    verdict = Verdict("inner-circle", "supported", "Most of your messages go to 12 people.", {"share": 0.8})
    pages.finish_section(tmp_path, "04-inner-circle", [verdict], ["Inner circle: supported."])
    assert list(pages.verdict_records(tmp_path)) == [("04-inner-circle", verdict.record())]
    assert pages.headline(tmp_path, "04-inner-circle") == ["Inner circle: supported."]
    assert pages.headline(tmp_path, "05-your-posts") == []
    record = next(r for r in ledger(tmp_path) if r["id"] == "inner-circle")
    assert record["verdict"] == "supported" and record["details"]["parts"][0]["notebook"] == "04-inner-circle"


def test_the_index_counts_the_validation_graphs_from_the_committed_summary(sample_report):
    import polars as pl

    from helpers.model.validate import SUMMARY_FILE

    table = pl.read_csv(SUMMARY_FILE)
    graphs = table.filter(~pl.col("kind").str.ends_with("(pooled)"))["graph"].n_unique()
    text = (sample_report / "index.html").read_text()
    assert f"on {graphs} real social networks" in text


def test_a_claim_has_one_verdict_on_every_page_and_in_claims_json(sample_report):
    claims = {c["id"]: c for c in json.loads((sample_report / "claims.json").read_text())}
    seen, halves = set(), 0
    for page in sorted(sample_report.glob("*.html")):
        for tag in re.findall(r"<[^>]*\bdata-claim=[^>]*>", page.read_text()):
            attrs = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', tag))
            claim = claims[attrs["data-claim"]]
            if "data-part" in attrs:  # one half of a claim judged in two sections, with the claim's verdict
                part = next(p for p in claim["details"]["parts"] if p["key"] == attrs["data-part"])
                assert attrs["data-verdict"] == part["verdict"], (page.name, tag)
                assert attrs["data-overall"] == claim["verdict"], (page.name, tag)
                halves += 1
            else:
                assert attrs["data-verdict"] == claim["verdict"], (page.name, tag)
            seen.add(attrs["data-claim"])
    assert seen == set(claims)
    assert halves >= sum(len(c["details"]["parts"]) for c in claims.values() if len(c["details"]["parts"]) > 1)


def test_a_claim_that_cannot_be_judged_says_why_instead_of_a_rule():
    from helpers.claims import not_testable
    from helpers.report.prose import verdict_html

    box = verdict_html(not_testable("colleagues-large-share", "There is no Positions.csv in this export."))
    assert "There is no Positions.csv in this export." in box and "Rule, fixed before" not in box


def test_a_model_verdict_that_flips_across_the_assumptions_is_shown_as_uncertain():
    from helpers.claims import Verdict
    from helpers.report.prose import verdict_html

    details = {"rule": "r", "robust_share": 0.41, "robust": False, "robust_draws": 64}
    shaky = verdict_html(Verdict("more-visibility", "supported", "e", details))
    solid = verdict_html(Verdict("more-visibility", "supported", "e", {**details, "robust_share": 1.0, "robust": True}))
    assert "Uncertain, leans supported" in shaky and 'href="glossary.html#uncertain"' in shaky
    assert "Uncertain" not in solid and "<strong" in solid and ">Supported</strong>" in solid


def test_every_page_links_the_glossary_and_the_summary_keeps_the_answer(sample_report):
    for page in sample_report.glob("*.html"):
        if page.name != "glossary.html":
            assert 'href="glossary.html' in page.read_text(), page.name
    glossary = (sample_report / "glossary.html").read_text()
    for term in ("2nd degree", "Impression", "Uncertain", "Interval"):
        assert term in glossary
    claims = json.loads((sample_report / "claims.json").read_text())
    markdown = (sample_report / "summary.md").read_text()
    summary = (sample_report / "summary.html").read_text()
    answer = re.search(r'<div id="answer">(.*?)</div>', (sample_report / "index.html").read_text(), re.S)[1]
    first = html.unescape(re.search(r"<p>(.*?) <a", answer, re.S)[1])
    assert first in markdown and html.escape(first, quote=False).split("(")[0] in summary
    for claim in claims:
        assert f'data-claim="{claim["id"]}" data-verdict="{claim["verdict"]}"' in summary
    assert markdown.count("\n| ") >= len(claims)


def test_headline_verdicts_use_the_claims_words_not_their_ids():
    from helpers.claims import CLAIMS, Verdict
    from helpers.report import pages

    sentences = pages.verdict_sentences([Verdict(claim, "mixed", "", {"robust": False}) for claim in CLAIMS])
    for claim, sentence in zip(CLAIMS, sentences):
        assert claim not in sentence and sentence.endswith(": uncertain, leans mixed.")
        assert len(sentence.split()) <= 16
    assert pages.verdict_sentences([Verdict("quality-over-quantity", "supported", "")]) == [
        "\u201cQuality over quantity\u2026\u201d: supported."]


def test_the_claims_from_the_members_own_data_come_before_the_models(sample_report):
    index = (sample_report / "index.html").read_text()
    claims = {c["id"]: c for c in json.loads((sample_report / "claims.json").read_text())}
    for table in re.findall(r'<table class="claims">(.*?)</table>', index, re.S):
        about = [claims[i]["details"]["about"] for i in re.findall(r'<tr id="claim-[a-z0-9-]+" data-claim="([a-z0-9-]+)"', table)]
        ranks = [0 if a == "you" else 1 if a.startswith("you and") else 2 for a in about]
        assert ranks == sorted(ranks), about


def test_the_report_writes_down_its_predictions_for_a_later_export(sample_report):
    """predictions.json: the export's date and digests, the connections for 60 months from the export's next
    month, and the next post's impressions, the 2nd degree and acceptance with and without a note, each with
    nested 50% and 90% intervals; the digests are hex, not rows."""
    document = json.loads((sample_report / "predictions.json").read_text())
    assert set(document) == {"export_date", "fingerprint", "version", "assumptions_hash", "predictions",
                             "connections_per_day"}
    assert document["export_date"] == "2026-11-15"  # the latest day the sample's files cover
    per_day = document["connections_per_day"]  # counts by day, no one named: a later check tells the same member
    assert sum(per_day.values()) == 702 and all(isinstance(n, int) and re.fullmatch(r"\d{4}-\d\d-\d\d", day)
                                                for day, n in per_day.items())
    assert re.fullmatch(r"[0-9a-f]{16}", document["fingerprint"]) and re.fullmatch(r"[0-9a-f]{16}",
                                                                                   document["assumptions_hash"])
    records = document["predictions"]
    months = [r["about"] for r in records if r["id"] == "connections"]
    assert len(months) == 60 and months[0] == "2026-12" and months[-1] == "2031-11"
    points = [r["point"] for r in records if r["id"] == "connections"]
    assert points == sorted(points) and points[0] >= 702  # never fewer than the rows read today (no removals)
    by_id = {}
    for record in records:
        by_id.setdefault(record["id"], []).append(record)
        low90, low50, high50, high90 = *record["interval_90"][:1], *record["interval_50"], record["interval_90"][1]
        assert low90 <= low50 <= record["point"] <= high50 <= high90, record
    assert [r["about"] for r in by_id["impressions_next_post"]] == ["690 connections", "1035 connections"]
    now, later = by_id["impressions_next_post"]
    assert later["point"] > now["point"] and 0 < now["p_at_least_1000"] < later["p_at_least_1000"] < 1
    assert [r["about"] for r in by_id["second_degree"]] == ["1035 connections"]
    assert {"acceptance_with_note", "acceptance_without_note"} <= set(by_id)
