"""Sentences in notebooks whose numbers come from the data, with anything from the export escaped.

Markdown output passes raw HTML through to the report, so a company called ``<img onerror=...>``
must not be pasted into it as is: :func:`say` escapes every string value it is given.
"""

from __future__ import annotations

import html

from IPython.display import Markdown, display


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
