"""Many members at once: the claims about "most users" judged across many members' exports, privately.

``python -m helpers.report.cohort --exports FOLDER --out reports/NAME`` (``make cohort EXPORTS=FOLDER``) reads every
export in the folder (zips, unzipped folders and lone ``Connections.csv`` files, in any mix) in parallel worker
processes; each worker returns only the member's figures (:func:`helpers.evidence.cohort_member.member_figures`:
counts, shares, sizes, months), never a row, a name, an address, an employer's name or a file name. The figures
are pooled with members as the units (bootstrap over members) and each population claim is judged by a rule
written before any cohort was read (:data:`RULES`). A figure is shown only when at least :data:`MIN_MEMBERS` members
contribute to it. An export that cannot be read is listed as skipped with the reason, under its number (members
are numbered in a random order), and never stops the cohort. Writes ``index.html``, ``cohort.json`` and
``claims.json``; a failed run leaves the last good report in place.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from helpers import rules
from helpers.claims import CLAIMS, SOURCE_NAMES
from helpers.evidence import colleagues, inner_circle, stats
from helpers.evidence.cohort_member import MONTHS_TO_500, YEARS_TO_500

#: A figure is shown only when at least this many members contribute to it.
MIN_MEMBERS = 5
#: Invitations a member must have sent in each group for their own difference to count.
MIN_PER_GROUP = 5
#: Posts a member must have in their workbooks for their typical post to count.
MIN_POSTS = 3
#: Members who joined (made their first connection) from this year on are the "later" joiners.
LATER_FROM = 2015
RESAMPLES = 2000

#: The population claims: id -> (quote, source). The claims judged for one member keep their wording (CLAIMS).
COHORT_CLAIMS = {
    "500-plus-common": ("It\u2019s become increasingly common to see LinkedIn users with 500+ connections.", "000"),
    **{key: CLAIMS[key] for key in ("colleagues-large-share", "inner-circle", "personalized-invites",
                                    "ignored-invites-rise", "wider-post-audience")},
}
#: Each claim's rule, written before any cohort was read.
RULES = {
    "500-plus-common": (f"the share of members who reached 500 connections within {YEARS_TO_500} years of their first, "
                        f"among those who joined from {LATER_FROM} on minus those who joined before (members with "
                        f"{YEARS_TO_500} years of history): {rules.difference_rule('that difference')}"),
    "colleagues-large-share": (f"the share of members whose colleagues are {colleagues.COLLEAGUES_SIGNIFICANT:.0%} or "
                               "more of their connections (each member's own measure): supported if its 95% interval "
                               "lies above one half (most users), not supported if below, mixed otherwise"),
    "inner-circle": (f"the share of members who messaged at most {inner_circle.INNER_MAX_SHARE_MESSAGED:.0%} of their "
                     f"connections, the most-messaged tenth holding {inner_circle.INNER_MIN_TOP_TENTH:.0%} or more of "
                     "the messages: supported if its 95% interval lies above one half, not supported if below, "
                     "mixed otherwise"),
    "personalized-invites": (f"each member's acceptance with a note minus without (members with {MIN_PER_GROUP} or "
                             "more of each), averaged over members: " + rules.difference_rule("that average")),
    "ignored-invites-rise": (f"each member's acceptance in light weeks minus heavy weeks (members with {MIN_PER_GROUP} "
                             "or more of each), averaged over members: " + rules.difference_rule("that average")),
    "wider-post-audience": (f"members' typical post (median impressions, {MIN_POSTS} or more posts) against their "
                            "typical network size on log scales, across members: " +
                            rules.doubling_rule("a member's typical impressions")),
}
SURVIVOR_NOTE = ("Only members who still use LinkedIn and chose to export are in a cohort: those who joined early "
                 "and stayed small may have left, which makes the earlier joiners look larger than they were.")
#: What a figure across members cannot say, where that is more than "this cohort, each member once".
COVERS = {
    "500-plus-common": SURVIVOR_NOTE,
    "wider-post-audience": ("An association across members, not what growing one's own network does: members with "
                            "large networks are often the ones whose posts travel, so the figure across members runs "
                            "above the audience model's, which follows each member's own posts."),
}


def discover(folder: Path) -> tuple[list[Path], list[str]]:
    """The exports in ``folder`` (zips, folders holding a Connections.csv, lone CSV files taken for a Connections.csv)
    and what is there that is none of them (described by kind, not by name)."""
    found, other = [], []
    for item in sorted(folder.iterdir()):
        if item.name.startswith("."):
            continue
        if item.is_file() and item.suffix.lower() == ".zip":
            found.append(item)
        elif item.is_dir() and any(p.name.lower() == "connections.csv" for p in item.iterdir() if p.is_file()):
            found.append(item)
        elif item.is_file() and item.suffix.lower() == ".csv":
            found.append(item)  # a lone Connections.csv by any name: the reader says so if it is not one
        else:
            other.append("a folder with no Connections.csv" if item.is_dir() else f"a {item.suffix or 'file'} file "
                         "that is not an export")
    return found, other


def _private(reason: str, path: Path) -> str:
    for name in sorted({str(path), str(path.resolve()), path.name, path.stem}, key=len, reverse=True):
        if name:
            reason = reason.replace(name, "this export")
    return reason.split("\n")[0]


def summarise_one(path: str, seed: int) -> dict | str:
    """Worker: the member's figures, or why the export could not be read (naming no file of the member's)."""
    from helpers.errors import ExportError
    from helpers.evidence.cohort_member import member_figures
    from helpers.export import load_export

    try:
        return member_figures(load_export(path), seed)
    except ExportError as error:
        return _private(f"could not be read: {error}", Path(path))
    except Exception as error:  # a hostile or broken export never stops the cohort
        return f"could not be read ({type(error).__name__})"


def summarise(paths: list[Path], seed: int, jobs: int, stream=None,
              worker: Callable[[str, int], dict | str] = summarise_one) -> list[dict | str]:
    """Every export's figures (or its reason), read ``jobs`` at a time; a progress line as members are read. A
    worker that dies (an export can crash a parser) takes the pool with it: the exports it left undone are read
    again, each alone, and the one that kills its worker again is skipped."""
    stream = stream or sys.stderr  # looked up now: a redirected stderr gets the progress lines
    results: list[dict | str | None] = [None] * len(paths)
    done = 0

    def run(indices: list[int], workers: int) -> list[int]:
        nonlocal done
        broken = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(worker, str(paths[i]), seed): i for i in indices}
            for future in as_completed(futures):
                try:
                    results[futures[future]] = future.result()
                except BrokenProcessPool:
                    broken.append(futures[future])
                    continue
                done += 1
                print(f"\r  members read: {done} of {len(paths)}", end="", file=stream, flush=True)
        return broken

    for index in run(list(range(len(paths))), max(1, jobs)):
        if run([index], 1):
            results[index] = "could not be read (the reader stopped on it)"
            done += 1
    print(file=stream)
    return results


def _interval(values: np.ndarray, statistic: Callable[[np.ndarray], float], seed: int) -> tuple[float, float, float]:
    """The statistic of the members, with the 95% percentile interval of members drawn with replacement."""
    index = np.arange(len(values))
    low, high = stats.bootstrap_interval(index, lambda drawn: statistic(values[drawn]), seed=seed, resamples=RESAMPLES)
    return float(statistic(values)), low, high


def _figure(members: int, estimate: float | None = None, low: float | None = None, high: float | None = None,
            **more) -> dict:
    if members < MIN_MEMBERS:
        return {"members": members, "estimate": None, "interval": None,
                "why": f"fewer than {MIN_MEMBERS} members contribute: not shown"}
    return {"members": members, "estimate": estimate, "interval": [low, high], **more}


def _rate(group: dict, side: str) -> float:
    return group[f"hits_{side}"] / group[f"n_{side}"]


def pool(members: list[dict], seed: int) -> dict[str, dict]:
    """The cohort's figures: ``members_500_plus``, ``connections_median`` and one per claim of :data:`RULES`."""
    found = {}
    size = np.array([m["connections"] for m in members], dtype=float)
    plus = (size >= 500).astype(float)
    if len(members) >= MIN_MEMBERS:
        share, low, high = _interval(plus, np.mean, seed)
        found["members_500_plus"] = {"members": len(members), "estimate": int(plus.sum()), "interval": None,
                                     "share": share, "share_interval": [low, high]}
        found["connections_median"] = _figure(len(members), *_interval(size, np.median, seed))
    else:
        found["members_500_plus"] = _figure(len(members))
        found["connections_median"] = _figure(len(members))
    # 500+ within five years of the first connection, later joiners minus earlier ones
    eligible = [m for m in members if m["months_observed"] is not None and m["months_observed"] >= MONTHS_TO_500]
    reached = np.array([[float(m["months_to_500"] is not None and m["months_to_500"] <= MONTHS_TO_500),
                         float(int(m["first_month"][:4]) >= LATER_FROM)] for m in eligible]).reshape(-1, 2)
    later, earlier = int(reached[:, 1].sum()), int((1 - reached[:, 1]).sum())

    def gain(rows: np.ndarray) -> float:
        late, early = rows[rows[:, 1] == 1, 0], rows[rows[:, 1] == 0, 0]
        return float(late.mean() - early.mean()) if late.size and early.size else 0.0

    found["500-plus-common"] = (_figure(len(eligible), *_interval(reached, gain, seed), later_joiners=later,
                                        earlier_joiners=earlier)
                                if min(later, earlier) >= MIN_MEMBERS else _figure(min(later, earlier)))
    measured = [m["colleagues"] for m in members if m.get("colleagues") and m["colleagues"]["identified"]]
    above = np.array([float(c["share"] >= colleagues.COLLEAGUES_SIGNIFICANT) for c in measured])
    found["colleagues-large-share"] = (_figure(len(measured), *_interval(above, np.mean, seed),
                                               median_share=float(np.median([c["share"] for c in measured])))
                                       if len(measured) >= MIN_MEMBERS else _figure(len(measured)))
    circles = [m["inner_circle"] for m in members if m.get("inner_circle")]
    small = np.array([float(c["share_messaged"] <= inner_circle.INNER_MAX_SHARE_MESSAGED
                            and c["top_tenth_share"] >= inner_circle.INNER_MIN_TOP_TENTH) for c in circles])
    found["inner-circle"] = (_figure(len(circles), *_interval(small, np.mean, seed)) if len(circles) >= MIN_MEMBERS
                             else _figure(len(circles)))
    for claim, key in (("personalized-invites", "notes"), ("ignored-invites-rise", "weeks")):
        groups = [m[key] for m in members if m.get(key) and min(m[key]["n_a"], m[key]["n_b"]) >= MIN_PER_GROUP]
        differences = np.array([_rate(g, "a") - _rate(g, "b") for g in groups])
        found[claim] = (_figure(len(groups), *_interval(differences, np.mean, seed)) if len(groups) >= MIN_MEMBERS
                        else _figure(len(groups)))
    typical = [m["posts"] for m in members if m.get("posts") and m["posts"]["posts"] >= MIN_POSTS]
    points = np.log(np.array([[p["median_network_size"], p["median_impressions"]] for p in typical])).reshape(-1, 2)

    def elasticity(rows: np.ndarray) -> float:
        return float(np.polyfit(rows[:, 0], rows[:, 1], 1)[0]) if np.ptp(rows[:, 0]) > 0 else 0.0

    if len(typical) >= MIN_MEMBERS and np.ptp(points[:, 0]) > 0:
        slope, low, high = _interval(points, elasticity, seed)
        found["wider-post-audience"] = _figure(len(typical), slope, low, high, doubling=[2 ** slope, 2 ** low, 2 ** high])
    else:
        found["wider-post-audience"] = _figure(len(typical))
    return found


