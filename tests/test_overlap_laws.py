"""The committed overlap laws: their shapes, their source and their bootstrap."""

from __future__ import annotations

import polars as pl

from helpers.model.overlap_laws import fitted_mechanisms
from helpers.paths import PROJECT_ROOT


def test_fitted_laws_have_the_measured_shapes():
    laws = fitted_mechanisms()
    # connections who know none of each other reach anew; the more of them they know, the more their circles overlap
    assert laws.overlap(0.0) == 1.0 and laws.overlap(40.0) < laws.overlap(4.0) < 1.0
    assert laws.overlap(0.5) > 0.98  # a large sparse network: hardly any overlap beyond the simple graph's
    assert laws.overlap(10 * laws.embedded_max) == laws.overlap(laws.embedded_max)  # held beyond the fitted range
    assert laws.overlap_third(0.5) < laws.overlap_third(0.05) < 1.0 == laws.overlap_third(0.0)
    spread = [fitted_mechanisms(r).overlap_scale for r in range(1, 21)]
    assert min(spread) < laws.overlap_scale < max(spread)


def test_committed_fit_names_its_source_and_sits_inside_its_bootstrap():
    """``python -m helpers.model.mechanisms`` writes replicate 0 = the fit on all schools, then a bootstrap over
    schools; ``make validate`` checks that refitting its observations gives replicate 0 again."""
    table = pl.read_csv(PROJECT_ROOT / "data" / "reach_mechanisms.csv", comment_prefix="#")
    assert table["replicate"].to_list() == list(range(table.height))
    fitted = table.filter(pl.col("replicate") == 0).row(0, named=True)
    spread = table.filter(pl.col("replicate") > 0)
    for name in ("overlap_scale", "third_overlap_scale"):
        low, high = spread[name].quantile(0.02), spread[name].quantile(0.98)
        assert low <= fitted[name] <= high, name
    header = (PROJECT_ROOT / "data" / "reach_mechanisms.csv").read_text().splitlines()[0]
    assert header.startswith("#") and "Facebook100" in header and "python -m helpers.model.mechanisms" in header
