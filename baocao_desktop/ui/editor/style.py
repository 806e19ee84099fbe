"""The editor's look: its style sheet, fonts and colours (status chips, severities), and a re-polish helper.

What the user sees: the colours and type of the whole report editor window.
"""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

UI_FAMILIES = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial"]
TEXT_FAMILIES = ["Times New Roman", "Liberation Serif", "Noto Serif", "DejaVu Serif"]

SEVERITY_COLORS = {"error": "#c62828", "warning": "#d98e04", "info": "#1f6fb2", "kept": "#2f7d6d"}
STATUS_STYLES = {
    "draft": ("#fff4d6", "#7a5600"),
    "for_signature": ("#e3efff", "#1b4f8f"),
    "signed": ("#e3f5e6", "#1e6b2e"),
    "sent": ("#ececec", "#444444"),
}

STYLE = """
QWidget#headerStrip { background: #f5f7fa; border-bottom: 1px solid #d9dfe6; }
QLabel#reportTitle { font-size: 12pt; font-weight: 600; color: #1d2b3a; }
QLabel#savedLabel { color: #5f6b78; }
QLabel#panelTitle { font-weight: 600; color: #33414f; padding: 2px 0; }
QLabel#sectionHeading { font-size: 12pt; font-weight: 600; color: #1d2b3a; }
QLabel#requiredChip { background: #fdecea; color: #a32020; border-radius: 8px; padding: 1px 8px;
                      font-size: 8.5pt; }
QFrame#guidance { background: #f0f5fb; border: 1px solid #d3e0ef; border-left: 4px solid #5a8ac6;
                  border-radius: 4px; }
QFrame#guidance QLabel { color: #263645; }
QFrame#indicatorCard { background: #ffffff; border: 1px solid #dde2e8; border-radius: 6px; }
QLabel#gridHeader { color: #5a6674; font-size: 8.5pt; font-weight: 600; }
QLabel#indicatorLabel { color: #1d2b3a; }
QLabel#unitLabel { color: #6b7784; }
QLabel#percentLabel { background: #eef6ee; border: 1px solid #d3e6d4; border-radius: 3px; padding: 2px 4px;
                      color: #1e6b2e; font-weight: 600; }
QLabel#percentLabel[empty="true"] { background: #f4f5f7; border: 1px solid #e3e6ea; color: #9aa3ad;
                                    font-weight: normal; }
QLineEdit#figure { padding: 2px 4px; }
QLineEdit#figure:read-only { background: #f2f4f6; color: #3c4752; }
QLineEdit#figure[finding="warning"] { border: 1px solid #e0a100; background: #fffaf0; }
QLineEdit#figure[finding="error"] { border: 1px solid #d32f2f; background: #fff6f6; }
QLineEdit#figure[invalid="true"] { border: 2px solid #c62828; background: #fff0f0; }
QLineEdit#figure[auto="true"] { color: #6b7785; font-style: italic; background: #f7f9fb; }
QLabel#sourceNote { font-size: 8.5pt; color: #5b6673; padding: 0 0 2px 8px; }
QLabel#fieldNote { font-size: 8.5pt; padding: 0 0 2px 8px; }
QLabel#fieldNote[severity="error"] { color: #b42318; }
QLabel#fieldNote[severity="warning"] { color: #8a5a00; }
QLineEdit#docNumber[invalid="true"] { border: 2px solid #c62828; background: #fff0f0; }
QLabel#fieldMessage { color: #b71c1c; background: #fff4f4; border: 1px solid #f3c6c6; border-radius: 4px;
                      padding: 5px 8px; }
QLabel#notice { color: #6b4e00; background: #fff8e1; border: 1px solid #f0dca0; border-radius: 4px;
                padding: 5px 8px; }
QLabel#lockedBanner { color: #1e4f7a; background: #e6f0fa; border: 1px solid #bcd3ea; border-radius: 4px;
                      padding: 6px 10px; font-weight: 600; }
QLabel#lockedBanner[alarm="true"] { color: #8c1d18; background: #fdecea; border: 1px solid #f1b8b3; }
QPushButton#signoffButton { padding: 3px 12px; border: 1px solid #b8c4d1; border-radius: 4px; background: #ffffff;
                            color: #1d2b3a; }
QPushButton#signoffButton:hover { background: #eef3f8; border-color: #8fa8c4; }
QPushButton#signoffButton:disabled { color: #9aa3ad; border-color: #dde2e8; }
QPushButton#signoffButton[primary="true"] { background: #1f5fa8; color: #ffffff; border: 1px solid #174c88;
                                            font-weight: 600; }
QPushButton#signoffButton[primary="true"]:hover { background: #2a6fbd; }
QLabel#tableTitle { font-weight: 600; color: #1d2b3a; padding-top: 4px; }
QLabel#sumHint { color: #8c1d18; background: #fff4f4; border: 1px solid #f3c6c6; border-radius: 4px;
                 padding: 4px 8px; }
QTableWidget#figureTable { gridline-color: #dde2e8; background: #ffffff; }
QTableWidget#figureTable QHeaderView::section { background: #f4f6f9; color: #33414f; border: none;
                                                border-right: 1px solid #dde2e8; border-bottom: 1px solid #dde2e8;
                                                padding: 3px 6px; }
QPushButton#checkAction { padding: 2px 8px; }
QWidget#headerStrip QLineEdit:read-only, QWidget#headerStrip QDateEdit[readOnly="true"] { background: #eef1f4;
                                                                                       color: #3c4752; }
QLabel#footnoteList { color: #3c4752; background: #fafbfc; border: 1px solid #e1e5ea; border-radius: 4px;
                      padding: 4px 8px; font-size: 9pt; }
QToolBar#narrativeBar { border: none; spacing: 2px; background: transparent; }
QToolBar#narrativeBar QToolButton { padding: 3px 7px; border: 1px solid transparent; border-radius: 3px; }
QToolBar#narrativeBar QToolButton:hover { border: 1px solid #c5ced8; background: #eef2f6; }
QToolBar#narrativeBar QToolButton:checked { border: 1px solid #8fa8c4; background: #dde8f4; }
QToolButton#filterButton { padding: 2px 4px; border: 1px solid #cfd6de; background: #ffffff; }
QToolButton#filterButton:checked { background: #dde8f4; border: 1px solid #8fa8c4; font-weight: 600; }
QTextEdit#narrative { border: 1px solid #cdd5de; border-radius: 4px; background: #ffffff; }
QTreeWidget { border: 1px solid #d9dfe6; }
QLabel#busyLabel { color: #7a8591; font-style: italic; font-size: 8.5pt; }
"""


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property it selects on changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
