"""Entering a symptom scale: the dialog built from each definition (total and
band live, digits move on, no future date, every required item scored, storage
errors kept in the dialog, corrections as new versions) and the quick daily row."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QDialog, QGroupBox, QLabel

from taperdesk import storage
from tests.bwsq import enter_bwsq_wording
from taperdesk.core.plan_diff import format_day
from taperdesk.ui.symptoms import QuickDailyRow, ScaleEntryDialog

TODAY = dt.date.today()  # storage refuses entries dated after the real today
DIGITS = {n: getattr(Qt.Key, f"Key_{n}") for n in range(10)}
CIWA_26 = [2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1]  # 26: moderate


@pytest.fixture
def patient(clinician):
    return storage.add_patient(name="Ana López", born=dt.date(1970, 5, 1), identifier="TD-0001", author=clinician)


@pytest.fixture
def open_dialog(qtbot, clinician, patient):
    def make(key: str, **kwargs) -> ScaleEntryDialog:
        d = ScaleEntryDialog(definition=storage.scale_definitions()[key], patient_id=patient.id, author=clinician,
                             today=TODAY, **kwargs)
        qtbot.addWidget(d)
        return d
    return make


def tab_chain(widget, count: int) -> list:
    """The next `count` widgets Tab reaches from `widget` (a spin box's own line edit is part of it)."""
    chain = []
    while len(chain) < count:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled()
                and not isinstance(widget.parent(), QAbstractSpinBox)):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def fill(d: ScaleEntryDialog, values: list[int]) -> None:
    for item, value in zip(d.definition.items, values):
        d.set_score(item.key, value)


def test_ciwa_b_total_band_and_saved(open_dialog, clinician, patient):
    d = open_dialog("ciwa-b")
    assert d.windowTitle() == "CIWA-B" and d.entry_date() == TODAY
    assert d.total_text() == "Total 0 of 80 so far — 20 of 20 items still to score"
    fill(d, CIWA_26)
    assert d.total_text() == "Total 26 of 80 — moderate (21-40)"
    assert d.total.text() == d.total_text()  # the label is live
    d.set_score("irritable", 0)
    assert d.total.text() == "Total 24 of 80 — moderate (21-40)"
    fill(d, [0] * 20)
    assert d.total_text() == "Total 0 of 80 — none"
    fill(d, [4] * 16 + [0] * 4)
    assert d.total_text() == "Total 64 of 80 — very severe (61-80)"
    observer = d.findChild(QGroupBox, "observer")
    assert observer.title() == "Observer-rated (clinician)"
    assert [s.objectName() for s in observer.findChildren(type(d.spins["tremor"]))] == [
        "item_restlessness", "item_tremor", "item_sweating"]
    assert d.author_label.text() == "Dr Ada Test"
    assert "Busto" in d.findChild(QLabel, "source").text()
    assert d.findChild(QLabel, "unverified") is None
    d.note.setText("visit")
    d.accept()
    assert d.result() == QDialog.DialogCode.Accepted
    saved = d.saved_entry()
    assert (saved.scale, saved.total, saved.date, saved.note, saved.entered_by) == (
        "ciwa-b", 64, TODAY, "visit", clinician.id)
    assert storage.symptom_entries(patient_id=patient.id) == [saved]


def test_daily_rating_needs_only_severity(open_dialog, patient):
    d = open_dialog("daily")
    assert d.total_text() == "Severity not scored yet"
    d.set_score("sleep", 4)
    assert d.problems() == ["Item 1 (How bad were your withdrawal symptoms today?) is not scored."]
    d.set_score("severity", 7)
    assert d.total_text() == "Severity 7 of 10; sleep 4 of 10"
    d.set_score("sleep", None)
    assert d.total_text() == "Severity 7 of 10; sleep not rated" and d.problems() == []
    d.accept()
    assert d.saved_entry().items == {"severity": 7}


def test_the_shipped_bwsq_says_why_it_cannot_be_used_and_saves_nothing(open_dialog, patient):
    d = open_dialog("bwsq")
    why = d.findChild(QLabel, "unusable")
    assert not why.isHidden() and why.text().startswith("BWSQ cannot be used yet: the BWSQ is licensed by "
                                                        "Imperial College London")
    assert "clinical reference section 7" in why.text()
    fill(d, [1] * 20)
    d.accept()
    assert d.saved_entry() is None and "cannot be used yet" in d.save_error.text()
    assert storage.symptom_entries(patient_id=patient.id) == []


