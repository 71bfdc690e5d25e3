"""The project's own promises: one dependency list, stripped notebooks with typed parameters, a Makefile front door."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib

import papermill
import pytest
import yaml

from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines():
        found = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if found:
            pins[found.group(1).lower().replace("_", "-")] = found.group(2)
    return pins


def test_every_declared_dependency_is_pinned_in_the_lock():
    declared = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["dev"]
    missing = [d for d in declared if _name(d) not in _locked()]
    assert not missing, f"requirements.lock lacks {missing}: run `make lock`"


def test_environment_yml_installs_the_same_lock_and_package():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert set(env) <= {"name", "channels", "dependencies"}
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    minimum = PYPROJECT["project"]["requires-python"].removeprefix(">=")
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))
    assert "pip" in deps, "list pip explicitly when there is a pip: section"
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pip_section == ["-r requirements.lock", "-e ."]


#: The packages the design names and those the project imports directly: distribution -> import name.
DIRECT = {"jupyterlab": "jupyterlab", "polars": "polars", "altair": "altair", "papermill": "papermill",
          "nbval": "nbval", "networkx": "networkx", "nbconvert": "nbconvert", "ipykernel": "ipykernel",
          "numpy": "numpy", "scipy": "scipy", "vl-convert-python": "vl_convert", "jinja2": "jinja2",
          "openpyxl": "openpyxl"}


def test_what_the_code_imports_is_declared_and_installed():
    import importlib.util

    names = {_name(d) for d in PYPROJECT["project"]["dependencies"]}
    assert set(DIRECT) <= names
    missing = [module for module in DIRECT.values() if importlib.util.find_spec(module) is None]
    assert not missing, f"declared but not installed: {missing}; run `make setup`"
    used = set()
    for path in (PROJECT_ROOT / "src" / "helpers").rglob("*.py"):
        used |= {name.split(".")[0] for name in _imported(ast.parse(path.read_text()))}
    third_party = used - set(sys.stdlib_module_names) - {"helpers"}
    assert third_party <= set(DIRECT.values()) | {"markupsafe", "IPython", "nbformat"}, third_party


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_has_one_typed_documented_parameters_cell(notebook):
    parameters = papermill.inspect_notebook(str(notebook))
    assert {"export_path", "output_dir", "seed", "show_names"} <= set(parameters)
    for name, info in parameters.items():
        assert info["inferred_type_name"] not in ("None", ""), f"{name} has no type annotation"
        assert info["help"], f"{name} has no trailing comment"


def test_make_help_lists_every_front_door_target():
    done = subprocess.run(["make", "-s", "help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    for target in ("setup", "report", "test", "lab", "bench", "validate", "clean"):
        assert re.search(rf"^\s+{target}\s", done.stdout, re.M), target


def test_personal_exports_under_data_are_ignored_by_git():
    candidates = ["data/Basic_LinkedInDataExport_11-20-2026.zip", "data/mine/Connections.csv", "reports/x/index.html"]
    done = subprocess.run(["git", "check-ignore", *candidates], cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode == 128:
        pytest.skip("not a git checkout")
    assert done.stdout.split() == candidates
    kept = subprocess.run(["git", "check-ignore", "data/sample/Connections.csv", "data/job_functions.csv",
                           "data/assumptions.toml", "data/validation_summary.csv", "data/real_graph_experiments.csv",
                           "data/reach_mechanisms.csv", "data/linkedin_anchors.csv"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert kept.stdout == ""


#: The pipeline, bottom to top: a module may import its own stage and the stages below it, never above.
STAGES = {"paths": 0, "errors": 0, "claims": 0, "rules": 0, "sections": 0, "export": 1, "evidence": 2, "model": 3, "report": 4}


def _stage(dotted: str) -> int | None:
    parts = dotted.split(".")
    if parts[0] != "helpers":
        return None
    if len(parts) == 1:
        return 0
    if parts[1] not in STAGES:
        package = PROJECT_ROOT / "src" / "helpers"
        assert not (package / parts[1]).exists() and not (package / f"{parts[1]}.py").exists(), \
            f"{dotted}: a module the layout does not know"
        return 0  # a name helpers/__init__ exports (ExportError, PROJECT_ROOT)
    return STAGES[parts[1]]


def _imported(tree: ast.AST) -> list[str]:
    """Every module a file imports: absolute imports (``from helpers.x import y`` counts ``helpers.x`` and,
    as ``y`` may be a module, ``helpers.x.y``), relative ones (refused: the package imports absolutely),
    and ``importlib.import_module`` / ``__import__`` with a literal name, wherever they stand."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"relative import at line {node.lineno}: import helpers.… absolutely"
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (getattr(node.func, "attr", None) == "import_module" or getattr(node.func, "id", None) == "__import__")):
            names.append(node.args[0].value)
    return names


def test_the_layout_shows_the_pipeline_and_imports_point_down_it():
    package = PROJECT_ROOT / "src" / "helpers"
    stages = sorted(p.name for p in package.iterdir() if (p / "__init__.py").exists())
    assert stages == ["evidence", "export", "model", "report"]
    loose = sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__")
    assert set(loose) == {"paths", "errors", "claims", "rules", "sections"}, loose
    upward = []
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(".__init__")
        own = _stage(module) if module != "helpers" else 0
        for target in _imported(ast.parse(path.read_text())):
            stage = _stage(target)
            if stage is not None and stage > own:
                upward.append(f"{module} imports {target}")
    assert not upward, upward


def test_the_readers_public_face_and_the_moved_command_lines():
    from helpers.export import ExportError, load_export  # noqa: F401
    commands = ("helpers.model.audience", "helpers.model.reach", "helpers.model.validate", "helpers.report")
    # each run as ``python -m COMMAND --help`` runs it (runpy, as __main__), all in one interpreter
    script = ("import runpy, sys\n"
              "for command in sys.argv[1:]:\n"
              "    sys.argv = [command, '--help']\n"
              "    try:\n"
              "        runpy.run_module(command, run_name='__main__', alter_sys=True)\n"
              "    except SystemExit as stopped:\n"
              "        print(f'{command} exit {stopped.code or 0}', file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script, *commands], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if " exit " in line] == [f"{c} exit 0" for c in commands]
    assert done.stdout.count("usage: python -m ") == len(commands), done.stdout


def test_every_source_file_the_pages_and_readme_name_exists():
    texts = [path.read_text() for path in (*NOTEBOOKS_DIR.glob("*.ipynb"), PROJECT_ROOT / "README.md",
                                           PROJECT_ROOT / "data" / "README.md")]
    named = {found for text in texts for found in re.findall(r"src/helpers/[\w/]+\.py", text)}
    assert named, "the pages name the files their rules live in"
    assert not [name for name in named if not (PROJECT_ROOT / name).exists()]


def test_every_data_file_the_code_reads_is_committed_not_ignored():
    named = set()
    for path in (PROJECT_ROOT / "src" / "helpers").rglob("*.py"):
        named |= set(re.findall(r'DATA_DIR / "([^"]+\.(?:csv|json|toml))"', path.read_text()))
    assert "metricool_bands.csv" in named and len(named) >= 10
    done = subprocess.run(["git", "check-ignore", *(f"data/{name}" for name in sorted(named))], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    if done.returncode == 128:
        pytest.skip("not a git checkout")
    assert done.stdout == "", f"ignored by git, so missing from a fresh clone: {done.stdout.split()}"
