"""The experiment run forward (helpers.report.checking): an earlier report's predictions beside a later export."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from helpers.export import load_export
from helpers.model import forecast
from helpers.paths import NOTEBOOKS_DIR, SAMPLE_EXPORT
from helpers.report import checking, predictions
from helpers.report.render import build_report


#: The later export: the sample two and a half months on, with 30 new connections (20 in December, 10 in
#: January) and 12 invitations sent since, 4 with a note (3 accepted) and 8 without (2 accepted).
NEW = [("Zed", f"Later{i}", f"https://www.linkedin.com/in/zed-later-{i}", "Initech", "Analyst",
        "12 Dec 2026" if i < 20 else "15 Jan 2027") for i in range(30)]
INVITED = [(f"Later{i}", i < 4, i in (0, 1, 2, 4, 5)) for i in range(12)]


def _later_export(folder: Path) -> Path:
    shutil.copytree(SAMPLE_EXPORT, folder)
    connections = folder / "Connections.csv"
    lines = connections.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("First Name"))
    added = [f"{first},{last},{url},,{company},{position},{day}" for first, last, url, company, position, day in NEW]
    connections.write_text("\n".join(lines[:header + 1] + added + lines[header + 1:]) + "\n", encoding="utf-8")
    invitations = folder / "Invitations.csv"
    rows = invitations.read_text(encoding="utf-8").splitlines()
    sent = []
    for index, (name, note, ok) in enumerate(INVITED):
        invitee = f"https://www.linkedin.com/in/zed-later-{index}" if ok else f"https://www.linkedin.com/in/nobody-{index}"
        message = '"Hello, glad to connect."' if note else ""
        sent.append(f'Alex Example,{"Zed " + name if ok else "Nobody " + str(index)},"1/{5 + index}/27, 9:00 AM",'
                    f"{message},OUTGOING,https://www.linkedin.com/in/alex-example-5a1b2c3d,{invitee}")
    invitations.write_text("\n".join(rows[:1] + sent + rows[1:]) + "\n", encoding="utf-8")
    for extra in folder.glob("*.xlsx"):
        extra.unlink()  # the analytics end in November: the later export's files end with the connections
    return folder


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """The sample's own predictions (as its report writes them)."""
    folder = tmp_path_factory.mktemp("earlier")
    export = load_export(SAMPLE_EXPORT)
    pace = forecast.recent_pace(export.connections, predictions.export_date(export))
    predictions.commit(folder, "01-your-network", predictions.monthly(forecast.connections_ahead(pace, seed=1)))
    predictions.commit(folder, "03-invitations", [
        predictions.share_prediction("acceptance_with_note", "invitations sent with a note", 18, 44),
        predictions.share_prediction("acceptance_without_note", "invitations sent without a note", 33, 121)])
    predictions.commit(folder, "06-your-reach", [predictions.prediction("second_degree", "1035 connections", 2.7e5,
                                                                        [1.8e5, 4.6e5], [7.7e4, 7.5e5])])
    predictions.write(folder, export, ["01-your-network", "03-invitations", "06-your-reach"])
    return folder / predictions.FILE


def test_each_prediction_is_set_beside_what_the_later_export_shows(tmp_path, earlier):
    later = load_export(_later_export(tmp_path / "later"))
    assert predictions.export_date(later).isoformat() == "2027-01-16"
    checked = checking.check(checking.read_before(earlier, later), later)
    by_id = {r["id"]: r for r in checked["checks"]}
    # the last complete month is December 2026: the sample's 702 rows and the 20 made in December
    assert by_id["connections"]["about"] == "2026-12" and by_id["connections"]["outcome"] == 702 + 20
    assert by_id["acceptance_with_note"]["outcome"] == 3 / 4 and by_id["acceptance_with_note"]["trials"] == 4
    assert by_id["acceptance_without_note"]["outcome"] == 2 / 8
    assert by_id["second_degree"]["outcome"] is None and "cannot be observed" in by_id["second_degree"]["why"]
    assert checked["added"] == 30 and checked["removed"] is None
    for record in checked["checks"]:
        if record["outcome"] is not None and record["point"] is not None:
            low, high = record["interval_90"]
            assert record["inside_90"] == (low <= record["outcome"] <= high)
    found = checking.coverage(checked)
    assert found["checked"] == 3 and found["inside_90"] <= 3


