"""Windows and dialogs fit the screen they open on: an office laptop at 1366×768 with Windows' 125% scaling
leaves about 1093×614 logical pixels, less the taskbar. A window asking for more is shrunk to the available
area (its layout's minimum permitting) and moved inside it, once, when it is first shown."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QApplication, QWidget

FITTED = "_baocao_fitted"


def fit_to_screen(widget: QWidget) -> None:
    """Shrink and move a top-level widget into its screen's available geometry."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    area: QRect = screen.availableGeometry()
    frame = widget.frameGeometry()
    extra_w, extra_h = frame.width() - widget.width(), frame.height() - widget.height()  # the title bar
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, widget.minimumWidth()), max(height, widget.minimumHeight()))
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.left()), max(y, area.top()))


class ScreenFit(QObject):
    """Application-wide event filter: fits each window and dialog on its first show."""

    def eventFilter(self, watched, event):  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow() \
                and not watched.property(FITTED) and watched.windowType() in FITTED_TYPES:
            watched.setProperty(FITTED, True)
            fit_to_screen(watched)
        return False


def _fitted_types():
    from PySide6.QtCore import Qt
    return (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)


FITTED_TYPES = _fitted_types()


def install_screen_fit(app: QApplication) -> ScreenFit:
    existing = getattr(app, "_baocao_screen_fit", None)
    if existing is not None:
        return existing
    fit = ScreenFit(app)
    app.installEventFilter(fit)
    app._baocao_screen_fit = fit  # keep a Python reference
    return fit
