"""The Symptoms tab: the quick daily rating at the top, a button per scale, the
symptom–dose plot, and every entry with its history below, where a current
entry can be corrected (a new version) or retracted (with a reason). Every
dialog opens through run_dialog(); everything is read and written through
storage functions."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import records as clinic_records
from taperdesk.core.in_force import InForce
from taperdesk.core.plan import Plan
from taperdesk.core.side_effects import DAILY, side_effect_points
from taperdesk.storage import Clinician, StorageError, SymptomEntry
from taperdesk.ui.patient_dialog import ERROR_STYLE
from taperdesk.ui.symptoms.entries_table import COLUMNS, EntriesModel, RetractDialog, entry_definitions
from taperdesk.ui.symptoms.entry_dialog import ScaleEntryDialog
from taperdesk.ui.symptoms.plot import Series, SymptomPlot
from taperdesk.ui.symptoms.quick_row import QuickDailyRow

NOTE_COLUMN = [title for title, _ in COLUMNS].index("Note")
# mnemonics clear of the menus (F P V H), the tabs (Y I), the quick row (S L N T U),
# the entries (E O A) and the plot's toggles (R and each series' first letter)
SIDE_EFFECT_TITLES = {"drowsy": "Drowsy", "falls": "Falls", "confused": "Confused", "memory": "Memory"}  # side effects
SCALE_BUTTONS = {"ciwa-b": "CI&WA-B…", "bwsq": "BWS&Q…", "daily": "Daily ratin&g…"}


class SymptomsTab(QWidget):
    """set_patient() loads at once when the tab is shown, else when it is next shown."""

    entriesChanged = Signal()  # noqa: N815 (Qt signal naming)
    dayClicked = Signal(object)  # noqa: N815: a date, from the plot
    holdRequested = Signal(object)  # noqa: N815: a reason (str), from the flare banner

    def __init__(self, parent: QWidget | None = None, *, author: Clinician, today: dt.date) -> None:
        super().__init__(parent)
        self._author, self._today = author, today
        self._patient_id: int | None = None
        self._plan: Plan | InForce | None = None  # the course (plan and status history), or a bare plan
        self._stale = False
        # why this account may not change entries here (role, patient held elsewhere); "" when it may.
        # Every place that enables an entry button asks it, so selecting a row cannot undo a refusal.
        self.refusal = ""
        self.definitions = storage.scale_definitions()
        # the definition each entry was made with, by (scale, version): a stored version never
        # changes (append-only), so each is read once for this clinic, not once per patient shown
        self._made_with: dict = {}

        self.quick = QuickDailyRow(self, author=author, today=today)
        self.quick.saved.connect(self._saved)
        self.quick.correctRequested.connect(self._correct_from_quick)
        self.scale_buttons: dict[str, QPushButton] = {}
        self._buttons = QHBoxLayout()
        self._buttons.addWidget(QLabel("Enter a scale:"))
        self._buttons.addStretch(1)
        self._make_scale_buttons()

        self.plot = SymptomPlot(self, today=today)
        self.plot.dateClicked.connect(self.dayClicked)

        self.model = EntriesModel(self)
        self.table = QTableView(objectName="entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        # fixed widths from the font: ResizeToContents would read every row of years of entries on each switch
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        width = self.table.fontMetrics().horizontalAdvance("0")
        for column, chars in enumerate((11, 16, 14, 10, 12)):
            header.resizeSection(column, width * chars + 16)
        header.setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.correct_selected())
        self.correct_button = QPushButton("C&orrect…", objectName="correct")
        self.correct_button.clicked.connect(self.correct_selected)
        self.retract_button = QPushButton("Re&tract…", objectName="retract")
        self.retract_button.clicked.connect(self.retract_selected)
        self.message = QLabel(objectName="message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setVisible(False)

        entries = QWidget()
        entries_layout = QVBoxLayout(entries)
        entries_layout.setContentsMargins(0, 4, 0, 0)
        heading = QHBoxLayout()
        label = QLabel("&Entries (corrected and retracted versions greyed; nothing is deleted)")
        label.setBuddy(self.table)
        heading.addWidget(label, 1)
        heading.addWidget(self.correct_button)
        heading.addWidget(self.retract_button)
        entries_layout.addLayout(heading)
        entries_layout.addWidget(self.message)
        entries_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.plot)
        splitter.addWidget(entries)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([550, 350])  # in proportion: the plot over a table of a dozen rows

        layout = QVBoxLayout(self)
        layout.addWidget(self.quick)
        layout.addLayout(self._buttons)
        layout.addWidget(splitter, 1)
        chain = [self.quick.save_button, *self.scale_buttons.values(), self.table, self.correct_button,
                 self.retract_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.set_patient(None, None)

    # -- public -------------------------------------------------------------
    @property
    def patient_id(self) -> int | None:
        return self._patient_id

    def set_patient(self, patient_id: int | None, plan: Plan | InForce | None) -> None:
        self._patient_id, self._plan = patient_id, plan
        self.quick.set_patient(patient_id)
        self._enable_scale_buttons()
        if patient_id is None or self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def set_author(self, author: Clinician) -> None:
        """After the lock, whoever signed in enters from now on."""
        self._author = author
        self.quick.set_author(author)

    def refresh(self) -> None:
        self._stale = False
        self.message.setVisible(False)
        entries: list[SymptomEntry] = []
        names: dict[int, str] = {}
        made_with: dict = {}
        if self._patient_id is not None:
            try:
                self.definitions = storage.scale_definitions()
                entries = storage.symptom_entries(patient_id=self._patient_id, include_history=True)
                names = {c.id: c.name for c in storage.list_clinicians(include_inactive=True)}
                made_with = entry_definitions(entries, known=self._made_with)
            except StorageError as exc:
                entries, made_with = [], {}
                self._say(f"The symptom entries cannot be shown: {exc}")
            self._make_scale_buttons()
            self._enable_scale_buttons()
        self.model.set_entries(entries, names=names, definitions=made_with)
        self._update_plot([row.entry for row in self.model.records() if row.current])
        self._update_buttons()

    def run_dialog(self, dialog: QDialog) -> bool:
        """Every dialog of the tab opens here (tests drive them through this one door)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def enter_scale(self, key: str) -> SymptomEntry | None:
        """Open the entry dialog of a scale; the saved entry, or None."""
        if self._patient_id is None or key not in self.definitions or not self.definitions[key].usable:
            return None
        return self._open(ScaleEntryDialog(self, definition=self.definitions[key], patient_id=self._patient_id,
                                           author=self._author, today=self._today))

    def select_entry(self, entry_id: int) -> bool:
        for row, record in enumerate(self.model.records()):
            if record.entry.id == entry_id:
                index = self.model.index(row, 0)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return True
        return False

    def selected_row(self):
        index = self.table.selectionModel().currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def correct_selected(self, scores: dict[str, int] | None = None) -> SymptomEntry | None:
        row = self.selected_row()
        if row is None or not row.current:
            return None
        if row.definition is None:
            self._say(f"The scale {row.entry.scale!r} is no longer defined, so this entry cannot be corrected here.")
            return None
        dialog = ScaleEntryDialog(self, definition=row.definition, patient_id=row.entry.patient_id,
                                  author=self._author, today=self._today, correcting=row.entry)
        for key, value in (scores or {}).items():
            dialog.set_score(key, value)
        return self._open(dialog)

    def retract_selected(self) -> SymptomEntry | None:
        row = self.selected_row()
        if row is None or not row.current:
            return None
        title = row.definition.title if row.definition else row.entry.scale
        dialog = RetractDialog(self, entry=row.entry, title=title)
        if not self.run_dialog(dialog):
            return None
        try:
            retraction = clinic_records.retract_symptom_entry(entry_id=row.entry.id, reason=dialog.value(),
                                                       author=self._author)
        except StorageError as exc:
            self._say(f"Not retracted: {exc}")
            return None
        self._saved(retraction, select=row.entry.id)
        return retraction

    # -- inside -------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _open(self, dialog: ScaleEntryDialog) -> SymptomEntry | None:
        if not self.run_dialog(dialog) or dialog.saved_entry() is None:
            return None
        self._saved(dialog.saved_entry())
        return dialog.saved_entry()

    def _saved(self, entry: SymptomEntry, select: int | None = None) -> None:
        self.refresh()
        self.select_entry(select or entry.id)
        self.entriesChanged.emit()

    def _correct_from_quick(self, entry: SymptomEntry) -> None:
        if self._stale:
            self.refresh()
        if self.select_entry(entry.id) and self.correct_selected(self.quick.typed_scores()) is not None:
            self.quick.clear()

    def _make_scale_buttons(self) -> None:
        """A button per scale in use (a clinic's own scale gets one once it is saved)."""
        keys = [*(k for k in SCALE_BUTTONS if k in self.definitions),
                *(k for k in self.definitions if k not in SCALE_BUTTONS)]
        if keys == list(self.scale_buttons):
            return
        for button in self.scale_buttons.values():
            self._buttons.removeWidget(button)
            button.deleteLater()
        self.scale_buttons = {}
        for n, key in enumerate(keys, start=1):
            text = SCALE_BUTTONS.get(key) or self.definitions[key].title.replace("&", "&&") + "…"
            button = QPushButton(text, self, objectName=f"enter_{key}")
            button.clicked.connect(lambda _checked=False, key=key: self.enter_scale(key))
            self._buttons.insertWidget(n, button)
            self.scale_buttons[key] = button
        chain = [self.quick.save_button, *self.scale_buttons.values()]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self._enable_scale_buttons()

    def _enable_scale_buttons(self) -> None:
        """A scale's button works for a patient; a licensed scale without its wording says why instead."""
        for key, button in self.scale_buttons.items():
            definition = self.definitions.get(key)
            usable = definition is not None and definition.usable
            button.setEnabled(self._patient_id is not None and usable and not self.refusal)
            button.setToolTip(self.refusal or ("" if usable or definition is None else
                              f"{definition.title} cannot be used yet: {definition.needs_wording}"))

    def _update_plot(self, current: list[SymptomEntry]) -> None:
        """Each scale with entries as a series of its value (the headline item's score, or the total)."""
        by_scale: dict[str, list[SymptomEntry]] = {}
        for entry in current:  # one pass over the entries, each scale's in the order given
            by_scale.setdefault(entry.scale, []).append(entry)
        series = []
        for key, definition in self.definitions.items():
            mine = by_scale.get(key, ())
            head = definition.headline
            if head:
                points = [(e.date, value) for e in mine if (value := e.items.get(head)) is not None]
            else:
                points = [(e.date, e.total) for e in mine]
            if points:
                low, high = definition.value_range
                series.append(Series(key, definition.title, tuple(points), low, high, definition.bands))
        daily = self.definitions.get(DAILY)
        found = side_effect_points((e.date, e.scale, e.items) for e in by_scale.get(DAILY, ()))
        for key, points in found.items():  # beside the scales: a row per side effect the patient has recorded
            if daily is not None and any(i.key == key for i in daily.items):
                item = daily.item(key)
                series.append(Series(f"{DAILY}:{key}", SIDE_EFFECT_TITLES[key], tuple(points), item.low, item.high))
        self.plot.set_data(self._plan, series)

    def refresh_buttons(self) -> None:
        """Entry buttons as the patient, the selection and `refusal` allow."""
        self._enable_scale_buttons()
        self._update_buttons()
        for button in (self.correct_button, self.retract_button):
            button.setToolTip(self.refusal)

    def _update_buttons(self, *_args) -> None:
        row = self.selected_row()
        can = row is not None and row.current and not self.refusal
        self.correct_button.setEnabled(can)
        self.retract_button.setEnabled(can)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
