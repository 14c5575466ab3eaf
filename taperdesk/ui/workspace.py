"""The main window: patients on the left, the patient page (Plan, Symptoms,
History) on the right, every action in a menu with a shortcut. Changes go
through taperdesk.clinic.plans with the signed-in clinician as author."""

from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.typed_dates import day_first_for
from taperdesk.clinic import plans as operations
from taperdesk.clinic.interactions import also_takes, plan_findings
from taperdesk.ui.history import HistoryTab
from taperdesk.ui.idle import IdleWatcher
from taperdesk.ui.patient_list import PatientListModel
from taperdesk.ui.plan_tab import PlanTab
from taperdesk.ui.flare_banner import FlareBanner
from taperdesk.ui.record_check import RecordBanner
from taperdesk.ui.warm_up import warm_up
from taperdesk.ui.workspace_accounts import AccountActions
from taperdesk.ui.workspace_clinic import ClinicActions
from taperdesk.ui.workspace_day import DayFollower
from taperdesk.ui.workspace_handouts import HandoutActions
from taperdesk.ui.workspace_patients import PatientActions
from taperdesk.ui.workspace_side_by_side import SideBySide
from taperdesk.ui.workspace_support import SupportActions
from taperdesk.ui.workspace_plans import STATUS_MENU, PlanActions


