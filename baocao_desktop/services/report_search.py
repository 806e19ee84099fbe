"""Finding a report in the list by what the clerk types, with or without accents ("lung phinh",
"bao cao tuan" find "Lùng Phình", "Báo cáo tuần"). Qt-free: the report list (ui/report_list.py) asks it.
The folding is templates.numbering.fold, the one accent folding of the program."""
from __future__ import annotations

from ..templates.numbering import fold


def search_words(query: str) -> list[str]:
    """The words of a search, folded (no accents, lower case); none: everything matches."""
    return fold(query or "").split()


def matches(words: list[str], *texts: str) -> bool:
    """True when every word of the search (`search_words`) occurs in one of `texts`, accents aside."""
    if not words:
        return True
    folded = fold(" ".join(t for t in texts if t))
    return all(word in folded for word in words)
