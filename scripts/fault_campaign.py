"""The fault campaign of issue 19 (point 9): what a careful tester does to BaoCao, repeatably.

    .venv/bin/python scripts/fault_campaign.py                  # the full campaign (N = 100 kill points each)
    .venv/bin/python scripts/fault_campaign.py --points 5       # a quick one
    .venv/bin/python scripts/fault_campaign.py --seed 7 --keep  # another seed; keep the work folder

Scenarios (each on real workspaces in a scratch folder, with their own key folder):
  kill-edit      a child process edits a report through services.editing.EditSession (figure + text,
                 flushed, each save acknowledged) and is killed (kill -9 / TerminateProcess) at N random
                 moments; then: integrity_check, every acknowledged edit is in the database;
  kill-import    a child process imports a real batch (two communes' weekly files) and is killed at N random
                 steps (a file being copied, imported or checked, plus up to 50 ms); then: integrity_check,
                 every file recorded as received has all its reports whole (nothing half-imported), and
                 importing the batch again gives exactly the expected reports;
  two-writers    an editor (child process) saves while a batch import runs, and two importers at once;
  held-lock      another process holds BEGIN IMMEDIATE: the CLI's `bundle import` says "dữ liệu đang bận"
                 (no traceback), the editor keeps its edit unsaved and stores it once the lock is gone;
  hostile        every hostile input of issue 19, each imported or opened as a user would: templates with a
                 NaN range, a YAML alias bomb, 200,000 sections (inside a transfer file re-signed with the
                 commune's genuine key); colliding ids (profile fact, signer, file id); oversized,
                 truncated, tampered, forged and unregistered transfer files; payloads with a trigger,
                 view, generated column, extra table or index; DOCX bombs (pictures, paragraphs); a signed
                 report changed and its file re-signed; a copied database without the key.
After each: the upper level's database passes integrity_check and is unchanged by a refused file.

Printed per scenario: tried / survived (nothing to refuse: the data is whole) / refused cleanly (a
Vietnamese message, no traceback) / crashed (a traceback, or a refusal not in Vietnamese) / accepted
(a hostile input that got in) / lost (a committed edit or file missing, a half import, a failed
integrity_check). The goal is 0 crashed, 0 accepted, 0 lost. Exit code 1 when that goal is missed.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
EDITED_SECTION_TEXT = "Sửa lần {}"
COLUMNS = ("tried", "survived", "refused", "crashed", "accepted", "lost")


@dataclasses.dataclass
class Tally:
    counts: dict = dataclasses.field(default_factory=dict)  # scenario → {column: n}
    notes: list = dataclasses.field(default_factory=list)  # what went wrong, to read after
    refusals: list = dataclasses.field(default_factory=list)  # (scenario, message) of every clean refusal
    # where the kills fell: edits acknowledged before each kill; files committed before each kill
    acknowledged: list = dataclasses.field(default_factory=list)
    committed: list = dataclasses.field(default_factory=list)

    def add(self, scenario: str, outcome: str, note: str = "") -> None:
        row = self.counts.setdefault(scenario, dict.fromkeys(COLUMNS, 0))
        row["tried"] += 1
        row[outcome] += 1
        if outcome in ("crashed", "accepted", "lost"):
            self.notes.append(f"[{scenario}] {outcome}: {note}")

    def refused(self, scenario: str, message: str) -> None:
        """A refusal: clean only when its message is Vietnamese and carries no traceback."""
        if VIETNAMESE.search(message or "") and "Traceback" not in message:
            self.refusals.append((scenario, message))
            self.add(scenario, "refused")
        else:
            self.add(scenario, "crashed", f"refusal not in Vietnamese or with a traceback: {message!r}"[:400])

    def total(self, column: str) -> int:
        return sum(row[column] for row in self.counts.values())

    @property
    def goal_met(self) -> bool:
        return not (self.total("crashed") or self.total("accepted") or self.total("lost"))

    def table(self) -> str:
        lines = [f"{'scenario':<34}" + "".join(f"{c:>10}" for c in COLUMNS)]
        for name, row in self.counts.items():
            lines.append(f"{name:<34}" + "".join(f"{row[c]:>10}" for c in COLUMNS))
        lines.append(f"{'TOTAL':<34}" + "".join(f"{self.total(c):>10}" for c in COLUMNS))
        return "\n".join(lines)


# == the installations ======================================================================================
def blank_database(work: Path) -> Path:
    """An empty database with the shipped templates, copied for every installation (parsing them once)."""
    from baocao_desktop.services.workspace import Workspace
    blank = work / "blank.sqlite3"
    if not blank.exists():
        ws = Workspace(blank, author="x")
        ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ws.store.conn.execute("PRAGMA journal_mode = DELETE")
        ws.close()
    return blank


def new_workspace(work: Path, name: str, author: str = "van-thu"):
    from baocao_desktop.services.workspace import Workspace
    folder = work / name
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(blank_database(work), folder / "baocao.sqlite3")
    return Workspace(folder / "baocao.sqlite3", author=author)


def make_commune(work: Path, name: str, place: str):
    ws = new_workspace(work, name)
    ws.save_unit(name=f"Đảng ủy xã {place}", upper_body="Đảng bộ tỉnh Lào Cai", place_name=place, symbol="ĐU",
                 founded_on="2025-07-01")
    ws.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": f"Bí thư {place}"},
                    {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": f"Phó Bí thư {place}"}])
    return ws


@functools.lru_cache(maxsize=1)
def _demo_week():
    """bench/exchange.py (its weekly data) and the demo's weekly report."""
    import importlib.util
    import yaml
    spec = importlib.util.spec_from_file_location("bench_exchange", ROOT / "bench" / "exchange.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    demo = yaml.safe_load((ROOT / "resources" / "demo" / "lung_phinh.yaml").read_text(encoding="utf-8"))
    return bench, next(r for r in demo["reports"] if r["template"] == "bc_tuan")


def weekly(ws, week: int, sign: bool = True) -> str:
    """One weekly report as the bench's communes write it (the demo's week: real texts with the unit's
    place, cumulative figures that add up week after week), signed unless told."""
    bench, week_report = _demo_week()
    unit = ws.own_unit()
    report = ws.create_report("bc_tuan", bench.week_start(week), number=str(100 + week))
    ws.fill_report(report.id, bench.week_data(week_report, len(unit.place_name) % 4, week, unit.place_name))
    if sign:
        ws.sign(report.id)
    return report.id


@dataclasses.dataclass
class World:
    """Two registered communes (A, B) and an unregistered one (C), their sent files, and the upper level."""
    work: Path
    a: object
    b: object
    c: object
    upper_path: Path  # the upper level's database after registering A and B (copied for each scenario)
    batch: Path  # a folder with A's and B's weekly files
    a_files: list
    b_files: list
    c_file: Path

    def upper_copy(self, name: str) -> Path:
        folder = self.work / "upper" / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copyfile(self.upper_path, folder / "baocao.sqlite3")
        return folder / "baocao.sqlite3"


def build_world(work: Path, weeks: int, out) -> World:
    from baocao_desktop.services import exchange as ex
    t0 = time.perf_counter()
    a = make_commune(work, "xa-a", "Bản Phố")
    b = make_commune(work, "xa-b", "Lùng Phình")
    c = make_commune(work, "xa-c", "Tả Van")
    a.add_profile_fact("dan_so", "Dân số", "29.876", "người", "2026-01-01")
    b.add_profile_fact("dan_so", "Dân số", "25.432", "người", "2026-01-01")
    batch = work / "batch"
    batch.mkdir()
    files = {}
    for name, ws in (("a", a), ("b", b)):
        files[name] = []
        for w in range(weeks):
            report = weekly(ws, w)
            files[name].append(ex.export_bundle(ws, batch / f"{name}-{w:02d}.baocao", [report]).path)
    (work / "c").mkdir()
    c_file = ex.export_bundle(c, work / "c" / "c.baocao", [weekly(c, 0)]).path
    upper = new_workspace(work, "upper-base", "van-thu-tinh")
    upper.save_unit(name="Văn phòng Tỉnh ủy Lào Cai", level="tỉnh", upper_body="Đảng bộ tỉnh Lào Cai",
                    place_name="Lào Cai", symbol="VPTU")
    keys_folder = work / "keys"
    keys_folder.mkdir()
    for ws in (a, b):
        ex.register_unit(upper, ex.export_public_key(ws, keys_folder))
    upper.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    upper.close()
    a.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # its file is copied for the editing scenario
    out(f"set-up: 3 communes, {2 * weeks + 1} transfer files, the upper level, in {time.perf_counter() - t0:.0f} s")
    return World(work, a, b, c, work / "upper-base" / "baocao.sqlite3", batch, files["a"], files["b"], c_file)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def db_state(path: Path) -> str:
    """A digest of every row of every table: equal before and after means nothing changed."""
    conn = sqlite3.connect(str(path))
    try:
        h = hashlib.sha256()
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            h.update(table.encode())
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"')):
                h.update(row.encode())
        return h.hexdigest()
    finally:
        conn.close()


def child_env(work: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["BAOCAO_DATA_DIR"] = os.environ["BAOCAO_DATA_DIR"]
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


# == kill -9 during editing =================================================================================
_EDITOR = r"""
import sys, time
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.services.editing import EditSession
from baocao_desktop.store.db import StoreBusy
db, report_id, path, count, pause = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
ws = Workspace(db, author="bien-tap")
session = EditSession(ws, report_id)
print("ready", flush=True)
retries = 0
for i in range(1, count + 1):
    session.edit_figure("lua_mua_dien_tich", "actual", str(1000 + i))
    session.text_edited(path)
    while True:
        try:
            session.flush(lambda p, i=i: "Sửa lần %d" % i)
            break
        except StoreBusy:
            retries += 1
            time.sleep(0.05)
    print(i, flush=True)  # acknowledged: stored and committed
    if pause:
        time.sleep(pause)
ws.close()
print("done %d" % retries, flush=True)
"""


def stored_edit(db: Path, report_id: str, path: str) -> tuple[int, int]:
    """(number of the text edit, number of the figure edit) stored for the report; 0 when none."""
    conn = sqlite3.connect(str(db))
    try:
        text = conn.execute("SELECT markup FROM section_texts WHERE report_id = ? AND section_path = ?",
                            (report_id, path)).fetchone()
        value = conn.execute("SELECT value FROM indicator_values WHERE report_id = ? AND indicator_code = "
                             "'lua_mua_dien_tich' AND field = 'actual'", (report_id,)).fetchone()
    finally:
        conn.close()
    match = re.search(r"Sửa lần (\d+)", text[0] if text else "")
    figure = int(value[0]) - 1000 if value and value[0] and int(value[0]) > 1000 else 0
    return (int(match.group(1)) if match else 0), figure


class Child:
    """A child process whose stdout lines are collected by a thread (so the parent can kill it any time)."""

    def __init__(self, args: list[str], work: Path):
        self.process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, encoding="utf-8", env=child_env(work), cwd=str(work))
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.strip())
            if line.strip() == "ready":
                self.ready.set()
        self.ready.set()

    def kill(self):
        self.process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up of any kind
        self.process.wait()
        self.reader.join(timeout=10)

    def finish(self, timeout: float = 300) -> tuple[int, str]:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return -9, "timeout"
        self.reader.join(timeout=10)
        return code, self.process.stderr.read()

    def acknowledged(self) -> int:
        return max((int(x) for x in self.lines if x.isdigit()), default=0)


