"""A portable patient file is checked whole before anything of it is written.

An import used to accept anything: every dose x100 (then printed), `"steps":
"lol"` (then every export of that patient crashed), a look-alike hyphen in the
identifier (a second patient beside the first). Now, in this order:
1. the file itself: a regular file, at most MAX_BYTES, UTF-8 JSON, nested at
   most MAX_DEPTH deep (`load_document`);
2. its structure: every section and field the format (docs/storage.md) needs,
   of the right type (`document_problems`);
3. every revision of every plan through the same checks as a stored plan
   before paper (core.plan_checks: shape, planning rules, dose totals, ceilings).
The first problem found is the one-line refusal, naming the plan and revision
as the file numbers them; nothing is written. Identifiers are compared folded
(storage.text.identifier_key), so `DEMO‐001` (U+2010) is DEMO-001."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

from taperdesk.storage.errors import InvalidInputError

# A patient file carries its printed handouts as base64 PDFs (about 60-250 KB
# each), so a long history with many reprints runs to a few MB; 16 MB is far
# above any real one and small enough to read at once.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 16  # the format nests 6 deep (document, plans, revision, settings, ...)


def _depth(value: Any, limit: int) -> int:
    """How deep the containers nest, counting no further than limit + 1."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > limit:
                return level
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse_document(text: str | bytes, name: str = "the patient file") -> Any:
    """Parse a patient file's text, refusing what is too large or too deep."""
    if len(text) > MAX_BYTES:
        raise InvalidInputError(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB: it is not a patient file "
                                f"written by TaperDesk.")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError(f"{name} is not text (UTF-8 JSON): it is not a patient file.") from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise InvalidInputError(f"{name} is nested too deeply to be a patient file.") from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"{name} is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno}).") from None
    if _depth(document, MAX_DEPTH) > MAX_DEPTH:
        raise InvalidInputError(f"{name} is nested more than {MAX_DEPTH} levels deep: it is not a patient file.")
    return document


