"""Charts that draw with no network: one theme, and an Altair renderer that carries Vega itself.

Altair's default renderer loads Vega from a CDN (blank offline) and its ``mimetype`` renderer
breaks papermill. :func:`enable_offline` registers a renderer that sends the vega-embed bundle
(from vl-convert, ~0.9 MB) once per kernel, inside a function so its top-level names stay local,
and afterwards only ``vegaEmbed`` calls: interactive charts with tooltips, no outside requests.

Chart builders here return charts and never call ``configure_*``; the theme does that once.
"""

from __future__ import annotations

import json
import uuid

import altair as alt
import numpy as np
import polars as pl

from helpers.model import assumptions
from helpers.model.judging import with_joint_robustness
from helpers.paths import PROJECT_ROOT
from helpers.report.prose import show_table, show_verdict
from helpers.rules import VERDICT_COLOURS

_state = {"bundle_sent": False}
#: Where the built vega-embed bundle is kept (git-ignored, like everything under build/).
BUNDLE_CACHE = PROJECT_ROOT / "build" / "cache"

#: Colours used across the report: one accent, one for "the 500 line", greys for context.
ACCENT = "#1f5f99"
HIGHLIGHT = "#c2410c"
MUTED = "#9ca3af"


def script_safe_json(value: object) -> str:
    """JSON that can sit inside an HTML <script>: '<', '>' and '&' are escaped, so data from the
    export (a name like ``</script><script>alert(1)</script>``) stays data."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _bundle() -> str:
    """The vega-embed bundle for Altair's Vega-Lite version, kept on disk after the first build: building it
    takes vl-convert about 2.5 s, which every notebook's kernel would otherwise pay again."""
    import vl_convert as vlc  # here, not at the top: only the first build needs it
    from altair.utils._importers import vl_version_for_vl_convert

    version = vl_version_for_vl_convert()
    cached = BUNDLE_CACHE / f"vega-embed-{version}-vlc-{vlc.__version__}.js"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    code = vlc.javascript_bundle(vl_version=version).replace("</script", "<\\/script")
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{uuid.uuid4().hex}.partial")
    partial.write_text(code, encoding="utf-8")
    partial.replace(cached)  # atomic: a kernel running beside this one never reads half a bundle
    return code


def offline_html_renderer(spec: dict, **_: object) -> dict[str, str]:
    """Altair renderer: a div and a vegaEmbed call; the first chart of a kernel also carries Vega."""
    div = f"chart-{uuid.uuid4().hex[:12]}"
    parts = []
    if not _state["bundle_sent"]:
        parts.append("<script>(function(){if(window.vegaEmbed){return;}\n" + _bundle() + "\n})();</script>")
        _state["bundle_sent"] = True
    parts.append(f'<div id="{div}" class="report-chart"></div>')
    parts.append(
        "<script>(function(){var spec=" + script_safe_json(spec) + ";"
        f"vegaEmbed('#{div}',spec,{{actions:false,renderer:'svg'}})"
        ".catch(function(err){console.error(err);"
        f"document.getElementById('{div}').textContent='This chart could not be drawn: '+err;}});}})();</script>"
    )
    return {"text/html": "\n".join(parts), "text/plain": "<chart: open the HTML report or run in JupyterLab>"}


#: Pixels kept between axis labels; the legend's columns and the widest label each may take (pixels), so that
#: a legend below a chart of the default width (560) fits inside it.
LABEL_GAP = 8
LEGEND_COLUMNS = 2
LEGEND_LABEL_LIMIT = 240
AXIS_LABEL_LIMIT = 360
#: The axis of network sizes on a log scale: thousands separators, labels that do not touch.
SIZE_AXIS = alt.Axis(format=",", labelOverlap="greedy", labelSeparation=LABEL_GAP)


