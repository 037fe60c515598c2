"""The kiosk's look: large type and touch targets, scaled to the screen (1.0 at 1366x768)."""

from __future__ import annotations

BLUE = "#0b4f8a"
BLUE_DARK = "#083a66"
ORANGE = "#e8731a"
GREEN = "#2e7d32"
RED = "#c62828"
INK = "#1d2733"
MUTED = "#5b6775"
PAGE = "#eef3f8"
RATING_COLOURS = {1: "#c62828", 2: "#d9730d", 3: "#558b2f", 4: "#1b5e20"}
RATING_TINTS = {1: "#fdecea", 2: "#fff1e3", 3: "#eef6e6", 4: "#e3f1e4"}


def scale_for(width: int, height: int) -> float:
    return max(0.8, min(1.7, min(width / 1366, height / 768)))


def stylesheet(scale: float = 1.0) -> str:
    def px(value: float) -> str:
        return f"{round(value * scale)}px"

    return f"""
    QWidget#kioskWindow {{ background: {PAGE}; }}
    QWidget {{ color: {INK}; font-size: {px(20)}; }}
    QFrame#kioskHeader {{ background: {BLUE}; }}
    QFrame#kioskHeader QLabel {{ color: white; }}
    QLabel#officeName {{ font-size: {px(24)}; font-weight: 600; }}
    QLabel#officeSubtitle {{ font-size: {px(16)}; color: #d5e4f3; }}
    QPushButton#staffCorner {{ background: white; color: {BLUE}; border: none; border-radius: {px(12)};
        font-size: {px(22)}; font-weight: 800; min-width: {px(76)}; max-width: {px(76)};
        min-height: {px(60)}; max-height: {px(60)}; padding: 0; }}
    QPushButton#languageSwitch {{ background: transparent; color: white; border: 2px solid white;
        border-radius: {px(26)}; padding: {px(8)} {px(22)}; font-size: {px(18)}; min-height: {px(36)}; }}
    QLabel[role="title"] {{ font-size: {px(44)}; font-weight: 700; color: {BLUE_DARK}; }}
    QLabel[role="subtitle"] {{ font-size: {px(24)}; color: {MUTED}; }}
    QLabel[role="step"] {{ font-size: {px(18)}; color: {MUTED}; font-weight: 600; }}
    QLabel[role="stepTitle"] {{ font-size: {px(32)}; font-weight: 700; color: {BLUE_DARK}; }}
    QLabel[role="fieldLabel"] {{ font-size: {px(19)}; font-weight: 600; color: {INK}; }}
    QLabel[role="fieldError"] {{ font-size: {px(17)}; color: {RED}; font-weight: 600; }}
    QLabel[role="consent"] {{ font-size: {px(18)}; color: {INK}; }}
    QLabel[role="hint"] {{ font-size: {px(16)}; color: {MUTED}; }}
    QLabel[role="banner"] {{ background: #fdecea; color: {RED}; border: 2px solid {RED};
        border-radius: {px(10)}; padding: {px(10)} {px(16)}; font-size: {px(19)}; font-weight: 600; }}
    QLabel[role="notice"] {{ background: #e6f0fa; color: {BLUE_DARK}; border-radius: {px(10)};
        padding: {px(12)} {px(16)}; font-size: {px(19)}; }}
    QLabel[role="queueCode"] {{ font-size: {px(190)}; font-weight: 800; color: {BLUE_DARK}; }}
    QLabel[role="question"] {{ font-size: {px(38)}; font-weight: 700; color: {BLUE_DARK}; }}
    QFrame[role="card"] {{ background: white; border-radius: {px(18)}; border: 1px solid #d7e0ea; }}
    QLineEdit, QComboBox, QPlainTextEdit {{ background: white; border: 2px solid #9fb2c6;
        border-radius: {px(10)}; padding: {px(6)} {px(12)}; font-size: {px(22)}; }}
    QLineEdit, QComboBox {{ min-height: {px(48)}; }}
    QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border-color: {BLUE}; }}
    QLineEdit[invalid="true"], QComboBox[invalid="true"], QPlainTextEdit[invalid="true"] {{
        border: 3px solid {RED}; background: #fff5f5; }}
    QComboBox::drop-down {{ width: {px(44)}; border: none; }}
    QComboBox QAbstractItemView {{ font-size: {px(22)}; background: white; selection-background-color: {BLUE};
        selection-color: white; outline: none; }}
    QComboBox QAbstractItemView::item {{ min-height: {px(46)}; padding: 0 {px(10)}; }}
    QPushButton {{ border-radius: {px(12)}; font-size: {px(22)}; padding: {px(10)} {px(24)};
        min-height: {px(40)}; background: white; border: 2px solid #9fb2c6; color: {INK}; }}
    QPushButton:disabled {{ color: #9aa5b1; border-color: #d0d7df; background: #f3f5f7; }}
    QPushButton[role="primary"] {{ background: {ORANGE}; color: white; border: none; font-weight: 700;
        font-size: {px(26)}; min-height: {px(60)}; padding: {px(12)} {px(40)}; }}
    QPushButton[role="primary"]:pressed {{ background: #c75f10; }}
    QPushButton[role="primary"]:disabled {{ background: #f2b98c; color: white; }}
    QPushButton[role="secondary"] {{ background: white; color: {BLUE}; border: 2px solid {BLUE};
        font-weight: 600; min-height: {px(56)}; }}
    QPushButton[role="hero"] {{ background: {ORANGE}; color: white; border: none; font-weight: 700;
        font-size: {px(34)}; min-height: {px(110)}; min-width: {px(560)}; border-radius: {px(20)};
        padding: {px(16)} {px(48)}; }}
    QPushButton[role="heroAlt"] {{ background: white; color: {BLUE}; border: 3px solid {BLUE}; font-weight: 600;
        font-size: {px(26)}; min-height: {px(80)}; min-width: {px(560)}; border-radius: {px(20)};
        padding: {px(12)} {px(40)}; }}
    QPushButton[role="home"], QPushButton[role="homePoll"] {{ background: {ORANGE}; color: white; border: none;
        font-weight: 700; font-size: {px(32)}; min-height: {px(110)}; min-width: {px(420)};
        border-radius: {px(20)}; padding: {px(16)} {px(32)}; }}
    QPushButton[role="homePoll"] {{ background: {BLUE}; }}
    QPushButton[role="homeAlt"] {{ background: white; color: {BLUE}; border: 3px solid {BLUE}; font-weight: 600;
        font-size: {px(24)}; min-height: {px(64)}; min-width: {px(420)}; border-radius: {px(20)};
        padding: {px(10)} {px(32)}; }}
    QPushButton[role="choice"] {{ min-height: {px(40)}; font-size: {px(21)}; padding: {px(6)} {px(16)}; }}
    QPushButton[role="choice"]:checked {{ background: {BLUE}; color: white; border-color: {BLUE}; font-weight: 700; }}
    QWidget[invalid="true"] QPushButton[role="choice"] {{ border: 3px solid {RED}; }}
    QPushButton[role="rating"] {{ font-size: {px(30)}; font-weight: 700; min-height: {px(150)};
        border-radius: {px(18)}; }}
    QPushButton[role="key"] {{ font-size: {px(30)}; font-weight: 600; min-height: {px(64)}; min-width: {px(90)}; }}
    QCheckBox {{ font-size: {px(22)}; font-weight: 600; spacing: {px(14)}; }}
    QCheckBox::indicator {{ width: {px(40)}; height: {px(40)}; border: 3px solid {BLUE};
        border-radius: {px(8)}; background: white; }}
    QCheckBox::indicator:checked {{ background: {BLUE}; image: none; }}
    QCheckBox[invalid="true"]::indicator {{ border-color: {RED}; background: #fff5f5; }}
    QScrollArea {{ background: transparent; border: none; }}
    QScrollArea > QWidget > QWidget {{ background: transparent; }}
    QScrollBar:vertical {{ width: {px(18)}; background: #dde5ee; border-radius: {px(9)}; }}
    QScrollBar::handle:vertical {{ background: #8ea3b8; border-radius: {px(9)}; min-height: {px(60)}; }}
    """
