"""Issue 19 point 1: one strict template reader (templates.model.parse_template) on every path: a file, a pack,
the template editor, a transfer file, the database. Hostile templates are refused with a Vietnamese reason,
before anything is expanded or built."""
import zipfile

import pytest

from baocao_desktop.templates import model
from baocao_desktop.templates.model import TemplateError, load_template_file, parse_template
from baocao_desktop.templates.packs import PackError, read_source, validate_template_text
from tests.templates.test_template_packs import GOOD


def refused(text: str, *fragments: str) -> str:
    with pytest.raises(TemplateError) as err:
        parse_template(text, origin="thu")
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "1.0e+400"])
def test_a_range_that_is_not_a_finite_number_is_refused(value):
    text = GOOD.replace("kind: count}", f"kind: count, range: [{value}, 100]}}", 1)
    assert text != GOOD
    refused(text, "số hữu hạn")
    with pytest.raises(PackError):  # the pack validator is the same reader
        validate_template_text(text, "thu")


def test_a_nan_limit_of_a_check_is_refused():
    text = GOOD + "  - {code: hop_ly, kind: plausible, ref: tong_ho.actual, max: .nan}\n"
    refused(text, ".nan")


def test_a_huge_number_is_refused():
    refused(GOOD.replace("kind: count}", "kind: count, range: [0, 1000000000000000000000]}", 1), "quá lớn")


def test_an_alias_bomb_is_refused_before_it_expands():
    lines = ['a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]  # 9^12 strings if expanded
    bomb = GOOD + "\n".join(lines) + "\n"
    refused(bomb, "neo/bí danh YAML", "bom")


def test_an_anchor_alone_is_refused_too():
    refused(GOOD.replace("title: KẾT QUẢ", "title: &t KẾT QUẢ", 1), "neo/bí danh")


def test_200000_sections_are_refused_by_the_limits():
    sections = "".join(f'  - {{number: "{i}.", title: Mục {i}}}\n' for i in range(1, 200_001))
    text = GOOD.split("sections:")[0] + "sections:\n" + sections
    assert len(text.encode()) > model.MAX_TEMPLATE_BYTES
    refused(text, "quá lớn")


def test_too_many_sections_within_the_size_limit_are_refused():
    count = model.MAX_SECTIONS + 1
    sections = "".join(f'  - {{number: "{i}.", title: M}}\n' for i in range(1, count + 1))
    text = GOOD.split("sections:")[0] + "sections:\n" + sections
    assert len(text.encode()) < model.MAX_TEMPLATE_BYTES
    refused(text, "quá nhiều mục", str(model.MAX_SECTIONS))


def test_a_big_but_legal_template_is_read():
    """Many sections and indicators (what the duplicate checks used to do in quadratic time)."""
    n = 2000
    indicators = "".join(f"  - {{code: ct_{i}, label: Chỉ tiêu {i}, unit: hộ, kind: count}}\n" for i in range(n))
    sections = "".join(f'  - {{number: "{i + 1}.", title: Mục {i}, indicators: [ct_{i}]}}\n' for i in range(n))
    text = ("code: lon\nversion: 1\nname: Mẫu lớn\nperiod: month\nindicators:\n" + indicators + "sections:\n"
            + sections)
    template = parse_template(text, origin="lon")
    assert len(list(template.walk())) == n and template.section_of_indicator(f"ct_{n - 1}").number == f"{n}."


def test_deep_nesting_unknown_fields_tags_and_duplicate_keys_are_refused():
    refused(GOOD.replace("title: BÁO CÁO", "title: " + "[" * 60 + "]" * 60, 1), "lồng nhau quá sâu")
    refused(GOOD.replace("guidance:", "ghi_chu: x\n    guidance:", 1), "trường không được phép",
            "sections[0].ghi_chu")
    refused(GOOD.replace("title: BÁO CÁO", "title: !!python/object:os.system BÁO CÁO", 1), "thẻ YAML")
    refused(GOOD.replace("title: BÁO CÁO", "title: BÁO CÁO\ntitle: KHÁC", 1), "viết hai lần")


def test_every_path_uses_the_same_reader(tmp_path, workspace):
    bad = GOOD.replace("kind: count}", "kind: count, range: [.nan, 100]}", 1)
    yaml_file = tmp_path / "thu.yaml"
    yaml_file.write_text(bad, encoding="utf-8")
    with pytest.raises(TemplateError, match="số hữu hạn"):
        load_template_file(yaml_file)
    with pytest.raises(PackError, match="số hữu hạn"):
        read_source(yaml_file)
    pack = tmp_path / "thu.mau.zip"
    import hashlib
    import json
    manifest = {"format": "baocao-template-pack", "format_version": 1, "created_at": "2026-01-01T00:00:00+00:00",
                "templates": [{"code": "thu_nghiem", "version": 1, "name": "Mẫu thử nghiệm",
                               "sha256": hashlib.sha256(bad.encode()).hexdigest(),
                               "file": "templates/thu_nghiem_v1.yaml"}]}
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("templates/thu_nghiem_v1.yaml", bad)
    with pytest.raises(PackError, match="số hữu hạn"):
        read_source(pack)
    # the template editor saves through the same reader
    from baocao_desktop.services import template_editing as te
    editable = te.edit_copy(parse_template(GOOD, origin="thu"))
    editable.code, editable.is_new = "thu_moi", True
    editable.indicators[0]["range"] = [float("nan"), 100]
    with pytest.raises(te.TemplateInvalid) as err:
        te.save_new_version(workspace, editable)
    assert "số hữu hạn" in str(err.value)
