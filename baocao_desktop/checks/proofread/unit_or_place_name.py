"""unit_or_place_name: "Đảng ủy phường" in a commune's report (and the reverse), the unit's own names misspelt
("Bình Lưu", "Bình Lục" for Bình Lư; "Tả Văn Chư" for Tả Van Chư), one place spelt two ways, another unit
named where the report speaks of itself."""
from __future__ import annotations

import re
from collections import defaultdict

from ...domain.orthography import CAPITALS
from .context import strip_marks
from .util import check_whole

CATEGORY = "unit_or_place_name"
_BODY = r"(?:Đảng ủy|Đảng uỷ|Đảng bộ|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Hội đồng nhân dân|Thường trực|Công an|Ban Thường vụ Đảng ủy|Ban Chấp hành Đảng bộ|Mặt trận Tổ quốc|MTTQ|Ủy ban MTTQ)"
_LEVEL_WORD = {"xã": re.compile(r"\bphường\b", re.IGNORECASE), "phường": re.compile(r"\bxã\b(?!\s+hội)", re.IGNORECASE)}
_ENUM_NEAR = re.compile(r"(?:xã|phường|thị trấn|đặc khu|thôn|bản|tổ dân phố)\s*(?:[,/]|và|hoặc)\s*$", re.IGNORECASE)
_ENUM_AFTER = re.compile(r"^\s*(?:[,/]|và|hoặc)\s*(?:xã|phường|thị trấn|đặc khu)", re.IGNORECASE)
_PLACE_MARK = re.compile(r"\b(?:xã|thôn|bản|phường|làng|xóm|thị trấn)\s+((?:[A-Z" + CAPITALS + r"][^\s,.;:()\"“”]*\s?){2,3})")
_SELF_REF = re.compile(r"(?:Ban Thường vụ Đảng (?:ủy|uỷ)|Thường trực Đảng (?:ủy|uỷ)|Ban Chấp hành Đảng bộ|Đảng bộ|trên địa bàn)\s+"
                       r"xã\s+((?:[A-Z" + CAPITALS + r"][^\s,.;:()\"“”]*\s?){1,3})")


def check(doc):
    return check_whole(doc, local, cross)


def local(doc, para):
    return _level(doc, para) + _own_names(doc, para) + _other_unit(doc, para)


def cross(doc):
    return _spelt_two_ways(doc)


def _level(doc, para):
    out = []
    facts = doc.facts
    pattern = _LEVEL_WORD.get(facts.level)
    if not pattern:
        return out
    wrong = "phường" if facts.level == "xã" else "xã"
    for m in pattern.finditer(para.text):
        before, after = para.text[max(0, m.start() - 40):m.start()], para.text[m.end():m.end() + 40]
        if _ENUM_NEAR.search(before) or _ENUM_AFTER.match(after):
            continue  # "xã, phường, đặc khu": a list of kinds of units
        if re.match(r"\s+[A-Z0-9" + CAPITALS + r"]", after):
            continue  # "phường Sa Pa": a named other unit
        if re.search(r"(?:các|mỗi|từng|những|giữa các)\s*$", before, re.IGNORECASE):
            continue
        body = re.search(_BODY + r"\s*$", before)
        severity = "error" if body and not facts.level_inferred else "warning"
        phrase = para.text[body.start() + max(0, m.start() - 40):m.end()] if body else m.group()
        out.append(doc.finding(
            para, "unit.level", CATEGORY, severity,
            f"“{phrase.strip()}” trong báo cáo của {facts.level}"
            f"{' ' + facts.own_name if facts.own_name else ''}: có lẽ chép từ văn bản của một {wrong}. "
            f"Sửa thành “{facts.level}”.", m.start(), m.end(), {"word": m.group()}))
    return out


_TOKEN = re.compile(r"[^\W\d_]+")


def _tokens(text):
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _stripped(doc, para):
    return para.fact("stripped", lambda p: strip_marks(p.text))


