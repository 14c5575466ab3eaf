"""Page 3: what can be dispensed for this patient.

The plan can only use doses the stock can make, so the stock is an input
like the pace. It starts from the clinic's stock (or the revision's) for
the drug the cuts are made in (diazepam after a crossover) and changes made
here are this patient's only: they are kept per drug while the wizard is
open, so ticking crossover off and on again does not lose them."""

from __future__ import annotations

from html import escape
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from taperdesk.core.catalogue import Catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.quantity import fmt_mg
from taperdesk.ui.wizard.common import error_label, note_label, quiet, show_message
from taperdesk.ui.wizard.planning import DISPENSING, Outcome
from taperdesk.ui.wizard.shorter import ShorterOffer

SPLITS = (("none", "Do not split"), ("half", "Halves"), ("quarter", "Halves and quarters"))
MARKETS = ((None, "Any market"), ("US", "US products"), ("UK", "UK products"))
SPLIT_WORDS = {"none": "not to be split", "half": "may be halved", "quarter": "may be halved or quartered"}


class DispensingPage(QWizardPage):
    changed = Signal()

    def __init__(self, catalogue: Catalogue, defaults: Callable[[str], DrugStock], parent=None):
        super().__init__(parent)
        self.catalogue, self.defaults = catalogue, defaults
        self.drug: str | None = None
        self._edited: dict[str, DrugStock] = {}
        self._all_by_default = True  # the loaded stock said "every strength" (strengths None)
        self._complete = False
        self.setTitle("Dispensing")
        self.setSubTitle(
            "What can be dispensed. It starts from the clinic's stock; changes here are for this patient only."
        )

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        form = QFormLayout()
        self.market = QComboBox()
        for _key, text in MARKETS:
            self.market.addItem(text)
        form.addRow("&Market:", self.market)
        self.strengths = QListWidget()
        self.strengths.setMaximumHeight(150)
        self.strengths.setAccessibleName("stocked strengths")
        form.addRow("&Strengths:", self.strengths)
        self.split = QComboBox()
        for _key, text in SPLITS:
            self.split.addItem(text)
        self.split.setToolTip("The most the clinic splits a tablet; a product that may not be split so is not.")
        form.addRow("S&plit tablets:", self.split)
        self.liquid = QCheckBox("Oral &liquid may be used")
        form.addRow("", self.liquid)
        self.liquid_note = note_label()
        form.addRow("", self.liquid_note)
        self.reset = QPushButton("&Reset to the clinic's stock")
        reset_row = QHBoxLayout()
        reset_row.addWidget(self.reset)
        reset_row.addStretch(1)
        form.addRow("", reset_row)
        self.other_note = note_label()
        self.error = error_label()
        self.shorter = ShorterOffer()  # "N weeks shorter with the liquid", beside the plan's stock
        self._offer_for: list | None = None  # [the outcome] an offer is still to be worked out for
        self.shorter.switch.connect(self._switch)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.other_note)
        layout.addWidget(self.shorter)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for a, b in ((self.market, self.strengths), (self.strengths, self.split), (self.split, self.liquid),
                     (self.liquid, self.reset)):
            self.setTabOrder(a, b)

        self.market.currentIndexChanged.connect(self._market_changed)
        self.strengths.itemChanged.connect(self._edit)
        self.split.currentIndexChanged.connect(self._edit)
        self.liquid.toggled.connect(self._edit)
        self.reset.clicked.connect(self._reset)

    # -- the wizard's side -----------------------------------------------------
    def stock_for(self, drug: str) -> DrugStock:
        """This patient's stock of `drug`: as edited here, else the clinic's."""
        return self._edited.get(drug) or self.defaults(drug)

    def show_drug(self, drug: str) -> None:
        """Show the stock of the drug the cuts are made in (no re-plan: the caller is planning)."""
        if drug == self.drug:
            return
        self.drug = drug
        stock = self.stock_for(drug)
        self._all_by_default = stock.strengths is None
        with quiet(self.market, self.split, self.liquid, self.strengths):
            market = stock.market.upper() if stock.market else None
            self.market.setCurrentIndex([k for k, _ in MARKETS].index(market))
            self.split.setCurrentIndex([k for k, _ in SPLITS].index(stock.split))
            self._fill(stock.strengths, stock.liquid)
        self.heading.setText(
            f"Stock of <b>{escape(drug)}</b>, the drug the cuts are made in"
            f"{' (after the crossover)' if drug == 'diazepam' else ''}."
        )

    def set_strength(self, strength: float, checked: bool) -> None:
        """Tick or untick one strength (as a click would)."""
        for item in self._items():
            value = item.data(Qt.ItemDataRole.UserRole)
            if value is not None and abs(value - strength) < 1e-9:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(f"no {strength} mg {self.drug} in the list")

    def set_split(self, split: str) -> None:
        self.split.setCurrentIndex([k for k, _ in SPLITS].index(split))

    def set_market(self, market: str | None) -> None:
        self.market.setCurrentIndex([k for k, _ in MARKETS].index(market))

    def show_outcome(self, out: Outcome) -> None:
        original = out.drug.name if out.drug else None
        if original and self.drug and original != self.drug:
            whose = "this patient's" if original in self._edited else "the clinic's"
            self.other_note.setText(f"Crossover doses of {original} are made from {whose} {original} stock.")
        else:
            self.other_note.setText("")
        self.other_note.setVisible(bool(self.other_note.text()))
        show_message(self.error, out.errors.get(DISPENSING))
        # the offer re-plans twice (the liquid, quarter tablets): worked out while this
        # page is shown, not on every keystroke of the other pages (12 of 23 ms a re-plan)
        self._offer_for = [out if not out.errors else None]
        if self.isVisible():
            self._show_offer()
        self._complete = DISPENSING not in out.errors
        self.completeChanged.emit()

    def _show_offer(self) -> None:
        pending, self._offer_for = self._offer_for, None
        if pending is not None:
            self.shorter.show_for(pending[0], self.catalogue)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self._show_offer()

    def _switch(self, change: str) -> None:
        """The offer's button: the liquid, or quarter tablets, for this patient."""
        if change == "liquid":
            self.liquid.setChecked(True)
        else:
            self.set_split("quarter")

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self._complete

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name: QWizard.next() asks this, not isComplete)
        return self._complete

    # -- inside the page ---------------------------------------------------------
    def _items(self) -> list[QListWidgetItem]:
        return [self.strengths.item(i) for i in range(self.strengths.count())]

    def _market_key(self) -> str | None:
        return MARKETS[self.market.currentIndex()][0]

    def _fill(self, chosen: tuple[float, ...] | None, liquid: bool) -> None:
        """List the drug's solid strengths in the chosen market, ticking `chosen` (None: all)."""
        market = self._market_key()
        self.strengths.clear()
        products = self.catalogue.formulations_for(self.drug, market=market, forms=("tablet", "capsule"))
        for strength in self.catalogue.solid_strengths(self.drug, market=market):
            same = [f for f in products if f.strength_mg == strength]
            forms = "/".join(dict.fromkeys(f.form for f in same))
            split = max((f.split for f in same), key=lambda s: [k for k, _ in SPLITS].index(s))
            markets = ", ".join(sorted({f.market for f in same}))
            item = QListWidgetItem(f"{fmt_mg(strength)} mg {forms} ({markets}; {SPLIT_WORDS[split]})")
            item.setData(Qt.ItemDataRole.UserRole, strength)
            notes = [n for f in same for n in (f.split_note, f.off_licence_note) if n]
            if notes:
                item.setToolTip("\n".join(dict.fromkeys(notes)))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            ticked = chosen is None or any(abs(strength - c) < 1e-9 for c in chosen)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.strengths.addItem(item)
        if not products:
            where = f" for the {market} market" if market else ""
            self.strengths.addItem(f"The catalogue has no tablets or capsules of {self.drug}{where}.")
        liquids = self.catalogue.formulations_for(self.drug, market=market, forms=("liquid",))
        self.liquid.setEnabled(bool(liquids))
        self.liquid.setChecked(liquid and bool(liquids))
        if liquids:
            self.liquid_note.setText("; ".join(f"{f.label} ({f.market})" for f in liquids))
        else:
            where = f" in the {market} market" if market else ""
            self.liquid_note.setText(f"The catalogue has no oral liquid of {self.drug}{where}.")

    def _read(self) -> DrugStock:
        items = [i for i in self._items() if i.data(Qt.ItemDataRole.UserRole) is not None]
        ticked = tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)
        every = len(ticked) == len(items) and self._all_by_default
        return DrugStock(
            self.drug,
            strengths=None if every else ticked,
            split=SPLITS[self.split.currentIndex()][0],
            liquid=self.liquid.isChecked() and self.liquid.isEnabled(),
            market=self._market_key(),
        )

    def _edit(self, *_args) -> None:
        if self.drug is None:
            return
        self._edited[self.drug] = self._read()
        self.changed.emit()

    def _market_changed(self, *_args) -> None:
        if self.drug is None:
            return
        before = self._read()
        ticked = None if before.strengths is None else before.strengths
        with quiet(self.strengths, self.liquid):
            self._fill(ticked, before.liquid or self.stock_for(self.drug).liquid)
        self._edit()

    def _reset(self) -> None:
        if self.drug is None:
            return
        self._edited.pop(self.drug, None)
        drug, self.drug = self.drug, None
        self.show_drug(drug)
        self.changed.emit()
