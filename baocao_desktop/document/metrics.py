"""Advance widths of Times New Roman (the same as its metric-compatible Liberation Serif and Tinos),
so the writer can size table columns to their content without a font file at run time.

Widths are in thousandths of an em for printable ASCII and the Vietnamese base letters with their
own glyphs (đ Đ ơ Ơ ư Ư) plus common punctuation; any other letter is measured by its base letter
(tone marks do not change the advance width), and unknown characters count as a lowercase "n".
"""
from __future__ import annotations

import unicodedata

CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~đĐơƠưƯ–—“”‘’…'
_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
    722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
    278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, 500, 722, 529, 722, 542,
    776, 500, 1000, 444, 444, 333, 333, 1000,
)
_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
    778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
    278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520, 556, 722, 554, 778, 600,
    796, 500, 1000, 500, 500, 333, 333, 1000,
)
_ITALIC = (
    250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500, 920, 611, 611, 667, 722, 611, 611, 722,
    722, 333, 444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722, 611, 833, 611, 556, 556, 389,
    278, 389, 422, 500, 333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500,
    500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541, 500, 722, 534, 722, 545,
    754, 500, 889, 556, 556, 333, 333, 889,
)
_BOLD_ITALIC = (
    250, 389, 555, 500, 500, 833, 778, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 832, 667, 667, 667, 722, 667, 667, 722,
    778, 389, 500, 667, 611, 889, 722, 722, 611, 722, 667, 556, 611, 722, 667, 889, 667, 611, 611, 333,
    278, 333, 570, 500, 333, 500, 500, 444, 500, 444, 333, 500, 556, 278, 278, 500, 278, 778, 556, 500,
    500, 500, 389, 389, 278, 556, 444, 667, 500, 444, 389, 348, 220, 348, 570, 500, 722, 537, 722, 599,
    775, 500, 1000, 500, 500, 333, 333, 1000,
)
_TABLES = {(False, False): _REGULAR, (True, False): _BOLD, (False, True): _ITALIC, (True, True): _BOLD_ITALIC}
_INDEX = {ch: i for i, ch in enumerate(CHARS)}


def _em(ch: str, table: tuple[int, ...]) -> int:
    index = _INDEX.get(ch)
    if index is None:
        base = unicodedata.normalize("NFD", ch)[:1]
        if base.isspace():
            base = " "
        index = _INDEX.get(base, _INDEX["n"])
    return table[index]


def text_width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """The printed width of `text` on one line, in millimetres."""
    table = _TABLES[(bool(bold), bool(italic))]
    units = sum(_em(ch, table) for ch in unicodedata.normalize("NFC", text))
    return units / 1000 * size_pt * 25.4 / 72
