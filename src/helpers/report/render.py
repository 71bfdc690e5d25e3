"""Render every notebook over one export into an offline HTML report: ``python -m helpers.report``.

The notebooks run in parallel worker processes (one papermill + nbconvert import per worker, not
per notebook), into a temporary folder beside the target. Only when every notebook succeeded is
that folder moved into place, so a failed run leaves the previous report exactly as it was, and
says which notebook and which cell failed.
"""

from __future__ import annotations

import argparse
import ast
import atexit
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from multiprocessing import get_context
from pathlib import Path

import jinja2
from markupsafe import Markup

from helpers import rules
from helpers.claims import SOURCE_NAMES
from helpers.errors import ExportError
from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR, resolve
from helpers.report.loader import HANDOFF_ENV, hand_over
from helpers.report.pages import headline, with_claim_verdicts
from helpers.report.prose import table_html
from helpers.sections import SECTIONS, section

TEMPLATES_DIR = Path(__file__).parent / "templates"
#: Kernel start-up can fail when parallel workers race for a port; a cell's error is never retried.
KERNEL_ATTEMPTS = 3


@dataclass
class Outcome:
    """How one notebook went: its page, or where and why it failed."""

    stem: str
    ok: bool
    seconds: float
    title: str = ""
    failure: str = ""
    kept_at: str = ""
    summary: list[str] = field(default_factory=list)


def export_name(export: Path) -> str:
    """The report's folder name for an export: its file or folder name without .zip/.csv."""
    name = export.name
    for suffix in (".zip", ".csv"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or "export"


def _title_of(notebook: dict) -> str:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", ""))
            for line in source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _failure_of(error: BaseException, notebook: dict) -> str:
    """'cell 7 (In [5]): ValueError: ...': the cell's place in the notebook as written (papermill's
    injected-parameters and error-banner cells not counted) and its execution count."""
    count = getattr(error, "exec_count", None)
    added_by_papermill = {"injected-parameters", "papermill-error-cell-tag"}
    own = [c for c in notebook.get("cells", []) if not added_by_papermill & set(c.get("metadata", {}).get("tags", []))]
    index = next((i for i, c in enumerate(own)
                  if c.get("cell_type") == "code" and count is not None and c.get("execution_count") == count), None)
    where = f"cell {index + 1} (In [{count}])" if index is not None else "a cell"
    ename, evalue = getattr(error, "ename", type(error).__name__), getattr(error, "evalue", str(error))
    return f"{where}: {ename}: {evalue}"


#: Said at the top of every page of a report of an invented export (the bundled sample and its variants).
INVENTED_BANNER = ("This report is of an invented member, the sample bundled with this project: its numbers and "
                   "verdicts show how the report reads, not facts about LinkedIn. Run it on your own export for yours.")


def _render_one(notebook: str, workdir: str, parameters: dict, log_dir: str, banner: str = "",
                handoff: str = "") -> Outcome:
    """Worker: execute one notebook with papermill and convert it to HTML without code. ``handoff`` is the
    export the report already read (the kernel, started from this process, reuses it)."""
    stem = Path(notebook).stem
    started = time.perf_counter()
    log_path = Path(log_dir) / f"{stem}.log"
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)  # kernel chatter (TCP warnings, shutdown noise) goes to the log, not the terminal
    os.dup2(log, 2)
    os.close(log)
    if handoff:
        os.environ[HANDOFF_ENV] = handoff
    else:
        os.environ.pop(HANDOFF_ENV, None)
    # papermill and nbconvert take about a second to import: the workers import them, the parent need not
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    executed = Path(workdir) / f"{stem}.ipynb"
    for attempt in range(1, KERNEL_ATTEMPTS + 1):
        try:
            papermill.execute_notebook(notebook, str(executed), parameters=parameters, progress_bar=False,
                                       request_save_on_cell_execute=False,
                                       log_output=False, cwd=str(NOTEBOOKS_DIR), kernel_name="python3")
            break
        except papermill.PapermillExecutionError as error:  # a cell raised: report it, keep the notebook
            content = json.loads(executed.read_text()) if executed.exists() else {}
            failed_copy = Path(log_dir) / f"{stem}.failed.ipynb"
            if executed.exists():
                shutil.move(executed, failed_copy)
            return Outcome(stem, False, time.perf_counter() - started, _title_of(content),
                           _failure_of(error, content), kept_at=str(failed_copy if failed_copy.exists() else log_path))
        except Exception as error:  # the kernel did not start or died: a port race between workers, retried
            print(f"attempt {attempt} of {stem}: kernel failure {type(error).__name__}: {error}", flush=True)
            if attempt == KERNEL_ATTEMPTS:
                return Outcome(stem, False, time.perf_counter() - started, "",
                               f"the kernel failed {KERNEL_ATTEMPTS} times ({type(error).__name__}: {error})",
                               kept_at=str(log_path))
    node = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.log.setLevel("ERROR")
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": _title_of(node) or stem},
                                                           "banner": banner})
    (Path(workdir) / f"{stem}.html").write_text(body, encoding="utf-8")
    return Outcome(stem, True, time.perf_counter() - started, _title_of(node))


