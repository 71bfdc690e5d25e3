"""The project's own promises: one dependency list, stripped notebooks with typed parameters, a Makefile front door."""

from __future__ import annotations

import re
import subprocess
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


def test_design_packages_are_declared():
    names = {_name(d) for d in PYPROJECT["project"]["dependencies"]}
    assert {"jupyterlab", "polars", "altair", "papermill", "nbval", "networkx", "nbconvert", "ipykernel",
            "numpy", "scipy", "vl-convert-python"} <= names


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
