"""Technician screens: an on-screen PIN pad (a kiosk has no keyboard) and the settings page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from layso.kiosk import messages as m
from layso.kiosk.settings import PAPER_WIDTHS, KioskSettings
from layso.kiosk.ui import theme

BOLD = QFont.Weight.Bold
PX = 32


def _button(text: str, color: str = theme.NEUTRAL) -> QPushButton:
    button = theme.button(color, text)
    button.setFont(theme.font(PX, BOLD))
    button.setMinimumHeight(90)
    return button


class PinPad(QWidget):
    """Digits by touch; emits the PIN typed when OK is pressed."""

    entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = theme.label(px=PX * 1.2, weight=BOLD, wrap=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = theme.label(px=PX * 1.5, weight=BOLD)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = theme.label(px=PX, wrap=True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"color: {theme.ALERT};")
        keys = QGridLayout()
        keys.setSpacing(12)
        for i, digit in enumerate("123456789"):
            keys.addWidget(self._digit(digit), i // 3, i % 3)
        self.clear = _button(m.text("clear"))
        self.clear.clicked.connect(lambda: self._set(""))
        self.ok = _button(m.text("ok"), theme.OK_GREEN)
        self.ok.clicked.connect(lambda: self.entered.emit(self.pin))
        keys.addWidget(self.clear, 3, 0)
        keys.addWidget(self._digit("0"), 3, 1)
        keys.addWidget(self.ok, 3, 2)
        self.cancel = _button(m.text("cancel"))
        self.cancel.clicked.connect(self.cancelled.emit)
        column = QVBoxLayout(self)
        column.setContentsMargins(60, 30, 60, 30)
        column.addWidget(self.title)
        column.addWidget(self.dots)
        column.addWidget(self.message)
        column.addLayout(keys, 1)
        column.addWidget(self.cancel)
        self.pin = ""

    def _digit(self, digit: str) -> QPushButton:
        button = _button(digit, theme.SERVICE)
        button.setObjectName(f"digit{digit}")
        button.clicked.connect(lambda: self._set((self.pin + digit)[:8]))
        return button

    def _set(self, pin: str) -> None:
        self.pin = pin
        self.dots.setText("●" * len(pin) or " ")

    def ask(self, title: str, message: str = "", can_cancel: bool = True) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.cancel.setVisible(can_cancel)
        self._set("")


class SettingsPanel(QWidget):
    """Server, token, printer, paper width; check and test the printer; leave kiosk mode."""

    save_requested = Signal(object)   # KioskSettings with the new values
    check_requested = Signal()
    test_requested = Signal()
    reprint_requested = Signal()
    exit_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = theme.label(m.text("settings_title"), PX * 1.2, BOLD)
        self.server = QLineEdit()
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.printer = QLineEdit()
        self.printer.setPlaceholderText("tcp://192.168.1.50:9100")
        self.width_box = QComboBox()
        for width in PAPER_WIDTHS:
            self.width_box.addItem(f"{width} ({'58' if width == 384 else '80'} mm)", width)
        form = QFormLayout()
        form.setVerticalSpacing(14)
        for key, field in (("server_url", self.server), ("device_token", self.token),
                           ("printer_uri", self.printer), ("paper_width", self.width_box)):
            field.setFont(theme.font(PX))
            field.setMinimumHeight(70)
            form.addRow(theme.label(m.text(key), PX), field)
        self.status = theme.label(px=PX, wrap=True)
        self.check = _button(m.text("check_printer"))
        self.test = _button(m.text("test_print"))
        self.reprint = _button(m.text("reprint_none"))
        self.save = _button(m.text("save"), theme.OK_GREEN)
        self.exit = _button(m.text("exit_kiosk"), theme.ALERT)
        self.back = _button(m.text("back"))
        self.check.clicked.connect(self.check_requested.emit)
        self.test.clicked.connect(self.test_requested.emit)
        self.reprint.clicked.connect(self.reprint_requested.emit)
        self.save.clicked.connect(self._save)
        self.exit.clicked.connect(self.exit_requested.emit)
        self.back.clicked.connect(self.closed.emit)
        printer_row, action_row = QHBoxLayout(), QHBoxLayout()
        for button in (self.check, self.test, self.reprint):
            printer_row.addWidget(button)
        for button in (self.save, self.back, self.exit):
            action_row.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(40, 30, 40, 30)
        column.setSpacing(16)
        column.addWidget(self.title)
        column.addLayout(form)
        column.addWidget(self.status)
        column.addLayout(printer_row)
        column.addStretch(1)
        column.addLayout(action_row)
        self._settings = KioskSettings()

    def load(self, settings: KioskSettings, last_number: str | None) -> None:
        self._settings = settings
        self.server.setText(settings.server_url)
        self.token.setText(settings.token)
        self.printer.setText(settings.printer_uri)
        self.width_box.setCurrentIndex(PAPER_WIDTHS.index(settings.paper_width))
        self.reprint.setEnabled(last_number is not None)
        self.reprint.setText(m.text("reprint", number=last_number) if last_number
                             else m.text("reprint_none"))
        self.status.setText("")

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def _save(self) -> None:
        s = self._settings
        token = self.token.text().strip()
        updated = KioskSettings(server_url=self.server.text().strip(), token=token,
                                printer_uri=self.printer.text().strip(),
                                paper_width=int(self.width_box.currentData()),
                                pin_hash=s.pin_hash, path=s.path,
                                # a token from a file stays out of it unless one is typed
                                stored_token=s.stored_token if token == s.token else None)
        self.save_requested.emit(updated)
