"""Render every notebook over one export into an offline HTML report: ``python -m helpers.report``.

The notebooks run in parallel worker processes (one papermill + nbconvert import per worker, not
per notebook), into a temporary folder beside the target. Only when every notebook succeeded is
that folder moved into place, so a failed run leaves the previous report exactly as it was, and
says which notebook and which cell failed.
"""

from __future__ import annotations

import argparse
import atexit
import html
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from helpers.errors import ExportError
from helpers.export.reader import HANDOFF_ENV, hand_over
from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR, resolve

TEMPLATES_DIR = Path(__file__).parent / "templates"
#: Kernel start-up can fail when parallel workers race for a port; a cell's error is never retried.
KERNEL_ATTEMPTS = 3
SUMMARY_SUFFIX = ".summary.json"


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


def save_summary(output_dir: str | Path, notebook: str, lines: list[str]) -> Path:
    """Headline sentences of one notebook for the report's index page (plain text, escaped there)."""
    target = resolve(output_dir) / f"{notebook}{SUMMARY_SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"notebook": notebook, "lines": lines}, ensure_ascii=False, indent=1))
    return target


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
    from helpers.report.prose import table_html

    table = table_html(export.read_summary(), formats={"rows": "{:,}"},
                       titles={"file": "File", "used for": "Used for", "status": "Status", "rows": "Rows",
                               "period": "Period", "notes": "Notes"})
    return table.replace('class="report-table"', 'class="claims reads"', 1)


def _index_html(outcomes: list[Outcome], facts: list[str], workdir: Path, reads: str = "", banner: str = "") -> str:
    from helpers.report.ledger import advice, ledger_html, write_claims

    records = write_claims(workdir)
    items = []
    for outcome in outcomes:
        summary_file = workdir / f"{outcome.stem}{SUMMARY_SUFFIX}"
        lines = json.loads(summary_file.read_text())["lines"] if summary_file.exists() else []
        bullet = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        items.append(
            f'<section><h3><a href="{html.escape(outcome.stem)}.html">{html.escape(outcome.title or outcome.stem)}</a>'
            f"</h3>{f'<ul>{bullet}</ul>' if bullet else ''}</section>"
        )
    fact_list = "".join(f"<li>{html.escape(f)}</li>" for f in facts)
    advice_list = "".join(f"<li>{html.escape(line)}</li>" for line in advice(records))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Your LinkedIn network, tested</title>
