"""The embedded Unicode font for every PDF TaperDesk prints.

DejaVu Sans covers Latin (Zoë Łukasiewicz), Greek and Cyrillic (Анна Петрова), so
any patient's name prints. It comes from the system's fonts-dejavu-core package;
nothing is downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

# Folders searched in order for DejaVuSans.ttf and DejaVuSans-Bold.ttf.
FONT_DIRS: list[Path] = [
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian/Ubuntu fonts-dejavu-core
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/share/fonts/TTF"),  # Arch (ttf-dejavu)
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora dejavu-sans-fonts
    Path("/usr/local/share/fonts"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/opt/homebrew/share/fonts"),
    Path("/Library/Fonts"),
    Path.home() / "Library" / "Fonts",
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
    Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
    Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts",
]

# Table cells given as plain strings (even "") use this, not the unembedded Helvetica default.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), REGULAR)

MISSING = "DejaVu Sans is not installed: install the fonts-dejavu-core package"


class ExportError(Exception):
    """An export could not be made; the message is one line for the user."""


def _find(filename: str) -> Path | None:
    for folder in FONT_DIRS:
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    return None


def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans and DejaVu Sans Bold with ReportLab (once).

    Returns the two font names ("DejaVuSans", "DejaVuSans-Bold"). Raises
    ExportError when the TTF files are not found.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR in registered and BOLD in registered:
        return REGULAR, BOLD
    regular = _find("DejaVuSans.ttf")
    bold = _find("DejaVuSans-Bold.ttf")
    if regular is None or bold is None:
        raise ExportError(MISSING)
    try:
        pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    except Exception as exc:  # a damaged or unreadable file
        raise ExportError(f"{MISSING} ({exc})") from exc
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD


# -- the fallback for Chinese, Japanese and Korean names ------------------------------
CJK = "TaperCJK"
# TrueType-outline CJK fonts (ReportLab embeds TrueType outlines only: Noto Sans CJK's
# CFF outlines are refused, so fonts-noto-cjk serves the screens and these the paper).
CJK_FILES: list[tuple[str, int]] = [
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # Debian fonts-wqy-zenhei
    ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),  # Fedora
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),  # Debian fonts-droid-fallback
    ("/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),  # macOS
    (str(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / "simsun.ttc"), 0),
]
_cjk: list[str | None] = []


def cjk_font() -> str | None:
    """The registered CJK fallback font's name, or None when none is installed
    (names then print in DejaVu Sans, which shows boxes for those letters)."""
    if _cjk:
        return _cjk[0]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    found = None
    for path, index in CJK_FILES:
        if Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont(CJK, path, subfontIndex=index))
                pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
                found = CJK
                break
            except Exception:  # an unreadable file: try the next
                continue
    _cjk.append(found)
    return found
