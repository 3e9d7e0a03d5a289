"""The text font of the archive's PDFs (pick lists, destruction certificates).

DejaVu Sans when the system has it (it covers names such as "Şahin" or "Łukasz"), else
the PDF standard font Helvetica.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

_FONTS: dict[bool, str] = {}


def font(bold: bool = False) -> str:
    """The registered name of the text font, registering it on first use."""
    if bold not in _FONTS:
        name, file = ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf") if bold else (
            "DejaVuSans", "DejaVuSans.ttf")
        try:
            pdfmetrics.registerFont(TTFont(name, file))
        except TTFError:
            name = "Helvetica-Bold" if bold else "Helvetica"
        _FONTS[bold] = name
    return _FONTS[bold]


def fit(text: str, font_name: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis when it would be wider than `width`."""
    if pdfmetrics.stringWidth(text, font_name, size) <= width:
        return text
    shortest, longest = 0, len(text)  # binary search: hundreds of rows stay fast
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", font_name, size) <= width:
            shortest = middle
        else:
            longest = middle - 1
    return text[:shortest].rstrip() + "…"