def report_theme() -> alt.theme.ThemeConfig:
    """Plain-language, laptop-and-print friendly defaults for every chart of the report."""
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 280, "stroke": None},
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#4b5563", "subtitleFontSize": 12},
            # Labels keep a gap between them (on a log axis "10,000" and "20,000" otherwise touch and read as
            # one number); a legend below the chart wraps in columns that fit its width instead of running off it.
            # An axis label is cut with an ellipsis beyond labelLimit pixels (Vega-Lite's default, 180, cut the
            # strategies' and the published reports' names): room for the longest label the pages have.
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e5e7eb", "domainColor": "#6b7280",
                     "labelOverlap": "greedy", "labelSeparation": LABEL_GAP, "labelLimit": AXIS_LABEL_LIMIT},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "columns": LEGEND_COLUMNS,
                       "labelLimit": LEGEND_LABEL_LIMIT},
            "range": {"category": [ACCENT, HIGHLIGHT, "#15803d", "#7c3aed", "#b45309", "#0f766e", MUTED]},
            "bar": {"color": ACCENT},
            "line": {"color": ACCENT, "strokeWidth": 2},
            "point": {"color": ACCENT},
        }
    }


def share_axis(values) -> dict:
    """``scale`` and ``axis`` of a percent axis from 0 (or below, for negative values) to the next tenth above the
    largest value, its ticks every tenth (every fifth beyond a span of 50 points) and each of them labelled, so
    that the axis ends on a labelled tick past every bar (a bar reaching 38% gets an axis to 40%, labelled).

    >>> share_axis([0.12, 0.38])["scale"].to_dict(), share_axis([0.12, 0.38])["axis"].to_dict()["values"]
    ({'domain': [0.0, 0.4]}, [0.0, 0.1, 0.2, 0.3, 0.4])
    """
    values = np.asarray(values, dtype=float)
    low = round(min(0.0, float(np.floor(np.nanmin(values) * 10) / 10)), 1)
    high = round(max(0.1, float(np.ceil(np.nanmax(values) * 10 - 1e-9) / 10)), 1)
    step = 0.1 if high - low <= 0.5 + 1e-9 else 0.2
    ticks = [round(low + step * i, 1) for i in range(int(np.ceil((high - low) / step - 1e-9)) + 1)]
    return {"scale": alt.Scale(domain=[low, ticks[-1]]), "axis": alt.Axis(format="%", values=ticks, labelOverlap=False)}


def enable_offline() -> None:
    """Use the offline renderer and the report theme in this kernel (idempotent)."""
    if "offline_html" not in alt.renderers.names():
        alt.renderers.register("offline_html", offline_html_renderer)
    alt.renderers.enable("offline_html")
    alt.theme.register("report", enable=True)(report_theme)
    alt.data_transformers.disable_max_rows()


def bar_ranking(frame: pl.DataFrame, category: str, value: str, *, title: str, category_title: str,
                value_title: str, subtitle: str = "") -> alt.Chart:
    """Horizontal bars, largest first, with a tooltip of the exact value."""
    return (
        alt.Chart(frame, title=alt.Title(title, subtitle=subtitle or alt.Undefined))
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=value_title),
            y=alt.Y(f"{category}:N", title=category_title, sort="-x"),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{value}:Q", title=value_title)],
        )
        .properties(height=alt.Step(18))
    )