def _para_tokens(doc, para):
    return para.fact("tokens", lambda p: _tokens(p.text))


def _capitalised(para) -> frozenset:
    """The words of a paragraph that start with a capital, without marks: where a place name can start."""
    return frozenset(strip_marks(word) for word, _s, _e in _tokens(para.text) if word[:1].isupper())


def _edit1(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1:] == a:
            return True
    return False


def _own_names(doc, para):
    """Variants of the unit's own names: same letters with other marks, or one letter off."""
    out = []
    facts = doc.facts
    names = [nm for nm in facts.names if len(nm.split()) >= 2]
    if not names:
        return out
    targets = []
    for name in names:
        parts = name.split()
        targets.append((name, parts, [strip_marks(p) for p in parts]))
    firsts = {t[2][0] for t in targets}
    low = _stripped(doc, para)
    if not any(f in low for f in firsts):
        return out
    toks = _para_tokens(doc, para)
    for i in range(len(toks)):
        first = toks[i][0]
        if not first[:1].isupper():
            continue
        sf = strip_marks(first)
        for name, parts, stripped in targets:
            k = len(parts)
            if sf != stripped[0] or i + k > len(toks):
                continue
            cand = toks[i:i + k]
            # the words must be adjacent (one space)
            if any(para.text[cand[j][2]:cand[j + 1][1]] not in (" ", "\u00a0") for j in range(k - 1)):
                continue
            words = [t[0] for t in cand]
            if words == parts or [w.lower() for w in words] == [p.lower() for p in parts] and (
                    all(w.isupper() for w in words) or all(w[:1].isupper() for w in words)):
                continue
            sw = [strip_marks(w) for w in words]
            if not words[-1][:1].isupper() and sw != stripped:
                continue
            same_letters = sw == stripped
            near = (not same_letters and all(a == b for a, b in zip(sw[:-1], stripped[:-1]))
                    and _edit1(sw[-1], stripped[-1]) and len(stripped[-1]) >= 2)
            if not (same_letters or near):
                continue
            # a longer proper name that only starts like ours ("Bình Lư Digital" is fine, handled above)
            start, end = cand[0][1], cand[-1][2]
            spelled = para.text[start:end]
            given = name in doc.facts.given.names()
            source = "tên trong hồ sơ đơn vị" if given else "tên đơn vị (suy ra từ văn bản)"
            out.append(doc.finding(
                para, "unit.misspelt", CATEGORY, "warning",
                f"“{spelled}” khác {source} “{name}”: viết sai tên, hoặc là tên một nơi khác. Kiểm tra lại.",
                start, end, {"written": spelled, "name": name}))
    return out


def _spelt_two_ways(doc):
    """One place spelt with different marks or case ("Tả Van Chư", "Tả Văn Chư", "Tả văn Chư"), for places the
    text names after "xã", "thôn", "bản"… and that are not in the given name list (those are checked above)."""
    known = {strip_marks(nm) for nm in doc.facts.names}
    keys = {}
    for _para, key in doc.gather("places", _places):
        if key not in known:
            keys.setdefault(key.split()[0], set()).add(key)
    if not keys:
        return []
    spellings: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    firsts = set(keys)
    for group in doc.groups:
        # what a group spells depends on its text and on the names that may start with its capitalised words
        index = _capitalised_index(group)
        relevant = {first: keys[first] for first in firsts.intersection(index)}
        if not relevant:
            continue
        found = group.cache.get("place_spellings")
        if found is None or found[0] != relevant:
            paras = sorted({id(p): p for first in relevant for p in index[first]}.values(), key=lambda p: p.order)
            found = group.cache["place_spellings"] = (
                relevant, [(para, *spelling) for para in paras for spelling in _spellings(para, relevant)])
        for para, key, spelled, start, end in found[1]:
            spellings[key][spelled].append((para, start, end))
    out = []
    for key, forms in spellings.items():
        for form in [f for f in forms if f.isupper()]:  # "ĐÔN PHONG" in a heading is "Đôn Phong" in capitals
            same = next((f for f in forms if f != form and f.lower() == form.lower()), None)
            if same is not None:
                forms[same] += forms.pop(form)
        if len(forms) < 2:
            continue
        occurrences = sorted(((p.order, st, nm, p, en) for nm, occ in forms.items() for p, st, en in occ))
        first_form = occurrences[0][2]
        second = next(o for o in occurrences if o[2] != first_form)
        listing = "; ".join(f"“{nm}” ({', '.join(p.where() for p, _, _ in occ[:3])}{', …' if len(occ) > 3 else ''})"
                            for nm, occ in sorted(forms.items(), key=lambda kv: kv[1][0][0].order))
        _, start, spelled, para, end = second
        out.append(doc.finding(
            para, "unit.spelt_two_ways", CATEGORY, "warning",
            f"Cùng một địa danh viết nhiều cách: {listing}. Kiểm tra cách viết đúng và thống nhất.",
            start, end, {"spellings": list(forms)}))
    return out


