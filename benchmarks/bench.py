"""``make bench``: speed and memory figures, one ``name: value`` line each.

Each measurement runs in a fresh subprocess so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

#: A member at LinkedIn's cap: 30,000 connections over ten years.
CAP_GROWTH = ((date(2016, 1, 1), 0), (date(2021, 1, 1), 12_000), (date(2026, 11, 15), 30_000))
#: The largest held-out graphs the reach model's validation is run on hold up to this many people.
LARGE_GRAPH_NODES = 155_000


def write_cap_export(folder: Path, seed: int = 30_000) -> Path:
    """A Connections.csv of 30,000 invented connections in LinkedIn's 2023+ format."""
    import numpy as np

    from helpers.export.synth import connections_csv, make_people

    folder.mkdir(parents=True, exist_ok=True)
    people = make_people(np.random.default_rng(seed), CAP_GROWTH)
    (folder / "Connections.csv").write_text(connections_csv(people), encoding="utf-8")
    return folder


def _read_export(path: str) -> dict:
    from helpers.export import load_export

    started = time.perf_counter()
    export = load_export(path)
    return {"seconds": time.perf_counter() - started, "rows": export.connections.height}


def _measure(function: str, *args: str) -> dict:
    """Run ``function(*args)`` of this module in a child process; its result plus its own peak memory (MB)."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r}); "
            f"import json, resource, bench as b; r = b.{function}(*{list(args)!r}); "
            "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(r))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bench_population(n: int, seed: int, median: float = 10.0):
    """A focus-model population: lognormal degrees (median ``median``), 2 attributes."""
    import numpy as np

    rng = np.random.default_rng(seed)
    degrees = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(median), 0.9, n))), 30_000).astype(np.int64)
    groups = np.stack([rng.integers(0, n // 50, n), rng.integers(0, 14, n)], axis=1)
    return rng, degrees, groups


def _reach_speed(seed: int = 1) -> dict:
    """Complete layer counts from the same egos: this project's CSR BFS vs networkx's BFS."""
    import numpy as np

    from helpers.model.population import focus_graph, to_networkx
    from helpers.model.reach import layer_counts, layer_counts_networkx

    rng, degrees, groups = _bench_population(100_000, seed, median=14.0)
    graph = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=seed)
    reference = to_networkx(graph)
    sources = rng.choice(graph.n, size=5, replace=False).tolist()
    started = time.perf_counter()
    ours = [layer_counts(graph, s, depth=None) for s in sources]
    engine = time.perf_counter() - started
    started = time.perf_counter()
    theirs = [layer_counts_networkx(reference, s, depth=None) for s in sources]
    networkx_seconds = time.perf_counter() - started
    return {"arcs": graph.arcs, "speedup": networkx_seconds / engine, "same": ours == theirs,
            "ms_per_ego": 1000 * engine / len(sources)}


def _member_at_cap(seed: int = 2) -> dict:
    """A member with 30,000 connections planted in a 1,000,000-node population: generate, then count."""
    import numpy as np

    from helpers.model.degrees import Degrees
    from helpers.model.population import focus_graph
    from helpers.model.reach import layer_counts

    started = time.perf_counter()
    rng, degrees, groups = _bench_population(1_000_000, seed)
    alters = rng.choice(np.arange(1, degrees.size), size=30_000, replace=False)
    degrees[alters] = Degrees(0, 0, 0, values=degrees).size_biased(alters.size, rng).astype(np.int64)
    graph = focus_graph(degrees, groups, np.array([0.3, 0.1]), ego=0, alters=alters, triadic=0.15, seed=rng)
    counts = layer_counts(graph, 0)
    return {"seconds": time.perf_counter() - started, "nodes": graph.n, "arcs": graph.arcs, "layers": counts}


def write_large_graph(folder: Path, nodes: int = LARGE_GRAPH_NODES, seed: int = 155) -> tuple[Path, Path]:
    """A heavy-tailed graph of ``nodes`` people in the shared datasets' format, without attributes (as most large
    public graphs come): lognormal degrees (median 6, sigma 1.3, at most 5,000: a mean of about 14 and hubs past
    the structural cut-off), ties by stub matching, 30% of them inside groups of 40 (for clustering)."""
    import gzip
    import io

    import numpy as np

    from helpers.model.population import focus_graph

    rng = np.random.default_rng(seed)
    degrees = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(6), 1.3, nodes))), 5_000).astype(np.int64)
    graph = focus_graph(degrees, rng.integers(0, nodes // 40, nodes)[:, None], np.array([0.3]), seed=rng)
    owners = np.repeat(np.arange(graph.n), graph.degree())
    upper = owners < graph.indices
    folder.mkdir(parents=True, exist_ok=True)
    edges, people = folder / "large.edges.csv.gz", folder / "large.nodes.csv.gz"
    for path, header, columns in ((edges, "source,target", [owners[upper], graph.indices[upper]]),
                                  (people, "id", [np.arange(graph.n)])):
        text = io.BytesIO()
        np.savetxt(text, np.column_stack(columns), fmt="%d", delimiter=",", header=header, comments="")
        path.write_bytes(gzip.compress(text.getvalue(), compresslevel=1))
    return edges, people


def _validate_large(scratch: str) -> dict:
    """``python -m helpers.model.validate`` on a 155,000-person graph at 60 egos with 50+ friends: wall time and
    peak memory of the command as a member would run it (run from a child of its own, so that the peak of the
    command is the only one it sees)."""
    import resource

    import polars as pl

    scratch = Path(scratch)
    edges, people = write_large_graph(scratch / "graphs")
    out = scratch / "large.csv"
    command = [sys.executable, "-m", "helpers.model.validate", "--edges", str(edges), "--nodes", str(people),
               "--egos", "60", "--seed", "7", "--min-degree", "50", "--out", str(out)]
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    rows = pl.read_csv(out)
    return {"seconds": seconds, "command_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "egos": rows.height, "nodes": int(rows["nodes"][0]), "edges": int(pl.read_csv(edges).height)}


def _cascade_speed(seed: int = 3, runs: int = 200, probability: float = 0.05) -> dict:
    """Independent cascades from one node: this project's CSR engine vs NDlib's IndependentCascadesModel,
    on the same graph with the same edge probability and the same number of runs."""
    import warnings

    import numpy as np

    from helpers.model.cascade import independent_cascade
    from helpers.model.population import focus_graph, to_networkx

    rng, degrees, groups = _bench_population(5_000, seed, median=8.0)
    graph = focus_graph(degrees, groups, np.array([0.3, 0.1]), seed=seed)
    source = int(np.argmax(graph.degree()))
    started = time.perf_counter()
    ours = independent_cascade(graph, source, probability, runs=runs, seed=seed).astype(float)
    engine = time.perf_counter() - started

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import ndlib.models.epidemics as ep
        import ndlib.models.ModelConfig as mc

        reference = to_networkx(graph)
        np.random.seed(seed)  # NDlib draws from numpy's global generator
        started = time.perf_counter()
        model = ep.IndependentCascadesModel(reference, seed=seed)
        config = mc.Configuration()
        config.add_model_initial_configuration("Infected", [source])
        for edge in reference.edges():
            config.add_edge_configuration("threshold", edge, probability)
        model.set_initial_status(config)
        theirs = []
        for _ in range(runs):
            model.reset()
            while True:
                step = model.iteration(node_status=False)
                if step["node_count"][1] == 0 and model.actual_iteration > 1:
                    break
            theirs.append(step["node_count"][2])
        ndlib_seconds = time.perf_counter() - started
    theirs = np.array(theirs, dtype=float)
    error = np.sqrt(ours.var() / ours.size + theirs.var() / theirs.size)
    return {"speedup": ndlib_seconds / engine, "same": bool(abs(ours.mean() - theirs.mean()) <= 4 * error),
            "ours_mean": float(ours.mean()), "ndlib_mean": float(theirs.mean()), "arcs": graph.arcs, "runs": runs}


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB, from /proc."""
    import os

    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in family) / 1024**2