def audience_model_elasticity(seed: int) -> float:
    """The audience model's elasticity of a typical post's impressions to the audience (its median draw), which the
    cohort's between-member elasticity is set beside."""
    from helpers.model.audience import AudienceModel

    return float(np.median(AudienceModel.default(seed=seed, draws=200).elasticity))


def verdict(claim: str, figure: dict) -> str:
    if figure["estimate"] is None:
        return "not testable"
    low, high = figure["interval"]
    if claim in ("500-plus-common", "personalized-invites", "ignored-invites-rise"):
        return rules.difference(low, high)
    if claim == "wider-post-audience":
        return rules.doubling(2 ** low, 2 ** high)
    return rules.majority(low, high)


def claims_ledger(figures: dict[str, dict]) -> list[dict]:
    """``claims.json`` of the cohort: each population claim with its verdict, rule, estimate and member count."""
    return [{"id": claim, "claim": quote, "source": source, "verdict": verdict(claim, figures[claim]),
             "rule": RULES[claim], "estimate": figures[claim]["estimate"], "interval": figures[claim]["interval"],
             "members": figures[claim]["members"],
             "covers": "members of this cohort, each counted once, not LinkedIn's members at large. "
                       + COVERS.get(claim, "")}
            for claim, (quote, source) in COHORT_CLAIMS.items()]