def _capitalised_index(group) -> dict:
    """Capitalised word without marks → the group's paragraphs that have it, in order."""
    index = group.cache.get("capitalised")
    if index is None:
        index = group.cache["capitalised"] = {}
        for para in group.paras:
            for word in para.fact("capitalised", _capitalised):
                index.setdefault(word, []).append(para)
    return index


def _spellings(para, keys) -> list[tuple[str, str, int, int]]:
    """(name, as spelt, start, end) of each place of `keys` written in a paragraph."""
    out = []
    toks = _tokens(para.text)
    for i, (word, start, _end) in enumerate(toks):
        if not word[:1].isupper():
            continue
        for key in keys.get(strip_marks(word), ()):
            k = len(key.split())
            cand = toks[i:i + k]
            if len(cand) < k or any(para.text[cand[j][2]:cand[j + 1][1]] != " " for j in range(k - 1)):
                continue
            if [strip_marks(t[0]) for t in cand] != key.split() or not cand[-1][0][:1].isupper():
                continue
            out.append((key, para.text[cand[0][1]:cand[-1][2]], cand[0][1], cand[-1][2]))
    return out


def _places(para) -> list[str]:
    """Place names a paragraph writes after "xã", "thôn", "bản"… (two words or more), without marks."""
    out = []
    for m in _PLACE_MARK.finditer(para.text):
        name = " ".join(w for w in m.group(1).split() if w[:1].isupper()).rstrip(".,;:")
        if len(name.split()) >= 2:
            out.append(strip_marks(name))
    return out


def _other_unit(doc, para):
    """"Ban Thường vụ Đảng ủy xã X báo cáo" where X is not this unit."""
    facts = doc.facts
    if not facts.own_name:
        return []
    own = {strip_marks(nm) for nm in facts.names}
    out = []
    for m in _SELF_REF.finditer(para.text):
        name = " ".join(w for w in m.group(1).split() if w[:1].isupper()).rstrip(".,;:")
        if not name:
            continue
        after = para.text[m.end(1):m.end(1) + 8]
        if re.match(r"\s*\(?\s*cũ", after) or re.search(r"\bcũ\b", m.group(1)):
            continue
        sn = strip_marks(name)
        if sn in own or any(sn.startswith(o + " ") or o.startswith(sn + " ") for o in own):
            continue
        parts = sn.split()
        if any(len(parts) == len(o.split()) and parts[:-1] == o.split()[:-1] and (_edit1(parts[-1], o.split()[-1]))
               for o in own):
            continue  # a misspelling, reported by _own_names
        out.append(doc.finding(
            para, "unit.other_name", CATEGORY, "warning",
            f"“{m.group().strip()}”: văn bản này là của {facts.level or 'đơn vị'} {facts.own_name}, nhưng ở đây "
            f"lại nêu tên “{name}”. Có lẽ chép từ báo cáo của đơn vị khác; kiểm tra lại.",
            m.start(1), m.start(1) + len(name), {"name": name}))
    return out
