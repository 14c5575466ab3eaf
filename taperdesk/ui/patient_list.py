"""The patient list: search as you type by name, identifier or birth date,
with the columns a clinic works from (born, dose today, next step change,
status, needs attention).

Every plan column reads the patient's course (`PatientPlan.course`, the one
answer to "what does this patient take on day D"), so the list cannot
disagree with "What to take": a paused plan shows no next change, a taper
the clinician ended shows the dose that continues, a draft is marked draft,
a completed plan shows no dose.

The plan columns are computed lazily for the rows actually shown, and the
plans kept in a small LRU cache (CACHE_SIZE) across keystrokes: refining a
search shows the same people again without reading their plans again, and a
long session of searches never holds more than CACHE_SIZE plans. The "needs
attention" filter and column read the kept attention table (one query for
the patients found), never a plan, so toggling it costs a query, not a
screenful of plans. A write (refresh, forget_patient) drops what it changed."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from taperdesk import storage
from taperdesk.core.in_force import STATUS_LABELS
from taperdesk.core.typed_dates import format_date, parse_typed_date
from taperdesk.clinic.plans import PatientPlan, current_plan, current_plans

BATCH = 24  # rows whose plans and attention are fetched together: a screenful at 768 pixels high
CACHE_SIZE = 256  # plans kept across keystrokes (LRU): a few screenfuls, whatever the session's length

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
    CACHE_SIZE = CACHE_SIZE

    def __init__(self, parent=None, *, today: date | None = None):
        super().__init__(parent)
        self._patients: list[storage.Patient] = []
        self._cache: OrderedDict[int, PatientPlan | None] = OrderedDict()  # patient id -> plan, least recent first
        self._attention: dict[int, list[str]] = {}  # the kept reasons of patients found (today's, one query)
        self._search = ""
        self.attention_only = False
        self.show_archived = False
        self.day_first = True  # the clinic's way of writing dates (taperdesk.core.typed_dates)
        self.today = today or date.today()
        self.flagged: dict[int, list[str]] = {}  # patient id -> what their record check found

    # -- loading ------------------------------------------------------------
    def set_search(self, text: str) -> None:
        self._search = text
        self._reload(keep=True)  # a new search: the same patients' plans and reasons still hold

    def set_attention_only(self, on: bool) -> None:
        """Show only the patients who need the clinician today (flare, step change this week,
        review overdue, no symptoms since the last cut) among those the search finds."""
        self.attention_only = on
        self._reload(keep=True)

    def set_show_archived(self, on: bool) -> None:
        """Archived patients listed too (marked "archived"), so they can be found and unarchived."""
        self.show_archived = on
        self.refresh()

    def set_day_first(self, day_first: bool) -> None:
        self.day_first = day_first
        self.refresh()

    def refresh(self) -> None:
        """Search again after a write: nothing cached is trusted."""
        self._reload(keep=False)

    def _reload(self, *, keep: bool) -> None:
        self.beginResetModel()
        if not keep:
            self._cache.clear()
            self._attention.clear()
        born = parse_typed_date(self._search, day_first=self.day_first)
        self._patients = storage.search_patients(text=self._search, limit=200, born=born,
                                                 include_archived=self.show_archived)
        if self.attention_only:
            self._load_attention([p.id for p in self._patients])
            self._patients = [p for p in self._patients if self._attention.get(p.id)]
        self.endResetModel()

    def set_flagged(self, flagged: dict[int, list[str]]) -> None:
        """Mark the patients whose records failed the record check."""
        self.flagged = dict(flagged)
        if self._patients:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._patients) - 1, 0))

    def forget_patient(self, patient_id: int) -> None:
        """One patient's plan or symptoms changed: recompute just that row."""
        self._cache.pop(patient_id, None)
        self._attention.pop(patient_id, None)
        for row, p in enumerate(self._patients):
            if p.id == patient_id:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def patient(self, row: int) -> storage.Patient | None:
        return self._patients[row] if 0 <= row < len(self._patients) else None

    def row_of(self, patient_id: int) -> int:
        return next((i for i, p in enumerate(self._patients) if p.id == patient_id), -1)

    def plan_of(self, patient_id: int) -> PatientPlan | None:
        if patient_id in self._cache:
            self._cache.move_to_end(patient_id)
            return self._cache[patient_id]
        return self._remember(patient_id, current_plan(patient_id=patient_id))

    def _remember(self, patient_id: int, info: PatientPlan | None) -> PatientPlan | None:
        self._cache[patient_id] = info
        self._cache.move_to_end(patient_id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return info

    def _load_attention(self, ids: list[int]) -> None:
        missing = [pid for pid in ids if pid not in self._attention]
        if missing:
            kept = storage.attention_reasons(missing, self.today)
            self._attention.update({pid: list(kept.get(pid, ())) for pid in missing})

    def _load(self, rows: list[int]) -> None:
        ids = [self._patients[r].id for r in rows]
        missing = [pid for pid in ids if pid not in self._cache]
        if missing:
            found = current_plans(patient_ids=missing)
            for pid in missing:
                self._remember(pid, found.get(pid))
        self._load_attention(ids)

    def _plan_for_row(self, row: int) -> PatientPlan | None:
        patient_id = self._patients[row].id
        if patient_id not in self._cache:
            self._load(list(range(row, min(row + BATCH, len(self._patients)))))
        if patient_id not in self._cache:  # a batch larger than the cache: this row's own
            return self.plan_of(patient_id)
        self._cache.move_to_end(patient_id)
        return self._cache[patient_id]

    def attention_of(self, row: int) -> list[str]:
        patient_id = self._patients[row].id
        if patient_id not in self._attention:
            self._load_attention([p.id for p in self._patients[row:row + BATCH]])
        if self._plan_for_row(row) is None:
            return []  # no plan, nothing to attend to (clinic.plans.attention_for's rule)
        return self._attention.get(patient_id, [])

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
