"""Draws installer/baocao.ico (16–256 px): a white page with a red header bar and "BC".

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icon.py

The .ico is checked in; rerun this only to change the icon."""
from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen

SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 32.0
    page = QRectF(4 * s, 1.5 * s, 24 * s, 29 * s)
    path = QPainterPath()
    path.addRoundedRect(page, 2.5 * s, 2.5 * s)
    p.fillPath(path, QColor("#ffffff"))
    p.setPen(QPen(QColor("#7a1010"), max(1.0, 1.2 * s)))
    p.drawPath(path)
    p.fillRect(QRectF(4 * s, 1.5 * s, 24 * s, 7 * s), QColor("#c62828"))
    star = QFont("DejaVu Sans")
    star.setPixelSize(max(5, int(6 * s)))
    p.setFont(star)
    p.setPen(QColor("#ffd600"))
    p.drawText(QRectF(4 * s, 1.5 * s, 24 * s, 7 * s), Qt.AlignmentFlag.AlignCenter, "★")
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(6, int(11 * s)))
    p.setFont(font)
    p.setPen(QColor("#7a1010"))
    p.drawText(QRectF(4 * s, 9 * s, 24 * s, 13 * s), Qt.AlignmentFlag.AlignCenter, "BC")
    if size >= 32:
        p.setPen(QPen(QColor("#9e9e9e"), max(1.0, 1.0 * s)))
        for y in (24.0, 27.0):
            p.drawLine(int(8 * s), int(y * s), int(24 * s), int(y * s))
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def write_ico(path: Path) -> None:
    """ICO with PNG-compressed entries (valid since Windows Vista)."""
    blobs = [png_bytes(draw(size)) for size in SIZES]
    header = struct.pack("<HHH", 0, 1, len(SIZES))
    offset = 6 + 16 * len(SIZES)
    entries = b""
    for size, blob in zip(SIZES, blobs):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    path.write_bytes(header + entries + b"".join(blobs))


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    out = Path(__file__).resolve().parent / "baocao.ico"
    write_ico(out)
    draw(256).save(str(out.with_suffix(".png")))
    print(out, out.stat().st_size, "bytes")
