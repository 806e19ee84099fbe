"""numbering: headings and lists numbered out of order (I, II, IV; 1., 2., 2.; 4.2 without 4.1; 2.2 under 1.;
a), b), c), d), e) without đ); a sub-list numbered 1., 2. inside 2.4); "IV NHIỆM VỤ" without its dot."""
from __future__ import annotations

import re
from collections import Counter

from .reader import LETTERS
from .util import check_whole, no_local

CATEGORY = "numbering"
_APPENDIX = re.compile(r"Phụ lục(?:\s+số)?\s+((?:[0-9]+[A-Za-z]?)(?:\s*,\s*[0-9]+[A-Za-z]?)*)\s+kèm theo", re.IGNORECASE)


class _State:
    def __init__(self):
        self.roman = None  # (value, para)
        self.arabic = None  # (n, para)
        self.decimals = {}  # parent tuple → (last child n, para)
        self.letter = None  # (index, para)
        self.paren = None
        self.paren_close = None
        self.last_kind = None
        self.last_decimal = None  # (parts, para)
        self.nested = None  # (last n, parent label) for "1., 2." inside a decimal item
        self.outer = None  # the main item before a list that numbers from 1 again


def check(doc):
    return check_whole(doc, local, cross)


local = no_local  # a number is out of order only against the ones before it


def _heading(para):
    return [] if para.footnote_like or para.scan.heading is None else [para.scan.heading]


def cross(doc):
    groups = [(group, group.gather("heading", _heading)) for group in doc.groups]
    groups = [(group, headings) for group, headings in groups if headings]
    scopes = [group.cache.get("scopes") or group.cache.setdefault("scopes", {p.scope for p, _h in headings})
              for group, headings in groups]
    if sum(len(s) for s in scopes) == len(set().union(*scopes)):
        # each group numbered on its own (a report's sections): its findings kept while it is unchanged
        out = []
        for group, headings in groups:
            found = group.cache.get("numbering")
            if found is None:
                found = group.cache["numbering"] = _numbering(doc, headings, {})
            out += found
    else:
        out = _numbering(doc, [item for _group, headings in groups for item in headings], {})
    return out + _appendices(doc)


def _numbering(doc, headings, states: dict) -> list:
    """The numbering findings of (paragraph, heading) in order, per numbering scope."""
    out = []
    for para, h in headings:
        st = states.setdefault(para.scope, _State())
        out += _step(doc, para, h, st)
        if not h.space_after and h.kind in ("decimal", "arabic", "roman"):
            out.append(doc.finding(para, "numbering.space", CATEGORY, "info",
                                   f"Sau số mục “{para.text[:h.end].strip()}” thiếu dấu cách.", 0, h.end))
    return out


def _appendices(doc):
    """"(Phụ lục số 1B kèm theo)" twice, or a "11A" among "…B" appendices."""
    out = []
    seen = {}
    refs = []
    for para, (label, m) in doc.gather("appendices", _appendix_refs):
        refs.append((label, para, m))
    suffixes = Counter(re.sub(r"[0-9]", "", label) for label, _, _ in refs)
    main_suffix, main_count = suffixes.most_common(1)[0] if suffixes else ("", 0)
    for label, para, m in refs:
        if label in seen:
            out.append(doc.finding(
                para, "numbering.appendix_twice", CATEGORY, "warning",
                f"Phụ lục số {label} đã ghi “kèm theo” ở {seen[label].where() or 'trên'}: mỗi phụ lục chỉ kèm theo một "
                f"mục; kiểm tra lại số phụ lục.", m.start(), m.end(), {"appendix": label}))
            continue
        seen[label] = para
        suffix = re.sub(r"[0-9]", "", label)
        if main_count >= 3 and suffix != main_suffix and suffixes[suffix] == 1:
            out.append(doc.finding(
                para, "numbering.appendix_series", CATEGORY, "warning",
                f"Phụ lục số {label} khác loạt với các phụ lục khác (…{main_suffix}): kiểm tra lại số phụ lục.",
                m.start(), m.end(), {"appendix": label}))
    return out


def _appendix_refs(para):
    """(label, match) of each "Phụ lục số 1B kèm theo" of a paragraph."""
    return [(label.upper(), m) for m in _APPENDIX.finditer(para.text) for label in re.split(r"\s*,\s*", m.group(1))]


def _where(p):
    return p.where() or "ở trên"