def editable_report(db: Path) -> tuple[str, str]:
    """A draft weekly report of the database's own unit, and the path of one of its sections."""
    from baocao_desktop.services.workspace import Workspace
    ws = Workspace(db, author="x")
    try:
        report = weekly(ws, 30, sign=False)
        path = next(s.path for s in ws.template("bc_tuan").walk() if s.required)
        ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return report, path
    finally:
        ws.close()


def kill_edit(world: World, tally: Tally, points: int, rng: random.Random, out) -> None:
    scenario = "kill -9 while editing"
    folder = world.work / "kill-edit"
    folder.mkdir()
    db = folder / "baocao.sqlite3"
    shutil.copyfile(world.a.path, db)  # commune A's installation (its database as it is on disk)
    report, path = editable_report(db)
    for point in range(points):
        child = Child(["-c", _EDITOR, str(db), report, path, "100000", "0"], world.work)
        child.ready.wait(timeout=120)
        time.sleep(rng.uniform(0.0, 1.5))
        child.kill()
        acked = child.acknowledged()
        tally.acknowledged.append(acked)
        check = integrity(db)
        text, figure = stored_edit(db, report, path)
        if check != "ok":
            tally.add(scenario, "lost", f"point {point}: integrity_check {check!r}")
        elif acked and (text < acked or figure < acked):
            tally.add(scenario, "lost", f"point {point}: edit {acked} acknowledged, stored text {text}, "
                                        f"figure {figure}")
        else:
            tally.add(scenario, "survived")
        # the next child starts from what is stored: its edits count from 1 again
        _reset_edits(db, report, path)
    out(f"  {scenario}: {points} points")


