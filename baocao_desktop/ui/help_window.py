"""Hướng dẫn sử dụng: the Vietnamese user guide shipped in resources/help/ (HTML with pictures of the screens,
made by scripts/help_images.py from scripts/screenshots.py), shown offline in a QTextBrowser. F1 and
Trợ giúp → Hướng dẫn sử dụng open it at the part about the screen the user is on; F1 works in every dialog
too (install_help_key), at the part its help line (HelpLine: what the screen is for, the next step, a link to
its part of the guide) names."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ..resources import resource_path

GUIDE = ("help", "huong_dan.html")
# the parts of the guide each screen opens at (anchors in huong_dan.html)
SCREEN_ANCHORS = {"list": "danh-sach", "editor": "soan-bao-cao", "header": "thong-tin-van-ban"}

_open: "HelpWindow | None" = None


class HelpWindow(QDialog):
    """The guide in its own window (not modal: the user reads it beside the screen it explains)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng BaoCao")
        self.setModal(False)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        guide = resource_path(*GUIDE)
        self.browser.setSearchPaths([str(guide.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(guide)))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đón&g")
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self)
        back.activated.connect(self.browser.backward)
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(900, int(screen.width() * 0.8)) if screen else 900
        height = min(720, int(screen.height() * 0.85)) if screen else 640
        self.resize(width, height)

    def show_part(self, screen: str = "") -> None:
        """Scroll to the part about `screen` ("list", "editor", "header", or an anchor of the guide); the top
        for anything else."""
        anchor = SCREEN_ANCHORS.get(screen, screen)
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)


def _forget() -> None:
    global _open
    _open = None


def open_help(parent: QWidget | None, screen: str = "") -> HelpWindow:
    """Show the guide (one window, raised when already open) at the part about `screen`."""
    global _open
    if _open is None or _open.parent() is not parent:
        _open = HelpWindow(parent)
        _open.destroyed.connect(_forget)  # closed with its parent window: the next F1 makes a new one
    _open.show()
    _open.raise_()
    _open.activateWindow()
    _open.show_part(screen)
    return _open


def open_help_for(main_window) -> HelpWindow:
    """F1 in the main window: the part about the report list, the editor, or its “Thông tin văn bản” page."""
    screen = "list"
    if main_window.stack.currentIndex() == main_window.PAGE_EDITOR:
        editor = getattr(main_window, "editor", None)
        pages = getattr(editor, "pages", None)
        on_header = pages is not None and pages.currentWidget() is getattr(editor, "header_page", None)
        screen = "header" if on_header else "editor"
    return open_help(main_window, screen)


# == a screen's help line ============================================================================
HELP_COLOR = "#5f6b78"
PART = "help_part"  # the property naming a label's part of the guide (a screen's help line)


def link_help(label: QLabel, part: str) -> QLabel:
    """Make `label` (a screen's intro, plain text) its help line: it ends with a link to the screen's part of
    the guide, the part F1 opens there too."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and re.search(r"</?[a-zA-Z][^>]*>", text) is not None)
    if not rich:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(f'{text} <a href="{part}">Xem hướng dẫn (F1)</a>')
    label.setWordWrap(True)  # never widens its window
    label.setProperty(PART, part)
    label.linkActivated.connect(lambda anchor: open_help(label.window(), anchor))
    return label


def help_line(text: str, part: str) -> QLabel:
    """One muted line at the top of a screen: what it is for and the next step, linked to its part of the
    guide."""
    from PySide6.QtWidgets import QSizePolicy
    label = QLabel(text)
    label.setObjectName("helpLine")
    label.setStyleSheet(f"color: {HELP_COLOR};")
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # never takes the screen's room
    return link_help(label, part)


def add_help_line(window: QWidget, text: str, part: str) -> QLabel:
    """help_line() put first in `window`'s own layout (a box or a form)."""
    from PySide6.QtWidgets import QBoxLayout, QFormLayout
    line = help_line(text, part)
    layout = window.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, line)
    elif isinstance(layout, QFormLayout):
        layout.insertRow(0, line)
    return line


def help_part(window: QWidget) -> str:
    """The part of the guide about `window`: its help line's (the first shown one), else its parent's."""
    while window is not None:
        lines = [label for label in window.findChildren(QLabel)
                 if label.property(PART) and label.window() is window]
        shown = [label for label in lines if label.isVisible()] or lines
        if shown:
            return str(shown[0].property(PART))
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    return ""


# == F1 everywhere ===================================================================================
class HelpKey:
    """Gives each window that has no F1 of its own (every dialog, modal ones included: the main window's
    F1 action cannot reach past a modal dialog) an F1 shortcut opening the guide at its part. Added when the
    keyboard focus first enters the window."""

    PROPERTY = "_baocao_help_key"

    def __init__(self, app: QApplication):
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        if new is None:
            return
        window = new.window()
        if window is None or window.property(self.PROPERTY) or isinstance(window, HelpWindow):
            return
        window.setProperty(self.PROPERTY, True)
        f1 = QKeySequence("F1")
        if any(action.shortcut() == f1 for action in window.findChildren(QAction)):
            return  # the main window: its Trợ giúp action knows the list, the editor and the header page
        key = QShortcut(f1, window)
        key.activated.connect(lambda: open_help(window, help_part(window)))


def install_help_key(app: QApplication) -> HelpKey:
    existing = getattr(app, "_baocao_help_key", None)
    if existing is None:
        existing = app._baocao_help_key = HelpKey(app)  # keep a Python reference
    return existing