<style>
 body {{ font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #111827;
        max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }}
 h1 {{ font-size: 1.8rem; margin-bottom: .2rem; }} h2 {{ font-size: 1.3rem; margin: 1.8rem 0 .4rem; }}
 h3 {{ font-size: 1.05rem; margin: 1rem 0 .2rem; }}
 a {{ color: #1f5f99; }} .facts {{ color: #374151; }} section ul {{ margin-top: .2rem; }}
 footer {{ margin-top: 2rem; color: #6b7280; font-size: .85rem; }}
 .invented {{ background: #fef3c7; border: 1px solid #f59e0b; padding: .6rem 1rem; border-radius: 4px; }}
 table.claims {{ border-collapse: collapse; font-size: .9rem; }}
 table.claims th, table.claims td {{ border-bottom: 1px solid #e5e7eb; padding: .45rem .5rem; text-align: left;
   vertical-align: top; }}
 table.claims th {{ background: #f3f4f6; }} .src {{ color: #6b7280; font-size: .8rem; }}
 .v-supported {{ color: #15803d; font-weight: 600; }} .v-not-supported {{ color: #b91c1c; font-weight: 600; }}
 .v-mixed {{ color: #b45309; font-weight: 600; }} .v-not-testable {{ color: #6b7280; font-weight: 600; }}
 @media print {{ body {{ max-width: none; margin: 0; }} a {{ color: inherit; }} }}
</style></head>
<body>
{f'<p class="invented">{html.escape(banner)}</p>' if banner else ''}
<h1>Your LinkedIn network, tested</h1>
<p>Claims about growing past "500+" connections, checked one by one against your own LinkedIn data export
and a network model. Sources: <strong>002</strong> is a blogger who expected 1,000 views once past 500 connections;
<strong>000</strong> is an article on growing your network.</p>
<ul class="facts">{fact_list}</ul>
<h2>The claims</h2>
{ledger_html(records)}
<h2>What this means for you</h2>
<ul>{advice_list}</ul>
<h2>How we know</h2>
<ul>
<li><strong>Your data</strong>: the files of your export listed above, read on this computer; e-mail addresses and
message texts are never read.</li>
<li><strong>The models</strong>: a network of about a billion members in which ties form through shared employers,
shared job functions or at random, with mechanisms fitted on real social networks and set beside the network sizes
LinkedIn published; a model of a post's impressions fitted to 3,354 real LinkedIn posts of 120 members; a model of
the feed. Every assumption, its range and its source is listed in the <a href="06-your-reach.html">reach</a>,
<a href="07-who-sees-your-posts.html">audience</a> and <a href="08-your-feed.html">feed</a> sections, and each
verdict is re-checked across every range.</li>
<li><strong>Validation</strong>: on thirteen real social networks, the model predicted people's 2nd degree from what
an export would give, also with its laws refitted without the network predicted; the
<a href="06-your-reach.html">reach section</a> shows how close it came and where it failed.</li>
<li><strong>Rules</strong>: each verdict follows a rule written in code before the data was read; each section shows
the rule next to the verdict.</li>
</ul>
<h2>What was read from your export</h2>
<p>File by file: what it is used for, whether it was read, its rows and the period they cover, and anything
unusual. A file that could not be read is left out, with the reason; the claims that need it are
<em>not testable</em>.</p>
{reads}
<h2>Sections</h2>
{''.join(items)}
<footer>Made offline by this project's <code>make report</code>; this page and its sections make no
outside requests. Names and profile URLs of your connections are left out unless you asked for them.
The same verdicts are in <code>claims.json</code> in this folder.</footer>
</body></html>
"""


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


def _replace_atomically(workdir: Path, out: Path) -> None:
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


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _POOLS:
        _POOLS[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
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


def build_report(export: Path, out: Path, seed: int, jobs: int, names: bool = False,
                 notebooks_dir: Path = NOTEBOOKS_DIR, stream=sys.stdout) -> list[Outcome]:
    """Render every notebook of ``notebooks_dir`` over ``export`` into ``out``; see the module doc.

    Raises ExportError before any notebook runs when its Connections.csv cannot be read; any other file
    that cannot be read is left out with a note (the index lists every file and what became of it).
    """
    from helpers.export import load_export
    from helpers.evidence.profile import network_size

    from helpers.export.synth import is_invented

    loaded = load_export(export)
    size = network_size(loaded.connections)
    banner = INVENTED_BANNER if is_invented(loaded) else ""
    notebooks = sorted(notebooks_dir.glob("[0-9]*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks in {notebooks_dir}")
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
        outcomes = _render_all(notebooks, seconds, workers, workdir, parameters, log_dir, banner, handoff, stream)
    finally:
        shutil.rmtree(handoff_dir, ignore_errors=True)
    outcomes.sort(key=lambda o: o.stem)
    _remember_seconds({o.stem: o.seconds for o in outcomes if o.ok})
    failed = [o for o in outcomes if not o.ok]
    if failed:
        shutil.rmtree(workdir, ignore_errors=True)
        return outcomes
    skipped = [r.file for r in loaded.read_log if r.status == "skipped"]
    facts = [
        f"Export: {export_name(export)} ({loaded.archive_type} archive, read from a {loaded.kind}).",
        f"{size.total:,} connections, made between {size.first_connected_on} and {size.last_connected_on}.",
        *([f"Could not be read, so left out: {', '.join(skipped)} (see what was read, below)."] if skipped else []),
        f"Random seed {seed}: the same seed gives the same numbers.",
    ]
    (workdir / "index.html").write_text(_index_html(outcomes, facts, workdir, _reads_html(loaded), banner), encoding="utf-8")
    _replace_atomically(workdir, out)
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
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    export = Path(args.export).expanduser().resolve()
    out = Path(args.out).expanduser().resolve() if args.out else REPORTS_DIR / export_name(export)
    started = time.perf_counter()
    try:
        outcomes = build_report(export, out, args.seed, args.jobs, args.names, args.notebooks)
    except ExportError as error:
        print(f"Cannot read the export.\n{error}", file=sys.stderr)
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
