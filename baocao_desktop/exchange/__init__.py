"""USB exchange (DESIGN §10): keys (keys.py), the signed transfer file (bundle.py) and a report's
content as travelling data (content.py). No working database and no Qt here (a transfer file is an SQLite
file of its own, read and written by bundle.py): services/exchange/ uses these, store/ keeps what they yield."""
