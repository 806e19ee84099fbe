"""The pictures of the user guide (resources/help/img/*.png) from the screenshot script's screens.

    python scripts/help_images.py [THƯ_MỤC_ẢNH]

Without a folder it runs scripts/screenshots.py into a temporary one first. Each picture is scaled to at
most 900 px wide and, when still over 140 KB, reduced to 256 colours, so the repository keeps a handful of
small PNGs (resources/help/huong_dan.html shows them)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "help" / "img"
# guide picture ← screenshot (scripts/screenshots.py names)
PICTURES = {
    "danh_sach.png": "03_danh_sach_bao_cao.png",
    "tim_bao_cao.png": "30_tim_bao_cao_khong_dau.png",
    "bao_cao_moi.png": "05_bao_cao_moi.png",
    "soan_bao_cao.png": "07_soan_bao_cao_II_1_1_a.png",
    "so_sai.png": "31_so_dem_tu_choi.png",
    "thong_tin_van_ban.png": "07b_thong_tin_van_ban.png",
}
MAX_WIDTH = 900
MAX_BYTES = 140_000


def main(argv: list[str]) -> int:
    if argv:
        return convert(Path(argv[0]))
    with tempfile.TemporaryDirectory(prefix="baocao-help-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), tmp], check=True, env=env)
        return convert(Path(tmp))


def convert(shots: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (QImage scaling needs an application)
    TARGET.mkdir(parents=True, exist_ok=True)
    missing = []
    for name, source in PICTURES.items():
        image = QImage(str(shots / source))
        if image.isNull():
            missing.append(source)
            continue
        if image.width() > MAX_WIDTH:
            image = image.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
        path = TARGET / name
        image.save(str(path), "PNG", 9)
        if path.stat().st_size > MAX_BYTES:
            image.convertToFormat(QImage.Format.Format_Indexed8).save(str(path), "PNG", 9)
        print(f"{path.relative_to(ROOT)}: {image.width()}×{image.height()}, {path.stat().st_size // 1024} KB")
    if missing:
        print("Thiếu ảnh: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
