"""Sign-in at start and after the idle lock; on a new clinic file, the first
clinician's account (there is no default password)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from taperdesk import storage


class SignInDialog(QDialog):
    def __init__(self, parent=None, *, hint: str = "", locked: bool = False):
        super().__init__(parent)
        self.setWindowTitle("TaperDesk: locked" if locked else "TaperDesk: sign in")
        self.clinician: storage.Clinician | None = None
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems([c.name for c in storage.list_clinicians()])
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(hint)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Password", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if locked:
            layout.addWidget(QLabel("TaperDesk was locked after a time without use. Sign in to go on."))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.password.setFocus()

    def try_sign_in(self) -> bool:
        try:
            clinician = storage.verify_password(name=self.name.currentText().strip(), password=self.password.text())
        except storage.StorageError as exc:  # too many wrong passwords: refused until a time (and why)
            self.message.setText(str(exc))
            self.password.clear()
            return False
        if clinician is None:
            self.message.setText("That name and password do not match an active account. Check both and try again.")
            self.password.selectAll()
            return False
        self.clinician = clinician
        self.accept()
        return True


class FirstClinicianDialog(QDialog):
    """A new clinic file has no accounts: the first one is a clinician's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("TaperDesk: first clinician")
        self.clinician: storage.Clinician | None = None
        self.name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Your name", self.name)
        form.addRow("&Password", self.password)
        form.addRow("Password &again", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create account")
        buttons.accepted.connect(self.try_create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("This clinic file is new. Create the first clinician's account; you can add others later."))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_create(self) -> bool:
        if self.password.text() != self.again.text():
            self.message.setText("The two passwords differ: type the same password twice.")
            return False
        try:
            self.clinician = storage.add_clinician(name=self.name.text().strip(), role="administrator,prescriber", password=self.password.text())
        except storage.StorageError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True
