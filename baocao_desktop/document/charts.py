"""Charts for official documents: a small data shape (ChartSpec) rendered to a print-quality PNG.

    spec = ChartSpec("plan_vs_actual", "Kết quả sản xuất nông nghiệp", labels=("Lúa mùa", "Ngô"),
                     series=(Series("Kế hoạch", (Decimal(650), Decimal(1110))),
                             Series("Thực hiện", (Decimal(549), Decimal(1110)))),
                     units=("ha", "ha"))
    png = render_chart(spec)                      # bytes, 300 dpi, sized for the A4 text width
    block = chart_block(spec)                     # a document.model.ChartBlock for the writer

Kinds:
- plan_vs_actual: per label, series[0] is the plan and series[1] the actual figure. Drawn as bars of
  the actual figure in percent of the plan with the plan at 100 %, each bar annotated
  "549/650 ha (84,5%)", so indicators in different units share one chart.
- composition: one series of parts of a whole: a pie with percentages (up to 6 parts) or sorted
  bars (more parts); the total is printed.
- trend: labels are periods (oldest first), each series one indicator over the periods: lines with
  markers and the values written at the points.

Numbers are written the Vietnamese way (decimal comma, dot thousands: domain.numbers.format_number),
the font is Times New Roman when installed, else a metric-compatible one (Liberation Serif, Tinos),
else a serif font that has Vietnamese letters. matplotlib is imported inside render_chart only, and
only its Agg canvas is used (no pyplot, no GUI backend, safe off the UI thread).

`indicator_chart` builds a spec from a template's indicators and a report's values (duck-typed: any
objects with .code/.label/.unit and a {code: {field: Decimal}} mapping), so the document builder
only has to pass what it already has.
"""
from __future__ import annotations

import io
import math
import textwrap
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Sequence

from ..domain.numbers import format_number, percent
from .model import ChartBlock
from ..domain.errors import UserError

CHART_KINDS = ("plan_vs_actual", "composition", "trend")
KIND_LABELS = {"plan_vs_actual": "so sánh thực hiện với kế hoạch", "composition": "cơ cấu",
               "trend": "diễn biến qua các kỳ"}
DEFAULT_WIDTH_MM = 150.0  # a little narrower than the A4 text width (165 mm)
PRINT_DPI = 300
FONT_CANDIDATES = ("Times New Roman", "Liberation Serif", "Tinos", "Nimbus Roman", "DejaVu Serif")
FONT_SIZE_PT = 10.0  # printed size: the picture is placed at its own size
# Colours that stay apart when printed in grey (different lightness), then hatches for bars.
COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5")
PLAN_COLOUR = "#bfbfbf"
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINESTYLES = ("-", "--", "-.", ":", "-", "--", "-.")
PIE_MAX_PARTS = 6
LABEL_WRAP = 30  # characters per line of a category label


class ChartError(UserError, ValueError):
    """A chart cannot be drawn from the data given (message in Vietnamese)."""


@dataclass(frozen=True)
class Series:
    name: str  # "Thực hiện", "Kế hoạch", or an indicator's label in a trend
    values: tuple[Decimal | None, ...]  # one per label; None = no figure

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(_decimal(v) for v in self.values))


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # one of CHART_KINDS
    title: str
    labels: tuple[str, ...]  # categories (indicators) or periods (trend), in order
    series: tuple[Series, ...]
    unit: str = ""  # the values' unit when they share one ("ha", "người")
    decimals: int | None = None  # decimals written on the chart; None: as the data has (at most 2)
    units: tuple[str, ...] = field(default_factory=tuple)  # per label, when the units differ

    def __post_init__(self):
        if self.kind not in CHART_KINDS:
            raise ChartError(f"Loại biểu đồ “{self.kind}” không có (chọn: {', '.join(CHART_KINDS)}).")
        object.__setattr__(self, "labels", tuple(_nfc(x) for x in self.labels))
        object.__setattr__(self, "title", _nfc(self.title))
        object.__setattr__(self, "unit", _nfc(self.unit))
        object.__setattr__(self, "units", tuple(_nfc(x) for x in self.units))
        object.__setattr__(self, "series", tuple(self.series))
        if not self.labels:
            raise ChartError(f"Biểu đồ “{self.title}” không có số liệu nào để vẽ.")
        for s in self.series:
            if len(s.values) != len(self.labels):
                raise ChartError(f"Biểu đồ “{self.title}”: dãy “{s.name}” có {len(s.values)} số liệu, "
                                 f"cần {len(self.labels)}.")
        if self.units and len(self.units) != len(self.labels):
            raise ChartError(f"Biểu đồ “{self.title}”: cần một đơn vị tính cho mỗi mục.")
        need = {"plan_vs_actual": 2, "composition": 1, "trend": 1}[self.kind]
        if len(self.series) < need or (self.kind == "composition" and len(self.series) != 1):
            raise ChartError(f"Biểu đồ “{self.title}” ({KIND_LABELS[self.kind]}) cần "
                             + ("hai dãy số: kế hoạch và thực hiện." if need == 2 else
                                "đúng một dãy số." if self.kind == "composition" else "ít nhất một dãy số."))

    def unit_of(self, index: int) -> str:
        return self.units[index] if self.units else self.unit


