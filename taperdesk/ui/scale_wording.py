"""Entering the wording of a licensed scale (the BWSQ) from the clinic's own copy.

TaperDesk may not ship the BWSQ's questions (Imperial College London licenses
them; clinical reference section 7), so the shipped scale has numbered
placeholders and cannot be used. A clinician types each question here, one
line per item, as printed on the clinic's licensed copy; saving makes a new
version of the scale without the placeholder mark, so entries can be made
from then on. Everything else (keys, scores 0-2, the total) stays as shipped."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import settings as clinic_settings
from taperdesk.core.scales import ScaleDefinition

ERROR_STYLE = "color: #b00020;"
ENTERED = "Wording entered from the clinic's licensed copy."


def worded(definition: ScaleDefinition, texts: dict[str, str]) -> dict:
    """The definition's dict with each item's text replaced and the placeholder mark removed."""
    data = definition.to_dict()
    data["items"] = [{**item, "text": texts[item["key"]].strip()} for item in data["items"]]
    data.pop("needs_wording", None)
    data["unverified"] = False
    data["note"] = " ".join(p for p in (data.get("note", ""), ENTERED) if p and ENTERED not in data.get("note", ""))
    return data


class ScaleWordingDialog(QDialog):
    """`saved()` is the stored new version once Save has succeeded."""

    def __init__(self, parent=None, *, definition: ScaleDefinition, author: storage.Clinician):
        super().__init__(parent)
        self.definition, self.author = definition, author
        self._saved: ScaleDefinition | None = None
        self.setWindowTitle(f"{definition.title}: enter the wording")
        why = QLabel(
            (f"{definition.title} cannot be used yet: {definition.needs_wording} " if definition.needs_wording else "")
            + "Type each question exactly as your licensed copy prints it. Saving makes a new version of the "
            "scale; entries already made keep the version they were made with.", objectName="why")
        why.setWordWrap(True)
        form_box = QWidget()
        form = QFormLayout(form_box)
        self.fields: dict[str, QLineEdit] = {}
        for n, item in enumerate(definition.items, start=1):
            field = QLineEdit(objectName=f"wording_{item.key}")
            field.setPlaceholderText(f"question {n} as printed on your copy")
            if definition.usable:  # editing wording entered before
                field.setText(item.text)
            field.setAccessibleName(f"question {n}")
            field.textChanged.connect(self._update)
            form.addRow(f"Question {n}:", field)
            self.fields[item.key] = field
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_box)
        self.problem = QLabel(objectName="problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(why)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(640, 620)
        self._update()
        next(iter(self.fields.values())).setFocus()

    def missing(self) -> list[int]:
        return [n for n, field in enumerate(self.fields.values(), start=1) if not field.text().strip()]

    def _update(self, *_args) -> None:
        missing = self.missing()
        self.save_button.setEnabled(not missing)
        self.problem.setText("" if not missing else
                             f"{len(missing)} question(s) still empty: " + ", ".join(map(str, missing[:8]))
                             + ("…" if len(missing) > 8 else "") + ".")

    def accept(self) -> None:
        if self.missing():
            return
        texts = {key: field.text() for key, field in self.fields.items()}
        try:
            self._saved = clinic_settings.save_scale_definition(definition=worded(self.definition, texts), author=self.author)
        except storage.StorageError as exc:
            self.problem.setText(f"Not saved: {exc}")
            return
        super().accept()

    def saved(self) -> ScaleDefinition | None:
        return self._saved
