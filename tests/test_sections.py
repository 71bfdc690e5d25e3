"""The section registry: it is the notebooks, and what it says each reads is what the report's table says."""

import json

from helpers.paths import NOTEBOOKS_DIR, SAMPLE_EXPORT
from helpers.sections import BY_STEM, SECTIONS, used_for


def _heading(path) -> str:
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def test_every_notebook_is_a_section_with_its_own_title():
    notebooks = {path.stem: path for path in NOTEBOOKS_DIR.glob("[0-9]*.ipynb")}
    assert set(notebooks) == set(BY_STEM)
    for section in SECTIONS:
        assert _heading(notebooks[section.stem]) == section.title, section.stem


def test_a_claim_judged_in_two_sections_has_a_name_for_each_half():
    parts = [s.part for s in SECTIONS if s.part]
    assert len(parts) == len(set(parts))
    assert all(s.label == (s.part or s.name) for s in SECTIONS)


def test_the_read_table_says_which_sections_use_each_file():
    from helpers.export import load_export

    table = load_export(SAMPLE_EXPORT).read_summary()
    used = dict(zip(table["file"], table["used for"], strict=True))
    assert used["Connections.csv"] == "every page"
    assert used["Positions.csv"] == used_for("positions")
    readers = [s for s in SECTIONS if "positions" in s.reads]
    assert len(readers) >= 2 and all(f"({s.number})" in used["Positions.csv"] for s in readers)
    workbook = next(name for name in used if name.endswith(".xlsx"))
    assert used[workbook] == used_for("analytics") and "(05)" in used[workbook]