def test_ciwa_b_shows_what_each_score_means_under_every_item(open_dialog):
    d = open_dialog("ciwa-b")
    for item in d.definition.items:
        shown = d.findChild(QLabel, f"anchors_{item.key}").text()
        if item.key == "sleep_restful":
            assert shown == "0 very restful · 1 restful · 2 somewhat restless · 3 restless · 4 not restful at all"
        elif item.key == "enough_sleep":
            assert shown.startswith("0 plenty of sleep") and shown.endswith("4 hardly any sleep")
        else:
            assert shown == "0 not at all · 1 a little · 2 moderately · 3 quite a bit · 4 very much so"
    labels = [w.text() for w in d.findChildren(QLabel)]
    assert "12. Last night's sleep was NOT restful (higher = worse sleep)" in labels
    assert "14. Did NOT get enough sleep last night (higher = less sleep)" in labels


def test_bwsq_says_its_wording_is_unverified(open_dialog, clinician):
    enter_bwsq_wording(clinician)  # the clinic typed its licensed copy's wording
    d = open_dialog("bwsq")
    warning = d.findChild(QLabel, "unverified")
    assert warning.text() == "Item wording not verified: check it against your local form."
    assert not warning.isHidden()
    assert "Tyrer" in d.findChild(QLabel, "source").text()
    assert d.findChild(QGroupBox, "observer") is None
    fill(d, [1] * 12 + [0] * 8)
    assert d.total_text() == "Total 12 of 40"  # the BWSQ has no bands
    d.accept()
    assert d.saved_entry().total == 12


def test_digit_keys_score_and_move_on(open_dialog):
    d = open_dialog("ciwa-b")
    spins = list(d.spins.values())
    assert d.focusWidget() is spins[0]
    QTest.keyClick(spins[0], Qt.Key.Key_3)
    assert d.scores() == {"irritable": 3} and d.focusWidget() is spins[1]
    QTest.keyClick(spins[1], Qt.Key.Key_7)  # out of 0-4: ignored, stays
    assert "fatigued" not in d.scores() and d.focusWidget() is spins[1]
    for value in CIWA_26[1:]:
        QTest.keyClick(d.focusWidget(), DIGITS[value])
    assert d.focusWidget() is d.note
    assert d.total_text() == "Total 27 of 80 — moderate (21-40)"
    QTest.keyClick(spins[4], Qt.Key.Key_Delete)
    assert "appetite" not in d.scores()


def test_two_digit_scores_on_a_0_to_10_item(open_dialog):
    d = open_dialog("daily")
    severity, sleep = d.spins["severity"], d.spins["sleep"]
    QTest.keyClick(severity, Qt.Key.Key_1)
    assert d.scores() == {"severity": 1} and d.focusWidget() is severity  # 1 may become 10
    QTest.keyClick(severity, Qt.Key.Key_0)
    assert d.scores() == {"severity": 10} and d.focusWidget() is sleep
    severity.setFocus()
    QTest.keyClick(severity, Qt.Key.Key_1)
    QTest.keyClick(severity, Qt.Key.Key_5)  # 15 is out of range: the 5 is for sleep
    assert d.scores() == {"severity": 1, "sleep": 5} and d.focusWidget() is d.spins["drowsy"]  # side effects next


def test_future_date_refused_with_an_explanation(open_dialog):
    d = open_dialog("ciwa-b")
    assert d.date.maximumDate() == QDate(TODAY)
    assert not d.set_date(TODAY + dt.timedelta(days=1))
    assert d.entry_date() == TODAY
    assert d.date_error.text() == f"An entry cannot be dated in the future: today is {format_day(TODAY)}."
    assert not d.date_error.isHidden()
    assert d.set_date(TODAY - dt.timedelta(days=3)) and d.date_error.isHidden()
    d.set_date(TODAY)
    d.date.setCurrentSection(QDateEdit.Section.DaySection)
    QTest.keyClick(d.date, Qt.Key.Key_Up)  # Up at today: refused, said why
    assert d.entry_date() == TODAY and not d.date_error.isHidden()
    d.set_date(TODAY - dt.timedelta(days=1))
    assert d.date_error.isHidden()
    d.date.validate(f"{TODAY.year + 1}-01-01", 10)  # as typed over the year
    assert not d.date_error.isHidden()


def test_an_earlier_date_is_saved(open_dialog):
    d = open_dialog("daily")
    d.set_date(TODAY - dt.timedelta(days=2))
    d.set_score("severity", 3)
    d.accept()
    assert d.saved_entry().date == TODAY - dt.timedelta(days=2)


