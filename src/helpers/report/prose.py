"""Sentences in notebooks whose numbers come from the data, with anything from the export escaped.

Markdown output passes raw HTML through to the report, so a company called ``<img onerror=...>``
must not be pasted into it as is: :func:`say` escapes every string value it is given.
"""

from __future__ import annotations

import html

from IPython.display import HTML, Markdown, display

from helpers import rules
from helpers.model.judging import ROBUST_SHARE


def escape(value: object) -> object:
    """HTML- and Markdown-safe text for strings; numbers, dates and None pass through unchanged."""
    if isinstance(value, str):
        text = html.escape(value, quote=True)
        for char in "\\`*_{}[]<>#|~":
            text = text.replace(char, "\\" + char) if char not in "<>" else text
        return text
    return value


def render(template: str, **values: object) -> str:
    """``template.format(**values)`` with every string value escaped.

    >>> render("Top employer: **{name}** ({n:,})", name="<b>Acme</b>", n=1200)
    'Top employer: **&lt;b&gt;Acme&lt;/b&gt;** (1,200)'
    """
    return template.format(**{key: escape(value) for key, value in values.items()})


def say(template: str, **values: object) -> None:
    """Show a Markdown sentence built from ``template`` and escaped ``values``."""
    display(Markdown(render(template, **values)))




#: Where the report explains its words (a page beside the sections, see helpers.report.render).
GLOSSARY = "glossary.html"


def verdict_label(verdict: str, robust: bool | None) -> str:
    """The verdict as a member reads it: a verdict that does not hold over the assumptions' ranges is
    *uncertain*, said before the way it leans.

    >>> verdict_label("supported", True), verdict_label("supported", False), verdict_label("not testable", None)
    ('Supported', 'Uncertain, leans supported', 'Not testable')
    """
    if robust is False and verdict not in ("not testable", "not informative"):
        return f"Uncertain, leans {verdict}"
    return verdict.capitalize()


def verdict_html(verdict) -> str:
    """A boxed verdict: the claim quoted, the verdict, the evidence line and the rule (or, when the claim
    cannot be judged, why), all escaped. The box carries ``data-claim`` and ``data-verdict``; the report
    adds the claim's verdict over all its sections where it has several (see helpers.report.render)."""
    details = verdict.details
    robust = details.get("robust")
    uncertain = robust is False and verdict.verdict not in ("not testable", "not informative")
    colour = rules.VERDICT_COLOURS["not testable" if uncertain else verdict.verdict]
    label = html.escape(verdict_label(verdict.verdict, robust))
    if uncertain:
        label = f'<a href="{GLOSSARY}#uncertain" style="color:inherit">{label}</a>'
    parts = [
        f'<div class="verdict" data-claim="{html.escape(verdict.id)}" data-verdict="{html.escape(verdict.verdict)}" '
        f'style="border-left:5px {"dashed" if uncertain else "solid"} {colour};padding:.6rem 1rem;margin:1rem 0;'
        f'background:#f9fafb">',
        f'<div style="color:#374151">Claim: &ldquo;{html.escape(verdict.claim)}&rdquo;</div>',
        f'<div style="font-size:1.15rem;margin:.3rem 0"><strong style="color:{colour}">'
        f'{label}</strong>: {html.escape(verdict.evidence)}</div>',
    ]
    if verdict.verdict == "not testable":
        reason = details.get("reason", "")
        if reason and reason != verdict.evidence:
            parts.append(f'<div style="color:#4b5563;font-size:.9rem">Why it cannot be judged: {html.escape(reason)}</div>')
        if details.get("rule"):
            parts.append(f'<div style="color:#4b5563;font-size:.9rem">Rule, fixed before looking at the data: '
                         f'{html.escape(details["rule"].rstrip("."))}.</div>')
    elif details.get("rule"):
        parts.append(f'<div style="color:#4b5563;font-size:.9rem">Rule, fixed before looking at the data: '
                     f'{html.escape(details["rule"].rstrip("."))}.</div>')
    if details.get("covers"):
        parts.append(f'<div style="color:#4b5563;font-size:.9rem">What the verdict covers: '
                     f'{html.escape(details["covers"])}.</div>')
    if details.get("bias"):
        parts.append(f'<div style="color:#4b5563;font-size:.9rem">Caveat: {html.escape(details["bias"])}</div>')
    if "robust_share" in details:
        text = (f"holds in {details['robust_share']:.0%} of {details['robust_draws']} joint draws over every "
                f"assumption's range: {'robust' if details['robust'] else 'uncertain'} (robust means at least {ROBUST_SHARE:.0%}).")
        if details.get("drivers"):
            text += " The flips come mostly with: " + "; ".join(details["drivers"]) + "."
        parts.append(f'<div style="color:#4b5563;font-size:.9rem">Robustness: {html.escape(text)}</div>')
    parts.append("</div>")
    return "".join(parts)


def show_verdict(verdict) -> None:
    """Display :func:`verdict_html` in the notebook."""
    display(HTML(verdict_html(verdict)))


def table_html(frame, formats: dict[str, str] | None = None, titles: dict[str, str] | None = None) -> str:
    """An HTML table of a polars frame: every cell escaped, numbers formatted (``{"col": "{:,.0f}"}``)."""
    formats, titles = formats or {}, titles or {}
    head = "".join(f"<th>{html.escape(titles.get(c, c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.iter_rows(named=True):
        cells = []
        for column, value in record.items():
            text = "" if value is None else formats.get(column, "{}").format(value)
            align = "right" if isinstance(value, (int, float)) else "left"
            cells.append(f'<td style="text-align:{align}">{html.escape(text)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="report-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def show_table(frame, formats: dict[str, str] | None = None, titles: dict[str, str] | None = None) -> None:
    """Display :func:`table_html` in the notebook."""
    display(HTML(table_html(frame, formats, titles)))
