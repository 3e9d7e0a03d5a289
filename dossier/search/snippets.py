"""Snippet markup: backends mark matches with control characters, this turns them into safe HTML."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Backends wrap each match in these (control characters never typed by a person);
# render() escapes everything else, so OCR text can never inject markup.
MARK_START = "\x02"
MARK_END = "\x03"

_MARKS = re.compile(f"({MARK_START}|{MARK_END})")
# Other control characters (except tab, newline, form feed) have no place in a snippet.
_CONTROL = re.compile(r"[\x00-\x01\x04-\x08\x0b\x0e-\x1f\x7f]")


def strip_marks(text: str) -> str:
    """Text without marker characters, so source text cannot fake a highlight."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


def render(marked_text: str) -> Markup:
    """Escaped HTML with each marked match in <mark>; unbalanced markers are dropped."""
    html: list[str] = []
    inside = False
    for part in _MARKS.split(_CONTROL.sub("", marked_text or "")):
        if part == MARK_START:
            if not inside:
                html.append("<mark>")
                inside = True
        elif part == MARK_END:
            if inside:
                html.append("</mark>")
                inside = False
        elif part:
            html.append(str(escape(part)))
    if inside:
        html.append("</mark>")
    return Markup("".join(html))  # noqa: S704 (every text part escaped above)