# ---------------------------------------------------------------------- from a report's figures
def indicator_chart(kind: str, title: str, indicators: Sequence[Any], values: Mapping[str, Mapping[str, Any]],
                    field: str | None = "actual", history: Sequence[tuple[str, Mapping]] = (),
                    decimals: int | None = None) -> ChartSpec | None:
    """A ChartSpec from indicators (objects with .code, .label, .unit; e.g. templates.model.Indicator)
    and a report's values ({code: {"actual": Decimal, "plan": ..., "cumulative": ...}}).

    - plan_vs_actual: `field` is compared with "plan" (None: each indicator's percent_base, i.e.
      cumulative when it has one); indicators without both figures are left out.
    - composition: the `field` figure of each indicator; empty and zero parts are left out.
    - trend: `history` is [(period label, values of that period)] oldest first, the current report
      included; one series per indicator.
    Returns None when no indicator has figures to draw (the document then has no chart)."""
    if kind not in CHART_KINDS:
        raise ChartError(f"Loại biểu đồ “{kind}” không có (chọn: {', '.join(CHART_KINDS)}).")
    inds = list(indicators)
    if kind == "trend":
        periods = [(label, vals) for label, vals in history]
        if not periods or not inds:
            return None
        series = []
        for ind in inds:
            name = field or "actual"
            row = tuple(_decimal((vals.get(ind.code) or {}).get(name)) for _, vals in periods)
            if any(v is not None for v in row):
                series.append(Series(ind.label, row))
        if not series:
            return None
        units = {getattr(i, "unit", "") for i in inds}
        return ChartSpec("trend", title, tuple(label for label, _ in periods), tuple(series),
                         unit=units.pop() if len(units) == 1 else "", decimals=decimals)
    labels, units, first, second = [], [], [], []
    for ind in inds:
        figures = values.get(ind.code) or {}
        if kind == "plan_vs_actual":
            name = field or getattr(ind, "percent_base", "actual")
            plan, actual = _decimal(figures.get("plan")), _decimal(figures.get(name))
            if plan is None or actual is None or plan == 0:
                continue
            first.append(plan)
            second.append(actual)
        else:
            value = _decimal(figures.get(field or "actual"))
            if value is None or value <= 0:
                continue
            first.append(value)
        labels.append(ind.label)
        units.append(getattr(ind, "unit", "") or "")
    if not labels:
        return None
    if kind == "plan_vs_actual":
        series = (Series("Kế hoạch", tuple(first)), Series("Thực hiện", tuple(second)))
    else:
        series = (Series(title, tuple(first)),)
    same = len(set(units)) == 1
    return ChartSpec(kind, title, tuple(labels), series, unit=units[0] if same else "",
                     units=() if same else tuple(units), decimals=decimals)


