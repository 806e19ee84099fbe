"""Small painted icons of the editor (no image files to ship): a section's completion in the navigator,
a finding's severity in the checks panel, and the count badges beside the navigator's sections.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from .style import SEVERITY_COLORS, UI_FAMILIES


def _pixmap(width: int, height: int = 16) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(width * 2, height * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def _font(pixel_size: int, bold: bool = True) -> QFont:
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font


_ICON_CACHE: dict = {}


def status_icon(state: str) -> QIcon:
    """Section completion: filled ✓, partial, empty ○, required-but-empty (orange)."""
    if ("status", state) in _ICON_CACHE:
        return _ICON_CACHE[("status", state)]
    pixmap, p = _pixmap(16)
    rect = QRectF(2.5, 2.5, 11, 11)
    if state == "filled":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2e7d32"))
        p.drawEllipse(rect)
        pen = QPen(QColor("white"), 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        path = QPainterPath(QPointF(5.3, 8.2))
        path.lineTo(7.2, 10.1)
        path.lineTo(10.8, 6.0)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    elif state == "partial":
        p.setPen(QPen(QColor("#2e7d32"), 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2e7d32"))
        p.drawPie(rect, 90 * 16, 180 * 16)
    elif state == "required":
        p.setPen(QPen(QColor("#e65100"), 1.8))
        p.setBrush(QColor("#fff3e0"))
        p.drawEllipse(rect)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e65100"))
        p.drawEllipse(QRectF(6.2, 6.2, 3.6, 3.6))
    else:
        p.setPen(QPen(QColor("#9aa3ad"), 1.3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
    p.end()
    icon = QIcon(pixmap)
    _ICON_CACHE[("status", state)] = icon
    return icon


def severity_icon(severity: str) -> QIcon:
    if ("severity", severity) in _ICON_CACHE:
        return _ICON_CACHE[("severity", severity)]
    pixmap, p = _pixmap(16)
    color = QColor(SEVERITY_COLORS.get(severity, "#777777"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    if severity == "kept":  # a warning kept with a written reason: rounded square with a check mark
        p.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 3, 3)
        pen = QPen(QColor("white"), 1.9)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        path = QPainterPath(QPointF(4.6, 8.3))
        path.lineTo(7.0, 10.7)
        path.lineTo(11.6, 5.4)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.end()
        icon = QIcon(pixmap)
        _ICON_CACHE[("severity", severity)] = icon
        return icon
    if severity == "warning":
        p.drawPolygon(QPolygonF([QPointF(8, 1.5), QPointF(15, 14.5), QPointF(1, 14.5)]))
        p.setPen(QColor("#3a2a00"))
        mark, top = "!", 4.5
    else:
        p.drawEllipse(QRectF(1.5, 1.5, 13, 13))
        p.setPen(QColor("white"))
        mark, top = ("!" if severity == "error" else "i"), 1.5
    p.setFont(_font(11))
    p.drawText(QRectF(0, top, 16, 12.5), Qt.AlignmentFlag.AlignCenter, mark)
    p.end()
    icon = QIcon(pixmap)
    _ICON_CACHE[("severity", severity)] = icon
    return icon


def badge_icon(count: int, severity: str) -> QIcon:
    key = ("badge", count, severity)
    if key in _ICON_CACHE:
        return _ICON_CACHE[key]
    text = str(count) if count < 100 else "99+"
    width = 16 if len(text) == 1 else 22
    pixmap, p = _pixmap(width)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(SEVERITY_COLORS[severity]))
    p.drawRoundedRect(QRectF(0.5, 1.5, width - 1, 13), 6.5, 6.5)
    p.setPen(QColor("white"))
    p.setFont(_font(10))
    p.drawText(QRectF(0, 1.5, width, 13), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    icon = QIcon(pixmap)
    _ICON_CACHE[key] = icon
    return icon
