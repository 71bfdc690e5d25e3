"""Many members at once (helpers.report.cohort): each member's figures are their own report's, the pooled figures of
a generated cohort recover the rules that made it, hostile and broken exports are skipped with a reason and leak
nothing, and a figure of fewer than five members is not shown."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from conftest import PAYLOADS, _write_hostile
from helpers.evidence import colleagues, inner_circle, invitations
from helpers.evidence.cohort_member import YEARS_TO_500, member_figures
from helpers.export import load_export, synth
from helpers.export.synth_cohort import member_growth, write_cohort
from helpers.paths import SAMPLE_EXPORT
from helpers.report import cohort

SEED = 20261122


def test_a_members_figures_are_what_their_own_report_measures():
    """The worker returns the sample's own measures (the functions its pages call), and nothing that names anyone."""
    export = load_export(SAMPLE_EXPORT)
    found = member_figures(export, SEED)
    assert found["connections"] == export.connections.filter(~export.connections["is_ghost"]).height == 690
    today = colleagues.reference_date(export)
    share = colleagues.colleague_share(colleagues.colleague_flags(export.connections, export.positions, today))
    assert found["colleagues"]["share"] == share.share == colleagues.judge_colleagues(share).details["share"]
    counts, _ = inner_circle.match_messages(export.messages, export.connections)
    assert found["inner_circle"]["share_messaged"] == inner_circle.inner_circle(counts, SEED).share_messaged
    outgoing = invitations.outgoing_invitations(export.invitations, export.connections)
    notes = invitations.compare(outgoing, pl.col("has_message"), "with a note", "without a note")
    assert (found["notes"]["hits_a"], found["notes"]["n_a"], found["notes"]["n_b"]) == (notes.hits_a, notes.n_a,
                                                                                        notes.n_b) == (18, 44, 121)
    assert found["posts"]["posts"] == 80 and found["first_month"] == "2011-05" and found["export_month"] == "2026-11"
    text = json.dumps(found)
    people = export.connections.drop_nulls("last_name")
    assert not any(name in text for name in people["last_name"].to_list()[:200])
    assert "example" not in text.lower() and "Contoso" not in text


def _truth_reached(growth, first_year: int) -> bool:
    """Whether the member's rules reach 500 within five years of the first connection (the growth curve's
    straight pieces between its points: the day the count passes 500)."""
    for (start, before), (end, after) in zip(growth, growth[1:]):
        if before < 500 <= after:
            day = start + timedelta(days=(end - start).days * (500 - before) / (after - before))
            return round((day - date(first_year, 3, 1)).days / 30.4375) <= 12 * YEARS_TO_500
    return False


def _heavy_weeks_value(folder: Path, members: int) -> float:
    """The mean of members' own light-minus-heavy-week acceptance over ``members`` members the cohort generator's
    rules make (other seeds than the cohort's), each read as the cohort reads it."""
    from helpers.export.synth_cohort import FIRST_YEARS, SIZES

    found = []
    for number in range(members):
        rng = np.random.default_rng(10**6 + number)
        people = synth.make_people(rng, member_growth(SIZES[number % len(SIZES)], FIRST_YEARS[number % len(FIRST_YEARS)]))
        member = folder / str(number)
        member.mkdir(parents=True)
        (member / "Connections.csv").write_text(synth.connections_csv(people), encoding="utf-8")
        (member / "Invitations.csv").write_text(synth.invitations_csv(rng, people, date(2026, 5, 20),
                                                                      date(2026, 11, 15)), encoding="utf-8")
        weeks = member_figures(load_export(member), SEED).get("weeks")
        if weeks and min(weeks["n_a"], weeks["n_b"]) >= cohort.MIN_PER_GROUP:
            found.append(weeks["hits_a"] / weeks["n_a"] - weeks["hits_b"] / weeks["n_b"])
    return float(np.mean(found))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    made = write_cohort(folder / "exports", 40, seed=2, analytics_years=1)  # a year of analytics each: 3x faster
    document = cohort.build_cohort(folder / "exports", folder / "report", seed=SEED, jobs=os.cpu_count() or 2,
                                   stream=open(os.devnull, "w"))
    return made, document, folder