def _reset_edits(db: Path, report: str, path: str) -> None:
    conn = sqlite3.connect(str(db), isolation_level=None, timeout=30)
    try:
        conn.execute("UPDATE section_texts SET markup = '' WHERE report_id = ? AND section_path = ?", (report, path))
        conn.execute("UPDATE indicator_values SET value = NULL WHERE report_id = ? AND indicator_code = "
                     "'lua_mua_dien_tich' AND field = 'actual'", (report,))
    finally:
        conn.close()


# == kill -9 during import ==================================================================================
_IMPORTER = r"""
import sys
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import receive
if len(sys.argv) > 3:  # parts this long (0: every file its own part, so that kills fall between parts)
    receive.CHUNK_SECONDS = float(sys.argv[3])
ws = Workspace(sys.argv[1], author="nhap")
print("ready", flush=True)
# each step said as it starts: the parent kills at a chosen one (a copy, a file imported, a check)
result = ex.import_bundles(ws, [sys.argv[2]], progress=lambda p: print("step", p.stage, p.done, flush=True))
ws.close()
print("counts " + repr(sorted(result.counts().items())), flush=True)
"""


def expected_reports(world: World) -> set[tuple[str, str]]:
    """(report id, content hash) of every report of the batch, from the files' signed manifests."""
    from baocao_desktop.exchange.bundle import read_bundle
    found = set()
    for path in world.a_files + world.b_files:
        contents = read_bundle(path)
        found.update((e["id"], e["content_hash"]) for e in contents.manifest["reports"])
    return found


def received_state(db: Path) -> tuple[set, list[str]]:
    """(report id, content hash) of every received report, and what is half-imported: a file recorded as
    received whose reports are missing, without their texts or figures, or not as signed."""
    conn = sqlite3.connect(str(db))
    try:
        reports = dict(conn.execute("SELECT r.id, r.content_hash FROM reports r JOIN units u ON u.id = r.unit_id "
                                    "WHERE u.is_self = 0").fetchall())
        half = []
        for bundle_id, manifest in conn.execute("SELECT id, manifest FROM received_bundles"):
            for entry in json.loads(manifest)["reports"]:
                if reports.get(entry["id"]) != entry["content_hash"]:
                    half.append(f"file {bundle_id[:8]}: report {entry['id'][:8]} missing or different")
                    continue
                texts = conn.execute("SELECT count(*) FROM section_texts WHERE report_id = ?", (entry["id"],))
                values = conn.execute("SELECT count(*) FROM indicator_values WHERE report_id = ?", (entry["id"],))
                if not texts.fetchone()[0] or not values.fetchone()[0]:
                    half.append(f"file {bundle_id[:8]}: report {entry['id'][:8]} without its texts or figures")
        received = {rid for (rid,) in conn.execute("SELECT report_id FROM report_versions")} \
            if _has_table(conn, "report_versions") else set(reports)
        half += [f"report {rid[:8]} without a received version" for rid in reports if rid not in received]
        return set(reports.items()), half
    finally:
        conn.close()


