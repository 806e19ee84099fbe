"""Communes and an upper level, each a real workspace in its own temporary folder."""
import datetime as dt
import hashlib
import shutil
import sqlite3

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.workspace import Workspace

WEEK1 = dt.date(2026, 6, 1)
WEEK2 = dt.date(2026, 6, 8)
WEEK3 = dt.date(2026, 6, 15)


def db_state(ws) -> str:
    """A digest of every row of every table: equal before and after means nothing changed."""
    conn = ws.store.conn
    h = hashlib.sha256()
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        h.update(table.encode())
        for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"')):
            h.update(row.encode())
    return h.hexdigest()


def week_values(lua="300", lua_plan="400", gia_suc="5.000", gia_suc_plan="6.000", kham="100",
                kham_cum="500", kham_prev="400", ty_le="80,5"):
    return {
        "lua_mua_dien_tich": {"actual": lua, "plan": lua_plan},
        "tong_dan_gia_suc": {"actual": gia_suc, "plan": gia_suc_plan},
        "kham_chua_benh": {"actual": kham, "cumulative": kham_cum, "previous": kham_prev},
        "ty_le_kham_thai_4_lan": {"actual": ty_le},
    }


class Commune:
    """A commune's installation: its workspace and helpers to write, sign and send weekly reports."""

    def __init__(self, path, name: str, place: str, author: str = "xa", blank=None):
        if blank is not None:  # a copy of an empty database with the shipped templates installed
            shutil.copyfile(blank, path)
        self.ws = Workspace(path, author=author)
        self.ws.save_unit(name=name, upper_body="Đảng bộ tỉnh Lào Cai", place_name=place, symbol="ĐU",
                          founded_on="2025-07-01")
        self.ws.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": f"Bí thư {place}"}])
        self.name = name
        self.place = place
        self.tmp = path.parent

    @property
    def unit_id(self) -> str:
        return self.ws.own_unit().id

    def weekly(self, start: dt.date, values: dict | None = None, text: str | None = None, sign: bool = True) -> str:
        ws = self.ws
        template = ws.template("bc_tuan")
        report = ws.create_report("bc_tuan", start, number=str(start.day))
        sections = {s.path: {"text": text or f"Tình hình trên địa bàn xã {self.place} ổn định."}
                    for s in template.walk() if s.required}
        if values is None:  # cumulatives that add up week after week
            n = (start - WEEK1).days // 7 + 1
            values = week_values(kham_cum=str(400 + 100 * n), kham_prev=str(400 + 100 * (n - 1)))
        ws.fill_report(report.id, {"indicators": values, "sections": sections})
        if sign:
            ws.sign(report.id)
        return report.id

    def send(self, folder, report_ids=None, **kwargs):
        return ex.export_bundle(self.ws, folder, report_ids, **kwargs)

    def key_file(self, folder):
        return ex.export_public_key(self.ws, folder)


@pytest.fixture(autouse=True)
def no_pdf_converter(monkeypatch, tmp_path):
    """Neither LibreOffice nor Word for the exchange tests: the readable copies sent with a transfer file are
    DOCX only, fast; the tests of the PDF copy bring their own converter."""
    monkeypatch.setenv("BAOCAO_SOFFICE", str(tmp_path / "no-soffice"))
    monkeypatch.setenv("BAOCAO_WORD", str(tmp_path / "no-word"))


@pytest.fixture(scope="session")
def blank_db(tmp_path_factory):
    """An empty database with the shipped templates installed (parsing them takes ~0.4 s a workspace)."""
    path = tmp_path_factory.mktemp("blank") / "blank.sqlite3"
    ws = Workspace(path, author="x")
    ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.store.conn.execute("PRAGMA journal_mode = DELETE")
    ws.close()
    return path


@pytest.fixture
def make_commune(tmp_path, blank_db):
    made = []

    def make(name: str = "Đảng ủy xã Bản Phố", place: str = "Bản Phố") -> Commune:
        folder = tmp_path / f"commune-{len(made)}"
        folder.mkdir()
        commune = Commune(folder / "baocao.sqlite3", name, place, blank=blank_db)
        made.append(commune)
        return commune
    yield make
    for commune in made:
        commune.ws.close()


@pytest.fixture
def upper(tmp_path, blank_db):
    folder = tmp_path / "tinh"
    folder.mkdir()
    shutil.copyfile(blank_db, folder / "baocao.sqlite3")
    ws = Workspace(folder / "baocao.sqlite3", author="van-thu-tinh")
    ws.save_unit(name="Văn phòng Tỉnh ủy Lào Cai", level="tỉnh", upper_body="Đảng bộ tỉnh Lào Cai",
                 place_name="Lào Cai", symbol="VPTU")
    ws.set_signers([{"on_behalf": "T/L BAN THƯỜNG VỤ", "title": "CHÁNH VĂN PHÒNG", "name": "Trần Văn Bình"}])
    yield ws
    ws.close()


@pytest.fixture
def stick(tmp_path):
    """The USB stick: a folder the communes write to and the upper level reads from."""
    folder = tmp_path / "USB"
    folder.mkdir()
    return folder


def register(upper_ws, commune: Commune, folder) -> None:
    ex.register_unit(upper_ws, commune.key_file(folder))


@pytest.fixture
def two_communes(make_commune, upper, stick, tmp_path):
    a = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    b = make_commune("Đảng ủy xã Lùng Phình", "Lùng Phình")
    for commune in (a, b):
        register(upper, commune, tmp_path)
    return a, b


def correct_and_resend(commune, report_id, stick, value="350"):
    """Unlock a report sent earlier, change a figure, sign it again and send it: a new version."""
    ws = commune.ws
    ws.unlock(report_id, "Sửa diện tích lúa theo số liệu thống kê")
    ws.set_value(report_id, "lua_mua_dien_tich", "actual", value)
    ws.sign(report_id)
    return commune.send(stick).path


def open_bundle(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