@pytest.mark.slow
def test_the_pooled_figures_of_a_generated_cohort_recover_its_rules(generated):
    made, document, folder = generated
    figures = document["figures"]
    assert document["members"] == 40 and document["skipped"] == []
    # the counts are exact (rows that are not ghost rows; sizes were made away from 500)
    assert figures["members_500_plus"]["estimate"] == sum(m.people >= 500 for m in made) == 30
    assert figures["connections_median"]["estimate"] == float(np.median([m.people for m in made]))

    def inside(claim: str, value: float) -> bool:
        low, high = figures[claim]["interval"]
        return low <= value <= high

    # 500 within five years: later joiners (from 2015) minus earlier ones, among members with five years or more
    eligible = [m for m in made if (date(2026, 11, 15) - date(m.first_year, 3, 1)).days / 30.4375 >= 12 * YEARS_TO_500]
    reached = {m.number: _truth_reached(member_growth(m.factor, m.first_year), m.first_year) for m in eligible}
    late = [reached[m.number] for m in eligible if m.first_year >= cohort.LATER_FROM]
    early = [reached[m.number] for m in eligible if m.first_year < cohort.LATER_FROM]
    assert inside("500-plus-common", np.mean(late) - np.mean(early))
    # every invented member's colleagues are about 28% of their connections, above a fifth
    assert inside("colleagues-large-share", 1.0)
    # 90 contacts messaged: an inner circle (at most a quarter messaged) for every member of 360 connections or more
    assert inside("inner-circle", np.mean([m.rows >= 360 for m in made]))
    # a note: 55% against 35%, times 0.7 in a heavy week (batches of 14 or 18: 32 of every 47 invitations)
    assert inside("personalized-invites", (0.55 - 0.35) * (15 / 47 + 32 / 47 * 0.7))
    assert inside("wider-post-audience", synth.SAMPLE_ELASTICITY)  # the posts' elasticity to network size
    # light minus heavy weeks: the measure's heavy week (more than the member's median week) is not the generator's
    # (a batch of 14 or 18), so its value comes from 60 more members drawn by the same rules, read the same way
    # (+7.7 points from 100 of them; the cohort's interval is about 6 points wide on each side)
    assert inside("ignored-invites-rise", _heavy_weeks_value(folder / "more", 60))
    ledger = json.loads((folder / "report" / "claims.json").read_text())
    assert {r["id"]: r["verdict"] for r in ledger}["personalized-invites"] == "supported"
    assert all(r["rule"] and r["members"] >= cohort.MIN_MEMBERS for r in ledger)


