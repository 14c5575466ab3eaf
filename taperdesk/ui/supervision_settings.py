"""The clinic's supervision settings: the flare thresholds (each beside where it
comes from) and the symptom scales. A scale is edited as its definition text;
it is checked before it is saved, and saving makes a new version so that
entries already made keep the definition they were made with. A licensed
scale shipped without its questions (the BWSQ) gets a form instead: one line
per question, typed from the clinic's licensed copy."""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import settings as clinic_settings
from taperdesk.core.scales import ScaleDefinition, ScaleError
from taperdesk.core.supervision import FlareRule, FlareRuleError, load_flare_rule

LABELS = {
    "window_days": ("Look for a flare for", " days after each cut"),
    "baseline_days": ("Compare with the", " days before the cut"),
    "daily_rise": ("A daily rating rise of", " points or more"),
    "ciwa_band_rise": ("Or a CIWA-B rise of", " band(s) or more"),
    "review_every_days": ("Review due every", " days"),
    "step_change_soon_days": ("Show step changes within", " days"),
    "fall_days": ("Show a recorded fall for", " days"),
}


class SupervisionSettingsDialog(QDialog):
    def __init__(self, parent=None, *, author: storage.Clinician):
        super().__init__(parent)
        self.setWindowTitle("Symptom scales and flare rule")
        self.author = author
        self.message = QLabel(wordWrap=True)
        tabs = QTabWidget()
        tabs.addTab(self._thresholds_page(), "&Flare rule")
        tabs.addTab(self._scales_page(), "&Scales")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 620)

    # -- thresholds -----------------------------------------------------------------
    def _thresholds_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        _, sources = load_flare_rule()
        current = storage.flare_rule()
        self.fields: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name, (label, suffix) in LABELS.items():
            box = QDoubleSpinBox() if name == "daily_rise" else QSpinBox()
            box.setRange(1, 100) if name == "daily_rise" else box.setRange(1, 3650)
            box.setSuffix(suffix)
            box.setValue(getattr(current, name))
            box.setToolTip(sources.get(name, ""))
            self.fields[name] = box
            source = QLabel(f"<small>{sources.get(name, '')}</small>", wordWrap=True)
            row = QVBoxLayout()
            row.addWidget(box)
            row.addWidget(source)
            form.addRow(label, row)
        save = QPushButton("Save the flare rule")
        save.clicked.connect(self.save_thresholds)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("A flare suggests a hold on the patient's page; nothing happens by itself.", wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(save)
        layout.addStretch(1)
        return page

    def thresholds(self) -> FlareRule:
        return FlareRule(**{name: box.value() if name == "daily_rise" else int(box.value()) for name, box in self.fields.items()})

    def save_thresholds(self) -> bool:
        try:
            rule = self.thresholds()
            clinic = storage.get_clinic_settings()
            clinic_settings.save_clinic_settings(settings=replace(clinic, supervision=rule.to_dict()), author=self.author)
        except (FlareRuleError, storage.StorageError) as exc:
            self.message.setText(f"Not saved: {exc}")
            return False
        self.message.setText("The flare rule is saved.")
        return True

    # -- scales ----------------------------------------------------------------------
    def _scales_page(self) -> QWidget:
        page = QWidget()
        self.scale = QComboBox()
        self.scale.currentIndexChanged.connect(self._show_scale)
        new = QPushButton("&New scale")
        new.clicked.connect(self.new_scale)
        top = QHBoxLayout()
        top.addWidget(QLabel("Sc&ale:", buddy=self.scale))
        top.addWidget(self.scale, 1)
        top.addWidget(new)
        self.versions = QLabel(wordWrap=True)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        check = QPushButton("&Check")
        check.clicked.connect(self.check_scale)
        save = QPushButton("Save as a new &version")
        save.clicked.connect(self.save_scale)
        self.wording_button = QPushButton("Enter the &wording…")
        self.wording_button.setToolTip("One line per question, typed from your clinic's licensed copy")
        self.wording_button.clicked.connect(self.enter_wording)
        actions = QHBoxLayout()
        actions.addWidget(check)
        actions.addWidget(save)
        actions.addStretch(1)
        actions.addWidget(self.wording_button)
        box = QGroupBox("Definition: items (key, text, low, high, rater), bands (low, high, label), source")
        inner = QVBoxLayout(box)
        inner.addWidget(self.editor)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.versions)
        layout.addWidget(box, 1)
        layout.addLayout(actions)
        self._load_scales()
        return page

    def _load_scales(self, select: str | None = None) -> None:
        self.definitions = storage.scale_definitions()
        self.scale.blockSignals(True)
        self.scale.clear()
        for key, definition in self.definitions.items():
            self.scale.addItem(f"{definition.title} ({key}, version {definition.version})", key)
        self.scale.blockSignals(False)
        index = self.scale.findData(select) if select else 0
        self.scale.setCurrentIndex(max(index, 0))
        self._show_scale()

    def _show_scale(self, *_args) -> None:
        key = self.scale.currentData()
        if key is None:
            return
        definition = self.definitions[key]
        self.editor.setPlainText(json.dumps(definition.to_dict(), indent=2, ensure_ascii=False))
        versions = storage.scale_versions(key=key) if hasattr(storage, "scale_versions") else []
        mark = " Item wording not verified: check it against your local form." if definition.unverified else ""
        if not definition.usable:
            mark = f" <b>Cannot be used yet:</b> {definition.needs_wording}"
        self.versions.setText(f"{len(versions) or 1} version(s); entries keep the version they were made with.{mark}")
        licensed = not definition.usable or any(not v.usable for v in versions)
        self.wording_button.setVisible(licensed)

    def run_dialog(self, dialog: QDialog) -> bool:
        """Every dialog opened from here goes through this door (tests drive it)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def enter_wording(self) -> bool:
        from taperdesk.ui.scale_wording import ScaleWordingDialog

        key = self.scale.currentData()
        dialog = ScaleWordingDialog(self, definition=self.definitions[key], author=self.author)
        if not self.run_dialog(dialog) or dialog.saved() is None:
            return False
        stored = dialog.saved()
        self._load_scales(select=stored.key)
        self.message.setText(f"Saved the wording of {stored.title} as version {stored.version}: it can be used now.")
        return True

    def new_scale(self) -> None:
        template = {
            "key": "my-scale", "version": 1, "title": "My scale", "headline": None,
            "items": [{"key": "item1", "text": "First question", "low": 0, "high": 4, "rater": "patient"}],
            "bands": [], "source": "Where this scale comes from", "unverified": True, "note": "",
        }
        self.editor.setPlainText(json.dumps(template, indent=2))
        self.message.setText("Edit the new scale's definition, then Check and Save.")

    def check_scale(self) -> ScaleDefinition | None:
        try:
            data = json.loads(self.editor.toPlainText())
            definition = ScaleDefinition.from_dict(data)
        except json.JSONDecodeError as exc:
            self.message.setText(f"The text is not valid: line {exc.lineno}, column {exc.colno}: {exc.msg}.")
            return None
        except (ScaleError, KeyError, TypeError, ValueError) as exc:
            self.message.setText(f"Not a valid scale: {exc}")
            return None
        self.message.setText(f"The definition is valid: {len(definition.items)} items, scores {definition.total_low}-{definition.total_high}.")
        return definition

    def save_scale(self) -> bool:
        definition = self.check_scale()
        if definition is None:
            return False
        try:
            stored = clinic_settings.save_scale_definition(definition=definition, author=self.author)
        except storage.StorageError as exc:
            self.message.setText(f"Not saved: {exc}")
            return False
        self._load_scales(select=stored.key)
        self.message.setText(f"Saved {stored.title} as version {stored.version}.")
        return True
