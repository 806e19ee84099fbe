"""total_parts: a total against the parts listed as making it up.

Three shapes:
  - in one sentence: "15 người, trong đó: xã A (cũ): 08 người, xã B (cũ): 05 người và xã C (cũ): 06 người",
    "55 tổ chức đảng (03 …; 08 …; 44 …)", "52 đơn (… 45 đơn; … 05 đơn; … 02 đơn)";
  - a lead-in and a list on the following lines ("… như sau:" / "Trong đó:" then "+ …" items), checked
    column by column ("tiếp nhận" and "giải quyết"): a column that adds up proves the list is complete;
  - files received against files settled, in progress, returned ("tiếp nhận 68 hồ sơ; đã giải quyết 45 …;
    còn 22 hồ sơ đang giải quyết").
Never: overlapping "trong đó" subsets (nữ, dân tộc thiểu số, dự bị…), approximate figures, open lists ("…").
"""
from __future__ import annotations

import re
from decimal import Decimal

from ...domain.orthography import CAPITALS
from .document import relocate
from .util import check_whole, n, quote, split_top

CATEGORY = "total_parts"
NOT_PARTS = {"tháng", "năm", "ngày", "tuần", "giờ", "phút", "quý", "kỳ", "lần", "tuổi", "cấp", "khóa", "khoá", "sao",
             "nhiệm", "giai"}
SUBSET_WORDS = re.compile(
    r"\b(?:nữ|phụ nữ|dân tộc thiểu số|DTTS|dự bị|đảng viên mới|người dân tộc|đoàn viên|trẻ em|người cao tuổi|"
    r"hộ nghèo|cận nghèo|khuyết tật|tuổi|mới kết nạp|kết nạp mới|tôn giáo|có đạo|là đảng viên|đảng viên là|"
    r"cấp ủy viên|tham gia cấp ủy|tái cử|lần đầu|trình độ|thạc sĩ|tiến sĩ|đại học|cao đẳng|trung cấp|cao cấp|sơ cấp|"
    r"chiếm|bình quân|trung bình|tối đa|tối thiểu|ít nhất)\b", re.IGNORECASE)
OPEN_LIST = re.compile(r"\.\.\.|…|\bv\.v\b|\bvv\b|\bkhác\b|\bcòn lại\b|\bmột số\b", re.IGNORECASE)
NAMED = re.compile(r"(?:\b(?:xã|thôn|bản|phường|tổ|khu|xóm|làng|lĩnh vực)\s+[A-Z0-9" + CAPITALS + r"]|"
                   r"\b(?:Văn phòng|Phòng|Ban|Trung tâm|Trạm|Khối|khối|Chi bộ|Đảng bộ|Hội|Đoàn|Ủy ban|UBND|HĐND|MTTQ)\b|\(cũ\))")
_INTRO = re.compile(r"(?P<unit>[^\d();:,.]{0,60}?)\s*(?P<intro>\(|,?\s*(?:trong đó|bao gồm|gồm|cụ thể)\s*(?::|có)?|:)\s*",
                    re.IGNORECASE)
_CUT = re.compile(r"[;,.]\s*(?:đến nay|hiện nay|hiện còn|tuy nhiên|nhìn chung|qua đó|đồng thời|ngoài ra|bên cạnh đó)\b",
                  re.IGNORECASE)


def check(doc):
    return check_whole(doc, local, cross)


def local(doc, para):
    out = []
    figs = [f for f in para.scan.figures if f.kind == "number"]
    if len(figs) >= 3:
        out += _inline(doc, para, figs)
    if len(figs) >= 3:
        out += _flow(doc, para, figs)
    return out


def cross(doc):
    return _blocks(doc)


# -- one sentence ----------------------------------------------------------------------------------------

def _head(unit: str) -> str:
    return unit.split()[0] if unit else ""


