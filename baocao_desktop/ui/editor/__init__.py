"""The report editor, split by what the user sees: window.py assembles header_strip (title, status,
number, date), signoff_bar (status buttons, lock banner), navigator (sections), section_page (heading,
guidance) with figures (indicator grid), tables and narrative (text, footnotes, marks), and findings
(checks panel). The state and rules they show live in services/editing.py (EditSession), without Qt.
"""
