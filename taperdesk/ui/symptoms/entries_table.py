"""The entries table of the Symptoms tab: every version of every entry, current
ones first, corrected and retracted versions greyed with their status (nothing
is ever deleted); how a score reads in words; the reason asked before a retraction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from taperdesk import storage
from taperdesk.core.plan_diff import format_day
from taperdesk.core.side_effects import SIDE_EFFECTS
from taperdesk.core.scales import ScaleDefinition
from taperdesk.storage import StorageError, SymptomEntry
from taperdesk.ui.history import RecordTableModel, local_time


def entry_definitions(entries: Iterable[SymptomEntry], *,
                      known: dict[tuple[str, int], ScaleDefinition] | None = None
                      ) -> dict[tuple[str, int], ScaleDefinition]:
    """The definition each entry was made with, by (scale, version); one missing is left out.
    `known` holds those already read from this clinic (a stored version never changes) and
    gains the ones read now."""
    out = {}
    for key in {(e.scale, e.scale_version) for e in entries}:
        found = known.get(key) if known is not None else None
        if found is None:
            try:
                found = storage.scale_definition(key=key[0], version=key[1])
            except StorageError:
                continue
            if known is not None:
                known[key] = found
        out[key] = found
    return out


def entry_on(patient_id: int, scale: str, day: dt.date) -> SymptomEntry | None:
    """The current entry of this scale on that day, if there is one."""
    found = storage.symptom_entries(patient_id=patient_id, scale=scale, since=day, until=day)
    return found[-1] if found else None


def headline_item(definition: ScaleDefinition):
    """The item whose score is the scale's value (the daily severity), or None: the total."""
    return next((i for i in definition.items if i.key == definition.headline), None)


def item_name(item) -> str:
    """A headline scale's items by their short names ('severity', 'sleep'): their text is a question."""
    return item.key.replace("_", " ")


def band_text(definition: ScaleDefinition, value: int) -> str:
    """'moderate (21-40)', or '' on a scale without bands."""
    band = definition.band(value)
    if band is None:
        return ""
    return band.label if band.low == band.high else f"{band.label} ({band.low}-{band.high})"


def total_text(definition: ScaleDefinition, scores: Mapping[str, int]) -> str:
    """'Total 26 of 80 — moderate (21-40)'; on a headline scale 'Severity 7 of 10; sleep 4 of 10'."""
    head = headline_item(definition)
    if head is None:
        value = sum(scores.values())
        text = f"Total {value} of {definition.total_high}"
        missing = [k for k in definition.required_keys if k not in scores]
        if missing:
            return f"{text} so far — {len(missing)} of {len(definition.items)} items still to score"
    elif head.key not in scores:
        return f"{item_name(head).capitalize()} not scored yet"
    else:
        value = scores[head.key]
        text = f"{item_name(head).capitalize()} {value} of {head.high}"
    band = band_text(definition, value)
    text += f" — {band}" if band else ""
    if head is not None:
        text += "".join(f"; {item_name(i)} {scores[i.key]} of {i.high}" if i.key in scores
                        else f"; {item_name(i)} not rated" for i in definition.items
                        if i is not head and (i.key in scores or i.key not in SIDE_EFFECTS))  # none: not said
    return text


def score_text(definition: ScaleDefinition | None, items: Mapping[str, int], total: int) -> str:
    """The score column: '26 of 80', or for a headline item '7 of 10; sleep 4'."""
    if definition is None:
        return str(total)
    head = headline_item(definition)
    if head is None:
        return f"{total} of {definition.total_high}"
    others = [f"{item_name(i)} {items[i.key]}" for i in definition.items if i is not head and i.key in items]
    return "; ".join([f"{items.get(head.key, '–')} of {head.high}", *others])


def band_label(definition: ScaleDefinition | None, items: Mapping[str, int], total: int) -> str:
    if definition is None:
        return ""
    head = headline_item(definition)
    band = definition.band(total if head is None else items.get(head.key, -1))
    return band.label if band is not None else ""


@dataclass(frozen=True)
class EntryRow:
    entry: SymptomEntry
    status: str  # "current", "corrected" or "retracted"
    detail: str  # who corrected or retracted it, when, why
    who: str
    definition: ScaleDefinition | None

    @property
    def current(self) -> bool:
        return self.status == "current"