def _region(text: str, start: int, intro: str, total_start: int, para) -> tuple[int, int] | None:
    """Where the parts are written: inside the bracket, or to the end of the sentence."""
    if intro.endswith("(") or text[start:start + 1] == "(":
        open_at = text.find("(", start - 1 if intro.endswith("(") else start)
        depth = 0
        for i in range(open_at, len(text)):
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
                if depth == 0:
                    return open_at + 1, i
        return None
    _s, e = para.sentence_of(total_start)
    cut = _CUT.search(text, start, e)
    return start, cut.start() if cut else e


def _parts(text, figs, region, total):
    """First figure of each top-level chunk (";" first, then "," and "và"), and how many chunks name a part
    without a figure ("9 chi bộ thôn, Chi bộ Quân sự và 3 chi bộ trường học": one each)."""
    rs, re_ = region
    body = text[rs:re_]
    chunks = split_top(body, ";")
    if len(chunks) < 2:
        chunks = []
        for cs, ce in split_top(body, ","):
            piece = body[cs:ce]
            last = cs
            for m in re.finditer(r"\s(?:và|cùng)\s", piece):
                chunks.append((last, cs + m.start()))
                last = cs + m.end()
            chunks.append((last, ce))
    parts, uncounted = [], 0
    for cs, ce in chunks:
        a, b = rs + cs, rs + ce
        inner = [f for f in figs if a <= f.start < b and not _in_brackets(text, a, f.start)]
        if not inner:
            uncounted += bool(re.search(r"[^\W\d_]", text[a:b]))
            continue
        parts.append((inner[0], text[a:b]))
    return parts, uncounted


def _in_brackets(text, a, pos):
    seg = text[a:pos]
    return seg.count("(") > seg.count(")")


def _inline(doc, para, figs):
    out = []
    text = para.text
    for i, t in enumerate(figs):
        if not t.exact or t.kind != "number":
            continue
        m = _INTRO.match(text, t.end)
        intro = ""
        start = None
        if m:
            intro, start = m.group("intro").strip().lower(), m.end()
        else:
            # "… 394 thủ tục hành chính. Trong đó: 43 …; 351 …": the total ends the previous sentence
            tail = text[t.end:t.end + 80]
            mm = re.match(r"^[^\d();:,.]{0,60}?\.\s+Trong đó\s*:\s*", tail)
            if not mm:
                continue
            intro, start = "trong đó:", t.end + mm.end()
        region = _region(text, start, intro, t.start if intro != "trong đó:" else start, para)
        if region is None:
            continue
        parts, uncounted = _parts(text, figs, region, t)
        parts = [(f, label) for f, label in parts if f.unit_class == t.unit_class and _head(f.unit) not in NOT_PARTS]
        if len(parts) < 2:
            continue
        if t.unit_class != "money" and not all(_head(f.unit) == _head(t.unit) for f, _ in parts):
            continue  # "55 tổ chức đảng (03 đảng bộ …; 08 chi bộ …)" adds up; different nouns are no proof
        labels = " ".join(label for _, label in parts)
        if SUBSET_WORDS.search(labels) or any(not f.exact for f, _ in parts):
            continue
        total = t.scaled
        values = [f.scaled for f, _ in parts]
        s = sum(values, Decimal(0))
        if s == total or _prefix(values, total) or _complement(figs, t, s) or (s < total and uncounted):
            continue  # parts named without a figure count one or more each: the figures are a lower bound
        named = all(NAMED.search(label) for _, label in parts)
        exhaustive = intro.startswith("(") or "gồm" in intro or intro == ":" or intro == "cụ thể"
        open_list = bool(OPEN_LIST.search(text[region[0]:region[1]]))
        same_head = all(_head(f.unit) == _head(t.unit) for f, _ in parts) and bool(_head(t.unit))
        if intro == ":" and not same_head:
            continue  # "… 02 cấp: 15 người, trong đó …": the figure before ":" is part of a label
        if s > total:
            if exhaustive or named:
                severity = "error" if (same_head or named) else "warning"
            else:
                continue
        else:
            if open_list or not (named or "gồm" in intro or intro == ":"):
                continue
            severity = "warning"
        out.append(_finding(doc, para, t, [f for f, _ in parts], severity, "total.parts"))
    return out


