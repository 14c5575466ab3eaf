"""Accounts in the app: the Clinicians dialog (administrators: add an account
with its roles, deactivate or reactivate it, reset its password, set its
roles) and the password dialog ("Change my password", and the change forced
at sign-in after a reset). Every change goes through taperdesk.clinic.accounts,
which checks the role; the buttons only save a pointless click."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import accounts
from taperdesk.clinic.permissions import OperationError, why_not
from taperdesk.core import roles

ROLE_HELP = {
    roles.ADMINISTRATOR: "accounts, clinic settings, stock, backups",
    roles.PRESCRIBER: "plans, holds, revisions, handouts, pharmacy orders",
    roles.NURSE: "symptoms, reprints, holds the prescriber allows",
    roles.READ_ONLY: "reads everything, changes nothing",
}
ROLE_KEYS = {roles.ADMINISTRATOR: "&Administrator", roles.PRESCRIBER: "&Prescriber", roles.NURSE: "N&urse",
             roles.READ_ONLY: "Rea&d-only"}


class RoleBoxes(QWidget):
    """One tick box per role; read-only cannot be ticked with another."""

    def __init__(self, chosen: tuple[str, ...] = (), parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for role in roles.ROLES:
            box = QCheckBox(f"{ROLE_KEYS[role]}: {ROLE_HELP[role]}")
            box.setChecked(role in chosen)
            box.toggled.connect(lambda on, r=role: self._toggled(r, on))
            layout.addWidget(box)
            self.boxes[role] = box

    def _toggled(self, role: str, on: bool) -> None:
        if not on:
            return
        if role == roles.READ_ONLY:
            for other, box in self.boxes.items():
                if other != roles.READ_ONLY:
                    box.setChecked(False)
        else:
            self.boxes[roles.READ_ONLY].setChecked(False)

    def chosen(self) -> tuple[str, ...]:
        return tuple(r for r, box in self.boxes.items() if box.isChecked())


def _password_pair(form: QFormLayout, first: str, again: str) -> tuple[QLineEdit, QLineEdit]:
    one, two = QLineEdit(), QLineEdit()
    for field in (one, two):
        field.setEchoMode(QLineEdit.EchoMode.Password)
    form.addRow(first, one)
    form.addRow(again, two)
    return one, two


def _message() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("message")
    return label


class AccountDialog(QDialog):
    """Add an account: name, roles, a first password its holder changes at the first sign-in."""

    def __init__(self, parent=None, *, author: storage.Clinician):
        super().__init__(parent)
        self.setWindowTitle("Add an account")
        self.author = author
        self.saved: storage.Clinician | None = None
        self.name = QLineEdit()
        self.roles = RoleBoxes((roles.NURSE,))
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("Roles", self.roles)
        self.password, self.again = _password_pair(form, "First pass&word", "Same a&gain")
        self.message = _message()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add account")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("They choose their own password the first time they sign in."))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> bool:
        if self.password.text() != self.again.text():
            self.message.setText("The two passwords differ: type the same password twice.")
            return False
        if not self.roles.chosen():
            self.message.setText("Tick at least one role.")
            return False
        try:
            self.saved = accounts.add_account(name=self.name.text(), role=self.roles.chosen(),
                                              password=self.password.text(), author=self.author)
        except (OperationError, storage.StorageError) as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True


class RolesDialog(QDialog):
    def __init__(self, parent=None, *, account: storage.Clinician, author: storage.Clinician):
        super().__init__(parent)
        self.setWindowTitle(f"Roles of {account.name}")
        self.account, self.author = account, author
        self.saved: storage.Clinician | None = None
        self.roles = RoleBoxes(account.roles)
        self.message = _message()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save roles")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"What may {account.name} do?"))
        layout.addWidget(self.roles)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> bool:
        if not self.roles.chosen():
            self.message.setText("Tick at least one role.")
            return False
        try:
            self.saved = accounts.set_roles(account=self.account.id, role=self.roles.chosen(), author=self.author)
        except (OperationError, storage.StorageError) as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True


class PasswordDialog(QDialog):
    """A new password typed twice. `mode`: "own" (Change my password), "forced"
    (at sign-in after a reset) or "reset" (an administrator for `account`)."""

    def __init__(self, parent=None, *, author: storage.Clinician, mode: str = "own",
                 account: storage.Clinician | None = None):
        super().__init__(parent)
        self.author, self.mode, self.account = author, mode, account or author
        self.saved: storage.Clinician | None = None
        titles = {"own": "Change my password", "forced": "Choose a new password",
                  "reset": f"Reset the password of {self.account.name}"}
        self.setWindowTitle(titles[mode])
        intro = {"own": f"A new password for {author.name}.",
                 "forced": f"{author.name}, your password was reset by an administrator. Choose your own new "
                           "password to go on.",
                 "reset": f"Give {self.account.name} a password to sign in with once: they must change it then. "
                          "Tell it to them in person."}[mode]
        form = QFormLayout()
        self.password, self.again = _password_pair(form, "New pass&word", "Same a&gain")
        self.message = _message()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Reset password" if mode == "reset"
                                                                    else "Save password")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> bool:
        if self.password.text() != self.again.text():
            self.message.setText("The two passwords differ: type the same password twice.")
            return False
        try:
            if self.mode == "reset":
                self.saved = accounts.reset_password(account=self.account.id, new_password=self.password.text(),
                                                     author=self.author)
            else:
                self.saved = accounts.change_my_password(new_password=self.password.text(), author=self.author)
        except (OperationError, storage.StorageError) as exc:
            self.message.setText(str(exc))
            self.password.selectAll()
            return False
        self.accept()
        return True


class AccountsModel(QAbstractTableModel):
    HEADERS = ("Name", "Roles", "Active", "Password")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[storage.Clinician] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = accounts.accounts(include_inactive=True)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        c = self.rows[index.row()]
        return (c.name, roles.roles_text(c.roles), "yes" if c.active else "no (deactivated)",
                "to be changed at the next sign-in" if c.must_change_password else "")[index.column()]


class CliniciansDialog(QDialog):
    """The clinic's accounts, for an administrator."""

    def __init__(self, parent=None, *, author: storage.Clinician, run_dialog=None):
        super().__init__(parent)
        self.setWindowTitle("Clinicians")
        self.author = author
        self.run_dialog = run_dialog or (lambda d: d.exec() == QDialog.DialogCode.Accepted)
        self.model = AccountsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add = QPushButton("&Add…")
        self.active = QPushButton("&Deactivate")
        self.reset = QPushButton("&Reset password…")
        self.set_roles = QPushButton("Set r&oles…")
        close = QPushButton("Close")
        self.add.clicked.connect(self.add_account)
        self.active.clicked.connect(self.toggle_active)
        self.reset.clicked.connect(self.reset_password)
        self.set_roles.clicked.connect(self.change_roles)
        close.clicked.connect(self.accept)
        self.message = _message()
        buttons = QHBoxLayout()
        for b in (self.add, self.active, self.reset, self.set_roles):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Everyone who signs in to this clinic. Deactivated accounts keep their records."))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.resize(760, 380)
        if self.model.rows:
            self.table.selectRow(0)
        self._update()

    def selected(self) -> storage.Clinician | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select(self, account_id: int) -> None:
        for i, c in enumerate(self.model.rows):
            if c.id == account_id:
                self.table.selectRow(i)

    def _update(self) -> None:
        why = why_not("manage_accounts", self.author)
        chosen = self.selected()
        self.active.setText("Reac&tivate" if chosen is not None and not chosen.active else "&Deactivate")
        for button in (self.add, self.active, self.reset, self.set_roles):
            button.setEnabled(not why and (button is self.add or chosen is not None))
            button.setToolTip(why)
        if chosen is not None and chosen.id == self.author.id:
            self.active.setEnabled(False)
            self.active.setToolTip("You cannot deactivate your own account.")

    def _done(self, text: str, account_id: int | None) -> None:
        self.model.reload()
        if account_id is not None:
            self.select(account_id)
        self.message.setText(text)
        self._update()

    def add_account(self) -> bool:
        dialog = AccountDialog(self, author=self.author)
        if self.run_dialog(dialog) and dialog.saved:
            self._done(f"Added {dialog.saved.name} ({roles.roles_text(dialog.saved.roles)}).", dialog.saved.id)
            return True
        return False

    def toggle_active(self) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        try:
            done = accounts.set_active(account=chosen.id, active=not chosen.active, author=self.author)
        except (OperationError, storage.StorageError) as exc:
            self.message.setText(str(exc))
            return False
        self._done(f"{'Reactivated' if done.active else 'Deactivated'} {done.name}.", done.id)
        return True

    def reset_password(self) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        dialog = PasswordDialog(self, author=self.author, mode="reset", account=chosen)
        if self.run_dialog(dialog):
            self._done(f"Reset the password of {chosen.name}: they choose a new one at their next sign-in.",
                       chosen.id)
            return True
        return False

    def change_roles(self) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        dialog = RolesDialog(self, account=chosen, author=self.author)
        if self.run_dialog(dialog) and dialog.saved:
            self._done(f"{dialog.saved.name} is now {roles.roles_text(dialog.saved.roles)}.", chosen.id)
            return True
        return False