def test_missing_items_refused_and_named(open_dialog, patient, clinician):
    d = open_dialog("ciwa-b")
    fill(d, CIWA_26[:18])
    assert d.problems() == ["Item 19 (Tremor, arms extended (observed)) is not scored.",
                            "Item 20 (Sweating (observed)) is not scored."]
    d.accept()
    assert d.result() != QDialog.DialogCode.Accepted and d.saved_entry() is None
    assert d.save_error.text() == ("Not saved: score every item first; not scored: "
                                   "19 Tremor, arms extended (observed), 20 Sweating (observed).")
    assert d.focusWidget() is d.spins["tremor"]
    assert storage.symptom_entries(patient_id=patient.id) == []
    d.set_score("tremor", 1)
    assert d.save_error.isHidden()  # a change clears the old message
    d.accept()
    assert "and" not in d.save_error.text() and "20 Sweating" in d.save_error.text()
    blank = open_dialog("daily")
    blank.accept()
    assert blank.save_error.text() == "Not saved: score every item first; not scored: " \
                                      "1 How bad were your withdrawal symptoms today?."


def test_storage_error_shown_and_nothing_lost(open_dialog, clinician, patient):
    d = open_dialog("ciwa-b")
    fill(d, CIWA_26)
    d.note.setText("visit")
    colleague = storage.add_clinician(name="Dr Ben", role="clinician", password="another one", author=clinician)
    storage.set_clinician_active(clinician_id=clinician.id, active=False, author=colleague)
    d.accept()
    assert d.result() != QDialog.DialogCode.Accepted
    assert d.save_error.text() == "Not saved: Dr Ada Test's account is inactive."
    assert d.total_text() == "Total 26 of 80 — moderate (21-40)" and d.note.text() == "visit"
    assert storage.symptom_entries(patient_id=patient.id) == []


def test_a_second_daily_rating_for_a_day_is_refused(open_dialog, clinician, patient):
    storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="daily", items={"severity": 2},
                              author=clinician)
    d = open_dialog("daily")
    d.set_score("severity", 5)
    d.accept()
    assert d.saved_entry() is None and "already recorded" in d.save_error.text()


def test_correction_prefilled_and_saved_as_a_new_version(open_dialog, clinician, patient):
    items = {item.key: v for item, v in zip(storage.scale_definitions()["ciwa-b"].items, CIWA_26)}
    old = storage.add_symptom_entry(patient_id=patient.id, date=TODAY - dt.timedelta(days=1), scale="ciwa-b",
                                    items=items, author=clinician, note="visit")
    d = open_dialog("ciwa-b", correcting=old)
    assert d.windowTitle() == "Correct CIWA-B"
    assert d.scores() == dict(old.items) and d.entry_date() == old.date
    assert "Correcting the entry of" in d.findChild(QLabel, "correcting").text()
    assert d.problems() == ["Say why the entry is corrected.",
                            "Nothing is changed: change a score or the date, or Cancel."]
    d.set_score("sweating", 3)
    d.note.setText("sweating misread")
    assert d.total_text() == "Total 28 of 80 — moderate (21-40)" and d.problems() == []
    d.accept()
    new = d.saved_entry()
    assert (new.supersedes, new.total, new.note, new.date) == (old.id, 28, "sweating misread", old.date)
    assert storage.symptom_entries(patient_id=patient.id) == [new]
    assert len(storage.symptom_entries(patient_id=patient.id, include_history=True)) == 2


def test_dialog_keyboard(open_dialog):
    d = open_dialog("daily")
    buddies = {label.text(): label.buddy() for label in d.findChildren(QLabel) if label.buddy()}
    assert buddies["&Date"] is d.date and buddies["&Note"] is d.note
    assert buddies["1. How bad were your withdrawal symptoms today?"] is d.spins["severity"]
    assert buddies["2. How well did you sleep last night? (optional)"] is d.spins["sleep"]
    assert buddies["3. Side effect: sleepy or drowsy in the daytime (optional)"] is d.spins["drowsy"]
    side_effects = [d.spins[k] for k in ("drowsy", "falls", "confused", "memory")]
    assert tab_chain(d.date, 8) == [d.date, d.spins["severity"], d.spins["sleep"], *side_effects, d.note]
    assert d.save_button.text() == "&Save"


# -- the quick daily row ------------------------------------------------------
@pytest.fixture
def row(qtbot, clinician, patient):
    r = QuickDailyRow(author=clinician, today=TODAY)
    qtbot.addWidget(r)
    r.set_patient(patient.id)
    return r


