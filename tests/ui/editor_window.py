"""Opening the report editor in a GUI test: made, owned by qtbot, sized as an office laptop's screen (or as
asked), shown and exposed. Each test file keeps its own bookkeeping around it (closing editors before its
database, the section to select)."""
from baocao_desktop.ui.editor.window import ReportEditor


def show_editor(qtbot, workspace, report_id, width: int = 1366, height: int = 768) -> ReportEditor:
    editor = ReportEditor(workspace, report_id)
    qtbot.addWidget(editor)
    editor.resize(width, height)
    editor.show()
    qtbot.waitExposed(editor)
    return editor
