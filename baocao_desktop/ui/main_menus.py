"""The main window's actions, menu bar (Tệp, Mẫu, Cấp trên, Đơn vị, Trợ giúp) and tool bar.

Every action is an attribute of the window (`window.act_new`…) and runs a window method or, for the
screens that live in their own modules (send, receive, inbox, aggregation, templates, keys), a function
`open_…(window)` imported when first used. This runs before the first paint (ui/main_window.py): no `Qt`
namespace here, and `setShortcuts`, not `setShortcut` (its Qt.Key overload builds the namespace).
The tool bar's icons are Qt's own common-style images read from its resources (the same pictures
`QStyle.standardIcon` gives under Fusion): touching `QStyle` builds its ~20 enum types (≈ 5 ms).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QFile, QSize
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QToolBar

from .common import set_enum_property

if TYPE_CHECKING:
    from .main_window import MainWindow


QT_IMAGES = ":/qt-project.org/styles/commonstyle/images/"


def common_icon(window: MainWindow, image: str, pixmap: str) -> QIcon:
    """Qt's common-style image `image` (file, standardbutton-open…) at every size Qt ships; should a Qt
    build lack it, the style's standard icon `pixmap` (a QStyle.StandardPixmap name)."""
    icon = QIcon()
    for size in (16, 32, 128):
        path = f"{QT_IMAGES}{image}-{size}.png"
        if QFile.exists(path):
            icon.addFile(path, QSize(size, size))
    if icon.isNull():
        from PySide6.QtWidgets import QStyle
        return window.style().standardIcon(getattr(QStyle.StandardPixmap, pixmap))
    return icon


def build_actions(window: MainWindow) -> None:
    window.act_new = QAction(common_icon(window, "file", "SP_FileIcon"), "Báo cáo &mới…", window)
    window.act_new.setShortcuts([QKeySequence(QKeySequence.StandardKey.New)])
    window.act_new.setToolTip("Tạo báo cáo mới từ một mẫu (Ctrl+N)")
    window.act_new.triggered.connect(window.new_report)
    window.act_open = QAction(common_icon(window, "standardbutton-open", "SP_DialogOpenButton"), "&Mở", window)
    window.act_open.setShortcuts([QKeySequence(QKeySequence.StandardKey.Open)])
    window.act_open.setToolTip("Mở báo cáo đang chọn (Ctrl+O)")
    window.act_open.triggered.connect(window.open_selected)
    window.act_export = QAction(common_icon(window, "standardbutton-save", "SP_DialogSaveButton"),
                                "&Xuất DOCX…", window)
    window.act_export.setShortcuts([QKeySequence("Ctrl+E")])
    window.act_export.setToolTip("Xuất báo cáo ra tệp Word (.docx) theo thể thức văn bản (Ctrl+E)")
    window.act_export.triggered.connect(lambda: window.export_docx())
    window.act_preview = QAction("&In / Xem trước khi in…", window)
    window.act_preview.setShortcuts([QKeySequence(QKeySequence.StandardKey.Print)])
    window.act_preview.setToolTip("Xem các trang như khi in, rồi in ra máy in (Ctrl+P)")
    window.act_preview.triggered.connect(lambda: window.print_preview())
    window.act_pdf = QAction("Xuất &PDF…", window)
    window.act_pdf.setToolTip("Xuất báo cáo ra tệp PDF (qua LibreOffice nếu máy có)")
    window.act_pdf.triggered.connect(lambda: window.export_pdf())
    window.act_import_docx = QAction("Nhập từ tệp &Word…", window)
    window.act_import_docx.setToolTip("Tạo báo cáo mới từ một tệp Word (.docx) đã có, theo mẫu chọn")
    window.act_import_docx.triggered.connect(lambda: window.import_docx())
    window.act_proofread = lazy_action(window, "&Soát lỗi văn bản Word…", "proofread_dialog", "open_proofread_dialog",
                                       "Soát lỗi số liệu, ngày tháng, tên đơn vị… trong một tệp Word (.docx) hoặc .txt",
                                       status_tip=False)
    window.act_delete = QAction("&Xóa báo cáo…", window)
    window.act_delete.triggered.connect(window.delete_selected)
    window.act_quit = QAction("T&hoát", window)
    window.act_quit.setShortcuts([QKeySequence("Ctrl+Q")])
    window.act_quit.triggered.connect(window.close)
    window.act_unit = QAction("&Thông tin đơn vị…", window)
    window.act_unit.triggered.connect(window.edit_unit)
    # Screens owned by their own modules, loaded when first used (keeps start-up lean).
    window.act_send = lazy_action(window, "&Gửi cấp trên…", "send_dialog", "open_send_dialog",
                                  "Ghi các báo cáo đã ký ra USB để gửi cấp trên (tệp .baocao có chữ ký số)")
    window.act_receive = lazy_action(window, "&Nhận báo cáo từ USB/thư mục…", "receive_dialog",
                                     "open_receive_dialog",
                                     "Nhận các tệp .baocao của đơn vị cấp dưới từ USB hoặc một thư mục")
    window.act_inbox = lazy_action(window, "&Tình hình nộp báo cáo…", "inbox_window", "open_inbox",
                                   "Đơn vị nào đã nộp, nộp muộn, chưa nộp; lỗi còn mở và giải trình")
    window.act_aggregate = lazy_action(window, "&Tổng hợp số liệu…", "aggregation_window", "open_aggregation",
                                       "Cộng số liệu các đơn vị theo mẫu và kỳ, so sánh, xuất báo cáo tổng hợp")
    window.act_units_registry = lazy_action(window, "Đơn vị cấp &dưới và khóa…", "key_dialogs",
                                            "open_unit_registry",
                                            "Danh sách đơn vị cấp dưới và mã nhận dạng khóa của từng đơn vị")
    window.act_templates = lazy_action(window, "&Quản lý mẫu báo cáo…", "template_manager", "open_template_manager",
                                       "Xem, sửa, thêm mẫu báo cáo; nhập/xuất gói mẫu")
    window.act_outline = lazy_action(window, "Tạo mẫu từ &đề cương…", "template_editor", "open_outline_import",
                                     "Biến đề cương của cấp trên (.docx/.txt) thành mẫu báo cáo có hướng dẫn")
    window.act_keys = lazy_action(window, "&Khóa chữ ký số của đơn vị…", "key_dialogs", "open_key_dialog",
                                  "Mã nhận dạng khóa để đọc qua điện thoại; xuất khóa công khai; khóa cấp trên")
    window.act_backup = lazy_action(window, "Sao &lưu dữ liệu…", "backup_dialog", "open_backup_dialog",
                                    "Ghi một bản sao toàn bộ dữ liệu vào thư mục hoặc USB (đã kiểm tra lại)")
    window.act_restore = lazy_action(window, "&Khôi phục từ bản sao lưu…", "backup_dialog", "open_restore_dialog",
                                     "Xem một bản sao lưu chứa gì rồi khôi phục; tệp hiện tại được giữ lại")
    window.act_migrate = QAction("C&huyển báo cáo sang phiên bản mẫu mới…", window)
    window.act_migrate.setToolTip("Xem trước nội dung nào sang mục nào của phiên bản mẫu mới, rồi chuyển")
    window.act_migrate.triggered.connect(lambda: window.migrate_report())
    window.act_about = QAction("&Giới thiệu", window)
    window.act_about.triggered.connect(window.about)
    window.act_back = QAction("← Danh sách báo cáo", window)
    window.act_back.triggered.connect(window.show_list)