def test_quick_row_saves_from_the_keyboard(qtbot, row, patient, clinician):
    QTest.keyClick(row.severity, Qt.Key.Key_7)  # the row never moves on by itself (Tab does)
    QTest.keyClick(row.sleep, Qt.Key.Key_4)
    QTest.keyClicks(row.note, "phone call")
    with qtbot.waitSignal(row.saved) as signal:
        QTest.keyClick(row.note, Qt.Key.Key_Return)
    entry = signal.args[0]
    assert (entry.scale, dict(entry.items), entry.note, entry.date, entry.entered_by) == (
        "daily", {"severity": 7, "sleep": 4}, "phone call", TODAY, clinician.id)
    assert storage.symptom_entries(patient_id=patient.id) == [entry]
    assert row.message_text().startswith("Saved for ") and row.message_text().endswith(
        "Severity 7 of 10; sleep 4 of 10.")
    assert row.typed_scores() == {} and row.note.text() == ""


def test_quick_row_refuses_a_duplicate_day_and_offers_correct(qtbot, row, patient):
    row.severity.set_score(3)
    QTest.keyClick(row.severity, Qt.Key.Key_Enter)  # Enter in a score field saves too
    assert len(storage.symptom_entries(patient_id=patient.id)) == 1
    row.severity.set_score(6)
    assert row.save() is None
    assert row.message_text() == ("Not saved: today's daily rating is already recorded (severity 3 of 10). "
                                  "Update that one instead?")
    assert not row.correct_button.isHidden() and row.typed_scores() == {"severity": 6}
    with qtbot.waitSignal(row.correctRequested) as signal:
        row.correct_button.click()
    assert signal.args[0].items == {"severity": 3}
    assert len(storage.symptom_entries(patient_id=patient.id, include_history=True)) == 1


def test_quick_row_needs_a_severity_and_a_patient(row):
    row.sleep.set_score(5)
    assert row.save() is None
    assert row.message_text() == "Not saved: rate the severity first (0-10); sleep may be left out."
    row.severity.set_score(2)
    assert row.message_text() == ""
    row.set_patient(None)
    assert not row.save_button.isEnabled() and not row.severity.isEnabled() and row.save() is None


def test_quick_row_keyboard(row):
    buddies = {label.text(): label.buddy() for label in row.findChildren(QLabel) if label.buddy()}
    assert buddies == {"&Severity": row.severity, "S&leep": row.sleep, "Falls": row.falls, "&Note": row.note}
    assert row.save_button.text() == "Save today"
    assert tab_chain(row.severity, 5) == [row.severity, row.sleep, row.falls, row.note, row.save_button]


def test_correction_never_clamps_a_score_outside_the_range(open_dialog, clinician, patient):
    shipped = storage.scale_definitions()["ciwa-b"]
    wider = shipped.to_dict()
    wider["items"] = [dict(i, high=6) if i["key"] == "tremor" else i for i in wider["items"]]
    wider["bands"] = []
    version = storage.save_scale_definition(definition=wider, author=clinician).version
    items = {item.key: 1 for item in shipped.items} | {"tremor": 6}
    old = storage.add_symptom_entry(patient_id=patient.id, date=TODAY, scale="ciwa-b", items=items,
                                    author=clinician, scale_version=version)
    d = ScaleEntryDialog(definition=shipped, patient_id=patient.id, author=clinician, today=TODAY, correcting=old)
    assert "tremor" not in d.scores() and d.scores()["sweating"] == 1
    assert "Its tremor score 6 is outside today's range: score it again." in d.findChild(
        QLabel, "correcting").text()
    d.deleteLater()


def test_side_effects_in_the_daily_dialog_are_optional_and_said_only_when_scored(open_dialog, patient):
    d = open_dialog("daily")
    d.set_score("severity", 2)
    assert d.total_text() == "Severity 2 of 10; sleep not rated" and d.problems() == []
    d.set_score("falls", 1)
    d.set_score("drowsy", 3)
    assert d.total_text() == "Severity 2 of 10; sleep not rated; drowsy 3 of 3; falls 1 of 9"
    assert d.findChild(QLabel, "anchors_drowsy").text() == "0 not at all · 1 a little · 2 quite a lot · 3 a lot"
    d.accept()
    assert d.saved_entry().items == {"severity": 2, "falls": 1, "drowsy": 3}


def test_quick_row_records_falls(qtbot, row, patient):
    QTest.keyClick(row.severity, Qt.Key.Key_3)
    QTest.keyClick(row.falls, Qt.Key.Key_2)
    with qtbot.waitSignal(row.saved) as signal:
        QTest.keyClick(row.falls, Qt.Key.Key_Return)
    assert signal.args[0].items == {"severity": 3, "falls": 2}
    assert row.message_text().endswith("Severity 3 of 10; sleep not rated; falls 2 of 9.")
