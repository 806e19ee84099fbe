"""A report's own table rows (Report.table_rows) as stored and carried: JSON {table code: {row code: label,
or null for a template row left out}}. Pure, shared by the store and the transfer-file content."""
from __future__ import annotations

import json


def decode(text: str | None) -> dict[str, dict[str, str | None]]:
    """The stored JSON → table code → row code → label (None: left out); bad or empty → {}."""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return cleaned(data)


def cleaned(data) -> dict[str, dict[str, str | None]]:
    """Decoded JSON (e.g. a transfer file's "table_rows") → the same shape, anything else dropped."""
    if not isinstance(data, dict):
        return {}
    return {str(t): {str(r): (l if isinstance(l, str) else None) for r, l in rows.items()}
            for t, rows in data.items() if isinstance(rows, dict) and rows}


def encode(table_rows: dict[str, dict[str, str | None]]) -> str | None:
    kept = {t: rows for t, rows in table_rows.items() if rows}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else None