def rate_with_interval(frame: pl.DataFrame, category: str, *, title: str, category_title: str,
                       value_title: str, subtitle: str = "", rate: str = "rate", low: str = "ci_low",
                       high: str = "ci_high", count: str = "sent") -> alt.LayerChart:
    """Bars of a rate per group with their 95% interval as error bars; tooltips give n and the interval."""
    tooltip = [
        alt.Tooltip(f"{category}:N", title=category_title),
        alt.Tooltip(f"{rate}:Q", title=value_title, format=".0%"),
        alt.Tooltip(f"{low}:Q", title="95% interval from", format=".0%"),
        alt.Tooltip(f"{high}:Q", title="95% interval to", format=".0%"),
        alt.Tooltip(f"{count}:Q", title="Count"),
    ]
    base = alt.Chart(frame, title=alt.Title(title, subtitle=subtitle or alt.Undefined)).encode(
        y=alt.Y(f"{category}:N", title=category_title, sort=None))
    bars = base.mark_bar().encode(
        x=alt.X(f"{rate}:Q", title=value_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=tooltip)
    whiskers = base.mark_rule(color="#111827", strokeWidth=2).encode(x=f"{low}:Q", x2=f"{high}:Q", tooltip=tooltip)
    return alt.layer(bars, whiskers).properties(height=alt.Step(34))


# ---------------------------------------------------------------------------------------------
# Evidence pages


def _tip(field: str, title: str, format: str = "") -> alt.Tooltip:
    """A tooltip of ``field`` (``name:type``); ``format`` when given."""
    return alt.Tooltip(field, title=title, format=format) if format else alt.Tooltip(field, title=title)


def dashed_rule(value: object, channel: str = "y", kind: str = "Q", colour: str = HIGHLIGHT) -> alt.Chart:
    """A dashed line across the chart at ``value`` of ``channel`` (``x`` or ``y``): a threshold or a day."""
    return (alt.Chart(pl.DataFrame({"at": [value]})).mark_rule(strokeDash=[6, 4], color=colour)
            .encode(**{channel: f"at:{kind}"}))


def column_chart(frame: pl.DataFrame, x: str, y: str, *, x_title: str | None, y_title: str,
                 title: str | alt.Title = alt.Undefined, tooltip: list | None = None, percent: bool = False,
                 colour: str | None = None, sort: object = alt.Undefined) -> alt.Chart:
    """Vertical bars of ``y`` (``:Q``) for each ``x`` (``name:type``); the tooltip gives both unless ``tooltip``."""
    axis = alt.Axis(format="%") if percent else alt.Undefined
    return alt.Chart(frame, title=title).mark_bar(**({"color": colour} if colour else {})).encode(
        x=alt.X(x, title=x_title, sort=sort), y=alt.Y(f"{y}:Q", title=y_title, axis=axis),
        tooltip=tooltip or [_tip(x, x_title or ""), _tip(f"{y}:Q", y_title, ".0%" if percent else "")])


def scatter(frame: pl.DataFrame, x: str, y: str, *, x_title: str, y_title: str, tooltip: list,
            title: str | alt.Title = alt.Undefined, log_x: bool = False, log_y: bool = False,
            share_y: bool = False, size: int | str | None = None) -> alt.Chart:
    """One circle a row, ``x`` and ``y`` quantitative, either on a log scale (``share_y``: y a share, 0 to 1);
    ``size`` is the circles' area, or the field they are sized by."""
    log = alt.Scale(type="log")
    by_field = isinstance(size, str)
    circles = alt.Chart(frame, title=title).mark_circle(opacity=0.7, **({"size": size} if size and not by_field
                                                                       else {}))
    return circles.encode(
        x=alt.X(f"{x}:Q", title=x_title, scale=log if log_x else alt.Undefined),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(domain=[0, 1]) if share_y else log if log_y else alt.Undefined,
                axis=alt.Axis(format="%") if share_y else alt.Undefined),
        tooltip=tooltip, **({"size": alt.Size(f"{size}:Q", legend=None)} if by_field else {}))


def lines_by(frame: pl.DataFrame, x: str, y: str, colour: str, *, title: alt.Title | str, x_title: str,
             y_title: str, tooltip: list, log: bool = False) -> alt.Chart:
    """One line with points for each value of ``colour``; ``x`` as ``name:type``; both axes log with ``log``."""
    scale = alt.Scale(type="log") if log else alt.Undefined
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X(x, title=x_title, scale=scale), y=alt.Y(f"{y}:Q", title=y_title, scale=scale),
        color=alt.Color(f"{colour}:N", title=None), tooltip=tooltip)


