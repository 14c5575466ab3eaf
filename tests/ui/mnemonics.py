"""Walk a window as a keyboard user meets it and list its mnemonics (&-letters)
by level: the window itself (visible buttons, buddied labels, group boxes,
tab bars, the menu bar's titles) and each menu on its own. Two uses of one
letter on one level are a clash: Alt+letter would do one of two things."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)

MNEMONIC = re.compile(r"&([^&\s])")


def letters(text: str) -> list[str]:
    return [m.lower() for m in MNEMONIC.findall(text.replace("&&", ""))]



def window_level(window: QWidget) -> list[tuple[str, str]]:
    """(letter, where) for everything Alt+letter reaches in the window itself."""
    found: list[tuple[str, str]] = []
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window) or isinstance(w.window(), QMenu) or w.window() is not window:
            continue
        texts: list[str] = []
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None and "<" not in w.text():
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count()) if w.isTabVisible(i)]
        elif isinstance(w, QMenuBar):
            texts += [a.text() for a in w.actions() if a.isVisible()]
        for text in texts:
            found += [(letter, f"{type(w).__name__} {text!r}") for letter in letters(text)]
    return found


def menu_levels(window: QWidget) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for menu in window.findChildren(QMenu):
        if not menu.title():  # the menu bar's overflow menu repeats its titles
            continue
        out[menu.title()] = [(letter, a.text()) for a in menu.actions() if a.isVisible() and not a.isSeparator()
                             for letter in letters(a.text())]
    return out


def clashes(window: QWidget) -> dict[str, dict[str, list[str]]]:
    """{level: {letter: [where, where...]}} for every letter used twice on a level."""
    levels = {"window " + window.windowTitle(): window_level(window), **menu_levels(window)}
    out = {}
    for level, uses in levels.items():
        by_letter = defaultdict(list)
        for letter, where in uses:
            by_letter[letter].append(where)
        twice = {k: v for k, v in by_letter.items() if len(v) > 1}
        if twice:
            out[level] = twice
    return out
