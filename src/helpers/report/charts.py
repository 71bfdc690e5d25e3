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