def growth_chart(monthly: pl.DataFrame, crossed, cap: int) -> alt.LayerChart:
    """The running total of connections by month, the ``cap`` line and, when ``crossed``, the day past it."""
    base = alt.Chart(monthly).encode(x=alt.X("period:T", title="Month"))
    layers = [base.mark_area(opacity=0.25, line=True).encode(
        y=alt.Y("cumulative:Q", title="Connections (running total)"),
        tooltip=[_tip("period:T", "Month", "%B %Y"), _tip("added:Q", "Added that month"),
                 _tip("cumulative:Q", "Running total")]), dashed_rule(cap)]
    if crossed is not None:
        marker = alt.Chart(pl.DataFrame({"period": [crossed], "cumulative": [cap + 1],
                                         "label": [f"{cap}+ from {crossed:%d %b %Y}"]}))
        layers += [marker.mark_point(size=90, filled=True, color=HIGHLIGHT).encode(
            x="period:T", y="cumulative:Q", tooltip=[_tip("label:N", "Milestone")]),
            marker.mark_text(align="right", dx=-8, dy=-10, color=HIGHLIGHT).encode(
                x="period:T", y="cumulative:Q", text="label:N")]
    return alt.layer(*layers).properties(
        title=alt.Title("Your network over time", subtitle="Connections that still exist, by the month they were made"))


def grouped_bars(frame: pl.DataFrame, category: str, value: str, group: str, *, title: alt.Title, category_title: str,
                 value_title: str, order: str) -> alt.Chart:
    """Horizontal bars of ``value`` for each ``category`` (ordered by ``order``), one bar per ``group`` side by side."""
    return alt.Chart(frame, title=title).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=category_title, sort=alt.EncodingSortField(order)), yOffset=f"{group}:N",
        x=alt.X(f"{value}:Q", title=value_title), color=alt.Color(f"{group}:N", title=None),
        tooltip=[_tip(f"{category}:N", category_title), _tip(f"{group}:N", "Measure"), _tip(f"{value}:Q", value_title)])


def lorenz_chart(curve: pl.DataFrame, gini: float) -> alt.LayerChart:
    """A Lorenz curve (``connections``, ``messages`` shares) above the diagonal of equal shares."""
    equal = pl.DataFrame({"connections": [0.0, 1.0], "messages": [0.0, 1.0]})
    return alt.layer(
        alt.Chart(equal).mark_line(strokeDash=[4, 4], color=MUTED).encode(x="connections:Q", y="messages:Q"),
        alt.Chart(curve).mark_area(opacity=0.3, line=True).encode(
            x=alt.X("connections:Q", title="Share of your connections (least messaged first)", axis=alt.Axis(format="%")),
            y=alt.Y("messages:Q", title="Share of your messages", axis=alt.Axis(format="%")),
            tooltip=[_tip("connections:Q", "Connections", ".0%"),
                     _tip("messages:Q", "Hold this share of messages", ".1%")]),
    ).properties(title=alt.Title("How your messages spread over your connections",
                                 subtitle=f"Gini coefficient {gini:.2f} (0 = everyone equally, 1 = one person)"))


def log_histogram(frame: pl.DataFrame, column: str, mark: float, *, title: alt.Title, x_title: str,
                  y_title: str, bins_per_tenfold: int = 10) -> alt.LayerChart:
    """A histogram of the positive counts in ``column`` on a log scale labelled in the counts themselves
    (100, 1,000, ...): bins of equal width in log units, ``bins_per_tenfold`` to each power of ten, and a
    dashed line at ``mark``. Counts below 1 are drawn in the first bin, at 1."""
    values = np.maximum(frame[column].drop_nulls().to_numpy().astype(float), 1.0)
    step = 1 / bins_per_tenfold
    # Rounded first, so that 1,000 falls in the bin that starts at 1,000, not in the one before it.
    starts = np.floor(np.round(np.log10(values) * bins_per_tenfold, 9)) * step
    bins = (pl.DataFrame({"start": starts}).group_by("start").len("count").sort("start")
            .select((10 ** pl.col("start")).alias(column), (10 ** (pl.col("start") + step)).alias(f"{column}_end"),
                    "count"))
    powers = [10.0 ** k for k in range(int(np.floor(starts.min())), int(np.ceil(starts.max() + step)) + 1)]
    axis = alt.Axis(values=powers, format=",.0f", labelOverlap=True)
    bars = alt.Chart(bins).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X(f"{column}:Q", scale=alt.Scale(type="log"), axis=axis, title=x_title), x2=f"{column}_end:Q",
        y=alt.Y("count:Q", title=y_title), y2=alt.datum(0),
        tooltip=[_tip(f"{column}:Q", "From", ",.0f"), _tip(f"{column}_end:Q", "To", ",.0f"), _tip("count:Q", y_title)])
    return alt.layer(bars, dashed_rule(mark, "x")).properties(title=title)


