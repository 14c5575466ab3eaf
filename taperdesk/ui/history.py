"""The History tab: a patient's plans and every revision of them (selecting one
shows what it changed), the plans' status changes, and the audit trail of
everything done to this patient's record. Reads only through storage functions;
the tables are QAbstractTableModels over plain records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.in_force import STATUS_LABELS
from taperdesk import storage
from taperdesk.core.plan import Plan
from taperdesk.core.plan_diff import diff_plans, first_plan_summary
from taperdesk.storage import AuditEvent, PlanRecord, Revision, StatusEvent, StorageError

Column = tuple[str, Callable[[Any], str]]
AUDITED = ("patient", "plan", "symptom_entry", "handout", "other_medicine")  # the entities storage writes for a patient's record


def local_time(moment: dt.datetime) -> str:
    """A stored UTC moment in the computer's time zone, '2026-03-01 14:05'."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class RecordTableModel(QAbstractTableModel):
    """Read-only rows of plain records, one column per (header, text function)."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole})
    ROLES = TEXT_ROLES  # the roles data() answers (a subclass may add its own)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # a view asks about ten roles a cell on every paint: the others go at once
        if role not in self.TEXT_ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._columns[index.column()][1](self._rows[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section][0]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(frozen=True)
class RevisionRow:
    plan: PlanRecord
    revision: Revision
    previous: Revision | None  # the revision before it in the same plan
    author: str


@dataclass(frozen=True)
class StatusRow:
    plan: PlanRecord
    event: StatusEvent
    who: str


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    who: str
    patient: storage.Patient | None = None
    revision_numbers: Mapping[int, int] = field(default_factory=dict)

    @cached_property
    def summary(self) -> str:
        """The event's words as the clinic reads them (see clinic_words), worked out
        when the row is shown: ten years of daily entries are 3,650 events."""
        if self.patient is None:
            return self.event.summary
        return clinic_words(self.event.summary, self.patient, self.revision_numbers)


LEGACY_REVISION = re.compile(r"\bfor revision (\d+)\b")


def clinic_words(summary: str, patient: storage.Patient, revision_numbers: dict[int, int]) -> str:
    """Older copies wrote database ids into the trail ('... for patient 5', 'calendar for
    revision 4'); show the patient's name and identifier and the revision number the plan
    shows instead. Newer events are written that way already and pass unchanged."""
    who = f"{patient.name} ({patient.identifier})"
    if who not in summary:
        summary = re.sub(rf"\bpatient ({re.escape(str(patient.id))}|{re.escape(patient.identifier)})\b",
                         lambda _m: f"patient {who}", summary)
    return LEGACY_REVISION.sub(
        lambda m: f"for revision {revision_numbers.get(int(m.group(1)), '?')}", summary)


def plan_label(plan: PlanRecord) -> str:
    return f"{plan.drug}, {plan.created_at.astimezone():%Y-%m-%d}"


REVISION_COLUMNS: tuple[Column, ...] = (
    ("Plan", lambda r: plan_label(r.plan)),
    ("Revision", lambda r: str(r.revision.number)),
    ("When", lambda r: local_time(r.revision.created_at)),
    ("Author", lambda r: r.author),
    ("Reason", lambda r: r.revision.reason),
)
STATUS_COLUMNS: tuple[Column, ...] = (
    ("Plan", lambda r: plan_label(r.plan)),
    ("Status", lambda r: STATUS_LABELS.get(r.event.status, r.event.status)),  # "stopped": the dose continues
    ("When", lambda r: local_time(r.event.at)),
    ("Who", lambda r: r.who),
    ("Reason", lambda r: r.event.reason),
)
AUDIT_COLUMNS: tuple[Column, ...] = (
    ("When", lambda r: local_time(r.event.at)),
    ("Who", lambda r: r.who),
    ("Action", lambda r: r.event.action),
    ("Summary", lambda r: r.summary),
)


@lru_cache(maxsize=64)
def _stored_plan(revision_id: int, plan_json: str) -> Plan:
    # a revision never changes (the database refuses UPDATE): going back to a
    # patient need not parse the same plans again
    return Plan.from_json(plan_json)


def _plan_of(revision: Revision) -> Plan:
    return _stored_plan(revision.id, revision.plan_json)


def revision_changes(row: RevisionRow) -> list[str]:
    """What this revision changed (or, for the first, what the plan sets out)."""
    try:
        plan = _plan_of(row.revision)
        if row.previous is None:
            return first_plan_summary(plan)
        return diff_plans(_plan_of(row.previous), plan) or ["No change to the schedule, pace or approach."]
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        return [f"This revision's stored plan cannot be read ({type(exc).__name__}: {exc})."]


# each column's width in characters of the font ("" stretches to the edge): fitting
# the columns to their contents measured every row of the record on each load
WIDTHS = {"Plan": 22, "Revision": 9, "When": 17, "Author": 16, "Who": 16, "Status": 14, "Action": 10}


def _table(model: RecordTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab moves on to the next part of the tab
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    char = view.fontMetrics().horizontalAdvance("0")
    for column in range(model.columnCount() - 1):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        header.resizeSection(column, char * WIDTHS.get(title, 12) + 16)
    return view


def _section(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    label = QLabel(title)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    return box


class HistoryTab(QWidget):
    """set_patient() loads at once when the tab is shown, else when it is next
    shown (switching patients stays fast); refresh() always reloads now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._patient_id: int | None = None
        self._stale = False
        self.revision_model = RecordTableModel(REVISION_COLUMNS, self)
        self.status_model = RecordTableModel(STATUS_COLUMNS, self)
        self.audit_model = RecordTableModel(AUDIT_COLUMNS, self)
        self.revisions_view = _table(self.revision_model, "revisions")
        self.changes = QPlainTextEdit()
        self.changes.setObjectName("changes")
        self.changes.setReadOnly(True)
        self.changes.setTabChangesFocus(True)
        self.changes.setPlaceholderText("Select a revision to see what it changed.")
        self.status_view = _table(self.status_model, "status_events")
        self.audit_view = _table(self.audit_model, "audit")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(_section("Plans and &revisions", self.revisions_view))
        splitter.addWidget(_section("What &changed in the selected revision", self.changes))
        splitter.addWidget(_section("Plan &status changes", self.status_view))
        splitter.addWidget(_section("Audit &trail for this patient", self.audit_view))
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(splitter)
        for first, second in ((self.revisions_view, self.changes), (self.changes, self.status_view),
                              (self.status_view, self.audit_view)):
            QWidget.setTabOrder(first, second)
        self.revisions_view.selectionModel().currentRowChanged.connect(self._show_changes)

    # -- public -------------------------------------------------------------
    @property
    def patient_id(self) -> int | None:
        return self._patient_id

    def set_patient(self, patient_id: int | None) -> None:
        self._patient_id = patient_id
        if patient_id is None or self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        self._stale = False
        self.message.setVisible(False)
        if self._patient_id is None:
            self._fill([], [], [])
            return
        try:
            revisions, statuses, audit = self._load(self._patient_id)
        except StorageError as exc:
            self._fill([], [], [])
            self.message.setText(f"The history cannot be shown: {exc}")
            self.message.setVisible(True)
            return
        self._fill(revisions, statuses, audit)

    def select_revision(self, revision_id: int) -> bool:
        """Select the row of this revision (its changes are shown); False if not listed."""
        for row, rec in enumerate(self.revision_model.records()):
            if rec.revision.id == revision_id:
                self._select_row(row)
                return True
        return False

    def shown_changes(self) -> list[str]:
        """The sentences shown for the selected revision (without its heading)."""
        return [line[2:] for line in self.changes.toPlainText().splitlines() if line.startswith("• ")]

    # -- loading ------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @staticmethod
    def _load(patient_id: int) -> tuple[list[RevisionRow], list[StatusRow], list[AuditRow]]:
        history = storage.patient_history(patient_id=patient_id, entries=False)
        names = {c.id: c.name for c in storage.list_clinicians(include_inactive=True)}

        def who(clinician_id: int | None) -> str:
            if clinician_id is None:
                return "—"
            return names.get(clinician_id, f"account {clinician_id}")

        revisions: list[RevisionRow] = []
        statuses: list[StatusRow] = []
        for ph in history.plans:
            previous = None
            for rev in ph.revisions:
                revisions.append(RevisionRow(ph.plan, rev, previous, who(rev.author_id)))
                previous = rev
            statuses += [StatusRow(ph.plan, e, who(e.clinician_id)) for e in ph.status_events]
        # the patient's whole audit trail in one query, however many entries and handouts;
        # older events' database ids shown as the clinic reads them (clinic_words)
        patient = storage.get_patient(patient_id=patient_id)
        numbers = {r.revision.id: r.revision.number for r in revisions}
        audit = [AuditRow(e, who(e.clinician_id), patient, numbers)
                 for e in storage.patient_audit_events(patient_id=patient_id)]
        statuses.sort(key=lambda s: (s.event.at, s.event.id))
        return revisions, statuses, audit

    def _fill(self, revisions: list[RevisionRow], statuses: list[StatusRow], audit: list[AuditRow]) -> None:
        self.revision_model.set_rows(revisions)
        self.status_model.set_rows(statuses)
        self.audit_model.set_rows(audit)
        self.changes.clear()
        if revisions:
            self._select_row(len(revisions) - 1)

    def _select_row(self, row: int) -> None:
        index = self.revision_model.index(row, 0)
        self.revisions_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.revisions_view.scrollTo(index)

    def _show_changes(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.changes.clear()
            return
        row = self.revision_model.record(current.row())
        heading = f"{plan_label(row.plan)}, revision {row.revision.number} by {row.author}:"
        self.changes.setPlainText("\n".join([heading, *(f"• {line}" for line in revision_changes(row))]))
