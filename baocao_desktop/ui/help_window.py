"""Hướng dẫn sử dụng: the Vietnamese user guide shipped in resources/help/ (HTML with pictures of the screens,
made by scripts/help_images.py from scripts/screenshots.py), shown offline in a QTextBrowser. F1 and
Trợ giúp → Hướng dẫn sử dụng open it at the part about the screen the user is on."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

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
        """Scroll to the part about `screen` ("list", "editor", "header"); the top for anything else."""
        anchor = SCREEN_ANCHORS.get(screen)
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
