"""The clinic edits its flare thresholds and scales; bad definitions are refused, saving makes a version."""

import json

from taperdesk import storage
from taperdesk.ui.supervision_settings import SupervisionSettingsDialog


def test_thresholds_are_saved_as_clinic_settings(qtbot, clinician):
    dialog = SupervisionSettingsDialog(author=clinician)
    qtbot.addWidget(dialog)
    dialog.fields["daily_rise"].setValue(2.0)
    dialog.fields["window_days"].setValue(21)
    assert dialog.save_thresholds()
    rule = storage.flare_rule()
    assert rule.daily_rise == 2.0 and rule.window_days == 21


def test_a_scale_edit_is_checked_then_saved_as_a_new_version(qtbot, clinician):
    dialog = SupervisionSettingsDialog(author=clinician)
    qtbot.addWidget(dialog)
    dialog.scale.setCurrentIndex(dialog.scale.findData("daily"))
    data = json.loads(dialog.editor.toPlainText())
    data["items"][0]["high"] = 0  # low 0, high 0: refused
    dialog.editor.setPlainText(json.dumps(data))
    assert dialog.check_scale() is None and "Not a valid scale" in dialog.message.text()
    assert not dialog.save_scale()
    dialog.editor.setPlainText("{ not json")
    assert dialog.check_scale() is None and "line 1" in dialog.message.text()
    data["items"][0]["high"] = 10
    data["title"] = "Daily rating (clinic wording)"
    dialog.editor.setPlainText(json.dumps(data))
    assert dialog.save_scale()
    assert storage.scale_definitions()["daily"].version == 3  # shipped as version 2
    assert storage.scale_definition(key="daily", version=1).title != "Daily rating (clinic wording)"


def test_a_new_scale_can_be_added(qtbot, clinician):
    dialog = SupervisionSettingsDialog(author=clinician)
    qtbot.addWidget(dialog)
    dialog.new_scale()
    assert dialog.save_scale()
    assert "my-scale" in storage.scale_definitions()