def _prefix(values, total) -> bool:
    run = Decimal(0)
    for k, v in enumerate(values):
        run += v
        if run == total and 2 <= k + 1 < len(values):
            return True
    return False


def _complement(figs, t, s) -> bool:
    """"43 hồ sơ trong đó đã giải quyết 18 hồ sơ (12 …; 01 …; 05 …)": the bracket lists the other 25."""
    return any(f.exact and f.start < t.start and f.unit_class == t.unit_class and f.scaled == t.scaled + s for f in figs)


def _finding(doc, para, t, parts, severity, code, label=""):
    s = sum((f.scaled for f in parts), Decimal(0))
    unit = quote(t.unit, 30)
    scale = t.scale if all(f.scale == t.scale for f in parts) else Decimal(1)
    show = lambda v: n(v / scale)  # noqa: E731
    expr = " + ".join(show(f.scaled) for f in parts)
    what = label or f"Tổng {show(t.scaled)} {unit}".strip()
    return doc.finding(
        para, code, CATEGORY, severity,
        f"{what} khác tổng các phần liệt kê ({expr} = {show(s)}): chênh {show(abs(s - t.scaled))}. "
        f"Kiểm tra lại tổng hoặc từng phần.",
        t.start, t.end, {"total": show(t.scaled), "parts": [show(f.scaled) for f in parts], "sum": show(s)})


# -- files received / settled / in progress -----------------------------------------------------------------

_DOC_UNIT = r"(?:hồ sơ|HS|hs|đơn|ý kiến|vụ việc|thủ tục)"
_R = re.compile(r"tiếp nhận\s+(?:được\s+)?$", re.IGNORECASE)
_S_BEFORE = re.compile(r"(?<!chưa )(?<!đang )(?<!chờ )(?:giải quyết(?: xong)?|đã giải quyết(?: xong)?|trả kết quả)\s+(?:được\s+)?$",
                       re.IGNORECASE)
_P_AFTER = re.compile(r"^\s*" + _DOC_UNIT + r"\s+(?:đang|còn|chờ|chưa)[^.;,()]{0,25}?(?:giải quyết|xử lý)", re.IGNORECASE)
_P_BEFORE = re.compile(r"(?:còn|hiện còn|đang giải quyết|chưa giải quyết)\s+$", re.IGNORECASE)
_OTHER_AFTER = re.compile(r"^\s*" + _DOC_UNIT + r"\s+(?:bị\s+)?(?:trả lại|không đủ điều kiện|tạm dừng|đã hủy|hủy|quá hạn|rút)",
                          re.IGNORECASE)


