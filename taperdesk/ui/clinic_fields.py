"""The clinic's country, its emergency number and its paper, as one small group
of fields shared by first-run setup and Clinic settings.

Choosing a country fills in its emergency number (what every handout tells the
patient to call) and its usual paper size; the clinic may type another number,
and "Another country" asks for one. A number left empty is said in words: a
handout without it would fall back to a list of every country's number."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

from taperdesk.core.countries import countries, country
from taperdesk.storage.records import PAPER_SIZES


class CountryFields:
    def __init__(self, *, code: str = "", emergency: str = "", paper: str = "A4"):
        self.country = QComboBox(objectName="country")
        self.country.addItem("Choose the clinic's country", "")
        for c in countries():
            self.country.addItem(c.name, c.code)
        self.country.setCurrentIndex(max(0, self.country.findData(code)))
        self.emergency = QLineEdit(emergency, objectName="emergency_number")
        self.emergency.setPlaceholderText("the number patients call in an emergency, e.g. 999 or 911")
        self.emergency.setToolTip("Printed on every patient handout: 'In an emergency call …'")
        self.paper = QComboBox(objectName="paper_size")
        for size in PAPER_SIZES:
            self.paper.addItem(size, size)
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.country.currentIndexChanged.connect(self._country_chosen)

    def _country_chosen(self, *_args) -> None:
        chosen = country(self.country.currentData() or "")
        if chosen is None:
            return
        self.emergency.setText(chosen.emergency)
        self.paper.setCurrentIndex(max(0, self.paper.findData(chosen.paper)))
        if not chosen.emergency:
            self.emergency.setFocus()

    def code(self) -> str:
        return self.country.currentData() or ""

    def emergency_number(self) -> str:
        return " ".join(self.emergency.text().split())

    def paper_size(self) -> str:
        return self.paper.currentData()

    def problem(self) -> str:
        if not self.code():
            return "Choose the clinic's country (it gives the emergency number printed on handouts)."
        if not self.emergency_number():
            return "Type the emergency number patients should call: every handout prints it."
        return ""
