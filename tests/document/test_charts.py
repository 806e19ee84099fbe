"""Charts: the data shape, Vietnamese numbers on the chart, print-quality PNG, the picture in the DOCX,
and matplotlib kept off the application's start-up path."""
from __future__ import annotations

import dataclasses
import re
import struct
import subprocess
import sys
import unicodedata
import zipfile
from decimal import Decimal as D
from types import SimpleNamespace

import docx
import pytest

pytest.importorskip("matplotlib")

from baocao_desktop.document.charts import (ChartError, ChartSpec, Series, chart_block, draw_chart,  # noqa: E402
                                            indicator_chart, render_chart)
from baocao_desktop.document.docx_writer import write_docx  # noqa: E402
from baocao_desktop.document.formats import load_format  # noqa: E402
from baocao_desktop.document.model import Body, ChartBlock  # noqa: E402
from baocao_desktop.domain.richtext import Run  # noqa: E402
from tests.document.test_docx_writer import make_model  # noqa: E402
from tests.render import docx_to_pdf  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

PLAN_VS_ACTUAL = ChartSpec(
    "plan_vs_actual", "Kết quả sản xuất nông nghiệp so với kế hoạch",
    ("Diện tích lúa mùa", "Diện tích ngô", "Tổng đàn gia súc", "Giải ngân vốn đầu tư công"),
    (Series("Kế hoạch", (D(650), D(1110), D(15200), D(21070))),
     Series("Thực hiện", (D(549), D(1110), D(11488), D(1000)))),
    units=("ha", "ha", "con", "triệu đồng"))
COMPOSITION = ChartSpec("composition", "Cơ cấu đảng viên", ("Chi bộ thôn", "Chi bộ cơ quan", "Chi bộ trường học"),
                        (Series("Đảng viên", (D(412), D(156), D("128"))),), unit="đảng viên")
TREND = ChartSpec("trend", "Khám, chữa bệnh qua các tuần", ("01/6–07/6", "08/6–14/6", "15/6–21/6"),
                  (Series("Lượt khám, chữa bệnh", (D(1009), D(1168), D("987.5"))),), unit="lượt")
SPECS = (PLAN_VS_ACTUAL, COMPOSITION, TREND)


def texts_of(figure) -> list[str]:
    figure.canvas.draw()
    found = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontname"))]
    return [t for t in found if t]


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def png_dpi(png: bytes) -> float:
    index = png.index(b"pHYs")
    per_metre = struct.unpack(">I", png[index + 4:index + 8])[0]
    return per_metre * 0.0254


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_png_is_print_quality_and_sized_for_the_text_width(spec):
    png = render_chart(spec, width_mm=150)
    width, height = png_size(png)
    assert width == pytest.approx(150 / 25.4 * 300, abs=2)
    assert 45 / 25.4 * 300 - 2 <= height <= 230 / 25.4 * 300 + 2
    assert png_dpi(png) == pytest.approx(300, abs=1)
    assert render_chart(spec, width_mm=150) == png  # same data, same bytes (no timestamps)


def test_plan_vs_actual_writes_vietnamese_numbers():
    texts = texts_of(draw_chart(PLAN_VS_ACTUAL))
    assert "549/650 ha (84,5%)" in texts
    assert "1.110/1.110 ha (100%)" in texts
    assert "11.488/15.200 con (75,6%)" in texts
    assert "1.000/21.070 triệu đồng (4,7%)" in texts
    assert {"0%", "20%", "100%"} <= set(texts)
    assert "Diện tích lúa mùa" in texts and "Kế hoạch (100%)" in texts and "Thực hiện" in texts
    assert not any(re.search(r"\d\.\d%|\d,\d{3}\b", t) for t in texts), texts  # no English formats


def test_composition_and_trend_labels():
    comp = texts_of(draw_chart(COMPOSITION))
    assert "Chi bộ thôn: 412 đảng viên (59,2%)" in comp
    assert "Tổng\n696 đảng viên" in comp
    trend = texts_of(draw_chart(TREND))
    assert {"1.009", "1.168", "987,5"} <= set(trend)
    assert any(re.fullmatch(r"1\.\d00", t) for t in trend)  # y ticks with a dot for thousands
    assert "01/6–07/6" in trend and "lượt" in trend


def test_chart_font_is_times_or_metric_compatible():
    fonts = {t.get_fontname() for t in draw_chart(PLAN_VS_ACTUAL).findobj(
        lambda a: hasattr(a, "get_fontname") and hasattr(a, "get_text") and a.get_text())}
    assert fonts and all(re.search(r"Times New Roman|Liberation Serif|Tinos|Nimbus Roman", f) for f in fonts), fonts


def test_many_parts_become_bars_and_all_texts_are_nfc():
    labels = tuple(unicodedata.normalize("NFD", f"Thôn {n}") for n in range(1, 10))
    spec = ChartSpec("composition", "Dân số theo thôn", labels, (Series("Dân số", tuple(D(100 + n) for n in range(9))),),
                     unit="người")
    texts = texts_of(draw_chart(spec))
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert "Thôn 9" in texts and any(t.startswith("108 người (") for t in texts)