def _flow(doc, para, figs):
    text = para.text
    if not re.search(r"tiếp nhận", text, re.IGNORECASE):
        return []
    out = []
    for s, e in ((0, len(text)),):  # one account of files may run over several sentences
        items = [f for f in figs if s <= f.start < e and f.unit and re.match(_DOC_UNIT + r"\b", f.unit, re.IGNORECASE)]
        if len(items) < 3:
            continue
        if re.search(r"tiếp nhận (?:và|,) (?:xử lý|giải quyết)", text[s:e], re.IGNORECASE):
            continue
        cats = []
        sub_until = -1
        for f in items:
            before = text[max(s, f.start - 40):f.start]
            after = text[f.end:f.end + 60]
            if f.start < sub_until:
                cats.append("sub")
                continue
            if _R.search(before):
                cat = "R"
            elif _S_BEFORE.search(before):
                cat = "S"
            elif _P_AFTER.match(after) or _P_BEFORE.search(before):
                cat = "P"
            elif _OTHER_AFTER.match(after):
                cat = "O"
            else:
                cat = "?"
            cats.append(cat)
            if cat in ("S", "P"):
                # "đã giải quyết 45 hồ sơ, trong đó 44 …, 01 …": a breakdown of this figure, to the next ";" or "."
                m = re.match(r"^[^.;]{0,40}?,?\s*(?:trong đó|gồm)", after)
                if m:
                    stop = re.search(r"[.;]\s|\)\s*[.;]|$", text[f.end + m.end():e])
                    sub_until = f.end + m.end() + (stop.start() if stop else 0)
                    if text[f.end:f.end + m.end()].count("(") and ")" in text[f.end + m.end():e]:
                        sub_until = text.index(")", f.end + m.end())
        if cats.count("R") != 1 or cats.count("S") != 1 or "?" in cats or not any(c in ("P", "O") for c in cats):
            continue
        r = items[cats.index("R")]
        if cats.index("R") != 0 or not all(f.exact for f in items):
            continue
        parts = [f for f, c in zip(items, cats) if c in ("S", "P", "O")]
        total = sum((f.value for f in parts), Decimal(0))
        if total == r.value:
            continue
        names = {"S": "đã giải quyết", "P": "đang giải quyết", "O": "trả lại/tạm dừng/hủy/quá hạn"}
        kinds = []
        for c in ("S", "P", "O"):
            if c in cats:
                kinds.append(names[c])
        out.append(doc.finding(
            para, "total.files_flow", CATEGORY, "warning",
            f"Tổng số {_noun(r.unit)} tiếp nhận ({n(r.value)}) khác tổng "
            f"{' và '.join(kinds)} ({' + '.join(n(f.value) for f in parts)} = {n(total)}): chênh {n(abs(r.value - total))}. "
            f"Kiểm tra lại số liệu; nếu có hồ sơ tồn kỳ trước, trả lại hoặc hủy thì ghi rõ.",
            r.start, r.end, {"received": n(r.value), "parts": [n(f.value) for f in parts], "sum": n(total)}))
    return out


def _noun(unit: str) -> str:
    ws = unit.split()
    if ws[:2] in (["hồ", "sơ"], ["ý", "kiến"], ["vụ", "việc"], ["thủ", "tục"]):
        return " ".join(ws[:2])
    return {"hs": "hồ sơ"}.get(ws[0].lower(), ws[0]) if ws else "hồ sơ"


# -- lead-in and list on the following lines ---------------------------------------------------------------

_ITEM = re.compile(r"^\s*([+\-*•])\s*")
_KEY_R = re.compile(r"tiếp nhận\s+(?:được\s+)?$", re.IGNORECASE)
_KEY_S = re.compile(r"(?<!chưa )(?<!đang )(?<!chờ )giải quyết(?: xong)?\s+$", re.IGNORECASE)


def _blocks(doc):
    out = []
    paras = doc.paras
    after = 0  # a list's items are never the lead of another
    for lead, _ in doc.gather("lead", _is_lead):
        i = doc.position(lead)
        if i < after:
            continue
        items, j, marker = [], i + 1, None
        while j < len(paras):
            p = paras[j]
            m = _ITEM.match(p.text)
            if m and (marker is None or m.group(1) == marker):
                marker = m.group(1)
                items.append([p])
            elif items and p.text.strip() and p.text.lstrip()[:1].islower() and not p.scan.heading:
                items[-1].append(p)  # a line broken inside an item
            elif not p.text.strip() and items:
                pass
            else:
                break
            j += 1
        if len(items) >= 2:
            source = lead
            if not [f for f in lead.scan.figures if f.kind == "number" and f.exact] and i > 0 and \
                    re.search(r"trong đó|gồm|cụ thể", lead.text, re.IGNORECASE) and len(lead.text) < 60:
                source = paras[i - 1]
            key = ("total_parts.block", source.raw, lead.raw, tuple(tuple(p.raw for p in group) for group in items))
            found = doc.remember(key, lambda: (source.location, _check_block(doc, source, lead, items)))
            if found[0] != source.location:  # the block moved: its findings are all on its source
                found = doc.kept_now[key] = (source.location, relocate(found[1], source.location))
            out += found[1]
        after = max(j, i + 1)
    return out