def lazy_action(window: MainWindow, text: str, module: str, function: str, tip: str, *,
                status_tip: bool = True) -> QAction:
    """An action whose screen lives in `ui/<module>.py` as `function(main_window)`."""
    action = QAction(text, window)
    action.setToolTip(tip)
    if status_tip:
        action.setStatusTip(tip)

    def run() -> None:
        import importlib
        opener = getattr(importlib.import_module(f"{__package__}.{module}"), function)
        opener(window)
    action.triggered.connect(run)
    return action


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&Tệp")
    file_menu.addAction(window.act_new)
    file_menu.addAction(window.act_open)
    file_menu.addAction(window.act_export)
    file_menu.addAction(window.act_pdf)
    file_menu.addAction(window.act_preview)
    file_menu.addSeparator()
    file_menu.addAction(window.act_import_docx)
    file_menu.addAction(window.act_proofread)
    file_menu.addSeparator()
    file_menu.addAction(window.act_send)
    file_menu.addSeparator()
    file_menu.addAction(window.act_backup)
    file_menu.addAction(window.act_restore)
    file_menu.addSeparator()
    file_menu.addAction(window.act_quit)
    template_menu = bar.addMenu("&Mẫu")
    template_menu.addAction(window.act_templates)
    template_menu.addAction(window.act_outline)
    template_menu.addSeparator()
    template_menu.addAction(window.act_migrate)
    upper_menu = bar.addMenu("&Cấp trên")
    upper_menu.addAction(window.act_receive)
    upper_menu.addAction(window.act_inbox)
    upper_menu.addAction(window.act_aggregate)
    upper_menu.addSeparator()
    upper_menu.addAction(window.act_units_registry)
    unit_menu = bar.addMenu("Đơ&n vị")
    unit_menu.addAction(window.act_unit)
    unit_menu.addAction(window.act_keys)
    help_menu = bar.addMenu("Trợ &giúp")
    help_menu.addAction(window.act_about)


def build_toolbar(window: MainWindow) -> QToolBar:
    toolbar = QToolBar("Thanh công cụ")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    set_enum_property(toolbar, "toolButtonStyle", "ToolButtonTextBesideIcon")
    toolbar.addAction(window.act_new)
    toolbar.addAction(window.act_open)
    toolbar.addAction(window.act_export)
    window.addToolBar(toolbar)
    toolbar.toggleViewAction().setText("Hiện thanh công cụ")
    return toolbar


def enable_actions(window: MainWindow, *, ready: bool, on_list: bool, selected: bool, current: bool) -> None:
    """`ready`: the data is open; `selected`: a report is selected in the list; `current`: a report is
    in the editor or selected (what Xuất/In/Chuyển act on)."""
    for action in (window.act_new, window.act_unit, window.act_send, window.act_receive, window.act_inbox,
                   window.act_aggregate, window.act_units_registry, window.act_templates, window.act_outline,
                   window.act_keys, window.act_import_docx, window.act_backup, window.act_restore):
        action.setEnabled(ready)
    window.act_open.setEnabled(on_list and selected)
    for action in (window.act_export, window.act_pdf, window.act_preview, window.act_migrate):
        action.setEnabled(current)