def test_a_file_that_cannot_be_checked_is_refused_with_what_to_do(tmp_path, earlier):
    later = load_export(_later_export(tmp_path / "later"))
    with pytest.raises(checking.BeforeError, match="this very export"):
        checking.read_before(earlier, load_export(SAMPLE_EXPORT))
    broken = tmp_path / "broken.json"
    broken.write_text('{"export_date": "2026-11-15",\n "predictions": [')
    with pytest.raises(checking.BeforeError, match=r"broken.json \(line 2\): not a predictions file"):
        checking.read_before(broken, later)
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps([{"id": "x", "verdict": "supported"}]))
    with pytest.raises(checking.BeforeError, match="expected assumptions_hash, export_date"):
        checking.read_before(claims, later)
    document = json.loads(earlier.read_text())
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**document, "export_date": "2027-03-01"}))
    with pytest.raises(checking.BeforeError, match="not older than this one"):
        checking.read_before(newer, later)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**document, "assumptions_hash": "0" * 16}))
    with pytest.raises(checking.BeforeError, match="other assumptions"):
        checking.read_before(other, later)
    with pytest.raises(checking.BeforeError, match="no such file"):
        checking.read_before(tmp_path / "missing.json", later)


def test_the_report_of_the_later_export_has_the_check_page_and_checked_json(tmp_path, earlier):
    """The check is the front pages' work, whatever the sections: rendered here with the two pages that write the
    member's own predictions (the network's growth, the invitations' acceptance), not all eight."""
    export = _later_export(tmp_path / "later")
    out, notebooks = tmp_path / "report", tmp_path / "notebooks"
    notebooks.mkdir()
    for stem in ("01-your-network", "03-invitations"):
        shutil.copy(NOTEBOOKS_DIR / f"{stem}.ipynb", notebooks)
    outcomes = build_report(export, out, seed=3, jobs=os.cpu_count() or 2, stream=open(os.devnull, "w"),
                            before=earlier, notebooks_dir=notebooks)
    assert all(o.ok for o in outcomes)
    checked = json.loads((out / checking.FILE).read_text())
    assert {r["id"] for r in checked["checks"]} >= {"connections", "acceptance_with_note", "second_degree"}
    page = (out / checking.PAGE).read_text()
    assert "What was predicted, and what happened" in page and "722" in page and "not observed" in page
    assert 'href="checked.html"' in (out / "index.html").read_text()
    # the check names nobody: none of the new connections' surnames or profile addresses reach its files
    for produced in (out / checking.FILE, out / checking.PAGE, out / predictions.FILE):
        text = produced.read_text()
        assert not any(last in text or url.rsplit("/", 1)[-1] in text for _, last, url, *_ in NEW), produced.name


def test_each_post_made_since_is_a_check_of_the_next_posts_impressions():
    """An earlier report of mid-September 2026 (its predictions written by hand here): the sample's three posts
    published after it and settled by its export (28 September, 19 and 31 October) are checked, each at the
    prediction nearest its network's size; the 2nd degree is said as not observable."""
    later = load_export(SAMPLE_EXPORT)
    before = {"export_date": "2026-09-15", "fingerprint": "0" * 16, "version": "0", "assumptions_hash": "0" * 16,
              "predictions": [
                  predictions.prediction("impressions_next_post", "650 connections", 280, [110, 650], [35, 2100],
                                         unit="impressions", p_at_least_1000=0.16),
                  predictions.prediction("impressions_next_post", "1000 connections", 400, [150, 950], [50, 3000],
                                         unit="impressions", p_at_least_1000=0.25)]}
    checked = checking.check(before, later)
    posts = [r for r in checked["checks"] if r["id"] == "impressions_next_post"]
    assert [(r["published_on"], r["outcome"]) for r in posts] == [("2026-09-28", 306), ("2026-10-19", 341),
                                                                   ("2026-10-31", 226)]
    assert all(r["about"] == "650 connections" and 600 < r["size_then"] < 702 for r in posts)
    assert all(r["inside_50"] and r["inside_90"] for r in posts)
    assert checking.coverage(checked) == {"checked": 3, "inside_50": 3, "inside_90": 3}


