"""Shared Qt helpers: Vietnamese button texts, the Qt-strings translator, fonts, message boxes.

Qt ships no qtbase_vi.qm, so the few strings Qt itself shows (standard buttons, the text-field context
menu, the non-native file dialog) are translated here by a QTranslator subclass, and every button box
and message box we build also gets its texts set directly.

This module is on the start-up path (ui/app.py): it imports at the top only what the first paint needs.
PySide6 builds a class's enum types on first access (the `Qt` namespace alone: ~90 types, ~15 ms), so
`Qt`, the table, the button box and `datetime` are imported by the functions that use them.
"""
from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QTableWidget

APP_TITLE = "BaoCao"

# -- standard buttons --------------------------------------------------------------------------------
# Built on first use: touching PySide6 enum types costs start-up time.
_BUTTON_WORDS = {
    "Ok": "Đồng ý", "Cancel": "Hủy", "Yes": "Có", "No": "Không", "Save": "Lưu", "Close": "Đóng", "Open": "Mở",
    "Apply": "Áp dụng", "Discard": "Bỏ qua", "Help": "Trợ giúp", "Reset": "Đặt lại",
    "RestoreDefaults": "Khôi phục mặc định", "Abort": "Dừng", "Retry": "Thử lại", "Ignore": "Bỏ qua",
    "YesToAll": "Có tất cả", "NoToAll": "Không tất cả", "SaveAll": "Lưu tất cả",
}


@functools.cache
def button_texts() -> dict:
    """QDialogButtonBox.StandardButton → Vietnamese text."""
    from PySide6.QtWidgets import QDialogButtonBox
    return {getattr(QDialogButtonBox.StandardButton, name): text for name, text in _BUTTON_WORDS.items()}


@functools.cache
def message_button_texts() -> dict:
    """QMessageBox.StandardButton → Vietnamese text."""
    return {getattr(QMessageBox.StandardButton, name): text for name, text in _BUTTON_WORDS.items()}


def localize_button_box(box: QDialogButtonBox) -> QDialogButtonBox:
    """Give every standard button of `box` its Vietnamese text (idempotent)."""
    for which, text in button_texts().items():
        button = box.button(which)
        if button is not None:
            button.setText(text)
    return box


def button_box(buttons: QDialogButtonBox.StandardButton, parent: QWidget | None = None) -> QDialogButtonBox:
    from PySide6.QtWidgets import QDialogButtonBox
    return localize_button_box(QDialogButtonBox(buttons, parent))


def localize_message_box(box: QMessageBox) -> QMessageBox:
    for which, text in message_button_texts().items():
        button = box.button(which)
        if button is not None:
            button.setText(text)
    return box


# -- message boxes -----------------------------------------------------------------------------------
def widen_message_box(box: QMessageBox, min_width: int = 440) -> QMessageBox:
    """QMessageBox wraps long Vietnamese sentences and paths into a narrow column; give it room."""
    box.setStyleSheet(f"QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel {{ min-width: {min_width}px; }}")
    return box


def make_message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                     buttons: QMessageBox.StandardButton | None = None,
                     informative: str = "", detailed: str = "") -> QMessageBox:
    if buttons is None:
        buttons = QMessageBox.StandardButton.Ok
    box = QMessageBox(icon, title, text, buttons, parent)
    if informative:
        box.setInformativeText(informative)
    if detailed:
        box.setDetailedText(detailed)
    from PySide6.QtCore import Qt
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # messages can be copied
    if len(text) + len(informative) > 60:
        widen_message_box(box)
    return localize_message_box(box)