def test_spec_errors_are_vietnamese():
    with pytest.raises(ChartError, match="Loại biểu đồ “pie” không có"):
        ChartSpec("pie", "x", ("a",), (Series("s", (D(1),)),))
    with pytest.raises(ChartError, match="cần hai dãy số: kế hoạch và thực hiện"):
        ChartSpec("plan_vs_actual", "x", ("a",), (Series("s", (D(1),)),))
    with pytest.raises(ChartError, match="dãy “s” có 2 số liệu, cần 1"):
        ChartSpec("trend", "x", ("a",), (Series("s", (D(1), D(2))),))
    with pytest.raises(ChartError, match="không có số liệu nào"):
        ChartSpec("trend", "x", (), ())


def indicator(code, label, unit, cumulative=False):
    return SimpleNamespace(code=code, label=label, unit=unit,
                           percent_base="cumulative" if cumulative else "actual")


def test_indicator_chart_from_a_reports_values():
    inds = [indicator("lua", "Lúa mùa", "ha"), indicator("ngo", "Ngô", "ha"),
            indicator("gcn", "Cấp giấy chứng nhận lần đầu", "giấy", cumulative=True), indicator("x", "Trống", "ha")]
    values = {"lua": {"actual": D(549), "plan": D(650)}, "ngo": {"actual": D(1110), "plan": D(1110)},
              "gcn": {"actual": D(0), "cumulative": D(28), "plan": D(50)}}
    spec = indicator_chart("plan_vs_actual", "Kết quả", inds, values, field=None)
    assert spec.labels == ("Lúa mùa", "Ngô", "Cấp giấy chứng nhận lần đầu")
    assert spec.series[1].values == (D(549), D(1110), D(28))  # cumulative compared with the plan
    assert spec.units == ("ha", "ha", "giấy")
    only_ha = indicator_chart("plan_vs_actual", "Kết quả", inds[:2], values)
    assert only_ha.unit == "ha" and only_ha.units == ()
    assert indicator_chart("composition", "Cơ cấu", inds[:2], values).series[0].values == (D(549), D(1110))
    history = [("Tuần 1", {"lua": {"actual": D(500)}}), ("Tuần 2", values)]
    trend = indicator_chart("trend", "Diễn biến", inds[:2], values, history=history)
    assert trend.labels == ("Tuần 1", "Tuần 2")
    assert [s.values for s in trend.series] == [(D(500), D(549)), (None, D(1110))]
    assert indicator_chart("plan_vs_actual", "Trống", [inds[3]], values) is None


# ---------------------------------------------------------------------------------- in the document
@pytest.fixture(scope="module")
def with_chart(tmp_path_factory):
    block = chart_block(PLAN_VS_ACTUAL, width_mm=150)
    model = make_model()
    model = dataclasses.replace(model, blocks=model.blocks + (block, Body((Run("Sau biểu đồ."),))))
    return block, write_docx(model, tmp_path_factory.mktemp("chart") / "bieu_do.docx")


def test_chart_is_a_picture_with_its_title_above(with_chart):
    block, path = with_chart
    fmt = load_format("party")
    document = docx.Document(str(path))
    styles = [(p.style.style_id, p.text) for p in document.paragraphs]
    index = styles.index(("ChartTitle", "Kết quả sản xuất nông nghiệp so với kế hoạch"))
    picture_paragraph = document.paragraphs[index + 1]
    assert picture_paragraph.style.style_id == "ChartPicture"
    shapes = document.inline_shapes
    assert len(shapes) == 1
    assert shapes[0].width.mm == pytest.approx(min(block.width_mm, fmt.charts.max_width_mm), abs=0.1)
    assert shapes[0].height.mm == pytest.approx(150 * png_size(block.png)[1] / png_size(block.png)[0], abs=0.5)
    # the picture's paragraph grows with the picture (an exact line height would clip it)
    spacing = document.styles["Biểu đồ"].element.find(f"{W}pPr/{W}spacing")
    assert spacing.get(f"{W}lineRule") in (None, "auto")
    assert document.styles["Biểu đồ"].paragraph_format.alignment == 1
    assert document.styles["Tên biểu đồ"].paragraph_format.keep_with_next is True
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and z.read(media[0]) == block.png
    doc_pr = picture_paragraph._p.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    assert doc_pr.get("descr") == block.title


def test_chart_wider_than_the_format_allows_is_shrunk(tmp_path):
    block = ChartBlock("Rộng", render_chart(TREND, width_mm=200, dpi=100), 200)
    model = dataclasses.replace(make_model(), blocks=(block,))
    document = docx.Document(str(write_docx(model, tmp_path / "rong.docx")))
    assert document.inline_shapes[0].width.mm == pytest.approx(load_format("party").charts.max_width_mm, abs=0.1)


@pytest.mark.render
def test_chart_renders_in_the_pdf(with_chart, tmp_path):
    from pypdf import PdfReader
    block, path = with_chart
    reader = PdfReader(str(docx_to_pdf(path, tmp_path)))
    images = list(reader.pages[0].images)  # (resources may be shared with later pages)
    assert len(images) == 1
    assert images[0].image.size == png_size(block.png)  # embedded at full resolution
    text = unicodedata.normalize("NFC", " ".join(p.extract_text() for p in reader.pages))
    assert "Kết quả sản xuất nông nghiệp so với kế hoạch" in text and "Sau biểu đồ." in text


