"""Quality of the proofreader on faults it was not tuned on (issue 16, point 1).

    python bench/proofread_quality.py [--trials 40] [--seed 16]

Host text — `tests/fixtures/proofread/clean_*.txt` (written for this bench in the seeds' style, no fault) and
the three seed reports (their reviewed faults stay; the findings they already give are the baseline) — gets one
fault injected per trial, of
one DESIGN §7 category, at a known line, with random figures, names, words and places. The generator's
seeds are shuffled once and split in half: the first half was available while rules were written
("development"), the second was never looked at before measuring ("held out"). Per category and half it
prints recall (the fault is found: a finding of its category on its line) and precision (of the findings the
injection added, how many are on the fault's line: another category's finding there points at the same fault), and the false alarms per page on the host text (a finding on
the written text, or on a seed outside its reviewed list; a page: 3.000 characters). Goals (issue 16): recall ≥ 90% per category, precision ≥ 95%, ≤ 0,2 false alarms per page.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from baocao_desktop.checks.proofread import CATEGORIES, proofread_text  # noqa: E402
from baocao_desktop.domain.numbers import format_number  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "proofread"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
PAGE_CHARS = 3000
HEADER_LINES = 12  # host lines before this are the document's header: never a place for a fault

@dataclass
class Host:
    name: str
    lines: list[str]
    own_name: str
    report_date: dt.date | None  # None: the text has no date line


@dataclass
class Trial:
    category: str
    lines: list[str]
    expected: set[int]  # 1-based lines where the fault is
    note: str = ""
    baseline: set = field(default_factory=set)


def hosts() -> list[Host]:
    out = []
    for path in sorted(FIXTURES.glob("clean_*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        out.append(Host(path.stem, lines, *_own(lines)))
    for path in sorted(SEEDS.glob("00[0-9]_*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        out.append(Host(path.name[:3], lines, *_own(lines)))
    return out


def _reviewed(host: Host) -> set:
    """(line, code) of a seed's reviewed true findings (tests/proofread/test_seeds.py MUST_FIND)."""
    from tests.proofread.test_seeds import MUST_FIND
    return {(line, code) for path, items in MUST_FIND.items() if path.name[:3] == host.name
            for line, code, _severity in items}


def _own(lines):
    name, day = "", None
    for text in lines[:15]:
        m = re.match(r"^\s*(?:ĐẢNG ỦY|ỦY BAN NHÂN DÂN)\s+XÃ\s+(.+?)\s*$", text)
        if m and not name:
            name = m.group(1).title()
        m = re.search(r"ngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})", text)
        if m:
            day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return name, day


# -- pools the generator draws from ------------------------------------------------------------------------
TOPICS = ["chuyển đổi số", "xây dựng nông thôn mới", "phòng, chống thiên tai", "cải cách hành chính",
          "phát triển kinh tế tập thể", "bảo vệ rừng", "giảm nghèo bền vững", "công tác dân vận",
          "phòng, chống ma túy", "an toàn thực phẩm", "bảo hiểm y tế", "xây dựng khu dân cư văn hóa"]
VILLAGES = ["Tả Chải", "Nậm Pản", "Sín Chải", "Cán Hồ", "Lao Chải", "Pờ Chồ", "Na Hối", "Bản Phố", "Ngải Thầu"]
COUNT_NOUNS = ["hộ", "hồ sơ", "công trình", "lượt người", "thôn", "trường", "chi bộ", "học sinh", "cán bộ"]
TASKS = ["hoàn thành kê khai", "được kiểm tra", "đạt chuẩn", "được cấp giấy chứng nhận", "tham gia tập huấn"]
TOTAL_LABELS = [("hộ sử dụng điện lưới quốc gia", "hộ"), ("thủ tục hành chính", "thủ tục"),
                ("hộ kinh doanh cá thể", "hộ"), ("tổ hợp tác", "tổ"), ("đầu phương tiện", "chiếc"),
                ("nhà văn hóa thôn", "nhà")]
SECTORS = ["tiểu thủ công nghiệp", "dịch vụ", "thương mại", "nông nghiệp", "lâm nghiệp"]
DOC_TYPES = [("Nghị quyết", "NQ"), ("Quyết định", "QĐ"), ("Kế hoạch", "KH"), ("Chỉ thị", "CT"),
             ("Thông báo", "TB"), ("Báo cáo", "BC")]
