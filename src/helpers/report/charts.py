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
import polars as pl

from helpers.paths import PROJECT_ROOT

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


def report_theme() -> alt.theme.ThemeConfig:
    """Plain-language, laptop-and-print friendly defaults for every chart of the report."""
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 280, "stroke": None},
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#4b5563", "subtitleFontSize": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e5e7eb", "domainColor": "#6b7280"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": [ACCENT, HIGHLIGHT, "#15803d", "#7c3aed", "#b45309", "#0f766e", MUTED]},
            "bar": {"color": ACCENT},
            "line": {"color": ACCENT, "strokeWidth": 2},
            "point": {"color": ACCENT},
        }
    }


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


def log10_histogram(frame: pl.DataFrame, column: str, mark: float, *, title: alt.Title, x_title: str,
                    y_title: str) -> alt.LayerChart:
    """A histogram of ``column`` (a log10) in steps of 0.1, with a dashed line at the log10 ``mark``."""
    bars = alt.Chart(frame).mark_bar().encode(x=alt.X(f"{column}:Q", bin=alt.Bin(step=0.1), title=x_title),
                                              y=alt.Y("count():Q", title=y_title),
                                              tooltip=[_tip("count():Q", y_title)])
    return alt.layer(bars, dashed_rule(mark, "x")).properties(title=title)