def _timed_command(command: list[str], what: str) -> dict:
    """A command of the project's run as a member runs it: wall time and the peak memory of the whole process tree
    (workers and kernels together)."""
    from helpers.paths import PROJECT_ROOT

    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"{what} failed: {process.stderr.read().decode()[-2000:]}")
    return {"seconds": seconds, "peak_mb": peak}


def _timed_report(export: Path, out: Path, notebooks: Path | None = None) -> dict:
    """``python -m helpers.report`` over ``export``."""
    import os

    command = [sys.executable, "-m", "helpers.report", "--export", str(export), "--out", str(out),
               "--jobs", str(os.cpu_count() or 2)] + (["--notebooks", str(notebooks)] if notebooks else [])
    return _timed_command(command, f"the report of {export.name}")


#: Distinct invented members written for the cohort figures; the cohorts of COHORT_SIZES members repeat them (each
#: entry a link to one of them: every one is read and summarised as if it were another member's).
COHORT_DISTINCT, COHORT_SIZES = 50, (250, 1000)


def cohort_speed(scratch: Path) -> list[dict]:
    """``python -m helpers.report.cohort`` over cohorts of :data:`COHORT_SIZES` Complete exports of typical size
    (about 300 to 2,800 connections, a year of invitations, messages, three years of analytics)."""
    import os

    from helpers.export.synth_cohort import write_cohort

    write_cohort(scratch / "distinct", COHORT_DISTINCT, seed=9)
    distinct = sorted((scratch / "distinct").glob("*.zip"))
    found = []
    for size in COHORT_SIZES:
        folder = scratch / f"cohort-{size}"
        folder.mkdir()
        for index in range(size):
            os.link(distinct[index % len(distinct)], folder / f"member-{index:05d}.zip")
        command = [sys.executable, "-m", "helpers.report.cohort", "--exports", str(folder), "--out",
                   str(scratch / f"report-{size}"), "--jobs", str(os.cpu_count() or 2)]
        found.append({"members": size, **_timed_command(command, f"the cohort of {size}")})
    return found