INDICATORS = ["Diện tích trồng rừng", "Tổng sản lượng lương thực", "Thu ngân sách trên địa bàn",
              "Diện tích cây ăn quả", "Số hộ thoát nghèo", "Diện tích lúa xuân"]


def _pct(value: float, decimals: int) -> str:
    return format_number(round(__import__("decimal").Decimal(str(value)), decimals)) if decimals else str(round(value))


def _num(value: int, pad: bool = False) -> str:
    text = format_number(__import__("decimal").Decimal(value))
    return f"{value:02d}" if pad and value < 10 else text


def _place(rng, host: Host) -> int:
    """A 0-based index after which a new paragraph goes: a body line that is text, not a heading."""
    body = [k for k in range(HEADER_LINES, len(host.lines) - 8) if len(host.lines[k]) > 60]
    return rng.choice(body)


def _insert(host: Host, at: int, *new: str) -> tuple[list[str], set[int]]:
    lines = host.lines[:at + 1] + list(new) + host.lines[at + 1:]
    return lines, {at + 2 + k for k in range(len(new))}


# -- one injector per category: (rng, host) -> Trial ---------------------------------------------------------
def inj_ratio(rng, host):
    b = rng.randint(6, 90)
    a = rng.randint(2, b - 1)
    true = 100 * a / b
    decimals = rng.choice([0, 1, 2])
    wrong = true + rng.choice([-1, 1]) * rng.uniform(3, 15)
    wrong = min(max(wrong, 1), 99)
    noun, task = rng.choice(COUNT_NOUNS), rng.choice(TASKS)
    pct = _pct(wrong, decimals)
    if rng.random() < 0.5:
        text = f"Có {_num(a, True)}/{_num(b, True)} {noun} {task}, đạt {pct}%."
    else:
        text = f"Kết quả {task} đạt {pct}% ({_num(a, True)}/{_num(b, True)} {noun})."
    lines, exp = _insert(host, _place(rng, host), text)
    return Trial("ratio_percent", lines, exp, text)


def inj_total(rng, host):
    noun = rng.choice(["hộ", "hồ sơ", "công trình", "lượt người"])
    k = rng.randint(2, 4)
    villages = rng.sample(VILLAGES, k)
    parts = [rng.randint(3, 140) for _ in villages]
    total = sum(parts) + rng.choice([-1, 1]) * rng.randint(1, 12)
    listed = ", ".join(f"thôn {v} {_num(p, True)} {noun}" for v, p in zip(villages, parts))
    text = f"Tổng số {noun} đăng ký tham gia là {_num(total)} {noun}, gồm: {listed}."
    lines, exp = _insert(host, _place(rng, host), text)
    return Trial("total_parts", lines, exp, text)


def inj_repeat(rng, host):
    label, unit = rng.choice(TOTAL_LABELS)
    v1 = rng.randint(12, 900)
    v2 = v1 + rng.choice([-1, 1]) * rng.randint(1, 9)
    first = f"Tổng số {label} trên địa bàn xã là {_num(v1)} {unit}."
    second = f"Tổng số {label}: {_num(v2)} {unit}."
    a = _place(rng, host)
    b = _place(rng, host)
    while b == a:
        b = _place(rng, host)
    a, b = sorted((a, b))
    lines = host.lines[:a + 1] + [first] + host.lines[a + 1:b + 1] + [second] + host.lines[b + 1:]
    return Trial("repeated_figure_conflict", lines, {b + 3}, second)


def inj_magnitude(rng, host):
    if rng.random() < 0.6:
        big = rng.randint(1_100, 40_000)
        text = f"Giá trị sản xuất {rng.choice(SECTORS)} ước đạt {_num(big)} tỷ đồng."
    else:
        text = f"Tỷ lệ hộ {rng.choice(['dùng nước hợp vệ sinh', 'có nhà tiêu hợp vệ sinh', 'xem truyền hình'])} " \
               f"đạt {rng.randint(101, 180)}%."
    lines, exp = _insert(host, _place(rng, host), text)
    return Trial("magnitude_unit", lines, exp, text)