def _has_table(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def import_again(world: World, db: Path) -> tuple[set, list[str], str]:
    """Import the whole batch again, without interruption: the state then must be the expected one."""
    child = Child(["-c", _IMPORTER, str(db), str(world.batch)], world.work)
    code, err = child.finish()
    state, half = received_state(db)
    return state, half, (err if code else "")


def kill_import(world: World, tally: Tally, points: int, rng: random.Random, expected: set, out) -> None:
    scenario = "kill -9 while importing"
    for point in range(points):
        db = world.upper_copy(f"kill-import-{point}")
        # every other kill with each file committed as its own part (kills then fall between parts)
        chunk = ["0"] if point % 2 else []
        child = Child(["-c", _IMPORTER, str(db), str(world.batch), *chunk], world.work)
        # a step of the import chosen at random (copying, importing file n, checking), then a moment more
        target = rng.choice(world.import_steps)
        deadline = time.monotonic() + 300
        while target not in child.lines and child.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.05))
        child.kill()
        check = integrity(db)
        state, half = received_state(db)
        tally.committed.append(len(state))
        if check != "ok" or half:
            tally.add(scenario, "lost", f"point {point}: integrity {check!r}; {half[:3]}")
            continue
        state, half, err = import_again(world, db)
        if err:
            tally.add(scenario, "crashed", f"point {point}: the import after the kill failed: {err[-300:]}")
        elif state != expected or half or integrity(db) != "ok":
            tally.add(scenario, "lost", f"point {point}: after importing again {len(state)} of {len(expected)} "
                                        f"reports as expected; {half[:3]}")
        else:
            tally.add(scenario, "survived")
        shutil.rmtree(db.parent, ignore_errors=True)
    out(f"  {scenario}: {points} points")


def time_import(world: World) -> float:
    """How long the batch import takes here; its steps (where the kills fall) are kept in the world."""
    db = world.upper_copy("timing")
    t0 = time.perf_counter()
    child = Child(["-c", _IMPORTER, str(db), str(world.batch)], world.work)
    child.ready.wait(timeout=120)
    t0 = time.perf_counter()
    code, err = child.finish()
    if code:
        raise SystemExit(f"the batch import fails without any fault:\n{err}")
    world.import_steps = [line for line in child.lines if line.startswith("step ")]
    return time.perf_counter() - t0


# == two writers, a held lock ===============================================================================
def two_writers(world: World, tally: Tally, expected: set, out) -> None:
    scenario = "two writers at once"
    # an editor saving 40 times while the batch import runs
    db = world.upper_copy("two-writers")
    report, path = editable_report(db)
    editor = Child(["-c", _EDITOR, str(db), report, path, "40", "0.05"], world.work)
    importer = Child(["-c", _IMPORTER, str(db), str(world.batch)], world.work)
    (code_e, err_e), (code_i, err_i) = editor.finish(), importer.finish()
    state, half = received_state(db)
    text, figure = stored_edit(db, report, path)
    if code_e or code_i:
        tally.add(scenario, "crashed", f"editor {code_e} {err_e[-300:]} / importer {code_i} {err_i[-300:]}")
    elif integrity(db) != "ok" or state != expected or half or (text, figure) != (40, 40):
        tally.add(scenario, "lost", f"edits stored {text}/{figure} of 40; reports {len(state)}/{len(expected)}; "
                                    f"{half[:3]}")
    else:
        tally.add(scenario, "survived")
    # two importers of the same batch at once: every file once, nothing twice, nothing half
    db = world.upper_copy("two-importers")
    first = Child(["-c", _IMPORTER, str(db), str(world.batch)], world.work)
    second = Child(["-c", _IMPORTER, str(db), str(world.batch)], world.work)
    (code_1, err_1), (code_2, err_2) = first.finish(), second.finish()
    state, half = received_state(db)
    busy = [err for code, err in ((code_1, err_1), (code_2, err_2)) if code]
    if any("Traceback" in err and "StoreBusy" not in err for err in busy):
        tally.add(scenario, "crashed", f"an importer failed: {busy[0][-300:]}")
    elif integrity(db) != "ok" or state != expected or half:
        tally.add(scenario, "lost", f"reports {len(state)}/{len(expected)}; {half[:3]}")
    else:
        tally.add(scenario, "survived")
    out(f"  {scenario}: 2 runs")


_HOLDER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("ready", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


@contextlib.contextmanager
def lock_held(db: Path, work: Path):
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=child_env(work))
    try:
        if holder.stdout.readline().strip() != "ready":
            raise RuntimeError("the lock holder did not start")
        yield holder
    finally:
        with contextlib.suppress(OSError, ValueError):
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=30)


