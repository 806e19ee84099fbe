"""claim_vs_figure: words that contradict the figures beside them: "vượt kế hoạch" at 65% of plan, "hoàn thành
kế hoạch" at 90%, "đạt thấp" at 110%; an evaluation that names an indicator as "vượt kế hoạch" whose figure
elsewhere is 65,1% KH; "không phát sinh đơn thư" while the same week "tiếp nhận 01 đơn thư"."""
from __future__ import annotations

import re

from ...domain.words import is_word
from .util import check_whole, n, quote, split_top

CATEGORY = "claim_vs_figure"
_OVER = re.compile(r"\bvượt\s+(?:mức\s+)?(?:kế hoạch|chỉ tiêu|KH)\b", re.IGNORECASE)
_DONE = re.compile(r"(?<!cơ bản )(?<!chưa )(?<!không )\b(?:hoàn thành|đạt)\s+(?:100%\s+)?(?:kế hoạch|chỉ tiêu|KH)\b", re.IGNORECASE)
_LOW = re.compile(r"\b(?:đạt thấp|chưa đạt|không đạt|còn thấp|đạt thấp so với)\b", re.IGNORECASE)
_OF_PLAN_AFTER = re.compile(r"^\s*(?:\)?\s*)?(?:so với\s+)?(?:kế hoạch|KH|chỉ tiêu|dự toán)\b", re.IGNORECASE)
_POSITIVE_LIST = re.compile(r"(?:hoàn thành và vượt|đạt và vượt|vượt)\s+(?:kế hoạch|chỉ tiêu)[^.;:]{0,20}?"
                            r"(?:,\s*)?(?:đặc biệt là|nhất là|như|gồm|là)\s*:?\s*(?P<list>[^.;]+)", re.IGNORECASE)
_NEGATIVE_LIST = re.compile(r"(?:đạt thấp|chưa đạt(?: kế hoạch)?|còn thấp)\s*(?:so với kế hoạch)?\s*(?:,\s*)?"
                            r"(?:như|gồm|là|ở)\s*:?\s*(?P<list>[^.;]+)", re.IGNORECASE)
_GENERIC = {"sản", "xuất", "công", "tác", "diện", "tích", "giá", "trị", "tổng", "số", "lượng", "sản lượng", "đàn",
            "tỷ", "lệ", "việc", "các", "chỉ", "tiêu", "và", "của", "về", "trong", "đó", "đạt", "kế", "hoạch", "thu",
            "nhập", "mới", "hoạt", "động", "kết", "quả", "lĩnh", "vực"}
_NONE = re.compile(r"\b(?:không phát sinh|chưa phát sinh|không có|không xảy ra|không tiếp nhận)\s+(?P<noun>(?:[^\W\d_]+\s?){2,3})",
                   re.IGNORECASE)
EVENT_NOUNS = {("đơn", "thư"), ("đơn",), ("vụ", "việc"), ("vụ",), ("vi", "phạm"), ("dịch", "bệnh"), ("tai", "nạn"),
               ("khiếu", "nại"), ("tố", "cáo"), ("điểm", "nóng"), ("ổ", "dịch"), ("vụ", "cháy"), ("trường", "hợp")}
_POSITIVE_VERB = re.compile(r"(?:tiếp nhận|phát sinh|nhận được|xảy ra|có)\s+(?:được\s+)?$", re.IGNORECASE)
_BODIES = re.compile(r"\b(chính quyền|UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân|Đảng ủy|Đảng uỷ|UBKT|Ủy ban Kiểm tra|"
                     r"Công an|MTTQ|Mặt trận|Thường trực|Bí thư|Chủ tịch|Trung tâm|Tòa án|Viện kiểm sát)\b", re.IGNORECASE)
_PERIOD_WORDS = re.compile(r"\btrong (?:tuần|kỳ|tháng|quý)\b", re.IGNORECASE)


def check(doc):
    return check_whole(doc, local, cross)


def local(doc, para):
    return _same_clause(doc, para) + _all_but_some(doc, para)


def cross(doc):
    indicators = [(words, f, para, phrase) for para, (words, f, phrase) in doc.gather("indicators", _indicators)]
    return _named_claims(doc, indicators) + _none_but_some(doc)


def _plan_percents(para):
    """Percentages of plan: "(65,1% KH)", "bằng 73,54% kế hoạch", "đạt 80% kế hoạch"."""
    text = para.text
    return [f for f in para.scan.figures if f.kind == "percent" and f.exact and _OF_PLAN_AFTER.match(text[f.end:f.end + 25])]