# Model pages: the shapes the reach, audience and feed pages share.

_SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                  "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def in_words(count: int) -> str:
    """A count as prose writes it: in words up to twenty, in digits with thousands separators above.

    >>> in_words(15), in_words(21), in_words(82_168)
    ('fifteen', '21', '82,168')
    """
    return _SMALL_NUMBERS[count] if 0 <= count < len(_SMALL_NUMBERS) else f"{count:,}"


def compared_with(now: float, was: float, same_within: float = 0.1) -> str:
    """How a figure compares with an earlier one: "about the same as" within ``same_within`` of it, else "larger
    than" or "smaller than"."""
    return "about the same as" if abs(now / was - 1) < same_within else ("larger than" if now > was else "smaller than")


def show_assumptions(*prefixes: str) -> None:
    """The table of every assumption whose name starts with one of ``prefixes``: value, range, unit, source."""
    rows = [row for prefix in prefixes for row in assumptions.table(prefix)]
    show_table(pl.DataFrame(rows), formats={"value": "{:,g}", "low": "{:,g}", "high": "{:,g}"},
               titles={"assumption": "Assumption", "value": "Value", "low": "From", "high": "To", "unit": "Unit",
                       "source": "Source"})


def show_robust_verdicts(verdicts: list, table: pl.DataFrame) -> list:
    """Each verdict with how robust it is over the joint draws of ``table`` (a model's ``robustness``), shown in
    turn; returns them so judged."""
    judged = [with_joint_robustness(verdict, table) for verdict in verdicts]
    for verdict in judged:
        show_verdict(verdict)
    return judged


def robustness_bar(table: pl.DataFrame, verdicts: list) -> alt.Chart:
    """For each claim, the share of a robustness table's joint settings giving each verdict, marked where it is
    the verdict at the assumptions' values."""
    judged = pl.DataFrame({"claim": [v.id for v in verdicts], "base": [v.verdict for v in verdicts]})
    held = table.join(judged, on="claim").group_by("claim", "verdict").agg(
        pl.len().alias("draws"), (pl.col("verdict") == pl.col("base")).first().alias("same")).sort("claim", "verdict")
    order = ["supported", "mixed", "not supported", "not testable"]
    return alt.Chart(held).mark_bar().encode(
        y=alt.Y("claim:N", title=None),
        x=alt.X("draws:Q", title="Joint settings of the assumptions", stack="normalize", axis=alt.Axis(format="%")),
        color=alt.Color("verdict:N", title="Verdict there",
                        scale=alt.Scale(domain=order, range=[VERDICT_COLOURS[v] for v in order])),
        tooltip=[alt.Tooltip("claim:N", title="Claim"), alt.Tooltip("verdict:N", title="Verdict"),
                 alt.Tooltip("draws:Q", title="Settings"), alt.Tooltip("same:N", title="Same as the verdict above")],
    ).properties(title=alt.Title("Each verdict across joint settings of every assumption",
                                 subtitle="Share of settings giving each verdict"))


