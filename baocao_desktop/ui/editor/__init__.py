"""The report editor, split by what the user sees. window.py assembles: header_strip (title, status,
number, date) with signoff_bar (status buttons, lock banner, signoff_dialogs); navigator (“Thông tin văn
bản”, then the sections); header_page (the report's header and closing: Số … Nơi nhận, người ký); section_page (heading, guidance) holding figures (indicator grid), tables and narrative (narrative_edit:
the text box, rich_document: its markup, marks: findings underlined); findings (checks panel, tree.py).
proofreading.py runs the proofreader in the background; style.py and icons.py give the look.
The state and rules they show live in services/editing.py (EditSession), without Qt.
"""
