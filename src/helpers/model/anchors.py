"""LinkedIn's published network statistics beside what the reach model gives a member of that size.

``data/linkedin_anchors.csv`` lists the figures members and LinkedIn published (2004-2017): a member's
1st, 2nd and 3rd degree when LinkedIn had that many members, LinkedIn's 2012 average 2nd degree and its
2017 "400 new people per added connection". For each, the model is run for a member of that size (a
typical make-up) on a platform of that many members, at the assumptions' values and over joint draws
of their ranges. Everything else about the platform (how many connections members have) is today's:
where the figures of 2004-2010 differ, that is the first suspect, and the members' reports of 2008-2010
are also set beside the model with the connection counts of c. 2009 (``reach.degree_median_2009``).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers.model import assumptions
from helpers.model.cache import remembered
from helpers.model.platform import Platform, everyone_weights, member_weights
from helpers.model.scenarios import Scenario, layer_sizes, platform_draws
from helpers.model.typical_member import typical_member
from helpers.paths import DATA_DIR

ANCHORS_FILE = DATA_DIR / "linkedin_anchors.csv"
#: Network sizes at which the average member's 2nd degree and the gain per added connection are read.
GRID = (1, 4, 16, 64, 256, 1024, 4096)
#: Figures from these years are also set beside the model with the connection counts of c. 2009.
ERA_FROM, ERA_TO = 2008, 2013
#: The bundled sample member's connections: the size at which the reach page quotes a typical member's 3rd degree
#: beside the members' reports.
SAMPLE_MEMBER_SIZE = 690


def published() -> pl.DataFrame:
    """The published figures (see the file's header for their source)."""
    return pl.read_csv(ANCHORS_FILE, comment_prefix="#")


def _member(connections: int, members: float, platform: Platform, drawn: Scenario | None, *, runs: int,
            seed) -> tuple[float, float, np.ndarray, np.ndarray]:
    """2nd and 3rd degree of a typical member on a platform of ``members``: at the values, and per joint draw of
    ``drawn`` (the draws on a platform of that many members, see :func:`_drawn`), the typical make-up held at its
    values (its range is drawn in ``helpers.model.typical_member.member_reach``)."""
    companies, functions = typical_member(connections, platform.colleague_share, platform.function_share,
                                          platform.function_groups, np.random.default_rng([seed, connections]))
    there = platform.with_(members=members)
    w_company, w_function = everyone_weights(there)
    point = layer_sizes(companies, functions, there, w_company, w_function, runs=runs,
                        seed=np.random.default_rng([seed, connections, 0]))
    if drawn is None:
        return point.l2, point.l3, np.array([point.l2]), np.array([point.l3])
    # the make-up is the typical one at its values: so are the shares of everyone's ties formed through its groups
    weights = np.array([member_weights(platform.colleague_share, platform.function_share, p) for p in drawn.platform])
    found = layer_sizes(companies, functions, drawn, weights[:, 0], weights[:, 1],
                        seed=np.random.default_rng([seed, connections, 1]))
    return point.l2, point.l3, found.l2_runs, found.l3_runs


def _drawn(draws: pl.DataFrame | None, members: float, platform: Platform) -> Scenario | None:
    """The joint draws on a platform of ``members`` (built once for every member size read on it: the kernels of
    its draws are stacked once)."""
    if draws is None:
        return None
    return Scenario.from_draws(draws.with_columns(pl.lit(float(members)).alias("reach.members")),
                               platform.with_(members=members))


def _band(values: np.ndarray) -> tuple[float, float]:
    return float(np.quantile(values, 0.05)), float(np.quantile(values, 0.95))


def beside_model(anchors: pl.DataFrame | None = None, *, draws: int, seed: int, runs: int = 10,
                 platform: Platform | None = None) -> pl.DataFrame:
    """One row per published figure: what was published and what the model gives in its place.

    Columns: ``id, date, kind, connections, members_then, measure, published, model, model_q05,
    model_q95`` and, for members' own reports, the 3rd degree as a share of the members then
    (``published_third_share, model_third_share, model_third_share_q05, model_third_share_q95``).
    ``measure`` says what is compared: the 2nd degree per connection, the average member's 2nd degree,
    or the 2nd-degree gain per added connection. The figures of 2008-2012 also get the model with the
    median member's connections of c. 2009 (``model_then``, ``model_then_third_share``).
    """
    anchors = published() if anchors is None else anchors
    platform = platform or Platform.from_assumptions()
    table = platform_draws(draws, seed) if draws else None
    law = platform.law()
    era = platform.with_(degree_median=assumptions.value("reach.degree_median_2009"))
    rows = []
    for row in anchors.iter_rows(named=True):
        members = float(row["members_then"])
        found = {"id": row["id"], "date": row["date"], "year": row["year"], "kind": row["kind"],
                 "connections": row["connections"], "members_then": members, "published_third_share": None,
                 "model_third_share": None, "model_third_share_q05": None, "model_third_share_q95": None,
                 "model_then": None, "model_then_third_share": None}
        if row["connections"] is not None:
            k = int(row["connections"])
            second, third, second_runs, third_runs = _member(k, members, platform, _drawn(table, members, platform),
                                                             runs=runs, seed=seed)
            low, high = _band(second_runs / k)
            found.update(measure="2nd degree per connection", published=row["second"] / k, model=second / k,
                         model_q05=low, model_q95=high)
            if ERA_FROM <= row["year"] < ERA_TO:
                era_second, era_third, _, _ = _member(k, members, era, None, runs=runs, seed=seed)
                found.update(model_then=era_second / k, model_then_third_share=era_third / members)
            if row["third"] is not None:
                low, high = _band(third_runs / members)
                found.update(published_third_share=row["third"] / members, model_third_share=third / members,
                             model_third_share_q05=low, model_third_share_q95=high)
        else:
            grid = np.array(GRID)
            average = "average" in row["kind"]
            summary = _average if average else _gain_per_added
            drawn = _drawn(table, members, platform)
            results = [_member(int(k), members, platform, drawn, runs=runs, seed=seed) for k in grid]
            point = np.array([r[0] for r in results])
            per_draw = summary(law, grid, np.array([r[2] for r in results]))
            low, high = _band(per_draw)
            found.update(measure="average member's 2nd degree" if average else "2nd-degree gain per added connection",
                         published=float(row["second"]), model=float(summary(law, grid, point[:, None])[0]),
                         model_q05=low, model_q95=high)
            if ERA_FROM <= row["year"] < ERA_TO:
                then = np.array([_member(int(k), members, era, None, runs=runs, seed=seed)[0] for k in grid])
                found.update(model_then=float(summary(era.law(), grid, then[:, None])[0]))
        rows.append(found)
    return pl.DataFrame(rows)


def kept_beside_model(*, draws: int, seed: int, runs: int) -> pl.DataFrame:
    """:func:`beside_model` of the published figures, computed once per draws, seed and runs and kept (it depends on
    no export: ``helpers.model.cache``)."""
    return remembered("linkedin-anchors", {"draws": draws, "seed": seed, "runs": runs},
                      lambda: beside_model(draws=draws, seed=seed, runs=runs))


def _interpolated(law, grid: np.ndarray, second: np.ndarray) -> np.ndarray:
    """2nd degree at each support point of ``law`` (log-log interpolation over ``grid``), (support, runs)."""
    log_k = np.log(np.clip(law.values, grid[0], grid[-1]))
    return np.exp(np.stack([np.interp(log_k, np.log(grid), np.log(np.maximum(column, 1e-9))) for column in second.T],
                           axis=1))


def _average(law, grid: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Mean 2nd degree over the members (dormant ones included), per run."""
    return law.weights[0] @ _interpolated(law, grid, second)


def _gain_per_added(law, grid: np.ndarray, second: np.ndarray) -> np.ndarray:
    """2nd-degree gain per added connection averaged over the connections members make (a member with k
    connections made k of them), per run."""
    log_grid = np.log(grid)
    slope = np.diff(np.log(np.maximum(second, 1e-9)), axis=0) / np.diff(log_grid)[:, None]
    at = np.clip(np.log(law.values), log_grid[0], log_grid[-1])
    middle = (log_grid[:-1] + log_grid[1:]) / 2
    elasticity = np.stack([np.interp(at, middle, column) for column in slope.T], axis=1)
    marginal = elasticity * _interpolated(law, grid, second) / law.values[:, None]
    made = law.weights[0] * law.values
    return (made / made.sum()) @ marginal


def years(anchors: pl.DataFrame | None = None) -> dict[str, int]:
    """The years the published figures span: the members' reports' first and last, LinkedIn's average member's and
    its gain per added connection's."""
    anchors = published() if anchors is None else anchors
    reports = anchors.filter(pl.col("kind") == "member-reported")["year"]
    year_of = {kind: int(year) for kind, year in anchors.select("kind", "year").iter_rows()}
    return {"reports_from": int(reports.min()), "reports_to": int(reports.max()),
            "average": year_of["LinkedIn (average member)"], "per_added": year_of["LinkedIn (per added connection)"],
            "era_from": ERA_FROM, "era_to": ERA_TO - 1}


def per_connection(published_beside: pl.DataFrame) -> pl.DataFrame:
    """The members' reports of :func:`beside_model` (2nd degree per connection), each with its ``report`` label."""
    return published_beside.filter(pl.col("measure") == "2nd degree per connection").with_columns(
        pl.format("{} ({} connections, {})", "id", "connections", "date").alias("report"))


def per_connection_points(published_beside: pl.DataFrame) -> pl.DataFrame:
    """:func:`per_connection` long: one row per report and ``source`` (published, the model with today's
    connection counts, with those of c. 2009), its ``value`` the 2nd degree per connection."""
    reports = per_connection(published_beside)
    sources = {"published": "published", "model, today's counts": "model", "model, c. 2009 counts": "model_then"}
    return pl.concat([reports.filter(pl.col(column).is_not_null()).select(
        "id", "date", "connections", "report", pl.lit(source).alias("source"), pl.col(column).alias("value"))
        for source, column in sources.items()])


def quoted_figures(published_beside: pl.DataFrame) -> dict[str, float]:
    """The figures the reach page quotes from :func:`beside_model`: LinkedIn's own (``Q``, the 2017 gain per added
    connection; ``O``, the 2012 average 2nd degree), the members' reports of c. 2009 (the spans of what they
    published and of the model with today's and with that era's connection counts) and the two oldest reports
    (``A``, ``B``)."""
    row = {r["id"]: r for r in published_beside.iter_rows(named=True)}
    era = per_connection(published_beside).filter(pl.col("model_then").is_not_null())
    third_then = era.filter(pl.col("published_third_share").is_not_null())["model_then_third_share"]
    published_third = era["published_third_share"].drop_nulls()
    return {
        "q": row["Q"]["published"], "qm": row["Q"]["model"], "qlo": row["Q"]["model_q05"],
        "qhi": row["Q"]["model_q95"], "q_millions": row["Q"]["members_then"] / 1e6,
        "era_from": int(era["year"].min()), "era_to": int(era["year"].max()),
        "plo": era["published"].min(), "phi": era["published"].max(),
        "slo": published_third.min(), "shi": published_third.max(), "mlo": era["model"].min(),
        "mhi": era["model"].max(), "tlo": era["model_then"].min(), "thi": era["model_then"].max(),
        "tslo": third_then.min(), "tshi": third_then.max(),
        "o": row["O"]["published"], "ot": row["O"]["model_then"], "om": row["O"]["model"],
        "a": row["A"]["published"], "a_millions": row["A"]["members_then"] / 1e6, "b": row["B"]["published"],
        "bm": row["B"]["model"], "b_connections": row["B"]["connections"], "b_millions": row["B"]["members_then"] / 1e6,
    }