def test_the_earlier_export_itself_gives_who_was_removed_and_refuses_another_members(tmp_path):
    """Given the earlier export instead of its predictions: the connections forecast and acceptance are written from
    it, the connections removed in between counted (three rows dropped from the later export), and an export that
    keeps under half of the earlier one's connections is refused as another member's."""
    later_folder = _later_export(tmp_path / "later")
    connections = later_folder / "Connections.csv"
    lines = connections.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("First Name"))
    # drop three of the sample's own rows (past the 30 new ones at the top)
    kept = lines[:header + 1 + 30] + lines[header + 1 + 33:]
    connections.write_text("\n".join(kept) + "\n", encoding="utf-8")
    later = load_export(later_folder)
    checked = checking.check_before(SAMPLE_EXPORT, later, seed=2)
    assert checked["removed"] == 3 and checked["added"] == 30
    by_id = {r["id"]: r for r in checked["checks"]}
    assert by_id["connections"]["outcome"] == 702 + 20 - 3 and by_id["acceptance_with_note"]["trials"] == 4
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "Connections.csv").write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                                              + "".join(f"A,B{i},,,,,0{1 + i % 9} Mar 2020\n" for i in range(40)))
    with pytest.raises(checking.BeforeError, match="another member"):
        checking.check_before(stranger, later, seed=2)


def test_a_predictions_file_knows_its_members_days_and_refuses_another_members_export(tmp_path, earlier):
    """predictions.json counts the connections made on each day (no one named): a later export of the same member
    holds them on the same days, less the ones removed (counted, as a lower bound); another member's export does not,
    and is refused."""
    from helpers.export.synth import write_export

    document = json.loads(earlier.read_text())
    sample = load_export(SAMPLE_EXPORT)
    per_day = document["connections_per_day"]
    assert sum(per_day.values()) == sample.connections["connected_on"].drop_nulls().len()
    assert list(per_day) == sorted(per_day) and all(len(day) == 10 for day in per_day)
    later_folder = _later_export(tmp_path / "later")
    connections = later_folder / "Connections.csv"
    lines = connections.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("First Name"))
    connections.write_text("\n".join(lines[:header + 1 + 30] + lines[header + 1 + 35:]) + "\n", encoding="utf-8")
    later = load_export(later_folder)
    checked = checking.check_before(earlier, later, seed=2)
    assert checked["removed"] == 5 and checked["added"] == 30 and "at least" in checked["removed_why"]
    # another invented member's network, made over the same years: few of the sample's days and counts in it
    write_export(tmp_path / "other", seed=7, complete=False)
    assert checking.kept_by_day(per_day, load_export(tmp_path / "other"))["kept"] < checking.SAME_MEMBER_KEPT
    elsewhere = tmp_path / "elsewhere.json"
    shifted = {f"{int(day[:4]) - 3}{day[4:]}": count for day, count in per_day.items() if day[5:] != "02-29"}
    elsewhere.write_text(json.dumps({**document, "connections_per_day": shifted}))
    with pytest.raises(checking.BeforeError, match="another member's"):
        checking.read_before(elsewhere, later)


def test_an_earlier_export_is_predicted_at_the_audience_page_s_own_draws():
    """``BEFORE=`` an earlier export writes its impressions predictions as the audience page would have written them:
    with the model's default number of draws, which must be the page's default ``draws`` (a literal in its
    parameters cell, so the two are tied here)."""
    import ast

    import nbformat

    from helpers.model import audience

    cell = next(c for c in nbformat.read(NOTEBOOKS_DIR / "07-who-sees-your-posts.ipynb", 4).cells
                if "parameters" in c.metadata.get("tags", []))
    defaults = {line.target.id: ast.literal_eval(line.value) for line in ast.parse(cell.source).body
                if isinstance(line, ast.AnnAssign)}
    assert defaults["draws"] == audience.DRAWS
