"""Any patient's name on paper, in any script.

DejaVu Sans covers Latin, Greek, Cyrillic, Arabic and Hebrew letters; Chinese,
Japanese and Korean need a second font. ReportLab draws a string in one font
and in the order given, so a name is prepared here:

- right-to-left text (Arabic, Hebrew) is put in visual order with python-bidi,
  and Arabic letters are first joined into their contextual forms with
  arabic-reshaper (ReportLab's own bidi needs rlbidi and its shaping uharfbuzz;
  neither is a pinned dependency, and names are short runs these two handle);
- the text is split into runs, each in the first font that has its glyphs
  (DejaVu Sans, then the CJK fallback from taperdesk.export.fonts), for a
  canvas (`draw_runs`, `runs_width`) or as Paragraph markup (`markup`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

from taperdesk.export.fonts import cjk_font

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


@lru_cache(maxsize=2048)
def visual(text: str) -> str:
    """`text` in the order it is drawn left to right: unchanged unless it has
    Arabic or Hebrew letters, which are joined (Arabic) and reordered."""
    if not _RTL.search(text):
        return text
    from bidi import get_display

    if _ARABIC.search(text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    return get_display(text)


def _covers(font: str, ch: str) -> bool:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    return face is None or ord(ch) in face.charToGlyph or ch in " \u00a0"


@lru_cache(maxsize=2048)
def runs(text: str, font: str) -> tuple[tuple[str, str], ...]:
    """(piece, font name) runs of `text` (already in visual order): `font` where it
    has the glyph, else the CJK fallback when that has it (else `font`: a box)."""
    fallback = cjk_font()
    out: list[tuple[str, str]] = []
    for ch in text:
        use = font
        if not _covers(font, ch) and fallback and _covers(fallback, ch):
            use = fallback
        if out and out[-1][1] == use:
            out[-1] = (out[-1][0] + ch, use)
        else:
            out.append((ch, use))
    return tuple(out)


def runs_width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, name, size) for piece, name in runs(text, font))


def draw_runs(canvas, x: float, y: float, text: str, font: str, size: float) -> float:
    """Draw `text` from x; return the width drawn."""
    start = x
    for piece, name in runs(text, font):
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)
    canvas.setFont(font, size)
    return x - start


def markup(text: str, font: str) -> str:
    """Paragraph markup for a name: in visual order, escaped, with fallback-font runs in <font> tags."""
    text = visual(text)
    out = []
    for piece, name in runs(text, font):
        safe = piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(safe if name == font else f'<font name="{name}">{safe}</font>')
    return "".join(out)