class Workspace(PatientActions, ClinicActions, AccountActions, SideBySide, PlanActions, HandoutActions, SupportActions,
                DayFollower, QMainWindow):
    def __init__(self, *, clinician: storage.Clinician, today: date | None = None, idle_minutes: float | None = None,
                 read_only: bool = False):
        super().__init__()
        self.clinician = clinician
        self.today = today or date.today()
        self.read_only = read_only
        self.patient_id: int | None = None
        self.current: operations.PatientPlan | None = None
        self.last_message = ""
        self._boxes: list[QMessageBox] = []
        self.setWindowTitle("TaperDesk" + (" (read-only)" if read_only else ""))
        self._build_actions()
        self.start_side_by_side()
        self._build_widgets()
        self._build_menus()
        if idle_minutes is None:  # a preference (QSettings), 10 minutes unless the clinic set another
            idle_minutes = float(QSettings().value("workspace/idle_minutes", 10))
        self.idle = IdleWatcher(idle_minutes, self)
        QApplication.instance().installEventFilter(self.idle)  # any key or click anywhere counts as use
        self.idle.idle.connect(self.lock)
        self.follow_the_day(fixed=today is not None)
        self._restore_geometry()
        self.patients.refresh()
        self._update_actions()
        self.show_status(f"Signed in as {clinician.name}.")
        self.today_view.start(self.show_status)  # a large first roll of the day runs on a worker
        QTimer.singleShot(0, warm_up)  # the plotting library loads while the first screen is read

    @property
    def catalogue(self):
        return load_catalogue()  # cached after the first call; not needed until a wizard or the settings open

    # -- construction ---------------------------------------------------------
    def _action(self, name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip or text.replace("&", "").rstrip("."))
        action.triggered.connect(slot)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        a = self._action
        a("new_patient", "&New patient…", self.new_patient, "Ctrl+N")
        a("edit_patient", "&Edit patient…", self.edit_patient, "Ctrl+E")
        a("settings", "Clinic &settings…", self.clinic_settings, "Ctrl+,")
        a("supervision", "Symptom scales and &flare rule…", self.supervision_settings)
        a("support_list", "Su&pport offered…", self.support_list, tip="The non-drug support the clinic offers")
        a("agree_support", "Support a&greed…", self.agree_support, tip="The non-drug support agreed with the patient")
        a("backup", "&Back up now", self.backup_now, "Ctrl+B")
        a("clinicians", "&Clinicians…", self.clinicians_dialog, tip="Accounts and their roles")
        a("password", "Change my pass&word…", lambda: self.change_password_dialog())
        a("lock", "&Lock", self.lock, "Ctrl+L")
        a("quit", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        a("find", "F&ind patient", self.focus_search, "Ctrl+F")
        a("today", "&Today: who needs me", self.show_today, "Ctrl+T")
        a("new_plan", "New &plan…", self.new_plan, "Ctrl+Shift+N")
        a("hold", "&Hold…", lambda: self.hold_dialog(), "Ctrl+H")
        a("revise", "&Revise…", self.revise_dialog, "Ctrl+R")
        a("start", "&Start plan…", self.start_draft, "Ctrl+Shift+S", "Start a draft plan")
        for key, (text, keys) in STATUS_MENU.items():
            a(key, text, lambda _=False, k=key: self.status_dialog(k), keys)
        a("handout", "Patient &handout…", lambda: self.make_handout("patient"), "Ctrl+P")
        a("summary", "Clinician &summary…", lambda: self.make_handout("clinician"), "Ctrl+Shift+P")
        a("review", "Next re&view date…", self.review_dialog)
        a("delegate", "Let &nurses hold…", self.delegate_dialog, tip="Let nurses hold this plan")
        a("pharmacy", "Pharmacy &order…", lambda: self.make_handout("pharmacy"))
        a("dosebox", "&Dose-box sheet…", lambda: self.make_handout("dosebox"))
        a("reprint", "Re&print an earlier handout…", self.reprint_dialog)
        a("export_ics", "Export the calendar (.&ics)…", lambda: self.export_file("ics"))
        a("export_csv", "Export the doses (&CSV)…", lambda: self.export_file("csv"))
        a("about", "&About TaperDesk", self.about)

    def _build_widgets(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, identifier or birth date (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.patients = PatientListModel(self, today=self.today)
        self.patients.day_first = day_first_for(storage.get_clinic_settings().paper_size)
        self.search.setToolTip("A name, an identifier, or a birth date as "
                               + ("12/03/1956 or 1956-03-12" if self.patients.day_first else "03/12/1956 or 1956-03-12"))
        self.search.textChanged.connect(self.patients.set_search)
        self.table = QTableView()
        self.table.setModel(self.patients)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; the arrow keys move within it
        # columns fit what is on screen: precision 0 reads only the visible rows (their
        # plans are fetched for painting anyway), never every row on each keystroke
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(0)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.sectionResized.connect(lambda *_: getattr(self, "_split_chosen", True) or self._default_split())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _: self._row_selected(cur.row()))
        self.patients.modelReset.connect(self._reselect)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        self.attention_only = QCheckBox("&Just the patients who need attention today")
        self.attention_only.setToolTip("A flare after a cut, a step change this week, a review overdue, or no symptoms recorded since the last cut")
        self.attention_only.toggled.connect(self.patients.set_attention_only)
        self.show_archived = QCheckBox("Show archi&ved patients")
        self.show_archived.setToolTip("List archived patients too, so they can be found and unarchived")
        self.show_archived.toggled.connect(self.patients.set_show_archived)
        self.unarchive_button = QPushButton("&Unarchive")
        self.unarchive_button.setToolTip("Bring the selected archived patient back to the list")
        self.unarchive_button.clicked.connect(self.unarchive_selected)
        self.unarchive_button.setVisible(False)
        filters = QHBoxLayout()
        filters.addWidget(self.show_archived)
        filters.addWidget(self.unarchive_button)
        filters.addStretch(1)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.attention_only)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table)

        self.header = QLabel("Choose a patient on the left, or add one (Ctrl+N).")
        self.header.setWordWrap(True)
        a = self.actions_by_name
        self.plan_tab = PlanTab([a[n] for n in ("new_plan", "start", "hold", "revise", "pause", "resume", "complete",
                                                "stop")])
        # the Symptoms tab (and pyqtgraph with it) is built when first opened: start-up stays quick
        self.symptoms_host = QWidget()
        QVBoxLayout(self.symptoms_host).setContentsMargins(0, 0, 0, 0)
        self._symptoms = None
        self.flare_banner = FlareBanner()
        self.flare_banner.hold.clicked.connect(self.hold_for_flare)
        self.history_tab = HistoryTab()
        reprint = QToolButton()  # a printed handout is reprinted from the history, byte for byte
        reprint.setDefaultAction(self.actions_by_name["reprint"])
        self.history_tab.layout().addWidget(reprint)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.plan_tab, "Pl&an")
        self.tabs.addTab(self.symptoms_host, "S&ymptoms")
        self.tabs.currentChanged.connect(lambda i: self.symptoms_tab if self.tabs.widget(i) is self.symptoms_host else None)
        self.tabs.addTab(self.history_tab, "H&istory")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.in_use_banner)
        right_layout.addWidget(self.flare_banner)
        self.record_banner = RecordBanner()
        right_layout.addWidget(self.record_banner)
        right_layout.addWidget(self.tabs, 1)

        from taperdesk.ui.today_view import TodayView

        self.today_view = TodayView(today=self.today)  # the landing page, until a patient is chosen
        self.today_view.openPatient.connect(self.open_patient_at)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.today_view)
        self.pages.addWidget(right)
        self.splitter = QSplitter()
        self.splitter.setObjectName("patientSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.splitterMoved.connect(self._save_splitter)
        self.setCentralWidget(self.splitter)
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.tabs)

    def _build_menus(self) -> None:
        a = self.actions_by_name
        # Alt+letter on the menu bar must not also reach a button or tab of the window (a test
        # walks every window for clashes): so View and Help have no letter (F10 reaches them)
        menus = {
            "&File": ["new_patient", "edit_patient", "find", None, "settings", "supervision", "support_list", "backup", None, "clinicians",
                      "password", "lock",
                      "quit"],
            "&Plan": ["new_plan", "start", "hold", "revise", None, "pause", "resume", "complete", "stop", None,
                      "review", "delegate", "agree_support"],
            "&Handouts": ["handout", "summary", "pharmacy", "dosebox", "reprint", None, "export_ics", "export_csv"],
            "View": ["today", "find"],
            "Help": ["about"],
        }
        for title, names in menus.items():
            menu = self.menuBar().addMenu(title)
            for name in names:
                menu.addSeparator() if name is None else menu.addAction(a[name])

    # -- settings, messages ---------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("workspace/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)
        state = QSettings().value("workspace/splitter")
        self._split_chosen = isinstance(state, QByteArray) and not state.isEmpty() and self.splitter.restoreState(state)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if not getattr(self, "_split_chosen", True):  # until the user moves it: the list's columns' width
            QTimer.singleShot(0, self._default_split)  # once the splitter has its new width

    def _default_split(self) -> None:
        """The list as wide as its columns need, leaving the patient page the room
        its calendar and "What to take" need (about 760 pixels)."""
        if self._split_chosen:
            return
        header = self.table.horizontalHeader()
        wanted = sum(header.sectionSize(i) for i in range(header.count())) + 40
        total = max(self.splitter.width() - self.splitter.handleWidth(), 800)
        left = max(360, min(wanted, total - 760))
        self.splitter.setSizes([left, total - left])

    def _save_splitter(self, *_args) -> None:
        """The clinician's own split between the list and the patient page, kept for next time."""
        self._split_chosen = True
        QSettings().setValue("workspace/splitter", self.splitter.saveState())

    def closeEvent(self, event) -> None:  # noqa: N802
        self.poll_timer.stop()
        self.let_go_of_patients()
        QApplication.instance().removeEventFilter(self.idle)
        QSettings().setValue("workspace/geometry", self.saveGeometry())
        if self._split_chosen:
            self._save_splitter()
        super().closeEvent(event)

    def show_status(self, text: str) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, 8000)

    def report(self, text: str, *, title: str = "TaperDesk") -> None:
        """Tell the user what went wrong and what to do, without blocking (tests read last_message)."""
        self.last_message = text
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.finished.connect(lambda _: self._boxes.remove(box))
        self._boxes.append(box)
        box.open()

    def _guarded(self, what: str, call):
        try:
            return call()
        except (operations.OperationError, storage.StorageError, ValueError) as exc:
            self.report(f"{what}: {exc}")
            return None

    # -- the patient shown -----------------------------------------------------
    def show_patient(self, patient_id: int | None) -> None:
        other_patient = patient_id != self.patient_id
        previous, self.patient_id = self.patient_id, patient_id
        self.hold_patient(previous, patient_id)
        self.pages.setCurrentIndex(0 if patient_id is None else 1)
        if patient_id is None:
            self.current = None
            self.unarchive_button.setVisible(False)
            self.header.setText("Choose a patient on the left, or add one (Ctrl+N).")
            self.plan_tab.show_plan(None)
            self.history_tab.set_patient(None)
            if self._symptoms is not None:
                self._symptoms.set_patient(None, None)
            self.flare = None
            self.flare_banner.show_flare(None)
        else:
            patient = storage.get_patient(patient_id=patient_id)
            self.current = self.patients.plan_of(patient_id)
            self.unarchive_button.setVisible(patient.archived)
            self.unarchive_button.setEnabled(patient.archived and not self.read_only)
            self.header.setText(
                f"<b style='font-size:14pt'>{patient.name}</b> &nbsp; {patient.identifier} &nbsp;·&nbsp; "
                f"born {patient.born.isoformat()}" + (" &nbsp;·&nbsp; <b>archived</b>" if patient.archived else "")
                + (f"<br>{html.escape(also)}" if (also := also_takes(patient_id=patient_id)) else "")
            )
            days = storage.symptom_days(patient_id=patient_id) if self.current else set()
            self.plan_tab.calendar.set_today(self.today)
            found = plan_findings(patient_id=patient_id, plan=self.current.plan) if self.current else None
            self.plan_tab.show_plan(self.current, days, go_today=other_patient, interactions=found)
            self.history_tab.set_patient(patient_id)
            if self._symptoms is not None:
                self._symptoms.set_patient(patient_id, self.current.course if self.current else None)
            self.flare = operations.patient_flare(info=self.current, today=self.today)
            self.flare_banner.show_flare(self.flare)
        self.record_banner.show_problems(self.patients.flagged.get(patient_id, []) if patient_id else [])
        self._update_actions()

    def _plan_changed(self, message: str) -> None:
        self.patients.forget_patient(self.patient_id)
        self.show_patient(self.patient_id)
        self.today_view.refresh()
        self.show_status(message)

    @property
    def symptoms_tab(self):
        """The Symptoms tab, built on first use."""
        if self._symptoms is None:
            from taperdesk.ui.symptoms import SymptomsTab

            tab = SymptomsTab(author=self.clinician, today=self.today)
            tab.entriesChanged.connect(lambda: self._plan_changed("Symptom record saved."))
            tab.dayClicked.connect(self.show_day)
            tab.holdRequested.connect(lambda reason: self.hold_dialog(start=self.today, days=14, reason=reason))
            self.symptoms_host.layout().addWidget(tab)
            self._symptoms = tab
            if self.patient_id is not None:
                tab.set_patient(self.patient_id, self.current.course if self.current else None)
            self.lock_symptoms()
        return self._symptoms

    def show_day(self, day: date) -> None:
        """A point on the symptom plot was clicked: show that day on the calendar."""
        self.tabs.setCurrentWidget(self.plan_tab)
        self.plan_tab.calendar.select_date(day)

    def hold_for_flare(self) -> bool:
        """The banner's button opens the hold dialog filled in (from today, 14 days,
        the flare as the reason): the clinician reads it and saves, or cancels."""
        if self.flare is None or self.current is None:
            return False
        return self.hold_dialog(start=self.today, days=14, reason=f"Flare: {self.flare.text}")

    def _update_actions(self) -> None:
        a = self.actions_by_name
        status = self.current.record.status if self.current else None
        writable = not self.read_only
        clinician = writable  # what the roles allow is applied below (apply_roles)
        a["new_patient"].setEnabled(writable)
        a["edit_patient"].setEnabled(writable and self.patient_id is not None)
        a["settings"].setEnabled(clinician)
        a["supervision"].setEnabled(clinician)
        a["support_list"].setEnabled(clinician)
        a["agree_support"].setEnabled(writable and self.patient_id is not None)
        a["new_plan"].setEnabled(clinician and self.patient_id is not None and status not in operations.OPEN_STATUSES)
        a["start"].setEnabled(clinician and status == "draft")
        a["hold"].setEnabled(clinician and status in ("active", "paused"))
        a["revise"].setEnabled(clinician and status in operations.OPEN_STATUSES)
        a["pause"].setEnabled(clinician and status == "active")
        a["resume"].setEnabled(clinician and status == "paused")
        a["complete"].setEnabled(clinician and status in ("active", "paused"))
        a["stop"].setEnabled(clinician and status in operations.OPEN_STATUSES)
        self.flare_banner.hold.setEnabled(clinician and status == "active")
        has_plan = self.current is not None
        for name in ("handout", "summary", "pharmacy", "dosebox", "reprint", "export_ics", "export_csv"):
            a[name].setEnabled(has_plan and (writable or name.startswith("export")))
        a["delegate"].setEnabled(writable and status in ("active", "paused"))
        a["clinicians"].setEnabled(True)
        a["password"].setEnabled(writable)
        self.apply_roles()
        self.apply_in_use()
        self.lock_symptoms()

    def run_dialog(self, dialog: QDialog) -> bool:
        """Every dialog of the workspace opens here (tests drive them through this one door)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    # -- for tests and start-up -------------------------------------------------
    def shown_plan_days(self, first: date, days: int) -> list[str]:
        return [self.plan_tab.calendar.cell(first + timedelta(days=i)).total_text for i in range(days)]
