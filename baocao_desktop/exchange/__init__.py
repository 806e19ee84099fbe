"""USB exchange (DESIGN §10): keys (keys.py), the signed transfer file (bundle.py) and a report's
content as travelling data (content.py). No database and no Qt here: services/exchange.py uses these."""