def _same_clause(doc, para):
    out = []
    text = para.text
    pcts = _plan_percents(para)
    if not pcts:
        return out
    for f in pcts:
        s, e = para.sentence_of(f.start)
        cs = max(text.rfind(";", s, f.start) + 1, s)
        ce_candidates = [x for x in (text.find(";", f.end, e),) if x != -1]
        ce = min(ce_candidates) if ce_candidates else e
        # the clause must hold only this percentage of plan
        if sum(1 for g in pcts if cs <= g.start < ce) != 1:
            continue
        clause = text[cs:ce]
        over = _OVER.search(clause)
        done = _DONE.search(clause)
        low = _LOW.search(clause)
        if over and f.value < 100 and not re.search(r"\bvượt\s+[0-9]", clause):
            out.append(doc.finding(
                para, "claim.over_plan", CATEGORY, "error",
                f"“{over.group()}” nhưng số liệu chỉ đạt {n(f.value)}% kế hoạch (dưới 100%). Sửa lời đánh giá hoặc số liệu.",
                cs + over.start(), cs + over.end(), {"percent": n(f.value)}))
        elif done and f.value < 100 and not over:
            if re.search(r"\b(?:phấn đấu|nhằm|để)\b", clause[:done.start()]):
                continue
            out.append(doc.finding(
                para, "claim.done_plan", CATEGORY, "warning",
                f"“{done.group()}” nhưng số liệu là {n(f.value)}% kế hoạch (chưa đủ 100%). Có phải “cơ bản hoàn thành” "
                f"hoặc “đạt {n(f.value)}%”?", cs + done.start(), cs + done.end(), {"percent": n(f.value)}))
        elif low and f.value >= 100:
            out.append(doc.finding(
                para, "claim.low", CATEGORY, "warning",
                f"“{low.group()}” nhưng số liệu là {n(f.value)}% kế hoạch (đã đạt hoặc vượt). Kiểm tra lại lời đánh giá.",
                cs + low.start(), cs + low.end(), {"percent": n(f.value)}))
    return out


def _indicators(para):
    """(words of the indicator's phrase, percent of plan, phrase) for "cây ăn quả 565,19 ha (65,1% KH)"."""
    out = []
    text = para.text
    for f in _plan_percents(para):
        s, e = para.sentence_of(f.start)
        cs = max(text.rfind(";", s, f.start) + 1, s)
        phrase = text[cs:f.start]
        phrase = re.sub(r"^.*?:\s*", "", phrase) if phrase.count(":") and phrase.index(":") < len(phrase) - 3 else phrase
        phrase = phrase.rstrip(" (,")
        words = _content_words(phrase)
        if words:
            out.append((words, f, phrase))
    return out


def _content_words(phrase: str) -> set[str]:
    ws = re.findall(r"[^\W\d_]+", phrase.lower())
    return {w for w in ws if w not in _GENERIC and len(w) > 1}


def _named_claims(doc, indicators):
    """"nhiều chỉ tiêu hoàn thành và vượt kế hoạch, đặc biệt là …, cây ăn quả, …" vs "cây ăn quả … (65,1% KH)"."""
    out = []
    if not indicators:
        return out
    for para, (positive, item, start, words) in doc.gather("claim_lists", _claim_lists):
        matches = [(w, f, p, ph) for w, f, p, ph in indicators if words <= w]
        if not matches:
            continue
        verdicts = {f.value >= 100 for _, f, _, _ in matches}
        if len(verdicts) != 1:
            continue
        good = verdicts.pop()
        if good == positive:
            continue
        _, f, p, ph = matches[0]
        claim = "hoàn thành, vượt kế hoạch" if positive else "đạt thấp"
        out.append(doc.finding(
            para, "claim.named_indicator", CATEGORY, "warning",
            f"Đánh giá xếp “{item}” vào nhóm {claim}, nhưng số liệu ở {p.where() or 'trên'} là "
            f"{n(f.value)}% kế hoạch (“{quote(ph.strip(), 50)} {f.text}”). Sửa lời đánh giá hoặc số liệu.",
            start, start + len(item), {"item": item, "percent": n(f.value)}))
    return out


def _claim_lists(para):
    """(positive, item, start, content words) of each item of a list of indicators judged "vượt kế hoạch" or
    "đạt thấp"."""
    out = []
    for rx, positive in ((_POSITIVE_LIST, True), (_NEGATIVE_LIST, False)):
        for m in rx.finditer(para.text):
            lst = m.group("list")
            base = m.start("list")
            for s, e in split_top(lst, ","):
                for part_s, part_e in _split_and(lst, s, e):
                    item = lst[part_s:part_e].strip()
                    words = _content_words(item)
                    if words:
                        out.append((positive, item, base + lst.find(item, part_s), words))
    return out