def test_broken_and_hostile_exports_are_skipped_or_read_and_nothing_leaks(tmp_path):
    """Five good members as zips, one unzipped and as a lone CSV, a hostile one (HTML, scripts and formulas for
    names, e-mail on every row), a damaged zip, a CSV that is not a Connections.csv, a text file and an empty folder:
    every good member is read, the rest skipped with a reason, and neither the page nor its JSON holds a name, an
    employer's name, an address or a file name."""
    exports = tmp_path / "exports"
    made = write_cohort(exports, 5, seed=3, analytics_years=1)
    _write_hostile(exports / "Complete_LinkedInDataExport_hostile")
    with zipfile.ZipFile(exports / "member-0000.zip") as archive:  # the same member unzipped, and its lone CSV
        archive.extractall(exports / "Zqx-unzipped")
        (exports / "Zqx-lone.csv").write_bytes(archive.read("Connections.csv"))
    (exports / "Zqx-damaged.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (exports / "Zqx-other.csv").write_text("Name,Amount\nZqxperson,3\n")
    (exports / "notes-about-Zqx.txt").write_text("not an export")
    (exports / "empty-folder").mkdir()
    document = cohort.build_cohort(exports, tmp_path / "report", seed=SEED, jobs=2, stream=open(os.devnull, "w"))
    assert document["members"] == len(made) + 3  # the zips, the hostile folder, the unzipped folder, the lone CSV
    reasons = [s["reason"] for s in document["skipped"]]
    assert len(reasons) == 4 and all(reasons) and sorted(s["number"] for s in document["skipped"]) == \
        sorted({s["number"] for s in document["skipped"]})
    assert any("zip" in r.lower() or "could not be read" in r for r in reasons)
    for produced in ("index.html", "cohort.json", "claims.json"):
        text = (tmp_path / "report" / produced).read_text()
        assert "Zqx" not in text and "hostile" not in text and "@example" not in text, produced
        assert not any(payload in text for payload in PAYLOADS.values()), produced
        assert "Evil Corp" not in text and "member-000" not in text


def _read_here(monkeypatch) -> None:
    """Members read in this process instead of a pool of workers (the tests above read through the pool)."""
    monkeypatch.setattr(cohort, "summarise",
                        lambda paths, seed, jobs, stream: [cohort.summarise_one(str(path), seed) for path in paths])


def test_a_figure_fewer_than_five_members_give_is_not_shown(tmp_path, monkeypatch):
    _read_here(monkeypatch)
    write_cohort(tmp_path / "exports", 3, seed=4, analytics_years=1)
    document = cohort.build_cohort(tmp_path / "exports", tmp_path / "report", seed=SEED, jobs=2,
                                   stream=open(os.devnull, "w"))
    assert document["members"] == 3
    assert all(figure["estimate"] is None and "fewer than 5" in figure["why"] for figure in document["figures"].values())
    ledger = json.loads((tmp_path / "report" / "claims.json").read_text())
    assert {r["verdict"] for r in ledger} == {"not testable"}
    assert "not shown" in (tmp_path / "report" / "index.html").read_text()


def test_the_command_refuses_what_is_not_a_folder(tmp_path, capsys):
    assert cohort.main(["--exports", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_a_failed_run_leaves_the_last_good_report(tmp_path, monkeypatch):
    _read_here(monkeypatch)
    write_cohort(tmp_path / "exports", 2, seed=5, analytics_years=1)
    cohort.build_cohort(tmp_path / "exports", tmp_path / "report", seed=SEED, jobs=1, stream=open(os.devnull, "w"))
    before = (tmp_path / "report" / "cohort.json").read_text()

    def broken(*_, **__):
        raise RuntimeError("the page could not be written")

    monkeypatch.setattr(cohort, "page", broken)
    with pytest.raises(RuntimeError):
        cohort.build_cohort(tmp_path / "exports", tmp_path / "report", seed=SEED, jobs=1, stream=open(os.devnull, "w"))
    assert (tmp_path / "report" / "cohort.json").read_text() == before
    assert zipfile.is_zipfile(next((tmp_path / "exports").glob("*.zip")))


def test_an_export_that_kills_its_worker_is_skipped_and_the_others_are_read(tmp_path):
    """A worker that dies takes its pool with it: the exports it left undone are read again, each alone, and the one
    that kills its worker again is skipped with a reason."""
    from cohort_workers import dies_on_crash

    made = write_cohort(tmp_path / "exports", 3, seed=6, analytics_years=1)
    paths = sorted((tmp_path / "exports").glob("*.zip"))
    crash = tmp_path / "exports" / "crash.zip"
    paths[1].rename(crash)
    ordered = [paths[0], crash, paths[2]]
    results = cohort.summarise(ordered, SEED, jobs=2, stream=open(os.devnull, "w"), worker=dies_on_crash)
    assert isinstance(results[0], dict) and isinstance(results[2], dict) and len(made) == 3
    assert results[1] == "could not be read (the reader stopped on it)"