def _reads_html(export) -> str:
    """The "what was read" table of the index page: one row per file, every cell escaped."""
    table = table_html(export.read_summary(), formats={"rows": "{:,}"},
                       titles={"file": "File", "used for": "Used for", "status": "Status", "rows": "Rows",
                               "period": "Period", "notes": "Notes"})
    return table.replace('class="report-table"', 'class="claims reads"', 1)


def _front_pages(outcomes: list[Outcome], facts: list[str], workdir: Path, reads: str, banner: str,
                 archive_type: str, checked: dict | None = None) -> None:
    """Write the ledger (``claims.json``), mark every section's verdicts with their claim's verdict, and write
    the index, the glossary and the one-page summary (``templates/index``). The models and polars are imported
    here, not at the top: the render workers import this module, and only the parent writes these pages."""
    import polars as pl

    from helpers.model.audience_fit import load_fit
    from helpers.model.judging import ROBUST_SHARE
    from helpers.model.validate import SUMMARY_FILE
    from helpers.report import checking
    from helpers.report.answer import answer, what_to_do
    from helpers.report.ledger import advice, write_claims

    records = write_claims(workdir)
    for outcome in outcomes:
        page = workdir / f"{outcome.stem}.html"
        page.write_text(with_claim_verdicts(page.read_text(encoding="utf-8"), outcome.stem, records), encoding="utf-8")
    testable = [r for r in records if r["verdict"] != "not testable"]
    kinds = pl.read_csv(SUMMARY_FILE, columns=["graph", "kind"])
    shared = {
        "banner": banner, "facts": facts, "records": records, "colours": rules.VERDICT_COLOURS,
        "answer": answer(records, archive_type), "todo": what_to_do(records), "robust_share": ROBUST_SHARE,
        "labels": {s.stem: s.label for s in SECTIONS},
        "sources": SOURCE_NAMES,
    }
    index = templates().get_template("index.html.j2").render(
        **shared, reads=Markup(reads), advice=advice(records),
        asked=_yours_first(r for r in testable if "002" in r["source"]),
        others=_yours_first(r for r in testable if "002" not in r["source"]),
        untestable=[r for r in records if r["verdict"] == "not testable"],
        sections=[{"page": f"{o.stem}.html", "title": o.title or o.stem, "headline": headline(workdir, o.stem)}
                  for o in outcomes],
        graphs=kinds.filter(~pl.col("kind").str.ends_with("(pooled)"))["graph"].n_unique(), audience=load_fit(),
        pages={"reach": section("06-your-reach"), "audience": section("07-who-sees-your-posts"),
               "feed": section("08-your-feed")},
        checked=checking.summary_line(checked) if checked else "")
    (workdir / "index.html").write_text(index + "\n", encoding="utf-8")
    if checked:
        checking.write(workdir, checked)
        (workdir / checking.PAGE).write_text(templates().get_template("checked.html.j2").render(
            **shared, checked=checked, summary=checking.coverage(checked), names=checking.LABELS,
            number=checking.number) + "\n", encoding="utf-8")
    for name in ("glossary.html", "summary.html"):
        (workdir / name).write_text(templates().get_template(f"{name}.j2").render(**shared) + "\n", encoding="utf-8")
    markdown = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "index"), autoescape=False,
                                  undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True)
    (workdir / "summary.md").write_text(markdown.get_template("summary.md.j2").render(**shared), encoding="utf-8")