def inj_date(rng, host):
    kind = rng.random()
    year = (host.report_date or dt.date(2026, 6, 1)).year
    if kind < 0.4 or (kind < 0.8 and host.report_date is None):  # a plan dated after the report needs its date
        day, month = rng.choice([(31, 4), (31, 6), (31, 9), (31, 11), (30, 2), (29, 2 if year % 4 else 13)])
        if month == 13:
            day, month = 31, 6
        text = f"Ngày {day}/{month}/{year}, Đảng ủy tổ chức hội nghị về {rng.choice(TOPICS)}."
    elif kind < 0.8:
        later = host.report_date + dt.timedelta(days=rng.randint(3, 60))
        text = (f"Thực hiện Kế hoạch số {rng.randint(30, 190)}-KH/ĐU ngày {later.day}/{later.month}/{later.year} "
                f"của Ban Thường vụ Đảng ủy về {rng.choice(TOPICS)}, các chi bộ đã triển khai.")
    else:
        text = (f"Quán triệt Nghị quyết Hội nghị Trung ương {rng.randint(3, 9)} khóa {rng.choice(['IV', 'V', 'VI'])} "
                f"đến toàn thể đảng viên.")
    lines, exp = _insert(host, _place(rng, host), text)
    return Trial("date_logic", lines, exp, text)


def inj_symbol(rng, host):
    kind = rng.random()
    number = rng.randint(3, 240)
    (word, code), (_, wrong) = rng.sample(DOC_TYPES[:4], 2)
    day = (host.report_date or dt.date(2026, 6, 1)) - dt.timedelta(days=rng.randint(5, 90))
    if kind < 0.5:
        text = (f"Ban Thường vụ ban hành {word} số {number}-{wrong}/ĐU ngày {day.day}/{day.month}/{day.year} "
                f"về {rng.choice(TOPICS)}.")
        lines, exp = _insert(host, _place(rng, host), text)
    elif kind < 0.75:
        text = f"Các chi bộ triển khai {word} số {number} -{code}/ĐU về {rng.choice(TOPICS)}."
        lines, exp = _insert(host, _place(rng, host), text)
    else:
        other = day - dt.timedelta(days=rng.randint(5, 40))
        t1, t2 = rng.sample(TOPICS, 2)
        first = f"Đảng ủy ban hành {word} số {number}-{code}/ĐU ngày {other.day}/{other.month}/{other.year} về {t1}."
        text = f"Đảng ủy ban hành {word} số {number}-{code}/ĐU ngày {day.day}/{day.month}/{day.year} về {t2}."
        a = _place(rng, host)
        b = _place(rng, host)
        while b == a:
            b = _place(rng, host)
        a, b = sorted((a, b))
        lines = host.lines[:a + 1] + [first] + host.lines[a + 1:b + 1] + [text] + host.lines[b + 1:]
        return Trial("doc_symbol", lines, {b + 3}, text)
    return Trial("doc_symbol", lines, exp, text)


_WORD = re.compile(r"(?<![\w])[a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]{2,}(?![\w])")


def inj_duplicate(rng, host):
    from baocao_desktop.checks.proofread.duplicate_text import reduplicates
    for _ in range(50):
        k = _place(rng, host)
        text = host.lines[k]
        words = [m for m in _WORD.finditer(text) if not reduplicates(m.group())]
        if len(words) < 4:
            continue
        i = rng.randrange(len(words) - 1)
        if rng.random() < 0.5:
            m = words[i]
            new = text[:m.end()] + " " + m.group() + text[m.end():]
        else:
            a, b = words[i], words[i + 1]
            if text[a.end():b.start()] != " ":
                continue
            phrase = text[a.start():b.end()]
            new = text[:b.end()] + " " + phrase + text[b.end():]
        lines = list(host.lines)
        lines[k] = new
        return Trial("duplicate_text", lines, {k + 1}, new)
    raise RuntimeError("no place for a duplicate")