def entry_rows(entries: Iterable[SymptomEntry], *, names: Mapping[int, str],
               definitions: Mapping[tuple[str, int], ScaleDefinition]) -> list[EntryRow]:
    """Every version with its status, current ones first, each group newest first, each
    read by the definition it was made with (`definitions` by scale and version). A
    retraction is shown as the status of the version it withdrew, not as a row."""
    entries = list(entries)
    successor = {e.supersedes: e for e in entries if e.supersedes is not None}

    def who(clinician_id: int) -> str:
        return names.get(clinician_id, f"account {clinician_id}")

    rows = []
    for e in entries:
        if e.retracted:
            continue
        newer = successor.get(e.id)
        if newer is None:
            status, detail = "current", ""
        elif newer.retracted:
            status = f"retracted: {newer.retraction_reason}"
            detail = f"Retracted by {who(newer.entered_by)} at {local_time(newer.entered_at)}: {newer.retraction_reason}"
        else:
            status = "corrected"
            detail = f"Corrected by {who(newer.entered_by)} at {local_time(newer.entered_at)}: {newer.note}"
        rows.append(EntryRow(e, status, detail, who(e.entered_by), definitions.get((e.scale, e.scale_version))))
    rows.sort(key=lambda r: (not r.current, -r.entry.date.toordinal(), -r.entry.id))
    return rows


COLUMNS = (
    ("Date", lambda r: r.entry.date.isoformat()),
    ("Scale", lambda r: r.definition.title if r.definition else r.entry.scale),
    ("Score", lambda r: score_text(r.definition, r.entry.items, r.entry.total)),
    ("Band", lambda r: band_label(r.definition, r.entry.items, r.entry.total)),
    ("Entered by", lambda r: r.who),
    ("Note", lambda r: r.entry.note),
    ("Status", lambda r: r.status),
)


class EntriesModel(RecordTableModel):
    """Rows are EntryRow; corrected and retracted versions are greyed. A row's
    texts are worked out when the view first asks for them and kept: a view asks
    each cell a dozen times per paint, and years of entries are never all shown."""

    def __init__(self, parent=None) -> None:
        super().__init__(COLUMNS, parent)
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_rows(self, rows) -> None:
        self._texts = {}
        super().set_rows(rows)

    def set_entries(self, entries: Iterable[SymptomEntry], *, names: Mapping[int, str],
                    definitions: Mapping[tuple[str, int], ScaleDefinition] | None = None) -> None:
        """`definitions` by (scale, version); looked up in storage when not given."""
        entries = list(entries)
        if definitions is None:
            definitions = entry_definitions(entries)
        self.set_rows(entry_rows(entries, names=names, definitions=definitions))

    def entry(self, row: int) -> SymptomEntry:
        return self.record(row).entry

    ROLES = RecordTableModel.ROLES | {Qt.ItemDataRole.ForegroundRole}

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self.ROLES or not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row = self.record(index.row())
        if role == Qt.ItemDataRole.ForegroundRole and not row.current:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole:
            entered = f"Entered by {row.who} at {local_time(row.entry.entered_at)}."
            return " ".join(filter(None, [entered, row.detail]))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        texts = self._texts.get(index.row())
        if texts is None:
            texts = self._texts[index.row()] = tuple(text(row) for _title, text in COLUMNS)
        return texts[index.column()] if 0 <= index.column() < len(texts) else None


class RetractDialog(QDialog):
    """Asks why an entry is retracted; OK only with a reason."""

    def __init__(self, parent=None, *, entry: SymptomEntry, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Retract entry")
        intro = QLabel(f"Retract the {title} entry of {format_day(entry.date)} (score {entry.total})? It stays in "
                       "the history marked retracted, and leaves the chart.")
        intro.setWordWrap(True)
        self.reason = QLineEdit(objectName="reason")
        self.reason.setPlaceholderText("e.g. entered for the wrong patient")
        self.reason.textChanged.connect(self._update)
        form = QFormLayout()
        label = QLabel("&Reason")
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Re&tract")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.value()))

    def accept(self) -> None:
        if self.value():
            super().accept()

    def value(self) -> str:
        return self.reason.text().strip()