def _yours_first(records) -> list[dict]:
    """Verdicts from the member's own data first, then those resting on data and a model, then the models'
    (the order is stable within each)."""
    rank = {"you": 0, "you and members like you": 1}
    return sorted(records, key=lambda r: rank.get(r["details"].get("about", "you"), 2))


@cache
def templates() -> jinja2.Environment:
    """The front pages' templates (``templates/index``), escaping every value."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "index"), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


TIMINGS_FILE = PROJECT_ROOT / "build" / "cache" / "notebook_seconds.json"


def _past_seconds() -> dict[str, float]:
    """How long each notebook took last time (empty when unknown or unreadable)."""
    try:
        return {str(k): float(v) for k, v in json.loads(TIMINGS_FILE.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _remember_seconds(seconds: dict[str, float]) -> None:
    TIMINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
    partial = TIMINGS_FILE.with_name(f"{TIMINGS_FILE.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps({**_past_seconds(), **seconds}, indent=1))
    partial.replace(TIMINGS_FILE)


def replace_atomically(workdir: Path, out: Path) -> None:
    """Move the finished report into place; the old one is removed only after the swap."""
    previous = out.with_name(f".{out.name}.previous-{os.getpid()}")
    if out.exists():
        out.rename(previous)
    workdir.rename(out)
    if previous.exists():
        shutil.rmtree(previous)


#: Worker pools kept for the life of the process, by size: a process that renders several reports (the
#: tests do) starts its workers, and imports papermill and nbconvert in them, once.
_POOLS: dict[int, ProcessPoolExecutor] = {}
#: The thread pools of the numerical libraries a kernel uses (OpenBLAS, OpenMP, MKL).
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: glibc's allocator: arrays up to 256 MB come from the heap and freed memory is kept for the next array, instead of
#: each large temporary being mapped afresh and its pages faulted in again (the reach model's (runs x connections)
#: arrays: half of the reach page's system time, about a second).
ALLOCATOR_VARIABLES = {"MALLOC_MMAP_THRESHOLD_": str(256 * 2**20), "MALLOC_TRIM_THRESHOLD_": str(2**30)}


def _share_cores(threads: int) -> None:
    """Worker initializer: the kernels this worker starts use ``threads`` threads each, so that the workers'
    kernels running at once take the machine's cores between them instead of each starting a thread per
    core (two kernels on two cores with two BLAS threads each spend a fifth of their time waiting on each
    other), and keep freed memory for their next arrays (:data:`ALLOCATOR_VARIABLES`). A variable the user set
    is kept."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
    for name, value in ALLOCATOR_VARIABLES.items():
        os.environ.setdefault(name, value)


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _POOLS:
        threads = max(1, (os.cpu_count() or 1) // workers)
        _POOLS[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                              initializer=_share_cores, initargs=(threads,))
        atexit.register(_POOLS[workers].shutdown)
    return _POOLS[workers]


def _render_all(notebooks: list[Path], seconds: dict[str, float], workers: int, workdir: Path, parameters: dict,
                log_dir: Path, banner: str, handoff: str, stream) -> list[Outcome]:
    """Render the notebooks in a pool of worker processes, the slowest first (as timed last time): the
    short ones then fill in, and the workers end together."""
    outcomes: list[Outcome] = []
    ordered = sorted(notebooks, key=lambda nb: -seconds.get(nb.stem, float("inf")))
    try:
        pool = _pool(workers)
        futures = [pool.submit(_render_one, str(nb), str(workdir), parameters, str(log_dir), banner, handoff)
                   for nb in ordered]
    except BrokenProcessPool:  # a worker died in an earlier report: start afresh
        _POOLS.pop(workers, None)
        pool = _pool(workers)
        futures = [pool.submit(_render_one, str(nb), str(workdir), parameters, str(log_dir), banner, handoff)
                   for nb in ordered]
    for future in as_completed(futures):
        try:
            outcome = future.result()
        except BrokenProcessPool:
            _POOLS.pop(workers, None)  # the next report starts new workers
            raise
        outcomes.append(outcome)
        status = "ok" if outcome.ok else "FAILED"
        print(f"  [{len(outcomes)}/{len(notebooks)}] {outcome.stem}: {status} ({outcome.seconds:.1f} s)",
              file=stream, flush=True)
    return outcomes


class SettingError(ValueError):
    """A run setting no notebook declares."""


#: The parameters every notebook takes from the report itself; the others are the notebooks' run settings.
REPORT_PARAMETERS = ("export_path", "output_dir", "seed", "show_names")


def run_settings(notebooks: list[Path]) -> dict[str, list[str]]:
    """{setting: the notebooks that declare it} for the parameters the notebooks declare beyond
    :data:`REPORT_PARAMETERS` (Monte Carlo runs, joint draws, days simulated...), read from their parameters cells."""
    found: dict[str, list[str]] = {}
    for notebook in notebooks:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                for name in re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=", "".join(cell["source"]), re.MULTILINE):
                    if name not in REPORT_PARAMETERS:
                        found.setdefault(name, []).append(notebook.stem)
    return found


def build_report(export: Path, out: Path, seed: int, jobs: int, names: bool = False,
                 notebooks_dir: Path = NOTEBOOKS_DIR, stream=None, settings: dict | None = None,
                 before: Path | None = None) -> list[Outcome]:
    """Render every notebook of ``notebooks_dir`` over ``export`` into ``out``; see the module doc.

    ``settings`` changes run settings the notebooks declare (see :func:`run_settings`: fewer joint draws for a
    quick look, more for a closer one) in every notebook that declares them; the index says which were changed.
    A name no notebook declares is refused (:class:`SettingError`) before anything runs.

    ``before`` is an earlier report's ``predictions.json``: its predictions are checked against this export
    (``checked.json`` and a page of their own); one that cannot be checked is said on the index, and the
    report renders without the page.

    Raises ExportError before any notebook runs when its Connections.csv cannot be read; any other file
    that cannot be read is left out with a note (the index lists every file and what became of it).
    """
    stream = stream or sys.stdout  # looked up now: a redirected stdout gets the progress lines
    from helpers.evidence.profile import network_size  # the evidence stage: in the parent only (see _front_pages)
    from helpers.export import load_export
    from helpers.export.synth import is_invented
    from helpers.report import predictions

    loaded = load_export(export)
    size = network_size(loaded.connections)
    banner = INVENTED_BANNER if is_invented(loaded) else ""
    notebooks = sorted(notebooks_dir.glob("[0-9]*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks in {notebooks_dir}")
    settings = dict(settings or {})
    known = run_settings(notebooks)
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise SettingError(f"no notebook takes the setting(s) {', '.join(unknown)}; they take: "
                         + ", ".join(f"{name} ({', '.join(where)})" for name, where in sorted(known.items())))
    out.parent.mkdir(parents=True, exist_ok=True)
    workdir = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    log_dir = PROJECT_ROOT / "build" / "logs" / out.name
    log_dir.mkdir(parents=True, exist_ok=True)
    parameters = {"export_path": str(export), "output_dir": str(workdir), "seed": seed, "show_names": names}

    workers = max(1, min(jobs, len(notebooks)))
    print(f"Rendering {len(notebooks)} notebooks over {export} with {workers} worker(s)...", file=stream, flush=True)
    seconds = _past_seconds()
    handoff_dir = Path(tempfile.mkdtemp(prefix="report-export-"))  # private (0700), removed below
    try:
        handoff = str(hand_over(loaded, handoff_dir))
        outcomes = _render_all(notebooks, seconds, workers, workdir, {**parameters, **settings}, log_dir, banner,
                               handoff, stream)
    finally:
        shutil.rmtree(handoff_dir, ignore_errors=True)
    outcomes.sort(key=lambda o: o.stem)
    if not settings:  # the next report is ordered by the times of one at the notebooks' own settings
        _remember_seconds({o.stem: o.seconds for o in outcomes if o.ok})
    failed = [o for o in outcomes if not o.ok]
    if failed:
        shutil.rmtree(workdir, ignore_errors=True)
        return outcomes
    checked, not_checked = None, ""
    if before is not None:
        from helpers.report import checking

        try:
            checked = checking.check_before(before, loaded, seed)
        except checking.BeforeError as error:
            not_checked = f"The earlier predictions were not checked: {error}"
    skipped = [r.file for r in loaded.read_log if r.status == "skipped"]
    facts = [
        f"Export: {export_name(export)} ({loaded.archive_type} archive, read from a {loaded.kind}).",
        f"{size.total:,} connections, made between {size.first_connected_on} and {size.last_connected_on}.",
        *([f"Could not be read, so left out: {', '.join(skipped)} (see what was read, below)."] if skipped else []),
        f"Random seed {seed}: the same seed gives the same numbers.",
        *([f"Run settings changed from the notebooks' own: "
           f"{', '.join(f'{name} = {value!r}' for name, value in sorted(settings.items()))}."] if settings else []),
        *([not_checked] if not_checked else []),
    ]
    _front_pages(outcomes, facts, workdir, _reads_html(loaded), banner, loaded.archive_type, checked)
    predictions.write(workdir, loaded, [o.stem for o in outcomes])
    replace_atomically(workdir, out)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.report",
                                     description="Render the HTML report of a LinkedIn data export.")
    parser.add_argument("--export", default="data/sample",
                        help="a LinkedIn export .zip, the folder it unzips to, or a Connections.csv")
    parser.add_argument("--out", help="report folder (default: reports/<name of the export>)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed for every simulation")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks rendered at once")
    parser.add_argument("--names", action="store_true", help="allow connections' names in the report")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
                        help="change a notebook's run setting, e.g. --set robustness_draws=128 (repeatable; "
                             "a wrong name lists the settings there are)")
    parser.add_argument("--before", type=Path, help="an earlier report's predictions.json (or the earlier export "
                                                    "itself), checked against this export")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = {}
    for item in args.settings:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            parser.error(f"--set takes NAME=VALUE, not {item!r}")
        try:
            settings[name.strip()] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            settings[name.strip()] = value.strip()  # a word: taken as text

    export = Path(args.export).expanduser().resolve()
    out = Path(args.out).expanduser().resolve() if args.out else REPORTS_DIR / export_name(export)
    started = time.perf_counter()
    try:
        outcomes = build_report(export, out, args.seed, args.jobs, args.names, args.notebooks, settings=settings,
                                before=args.before.expanduser().resolve() if args.before else None)
    except ExportError as error:
        print(f"Cannot read the export.\n{error}", file=sys.stderr)
        return 2
    except SettingError as error:
        print(f"Cannot run with these settings: {error}", file=sys.stderr)
        return 2
    failed = [o for o in outcomes if not o.ok]
    if failed:
        for outcome in failed:
            print(f"\nNotebook {outcome.stem} failed at {outcome.failure}\n  details: {outcome.kept_at}",
                  file=sys.stderr)
        kept = "the previous report is unchanged" if out.exists() else "no report was written"
        print(f"\nReport not updated: {kept} ({out}).", file=sys.stderr)
        return 1
    print(f"Report ready in {time.perf_counter() - started:.0f} s: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