def inj_unit(rng, host):
    topic = rng.choice(TOPICS)
    if rng.random() < 0.5 or not host.own_name:
        text = f"Thường trực Đảng ủy phường chỉ đạo các thôn triển khai {topic}."
    else:
        words = host.own_name.split()
        w = rng.randrange(len(words))
        bare = unicodedata.normalize("NFD", words[w])
        marks = [ch for ch in bare if unicodedata.combining(ch)]
        if marks:
            words[w] = unicodedata.normalize("NFC", bare.replace(marks[-1], "", 1))
        else:
            words[w] = words[w][:-1] + {"a": "á", "o": "ó", "i": "í", "u": "ú", "e": "é"}.get(words[w][-1], "à")
        text = f"Nhân dân xã {' '.join(words)} tích cực tham gia {topic}."
    lines, exp = _insert(host, _place(rng, host), text)
    return Trial("unit_or_place_name", lines, exp, text)


def inj_numbering(rng, host):
    items = rng.sample(["Tăng cường công tác tuyên truyền", "Rà soát, bổ sung quy chế làm việc",
                        "Kiện toàn tổ chức bộ máy", "Đẩy mạnh ứng dụng công nghệ thông tin",
                        "Nâng cao chất lượng sinh hoạt chi bộ", "Chăm lo đời sống Nhân dân"], 4)
    letters = "abcdđeg"
    skip = rng.randint(1, 3)
    labels = [letters[k] for k in range(5) if k != skip][:4]
    new = [f"{lab}) {item} về {rng.choice(TOPICS)}." for lab, item in zip(labels, items)]
    lines, exp = _insert(host, _place(rng, host), *new)
    return Trial("numbering", lines, {min(exp) + skip}, new[skip])


def inj_unicode(rng, host):
    kind = rng.random()
    k = _place(rng, host)
    lines = list(host.lines)
    if kind < 0.4:
        lines[k] = unicodedata.normalize("NFD", lines[k])
    elif kind < 0.7:
        lines[k] = lines[k].rstrip(".") + f", có {_pct(rng.uniform(10, 95), 2)} % số hộ tham gia."
    else:
        lines[k] = lines[k].rstrip(".") + f"; dân số toàn xã {rng.randint(2100, 9800)} người."
    return Trial("unicode_format", lines, {k + 1}, lines[k])


def inj_claim(rng, host):
    pct = _pct(rng.uniform(50, 97), rng.choice([0, 1]))
    ind = rng.choice(INDICATORS)
    if rng.random() < 0.6:
        text = f"{ind} đạt {pct}% kế hoạch, vượt kế hoạch đề ra."
    else:
        b = rng.randint(8, 40)
        a = rng.randint(3, b - 1)
        noun = rng.choice(["chi bộ", "thôn", "trường"])
        text = f"100% {noun} tổ chức triển khai nghiêm túc, có {_num(a, True)}/{_num(b, True)} {noun} hoàn thành đúng hạn."
    lines, exp = _insert(host, _place(rng, host), text)
    return Trial("claim_vs_figure", lines, exp, text)


def inj_placeholder(rng, host):
    topic = rng.choice(TOPICS)
    text = rng.choice([
        f"Đảng ủy xã [tên xã] tổ chức hội nghị về {topic}.",
        f"Hội nghị về {topic} tổ chức ngày ..... tháng ..... năm {(host.report_date or dt.date(2026, 1, 1)).year}.",
        f"Kế hoạch này được phổ biến đến các chi bộ về {topic}.",
        f"Kết quả {topic}: đạt xxx hộ tham gia.",
    ])
    lines, exp = _insert(host, _place(rng, host), text)
    return Trial("placeholder_left", lines, exp, text)


# Spelling faults by rule, each giving a syllable Vietnamese cannot write
_SPELL_RULES = [
    (re.compile(r"\bng(?=[aăâoôơuư])"), "ngh"), (re.compile(r"\bngh(?=[ieê])"), "ng"),
    (re.compile(r"\bg(?=[aăâoôơuư])"), "gh"), (re.compile(r"\bc(?=[aăâoôơuư])"), "k"),
    (re.compile(r"\bk(?=[ieê])"), "c"),
]
_TONES = {"\u0301": "sắc", "\u0300": "huyền", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}