def _split_and(text, s, e):
    piece = text[s:e]
    last = 0
    for m in re.finditer(r"\s+và\s+", piece):
        yield s + last, s + m.start()
        last = m.end()
    yield s + last, e


def _none_but_some(doc):
    """"trong tuần không phát sinh đơn thư …" and elsewhere "Trong tuần, tiếp nhận 01 đơn thư"."""
    out = []
    nones = [(para, *none) for para, none in doc.gather("nones", _nones)]
    if not nones:
        return out
    for para, (f, fw, period, bodies) in doc.gather("some", _some):
        for npara, m, nw, nperiod, nbodies in nones:
            if nperiod != period or len(fw) < 2 or fw[:2] != nw[:2] or tuple(nw[:2]) not in EVENT_NOUNS:
                continue
            if bodies and nbodies and not (bodies & nbodies):
                continue  # "chính quyền xã không tiếp nhận …" / "Ủy ban Kiểm tra … tiếp nhận 01 đơn thư"
            if len(fw) >= 3 and len(nw) >= 3 and fw[2] != nw[2] and fw[2].isalpha():
                continue
            verb = _POSITIVE_VERB.search(para.text[max(0, f.start - 25):f.start])
            shown = para.text[max(0, f.start - 25) + verb.start():f.end] + " " + " ".join(fw[:2])
            out.append(doc.finding(
                para, "claim.none_but_some", CATEGORY, "warning",
                f"“{shown}” trái với câu “{quote(m.group(), 60)}” ở {npara.where() or 'trên'} (cùng kỳ báo cáo). "
                f"Thống nhất lại.", f.start, f.end, {"count": n(f.value)}))
            break
    return out


def _nones(para):
    """(match, noun words, in the period, bodies named) of each "không phát sinh đơn thư" of a paragraph."""
    out = []
    for m in _NONE.finditer(para.text):
        s, e = para.sentence_of(m.start())
        words = m.group("noun").lower().split()
        bodies = {b.lower() for b in _BODIES.findall(para.text[s:m.start()])}
        out.append((m, words, bool(_PERIOD_WORDS.search(para.text[s:e])), bodies))
    return out


def _some(para):
    """(figure, unit words, in the period, bodies named) of each "tiếp nhận 01 đơn thư" of a paragraph."""
    out = []
    for f in para.scan.figures:
        if f.kind != "number" or not f.exact or f.value <= 0 or not f.unit:
            continue
        if not _POSITIVE_VERB.search(para.text[max(0, f.start - 25):f.start]):
            continue
        s, e = para.sentence_of(f.start)
        out.append((f, f.unit.split(), bool(_PERIOD_WORDS.search(para.text[s:e])),
                    {b.lower() for b in _BODIES.findall(para.text[s:f.start])}))
    return out


_ALL = re.compile(r"(?:100\s?%\s+(?:số\s+)?|\b(?:tất cả|toàn bộ)\s+(?:các\s+)?)(?P<noun>[^\W\d_]+\s+[^\W\d_]+)",
                  re.IGNORECASE)


def _all_but_some(doc, para):
    """"100% chi bộ tổ chức sinh hoạt nghiêm túc" beside "35/37 chi bộ": a claim of all that the figure next to it
    (a of b, a < b, the same noun) contradicts."""
    out = []
    text = para.text
    claims = list(_ALL.finditer(text))
    if not claims:
        return out
    for f in para.scan.figures:
        if f.kind != "fraction" or not f.exact or not f.den or f.value >= f.den or not f.unit:
            continue
        noun = " ".join(f.unit.lower().split()[:2])
        first = noun.split()[0]
        s, e = para.sentence_of(f.start)
        s = max(text.rfind(";", s, f.start) + 1, s)  # the same clause
        semi = text.find(";", f.end, e)
        e = semi if semi != -1 else e
        for m in claims:
            claimed = m.group("noun").lower()
            # "100% chi bộ" / "35/37 chi bộ"; "100% trường tổ chức" / "06/13 trường hoàn thành" (one-word noun)
            if not (s <= m.start() < e) or claimed.split()[0] != first or (
                    claimed != noun and (is_word(*claimed.split()) or is_word(*noun.split()))):
                continue
            word = noun if claimed == noun else first
            out.append(doc.finding(
                para, "claim.all_but_some", CATEGORY, "warning",
                f"“{m.group()}” (tất cả) nhưng cùng ý ghi {f.text} {word} (còn {n(f.den - f.value)} {word} "
                f"chưa). Sửa lời đánh giá hoặc số liệu.", m.start(), m.end(),
                {"claim": m.group(), "ratio": f.text}))
            break
    return out