def log_size_band(frame: pl.DataFrame, *, y: str, y_title: str, group: str, title: str, subtitle: str,
                  marks: dict[int, str] | None = None, band: str = "90% of draws") -> alt.LayerChart:
    """Lines of ``y`` against ``connections``, one per ``group``, each in its band ``low``-``high``, both axes
    logarithmic; dashed rules at ``marks`` ({network size: label})."""
    base = alt.Chart(frame).encode(x=alt.X("connections:Q", title="Your connections", scale=alt.Scale(type="log"),
                                           axis=SIZE_AXIS),
                                   color=alt.Color(f"{group}:N", title=None))
    bands = base.mark_area(opacity=0.2).encode(y=alt.Y("low:Q", title=y_title, scale=alt.Scale(type="log")),
                                               y2="high:Q")
    lines = base.mark_line(point=True).encode(y=f"{y}:Q", tooltip=[
        alt.Tooltip(f"{group}:N", title=group.capitalize()),
        alt.Tooltip("connections:Q", title="Connections", format=","),
        alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f"), alt.Tooltip("low:Q", title=f"{band} from", format=",.0f"),
        alt.Tooltip("high:Q", title=f"{band} to", format=",.0f")])
    layers = [bands, lines]
    if marks:
        layers.append(alt.Chart(pl.DataFrame({"connections": list(marks), "label": list(marks.values())})).mark_rule(
            strokeDash=[4, 4], color=MUTED).encode(x="connections:Q", tooltip=[alt.Tooltip("label:N", title="Mark")]))
    return alt.layer(*layers).properties(title=alt.Title(title, subtitle=subtitle))


def size_lines(frame: pl.DataFrame, *, y: str, y_title: str, title: str, subtitle: str = "", log_y: bool = False,
               share: bool = False, group: str = "scenario", group_title: str = "Growth",
               tooltip: tuple[alt.Tooltip, ...] = (), share_also: tuple[str, ...] = ()) -> alt.Chart:
    """Lines of ``y`` against ``connections`` (logarithmic), one per ``group``; ``share`` reads ``y`` as a share
    from 0 to 1, on an axis fitted to the shares drawn (``y`` and the columns ``share_also`` that other layers
    draw on it) so that lines a few points apart stay apart; ``log_y`` puts it on a logarithmic axis;
    ``tooltip`` adds to the size, group and value."""
    scale = (alt.Scale(type="log") if log_y else alt.Scale(domain=share_domain(frame, (y, *share_also)), zero=False)
             if share else alt.Undefined)
    return alt.Chart(frame, title=alt.Title(title, subtitle=subtitle or alt.Undefined)).mark_line(point=True).encode(
        x=alt.X("connections:Q", title="Your connections", scale=alt.Scale(type="log"), axis=SIZE_AXIS),
        y=alt.Y(f"{y}:Q", title=y_title, scale=scale, axis=alt.Axis(format="%") if share else alt.Undefined),
        color=alt.Color(f"{group}:N", title=group_title),
        tooltip=[alt.Tooltip("connections:Q", title="Connections", format=","),
                 alt.Tooltip(f"{group}:N", title=group_title), *tooltip])


def share_domain(frame: pl.DataFrame, columns: tuple[str, ...], pad: float = 0.25) -> list[float]:
    """The range of the shares in ``columns``, widened by ``pad`` of itself on each side (at least a point)
    and kept within 0-1."""
    values = pl.concat([frame[c].drop_nulls().cast(pl.Float64) for c in columns])
    low, high = float(values.min()), float(values.max())
    margin = max((high - low) * pad, 0.01)
    return [max(0.0, low - margin), min(1.0, high + margin)]