def _is_lead(para) -> list[bool]:
    """[True] for a line that may open a list on the lines after it ("… như sau:")."""
    return [True] if not para.footnote_like and para.text.rstrip().endswith(":") else []


def _keyed(text, figs, key):
    for f in figs:
        if f.kind == "number" and key.search(text[max(0, f.start - 30):f.start]) and not _in_brackets(text, 0, f.start):
            return f
    return None


def _check_block(doc, source, lead, items):
    out = []
    figs = [f for f in source.scan.figures if f.kind == "number"]
    if not figs:
        return out
    r_total = _keyed(source.text, figs, _KEY_R)
    s_total = _keyed(source.text, figs, _KEY_S)
    item_figs = []
    for group in items:
        fs = []
        for p in group:
            fs += [(p, f) for f in p.scan.figures if f.kind == "number"]
        item_figs.append((group, fs))
    if r_total or s_total:
        columns = []
        for name, total, key in (("tiếp nhận", r_total, _KEY_R), ("đã giải quyết", s_total, _KEY_S)):
            if total is None or not total.exact:
                continue
            vals = []
            for group, fs in item_figs:
                hit = None
                for p, f in fs:
                    if key.search(p.text[max(0, f.start - 30):f.start]) and not _in_brackets(p.text, 0, f.start):
                        hit = f
                        break
                if hit is None and key is _KEY_R:
                    first = [f for p, f in fs if f.unit_class == total.unit_class]
                    hit = first[0] if first else None
                if hit is None or not hit.exact:
                    vals = None
                    break
                vals.append(hit)
            if vals:
                columns.append((name, total, vals))
        ok = {name for name, total, vals in columns if sum((v.value for v in vals), Decimal(0)) == total.value}
        for name, total, vals in columns:
            if name in ok:
                continue
            severity = "error" if ok else "warning"
            proof = f" Cột “{next(iter(ok))}” của cùng danh sách cộng đúng, nên danh sách đã đủ." if ok else ""
            s = sum((v.value for v in vals), Decimal(0))
            out.append(doc.finding(
                source, "total.list_column", CATEGORY, severity,
                f"Tổng số {_noun(total.unit)} {name} ({n(total.value)}) khác tổng các dòng liệt kê bên dưới "
                f"({' + '.join(n(v.value) for v in vals)} = {n(s)}): chênh {n(abs(s - total.value))}.{proof} "
                f"Kiểm tra lại tổng hoặc từng dòng.", total.start, total.end,
                {"total": n(total.value), "parts": [n(v.value) for v in vals], "sum": n(s)}))
        return out
    # one total, one figure per item: "… 45 người, được giao về các phòng như sau:" + "+ Văn phòng … 13 người"
    totals = [f for f in figs if f.exact and f.unit]
    if not totals:
        return out
    total = totals[-1]
    vals, labels = [], []
    for group, fs in item_figs:
        same = [f for p, f in fs if f.unit_class == total.unit_class and not _in_brackets(p.text, 0, f.start)]
        if not same or not same[0].exact:
            return out
        vals.append(same[0])
        labels.append(" ".join(p.text for p in group))
    if SUBSET_WORDS.search(" ".join(labels)):
        return out
    s = sum((v.scaled for v in vals), Decimal(0))
    if s == total.scaled:
        return out
    named = all(NAMED.search(label) for label in labels)
    closed = bool(re.search(r"như sau|gồm|bao gồm", source.text, re.IGNORECASE))
    if s > total.scaled and (named or closed):
        severity = "error" if (named and closed) else "warning"
    elif s < total.scaled and (named and closed):
        severity = "warning"
    else:
        return out
    out.append(_finding(doc, source, total, vals, severity, "total.list"))
    return out