def _misspell(rng, word: str) -> str | None:
    options = []
    for rx, rep in _SPELL_RULES:
        if rx.search(word):
            options.append(rx.sub(rep, word, count=1))
    nfd = unicodedata.normalize("NFD", word)
    tone = next((ch for ch in nfd if ch in _TONES), None)
    if tone and re.search(r"(?:p|t|c|ch)$", word):  # a stop ending takes only sắc or nặng
        other = rng.choice(["\u0300", "\u0309", "\u0303"])
        options.append(unicodedata.normalize("NFC", nfd.replace(tone, other)))
    if tone and re.search(r"o[aăe]|u[yâ]", unicodedata.normalize("NFC", nfd.replace(tone, ""))) \
            and re.search(r"[ctpnm]h?$|ng$", word):  # "hoạch" → "họach": the mark goes on the main vowel
        bare = nfd.replace(tone, "")
        m = re.search(r"[ou]", bare)
        if m:
            options.append(unicodedata.normalize("NFC", bare[:m.end()] + tone + bare[m.end():]))
    if "ươ" in word:  # "hướng" → "huớng": the horn dropped from ư
        options.append(word.replace("ươ", "uơ", 1))
    return rng.choice(options) if options else None


def inj_spelling(rng, host):
    for _ in range(80):
        k = _place(rng, host)
        text = host.lines[k]
        words = list(_WORD.finditer(text))
        rng.shuffle(words)
        for m in words:
            bad = _misspell(rng, m.group())
            if bad and bad != m.group():
                lines = list(host.lines)
                lines[k] = text[:m.start()] + bad + text[m.end():]
                return Trial("spelling", lines, {k + 1}, bad)
    raise RuntimeError("no word to misspell")


INJECTORS = {
    "ratio_percent": inj_ratio, "total_parts": inj_total, "repeated_figure_conflict": inj_repeat,
    "magnitude_unit": inj_magnitude, "date_logic": inj_date, "doc_symbol": inj_symbol,
    "duplicate_text": inj_duplicate, "unit_or_place_name": inj_unit, "numbering": inj_numbering,
    "unicode_format": inj_unicode, "claim_vs_figure": inj_claim, "placeholder_left": inj_placeholder,
    "spelling": inj_spelling,
}
assert set(INJECTORS) == set(CATEGORIES)


# -- measuring -----------------------------------------------------------------------------------------------
def _keys(lines, findings):
    """Findings keyed by what they say about which text, so that lines moved by an insertion still match."""
    return {(f.code, lines[f.line - 1], f.start) for f in findings if f.line}


