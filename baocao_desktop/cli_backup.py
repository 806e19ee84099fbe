"""Command line of backups (DESIGN §11): `backup create [--out DIR]`, `backup list [--json]`,
`backup restore FILE`. These work on the database file itself: restore must work when the current file
cannot be opened at all, so no Workspace is opened here."""
from __future__ import annotations

from pathlib import Path

from .cli_common import BadInput, print_result


def add_backup_parsers(sub, common) -> None:
    from .cli_common import VietnameseArgumentParser as P
    backup = sub.add_parser("backup", parents=[common], help="sao lưu và khôi phục tệp dữ liệu")
    backup_sub = backup.add_subparsers(dest="backup_command", required=True, parser_class=P)
    create = backup_sub.add_parser("create", parents=[common], help="ghi một bản sao lưu (đã kiểm tra)")
    create.add_argument("--out", metavar="DIR", help="thư mục ghi (ví dụ USB); mặc định: thư mục backups "
                                                     "bên cạnh tệp dữ liệu")
    backup_sub.add_parser("list", parents=[common], help="các bản sao lưu tự động, mới nhất trước")
    restore = backup_sub.add_parser("restore", parents=[common],
                                    help="khôi phục từ một bản sao lưu (tệp hiện tại được giữ lại, đổi tên)")
    restore.add_argument("file", metavar="FILE")


def _db_path(args) -> Path:
    from .services.paths import default_db_path
    return Path(args.db) if args.db else default_db_path()


def run_backup(args) -> int:
    from .services import backup
    from .services.instance_lock import acquire
    db_path = _db_path(args)
    try:
        if args.backup_command == "create":
            made = backup.create_backup(db_path, args.out)
            info = backup.inspect_backup(made)
            print_result(args, info.as_json(), f"Đã sao lưu vào “{made}”.\n  " + "\n  ".join(info.lines()))
        elif args.backup_command == "list":
            infos = []
            for path in backup.list_backups(db_path):
                try:
                    infos.append(backup.inspect_backup(path).as_json() | {"ok": True})
                except backup.BackupError as exc:
                    infos.append({"file": str(path), "ok": False, "problem": str(exc)})
            lines = [f"Các bản sao lưu của “{db_path}” (trong {backup.backup_folder(db_path)}):"] if infos else [
                f"Chưa có bản sao lưu nào của “{db_path}”."]
            for item in infos:
                if item["ok"]:
                    lines.append(f"  {Path(item['file']).name}: {item['unit'] or 'chưa thiết lập đơn vị'}, "
                                 f"{item['reports']} báo cáo")
                else:
                    lines.append(f"  {Path(item['file']).name}: HỎNG — {item['problem']}")
            print_result(args, {"database": str(db_path), "backups": infos}, "\n".join(lines))
        elif args.backup_command == "restore":
            lock = acquire(db_path)
            if lock is None:
                raise BadInput(f"Tệp dữ liệu “{db_path}” đang mở trong một cửa sổ BaoCao. Hãy đóng cửa sổ đó "
                               "(hoặc dùng Tệp → Khôi phục… trong cửa sổ) rồi thử lại; chưa có gì thay đổi.")
            try:
                info = backup.inspect_backup(args.file)
                aside = backup.restore_backup(args.file, db_path)
            finally:
                lock.release()
            kept = f"\nTệp dữ liệu cũ được giữ lại: “{aside}”." if aside else ""
            print_result(args, info.as_json() | {"database": str(db_path), "kept_aside": str(aside) if aside else None},
                         f"Đã khôi phục “{Path(args.file).name}” vào “{db_path}”.\n  " + "\n  ".join(info.lines())
                         + kept)
    except backup.BackupError as exc:
        raise BadInput(str(exc)) from None
    return 0
