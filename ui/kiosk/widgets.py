"""Touch-sized building blocks of the kiosk pages, with texts that follow the language switch."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from pstdesktop.services.guestbook import mask_identity
from ui.i18n import tr
from ui.widgets import named


class Texts:
    """Every text of a page as (setter, Indonesian, English); ``apply`` re-sets them after a switch."""

    def __init__(self) -> None:
        self._items: list[tuple[Callable[[str], object], str, str]] = []

    def bind(self, setter: Callable[[str], object], indonesian: str, english: str) -> None:
        self._items.append((setter, indonesian, english))
        setter(tr(indonesian, english))

    def apply(self) -> None:
        for setter, indonesian, english in self._items:
            setter(tr(indonesian, english))


def restyle(widget: QWidget, **properties) -> None:
    """Set style properties (role, invalid) and make the style sheet see them."""
    for key, value in properties.items():
        widget.setProperty(key, value)
    for target in (widget, *widget.findChildren(QWidget)):
        target.style().unpolish(target)
        target.style().polish(target)
        target.updateGeometry()


def label(texts: Texts, name: str, role: str, indonesian: str, english: str, wrap: bool = True) -> QLabel:
    widget = named(QLabel(), name, tr(indonesian, english))
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    texts.bind(widget.setText, indonesian, english)
    texts.bind(widget.setAccessibleName, indonesian, english)
    return widget


def button(texts: Texts, name: str, role: str, indonesian: str, english: str) -> QPushButton:
    widget = named(QPushButton(), name, tr(indonesian, english))
    widget.setProperty("role", role)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.setAutoDefault(False)
    texts.bind(widget.setText, indonesian, english)
    texts.bind(widget.setAccessibleName, indonesian, english)
    return widget


def card() -> QFrame:
    frame = QFrame()
    frame.setProperty("role", "card")
    return frame


def scroll(inner: QWidget) -> QScrollArea:
    """A frameless scroll area a finger can drag."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(inner)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class ChoiceButtons(QWidget):
    """One answer out of a few, as big toggle buttons; ``value()`` is None until one is tapped."""

    changed = Signal(object)

    def __init__(self, name: str, accessible: tuple[str, str], options: Sequence[tuple[object, str, str]],
                 texts: Texts, columns: int = 2):
        super().__init__()
        named(self, name, tr(*accessible))
        texts.bind(self.setAccessibleName, *accessible)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.values: list[object] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        for index, (value, indonesian, english) in enumerate(options):
            choice = button(texts, f"{name}_{index}", "choice", indonesian, english)
            choice.setCheckable(True)
            choice.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
            self.group.addButton(choice, index)
            self.values.append(value)
            grid.addWidget(choice, index // columns, index % columns)
        self.group.idClicked.connect(lambda index: self.changed.emit(self.values[index]))

    def value(self) -> object:
        index = self.group.checkedId()
        return None if index < 0 else self.values[index]

    def set_value(self, value: object) -> None:
        if value in self.values:
            self.group.button(self.values.index(value)).setChecked(True)
        else:
            self.clear()
        self.changed.emit(self.value())

    def clear(self) -> None:
        self.group.setExclusive(False)
        for choice in self.group.buttons():
            choice.setChecked(False)
        self.group.setExclusive(True)


class OptionBox(QComboBox):
    """A drop-down of domain values with a "choose" first line; shows translated words."""

    def __init__(self, name: str, accessible: tuple[str, str], options: Sequence[tuple[str, str, str]],
                 texts: Texts, prompt: tuple[str, str] = ("— pilih —", "— choose —")):
        super().__init__()
        named(self, name, tr(*accessible))
        texts.bind(self.setAccessibleName, *accessible)
        self.options = [("", *prompt), *options]
        for _ in self.options:
            self.addItem("")
        self.setMaxVisibleItems(9)
        self.retranslate()

    def retranslate(self) -> None:
        for index, (_value, indonesian, english) in enumerate(self.options):
            self.setItemText(index, tr(indonesian, english))

    def value(self) -> str:
        return self.options[self.currentIndex()][0]

    def set_value(self, value: str) -> None:
        values = [option[0] for option in self.options]
        self.setCurrentIndex(values.index(value) if value in values else 0)


class MaskedLineEdit(QLineEdit):
    """An identity number shown masked (``8171********0001``) once typed; tapping it starts a new entry
    and leaving it untouched brings the old one back."""

    def __init__(self) -> None:
        super().__init__()
        self._value = ""
        self._masked = False
        self.editingFinished.connect(self._mask)

    def value(self) -> str:
        return self._value if self._masked else self.text().strip()

    def set_value(self, value: str) -> None:
        self._value = value or ""
        self._masked = bool(self._value)
        self.setText(mask_identity(self._value) if self._value else "")

    def clear_value(self) -> None:
        self._value, self._masked = "", False
        self.clear()

    def _mask(self) -> None:
        if not self._masked and self.text().strip():
            self.set_value(self.text().strip())

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._masked:
            self._masked = False
            self.clear()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if not self.text().strip() and self._value:
            self.set_value(self._value)
        else:
            self._mask()


class BigCheckBox(QCheckBox):
    """A check box whose large indicator shows a clear white tick when checked; a tap anywhere on
    its row toggles it."""

    def hitButton(self, pos) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.isChecked():
            return
        option = QStyleOptionButton()
        self.initStyleOption(option)
        box = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("white"), max(3.0, box.width() / 8), Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        w, h, x, y = box.width(), box.height(), box.x(), box.y()
        painter.drawPolyline([QPointF(x + w * 0.24, y + h * 0.52), QPointF(x + w * 0.43, y + h * 0.71),
                              QPointF(x + w * 0.77, y + h * 0.3)])
        painter.end()


class FieldBox(QWidget):
    """A question: its label, the control, and the plain message shown when the answer is refused."""

    def __init__(self, field: str, caption: tuple[str, str], control: QWidget, texts: Texts,
                 hint: tuple[str, str] | None = None):
        super().__init__()
        self.field, self.control = field, control
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.caption = label(texts, f"label_{field}", "fieldLabel", *caption)
        self.caption.setBuddy(control)
        layout.addWidget(self.caption)
        if hint:
            layout.addWidget(label(texts, f"hint_{field}", "hint", *hint))
        layout.addWidget(control)
        self.error = named(QLabel(""), f"error_{field}", tr("Pesan kesalahan", "Error message"))
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        restyle(self.control, invalid=bool(message))
        for inner in self.control.findChildren(QLineEdit):
            restyle(inner, invalid=bool(message))