def show_info(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    make_message_box(parent, QMessageBox.Icon.Information, title, text, informative=informative).exec()


def show_warning(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    make_message_box(parent, QMessageBox.Icon.Warning, title, text, informative=informative).exec()


def show_error(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    make_message_box(parent, QMessageBox.Icon.Critical, title, text, informative=informative).exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str, default_yes: bool = False) -> bool:
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = make_message_box(parent, QMessageBox.Icon.Question, title, text, yes | no)
    box.setDefaultButton(yes if default_yes else no)
    return box.exec() == yes


# -- translator for Qt's own strings ----------------------------------------------------------------
_EDIT_MENU = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
    "Insert Unicode control character": "Chèn ký tự điều khiển Unicode",
}
_BUTTONS = {
    "OK": "Đồng ý",
    "&OK": "&Đồng ý",
    "Cancel": "Hủy",
    "&Cancel": "&Hủy",
    "&Yes": "&Có",
    "Yes": "Có",
    "&No": "&Không",
    "No": "Không",
    "Save": "Lưu",
    "&Save": "&Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Open": "&Mở",
    "Close": "Đóng",
    "&Close": "Đó&ng",
    "Apply": "Áp dụng",
    "Discard": "Bỏ qua",
    "Don't Save": "Không lưu",
    "Close without Saving": "Đóng không lưu",
    "Help": "Trợ giúp",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
    "Abort": "Dừng",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Yes to &All": "Có &tất cả",
    "N&o to All": "Khôn&g tất cả",
}
_FILE_DIALOG = {
    "&Look in:": "&Tìm trong:",
    "Look in:": "Tìm trong:",
    "File &name:": "&Tên tệp:",
    "Files of &type:": "&Kiểu tệp:",
    "Files of type:": "Kiểu tệp:",
    "Directory:": "Thư mục:",
    "&Choose": "&Chọn",
    "Save As": "Lưu thành",
    "All Files (*)": "Tất cả các tệp (*)",
    "All Files (*.*)": "Tất cả các tệp (*.*)",
    "&New Folder": "Thư mục &mới",
    "New Folder": "Thư mục mới",
    "Create New Folder": "Tạo thư mục mới",
    "Create a New Folder": "Tạo thư mục mới",
    "&Delete": "&Xóa",
    "&Rename": "Đổi &tên",
    "Show &hidden files": "Hiện tệp ẩ&n",
    "Back": "Quay lại",
    "Go back": "Quay lại",
    "Forward": "Tiến tới",
    "Go forward": "Tiến tới",
    "Parent Directory": "Thư mục cha",
    "Go to the parent directory": "Lên thư mục cha",
    "List View": "Dạng danh sách",
    "Detail View": "Dạng chi tiết",
    "Change to list view mode": "Xem dạng danh sách",
    "Change to detail view mode": "Xem dạng chi tiết",
    "Sidebar": "Thanh bên",
    "List of places and bookmarks": "Các vị trí và dấu trang",
    "Files": "Tệp",
    "Recent Places": "Vị trí gần đây",
    "Are you sure you want to delete '%1'?": "Bạn có chắc muốn xóa “%1”?",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nBạn có muốn ghi đè không?",
    "%1\nFile not found.\nPlease verify the correct file name was given.":
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
        "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
}
_FILE_MODEL = {
    "Name": "Tên",
    "Size": "Kích thước",
    "Type": "Kiểu",
    "Kind": "Kiểu",
    "Date Modified": "Ngày sửa",
    "Computer": "Máy tính",
    "My Computer": "Máy tính",
    "Drive": "Ổ đĩa",
    "Folder": "Thư mục",
    "File Folder": "Thư mục",
    "File": "Tệp",
}
TRANSLATIONS: dict[str, dict[str, str]] = {
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": _BUTTONS,
    "QMessageBox": {**_BUTTONS, "Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…"},
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": _EDIT_MENU,
    "QTextControl": _EDIT_MENU,
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "Tăng", "Step &down": "&Giảm"},
    "QProgressDialog": {"Cancel": "Hủy"},
    "QFileDialog": {**_BUTTONS, **_FILE_DIALOG},
    "QFileSystemModel": _FILE_MODEL,
    "QAbstractFileIconProvider": _FILE_MODEL,
    "QCalendarWidget": {"Previous Month": "Tháng trước", "Next Month": "Tháng sau", "Week": "Tuần"},
    "QToolButton": {"Menu": "Trình đơn"},
    "QMainWindow": {},
}


class VietnameseQtTranslator(QTranslator):
    """Translates the strings Qt itself shows; everything else falls through untranslated."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: N802 (Qt API)
        # None (a null QString) means "not translated here": Qt then keeps its own text. An empty
        # string would replace it by nothing ("Ctrl+P" shown as "P", empty preview tool bar).
        table = TRANSLATIONS.get(context)
        if table:
            return table.get(source_text)
        return None

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False


# -- enum properties without the Qt namespace -----------------------------------------------------------
def set_enum_property(obj, name: str, keys: str) -> None:
    """Set a Qt enum or flag property by its C++ key names, e.g. `set_enum_property(label, "alignment",
    "AlignCenter")`, through Qt's property system (as Designer's .ui files do). For what the first paint
    shows: `Qt.AlignmentFlag.AlignCenter` would make PySide6 build the whole `Qt` namespace first."""
    if not obj.setProperty(name, keys):
        raise ValueError(f"{type(obj).__name__} has no property {name!r} taking {keys!r}")


# -- fonts and locale --------------------------------------------------------------------------------
FONT_CANDIDATES = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial")


def ask_save_path(parent: QWidget, settings, title: str, suggested_name: str, file_filter: str,
                  suffix: str):
    """A save dialog that starts in the last export folder (else Documents) and remembers it."""
    from pathlib import Path
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog
    folder = settings.value("export/dir") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested_name), file_filter)
    if not path:
        return None
    if not path.lower().endswith(suffix):
        path += suffix
    settings.setValue("export/dir", str(Path(path).parent))
    return Path(path)


def plain_edit(lines: int) -> QPlainTextEdit:
    """A plain text box at most `lines` high (at least two): forms below it keep their room on a
    768-pixel screen. Tab moves on to the next field instead of typing a tab."""
    from PySide6.QtWidgets import QPlainTextEdit
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    spacing = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(spacing * 2 + 14)
    edit.setMaximumHeight(spacing * lines + 14)
    return edit


def row_table(headers: list[str], read_only: bool = True, multiple: bool = False) -> QTableWidget:
    """A list shown as a table whose rows are selected whole: the first column (the name) takes the
    width left, the others fit their contents."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    if read_only:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multiple
                           else QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def scrolled(widget):
    """`widget` in a frameless scroll area that resizes it: a pane taller than a small screen scrolls
    instead of pushing the window's buttons off it."""
    from PySide6.QtWidgets import QFrame, QScrollArea
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def error_banner() -> QLabel:
    """A hidden red panel for a dialog's Vietnamese error message (selectable, so it can be copied)."""
    from PySide6.QtCore import Qt
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(
        "QLabel#errorLabel { color: #8a1c1c; background: #fdecea; border: 1px solid #f5c2c0;"
        " border-radius: 4px; padding: 6px 8px; }")
    label.hide()
    return label