def _number(value, kind: str = "") -> str:
    if value is None:
        return "not shown"
    if kind == "share":
        return f"{value:.0%}"
    if kind == "points":
        return f"{value * 100:+.0f} points"
    if kind == "times":
        return f"x{2 ** value:.2f}"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.2f}"


KINDS = {"500-plus-common": "points", "colleagues-large-share": "share", "inner-circle": "share",
         "personalized-invites": "points", "ignored-invites-rise": "points", "wider-post-audience": "times"}


def page(document: dict, ledger: list[dict]) -> str:
    """The cohort's report page (``templates/index/cohort.html.j2``): self-contained, offline, naming nobody."""
    rows = []
    for record in ledger:
        kind, interval = KINDS[record["id"]], record["interval"]
        shown = (f"{_number(record['estimate'], kind)} (95% interval {_number(interval[0], kind)} to "
                 f"{_number(interval[1], kind)})" if interval else f"not shown: fewer than {MIN_MEMBERS} members "
                 "contribute")
        if record["id"] == "wider-post-audience" and interval:
            model = document["figures"]["wider-post-audience"]["audience_model_elasticity"]
            shown += f"; the audience model's: {_number(model, kind)} for a doubling"
        rows.append({**record, "shown": shown})
    figures = document["figures"]
    plus, median = figures["members_500_plus"], figures["connections_median"]
    facts = [f"{document['members']} members read; {len(document['skipped'])} exports skipped."]
    if plus["estimate"] is not None:
        low, high = plus["share_interval"]
        facts.append(f"{plus['estimate']} of the {plus['members']} members have 500 connections or more "
                     f"({plus['share']:.0%}, 95% interval {low:.0%} to {high:.0%}; ghost rows not counted).")
    if median["estimate"] is not None:
        facts.append(f"The median member has {median['estimate']:,.0f} connections (95% interval "
                     f"{median['interval'][0]:,.0f} to {median['interval'][1]:,.0f}).")
    from helpers.report.render import templates  # here: the workers import this module, not the pages'

    return templates().get_template("cohort.html.j2").render(
        members=document["members"], facts=facts, rows=rows, skipped=document["skipped"], resamples=RESAMPLES,
        min_members=MIN_MEMBERS, survivor=SURVIVOR_NOTE, colours=rules.VERDICT_COLOURS, sources=SOURCE_NAMES,
        covers={k: v for k, v in COVERS.items() if k != "500-plus-common"}) + "\n"