def held_lock(world: World, tally: Tally, out) -> None:
    scenario = "a held write lock"
    from baocao_desktop.services.editing import EditSession
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.store.db import StoreBusy
    db = world.upper_copy("held-lock")
    report, path = editable_report(db)
    before = db_state(db)
    with lock_held(db, world.work):
        cli = subprocess.run([sys.executable, "-m", "baocao_desktop", "bundle", "import", str(world.batch),
                              "--db", str(db)], capture_output=True, text=True, encoding="utf-8",
                             env=child_env(world.work), timeout=300)
    message = (cli.stderr + cli.stdout).strip()
    if cli.returncode == 0:
        tally.add(scenario, "accepted", "the CLI import succeeded while another process held the lock")
    elif "bận" not in message or "Traceback" in message:
        tally.add(scenario, "crashed", f"CLI exit {cli.returncode}: {message[-400:]}")
    elif db_state(db) != before or integrity(db) != "ok":
        tally.add(scenario, "lost", "the refused CLI import changed the database")
    else:
        tally.refused(scenario, message)
    # the editor: the edit stays unsaved while the lock is held, and is stored once it is free
    ws = Workspace(db, author="bien-tap")
    try:
        session = EditSession(ws, report)
        session.text_edited(path)
        with lock_held(db, world.work):
            try:
                session.flush(lambda p: "Sửa lần 7", wait=0.5)
                outcome = ("accepted", "a save succeeded while another process held the lock")
            except StoreBusy as exc:
                outcome = ("refused", str(exc)) if session.has_pending_changes() else \
                    ("lost", "the edit was dropped when the save failed")
            except Exception:
                outcome = ("crashed", traceback.format_exc()[-400:])
        if outcome[0] == "refused":
            session.flush(lambda p: "Sửa lần 7")
            if stored_edit(db, report, path)[0] != 7 or session.has_pending_changes():
                outcome = ("lost", "the edit kept during the lock was not stored afterwards")
        tally.refused(scenario, outcome[1]) if outcome[0] == "refused" else tally.add(scenario, *outcome)
    finally:
        ws.close()
    out(f"  {scenario}: CLI import and editor save")


