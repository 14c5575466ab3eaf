"""The BWSQ is licensed (Imperial College London; clinical reference section 7):
TaperDesk ships its structure only, keeps it unusable and says why, until a
clinician types the wording of the clinic's licensed copy into a form, one
line per question (not a JSON box). Then it is a new version and can be used."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from taperdesk import storage
from taperdesk.ui.scale_wording import ScaleWordingDialog
from taperdesk.ui.supervision_settings import SupervisionSettingsDialog
from taperdesk.ui.symptoms import SymptomsTab

TODAY = dt.date(2026, 12, 1)


def test_the_symptoms_tab_keeps_the_bwsq_button_off_and_says_why(qtbot, clinician):
    patient = storage.add_patient(name="Ana López", born=dt.date(1970, 5, 1), identifier="TD-1", author=clinician)
    tab = SymptomsTab(author=clinician, today=TODAY)
    qtbot.addWidget(tab)
    tab.show()
    tab.set_patient(patient.id, None)
    button = tab.scale_buttons["bwsq"]
    assert not button.isEnabled() and tab.scale_buttons["ciwa-b"].isEnabled()
    assert button.toolTip().startswith("BWSQ cannot be used yet: the BWSQ is licensed by Imperial College London")
    assert tab.enter_scale("bwsq") is None


def test_the_wording_is_entered_in_a_form_then_the_bwsq_can_be_used(qtbot, clinician):
    settings = SupervisionSettingsDialog(author=clinician)
    qtbot.addWidget(settings)
    settings.show()
    settings.scale.setCurrentIndex(settings.scale.findData("bwsq"))
    assert not settings.wording_button.isHidden()
    assert "Cannot be used yet:" in settings.versions.text() and "Imperial College London" in settings.versions.text()
    settings.scale.setCurrentIndex(settings.scale.findData("ciwa-b"))
    assert settings.wording_button.isHidden()
    settings.scale.setCurrentIndex(settings.scale.findData("bwsq"))

    seen = []

    def type_wording(dialog: ScaleWordingDialog) -> bool:
        seen.append(dialog)
        fields = dialog.findChildren(QLineEdit)
        assert len(fields) == 20 and not dialog.findChildren(QPlainTextEdit)  # a form, one line per question
        assert "Imperial College London" in dialog.findChild(type(dialog.problem), "why").text()
        assert not dialog.save_button.isEnabled() and dialog.problem.text().startswith("20 question(s) still empty")
        for n, field in enumerate(fields[:19], start=1):
            field.setText(f"Licensed question {n}")
        assert not dialog.save_button.isEnabled() and "20" in dialog.problem.text()
        fields[19].setText("Licensed question 20")
        assert dialog.save_button.isEnabled()
        dialog.accept()
        return dialog.result() == 1

    settings.run_dialog = type_wording
    settings.wording_button.click()
    assert seen and settings.message.text() == "Saved the wording of BWSQ as version 2: it can be used now."
    bwsq = storage.scale_definitions()["bwsq"]
    assert bwsq.version == 2 and bwsq.usable and not bwsq.unverified
    assert [i.text for i in bwsq.items] == [f"Licensed question {n}" for n in range(1, 21)]
    assert [(i.key, i.low, i.high) for i in bwsq.items] == [(f"bwsq_{n:02d}", 0, 2) for n in range(1, 21)]
    assert storage.scale_definition(key="bwsq", version=1).needs_wording  # the shipped version stays as it was

    patient = storage.add_patient(name="Ana López", born=dt.date(1970, 5, 1), identifier="TD-1", author=clinician)
    entry = storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="bwsq",
                                      items={f"bwsq_{n:02d}": 1 for n in range(1, 21)}, author=clinician)
    assert entry.total == 20 and entry.scale_version == 2
    tab = SymptomsTab(author=clinician, today=TODAY)
    qtbot.addWidget(tab)
    tab.show()
    tab.set_patient(patient.id, None)
    assert tab.scale_buttons["bwsq"].isEnabled() and tab.scale_buttons["bwsq"].toolTip() == ""