def build_cohort(folder: Path, out: Path, *, seed: int = 20261122, jobs: int = os.cpu_count() or 1,
                 stream=None) -> dict:
    """Read, pool and write the cohort report of ``folder`` into ``out``; returns ``cohort.json``'s content."""
    paths, other = discover(folder)
    results = summarise(paths, seed, jobs, stream) if paths else []
    outcomes = results + other
    numbers = np.random.default_rng(seed).permutation(len(outcomes)) + 1
    members = [r for r in results if isinstance(r, dict)]
    skipped = sorted(({"number": int(n), "reason": r} for n, r in zip(numbers, outcomes) if isinstance(r, str)),
                     key=lambda s: s["number"])
    figures = pool(members, seed)
    figures["wider-post-audience"]["audience_model_elasticity"] = audience_model_elasticity(seed)
    document = {"members": len(members), "skipped": skipped, "figures": figures}
    ledger = claims_ledger(figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        (work / "cohort.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        (work / "claims.json").write_text(json.dumps(ledger, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        (work / "index.html").write_text(page(document, ledger), encoding="utf-8")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # the last good report stays as it was
        raise
    from helpers.report.render import replace_atomically

    replace_atomically(work, out)
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.report.cohort", description=__doc__.split("\n")[0])
    parser.add_argument("--exports", type=Path, required=True, help="a folder of exports (zips, folders, CSVs)")
    parser.add_argument("--out", type=Path, help="report folder (default: reports/cohort-<name of the folder>)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed of the intervals and the numbering")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="exports read at once")
    args = parser.parse_args(argv)
    folder = args.exports.expanduser().resolve()
    if not folder.is_dir():
        print(f"Cannot read the cohort: {args.exports} is not a folder. Give a folder of LinkedIn exports "
              "(zips, unzipped folders or Connections.csv files).", file=sys.stderr)
        return 2
    from helpers.paths import REPORTS_DIR

    out = (args.out.expanduser().resolve() if args.out else REPORTS_DIR / f"cohort-{folder.name}")
    started = time.perf_counter()
    document = build_cohort(folder, out, seed=args.seed, jobs=args.jobs)
    print(f"Cohort report of {document['members']} members ({len(document['skipped'])} skipped) ready in "
          f"{time.perf_counter() - started:.0f} s: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