def chart_for_request(request: Any, template: Any, values: Mapping[str, Mapping[str, Any]],
                      history: Sequence[tuple[str, Mapping]] = (), render: bool = False) -> ChartBlock | None:
    """The ChartBlock a template's chart request asks for, or None when there is nothing to draw.

    `request` has .kind, .title, .indicators (codes) and optionally .field, .width_mm (a template's
    chart entry); `template.indicator(code)` gives the indicators; `values` are the report's figures;
    `history` is [(period label, values)] oldest first with this report last (trend charts only).
    The block carries the spec and is drawn when the document is written (the export's worker
    thread), unless `render`. A chart without figures is left out: None."""
    indicators = [ind for ind in (template.indicator(code) for code in request.indicators) if ind is not None]
    field = getattr(request, "field", None)
    width = float(getattr(request, "width_mm", None) or DEFAULT_WIDTH_MM)
    try:
        spec = indicator_chart(request.kind, request.title, indicators, values, field=field,
                               history=history if request.kind == "trend" else ())
        if spec is None:
            return None
        return chart_block(spec, width) if render else ChartBlock(spec.title, b"", width, spec=spec)
    except ChartError:
        return None


def short_period_label(kind: str, start, end) -> str:
    """A period as a chart's axis says it: "01/6–07/6", "T6/2026", "Quý II/2026", "Năm 2026"."""
    from ..domain.dates import CALENDAR_MONTHS, Period, format_date, format_day_month

    if kind == "week":
        return f"{format_day_month(start)}–{format_day_month(end)}"
    if kind == "month":
        return f"T{start.month}/{start.year}"
    if kind in CALENDAR_MONTHS:
        return Period(kind, start, end).label()  # Quý II/2026, 6 tháng đầu năm 2026, Năm 2026
    return f"{format_date(start)}–{format_date(end)}"


def chart_block(spec: ChartSpec, width_mm: float = DEFAULT_WIDTH_MM) -> ChartBlock:
    """Render `spec` and wrap it for the document (its title becomes the caption)."""
    return ChartBlock(spec.title, render_chart(spec, width_mm=width_mm), width_mm)


# ---------------------------------------------------------------------- rendering
def render_chart(spec: ChartSpec, *, width_mm: float = DEFAULT_WIDTH_MM, height_mm: float | None = None,
                 dpi: int = PRINT_DPI, show_title: bool = False, font: str | None = None) -> bytes:
    """The chart as PNG bytes, `width_mm` wide at `dpi` (the same input gives the same bytes).

    The title is left to the document's caption unless `show_title`."""
    _require_matplotlib()
    import matplotlib

    family = font or chart_font()
    figure = draw_chart(spec, width_mm=width_mm, height_mm=height_mm, dpi=dpi, show_title=show_title, font=family)
    with matplotlib.rc_context(_rc(family)):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def draw_chart(spec: ChartSpec, *, width_mm: float = DEFAULT_WIDTH_MM, height_mm: float | None = None,
               dpi: int = PRINT_DPI, show_title: bool = False, font: str | None = None):
    """The matplotlib Figure (on an Agg canvas, no pyplot) for `spec`; render_chart saves it as PNG."""
    _require_matplotlib()
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = height_mm or _default_height(spec, width_mm)
    with matplotlib.rc_context(_rc(font or chart_font())):
        figure = Figure(figsize=(width_mm / 25.4, height / 25.4), dpi=dpi, layout="constrained",
                        facecolor="white")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        {"plan_vs_actual": _plan_vs_actual, "composition": _composition, "trend": _trend}[spec.kind](axes, spec)
        if show_title and spec.title:
            figure.suptitle(_wrap(spec.title, 80), fontsize=FONT_SIZE_PT + 2, fontweight="bold")
    return figure


def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ChartError("Chưa cài thư viện vẽ biểu đồ (matplotlib): văn bản được xuất không kèm biểu đồ. "
                         "Hãy cài lại chương trình.") from None


def _rc(family: str) -> dict:
    return {
        "font.family": "serif" if family == "serif" else [family],
        "font.size": FONT_SIZE_PT,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#404040",
        "axes.linewidth": 0.6,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "legend.frameon": False,
        "hatch.linewidth": 0.5,
    }