# == hostile inputs =========================================================================================
def resign(path: Path, private_key: str, sql: list[tuple[str, tuple]] = (), reseal: bool = True,
           manifest_edit=None) -> Path:
    """Edit a transfer file as a registered commune with its genuine key could: change rows, then make every
    hash again (report content hashes, payload hash) and sign the manifest (and, with `reseal`, each signed
    report) again with `private_key`."""
    from baocao_desktop.exchange import keys
    from baocao_desktop.exchange.bundle import MANIFEST_TABLE, PAYLOAD_TABLES, BundleContents, payload_sha256, read_rows
    from baocao_desktop.exchange.content import canonical_json, digest, signed_content
    pair_public = keys.public_from_private(private_key)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        for statement, params in sql:
            conn.execute(statement, params)
        manifest = json.loads(conn.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE key = 'manifest'").fetchone()[0])
        rows = {t: read_rows(conn, t) for t in PAYLOAD_TABLES}
        partial = BundleContents(manifest, "", "", rows, 0, "", 0)
        templates = {t["id"]: t for t in rows["templates"]}
        reports = {r["id"]: r for r in rows["reports"]}
        for entry, content in zip(manifest["reports"], partial.report_contents()):
            row = reports[entry["id"]]
            entry["content_hash"] = digest(content)
            entry["template_version"] = row["template_version"]
            entry["template_sha256"] = templates[row["template_id"]]["sha256"]
            update = {"content_hash": entry["content_hash"]}
            if reseal and row.get("signature"):
                update["signature"] = keys.sign(private_key, keys.PURPOSE_REPORT, signed_content(content))
            conn.execute(f"UPDATE reports SET {', '.join(f'{k} = ?' for k in update)} WHERE id = ?",
                         (*update.values(), entry["id"]))
        rows = {t: read_rows(conn, t) for t in PAYLOAD_TABLES}
        manifest["payload_sha256"] = payload_sha256(PAYLOAD_TABLES, rows)
        manifest["row_counts"] = {t: len(rows[t]) for t in PAYLOAD_TABLES}
        if manifest_edit:
            manifest_edit(manifest)
        manifest["key"]["public_key"] = manifest["key"].get("public_key") or pair_public
        text = canonical_json(manifest)
        conn.execute(f"UPDATE {MANIFEST_TABLE} SET value = ? WHERE key = 'manifest'", (text,))
        conn.execute(f"UPDATE {MANIFEST_TABLE} SET value = ? WHERE key = 'signature'",
                     (keys.sign(private_key, keys.PURPOSE_BUNDLE, text.encode("utf-8")),))
    finally:
        conn.close()
    return path


def with_template(source_of) -> list[tuple[str, tuple]]:
    """SQL making the file's template version 99 of bc_tuan (not installed anywhere) with the source
    `source_of(genuine source)`: the template reader must judge it."""
    def edits(path: Path):
        conn = sqlite3.connect(str(path))
        try:
            source = conn.execute("SELECT source FROM templates").fetchone()[0]
        finally:
            conn.close()
        bad = source_of(source)
        sha = hashlib.sha256(bad.encode("utf-8")).hexdigest()
        return [("UPDATE templates SET version = 99, source = ?, sha256 = ?", (bad, sha)),
                ("UPDATE reports SET template_version = 99", ())]
    return edits


def nan_range(source: str) -> str:
    changed = re.sub(r"range: \[0, (\d+)\]", r"range: [.nan, \1]", source, count=1)
    assert changed != source, "the weekly template has no range to break"
    return changed


def alias_bomb(source: str) -> str:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [{', '.join(['*' + previous] * 10)}]\n"
    return source + "\nghi_chu_bom:\n" + "".join("  " + line + "\n" for line in bomb.splitlines())


def huge_template(source: str) -> str:
    sections = "".join(f"  - id: muc_{i}\n    title: Mục {i}\n" for i in range(200_000))
    return source + "\nsections_them:\n" + sections


def flip_payload(path: Path) -> Path:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("UPDATE section_texts SET markup = markup || ' (sửa lén)' WHERE rowid = "
                 "(SELECT min(rowid) FROM section_texts)")
    conn.close()
    return path


def docx_bombs(work: Path) -> list[tuple[str, Path]]:
    import docx
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    document.add_paragraph("Trong tuần tổ chức 02 hội nghị.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        base = {name: archive.read(name) for name in archive.namelist()}

    def write(name: str, members: dict) -> Path:
        path = work / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return path

    body = "<w:p><w:r><w:t>Dòng</w:t></w:r></w:p>" * 120_000
    paragraphs = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
                  f'{body}</w:body></w:document>').encode()
    return [("picture bomb", write("bom-hinh.docx", {**base, "word/media/image1.png":
                                                     b"\x89PNG\r\n\x1a\n" + bytes(64 * 1024 * 1024)})),
            ("many pictures", write("nhieu-hinh.docx", {**base, **{f"word/media/image{i}.png":
                                                                   b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024)
                                                                   for i in range(60)}})),
            ("million paragraphs", write("nhieu-doan.docx", {**base, "word/document.xml": paragraphs})),
            ("huge xml part", write("xml-lon.docx", {**base, "word/document.xml": paragraphs * 20})),
            ("not a zip", _write_bytes(work / "khong-phai.docx", b"PK\x03\x04" + os.urandom(5000)))]


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def hostile(world: World, tally: Tally, points: int, rng: random.Random, out) -> None:
    from baocao_desktop.exchange import keys
    from baocao_desktop.exchange.bundle import MAX_BYTES
    from baocao_desktop.services import exchange as ex
    folder = world.work / "hostile"
    folder.mkdir()
    a_key, b_key = ex.own_key_pair(world.a).private_key, ex.own_key_pair(world.b).private_key
    genuine_a, genuine_b = world.a_files[0], world.b_files[0]
    base = world.upper_copy("hostile")

    def copy(source: Path, name: str) -> Path:
        path = folder / name
        shutil.copyfile(source, path)
        return path

    # the upper level has already received A's first file: collisions are with it
    from baocao_desktop.services.workspace import Workspace
    upper = Workspace(base, author="van-thu-tinh")
    ex.import_bundles(upper, [genuine_a])
    fact_id = upper.store.conn.execute("SELECT id FROM profile_facts WHERE unit_id = ?",
                                       (world.a.own_unit().id,)).fetchone()[0]
    signer_id = world.a.store.conn.execute("SELECT id FROM signers WHERE unit_id = ?",
                                           (world.a.own_unit().id,)).fetchone()[0]
    a_bundle = upper.store.conn.execute("SELECT id FROM received_bundles").fetchone()[0]
    upper.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    upper.close()

    def templated(name, transform):
        path = copy(genuine_b, name)
        return resign(path, b_key, with_template(transform)(path))

    attacker = keys.generate_key_pair()

    def claim_attacker(manifest):
        manifest["key"] = {"algorithm": keys.ALGORITHM, "public_key": attacker.public_key,
                           "fingerprint": attacker.fingerprint}

    def oversized():
        path = folder / "qua-lon.baocao"
        with open(path, "wb") as handle:
            handle.truncate(MAX_BYTES + 1)  # sparse: costs no disk, and must cost no copy either
        return path

    def sql_of_its_own(name, sql):
        path = copy(genuine_b, name)
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute(sql)
        conn.close()
        return path

    cases = [
        ("template with a NaN range", lambda: templated("nan.baocao", nan_range)),
        ("template alias bomb", lambda: templated("alias.baocao", alias_bomb)),
        ("template of 200,000 sections", lambda: templated("huge.baocao", huge_template)),
        ("colliding profile fact id", lambda: resign(copy(genuine_b, "fact.baocao"), b_key,
                                                     [("UPDATE profile_facts SET id = ?", (fact_id,))])),
        ("colliding signer id", lambda: resign(copy(genuine_b, "signer.baocao"), b_key,
                                               [("UPDATE reports SET signer_id = ?", (signer_id,)),
                                                ("UPDATE signers SET id = ? WHERE id = (SELECT min(id) FROM "
                                                 "signers)", (signer_id,))])),
        ("colliding file id", lambda: resign(copy(genuine_b, "bundle-id.baocao"), b_key,
                                             manifest_edit=lambda m: m.update(bundle_id=a_bundle))),
        ("oversized file", oversized),
        ("tampered rows", lambda: flip_payload(copy(genuine_b, "rows.baocao"))),
        ("forged: another key, registered unit", lambda: resign(copy(genuine_b, "forged.baocao"), attacker.private_key,
                                                                manifest_edit=claim_attacker)),
        ("forged: signature by another key", lambda: resign(copy(genuine_b, "badsig.baocao"), b_key,
                                                            manifest_edit=lambda m: None) and
         _sign_with(folder / "badsig.baocao", attacker.private_key)),
        ("unregistered sender", lambda: copy(world.c_file, "c.baocao")),
        ("payload with a trigger", lambda: sql_of_its_own(
            "trigger.baocao", "CREATE TRIGGER t AFTER INSERT ON reports BEGIN DELETE FROM reports; END")),
        ("payload with a view", lambda: sql_of_its_own("view.baocao", "CREATE VIEW v AS SELECT * FROM reports")),
        ("payload with a generated column", lambda: sql_of_its_own(
            "generated.baocao", "ALTER TABLE reports ADD COLUMN nang INTEGER GENERATED ALWAYS AS "
                                "(length(hex(zeroblob(100000000)))) VIRTUAL")),
        ("payload with an extra table", lambda: sql_of_its_own("table.baocao", "CREATE TABLE x (id TEXT)")),
        ("payload with an expression index", lambda: sql_of_its_own(
            "index.baocao", "CREATE INDEX i ON reports (length(hex(zeroblob(100000000))))")),
        ("signed report changed, file re-signed", lambda: resign(
            copy(genuine_b, "resigned.baocao"), b_key,
            [("UPDATE indicator_values SET value = '999999' WHERE indicator_code = 'lua_mua_dien_tich' "
              "AND field = 'actual'", ())], reseal=False)),
    ]
    size = genuine_b.stat().st_size
    for n in range(points):  # truncated at random offsets
        cut = rng.randrange(1, size)
        cases.append((f"truncated file", lambda cut=cut, n=n: _truncate(copy(genuine_b, f"cut-{n}.baocao"), cut)))
    for name, make in cases:
        try:
            path = make()
        except Exception:
            tally.add("hostile transfer file", "crashed", f"{name}: could not be made: {traceback.format_exc()[-300:]}")
            continue
        _import_refused(world, base, f"hostile transfer file", name, path, tally)
        with contextlib.suppress(OSError):
            path.unlink()
    # Word documents from outside: the Word import and the proofreader
    from baocao_desktop.checks.proofread.files import read_file
    from baocao_desktop.services.docx_import import read_docx
    for name, path in docx_bombs(folder):
        for reader in (read_docx, read_file):
            try:
                reader(path)
                tally.add("hostile Word document", "accepted", f"{name} read by {reader.__module__}")
            except Exception as exc:
                from baocao_desktop.domain.errors import UserError
                from baocao_desktop.domain.untrusted import UntrustedFileError
                if isinstance(exc, (UserError, UntrustedFileError)):
                    tally.refused("hostile Word document", str(exc))
                else:
                    tally.add("hostile Word document", "crashed", f"{name}: {traceback.format_exc()[-400:]}")
    copied_database(world, tally)
    out(f"  hostile inputs: {len(cases)} transfer files, Word documents, a copied database")


