"""The clinician's screens speak the clinic's language: no issue numbers of this
project, no '#12'-style database ids, in any string the UI or the clinic layer
can show (docstrings and comments are for developers and are not scanned)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import taperdesk

ROOT = Path(taperdesk.__file__).parent
PROJECT_WORDS = re.compile(r"#\{|#\d|\bissues?\s*#?\d", re.IGNORECASE)  # an issue number, not "re-issue"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")


def shown_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
    return found


def test_no_issue_numbers_or_ids_in_ui_text():
    bad = []
    for folder in ("ui", "clinic"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, text in shown_strings(path):
                if PROJECT_WORDS.search(COLOUR.sub("", text)):
                    bad.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert bad == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""doc (issue 4)"""\nA = "see issue 9"\nB = f"#{x}"\nC = "#1f5fa8"\nD = "re-issue today"\n',
                      encoding="utf-8")
    hits = [t for _, t in shown_strings(sample) if PROJECT_WORDS.search(COLOUR.sub("", t))]
    assert hits == ["see issue 9", "#{}"]


def test_no_issue_numbers_in_the_data_the_screens_show():
    """Sources and texts in taperdesk/data are shown beside thresholds and doses."""
    import tomllib

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    bad = [(path.name, text) for path in sorted((ROOT / "data").glob("*.toml"))
           for text in strings(tomllib.loads(path.read_text(encoding="utf-8")))
           if PROJECT_WORDS.search(COLOUR.sub("", text))]
    assert bad == []