def chart_font() -> str:
    """The first installed font of FONT_CANDIDATES (Times New Roman or a metric-compatible one)."""
    global _FONT
    if _FONT is None:
        _require_matplotlib()
        from matplotlib import font_manager

        _FONT = "serif"
        for name in FONT_CANDIDATES:
            try:
                font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
            except ValueError:
                continue
            _FONT = name
            break
    return _FONT


_FONT: str | None = None


def _default_height(spec: ChartSpec, width_mm: float) -> float:
    if spec.kind == "plan_vs_actual":
        lines = sum(max(1, len(textwrap.wrap(label, LABEL_WRAP))) for label in spec.labels)
        return min(max(22 + 9 * len(spec.labels) + 2.5 * lines, 45), 230)
    if spec.kind == "composition" and len(spec.labels) > PIE_MAX_PARTS:
        return min(max(20 + 8 * len(spec.labels), 45), 230)
    return max(min(width_mm * 0.55, 110), 45)


def _plan_vs_actual(axes, spec: ChartSpec) -> None:
    plan, actual = spec.series[0].values, spec.series[1].values
    rows = []
    for i, label in enumerate(spec.labels):
        share = percent(actual[i], plan[i], 1) if actual[i] is not None and plan[i] else None
        rows.append((label, plan[i], actual[i], share, spec.unit_of(i)))
    positions = list(range(len(rows)))[::-1]  # first label on top
    shares = [float(r[3]) if r[3] is not None else 0.0 for r in rows]
    top = max([100.0] + shares)
    axes.barh(positions, [100.0] * len(rows), height=0.62, color="white", edgecolor=PLAN_COLOUR,
              linewidth=0.8, hatch="////", label="Kế hoạch (100%)", zorder=1)
    axes.barh(positions, shares, height=0.42, color=COLOURS[0], label="Thực hiện", zorder=2)
    axes.axvline(100, color="#404040", linewidth=0.8, linestyle="--", zorder=3)
    for y, (label, p, a, share, unit) in zip(positions, rows):
        if share is None:
            continue
        text = (f"{format_number(a, spec.decimals)}/{format_number(p, spec.decimals)}"
                f"{' ' + unit if unit else ''} ({format_number(share, 1)}%)")
        axes.text(max(float(share), 100.0) + top * 0.015, y, text, va="center", ha="left",
                  fontsize=FONT_SIZE_PT - 1, zorder=4)
    axes.set_yticks(positions, [_wrap(r[0]) for r in rows])
    axes.set_xlim(0, top * 1.55)  # room for the annotations right of the bars
    axes.xaxis.set_major_formatter(_vietnamese_formatter("%"))
    axes.set_xlabel("Tỷ lệ thực hiện so với kế hoạch (%)")
    axes.set_xticks([t for t in _nice_ticks(0, top) if t <= top * 1.05])
    axes.tick_params(axis="y", length=0)
    axes.figure.legend(loc="outside lower center", ncols=2, fontsize=FONT_SIZE_PT - 1)


def _composition(axes, spec: ChartSpec) -> None:
    values = spec.series[0].values
    parts = [(label, v) for label, v in zip(spec.labels, values) if v is not None and v > 0]
    if not parts:
        raise ChartError(f"Biểu đồ “{spec.title}” không có thành phần nào lớn hơn 0.")
    total = sum(v for _, v in parts)
    shares = [percent(v, total, 1) for _, v in parts]
    unit = f" {spec.unit}" if spec.unit else ""
    total_text = f"Tổng: {format_number(total, spec.decimals)}{unit}"
    if len(parts) <= PIE_MAX_PARTS:
        wedges, _ = axes.pie([float(v) for _, v in parts], startangle=90, counterclock=False,
                             colors=COLOURS[:len(parts)], wedgeprops={"linewidth": 1, "edgecolor": "white",
                                                                      "width": 0.45})
        for wedge, share in zip(wedges, shares):
            angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
            x, y = 0.775 * math.cos(angle), 0.775 * math.sin(angle)
            if float(share) >= 4:
                axes.text(x, y, f"{format_number(share, 1)}%", ha="center", va="center", color="white",
                          fontsize=FONT_SIZE_PT - 1, fontweight="bold")
        axes.text(0, 0, f"Tổng\n{format_number(total, spec.decimals)}{unit}", ha="center", va="center",
                  fontsize=FONT_SIZE_PT)
        legend = [f"{_wrap(label, 40)}: {format_number(v, spec.decimals)}{unit} ({format_number(s, 1)}%)"
                  for (label, v), s in zip(parts, shares)]
        axes.figure.legend(wedges, legend, loc="outside right center", fontsize=FONT_SIZE_PT - 1)
        axes.set_aspect("equal")
        return
    order = sorted(range(len(parts)), key=lambda i: parts[i][1], reverse=True)
    positions = list(range(len(order)))[::-1]
    axes.barh(positions, [float(shares[i]) for i in order], height=0.6, color=COLOURS[0])
    top = max(float(s) for s in shares)
    for y, i in zip(positions, order):
        axes.text(float(shares[i]) + top * 0.015, y,
                  f"{format_number(parts[i][1], spec.decimals)}{unit} ({format_number(shares[i], 1)}%)",
                  va="center", ha="left", fontsize=FONT_SIZE_PT - 1)
    axes.set_yticks(positions, [_wrap(parts[i][0]) for i in order])
    axes.set_xlim(0, top * 1.45)
    axes.xaxis.set_major_formatter(_vietnamese_formatter("%"))
    axes.set_xlabel(f"Tỷ lệ trong tổng số (%) · {total_text}")
    axes.tick_params(axis="y", length=0)