def floor_notebooks(folder: Path, count: int = 8) -> Path:
    """``count`` notebooks that only import numpy, polars, altair, scipy and helpers, with the report's
    parameters: the report pipeline's floor on this machine."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    folder.mkdir(parents=True, exist_ok=True)
    for index in range(1, count + 1):
        notebook = new_notebook(cells=[
            new_markdown_cell(f"# Floor {index}"),
            new_code_cell("import numpy, polars, altair, scipy\nimport helpers"),
            new_code_cell('export_path = ""\noutput_dir = ""\nseed = 0\nshow_names = False',
                          metadata={"tags": ["parameters"]})])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, folder / f"{index:02d}-floor.ipynb")
    return folder


def report_of_sample(scratch: Path, runs: int = 5) -> tuple[dict, dict, float]:
    """The sample's report and the floor (the same pipeline over notebooks that only import), run in turn ``runs``
    times after one warm-up pair: each one's median, and the median of the ratios pair by pair (a shared machine's
    speed drifts; a pair run back to back shares it)."""
    import statistics

    from helpers.paths import SAMPLE_EXPORT

    notebooks = floor_notebooks(scratch / "floor-notebooks")
    pairs = []
    for _ in range(runs + 1):
        pairs.append((_timed_report(SAMPLE_EXPORT, scratch / "sample"),
                      _timed_report(SAMPLE_EXPORT, scratch / "floor", notebooks)))
    pairs = pairs[1:]  # the warm-up pair fills the caches
    summary = [{"seconds": statistics.median(p[i]["seconds"] for p in pairs),
                "peak_mb": max(p[i]["peak_mb"] for p in pairs), "runs": runs} for i in (0, 1)]
    return summary[0], summary[1], statistics.median(a["seconds"] / b["seconds"] for a, b in pairs)


def report_at_cap(scratch: Path) -> dict:
    """``make report`` over a 30,000-connection export with 5 years of invitations and messages."""
    from helpers.export.synth import write_export

    export = scratch / "Complete_LinkedInDataExport_cap"
    write_export(export, seed=30_000, growth=CAP_GROWTH, invitations_from=date(2021, 11, 15),
                 contacts_messaged=3_000, messages=60_000)
    return {**_timed_report(export, scratch / "report"), "rows": 30_000}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        export = write_cap_export(Path(scratch) / "cap")
        read = _measure("_read_export", str(export))
        assert read["rows"] == 30_000, read
        print(f"export_read_seconds_30k: {read['seconds']:.3f}")
        print(f"export_read_peak_mb_30k: {read['peak_mb']:.0f}")
    speed = _measure("_reach_speed")
    print(f"reach_graph_arcs: {speed['arcs']}")
    print(f"reach_ms_per_ego: {speed['ms_per_ego']:.1f}")
    print(f"reach_speedup_vs_networkx: {speed['speedup']:.1f}")
    print(f"same_answers: {str(speed['same']).lower()}")
    cascade = _measure("_cascade_speed")
    print(f"cascade_graph_arcs: {cascade['arcs']}")
    print(f"cascade_mean_size: ours {cascade['ours_mean']:.1f}, ndlib {cascade['ndlib_mean']:.1f} "
          f"({cascade['runs']} runs each)")
    print(f"cascade_speedup_vs_ndlib: {cascade['speedup']:.1f}")
    print(f"same_answers: {str(cascade['same']).lower()}")
    with tempfile.TemporaryDirectory() as scratch:
        sample, floor, ratio = report_of_sample(Path(scratch))
    print(f"report_seconds_sample: {sample['seconds']:.1f} (median of {sample['runs']}, each beside a floor run)")
    print(f"report_peak_mb_sample: {sample['peak_mb']:.0f}")
    print(f"report_seconds_floor: {floor['seconds']:.1f} (8 notebooks that only import numpy, polars, altair, "
          f"scipy and helpers, the same pipeline)")
    print(f"report_sample_over_floor: {ratio:.2f} (median of the pairs' ratios)")
    with tempfile.TemporaryDirectory() as scratch:
        report = report_at_cap(Path(scratch))
    print(f"report_seconds_30k: {report['seconds']:.0f}")
    print(f"report_peak_mb_30k: {report['peak_mb']:.0f}")
    with tempfile.TemporaryDirectory() as scratch:
        cohorts = cohort_speed(Path(scratch))
    for found in cohorts:
        print(f"cohort_seconds_{found['members']}: {found['seconds']:.0f} ({found['members']} Complete exports of "
              f"300-2,800 connections, {os.cpu_count() or 2} workers)")
        print(f"cohort_peak_mb_{found['members']}: {found['peak_mb']:.0f}")
    small, large_cohort = cohorts[0], cohorts[-1]
    print(f"cohort_seconds_per_member: {small['seconds'] / small['members']:.3f} at {small['members']}, "
          f"{large_cohort['seconds'] / large_cohort['members']:.3f} at {large_cohort['members']}")
    with tempfile.TemporaryDirectory() as scratch:
        large = _measure("_validate_large", scratch)
    print(f"validate_large_graph: {large['nodes']:,} people, {large['edges']:,} edges, {large['egos']} egos with "
          "50+ friends (synthetic, heavy-tailed, no attributes)")
    print(f"validate_large_graph_seconds: {large['seconds']:.1f}")
    print(f"validate_large_graph_peak_mb: {large['command_peak_mb']:.0f}")
    member = _measure("_member_at_cap")
    print(f"member_30k_population_nodes: {member['nodes']}")
    print(f"member_30k_population_arcs: {member['arcs']}")
    print(f"member_30k_layers: {member['layers']}")
    print(f"member_30k_seconds: {member['seconds']:.1f}")
    print(f"member_30k_peak_mb: {member['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