def show_strategy_gains(gains: pl.DataFrame) -> None:
    """The reach each growth strategy adds, per accepted connection and per invitation, at each target size."""
    show_table(gains.select("label", "to", "acceptance", "second_per_accepted", "second_per_invitation",
                            "third_per_accepted"),
               formats={"to": "{:,}", "acceptance": "{:.0%}", "second_per_accepted": "{:,.0f}",
                        "second_per_invitation": "{:,.0f}", "third_per_accepted": "{:,.0f}"},
               titles={"label": "Strategy", "to": "Growing to", "acceptance": "Accepted (assumed)",
                       "second_per_accepted": "2nd degree gained per accepted", "second_per_invitation":
                       "2nd degree gained per invitation", "third_per_accepted": "3rd degree gained per accepted"})


def show_validation_errors(rows: pl.DataFrame, member_degree: int) -> None:
    """The reach model's errors on real graphs, one row per graph or pool (validation summary rows of egos with
    ``member_degree`` or more friends), beside the friend-count floor and told the friends' true degrees."""
    shares = ("l2_median_abs_error", "l2_median_abs_error_degree_oracle", "l2_median_abs_error_known_degrees",
              "l3_median_abs_error")
    signed = ("l2_median_signed_error", "l2_median_signed_error_degree_oracle", "l3_median_signed_error")
    show_table(rows.select("graph", "kind", "nodes", "egos", "l2_median_abs_error", "l2_median_signed_error",
                           "l2_median_abs_error_degree_oracle", "l2_median_signed_error_degree_oracle",
                           "l2_median_abs_error_known_degrees", "l3_median_abs_error", "l3_median_signed_error"),
               formats={"nodes": "{:,.0f}", **{c: "{:.1%}" for c in shares}, **{c: "{:+.1%}" for c in signed}},
               titles={"graph": "Network", "kind": "Kind", "nodes": "People",
                       "egos": f"Egos ({member_degree}+ friends)",
                       "l2_median_abs_error": "2nd degree: median |error|", "l2_median_signed_error": "signed",
                       "l2_median_abs_error_degree_oracle": "friend-count floor",
                       "l2_median_signed_error_degree_oracle": "floor, signed",
                       "l2_median_abs_error_known_degrees": "told the friends' degrees",
                       "l3_median_abs_error": "3rd degree: median |error|", "l3_median_signed_error": "signed"})


def show_graph_facts(facts: pl.DataFrame, member_degree: int) -> None:
    """Each real graph's measured facts beside what its people's circles need (``make mechanisms``' facts file;
    ``member_degree`` the friends of the egos they were read on)."""
    show_table(facts.select("graph", "nodes", "clustering_at_100", "clustering_slope", "neighbour_degree_slope",
                            "embedded", "overlap_needed", "overlap_fitted", "pairings_error_rewired",
                            "pairings_error_real"),
               formats={"nodes": "{:,}", "clustering_at_100": "{:.3f}", "clustering_slope": "{:.2f}",
                        "neighbour_degree_slope": "{:+.2f}", "embedded": "{:.1f}", "overlap_needed": "{:.0%}",
                        "overlap_fitted": "{:.0%}", "pairings_error_rewired": "{:+.1%}",
                        "pairings_error_real": "{:+.1%}"},
               titles={"graph": "Network", "nodes": "People", "clustering_at_100": "Local clustering at 100 friends",
                       "clustering_slope": "its fall (log-log slope)",
                       "neighbour_degree_slope": "Friends' mean log friend count against one's own (log-log slope)",
                       "embedded": f"Friends each friend knows ({member_degree}+ friends, median)",
                       "overlap_needed": "Friends' ties landing independently: measured",
                       "overlap_fitted": "the fitted law",
                       "pairings_error_rewired": "Kernel alone, told the degrees: on the network rewired with its "
                                                 "pairings",
                       "pairings_error_real": "on the network itself"})