def success_banner() -> QLabel:
    """A hidden green panel for a dialog's "done" message (selectable, so it can be copied)."""
    from PySide6.QtCore import Qt
    label = QLabel()
    label.setObjectName("successLabel")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("QLabel#successLabel { color: #1d5b2a; background: #e7f5ea; border: 1px solid #b7dfc0;"
                        " border-radius: 4px; padding: 8px 10px; font-weight: 600; }")
    label.hide()
    return label


class MessageBanners:
    """A dialog's red error and green success panels: `add_message_banners(layout)` once, then one of
    `show_error_message`, `show_success_message`, `clear_messages` (only one panel shows at a time)."""

    def add_message_banners(self, layout) -> None:
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        self.success_label = success_banner()
        layout.addWidget(self.success_label)

    def clear_messages(self) -> None:
        self.error_label.hide()
        self.success_label.hide()

    def show_error_message(self, text: str) -> None:
        self.success_label.hide()
        self.error_label.setText(text)
        self.error_label.show()

    def show_success_message(self, text: str) -> None:
        self.error_label.hide()
        self.success_label.setText(text)
        self.success_label.show()


def ui_font_family() -> str:
    if sys.platform == "win32":
        return "Segoe UI"
    families = set(QFontDatabase.families())
    for name in FONT_CANDIDATES[1:]:
        if name in families:
            return name
    return QFont().defaultFamily()


def ui_font(point_size: int = 10) -> QFont:
    font = QFont(ui_font_family(), point_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


def vietnamese_locale() -> QLocale:
    return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


# -- dates -------------------------------------------------------------------------------------------
def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    import datetime as dt
    return dt.date(day.year(), day.month(), day.day())


def local_time_text(iso_utc: str) -> str:
    """A stored UTC ISO timestamp as local "dd/mm/yyyy HH:MM" ('' when empty or unreadable)."""
    if not iso_utc:
        return ""
    import datetime as dt
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    local = moment.astimezone()
    return local.strftime("%d/%m/%Y %H:%M")


def heading_label_style(point_size: int = 15) -> str:
    return f"font-size: {point_size}pt; font-weight: 600;"


def settings_of(widget):
    """The QSettings of the window a widget sits in (MainWindow keeps one as `settings`); outside the app
    (no organisation name set) none, so that nothing is written anywhere."""
    from PySide6.QtCore import QCoreApplication, QSettings
    while widget is not None:
        settings = getattr(widget, "settings", None)
        if isinstance(settings, QSettings):
            return settings
        widget = widget.parentWidget()
    return QSettings() if QCoreApplication.organizationName() else None


def remember_splitter(splitter, key: str) -> None:
    """Where the user leaves a splitter's handles is kept under `key` in the settings and restored the next
    time it is shown (see settings_of)."""
    from PySide6.QtCore import QEvent, QObject

    class Memory(QObject):
        restored = False

        def eventFilter(self, watched, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Show and not self.restored:
                self.restored = True
                settings = settings_of(watched)
                state = settings.value(key) if settings is not None else None
                if state:
                    watched.restoreState(state)
            return False

    def save(*_):
        settings = settings_of(splitter)
        if settings is not None:
            settings.setValue(key, splitter.saveState())

    memory = Memory(splitter)
    splitter.installEventFilter(memory)
    splitter.splitterMoved.connect(save)
