"""The report editor window: the header strip on top, then navigator | section page | findings panel.

It assembles the parts (each in its own module of ui/editor/) around one services.editing.EditSession,
which holds the report's editing state and rules: the parts show the session and send it the edits; this
module times the autosave and the checks, and runs the proofreader in the background.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QLabel, QLineEdit, QMessageBox, QSplitter, QStackedWidget, QToolButton, QVBoxLayout,
                               QWidget)

from ...checks.findings import Finding
from ...services.editing import EditSession
from ...services.errors import ServiceError
from ...store.db import WRITE_WAIT_SECONDS, StoreBusy
from .findings import FindingsPanel
from .header_page import HeaderPage
from .header_strip import HeaderStrip, mark_number
from .narrative_edit import TextMark
from .navigator import HEADER_PATH, Navigator
from ..common import remember_splitter
from ..errors import Failure, failure_of
from .proofreading import Proofreader
from .section_page import SectionPage
from .signoff_bar import SignoffBar
from .signoff_dialogs import BlockedDialog, ReasonDialog
from .style import STYLE, UI_FAMILIES
from .tables import FigureTable

SAVE_DELAY_MS = 500
CHECK_DELAY_MS = 600
BUSY_DELAY_MS = 250  # "Đang soát lỗi…" only for a proofreading that takes this long (no flicker)
# the database was busy (another program writing): try the save again after this long, then longer
RETRY_DELAYS_MS = (1000, 2000, 4000, 8000)
UNSAVED_BANNER = "Chưa lưu được — dữ liệu đang bận, đang thử lại…"


class ReportEditor(QWidget):
    """Edit one report: navigator | section form + narrative | checks. Autosaves every edit."""

    saved = Signal(str)  # "HH:MM:SS" after each successful save
    findings_changed = Signal(int, int)  # errors, warnings
    proofread_finished = Signal()  # a proofreading job's findings are shown (or were dropped as stale)
    status_changed = Signal(str)  # the new status ("draft", "for_signature", "signed", "sent")
    # a finding about the unit ("unit.symbol"): the main window opens Đơn vị → Thông tin đơn vị… on that item
    unit_settings_requested = Signal(str)

    def __init__(self, workspace, report_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.report_id = report_id
        self.session = EditSession(workspace, report_id)
        self.report = self.session.report
        self.template = self.session.template
        self.profile_figures = self.session.profile_figures
        self._current_path: str | None = None
        self._shown_once = False
        self._proof_run = None  # the ProofreadingRun whose result is awaited
        self.proofreader = Proofreader(self)
        self.proofreader.finished.connect(self._on_proofread_done)
        # the dialogs of the sign-off workflow while they are open (window-modal, opened with open())
        self.blocked_dialog: BlockedDialog | None = None
        self.reason_dialog: ReasonDialog | None = None
        self.message_box: QMessageBox | None = None

        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._save_all)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_checks)
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(lambda: self.busy_label.setVisible(self.proofreader.running))
        self._retry_timer = QTimer(self, singleShot=True)
        self._retry_timer.timeout.connect(self._save_all)
        self._retries = 0

        font = QFont(self.font())
        font.setFamilies(UI_FAMILIES)
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        self.setFont(font)
        self.setStyleSheet(STYLE)

        self._build()
        self.navigator_panel.populate()
        first = next(iter(self.template.walk()), None)
        if first:
            self.select_section(first.path)
        self._apply_lock()
        self.run_checks()
        # once more after construction, for whoever connected to findings_changed meanwhile
        QTimer.singleShot(0, self, self._emit_counts)

    def _build(self) -> None:
        session = self.session
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.signoff_bar = SignoffBar(session, self)
        self.header_strip = HeaderStrip(session, self.signoff_bar)
        self.header_strip.header_edited.connect(self._on_header_edited)
        outer.addWidget(self.header_strip)
        outer.addWidget(self.signoff_bar.banner_row)
        # shown while edits could not be saved because another program holds the database
        self.unsaved_banner = QLabel(UNSAVED_BANNER)
        self.unsaved_banner.setObjectName("lockedBanner")
        self.unsaved_banner.setProperty("alarm", True)
        self.unsaved_banner.setWordWrap(True)
        self.unsaved_banner.hide()
        outer.addWidget(self.unsaved_banner)
        self.navigator_panel = Navigator(session)
        self.navigator_panel.section_chosen.connect(self.select_section)
        self.page = SectionPage(session)
        self.page.figures.edited.connect(lambda: self._edited(hide_notice=True))
        self.page.figures.left.connect(self.page.figures.tidy)
        self.page.figures.sentence_requested.connect(self.insert_sentences)
        self.page.tables.edited.connect(lambda: self._edited(hide_notice=True))
        self.page.tables.left.connect(self._tidy_cell)
        self.page.tables.rows_changed.connect(lambda _code: self._show_findings())  # the session checked again
        self.page.narrative_panel.edited.connect(self._edited)
        self.header_page = HeaderPage(session)  # “Thông tin văn bản”, the navigator's first entry
        self.header_page.edited.connect(self._on_header_items_edited)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.page)
        self.pages.addWidget(self.header_page)
        self.findings_panel = FindingsPanel(session, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setHandleWidth(5)
        for index, (panel, stretch) in enumerate(((self.navigator_panel, 0), (self.pages, 1),
                                                  (self.findings_panel, 0))):
            self.splitter.addWidget(panel)
            self.splitter.setStretchFactor(index, stretch)
        # the side panels fold away when dragged to the edge (a small screen); the page never does
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([300, 760, 290])
        remember_splitter(self.splitter, "editor/splitter")
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 6, 6, 6)
        body_layout.setSpacing(2)
        from ..help_window import help_line
        self.help_line = help_line("Chọn mục ở bên trái, nhập số liệu và viết nội dung (tự lưu); sửa hết lỗi ở bên "
                                   "phải rồi bấm Trình ký.", "soan-bao-cao")
        body_layout.addWidget(self.help_line)
        body_layout.addWidget(self.splitter, 1)
        outer.addWidget(body, 1)
        # the widgets callers and tests reach directly
        header, bar, text = self.header_strip, self.signoff_bar, self.page.narrative_panel
        self.title_label, self.status_label, self.saved_label = header.title_label, header.status_label, \
            header.saved_label
        self.number_edit, self.date_edit = header.number_edit, header.date_edit
        self.submit_button, self.return_button, self.sign_button = bar.submit_button, bar.return_button, \
            bar.sign_button
        self.sent_button, self.unlock_button, self.lock_banner = bar.sent_button, bar.unlock_button, bar.lock_banner
        self.navigator = self.navigator_panel.tree
        self.guidance_label, self.form_scroll = self.page.guidance_label, self.page.form_scroll
        self.narrative, self.field_message, self.notice_label = text.narrative, text.field_message, text.notice_label
        self.bold_action, self.footnote_action = text.bold_action, text.footnote_action
        self.undo_action, self.redo_action = text.undo_action, text.redo_action
        panel = self.findings_panel
        self.checks_tree, self.checks_summary, self.busy_label = panel.tree, panel.summary, panel.busy_label
        self.justify_button, self.unjustify_button = panel.justify_button, panel.unjustify_button

    def _emit_counts(self) -> None:
        self.findings_changed.emit(*self.finding_counts())

    # == public API ==============================================================================
    @property
    def locked(self) -> bool:
        return self.session.locked

    @property
    def status(self) -> str:
        return self.session.status

    @property
    def checks_menu(self):
        return self.findings_panel.checks_menu

    def current_section_path(self) -> str | None:
        return self._current_path

    def findings(self) -> list[Finding]:
        return list(self.session.findings)

    def finding_counts(self) -> tuple[int, int]:
        """(errors, open warnings) of the last check run (findings_changed carries the same); a warning
        kept with a giải trình is no longer open."""
        return self.session.finding_counts()

    def section_state(self, path: str) -> str:
        """"filled", "partial", "empty" or "required" (required and still empty)."""
        return self.session.section_state(path)

    def has_pending_changes(self) -> bool:
        return self.session.has_pending_changes()

    def flush(self) -> bool:
        """Save every pending edit now (switching section, closing the report, quitting), waiting as long
        as any writer does for another program's write. True when nothing is left unsaved."""
        self._save_all(wait=WRITE_WAIT_SECONDS)
        return not self.session.has_pending_changes()

    def field_widget(self, code: str, field: str) -> QLineEdit | None:
        return self.page.figures.fields.get((code, field))

    def percent_label(self, code: str) -> QLabel | None:
        return self.page.figures.percent.get(code)

    def sentence_button(self, code: str) -> QToolButton | None:
        return self.page.figures.sentence_buttons.get(code)

    def table_view(self, code: str) -> FigureTable | None:
        """The table widget of the current section (None when the table is in another section)."""
        return self.page.tables.views.get(code)

    def text_marks(self) -> list[TextMark]:
        """The findings underlined in the narrative shown (for tests and the screenshot script)."""
        return self.narrative.marks()

    def insert_sentences(self, codes: list[str] | None) -> bool:
        """Write the generated sentence(s) into the narrative at the cursor; None = all of the section."""
        return self.page.narrative_panel.insert_sentences(codes)

    def show_notice(self, text: str) -> None:
        self.page.narrative_panel.show_notice(text)

    # == moving around ===========================================================================
    def select_section(self, path: str) -> None:
        """Show a section, or “Thông tin văn bản” (navigator.HEADER_PATH)."""
        section = self.template.section(path)
        if (section is None and path != HEADER_PATH) or path == self._current_path:
            return
        self._save_all()
        self._current_path = path
        self.navigator_panel.show_section(path)
        if section is None:
            self.header_page.load()
            self.pages.setCurrentWidget(self.header_page)
            return
        self.pages.setCurrentWidget(self.page)
        self.page.show_section(section)

    def focus_field(self, field: str) -> None:
        """Put the cursor where a finding points: "code.cumulative", "table.row.column", "header.date",
        or "" (narrative)."""
        head, _, name = field.partition(".")
        if head == "unit":
            self.unit_settings_requested.emit(name)
            return
        if head == "header":
            if name in ("number", "date", "report_date", "status"):
                self.header_strip.focus(name, unlock_button=self.unlock_button)
            else:
                self.select_section(HEADER_PATH)
                self.header_page.focus(name)
            return
        section = self.template.section_of_table(head) or self.template.section_of_indicator(head) \
            if head else None
        if section is not None and section.path != self._current_path:
            self.select_section(section.path)
        self.page.focus(head, name)

    def go_to_finding(self, finding: Finding) -> None:
        if finding.section and self.template.section(finding.section):
            self.select_section(finding.section)
        if not self.page.narrative_panel.select_finding_text(finding):  # a proofreading finding: its text
            self.focus_field(finding.field)

    # == the findings panel's actions ============================================================
    def finding_item(self, predicate):
        """The first finding row whose Finding satisfies `predicate` (for tests and the main window)."""
        return self.findings_panel.finding_item(predicate)

    def justification_item(self, finding: Finding):
        return self.findings_panel.justification_item(finding)

    def selected_finding(self) -> Finding | None:
        return self.findings_panel.selected_finding()

    def set_filter(self, severity: str) -> None:
        """"all", "error", "warning", "info" or "kept" (warnings kept with a giải trình)."""
        self.findings_panel.set_filter(severity)

    def request_justify(self, finding: Finding | None = None) -> ReasonDialog | None:
        return self.findings_panel.request_justify(finding)

    def justify(self, finding: Finding, reason: str) -> bool:
        return self.findings_panel.justify(finding, reason)

    def remove_justification(self, finding: Finding | None = None) -> bool:
        return self.findings_panel.remove_justification(finding)

    # == the sign-off bar's actions ==============================================================
    def request_submit(self) -> bool:
        return self.signoff_bar.request_submit()

    def request_return(self) -> bool:
        return self.signoff_bar.request_return()

    def request_mark_sent(self) -> bool:
        return self.signoff_bar.request_mark_sent()

    def request_sign(self) -> QMessageBox | BlockedDialog | None:
        return self.signoff_bar.request_sign()

    def sign(self) -> bool:
        return self.signoff_bar.sign()

    def request_unlock(self) -> ReasonDialog:
        return self.signoff_bar.request_unlock()

    def unlock(self, reason: str) -> bool:
        return self.signoff_bar.unlock(reason)

    def show_blocked(self, action: str, findings: list[Finding]) -> BlockedDialog:
        return self.signoff_bar.show_blocked(action, findings)

    def keep_dialog(self, name: str, dialog) -> None:
        """A sign-off dialog opens: reachable as `name` until it closes (then freed)."""
        dialog.finished.connect(lambda _r: self._forget(name, dialog))
        setattr(self, name, dialog)

    def _forget(self, name: str, dialog) -> None:
        if getattr(self, name) is dialog:
            setattr(self, name, None)
        dialog.deleteLater()

    def reload_status(self) -> None:
        changed = self.session.reload_status()
        self._apply_lock()
        self.run_checks()
        if changed:
            self.status_changed.emit(self.session.status)

    def _apply_lock(self) -> None:
        """Editable in Dự thảo / Trình ký, read-only once signed; called whenever the status changes."""
        locked = self.locked
        self.header_strip.set_locked(locked)
        self.header_page.set_locked(locked)
        self.page.set_locked(locked)
        self.findings_panel.update_justify_buttons()
        self.signoff_bar.update_banner()
        self._show_status()

    def _show_status(self) -> None:
        self.signoff_bar.update_buttons()
        self.header_strip.show_status()

    # == edits and saving ========================================================================
    def _on_header_edited(self, number: str, day) -> None:
        self.session.edit_header(number, day)
        self.header_page.load_number_date()
        self._show_number_problem()
        self._edited()

    def _on_header_items_edited(self, items: dict) -> None:
        self.session.edit_header_items(**items)
        if "number" in items or "report_date" in items:
            self.header_strip.load()
            self._show_number_problem()
        self._edited()

    def _show_number_problem(self) -> None:
        """Both Số fields marked while what was typed is not in the unit's numbering form (the reason shown
        beside the field on the “Thông tin văn bản” page, in the tooltip on the strip)."""
        mark_number(self.session, self.header_strip.number_edit)
        self.header_page.show_number_problem()

    def _edited(self, hide_notice: bool = False) -> None:
        if hide_notice:
            self.page.narrative_panel.hide_notice()
        self._save_timer.start()
        self._check_timer.stop()

    def _tidy_cell(self, code: str, row: str, column: str) -> None:
        if (code, row, column) in self.session.cell_dirty:
            self._save_all()
        self.page.tables.tidy(code, row, column)

    def _save_all(self, schedule_checks: bool = True, wait: float | None = None) -> bool:
        self._save_timer.stop()
        self._retry_timer.stop()
        session = self.session
        if not session.has_pending_changes():
            self._show_unsaved(False)
            return False
        try:
            if wait is None:
                done = session.flush(self.page.narrative_panel.text_of)
            else:
                done = session.flush(self.page.narrative_panel.text_of, wait=wait)
        except StoreBusy:
            # every edit not stored is still pending, as typed: say so and try again a little later
            self._show_unsaved(True)
            self._retry_timer.start(RETRY_DELAYS_MS[min(self._retries, len(RETRY_DELAYS_MS) - 1)])
            self._retries += 1
            return False
        except ServiceError as exc:
            self._show_unsaved(False)
            self.show_notice(str(exc))
            return False
        self._show_unsaved(False)
        self.page.figures.show_saved(done.values)
        self.page.tables.show_saved(done.cells)
        self.page.show_input_states()
        if done.saved:
            stamp = QTime.currentTime().toString("HH:mm:ss")
            self.header_strip.show_saved(stamp)
            self.navigator_panel.update_markers()
            self.saved.emit(stamp)
        if schedule_checks and (done.saved or session.invalid or session.cell_invalid):
            self._check_timer.start()
        return done.saved

    def _show_unsaved(self, shown: bool) -> None:
        """The "not saved yet" banner; hidden again (and the retries reset) once a save went through."""
        if not shown:
            self._retries = 0
        self.unsaved_banner.setVisible(shown)

    @property
    def save_pending_retry(self) -> bool:
        """A save failed on a busy database and will be tried again."""
        return self._retry_timer.isActive()

    # == checks ==================================================================================
    @property
    def proofreading(self) -> bool:
        """A proofreading job is running (the panel says “Đang soát lỗi…”)."""
        return self.proofreader.running

    def run_checks(self, complete: bool = False) -> None:
        """Save what is pending, run the report's checks and show them everywhere. The figures are checked
        here and now; the narrative is proofread on a worker thread when it changed since the last time,
        and its findings join the panel when ready. `complete`: proofread now, on this thread, when the
        last result is not about the current text (before signing)."""
        self._check_timer.stop()
        if self.has_pending_changes():
            self._save_all(schedule_checks=False)
        try:
            self.session.check_figures()
            self.page.narrative_panel.marks.build_figures()
            if complete and self.session.proofreading_stale:
                self._proofread_now()
        except ServiceError as exc:
            self.show_notice(str(exc))
            return
        self._show_findings()
        if self.session.proofreading_stale:
            self._start_proofreading()

    def _show_findings(self) -> None:
        """The session's findings (merged by the session when they changed), everywhere."""
        self.findings_panel.show_findings()
        self.navigator_panel.update_markers()
        self.page.mark(self.session.findings_by_field())
        self.page.narrative_panel.show_marks()
        self.signoff_bar.update_banner()
        self._show_status()
        self.findings_changed.emit(*self.finding_counts())

    def _start_proofreading(self) -> None:
        if self.proofreader.running:
            return  # one job at a time: when it ends, the next starts from the text saved by then
        if self.session.has_pending_text():
            return  # the job reads the saved text: the coming save schedules the checks again
        self._proof_run = self.session.proofreading_run()
        self._busy_timer.start()
        # last: once the worker runs, each Python step here waits for the GIL it holds
        self.proofreader.start(self._proof_run.job)

    def _proofread_now(self) -> None:
        """Proofread the saved text on this thread (a running job's result will be dropped)."""
        self._cancel_proofreading()
        run = self.session.proofreading_run()
        try:
            findings = self.proofreader.run_now(run.job)
        except Exception as exc:  # the figures' checks still count; signing re-checks everything anyway
            self._show_proofreading_failure(run, failure_of(exc, "soát lỗi nội dung"))
            return
        self.session.proofreading_done(run, findings)
        self.page.narrative_panel.marks.rebuild_proofreading()

    def _show_proofreading_failure(self, run, failure: Failure) -> None:
        self.show_notice(self.session.proofreading_failed(run, failure.text if not failure.bug else "",
                                                          failure.log_path))

    def _cancel_proofreading(self) -> None:
        self.proofreader.cancel()
        self._busy_timer.stop()
        self.busy_label.hide()

    def _on_proofread_done(self, result) -> None:
        run, self._proof_run = self._proof_run, None
        self._busy_timer.stop()
        self.busy_label.hide()
        if isinstance(result, Failure):
            self._show_proofreading_failure(run, result)
        elif self.session.proofreading_done(run, result):
            self.page.narrative_panel.marks.rebuild_proofreading()
            self._show_findings()
        # else: typed since the job started; the result is about older text and is dropped
        if self.session.proofreading_stale and not self._check_timer.isActive() \
                and not self._save_timer.isActive():
            self._start_proofreading()  # typing ended while the job ran; its checks found the job busy
        self.proofread_finished.emit()

    # == showing and closing =====================================================================
    def showEvent(self, event):  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._shown_once and not event.spontaneous() and not self.proofreader.running \
                and self.session.proofreading_stale:
            self._start_proofreading()  # shown again after a hide cancelled the job
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self.page.fit_splitter)
            self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event):  # noqa: N802 (Qt API)
        # the main window hides an editor it closes (then deletes it later, maybe after the database is
        # closed): a result arriving then must find no job to report to
        if not event.spontaneous():
            self._cancel_proofreading()
        super().hideEvent(event)

    def closeEvent(self, event):  # noqa: N802 (Qt API)
        self.flush()
        self._check_timer.stop()
        self._cancel_proofreading()
        super().closeEvent(event)
