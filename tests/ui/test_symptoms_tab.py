"""The Symptoms tab: scales entered through its buttons and quick row land in the
entries table and on the plot; a correction adds a version and a retraction
keeps the entry, both shown with their status; dialogs open through run_dialog."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel

from taperdesk import storage
from tests.bwsq import enter_bwsq_wording
from taperdesk.ui.symptoms import EntriesModel, RetractDialog, ScaleEntryDialog, SymptomsTab
from taperdesk.ui.symptoms.plot import SymptomPlot, day_x

TODAY = dt.date.today()  # storage refuses entries dated after the real today
YESTERDAY = TODAY - dt.timedelta(days=1)
CIWA_26 = [2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1]


@pytest.fixture
def patient(clinician):
    return storage.add_patient(name="Ana López", born=dt.date(1970, 5, 1), identifier="TD-0001", author=clinician)


@pytest.fixture
def tab(qtbot, clinician, patient):
    t = SymptomsTab(author=clinician, today=TODAY)
    qtbot.addWidget(t)
    t.resize(1000, 700)
    t.show()
    qtbot.waitExposed(t)
    t.set_patient(patient.id, None)
    return t


def answering(tab, monkeypatch, answer):
    """run_dialog fills each dialog with answer(dialog) and presses its OK button."""
    opened = []

    def run(dialog: QDialog) -> bool:
        opened.append(dialog)
        answer(dialog)
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted
    monkeypatch.setattr(tab, "run_dialog", run)
    return opened


def ciwa_26(dialog: ScaleEntryDialog) -> None:
    for item, value in zip(dialog.definition.items, CIWA_26):
        dialog.set_score(item.key, value)


def shown(tab) -> list[list[str]]:
    m = tab.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_each_scale_through_its_button(qtbot, tab, monkeypatch, patient, clinician):
    enter_bwsq_wording(clinician)
    tab.refresh()
    def answer(d: ScaleEntryDialog) -> None:
        if d.definition.key == "ciwa-b":
            ciwa_26(d)
        elif d.definition.key == "bwsq":
            for item in d.definition.items:
                d.set_score(item.key, 1)
        else:
            d.set_score("severity", 6)
            d.set_score("sleep", 3)
    opened = answering(tab, monkeypatch, answer)
    for key in ("ciwa-b", "bwsq", "daily"):
        with qtbot.waitSignal(tab.entriesChanged):
            tab.scale_buttons[key].click()
    assert [d.definition.key for d in opened] == ["ciwa-b", "bwsq", "daily"]
    assert [d.total_text() for d in opened] == [
        "Total 26 of 80 — moderate (21-40)", "Total 20 of 40", "Severity 6 of 10; sleep 3 of 10"]
    assert sorted(row[1:5] + row[6:] for row in shown(tab)) == [
        ["BWSQ", "20 of 40", "", "Dr Ada Test", "current"],
        ["CIWA-B", "26 of 80", "moderate", "Dr Ada Test", "current"],
        ["Daily self-rating", "6 of 10; sleep 3", "", "Dr Ada Test", "current"],
    ]
    assert tab.selected_row().entry.scale == "daily"  # the new entry is selected
    # on the plot: each scale's value in its own row and units, at the day's noon
    noon = day_x(TODAY) + 43200
    assert tab.plot.series_data("ciwa-b") == ([noon], [26.0])
    assert tab.plot.series_data("daily") == ([noon], [6.0])
    assert tab.plot.series_data("bwsq") == ([noon], [20.0])


def test_correction_adds_a_version_and_the_table_shows_both(qtbot, tab, monkeypatch, clinician, patient):
    items = {item.key: v for item, v in zip(storage.scale_definitions()["ciwa-b"].items, CIWA_26)}
    old = storage.add_symptom_entry(patient_id=patient.id, date=YESTERDAY, scale="ciwa-b", items=items,
                                    author=clinician, note="visit")
    tab.refresh()
    assert tab.select_entry(old.id) and tab.correct_button.isEnabled() and tab.retract_button.isEnabled()

    def answer(d: ScaleEntryDialog) -> None:
        assert d.scores() == items
        d.set_score("sweating", 4)
        d.note.setText("sweating misread")
    answering(tab, monkeypatch, answer)
    with qtbot.waitSignal(tab.entriesChanged):
        tab.correct_button.click()
    rows = shown(tab)
    assert [r[2:] for r in rows] == [
        ["29 of 80", "moderate", "Dr Ada Test", "sweating misread", "current"],
        ["26 of 80", "moderate", "Dr Ada Test", "visit", "corrected"],
    ]
    grey = QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    m = tab.model
    assert m.data(m.index(1, 0), Qt.ItemDataRole.ForegroundRole) == grey
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert "Corrected by Dr Ada Test" in m.data(m.index(1, 6), Qt.ItemDataRole.ToolTipRole)
    assert tab.selected_row().current
    tab.select_entry(old.id)  # an old version cannot be changed again
    assert not tab.correct_button.isEnabled() and not tab.retract_button.isEnabled()
    assert tab.correct_selected() is None
    assert len(storage.symptom_entries(patient_id=patient.id, include_history=True)) == 2


def test_retraction_keeps_the_entry_with_its_status(qtbot, tab, monkeypatch, clinician, patient):
    entry = storage.add_symptom_entry(patient_id=patient.id, date=YESTERDAY, scale="daily",
                                      items={"severity": 4}, author=clinician)
    tab.refresh()
    assert tab.plot.series_data("daily")[1] == [4.0]
    tab.select_entry(entry.id)

    def answer(d: RetractDialog) -> None:
        assert isinstance(d, RetractDialog)
        assert not d.buttons.button(d.buttons.StandardButton.Ok).isEnabled()  # not without a reason
        d.reason.setText("wrong patient")
    answering(tab, monkeypatch, answer)
    with qtbot.waitSignal(tab.entriesChanged):
        tab.retract_button.click()
    assert [r[2:] for r in shown(tab)] == [["4 of 10", "", "Dr Ada Test", "", "retracted: wrong patient"]]
    assert not tab.retract_button.isEnabled()
    assert storage.symptom_entries(patient_id=patient.id) == []
    history = storage.symptom_entries(patient_id=patient.id, include_history=True)
    assert [e.retracted for e in history] == [False, True]
    with pytest.raises(KeyError):  # off the plot
        tab.plot.series_data("daily")


def test_cancelled_retraction_changes_nothing(tab, monkeypatch, clinician, patient):
    entry = storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="daily", items={"severity": 4},
                                      author=clinician)
    tab.refresh()
    tab.select_entry(entry.id)
    monkeypatch.setattr(tab, "run_dialog", lambda dialog: False)
    assert tab.retract_selected() is None
    assert storage.symptom_entries(patient_id=patient.id) == [entry]


def test_retraction_storage_error_is_shown(tab, monkeypatch, clinician, patient):
    entry = storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="daily", items={"severity": 4},
                                      author=clinician)
    tab.refresh()
    tab.select_entry(entry.id)
    colleague = storage.add_clinician(name="Dr Ben", role="clinician", password="another one", author=clinician)
    storage.set_clinician_active(clinician_id=clinician.id, active=False, author=colleague)
    answering(tab, monkeypatch, lambda d: d.reason.setText("duplicate"))
    assert tab.retract_selected() is None
    assert tab.message.text() == "Not retracted: Dr Ada Test's account is inactive."
    assert not tab.message.isHidden()
    tab.set_author(colleague)
    assert tab.retract_selected().retraction_reason == "duplicate"
    assert shown(tab)[0][-1] == "retracted: duplicate"


def test_quick_row_then_duplicate_offers_the_correction(qtbot, tab, monkeypatch, patient):
    tab.quick.severity.set_score(5)
    with qtbot.waitSignal(tab.entriesChanged):
        tab.quick.save()
    assert [r[1:3] for r in shown(tab)] == [["Daily self-rating", "5 of 10"]]
    tab.quick.severity.set_score(8)
    tab.quick.sleep.set_score(2)
    assert tab.quick.save() is None and not tab.quick.correct_button.isHidden()

    def answer(d: ScaleEntryDialog) -> None:
        assert d.windowTitle() == "Correct Daily self-rating"
        assert d.scores() == {"severity": 8, "sleep": 2}  # what was typed in the row
        d.note.setText("patient rang back")
    opened = answering(tab, monkeypatch, answer)
    with qtbot.waitSignal(tab.entriesChanged):
        tab.quick.correct_button.click()
    assert len(opened) == 1
    assert [r[2:] for r in shown(tab)] == [
        ["8 of 10; sleep 2", "", "Dr Ada Test", "patient rang back", "current"],
        ["5 of 10", "", "Dr Ada Test", "", "corrected"],
    ]
    assert tab.quick.typed_scores() == {}


def test_no_patient_disables_entry(tab, clinician, patient):
    storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="daily", items={"severity": 4},
                              author=clinician)
    tab.refresh()
    assert tab.model.rowCount() == 1
    tab.set_patient(None, None)
    assert tab.model.rowCount() == 0
    assert not any(b.isEnabled() for b in tab.scale_buttons.values())
    assert not tab.quick.save_button.isEnabled() and not tab.correct_button.isEnabled()
    assert tab.enter_scale("ciwa-b") is None


def test_hidden_tab_loads_when_shown(qtbot, clinician, patient):
    storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="daily", items={"severity": 4},
                              author=clinician)
    t = SymptomsTab(author=clinician, today=TODAY)
    qtbot.addWidget(t)
    t.set_patient(patient.id, None)
    assert t.model.rowCount() == 0  # not loaded while hidden
    t.show()
    qtbot.waitExposed(t)
    assert t.model.rowCount() == 1


def test_plot_click_asks_for_the_day(qtbot, tab):
    assert isinstance(tab.plot, SymptomPlot)
    with qtbot.waitSignal(tab.dayClicked) as signal:
        tab.plot.click_at(day_x(YESTERDAY) + 3600)
    assert signal.args == [YESTERDAY]


def test_entries_model_passes_the_model_tester(qtmodeltester, clinician, patient):
    first = storage.add_symptom_entry(patient_id=patient.id, date=YESTERDAY, scale="daily", items={"severity": 4},
                                      author=clinician)
    storage.correct_symptom_entry(entry_id=first.id, items={"severity": 5}, author=clinician, note="misheard")
    enter_bwsq_wording(clinician)
    other = storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="bwsq",
                                      items={f"bwsq_{n:02}": 1 for n in range(1, 21)}, author=clinician)
    storage.retract_symptom_entry(entry_id=other.id, reason="test", author=clinician)
    model = EntriesModel()
    model.set_entries(storage.symptom_entries(patient_id=patient.id, include_history=True),
                      names={clinician.id: clinician.name})
    assert [model.record(r).status for r in range(model.rowCount())] == [
        "current", "retracted: test", "corrected"]
    assert model.data(model.index(2, 2)) == "4 of 10"
    assert model.data(model.index(0, 2)) == "5 of 10"
    qtmodeltester.check(model, force_py=True)


def test_entries_keep_the_definition_they_were_made_with(tab, clinician, patient):
    old = storage.add_symptom_entry(patient_id=patient.id, date=YESTERDAY, scale="ciwa-b",
                                    items={i.key: 1 for i in storage.scale_definitions()["ciwa-b"].items},
                                    author=clinician)
    edited = storage.scale_definitions()["ciwa-b"].to_dict() | {"title": "CIWA-B (clinic form)"}
    edited["bands"] = [{"low": 0, "high": 30, "label": "low"}, {"low": 31, "high": 80, "label": "high"}]
    storage.save_scale_definition(definition=edited, author=clinician)
    own = {"key": "cows", "version": 1, "title": "Our own scale", "items": [
        {"key": "q1", "text": "Question one", "low": 0, "high": 3, "rater": "patient"}]}
    storage.save_scale_definition(definition=own, author=clinician)
    tab.refresh()
    assert shown(tab)[0][1:4] == ["CIWA-B", "20 of 80", "mild"]  # as made, with version 1
    assert tab.scale_buttons["cows"].text() == "Our own scale…" and tab.scale_buttons["cows"].isEnabled()
    tab.select_entry(old.id)
    opened = []
    tab.run_dialog = lambda dialog: opened.append(dialog) or False
    tab.correct_selected()
    assert opened[0].definition.version == 1 and opened[0].definition.title == "CIWA-B"
    tab.enter_scale("ciwa-b")
    assert opened[1].definition.title == "CIWA-B (clinic form)"


def test_mnemonics_are_unique_and_labels_have_buddies(qtbot, tab, clinician, patient):
    enter_bwsq_wording(clinician)
    for key in ("daily", "ciwa-b", "bwsq"):
        storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale=key,
                                  items={storage.scale_definitions()[key].items[0].key: 1}
                                  if key == "daily" else {i.key: 0 for i in storage.scale_definitions()[key].items},
                                  author=clinician)
    tab.refresh()  # the plot now has a toggle per scale
    QApplication.processEvents()  # a widget added to a shown layout is shown by a queued call
    texts = [w.text() for w in tab.findChildren(QAbstractButton) + tab.findChildren(QLabel)
             if re.search(r"&\w", w.text())]
    letters = [re.search(r"&(\w)", t).group(1).lower() for t in texts]
    assert len(letters) == len(set(letters)) == 13, "; ".join(texts)
    assert not set(letters) & set("fpuvhayijm")  # the menus, the workspace's tabs, list filter and flare banner
    labels = [w for w in tab.findChildren(QLabel) if "&" in w.text() and not w.text().startswith("<")]
    assert all(label.buddy() is not None for label in labels)
    assert tab.findChild(QLabel, "plot_placeholder") is None



def test_side_effects_are_plotted_beside_the_scales_only_once_recorded(tab, clinician, patient):
    assert not any(e.startswith(("Drowsy", "Falls")) for e in tab.plot.legend_entries())
    for day, items in ((YESTERDAY, {"severity": 4, "drowsy": 2}), (TODAY, {"severity": 3, "falls": 1, "drowsy": 1})):
        storage.add_symptom_entry(patient_id=patient.id, date=day, scale="daily", items=items, author=clinician)
    tab.refresh()
    noon = day_x(TODAY) + 43200
    assert tab.plot.series_data("daily") == ([noon - 86400, noon], [4.0, 3.0])
    assert tab.plot.series_data("daily:drowsy") == ([noon - 86400, noon], [2.0, 1.0])
    assert tab.plot.series_data("daily:falls") == ([noon], [1.0])
    assert "daily:memory" not in tab.plot._drawn  # never recorded: no row
    assert [e for e in tab.plot.legend_entries() if e.startswith(("Drowsy", "Falls", "Memory"))] == [
        "Drowsy (0–3)", "Falls (0–9)"]
