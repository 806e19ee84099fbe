"""Data for scripts/screenshots.py's exchange screens: a few communes, their signed weekly reports sent as
real transfer files, and an upper level (the province office) that received them.

Kept small (6 communes × 4 weeks) so the whole screenshot run stays short. Everything is written under the
folder given to build_province().
"""
from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import send as sending
from baocao_desktop.services.workspace import Workspace

WEEKS = [dt.date(2026, 6, 1) + dt.timedelta(days=7 * i) for i in range(4)]
TODAY = WEEKS[-1] + dt.timedelta(days=8)  # the last week's report is just due
PLACES = ["Bản Phố", "Lùng Phình", "Si Ma Cai", "Tả Van", "Bát Xát", "Y Tý"]
NARRATIVES = [
    "Xã {place} chỉ đạo gieo cấy lúa mùa được {lua} ha; chăm sóc lúa xuân muộn, phòng chống sâu bệnh.",
    "Nhân dân xã {place} tập trung gieo cấy lúa mùa ({lua} ha); ra quân làm thủy lợi nội đồng.\n"
    "Tổ chức tiêm phòng vụ hè cho đàn gia súc.",
    "Tiếp tục chăm sóc {lua} ha lúa mùa; kiểm tra tình hình sâu bệnh, hướng dẫn Nhân dân phòng trừ.",
]


def vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def week_values(lua: int, lua_plan: int, gia_suc: int, gia_suc_plan: int, kham: int, kham_prev: int,
                ty_le: float) -> dict:
    return {
        "lua_mua_dien_tich": {"actual": str(lua), "plan": str(lua_plan)},
        "tong_dan_gia_suc": {"actual": vn_int(gia_suc), "plan": vn_int(gia_suc_plan)},
        "kham_chua_benh": {"actual": str(kham), "cumulative": str(kham_prev + kham), "previous": str(kham_prev)},
        "ty_le_kham_thai_4_lan": {"actual": f"{ty_le:.1f}".replace(".", ",")},
    }


class Commune:
    """A commune's installation: its own database (a copy of `blank`), unit, signer and key."""

    def __init__(self, folder: Path, place: str, blank: Path):
        folder.mkdir(parents=True)
        shutil.copyfile(blank, folder / "baocao.sqlite3")
        self.place = place
        self.ws = Workspace(folder / "baocao.sqlite3", author="van-thu-xa")
        self.ws.save_unit(name=f"Đảng ủy xã {place}", upper_body="Đảng bộ tỉnh Lào Cai", place_name=place,
                          symbol="ĐU", founded_on="2025-07-01")
        self.ws.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": f"Bí thư {place}"}])

    def weekly(self, start: dt.date, values: dict, narrative: str, sign: bool = True,
               no_outlook: bool = False) -> str:
        ws = self.ws
        template = ws.template("bc_tuan")
        report = ws.create_report("bc_tuan", start, number=str(start.day))
        sections = {s.path: {"text": f"Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn xã "
                                     f"{self.place} ổn định."} for s in template.walk() if s.required}
        sections["II.1.1.a"] = {"text": narrative}
        if no_outlook:  # a required section left empty, signed with a kept (justified) warning
            sections["IV"] = {"text": ""}
        ws.fill_report(report.id, {"indicators": values, "sections": sections})
        if sign:
            for finding in ws.check(report.id):
                if finding.severity == "warning" and not finding.justification:
                    ws.justify(report.id, finding.key, "Tuần này chưa có phương hướng, sẽ bổ sung trong báo cáo "
                               "tháng." if finding.code == "required.empty" else "Số liệu đã kiểm tra lại với các thôn.")
            ws.sign(report.id)
        return report.id

    def send(self, out: Path, report_ids: list[str], day: dt.date) -> Path:
        """Export as if sent on `day` (the send time is what the upper level's on-time column shows)."""
        saved = sending.now_iso
        sending.now_iso = lambda: f"{day.isoformat()}T02:00:00.000+00:00"
        try:
            return ex.export_bundle(self.ws, out, report_ids).path
        finally:
            sending.now_iso = saved


@dataclass
class Province:
    upper_path: Path  # the upper level's database: weeks 1–3 received
    incoming: Path  # "USB stick" with week 4 (+ a re-sent, a tampered and a half-copied file), not received yet
    sender: Commune  # Bản Phố: weeks 1–3 sent, week 4 signed not sent, week 5 a draft
    upper_key: Path  # the upper level's public key file
    communes: list[Commune] = field(default_factory=list)

    def close(self) -> None:
        for commune in self.communes:
            commune.ws.close()


