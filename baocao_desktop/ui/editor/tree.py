"""WrappingTree: the list of findings in the checks panel and in “Chưa thể ký”, and the editor's section
tree, whose long lines wrap onto as many lines as they need and re-wrap when the panel is resized.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QWidget


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their word-wrapped text at the current column width (QTreeView alone won't)."""

    def __init__(self, view: QTreeWidget):
        super().__init__(view)
        self.view = view

    def sizeHint(self, option, index):
        hint = super().sizeHint(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        indent = self.view.indentation() * (depth + (1 if self.view.rootIsDecorated() else 0))
        if self.view.columnCount() > 1:  # a tree with a badge column: the text has its own column's width
            width = self.view.columnWidth(index.column()) - (indent if index.column() == 0 else 0)
        else:
            width = max(self.view.columnWidth(0), self.view.viewport().width()) - indent
        opt.rect = QRect(0, 0, width, 10000)
        style = self.view.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, self.view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, opt, self.view) + 1
        width = max(text_rect.width() - 2 * margin - 2, 60)
        rect = QFontMetrics(opt.font).boundingRect(QRect(0, 0, width, 10000), int(Qt.TextFlag.TextWordWrap),
                                                   opt.text)
        return QSize(hint.width(), max(hint.height(), rect.height() + 8))


class WrappingTree(QTreeWidget):
    """A tree whose rows re-wrap when the panel is resized."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(WrapDelegate(self))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()