def measure(trials_per_category: int = 40, seed: int = 16, half: str = "both", hosts_: list[Host] | None = None,
            first: int = 0):
    """{category: {"dev"|"held": [found, injected, true findings, added findings]}} and the clean-text
    false alarms (count, pages)."""
    hosts_ = hosts_ or hosts()
    baseline = {}
    alarms, chars = [], 0
    for h in hosts_:
        found = proofread_text(h.lines, location="line")
        baseline[h.name] = _keys(h.lines, found)
        reviewed = _reviewed(h)
        alarms += [(h.name, f) for f in found if (f.line, f.code) not in reviewed]
        chars += sum(len(t) for t in h.lines)
    order = list(range(first, first + trials_per_category))
    random.Random(seed).shuffle(order)
    halves = {"dev": order[:len(order) // 2], "held": order[len(order) // 2:]}
    table: dict[str, dict[str, list[int]]] = {}
    misses: list[tuple] = []
    for category, inject in INJECTORS.items():
        for name, seeds in halves.items():
            if half != "both" and name != half:
                continue
            row = table.setdefault(category, {}).setdefault(name, [0, 0, 0, 0])
            for s in seeds:
                rng = random.Random(f"{category}:{s}")
                host = hosts_[rng.randrange(len(hosts_))]
                trial = inject(rng, host)
                found = proofread_text(trial.lines, location="line")
                added = [f for f in found if (f.code, trial.lines[f.line - 1], f.start) not in baseline[host.name]]
                hits = [f for f in added if f.category == category and f.line in trial.expected]
                on_fault = [f for f in added if f.line in trial.expected]  # any category: it points at the fault
                row[1] += 1
                row[0] += bool(hits)
                row[2] += len(on_fault)
                row[3] += len(added)
                if not hits or len(on_fault) != len(added):
                    misses.append((category, name, host.name, trial.note,
                                   [(f.code, f.line in trial.expected) for f in added]))
    return table, alarms, chars / PAGE_CHARS, misses


def measure_word_slips(trials: int, seed: int, hosts_: list[Host] | None = None) -> tuple[int, int, int, int]:
    """Real-word slips (spelling against the word list, issue 16): one syllable of a listed two-syllable word
    written in the host text is replaced by a slip of it (another tone, n/ng, s/x, …) that leaves no word
    ("nông thôn" → "nông thông"). (found, injected, right suggestions, stray findings elsewhere)."""
    from baocao_desktop.checks.proofread.spelling import words as text_words
    from baocao_desktop.domain.words import is_word, slips
    rng = random.Random(seed)
    hosts_ = hosts_ or hosts()
    base = {h.name: _keys(h.lines, proofread_text(h.lines, location="line", categories={"spelling"})) for h in hosts_}
    found = injected = right = stray = 0
    while injected < trials:
        host = rng.choice(hosts_)
        k = _place(rng, host)
        text = host.lines[k]
        toks = list(text_words(text))
        pairs = [i for i in range(len(toks) - 1) if text[toks[i][1]:toks[i + 1][0]] == " "
                 and toks[i][2].islower() and toks[i + 1][2].islower() and is_word(toks[i][2], toks[i + 1][2])]
        if not pairs:
            continue
        i = rng.choice(pairs)
        side = rng.randrange(2)
        a, b = toks[i][2], toks[i + 1][2]
        bad = [x for x in slips((a, b)[side]) if not (is_word(x, b) if side == 0 else is_word(a, x))]
        if not bad:
            continue
        s, e = toks[i + side][0], toks[i + side][1]
        lines = list(host.lines)
        lines[k] = text[:s] + rng.choice(bad) + text[e:]
        injected += 1
        got = proofread_text(lines, location="line", categories={"spelling"})
        at = len(unicodedata.normalize("NFC", text[:s]))  # findings' offsets are in NFC text
        hit = [f for f in got if f.line == k + 1 and f.start is not None and f.start <= at < f.end]
        stray += len([f for f in got if f not in hit and (f.code, lines[f.line - 1], f.start) not in base[host.name]])
        if hit:
            found += 1
            right += hit[0].values.get("suggestion") in (f"{a} {b}", (a, b)[side])
    return found, injected, right, stray


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40, help="trials per category (half held out)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--first", type=int, default=0,
                        help="first trial number: trials from a number never run before are faults nobody has seen")
    parser.add_argument("--misses", action="store_true", help="list missed faults and stray findings (dev half only)")
    args = parser.parse_args(argv)
    table, alarms, pages, misses = measure(args.trials, args.seed, first=args.first)
    print(f"{'category':26} {'half':5} {'recall':>8} {'precision':>10}   found/injected  true/added")
    total = {"dev": [0, 0, 0, 0], "held": [0, 0, 0, 0]}
    for category, halves in table.items():
        for name, (found, injected, true, added) in halves.items():
            total[name] = [x + y for x, y in zip(total[name], (found, injected, true, added))]
            precision = true / added if added else 1.0
            print(f"{category:26} {name:5} {found / injected:8.0%} {precision:10.0%}   {found:5}/{injected:<8} "
                  f"{true:4}/{added}")
    for name, (found, injected, true, added) in total.items():
        print(f"{'ALL':26} {name:5} {found / injected:8.0%} {true / max(added, 1):10.0%}")
    print(f"host text (written + seeds, findings outside the reviewed ones): {pages:.1f} pages, {len(alarms)} findings, {len(alarms) / pages:.2f} per page")
    for name, f in alarms:
        print(f"  {name} line {f.line}: {f.code} {f.message[:100]}")
    found, injected, right, stray = measure_word_slips(args.trials * 2, args.seed + args.first)
    print(f"real-word slips (word list): recall {found / injected:.0%} ({found}/{injected}), suggestion right "
          f"{right}/{found}, precision {found / max(found + stray, 1):.0%} ({stray} stray findings)")
    if args.misses:
        for category, half, host, note, got in misses:
            if half == "dev":
                print(f"MISS {category} [{host}] {note[:110]!r} -> {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
