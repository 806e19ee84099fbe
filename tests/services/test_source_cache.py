"""Reading the unit's other reports once for a batch of checks (period_figures.SourceCache, used by an import)
and remembering coverings (period_figures.cover) give what reading them each time gives."""
import datetime as dt
from decimal import Decimal

from baocao_desktop.checks.check_context import CheckContext
from baocao_desktop.domain.dates import calendar_period
from baocao_desktop.services import period_figures as pf

D = dt.date
CODE = "thu_ngan_sach_tren_dia_ban"


def monthly(ws, year, number, actual, cumulative=None):
    report = ws.create_report("bc_dang_uy_thang", f"{year}-{number:02d}-01")
    ws.set_value(report.id, CODE, "actual", actual)
    if cumulative is not None:
        ws.set_value(report.id, CODE, "cumulative", cumulative)
    return report


def test_the_cache_gives_the_reports_a_database_read_gives(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    unit = workspace.own_unit().id
    ids = [monthly(workspace, 2025, 12, "50").id] + [monthly(workspace, 2026, n, str(100 + n)).id for n in range(1, 6)]
    cache = pf.SourceCache(workspace)
    ranges = [(D(2026, 1, 1), D(2026, 3, 31), ""), (D(2026, 1, 1), D(2026, 4, 30), ids[3]),
              (D(2026, 2, 1), D(2026, 2, 27), ""), (D(2025, 12, 1), D(2026, 2, 28), ""),  # over the new year
              (D(2025, 1, 1), D(2025, 12, 31), ""), (D(2024, 1, 1), D(2024, 12, 31), "")]
    for start, end, except_id in ranges:
        read = pf.sources_within(workspace, unit, start, end, except_id)
        assert cache.within(unit, start, end, except_id) == read, (start, end)
    assert [s.report_id for s in cache.within(unit, D(2026, 1, 1), D(2026, 12, 31), ids[3])] == (
        ids[1:3] + ids[4:])

    # the lũy kế of May, its sources and findings: the same with the cache as without
    may = workspace.report(ids[-1])
    template = workspace.report_template(may)
    without, with_cache = CheckContext(), CheckContext()
    pf.fill_context(workspace, may, template, without)
    pf.fill_context(workspace, may, template, with_cache, cache)
    assert with_cache.previous_sources == without.previous_sources
    assert without.previous_cumulative[CODE] == Decimal(101 + 102 + 103 + 104)


def test_a_remembered_covering_reads_the_figures_of_the_reports_given_this_time():
    def months(figures):
        return [pf.Source(f"m{n}", "bc_thang", calendar_period("month", D(2026, n, 1)),
                          {"thu": {"actual": Decimal(v)}}) for n, v in enumerate(figures, start=1)]
    first = pf.tile(months([10, 20]), "thu", "actual", D(2026, 1, 1), D(2026, 2, 28))
    again = pf.tile(months([11, 22]), "thu", "actual", D(2026, 1, 1), D(2026, 2, 28))  # same periods, new figures
    assert first.total == Decimal(30) and again.total == Decimal(33)
    assert [p.label for p in again.parts] == ["tháng 1/2026", "tháng 2/2026"]