def show_published_beside_model(published: pl.DataFrame) -> None:
    """LinkedIn's and its members' published network sizes beside the reach model's (``anchors.beside_model``),
    in two tables narrow enough for the page: the 2nd degree (or the figure published), then the 3rd degree's
    share of LinkedIn for the reports that gave one."""
    show_table(published.select("id", "date", "connections", "members_then", "measure", "published", "model",
                                "model_q05", "model_q95", "model_then"),
               formats={"connections": "{:,}", "members_then": "{:,.0f}", "published": "{:,.0f}", "model": "{:,.0f}",
                        "model_q05": "{:,.0f}", "model_q95": "{:,.0f}", "model_then": "{:,.0f}"},
               titles={"id": "Report", "date": "Date", "connections": "Connections", "members_then": "Members then",
                       "measure": "Compared", "published": "Published", "model": "Model", "model_q05": "90% from",
                       "model_q95": "to", "model_then": "Model, c. 2009 counts"})
    third = published.filter(pl.any_horizontal(pl.col("published_third_share", "model_third_share",
                                                      "model_then_third_share").is_not_null()))
    show_table(third.select("id", "date", "connections", "published_third_share", "model_third_share",
                            "model_then_third_share"),
               formats={"connections": "{:,}", "published_third_share": "{:.1%}", "model_third_share": "{:.1%}",
                        "model_then_third_share": "{:.1%}"},
               titles={"id": "Report", "date": "Date", "connections": "Connections",
                       "published_third_share": "3rd degree's share of LinkedIn, published",
                       "model_third_share": "the model", "model_then_third_share": "the model, c. 2009 counts"})


def strategy_gain_bars(gains: pl.DataFrame, targets: list[int], current: int, order: list[str]) -> alt.Chart:
    """The 2nd-degree members each growth strategy adds per accepted connection and per invitation sent
    (``strategies.gains_long``), growing from ``current`` connections to a target picked among ``targets``;
    strategies in ``order``."""
    growing_to = alt.param(name="growing_to", value=min(targets),
                           bind=alt.binding_select(options=targets, name="Growing to (connections): "))
    return alt.Chart(gains).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=order), x=alt.X("gain:Q", title="2nd-degree members gained"),
        color=alt.Color("per:N", legend=None), column=alt.Column("per:N", title=None),
        tooltip=[alt.Tooltip("label:N", title="Strategy"), alt.Tooltip("to:Q", title="Growing to", format=","),
                 alt.Tooltip("per:N", title="Counted"),
                 alt.Tooltip("gain:Q", title="2nd-degree members gained", format=",.0f")],
    ).add_params(growing_to).transform_filter(alt.datum.to == growing_to).properties(
        width=250, title=f"Growing from {current:,} connections, by strategy (pick the target below)")


def stacked_shares(shares: pl.DataFrame, line: pl.DataFrame, *, order: list[str], colours: list[str], title: str,
                   subtitle: str, line_title: str) -> alt.LayerChart:
    """Shares of what is seen by network size (``connections``, logarithmic), stacked to the whole in ``order``
    (``shares`` long: ``connections, label, share, position``), with a dashed line of ``line``'s ``share`` column."""
    sizes = shares["connections"]
    return alt.layer(
        alt.Chart(shares).mark_area(opacity=0.85).encode(
            x=alt.X("connections:Q", title="Your connections (make-up kept)",
                    scale=alt.Scale(type="log", domain=[sizes.min(), sizes.max()], nice=False)),
            y=alt.Y("share:Q", title="Share of cards seen", stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color("label:N", title=None, sort=order, scale=alt.Scale(domain=order, range=colours),
                            legend=alt.Legend(labelLimit=300, columns=3, orient="bottom")),
            order=alt.Order("position:Q"),
            tooltip=[alt.Tooltip("connections:Q", title="Connections", format=","),
                     alt.Tooltip("label:N", title="Kind"), alt.Tooltip("share:Q", title="Share", format=".1%")]),
        alt.Chart(line).mark_line(color="black", strokeDash=[5, 3]).encode(
            x="connections:Q", y="share:Q", tooltip=[alt.Tooltip("connections:Q", title="Connections", format=","),
                                                     alt.Tooltip("share:Q", title=line_title, format=".1%")]),
    ).properties(title=alt.Title(title, subtitle=subtitle))