def _sign_with(path: Path, private_key: str) -> Path:
    from baocao_desktop.exchange import keys
    from baocao_desktop.exchange.bundle import MANIFEST_TABLE
    conn = sqlite3.connect(str(path), isolation_level=None)
    text = conn.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE key = 'manifest'").fetchone()[0]
    conn.execute(f"UPDATE {MANIFEST_TABLE} SET value = ? WHERE key = 'signature'",
                 (keys.sign(private_key, keys.PURPOSE_BUNDLE, text.encode("utf-8")),))
    conn.close()
    return path


def _truncate(path: Path, size: int) -> Path:
    with open(path, "r+b") as handle:
        handle.truncate(size)
    return path


def _import_refused(world: World, base: Path, scenario: str, name: str, path: Path, tally: Tally) -> None:
    """Import one hostile file into the upper level (a copy of `base`): it must be refused in Vietnamese and
    change nothing."""
    from baocao_desktop.services import exchange as ex
    from baocao_desktop.services.workspace import Workspace
    db = world.upper_copy("hostile-one")
    shutil.copyfile(base, db)
    before = db_state(db)
    ws = Workspace(db, author="van-thu-tinh")
    try:
        result = ex.import_bundles(ws, [path])
    except Exception:
        ws.close()
        tally.add(scenario, "crashed", f"{name}: {traceback.format_exc()[-600:]}")
        return
    ws.close()
    files = result.plan.files
    taken = [f for f in files if f.ok and any(r.action not in ("rejected", "unchanged") for r in f.reports)]
    if taken:
        tally.add(scenario, "accepted", f"{name}: imported ({taken[0].code})")
    elif integrity(db) != "ok" or db_state(db) != before:
        tally.add(scenario, "lost", f"{name}: the refused file changed the database")
    else:
        messages = [f.message for f in files if not f.ok] + [r.reason for f in files for r in f.reports
                                                             if r.action == "rejected"]
        tally.refused(scenario, f"{name}: {messages[0] if messages else ''}")


