"""The plan's steps as a table: one row a step, one column a time of day.

A read-only Qt model over the core's immutable Plan (architecture: Qt item
models wrap plain core objects), so the review table shows exactly the
steps the engine made. Doses are spelled the way a patient is told them
("2.5 mg = half of a 5 mg tablet"); the compact form is the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from taperdesk.core.plan import Plan, Step
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES
from taperdesk.core.words import units_compact, units_in_words

Index = QModelIndex | QPersistentModelIndex

FIXED_BEFORE = (("start", "From"), ("end", "To"), ("days", "Days"), ("kind", "Step"), ("eq", "Diazepam-eq\nmg/day"))
KIND_WORDS = {"start": "Start", "crossover": "Crossover", "reduce": "Cut", "hold": "Hold", "stop": "Stop"}

StepRole = Qt.ItemDataRole.UserRole + 1  # the core Step of the row, whatever the column


class StepTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._plan: Plan | None = None
        self._steps: tuple[Step, ...] = ()
        self._times: tuple[str, ...] = ()
        self._show_drug = False
        self._last_drug: str | None = None

    # -- content ------------------------------------------------------------------
    def set_plan(self, plan: Plan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self._steps = plan.steps if plan else ()
        # only the times of day the plan uses, in the day's order
        self._times = tuple(t for t in TIMES if any(d.time == t for s in self._steps for d in s.doses))
        self._show_drug = len({d.drug for s in self._steps for d in s.doses}) > 1
        self._last_drug = next((d.drug for s in reversed(self._steps) for d in s.doses), None)
        self.endResetModel()

    def plan(self) -> Plan | None:
        return self._plan

    def step(self, row: int) -> Step:
        return self._steps[row]

    def times(self) -> tuple[str, ...]:
        return self._times

    def column_of(self, key: str) -> int:
        """The column showing `key`: start, end, days, kind, eq, or a time of day."""
        return self._keys().index(key)

    def _keys(self) -> list[str]:
        return [k for k, _ in FIXED_BEFORE] + list(self._times)

    def dose_text(self, step: Step, time: str) -> str:
        """'2.5 mg = half of a 5 mg tablet'; in a crossover plan the drug is named until it is over."""
        dose = next((d for d in step.doses if d.time == time), None)
        if dose is None:
            return ""
        mixed = self._show_drug and (
            step.kind in ("start", "crossover") or dose.drug != self._last_drug or len({d.drug for d in step.doses}) > 1
        )
        drug = f" {dose.drug}" if mixed else ""
        return f"{fmt_mg(dose.mg)} mg{drug} = {units_in_words(dose.units)}"

    def kind_text(self, row: int) -> str:
        """The step's kind in a word. A 'reduce' step that does not lower the dose
        (the rest of a step after a hold, or where a revision begins) reads
        'Continue', not 'Cut'. A hold's reason is its tooltip and in the review's
        summary: in the cell it would crowd out the doses."""
        step = self._steps[row]
        if step.kind == "reduce" and row and step.diazepam_eq_mg >= self._steps[row - 1].diazepam_eq_mg:
            return "Continue"
        return KIND_WORDS.get(step.kind, step.kind)

    # -- the Qt model ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FIXED_BEFORE) + len(self._times)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._steps):
            return None
        col = index.column()
        if not 0 <= col < self.columnCount():
            return None
        step = self._steps[index.row()]
        if role == StepRole:
            return step
        key = self._keys()[col]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "start":
                return step.start.isoformat()
            if key == "end":
                return step.end.isoformat()
            if key == "days":
                return str(step.days)
            if key == "kind":
                return self.kind_text(index.row())
            if key == "eq":
                return fmt_mg(step.diazepam_eq_mg)
            return self.dose_text(step, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "kind" and step.reason:
            return f"Hold: {step.reason}"
        if role == Qt.ItemDataRole.ToolTipRole and key in TIMES:
            dose = next((d for d in step.doses if d.time == key), None)
            return f"{dose.drug}: {units_compact(dose.units)}" if dose else "no dose"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in ("days", "eq"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self._steps) else None
        if not 0 <= section < self.columnCount():
            return None
        if section < len(FIXED_BEFORE):
            return FIXED_BEFORE[section][1]
        return self._times[section - len(FIXED_BEFORE)].capitalize()