def build_province(root: Path) -> Province:
    root.mkdir(parents=True, exist_ok=True)
    blank = root / "blank.sqlite3"  # parse the shipped templates once, copy the database for every commune
    ws = Workspace(blank, author="x")
    ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.store.conn.execute("PRAGMA journal_mode = DELETE")
    ws.close()
    rnd = random.Random(7)
    received, incoming, keys = root / "USB_cu", root / "USB_TINH", root / "khoa"
    for folder in (received, incoming, keys):
        folder.mkdir()
    old_files: list[Path] = []
    communes: list[Commune] = []
    key_files: list[Path] = []
    for n, place in enumerate(PLACES):
        commune = Commune(root / f"xa{n}", place, blank)
        communes.append(commune)
        key_files.append(ex.export_public_key(commune.ws, keys))
        scale = rnd.uniform(0.6, 1.5)
        kham_total = rnd.randint(300, 900)
        for w, week in enumerate(WEEKS):
            if (n, w) in ((2, 1), (5, 2), (5, 3)):
                continue  # never written: missing at the upper level
            kham = rnd.randint(40, 160)
            lua = int(rnd.uniform(250, 600) * scale)
            values = week_values(lua, int(lua / rnd.uniform(0.7, 0.95)), int(rnd.uniform(2500, 9000) * scale),
                                 int(9000 * scale), kham, kham_total, rnd.uniform(70, 98))
            kham_total += kham
            if (n, w) == (3, 2):  # a slip the upper level sees flagged: cumulative ≠ previous + this week
                kham_total += 500  # (the next week carries the wrong total on, like a real commune would)
                values["kham_chua_benh"]["cumulative"] = str(kham_total)
            rid = commune.weekly(week, values, NARRATIVES[(n + w) % len(NARRATIVES)].format(place=place, lua=lua),
                                 sign=(n, w) != (3, 2), no_outlook=(n, w) == (1, 2))
            if (n, w) == (0, 3):
                continue  # Bản Phố has signed its last week but not sent it yet (the send dialog's list)
            late = 0 if rnd.random() < 0.75 else rnd.randint(1, 3)
            day = week + dt.timedelta(days=7 + late)
            out = received if w < 3 else incoming
            old_files.append(commune.send(out / f"{place} - tuần {week.isocalendar()[1]}.baocao", [rid], day))
            if (n, w) == (4, 2):
                revised = rid
        if n == 4:  # Bát Xát corrects its week 25 after sending it: a new revision on the stick
            commune.ws.unlock(revised, "Sửa diện tích lúa mùa theo số liệu thống kê")
            commune.ws.set_value(revised, "lua_mua_dien_tich", "actual", "350")
            commune.ws.sign(revised)
            commune.send(incoming / "Bát Xát - tuần 25 (bản sửa).baocao", [revised], TODAY)
        if n == 0:
            commune.ws.create_report("bc_tuan", WEEKS[-1] + dt.timedelta(days=7), number="29")  # a draft

    upper_folder = root / "tinh"
    upper_folder.mkdir()
    shutil.copyfile(blank, upper_folder / "baocao.sqlite3")
    upper = Workspace(upper_folder / "baocao.sqlite3", author="van-thu-tinh")
    upper.save_unit(name="Văn phòng Tỉnh ủy Lào Cai", level="tỉnh", upper_body="Đảng bộ tỉnh Lào Cai",
                    place_name="Lào Cai", symbol="VPTU")
    upper.set_signers([{"on_behalf": "T/L BAN THƯỜNG VỤ", "title": "CHÁNH VĂN PHÒNG", "name": "Trần Văn Bình"}])
    for key in key_files:
        ex.register_unit(upper, key)
    ex.import_bundles(upper, sorted(f for f in old_files if f.parent == received))
    upper_key = ex.export_public_key(upper, keys)
    upper.close()

    # the stick brought in: this week's files, one already received, one edited by hand, one half-copied
    shutil.copyfile(received / "Lùng Phình - tuần 23.baocao", incoming / "Lùng Phình - tuần 23 (gửi lại).baocao")
    tampered = incoming / "Tả Van - tuần 26 (sửa tay).baocao"
    shutil.move(incoming / "Tả Van - tuần 26.baocao", tampered)
    conn = sqlite3.connect(tampered, isolation_level=None)
    conn.execute("UPDATE indicator_values SET value = '9999' WHERE indicator_code = 'lua_mua_dien_tich' "
                 "AND field = 'actual'")
    conn.close()
    whole = (incoming / "Bát Xát - tuần 26.baocao").read_bytes()
    (incoming / "Bát Xát - báo cáo tháng 6 (chép dở).baocao").write_bytes(whole[:4096])
    return Province(upper_folder / "baocao.sqlite3", incoming, communes[0], upper_key, communes)