def copied_database(world: World, tally: Tally) -> None:
    """Commune A's database copied to another account or machine (without the key): signing and sending
    are refused in Vietnamese, and nothing changes."""
    from baocao_desktop.services import exchange as ex
    from baocao_desktop.services.workspace import Workspace
    scenario = "copied database without the key"
    folder = world.work / "may-khac"
    (folder / "data").mkdir(parents=True)
    world.a.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = folder / "ban-sao.sqlite3"
    shutil.copyfile(world.a.path, copy)
    saved = os.environ["BAOCAO_DATA_DIR"]
    os.environ["BAOCAO_DATA_DIR"] = str(folder / "data")
    try:
        ws = Workspace(copy, author="nguoi-khac")
        try:
            draft = weekly(ws, 40, sign=False)
            before = db_state(copy)
            for name, action in (("sign", lambda: ws.sign(draft)),
                                 ("send", lambda: ex.export_bundle(ws, folder, None, mark_sent=True))):
                try:
                    action()
                    tally.add(scenario, "accepted", f"{name} worked without the key")
                except Exception as exc:
                    from baocao_desktop.domain.errors import UserError
                    if not isinstance(exc, UserError):
                        tally.add(scenario, "crashed", f"{name}: {traceback.format_exc()[-400:]}")
                    elif db_state(copy) != before:
                        tally.add(scenario, "lost", f"{name} refused but changed the database")
                    else:
                        tally.refused(scenario, str(exc))
        finally:
            ws.close()
    finally:
        os.environ["BAOCAO_DATA_DIR"] = saved


# == the campaign ===========================================================================================
def run(points: int = 100, seed: int = 20260601, work: Path | None = None, weeks: int = 6,
        out=print) -> Tally:
    """Run every scenario with `points` random points each (kill moments, truncation offsets); returns the
    tally. `work`: a scratch folder (made and removed when None)."""
    rng = random.Random(seed)
    tally = Tally()
    owned = work is None
    work = Path(tempfile.mkdtemp(prefix="baocao-faults-")) if owned else Path(work)
    saved = os.environ.get("BAOCAO_DATA_DIR")
    os.environ["BAOCAO_DATA_DIR"] = str(work / "data")  # the units' keys live here, not in the user's folder
    (work / "data").mkdir(parents=True, exist_ok=True)
    world = None
    try:
        world = build_world(work, weeks, out)
        world.import_seconds = max(0.5, time_import(world))
        expected = expected_reports(world)
        out(f"the batch import ({2 * weeks} files) takes {world.import_seconds:.1f} s here")
        for step in (lambda: kill_edit(world, tally, points, rng, out),
                     lambda: kill_import(world, tally, points, rng, expected, out),
                     lambda: two_writers(world, tally, expected, out),
                     lambda: held_lock(world, tally, out),
                     lambda: hostile(world, tally, points, rng, out)):
            try:
                step()
            except Exception:
                tally.add("campaign itself", "crashed", traceback.format_exc()[-800:])
    finally:
        if world is not None:
            for ws in (world.a, world.b, world.c):
                ws.close()
        if saved is None:
            os.environ.pop("BAOCAO_DATA_DIR", None)
        else:
            os.environ["BAOCAO_DATA_DIR"] = saved
        if owned:
            shutil.rmtree(work, ignore_errors=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100, help="random points per scenario (kill moments, cuts)")
    parser.add_argument("--seed", type=int, default=20260601)
    parser.add_argument("--weeks", type=int, default=10, help="weekly files per commune in the import batch")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    parser.add_argument("--messages", action="store_true", help="print every refusal message")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="baocao-faults-")) if args.keep else None
    if work:
        print(f"work folder: {work}")
    t0 = time.perf_counter()
    tally = run(args.points, args.seed, work, args.weeks)
    print()
    print(tally.table())
    print(f"\n{time.perf_counter() - t0:.0f} s; load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg")
          else f"\n{time.perf_counter() - t0:.0f} s")
    if tally.acknowledged:
        acked = sorted(tally.acknowledged)
        print(f"kills while editing: {acked.count(0)} before the first save, the others after 1–{acked[-1]} "
              f"acknowledged saves (median {acked[len(acked) // 2]})")
    if tally.committed:
        whole = 2 * args.weeks
        print(f"kills while importing ({whole} reports; at a random step of copy, import, check): "
              f"{tally.committed.count(0)} with nothing committed yet, "
              f"{sum(0 < n < whole for n in tally.committed)} between two parts, "
              f"{tally.committed.count(whole)} after the last part")
    if args.messages:
        for scenario, message in tally.refusals:
            print(f"[{scenario}] {message}")
    for note in tally.notes:
        print(note)
    print("GOAL MET: 0 crashed, 0 accepted, 0 lost" if tally.goal_met else "GOAL MISSED")
    return 0 if tally.goal_met else 1


if __name__ == "__main__":
    sys.exit(main())