def load_document(path: str | os.PathLike[str]) -> Any:
    """Read and parse a patient file from disk (never more than MAX_BYTES + 1 bytes)."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInputError(f"{path} does not exist.") from None
    except OSError as exc:
        raise InvalidInputError(f"{path} cannot be read ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInputError(f"{path} is a folder: give the patient file (.json) itself.")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInputError(f"{path} is not a regular file: give a patient file (.json) written by "
                                f"`taperdesk export-patient`.")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(f"{path} cannot be read ({exc.strerror}).") from None
    return parse_document(data, str(path))


# -- structure --------------------------------------------------------------------
def _text(value: Any) -> bool:
    return isinstance(value, str)


def _moment(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _day(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _patient_problems(p: Any) -> list[str]:
    if not isinstance(p, dict):
        return ["the \"patient\" section is not an object"]
    out = [f"the patient's {k} is missing or not text" for k in ("name", "identifier") if not _text(p.get(k))
           or not p[k].strip()]
    if not _day(p.get("born")):
        out.append("the patient's date of birth is not a date (YYYY-MM-DD)")
    if not _moment(p.get("created_at")):
        out.append("the patient's created_at is not a time with its zone")
    out += [f"the patient's {k} is not text" for k in ("phone", "notes") if not _text(p.get(k, ""))]
    return out


def _revision_problems(rev: Any, where: str) -> list[str]:
    from taperdesk.core.plan_checks import plan_problems

    if not isinstance(rev, dict):
        return [f"{where} is not an object"]
    out = []
    if not _whole(rev.get("number")) or rev["number"] < 1:
        out.append(f"{where} has no revision number")
    if not _moment(rev.get("created_at")):
        out.append(f"{where}'s created_at is not a time with its zone")
    if not _text(rev.get("reason", "")):
        out.append(f"{where}'s reason is not text")
    if not isinstance(rev.get("settings"), dict):
        out.append(f"{where}'s settings are not an object")
    if not isinstance(rev.get("handouts", []), list):
        out.append(f"{where}'s handouts are not a list")
    text = rev.get("plan_json")
    if not _text(text):
        return out + [f"{where} has no plan_json text"]
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return out + [f"{where}'s plan_json is not JSON"]
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        return out + [f"{where}'s plan is nested too deeply"]
    return out + [f"{where}: the plan {p}" if p.startswith("breaks ") else f"{where}: {p}"
                  for p in plan_problems(data)]


def _plan_problems(plan: Any, n: int) -> list[str]:
    where = f"plan {n}"
    if not isinstance(plan, dict):
        return [f"{where} is not an object"]
    out = []
    if not _text(plan.get("drug")):
        out.append(f"{where} has no drug")
    revisions = plan.get("revisions")
    if not isinstance(revisions, list) or not revisions:
        return out + [f"{where} has no revisions (its \"revisions\" must be a non-empty list)"]
    numbers = [r.get("number") for r in revisions if isinstance(r, dict)]
    events = plan.get("status_events")
    if not isinstance(events, list) or not events:
        out.append(f"{where} has no status history (\"status_events\" must be a non-empty list)")
    else:
        for event in events:
            if not isinstance(event, dict) or not _text(event.get("status")) or not _moment(event.get("at")):
                out.append(f"{where} has a status change without a status and a time")
                break
    for rev in revisions:
        label = rev.get("number") if isinstance(rev, dict) and _whole(rev.get("number")) else "?"
        out += _revision_problems(rev, f"{where} revision {label}")
    if all(_whole(x) for x in numbers) and sorted(numbers) != list(range(1, len(numbers) + 1)):
        out.append(f"{where}'s revisions are not numbered 1, 2, 3 ... (they are {sorted(numbers)})")
    for rev in revisions:
        if isinstance(rev, dict) and _text(rev.get("plan_json")) and _text(plan.get("drug")):
            try:
                drug = json.loads(rev["plan_json"]).get("drug")
            except (ValueError, AttributeError, RecursionError):
                continue
            if drug != plan["drug"]:
                out.append(f"{where} is for {plan['drug']} but revision {rev.get('number')} is for {drug}")
    return out


def _entry_problems(entries: Any) -> list[str]:
    if not isinstance(entries, list):
        return ["the \"symptom_entries\" section is not a list"]
    refs = set()
    for n, e in enumerate(entries):
        where = f"symptom entry {n + 1}"
        if not isinstance(e, dict):
            return [f"{where} is not an object"]
        if not _whole(e.get("ref")) or not _day(e.get("date")) or not _moment(e.get("entered_at")):
            return [f"{where} needs a ref, a date and an entered_at time"]
        if not isinstance(e.get("items"), dict) or not _text(e.get("scale")):
            return [f"{where} needs a scale and its item scores"]
        if e.get("supersedes") is not None and e["supersedes"] not in refs:
            return [f"{where} corrects an entry that is not before it in the file"]
        refs.add(e["ref"])
    return []


def document_problems(document: dict) -> list[str]:
    """Every problem with a patient document's contents (after its format and
    version were checked), as sentences; empty means it may be imported."""
    out = _patient_problems(document.get("patient"))
    plans = document.get("plans")
    if not isinstance(plans, list):
        out.append("the \"plans\" section is not a list")
    else:
        for n, plan in enumerate(plans, start=1):
            out += _plan_problems(plan, n)
    out += _entry_problems(document.get("symptom_entries"))
    from taperdesk.storage.portable_besides import agreement_problems, medicine_problems  # it reads these helpers

    out += medicine_problems(document.get("other_medicines"))
    out += agreement_problems(document.get("support_agreed"), len(plans) if isinstance(plans, list) else 0)
    return out


def check_document(document: dict) -> None:
    """InvalidInputError with the first problem (and how many more) unless the
    document may be imported as it is."""
    problems = document_problems(document)
    if problems:
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        raise InvalidInputError(f"The patient file was not imported, nothing was written: {problems[0]}{more}.")
