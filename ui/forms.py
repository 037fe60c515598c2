"""How a staff form refuses and closes, as the kiosk does: every problem at once in screen order, the
fields marked in red with their message, a mark gone as soon as its field is edited; and closing a form
with unsaved changes asks first."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from pstdesktop.services.errors import DomainError
from ui.i18n import language, tr

INVALID_STYLE = """
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"],
QAbstractSpinBox[invalid="true"] { border: 2px solid #b00020; border-radius: 3px; background: #fff5f6; }
QCheckBox[invalid="true"], QRadioButton[invalid="true"], QLabel[invalid="true"] { color: #b00020; }
"""
SUMMARY_STYLE = "color:#b00020; background:#fdecee; border:1px solid #f3c2c8; border-radius:4px; padding:6px 10px;"
INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)


class FormRefusal(Exception):
    """A form refused as a whole: ``errors`` holds every problem, keyed by field."""

    def __init__(self, errors: dict[str, DomainError]):
        super().__init__(next(iter(errors.values())).message("id") if errors else "")
        self.errors = errors


class FormErrors(QObject):
    """Shows a form's problems: a list in ``summary`` (one plain line when there is one), each field in
    red with its message as tooltip and accessible description, the first field focused. Editing a marked
    field removes its mark and its line; the list hides when nothing is left. ``fields`` maps each field
    key to its widget in screen order; the order of the list follows it, whatever order the errors came in."""

    def __init__(self, host: QWidget, summary: QLabel, fields: dict[str, QWidget], *,
                 forms: Iterable[QFormLayout] = (), summary_style: str = SUMMARY_STYLE):
        super().__init__(host)
        self.host, self.summary, self.fields = host, summary, dict(fields)
        self.forms = list(forms)
        self.summary_style = summary_style
        self.shown: dict[str, DomainError] = {}
        self._saved: dict[QWidget, tuple[str, str]] = {}
        if INVALID_STYLE not in host.styleSheet():
            host.setStyleSheet(host.styleSheet() + INVALID_STYLE)
        for key, widget in self.fields.items():
            _on_edit(widget, lambda *_a, k=key: self.clear(k))

    def show(self, errors: dict[str, DomainError]) -> bool:
        """Mark every refused field (replacing earlier marks); True when there was anything to show."""
        self.clear()
        order = list(self.fields)
        self.shown = dict(sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else -1))
        for key, error in self.shown.items():
            widget = self.fields.get(key)
            if widget is not None:
                self._mark(widget, error.message(language()))
        self._write()
        first = next((self.fields[k] for k in self.shown if k in self.fields and self.fields[k].isEnabled()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return bool(self.shown)

    def clear(self, key: str | None = None) -> None:
        """Take back the mark of one field (it was edited), or of all."""
        keys = list(self.shown) if key is None else [key] if key in self.shown else []
        for k in keys:
            del self.shown[k]
            if k in self.fields:
                self._unmark(self.fields[k])
        if keys or key is None:
            self._write()

    def say(self, text: str) -> None:
        """A refusal that names no field (or an unexpected fault), shown alone in the summary."""
        self.clear()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setText(text)
        self.summary.setStyleSheet(self.summary_style)
        self.summary.setVisible(True)

    def marked(self) -> list[str]:
        """The fields marked now, in screen order."""
        return [k for k in self.shown if k in self.fields]

    def _write(self) -> None:
        if not self.shown:
            self.summary.clear()
            self.summary.setVisible(False)
            return
        lines = [html.escape(e.message(language()), quote=False) for e in self.shown.values()]
        if len(lines) == 1:
            self.summary.setTextFormat(Qt.TextFormat.PlainText)
            self.summary.setText(next(iter(self.shown.values())).message(language()))
        else:
            self.summary.setTextFormat(Qt.TextFormat.RichText)
            self.summary.setText(tr(f"<b>Ada {len(lines)} isian yang perlu diperbaiki:</b>",
                                    f"<b>{len(lines)} entries need fixing:</b>")
                                 + "".join(f"<br>• {line}" for line in lines))
        self.summary.setStyleSheet(self.summary_style)
        self.summary.setVisible(True)

    def _mark(self, widget: QWidget, message: str) -> None:
        self._saved.setdefault(widget, (widget.toolTip(), widget.accessibleDescription()))
        widget.setToolTip(message)
        widget.setAccessibleDescription(message)
        for target in (widget, self._label(widget)):
            if target is not None:
                _flag(target, True)

    def _unmark(self, widget: QWidget) -> None:
        tip, description = self._saved.pop(widget, ("", ""))
        widget.setToolTip(tip)
        widget.setAccessibleDescription(description)
        for target in (widget, self._label(widget)):
            if target is not None:
                _flag(target, False)

    def _label(self, widget: QWidget) -> QWidget | None:
        for form in self.forms:
            label = form.labelForField(widget)
            if label is not None:
                return label
        return None


def _flag(widget: QWidget, on: bool) -> None:
    widget.setProperty("invalid", on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def _on_edit(widget: QWidget, slot) -> None:
    """Call ``slot`` whenever the user changes the widget's value."""
    if isinstance(widget, QLineEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        widget.editTextChanged.connect(slot)
    elif isinstance(widget, QDateTimeEdit):
        widget.dateTimeChanged.connect(slot)
    elif isinstance(widget, QAbstractSpinBox):
        getattr(widget, "valueChanged", widget.editingFinished).connect(slot)
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(slot)
    else:
        for child in widget.findChildren(QWidget):
            if isinstance(child, INPUTS):
                _on_edit(child, slot)


# --- unsaved changes -------------------------------------------------------------------------------

def _value(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    return None


class Snapshot:
    """The values of the inputs in ``root`` (or of the ``widgets`` given) at one moment, to tell whether the
    user has changed anything since."""

    def __init__(self, root: QWidget | None = None, widgets: Iterable[QWidget] = ()):
        self.widgets = list(widgets) or [w for w in root.findChildren(QWidget) if isinstance(w, INPUTS)
                                          and not (isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox))]
        self.taken = self._read()

    def _read(self) -> list[object]:
        return [_value(w) for w in self.widgets]

    def changed(self) -> bool:
        return self._read() != self.taken

    def retake(self) -> None:
        self.taken = self._read()


def confirm_discard(parent: QWidget) -> bool:
    """"Buang perubahan?" with Yes/No, No the default: True when the user lets the changes go."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("Buang perubahan?", "Discard changes?"),
                      tr("Isian yang belum disimpan akan hilang. Buang perubahan?",
                         "What you typed and did not save will be lost. Discard the changes?"),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("discardBox")
    box.button(QMessageBox.StandardButton.Yes).setText(tr("Ya, buang", "Yes, discard"))
    box.button(QMessageBox.StandardButton.No).setText(tr("Tidak", "No"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


class GuardedDialog(QDialog):
    """A dialog that asks before Esc, Cancel, Close or the window's X throw away what was typed. Call
    ``watch_changes()`` once the form is built (and again after saving part of it)."""

    unsaved: Snapshot | None = None

    def watch_changes(self, widgets: Iterable[QWidget] = ()) -> None:
        self.unsaved = Snapshot(self, widgets)

    def has_changes(self) -> bool:
        return self.unsaved is not None and self.unsaved.changed()

    def reject(self) -> None:
        if self.has_changes() and not confirm_discard(self):
            return  # kept open with everything typed
        super().reject()
