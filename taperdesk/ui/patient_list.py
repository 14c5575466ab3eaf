"""The patient list: search as you type by name, identifier or birth date,
with the columns a clinic works from (born, dose today, next step change,
status, needs attention).

Every plan column reads the patient's course (`PatientPlan.course`, the one
answer to "what does this patient take on day D"), so the list cannot
disagree with "What to take": a paused plan shows no next change, a taper
the clinician ended shows the dose that continues, a draft is marked draft,
a completed plan shows no dose.

The plan columns are computed lazily for the rows actually shown and cached
until the next refresh, so typing stays instant on a clinic of thousands."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from taperdesk import storage
from taperdesk.core.in_force import STATUS_LABELS
from taperdesk.core.typed_dates import format_date, parse_typed_date
from taperdesk.clinic.plans import PatientPlan, attention_for, current_plan, current_plans

BATCH = 32  # rows whose plans and attention are fetched together: about a screenful

# who needs the clinician comes right after the name: at 1366 pixels wide it is
# always in view; born and identifier (for telling people apart) come last
COLUMNS = ("Name", "Needs attention", "Dose today", "Next step change", "Status", "Born", "Identifier")


def column_of(title: str) -> int:
    return COLUMNS.index(title)


def dose_text(plan_info: PatientPlan | None, today: date) -> str:
    """Today's daily dose as the course has it, with why when it is not plain taper."""
    if plan_info is None:
        return "No plan"
    answer = plan_info.course.on(today)
    if answer.state == "before_start":
        start = plan_info.plan.start.isoformat()
        return f"Draft: would start {start}" if answer.status == "draft" else f"Starts {start}"
    text = answer.summary()
    if answer.state == "paused":
        return f"{text} (paused)"
    if answer.state == "taper_ended":
        return f"{text} (continues)"
    return text


def next_change_text(plan_info: PatientPlan | None, today: date) -> str:
    """The next day the doses change (a cut, a crossover switch, the stop), or why there is none."""
    if plan_info is None:
        return ""
    course = plan_info.course
    status = course.status_on(today)
    if status == "paused":
        return "None while paused"
    if status == "stopped":
        return "None (taper ended)"
    if status == "completed":
        return ""
    found = course.next_change(today)
    if found is None:
        return ""
    words = {"cut": "lower dose", "switch": "switch", "stop": "stop", "start": "start"}.get(found.change, found.change)
    text = f"{found.day.isoformat()} ({words})"
    return f"Draft: {text}" if status == "draft" else text


def status_text(plan_info: PatientPlan | None, today: date) -> str:
    if plan_info is None:
        return ""
    course = plan_info.course
    status = course.status_on(today)
    label = STATUS_LABELS.get(status, status)
    if status == "active" and course.on(today).state in ("stop_day", "finished"):
        return f"{label} (taper finished)"
    return label


class PatientListModel(QAbstractTableModel):
    def __init__(self, parent=None, *, today: date | None = None):
        super().__init__(parent)
        self._patients: list[storage.Patient] = []
        self._plans: dict[int, PatientPlan | None] = {}
        self._attention: dict[int, list[str]] = {}
        self._search = ""
        self.attention_only = False
        self.show_archived = False
        self.day_first = True  # the clinic's way of writing dates (taperdesk.core.typed_dates)
        self.today = today or date.today()
        self.flagged: dict[int, list[str]] = {}  # patient id -> what their record check found

    # -- loading ------------------------------------------------------------
    def set_search(self, text: str) -> None:
        self._search = text
        self.refresh()

    def set_attention_only(self, on: bool) -> None:
        """Show only the patients who need the clinician today (flare, step change this week,
        review overdue, no symptoms since the last cut) among those the search finds."""
        self.attention_only = on
        self.refresh()

    def set_show_archived(self, on: bool) -> None:
        """Archived patients listed too (marked "archived"), so they can be found and unarchived."""
        self.show_archived = on
        self.refresh()

    def set_day_first(self, day_first: bool) -> None:
        self.day_first = day_first
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        born = parse_typed_date(self._search, day_first=self.day_first)
        self._patients = storage.search_patients(text=self._search, limit=200, born=born,
                                                 include_archived=self.show_archived)
        self._plans.clear()
        self._attention.clear()
        if self.attention_only:
            self._load(list(range(len(self._patients))))
            self._patients = [p for p in self._patients if self._attention.get(p.id)]
        self.endResetModel()

    def set_flagged(self, flagged: dict[int, list[str]]) -> None:
        """Mark the patients whose records failed the record check."""
        self.flagged = dict(flagged)
        if self._patients:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._patients) - 1, 0))

    def forget_patient(self, patient_id: int) -> None:
        """One patient's plan or symptoms changed: recompute just that row."""
        self._plans.pop(patient_id, None)
        self._attention.pop(patient_id, None)
        for row, p in enumerate(self._patients):
            if p.id == patient_id:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def patient(self, row: int) -> storage.Patient | None:
        return self._patients[row] if 0 <= row < len(self._patients) else None

    def row_of(self, patient_id: int) -> int:
        return next((i for i, p in enumerate(self._patients) if p.id == patient_id), -1)

    def plan_of(self, patient_id: int) -> PatientPlan | None:
        if patient_id not in self._plans:
            self._plans[patient_id] = current_plan(patient_id=patient_id)
        return self._plans[patient_id]

    def _load(self, rows: list[int]) -> None:
        ids = [self._patients[r].id for r in rows if self._patients[r].id not in self._attention]
        if not ids:
            return
        found = current_plans(patient_ids=ids)
        plans = {pid: found.get(pid) for pid in ids}
        self._plans.update(plans)
        self._attention.update(attention_for(plans=plans, today=self.today))

    def _plan_for_row(self, row: int) -> PatientPlan | None:
        patient_id = self._patients[row].id
        if patient_id not in self._attention:
            self._load(list(range(row, min(row + BATCH, len(self._patients)))))
        return self._plans[patient_id]

    def attention_of(self, row: int) -> list[str]:
        self._plan_for_row(row)
        return self._attention.get(self._patients[row].id, [])

    # -- the model ------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._patients)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        patient = self._patients[index.row()]
        title = COLUMNS[index.column()]
        if title == "Name":
            if patient.id in self.flagged:  # the record check found a problem: marked, the lines in the tooltip
                return "\n".join(self.flagged[patient.id]) if role == Qt.ItemDataRole.ToolTipRole else \
                    f"⚠ {patient.name} (record check failed)"
            return patient.name + (" (archived)" if patient.archived else "")
        if title == "Born":
            return format_date(patient.born, day_first=self.day_first)
        if title == "Identifier":
            return patient.identifier
        info = self._plan_for_row(index.row())
        if title == "Dose today":
            return dose_text(info, self.today)
        if title == "Next step change":
            return next_change_text(info, self.today)
        if title == "Status":
            return status_text(info, self.today)
        reasons = self.attention_of(index.row())
        return ("; ".join(reasons)) if role == Qt.ItemDataRole.ToolTipRole or len(reasons) < 2 else f"{reasons[0]} (+{len(reasons) - 1})"
