"""In the app: the wizard's prescriber and supply box saves the plan's own
prescriber (then printed on the papers), the next review date is set from the
Plan menu, and the hold dialog says what the patient's handout will say."""

from __future__ import annotations

from datetime import date

import pytest

from taperdesk import storage
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.patient_text import HOLD_WORDS
from taperdesk.ui.paper_choice import NO_PRESCRIBER, PaperChoice, ReviewDateDialog
from taperdesk.ui.supervision_dialogs import HoldDialog
from taperdesk.ui.workspace import Workspace

TODAY = date(2026, 12, 1)


@pytest.fixture
def window(qtbot, clinician, monkeypatch):
    monkeypatch.setattr(Workspace, "run_dialog", lambda self, dialog: False)
    settings = storage.get_clinic_settings()
    from dataclasses import replace

    storage.save_clinic_settings(settings=replace(settings, prescribers=("Dr Ines Okafor", "Dr Sam Lee")),
                                 author=clinician)
    patient = storage.add_patient(name="Анна Петрова", born=date(1988, 2, 3), identifier="TD-0002", author=clinician)
    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    w.select_patient(patient.id)
    return w


def test_wizard_box_lists_the_clinics_prescribers_and_saves_the_plans_choice(window):
    wizard = window.make_wizard()
    box = wizard.paper_choice
    assert isinstance(box, PaperChoice) and box.isVisibleTo(wizard.approach_page) is not None
    assert [box.prescriber.itemText(i) for i in range(box.prescriber.count())] == \
        ["Dr Ines Okafor", "Dr Sam Lee", NO_PRESCRIBER]
    box.prescriber.setCurrentIndex(1)
    box.supply.setCurrentIndex(1)
    assert box.values() == ("Dr Sam Lee", 14)
    settings = PlanSettings(start=TODAY)
    assert window.save_new_plan(make_plan(Regimen("diazepam", (("night", 10.0),)), settings), settings)
    assert window.save_plan_paper(*box.values())
    assert storage.plan_paper(plan_id=window.current.record.id) == storage.PlanPaper("Dr Sam Lee", 14)
    wizard.deleteLater()


def test_review_date_is_saved(window, qtbot):
    dialog = ReviewDateDialog(window, current=None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.when.setDate(dialog.when.date().addDays(14))
    assert dialog.value() == date(2026, 12, 15)
    assert window.save_review_date(dialog.value())
    assert storage.review_date(patient_id=window.patient_id) == date(2026, 12, 15)
    dialog.none.setChecked(True)
    assert dialog.value() is None and not dialog.when.isEnabled()


def test_hold_dialog_says_what_the_patient_sees(qtbot):
    dialog = HoldDialog(None, start=TODAY, earliest=TODAY, latest=date(2027, 6, 1))
    qtbot.addWidget(dialog)
    assert HOLD_WORDS in dialog.patient_sees.text() and "clinical record" in dialog.patient_sees.text()