# ---------------------------------------------------------------------------------- start-up path
def test_matplotlib_is_not_imported_at_start_up_nor_for_a_document_without_charts(tmp_path):
    code = (
        "import sys\n"
        "import baocao_desktop.services.workspace, baocao_desktop.document.docx_writer\n"
        "import baocao_desktop.document.model\n"
        "assert 'matplotlib' not in sys.modules, 'imported at start-up'\n"
        "from tests.document.test_docx_writer import make_model\n"
        "from baocao_desktop.document.docx_writer import write_docx\n"
        f"write_docx(make_model(), {str(tmp_path / 'a.docx')!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy', 'PIL')))\n"
    )
    from tests.conftest import ROOT
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_matplotlib_the_error_is_vietnamese(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ChartError, match="Chưa cài thư viện vẽ biểu đồ"):
        render_chart(TREND, font="serif")


def test_chart_for_a_template_request():
    import datetime as dt

    from baocao_desktop.document.charts import chart_for_request, short_period_label
    inds = {"lua": indicator("lua", "Lúa mùa", "ha"), "ngo": indicator("ngo", "Ngô", "ha")}
    template = SimpleNamespace(indicator=inds.get)
    values = {"lua": {"actual": D(549), "plan": D(650)}, "ngo": {"actual": D(1110), "plan": D(1110)}}
    request = SimpleNamespace(kind="plan_vs_actual", title="Kết quả gieo trồng", indicators=("lua", "ngo", "khong_co"),
                              field=None, width_mm=120)
    block = chart_for_request(request, template, values)
    assert block.title == "Kết quả gieo trồng" and block.width_mm == 120
    assert block.png == b"" and block.spec.labels == ("Lúa mùa", "Ngô")  # drawn when written
    assert block.picture()[:4] == b"\x89PNG"
    assert chart_for_request(request, template, values, render=True).png == block.picture()
    assert chart_for_request(request, template, {}) is None  # no figures: no chart
    trend = SimpleNamespace(kind="trend", title="Diễn biến", indicators=("lua",))
    history = [(short_period_label("week", dt.date(2026, 6, 1), dt.date(2026, 6, 7)), {"lua": {"actual": D(500)}}),
               (short_period_label("week", dt.date(2026, 6, 8), dt.date(2026, 6, 14)), values)]
    assert history[0][0] == "01/6–07/6"
    assert chart_for_request(trend, template, values, history).picture()[:4] == b"\x89PNG"
    assert short_period_label("quarter", dt.date(2026, 4, 1), dt.date(2026, 6, 30)) == "Quý II/2026"
    assert short_period_label("month", dt.date(2026, 2, 1), dt.date(2026, 2, 28)) == "T2/2026"
    assert short_period_label("half_year", dt.date(2026, 1, 1), dt.date(2026, 6, 30)) == "6 tháng đầu năm 2026"


def test_a_chart_is_drawn_when_written_not_when_the_model_is_built(tmp_path):
    """The model is built on the UI thread; the DOCX is written in a worker: matplotlib belongs there."""
    code = (
        "import sys\n"
        "from decimal import Decimal as D\n"
        "from types import SimpleNamespace as NS\n"
        "import dataclasses\n"
        "from baocao_desktop.document.charts import chart_for_request\n"
        "from baocao_desktop.document.docx_writer import write_docx\n"
        "from tests.document.test_docx_writer import make_model\n"
        "ind = NS(code='lua', label='Lúa mùa', unit='ha', percent_base='actual')\n"
        "template = NS(indicator={'lua': ind}.get)\n"
        "request = NS(kind='plan_vs_actual', title='Lúa', indicators=('lua',))\n"
        "block = chart_for_request(request, template, {'lua': {'actual': D(549), 'plan': D(650)}})\n"
        "print('matplotlib' in sys.modules)\n"
        "model = dataclasses.replace(make_model(), blocks=(block,))\n"
        f"write_docx(model, {str(tmp_path / 'a.docx')!r})\n"
        "print('matplotlib' in sys.modules)\n"
    )
    from tests.conftest import ROOT
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
    assert len(docx.Document(str(tmp_path / "a.docx")).inline_shapes) == 1


def test_a_chart_that_cannot_be_drawn_is_left_out(tmp_path, monkeypatch):
    import baocao_desktop.document.charts as charts

    def broken(*args, **kwargs):
        raise ChartError("Chưa cài thư viện vẽ biểu đồ (matplotlib)")
    monkeypatch.setattr(charts, "render_chart", broken)
    block = ChartBlock("Không vẽ được", b"", 150, spec=TREND)
    model = dataclasses.replace(make_model(), blocks=(block, Body((Run("Đoạn sau."),))))
    document = docx.Document(str(write_docx(model, tmp_path / "b.docx")))
    assert not document.inline_shapes
    assert "Không vẽ được" not in [p.text for p in document.paragraphs]
