"""Figures across periods: a report's figures read from the unit's other reports, with where each part came from.

- lũy kế kỳ trước (the year-to-date up to the day before this period): the sum of the earlier reports of the
  same year that cover the time wholly (monthly first, else quarters, 6 or 9 months, weeks inside the span),
  or, when those leave a gap, the lũy kế an earlier report states plus the periods after it;
- a longer period's figure (quarter, 6 or 9 months, year) as the sum of the reports inside it, for the
  `sum_of_months` check and to prefill the report ("tự tính", until the clerk confirms or types over it);
- cùng kỳ năm trước: the figure of the same period last year (the same template first, else any template
  with that indicator).

A stretch of time no report gives is a gap: said ("chưa có số liệu tháng 2/2026"), never guessed. Figures
match across templates by indicator code (the shared dictionary: the same code in every kind). No Qt; the
SQL is in store/reports.py, store/values.py and store/revisions.py.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, partial
from decimal import Decimal

from ..aggregate.from_months import summed_fields
from ..checks.check_context import CheckContext, PartSum, SourcePart
from ..domain.dates import Period, format_date, format_day_month
from ..domain.model import Report
from ..domain.numbers import format_number, to_storage
from ..store import reports as stored_reports
from ..store import revisions as stored_revisions
from ..store import values as stored_values
from . import events
from .errors import ServiceError

# the author of the figures the program writes itself (prefilled sums): they show as "tự tính" until confirmed
AUTO_AUTHOR = "Tự tính"
AUTO_PREFIX = "tự tính: "  # a confirmation's "old" in the revision log: "tự tính: 4650" → "4650"
CALENDAR_KINDS = ("week", "month", "quarter", "half_year", "nine_months", "year")
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Source:
    """Another report of the unit that may give figures: its period and its figures."""
    report_id: str
    template_code: str
    period: Period
    values: dict

    @cached_property  # read for every part of every sum: a year's weeks are parts of each later week's lũy kế
    def label(self) -> str:
        text = self.period.label()
        return text[:1].lower() + text[1:]

    def value(self, code: str, field: str) -> Decimal | None:
        fields = self.values.get(code)
        return fields.get(field) if fields else None


def sources_within(ws, unit_id: str, start: dt.date, end: dt.date, except_id: str = "") -> list[Source]:
    """The unit's other reports whose period lies wholly inside start..end, with their figures (the last
    changed last)."""
    rows = stored_reports.of_unit_within(ws.store, unit_id, start, end, except_id)
    return _sources(rows, _figures_of(ws, [r[0] for r in rows]))


def _figures_of(ws, report_ids: list[str]) -> dict[str, dict]:
    """report id → indicator code → field → value, of the reports that have figures."""
    values: dict[str, dict] = {}
    for report_id, code, name, value in stored_values.of_reports(ws.store, report_ids):
        values.setdefault(report_id, {}).setdefault(code, {})[name] = value
    return values


def _sources(rows: list[tuple], values: dict[str, dict]) -> list[Source]:
    return [Source(report_id, template_code, Period(kind, dt.date.fromisoformat(s), dt.date.fromisoformat(e)),
                   values.get(report_id, {}))
            for report_id, template_code, kind, s, e in rows]


class SourceCache:
    """The unit's reports of a calendar year with their figures, read once for a batch of checks: an import
    checks each commune's 52 weeks, and reading every earlier week again for each one grows with the square
    of the weeks. A report written during the batch is `forget`-ten: the next look at its unit's year reads
    the year's list of reports again (in the database's order) but only the figures of the reports written
    since. Without one, each check reads the database (`sources_within`)."""

    # unit-years kept: an import goes unit after unit (files in the order they were made), and a year of weekly
    # reports holds ~5,000 figures; a batch of one week from every commune reads each unit's year once anyway
    KEPT = 16

    def __init__(self, ws):
        self.ws = ws
        self._years: dict[tuple[str, int], list[Source]] = {}  # the most recently used last
        self._stale: set[tuple[str, int]] = set()

    def forget(self, unit_id: str, report_ids) -> None:
        """These reports of the unit were written (inside the caller's transaction): their figures and places
        in the order are read again when next needed."""
        written = set(report_ids)
        for key, year in self._years.items():
            if key[0] == unit_id:
                self._years[key] = [s for s in year if s.report_id not in written]
                self._stale.add(key)

    def within(self, unit_id: str, start: dt.date, end: dt.date, except_id: str = "") -> list[Source]:
        """As `sources_within`, the same reports in the same order."""
        if start.year != end.year:  # a free range over the new year: rare, read as it is
            return sources_within(self.ws, unit_id, start, end, except_id)
        key = (unit_id, start.year)
        year = self._years.pop(key, None)
        if year is None or key in self._stale:
            year = self._read_year(unit_id, start.year, year or [])
            self._stale.discard(key)
        self._years[key] = year
        if len(self._years) > self.KEPT:
            oldest = next(iter(self._years))
            del self._years[oldest]
            self._stale.discard(oldest)
        return [s for s in year if s.report_id != except_id and start <= s.period.start and s.period.end <= end]

    def _read_year(self, unit_id: str, year: int, known: list[Source]) -> list[Source]:
        rows = stored_reports.of_unit_within(self.ws.store, unit_id, dt.date(year, 1, 1), dt.date(year, 12, 31))
        kept = {s.report_id: s for s in known}
        values = _figures_of(self.ws, [r[0] for r in rows if r[0] not in kept])
        return [kept.get(row[0]) or _sources([row], values)[0] for row in rows]


# == the arithmetic (pure) ========================================================================
def span_label(start: dt.date, end: dt.date) -> str:
    """A stretch of days as a reader says it: "tháng 2/2026", "tháng 2–4/2026", else "01/01–04/01/2026"."""
    whole_months = start.day == 1 and (end + DAY).day == 1
    if whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return f"tháng {start.month}/{start.year}"
        if start.year == end.year:
            return f"tháng {start.month}–{end.month}/{end.year}"
        return f"tháng {start.month}/{start.year}–tháng {end.month}/{end.year}"
    if start == end:
        return f"ngày {format_date(start)}"
    return f"{format_day_month(start)}–{format_date(end)}"


def _preference(source: Source) -> tuple:
    """Which of equally good reports starting on the same day to take: a month, then the longest other, a week
    last; the newest of equals (listed last)."""
    days = (source.period.end - source.period.start).days
    return (source.period.kind == "month", source.period.kind != "week", days)


def tile(sources: list[Source], code: str, field: str, start: dt.date, end: dt.date,
         whole: tuple[dt.date, dt.date] | None = None) -> PartSum:
    """start..end covered by reports' `field` figure of `code`, one after the other without overlap, leaving
    as few days uncovered as possible and, of equal coverings, reading by the month where it can (a quarter
    only where a month is missing); the days no report covers are gaps. `whole`: a period that does not count
    as a part of itself (the report's own period)."""
    usable = [s for s in sources if s.value(code, field) is not None]
    parts: list[SourcePart] = []
    gaps: list[str] = []
    for item in cover(usable, start, end, whole):
        if isinstance(item, Source):
            parts.append(SourcePart(item.label, item.value(code, field), item.report_id))
        else:
            gaps.append(span_label(*item))
    return PartSum(tuple(parts), tuple(gaps))


# cover's answers by the periods of the reports it was given (their order, ids and periods are all it reads):
# a report's lũy kế of each indicator tiles the same earlier weeks again, and an import checks thousands of
# reports. Positions are kept, not the reports: the figures of the same report may differ another time.
_COVERS: dict[tuple, tuple] = {}
_COVERS_KEPT = 1024


def cover(sources: list[Source], start: dt.date, end: dt.date,
          whole: tuple[dt.date, dt.date] | None = None) -> list:
    """The reports that cover start..end one after the other (see `tile`), in order, with (first, last day)
    pairs for the stretches none covers."""
    key = (tuple((s.report_id, s.period) for s in sources), start, end, whole)
    found = _COVERS.get(key)
    if found is None:
        position = {id(s): i for i, s in enumerate(sources)}
        found = tuple(position[id(item)] if isinstance(item, Source) else item
                      for item in _cover(sources, start, end, whole))
        if len(_COVERS) >= _COVERS_KEPT:
            _COVERS.clear()
        _COVERS[key] = found
    return [sources[item] if isinstance(item, int) else item for item in found]


def _cover(sources: list[Source], start: dt.date, end: dt.date, whole: tuple[dt.date, dt.date] | None) -> list:
    usable = [s for s in sources if start <= s.period.start and s.period.end <= end
              and (s.period.start, s.period.end) != whole]
    by_start: dict[dt.date, list[Source]] = {}
    for source in usable:
        by_start.setdefault(source.period.start, []).append(source)
    starts = sorted(by_start)
    best: dict[dt.date, tuple] = {}  # day → (days uncovered, days not read by the month, covering from there)

    def best_from(day: dt.date) -> tuple:
        if day > end:
            return (0, 0, ())
        if day in best:
            return best[day]
        options = []
        for source in by_start.get(day, ()):
            gaps, coarse, rest = best_from(source.period.end + DAY)
            coarse += 0 if source.period.kind == "month" else (source.period.end - source.period.start).days + 1
            options.append(((gaps, coarse, -_preference(source)[1]), (gaps, coarse, (source,) + rest)))
        at = bisect_right(starts, day)  # the next day a report starts on
        following = starts[at] if at < len(starts) else end + DAY
        gaps, coarse, rest = best_from(following)
        options.append(((gaps + (following - day).days, coarse, 1), (gaps + (following - day).days, coarse,
                                                                     ((day, following - DAY),) + rest)))
        found = min(options, key=lambda option: option[0])[1]
        best[day] = found
        return found

    for day in sorted(set(starts) | {start}, reverse=True):  # from the end: no deep recursion over a year
        best_from(day)
    found = []
    for item in best_from(start)[2]:
        if isinstance(item, Source):  # the newest of the reports for the same period
            item = [s for s in by_start[item.period.start] if s.period.end == item.period.end][-1]
        elif found and not isinstance(found[-1], Source):  # one gap, not two side by side
            item = (found.pop()[0], item[1])
        found.append(item)
    return found


def reports_inside(ws, report: Report) -> tuple[list[Source], list[str]]:
    """The unit's reports that make up a longer period (months first, else quarters…), in order, and the
    stretches none covers ("tháng 5/2026"): what a 6-month report can start from."""
    if not months_inside(report.period):
        return [], []
    inside = sources_within(ws, report.unit_id, report.period.start, report.period.end, report.id)
    items = cover(inside, report.period.start, report.period.end, (report.period.start, report.period.end))
    return ([i for i in items if isinstance(i, Source)], [span_label(*i) for i in items if not isinstance(i, Source)])


def year_start(report_start: dt.date, founded_on: dt.date | None) -> tuple[dt.date, str]:
    """Where a lũy kế from the start of the year begins for a period starting on `report_start`: 1 January,
    or the month a unit founded that year began in (the communes merged on 01/7/2025)."""
    first = dt.date(report_start.year, 1, 1)
    if founded_on and founded_on.year == report_start.year and founded_on > first:
        return founded_on.replace(day=1), f"ngày thành lập đơn vị ({format_date(founded_on)})"
    return first, "đầu năm"


def cumulative_before(sources: list[Source], code: str, period: Period, founded_on: dt.date | None = None,
                      template_code: str = "") -> PartSum:
    """The lũy kế from the start of the year up to the day before `period`. Read from the latest lũy kế an
    earlier report of the year states (this template's first) plus the periods after it, and shown as the
    earlier periods' own figures when those cover the time and add up to the same; else the earlier
    periods' figures alone; with the gaps when neither covers. (A month whose figure is wrong but whose lũy
    kế is right is that month's finding, not every later month's.)"""
    begin, begin_label = year_start(period.start, founded_on)
    if period.start <= begin:
        return PartSum((), (), begin_label)
    before = period.start - DAY
    year_begin = dt.date(period.start.year, 1, 1)
    if period.kind == "week":
        # a week reads on from last week's report of its template (the office copies its lũy kế): weeks do not
        # fall on month ends, so the months and a few weeks are no way to show it. Looked for first: tiling the
        # year's earlier weeks for every indicator of every week is what an import of a year's weeks cannot afford
        base = next((s for s in reversed(sources) if s.period.end == before and s.template_code == template_code
                     and s.period.start >= year_begin and s.value(code, "cumulative") is not None), None)
        if base is not None:  # the last listed of last week's reports (the newest of equals)
            first = SourcePart(f"lũy kế {base.label}", base.value(code, "cumulative"), base.report_id, cumulative=True)
            return PartSum((first,), (), begin_label)
    full = tile(sources, code, "actual", begin, before)
    stating = [s for s in sources if s.value(code, "cumulative") is not None
               and s.period.start >= year_begin and s.period.end <= before]
    based = None
    if stating:
        last_end = max(s.period.end for s in stating)
        latest = [s for s in stating if s.period.end == last_end]
        base = ([s for s in latest if s.template_code == template_code] or latest)[-1]
        rest = tile(sources, code, "actual", base.period.end + DAY, before)
        first = SourcePart(f"lũy kế {base.label}", base.value(code, "cumulative"), base.report_id, cumulative=True)
        based = PartSum((first,) + rest.parts, rest.gaps, begin_label)
    if full.complete and (based is None or not based.complete or based.total == full.total):
        return PartSum(full.parts, (), begin_label)
    if based is not None and (based.complete or not full.parts):
        return based
    return PartSum(full.parts, full.gaps, begin_label)


def months_inside(period: Period) -> bool:
    """Whether a period is two or more whole calendar months (a quarter, 6 or 9 months, a year)."""
    return (period.kind in ("quarter", "half_year", "nine_months", "year")
            or (period.start.day == 1 and (period.end + DAY).day == 1
                and (period.end.year, period.end.month) != (period.start.year, period.start.month)))


def period_sum(sources: list[Source], code: str, field: str, period: Period) -> PartSum:
    """A longer period's figure from the reports inside it: `actual` the sum of theirs, `cumulative` the lũy
    kế of the report ending on the period's last day (a month first)."""
    whole = (period.start, period.end)
    if field != "cumulative":
        return tile(sources, code, field, period.start, period.end, whole)
    ending = [s for s in sources if s.period.end == period.end and s.period.start >= period.start
              and (s.period.start, s.period.end) != whole and s.value(code, "cumulative") is not None]
    if not ending:
        return PartSum((), (span_label(period.end.replace(day=1), period.end),))
    best = [s for s in ending if _preference(s) == max(map(_preference, ending))][-1]
    return PartSum((SourcePart(f"lũy kế {best.label}", best.value(code, "cumulative"), best.report_id, True),))


def out_of_step(found: PartSum, by_id: dict[str, Source], code: str) -> dict[str, str]:
    """report id → why a part disagrees with itself: its lũy kế is not the part before's lũy kế (0 for a part
    starting on 1 January) plus its own figure. Only consecutive parts that both state a lũy kế are read."""
    out = {}
    before: Decimal | None = None
    for part in found.parts:
        source = by_id.get(part.report_id)
        if source is None:
            before = None
            continue
        if source.period.start == dt.date(source.period.start.year, 1, 1):
            before = Decimal(0)
        cumulative = source.value(code, "cumulative")
        if before is not None and cumulative is not None and before + part.value != cumulative:
            out[part.report_id] = (f"Báo cáo {part.label} tự mâu thuẫn: lũy kế {format_number(cumulative)} khác "
                                   f"{format_number(before)} + {format_number(part.value)} = "
                                   f"{format_number(before + part.value)}.")
        before = cumulative
    return out


def last_year_of(period: Period) -> tuple[dt.date, dt.date] | None:
    """The same period one year earlier (a week: the same ISO week number); None for a free range."""
    if period.kind == "week":
        iso = period.start.isocalendar()
        try:
            start = dt.date.fromisocalendar(iso.year - 1, iso.week, 1)
        except ValueError:  # week 53 that last year did not have
            return None
        return start, start + dt.timedelta(days=6)
    if period.kind not in CALENDAR_KINDS or not period.is_calendar():
        return None
    start = period.start.replace(year=period.start.year - 1)
    end = (period.end + DAY).replace(year=period.end.year - 1) - DAY  # 29/02 ends a leap year's February
    return start, end


# == what a report reads from the others ==========================================================
def accumulating(ws, sources: list[Source], code: str, templates: dict | None = None) -> list[Source]:
    """The sources whose template gives `code` a lũy kế, i.e. whose figure is what the period added: where
    another template has the same code without a lũy kế its figure is a count on a day (the monthly reports'
    "chi trả trợ cấp cho 1.118 đối tượng"), and months of those add up to nothing. A template this workspace
    cannot read keeps its reports (nothing known against them). `templates`: `templates_of(ws, sources)`,
    when the caller asks for several codes."""
    templates = templates if templates is not None else templates_of(ws, sources)
    counts: dict[str, bool] = {}
    for template_code, template in templates.items():
        if template is not None:
            indicator = template.indicator(code)
            counts[template_code] = indicator is None or indicator.cumulative
    if all(counts.values()):
        return sources
    return [s for s in sources if counts.get(s.template_code, True)]


def templates_of(ws, sources: list[Source]) -> dict:
    """template code → the template of those sources (None where this workspace cannot read it)."""
    found = {}
    for template_code in {s.template_code for s in sources}:
        try:
            found[template_code] = ws.template(template_code, received_too=True)
        except ServiceError:
            found[template_code] = None
    return found


def fill_context(ws, report: Report, template, context: CheckContext, sources: SourceCache | None = None) -> None:
    """Fill the cross-period parts of a report's CheckContext: lũy kế kỳ trước with its sources, the sums of
    a longer period's reports, cùng kỳ năm trước. `sources`: the other reports read once for a batch."""
    within = sources.within if sources is not None else partial(sources_within, ws)
    unit = ws.unit_of(report)
    period = report.period
    cumulative_codes = [ind.code for ind in template.indicators if ind.cumulative]
    if cumulative_codes:
        if period.kind in CALENDAR_KINDS:
            year = dt.date(period.start.year, 1, 1)
            earlier = within(report.unit_id, year, period.start - DAY, report.id)
            templates = templates_of(ws, earlier)
            for code in cumulative_codes:
                found = cumulative_before(accumulating(ws, earlier, code, templates), code, period,
                                          unit.founded_on if unit else None, report.template_code)
                context.previous_sources[code] = found
                if found.complete:
                    context.previous_cumulative[code] = found.total
        else:  # a free range: the previous report of the same template, as before
            previous = ws.previous_report(report, with_texts=False)
            if previous and previous.period.start.year == period.start.year:
                label = previous.period.label().lower()
                context.previous_report_label = label
                for code in cumulative_codes:
                    value = previous.value(code, "cumulative")
                    if value is not None:
                        context.previous_cumulative[code] = value
                        context.previous_sources[code] = PartSum(
                            (SourcePart(f"lũy kế {label}", value, previous.id, True),))
    # what adds up from the months: the template's sum_of_months figures and every cumulative indicator's
    # .actual — the same set the upper level sums for a commune that sent only months (one rule for both)
    refs = sorted({name for rule in template.rules if rule.kind == "sum_of_months" for name in rule.params["refs"]}
                  | summed_fields(template))
    if refs and months_inside(period):
        inside = within(report.unit_id, period.start, period.end, report.id)
        by_id = {s.report_id: s for s in inside}
        for name in refs:
            code, field = name.split(".")
            found = context.period_sums[name] = period_sum(inside, code, field, period)
            if field == "actual":
                context.period_steps[code] = out_of_step(found, by_id, code)
    last = last_year_of(period)
    if last is not None:
        candidates = [s for s in within(report.unit_id, *last)
                      if (s.period.start, s.period.end) == last and s.period.kind == period.kind]
        candidates.sort(key=lambda s: s.template_code == report.template_code)  # this template's last: wins
        for ind in template.indicators:
            for field in ("actual", "cumulative"):
                found = [s for s in candidates if s.value(ind.code, field) is not None]
                if found:
                    context.last_year.setdefault(ind.code, {})[field] = (
                        found[-1].value(ind.code, field), found[-1].label)


# == prefilled sums ("tự tính") ===================================================================
def auto_figures(ws, report_id: str) -> set[tuple[str, str]]:
    """The figures of a report the program wrote itself and nobody has typed or confirmed since."""
    return {tuple(key.split(".", 1)) for key, (author, _old) in
            stored_revisions.latest_authors(ws.store, report_id, "value").items() if author == AUTO_AUTHOR}


def prefill_sums(ws, report_id: str) -> list[tuple[str, str]]:
    """Fill a longer period's figures that are sums of the reports inside it (`sum_of_months`) where the field
    is empty or still the program's own value; then a cumulative indicator's lũy kế = lũy kế kỳ trước + the
    prefilled figure. Written as AUTO_AUTHOR ("tự tính" in the editor until confirmed). Inside the caller's
    transaction; returns the (code, field) written."""
    report = ws.report(report_id, with_texts=False)
    if report.locked:
        return []
    template = ws.report_template(report)
    context = CheckContext()
    fill_context(ws, report, template, context)
    authors = stored_revisions.latest_authors(ws.store, report_id, "value")
    auto = {tuple(key.split(".", 1)) for key, (author, _old) in authors.items() if author == AUTO_AUTHOR}
    written = []

    def put(code: str, field: str, value: Decimal) -> None:
        stored = report.value(code, field)
        typed = f"{code}.{field}" in authors and (code, field) not in auto  # typed, or emptied on purpose
        if stored == value or typed:
            return
        changed, old = stored_values.put(ws.store, report_id, code, field, to_storage(value))
        if changed:
            ws.store.log_revision(report_id, "value", f"{code}.{field}", old, to_storage(value), AUTO_AUTHOR)
            report.values.setdefault(code, {})[field] = value
            auto.add((code, field))
            written.append((code, field))

    for name, found in context.period_sums.items():
        code, field = name.split(".")
        if found.complete and found.parts:
            put(code, field, found.total)
    for ind in template.indicators:
        previous = context.previous_cumulative.get(ind.code)
        actual = report.value(ind.code, "actual")
        if (ind.cumulative and ind.actual and previous is not None and actual is not None
                and (ind.code, "actual") in auto):
            put(ind.code, "cumulative", previous + actual)
    if written:
        ws.announce(events.REPORTS, report_id)
    return written


def confirm_figure(ws, report_id: str, code: str, field: str) -> bool:
    """The clerk keeps a prefilled figure as it is: logged as theirs ("tự tính: 4650" → "4650"), no longer
    shown as "tự tính". False when the figure was not the program's."""
    if (code, field) not in auto_figures(ws, report_id):
        return False
    value = ws.report(report_id, with_texts=False).value(code, field)
    text = to_storage(value)
    with ws.store.transaction():
        ws.store.log_revision(report_id, "value", f"{code}.{field}", AUTO_PREFIX + (text or ""), text, ws.author,
                              coalesce=False)
        ws.announce(events.REPORTS, report_id)
    return True


# == how a figure is explained ====================================================================
def explain_previous(found: PartSum) -> str:
    """"Lũy kế kỳ trước = tháng 1/2026: 120 + tháng 2/2026: 95 = 215", or why it is not computed."""
    if not found.parts and found.complete:
        return f"Lũy kế kỳ trước = 0 (kỳ này bắt đầu từ {found.start_label})"
    if not found.complete:
        known = f" (có: {found.arithmetic()})" if found.parts else ""
        return f"Chưa tính được lũy kế kỳ trước: {found.gap_text()}{known}. Nhập tay nếu có số."
    if len(found.parts) == 1:
        return f"Lũy kế kỳ trước = {found.arithmetic()}"
    return f"Lũy kế kỳ trước = {found.arithmetic()} = {format_number(found.total)}"


def explain_cumulative(found: PartSum, own_label: str, actual: Decimal | None) -> str:
    """"Lũy kế = tháng 1/2026: 120 + tháng 2/2026: 95 + tháng 3/2026 (báo cáo này): 80 = 295"."""
    if not found.complete:
        return f"Chưa tính được lũy kế: {found.gap_text()}."
    if actual is None:
        return f"Lũy kế = lũy kế kỳ trước ({format_number(found.total)}) + số trong kỳ (chưa nhập)"
    own = f"{own_label} (báo cáo này): {format_number(actual)}"
    if not found.parts:
        return f"Lũy kế = {own} (kỳ bắt đầu từ {found.start_label})"
    return f"Lũy kế = {found.arithmetic()} + {own} = {format_number(found.total + actual)}"


def explain_sum(found: PartSum) -> str:
    """"Tổng các kỳ trong kỳ = tháng 4/2026: 1.500 + … = 4.650", or what is missing."""
    if not found.parts:
        return f"Chưa có báo cáo nào trong kỳ có số này ({found.gap_text()})." if found.gaps else ""
    if not found.complete:
        return f"Chưa cộng được từ các báo cáo trong kỳ: {found.gap_text()} (có: {found.arithmetic()})."
    if len(found.parts) == 1 and found.parts[0].cumulative:
        return f"Theo {found.arithmetic()}"
    return f"Tổng các báo cáo trong kỳ = {found.arithmetic()} = {format_number(found.total)}"


def sources_json(context: CheckContext, report: Report, template) -> dict:
    """indicator code → the figures read from other reports, for `report show --json`: "previous" (lũy kế kỳ
    trước), "<field>" sums of a longer period, "last_year", each with its value ("" when a gap stops it),
    its parts and its gaps."""
    def shown(found: PartSum, text: str) -> dict:
        return {"value": format_number(found.total) if found.complete else None, "text": text,
                "parts": [{"label": p.label, "value": format_number(p.value), "report": p.report_id,
                           "cumulative": p.cumulative} for p in found.parts],
                "gaps": list(found.gaps)}

    out: dict[str, dict] = {}
    for ind in template.indicators:
        entry = {}
        if ind.code in context.previous_sources:
            found = context.previous_sources[ind.code]
            entry["previous"] = shown(found, explain_previous(found))
            own = report.period.label()
            entry["cumulative"] = shown(found, explain_cumulative(found, own[:1].lower() + own[1:],
                                                                  report.value(ind.code, "actual")))
            if found.complete and report.value(ind.code, "actual") is not None:
                entry["cumulative"]["value"] = format_number(found.total + report.value(ind.code, "actual"))
        for field in ("actual", "cumulative"):
            found = context.period_sums.get(f"{ind.code}.{field}")
            if found is not None:
                entry[f"sum_{field}"] = shown(found, explain_sum(found))
        if ind.code in context.last_year:
            entry["last_year"] = {field: {"value": format_number(value), "from": label}
                                  for field, (value, label) in context.last_year[ind.code].items()}
        if entry:
            out[ind.code] = entry
    return out
