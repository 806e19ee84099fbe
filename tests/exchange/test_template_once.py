"""A transfer file carries its template (so it imports alone), but the receiver reads a template only once:
a file whose template it already has by code, version and SHA-256 is not parsed or validated again
(issue 19 point 10: 5,200 weekly files must not parse the same template 5,200 times)."""
import shutil

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.templates import model
from tests.exchange.conftest import WEEK1, WEEK2, register
from tests.exchange.test_sender_rows import own_weekly_template, weekly_with


@pytest.fixture
def parses(monkeypatch):
    """Every template source the strict reader is given (each parse_template runs it first)."""
    seen = []
    real = model._check_yaml_events

    def counting(text, origin):
        seen.append(text)
        return real(text, origin)
    monkeypatch.setattr(model, "_check_yaml_events", counting)
    return seen


@pytest.fixture
def own_template_files(make_commune, upper, stick, tmp_path):
    """Two weekly files of a commune on its own template (unknown to the upper level), and its source."""
    commune = make_commune("Đảng ủy xã Sín Chéng", "Sín Chéng")
    register(upper, commune, tmp_path)
    source = own_weekly_template(commune)
    first = commune.send(stick / "tuan-1.baocao", [weekly_with(commune, "bc_tuan_xa", WEEK1)]).path
    second = commune.send(stick / "tuan-2.baocao", [weekly_with(commune, "bc_tuan_xa", WEEK2)]).path
    return commune, source, first, second


def test_a_template_the_receiver_has_by_hash_is_not_parsed_again(own_template_files, upper, parses):
    commune, source, first, second = own_template_files
    assert ex.import_bundles(upper, [first]).counts()["new"] == 1
    assert source in parses  # the first file's template was read by the strict reader
    parses.clear()

    result = ex.import_bundles(upper, [second])

    assert result.counts()["new"] == 1
    assert source not in parses  # same code, version and SHA-256: not parsed, not validated again
    assert {r.template_code for r in upper.list_reports(own_only=False) if r.unit_id == commune.unit_id} \
        == {"bc_tuan_xa"}


def test_one_batch_parses_a_shared_template_once(own_template_files, upper, parses):
    _commune, source, first, second = own_template_files
    result = ex.import_bundles(upper, [first, second])
    assert result.counts()["new"] == 2
    assert parses.count(source) == 1


def test_a_file_still_imports_alone_with_its_template(own_template_files, upper, tmp_path, blank_db, parses):
    """The second file, at an upper level that never saw the first: it carries its template, which is read
    (strictly) and installed from it."""
    commune, source, _first, second = own_template_files
    folder = tmp_path / "tinh-khac"
    folder.mkdir()
    shutil.copyfile(blank_db, folder / "baocao.sqlite3")
    other = Workspace(folder / "baocao.sqlite3", author="van-thu")
    try:
        other.save_unit(name="Văn phòng Tỉnh ủy", level="tỉnh", upper_body="Đảng bộ tỉnh", place_name="Lào Cai",
                        symbol="VPTU")
        register(other, commune, tmp_path)
        result = ex.import_bundles(other, [second])
        assert result.counts()["new"] == 1
        assert source in parses
        found = other.store.conn.execute("SELECT origin FROM templates WHERE code = 'bc_tuan_xa'").fetchone()
        assert found == ("received",)
    finally:
        other.close()