def _trend(axes, spec: ChartSpec) -> None:
    xs = list(range(len(spec.labels)))
    everything = [v for s in spec.series for v in s.values if v is not None]
    if not everything:
        raise ChartError(f"Biểu đồ “{spec.title}” không có số liệu nào để vẽ.")
    low, high = float(min(everything)), float(max(everything))
    for n, s in enumerate(spec.series):
        points = [(x, float(v)) for x, v in zip(xs, s.values) if v is not None]
        colour = COLOURS[n % len(COLOURS)]
        axes.plot([p[0] for p in points], [p[1] for p in points], color=colour, linewidth=1.4,
                  linestyle=LINESTYLES[n % len(LINESTYLES)], marker=MARKERS[n % len(MARKERS)], markersize=4,
                  label=_wrap(s.name, 45), zorder=3)
        for (x, y), v in zip(points, [v for v in s.values if v is not None]):
            axes.annotate(format_number(v, spec.decimals), (x, y), textcoords="offset points", xytext=(0, 5),
                          ha="center", va="bottom", fontsize=FONT_SIZE_PT - 1.5, color=colour)
    axes.set_xticks(xs, [_wrap(label, 14) for label in spec.labels])
    bottom = 0.0 if low >= 0 else low * 1.1
    axes.set_ylim(bottom, high * 1.15 if high > 0 else 1)
    axes.yaxis.set_major_formatter(_vietnamese_formatter())
    axes.grid(axis="y", color="#d9d9d9", linewidth=0.5, zorder=0)
    if spec.unit:
        axes.set_ylabel(spec.unit)
    if len(spec.series) > 1:
        axes.figure.legend(loc="outside lower center", ncols=min(len(spec.series), 3), fontsize=FONT_SIZE_PT - 1)


def _vietnamese_formatter(suffix: str = ""):
    """Tick labels "1.000", "2,5", "100%": as many decimals as the tick step needs."""
    from matplotlib.ticker import Formatter

    class VietnameseFormatter(Formatter):
        decimals = 0

        def set_locs(self, locs):
            super().set_locs(locs)
            steps = [abs(b - a) for a, b in zip(locs, locs[1:]) if b != a]
            step = min(steps) if steps else 1
            self.decimals = 0 if step >= 1 else min(3, int(math.ceil(-math.log10(step) - 1e-9)))

        def __call__(self, x, pos=None):
            return format_number(Decimal(repr(float(x))), self.decimals) + suffix

    return VietnameseFormatter()


def _nice_ticks(low: float, high: float) -> list[float]:
    span = max(high - low, 1e-9)
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks, value = [], low
    while value <= high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _wrap(text: str, width: int = LABEL_WRAP) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ChartError(f"“{value}” không phải là số.")
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    from ..domain.numbers import parse_number

    return parse_number(str(value))