def _step(doc, para, h, st):
    out = []
    f = lambda code, sev, msg: out.append(doc.finding(para, code, CATEGORY, sev, msg, 0, h.end))  # noqa: E731
    if h.kind == "roman":
        value = h.parts[0]
        if st.roman is not None:
            last, lp = st.roman
            if value == last:
                f("numbering.repeated", "warning", f"Mục {h.label} trùng số với mục {h.label} ({_where(lp)}).")
            elif value != last + 1:
                f("numbering.skipped" if value > last else "numbering.backwards", "warning",
                  f"Mục {h.label} đứng sau mục {_roman(last)} ({_where(lp)}): thứ tự đúng là {_roman(last + 1)}.")
        elif value != 1:
            pass  # a text may start in the middle
        if not h.dot:
            f("numbering.roman_dot", "info", f"Sau số La Mã “{h.label}” thiếu dấu chấm: viết “{h.label}.”.")
        st.roman = (value, para)
        st.arabic = None
        st.outer = None
        st.decimals, st.letter, st.paren, st.paren_close, st.nested, st.last_decimal = {}, None, None, None, None, None
    elif h.kind == "arabic":
        value = h.parts[0]
        last = st.arabic[0] if st.arabic else 0
        if st.nested is not None:
            nested_last, parent = st.nested
            if value == nested_last + 1:  # the sub-list goes on (when ambiguous, the next decimal decides)
                st.nested = (value, parent)
                st.last_kind = "arabic"
                return out
            st.nested = None
        if value == 1 and last >= 1 and st.last_kind == "decimal" and st.last_decimal:
            parent = ".".join(str(x) for x in st.last_decimal[0])
            st.nested = (1, parent)
            f("numbering.nested_arabic", "warning",
              f"Các ý trong mục {parent} được đánh số “1.”, “2.”… trùng kiểu với mục cấp trên ({last}., {last + 1}.): "
              f"nên đánh a), b), c).")
            st.last_kind = "arabic"
            return out
        if st.outer is not None and value == st.outer[0] + 1 and value != last + 1:
            st.outer = None  # the list in between is over: the main numbering goes on
            st.arabic = (value, para)
            st.decimals, st.letter, st.paren, st.paren_close, st.last_decimal = {}, None, None, None, None
            st.last_kind = "arabic"
            return out
        if value == 1 and last >= 1:
            st.outer = st.arabic  # a list numbered from 1 again (not a heading)
        if st.arabic is not None or st.roman is not None:
            lp = st.arabic[1] if st.arabic else None
            if value == last and lp is not None:
                f("numbering.repeated", "warning", f"Mục {value}. trùng số với mục {value}. ({_where(lp)}).")
            elif value > last + 1:
                f("numbering.skipped", "warning",
                  f"Mục {value}. đứng sau mục {last}.: thiếu mục {last + 1}. (hoặc đánh số sai).")
            elif value < last and value != 1:
                f("numbering.backwards", "warning", f"Mục {value}. đứng sau mục {last}. ({_where(lp)}): đánh số lùi.")
        st.arabic = (value, para)
        st.decimals, st.letter, st.paren, st.paren_close, st.last_decimal = {}, None, None, None, None
    elif h.kind == "decimal":
        parts = h.parts
        parent = parts[:-1]
        child = parts[-1]
        expected_parent = parent
        if (len(parts) == 2 and st.nested is not None and st.arabic is not None and parts[0] == st.nested[0]
                and parts[0] == st.arabic[0] + 1):
            st.arabic = (parts[0], para)  # "3." ended the sub-list after all: it was the next main item
            st.decimals = {}
        if len(parts) == 2 and st.arabic is not None and parts[0] != st.arabic[0]:
            ap = st.arabic
            f("numbering.wrong_parent", "warning",
              f"Mục {h.label} nằm trong mục {ap[0]}. ({_where(ap[1])}): số đầu phải là {ap[0]} "
              f"(có lẽ là {ap[0]}.{child}).")
            expected_parent = (ap[0],)
        last_child = st.decimals.get(expected_parent, (0, None))
        if child == last_child[0] and last_child[1] is not None:
            f("numbering.repeated", "warning", f"Mục {h.label} trùng số với mục ở {_where(last_child[1])}.")
        elif child > last_child[0] + 1:
            missing = ".".join(str(x) for x in expected_parent + (last_child[0] + 1,))
            f("numbering.skipped", "warning", f"Có mục {h.label} nhưng không có mục {missing}.")
        st.decimals[expected_parent] = (child, para)
        # deeper levels restart under this one
        for key in [k for k in st.decimals if len(k) > len(expected_parent) + 0 and k[:len(parts)] == parts]:
            st.decimals.pop(key, None)
        st.letter, st.paren, st.paren_close = None, None, None
        st.last_decimal = (expected_parent + (child,), para)
        st.nested = None
    elif h.kind == "letter":
        index = h.parts[0]
        if index == 0:
            return out
        last = st.letter[0] if st.letter else 0
        if index == 1:
            pass
        elif index > last + 1 and last > 0:
            want = LETTERS[last]
            extra = " (trong bảng chữ cái tiếng Việt, sau d) là đ))" if want == "đ" else ""
            f("numbering.letter_skipped", "warning",
              f"Mục {h.label}) đứng sau mục {LETTERS[last - 1]}): thiếu mục {want}){extra}.")
        elif index == last and st.letter:
            f("numbering.repeated", "warning", f"Mục {h.label}) trùng với mục ở {_where(st.letter[1])}.")
        st.letter = (index, para)
    elif h.kind in ("paren", "paren_close"):
        value = h.parts[0]
        attr = "paren" if h.kind == "paren" else "paren_close"
        last = getattr(st, attr)
        label = (lambda v: f"({v})") if h.kind == "paren" else (lambda v: f"{v})")
        if last and value not in (1, last[0] + 1):
            if value == last[0]:
                f("numbering.repeated", "warning", f"Ý {label(value)} trùng số với ý ở {_where(last[1])}.")
            elif value > last[0] + 1:
                f("numbering.skipped", "warning", f"Ý {label(value)} đứng sau ý {label(last[0])}: thiếu {label(last[0] + 1)}.")
        setattr(st, attr, (value, para))
    st.last_kind = h.kind
    return out


def _roman(value: int) -> str:
    from .reader import _roman_canonical
    return _roman_canonical(value)
