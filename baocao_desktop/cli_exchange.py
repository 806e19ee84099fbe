"""Command line of the USB exchange and the level above (DESIGN §11): bundle, inbox, aggregate and the
key commands of `unit`. Kept apart from cli.py, which only wires these in."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_common import EXIT_BAD_INPUT, BadInput, print_result, resolve_report
from .domain.errors import UserError
from .services.errors import ServiceError
from .domain.error_text import os_error_reason

UNIT_COMMANDS = ("key", "register", "registry")


# what to type for a refused file, added to the (interface-neutral) reason on the command line
CLI_HINTS = {
    "unknown_unit": " (Dòng lệnh: nhập lại với --register-new sau khi đã đối chiếu mã.)",
    "wrong_key": " (Dòng lệnh: baocao unit register TỆP_KHÓA --replace sau khi đã đối chiếu mã.)",
}


def add_exchange_parsers(sub, unit_sub, common) -> None:
    from .cli_common import VietnameseArgumentParser as P

    key = unit_sub.add_parser("key", parents=[common], help="khóa ký số của đơn vị")
    key_sub = key.add_subparsers(dest="key_command", required=True, parser_class=P)
    key_export = key_sub.add_parser("export", parents=[common],
                                    help="ghi tệp khóa công khai để gửi cấp trên; với --passphrase-file: tệp sao "
                                         "lưu khóa bí mật, mã hóa bằng mật khẩu")
    key_export.add_argument("out", metavar="OUT", help="tệp hoặc thư mục")
    key_export.add_argument("--passphrase-file", metavar="F",
                            help="tệp chứa mật khẩu (dòng đầu): ghi bản sao lưu khóa bí mật thay cho khóa công khai")
    key_restore = key_sub.add_parser("restore", parents=[common], help="khôi phục khóa từ tệp sao lưu (có mật khẩu)")
    key_restore.add_argument("file", metavar="FILE")
    key_restore.add_argument("--passphrase-file", metavar="F", help="tệp chứa mật khẩu (mặc định: hỏi)")
    key_sub.add_parser("new", parents=[common],
                       help="tạo khóa mới khi đã mất khóa (cấp trên phải đăng ký lại: unit register … --replace)")
    key_sub.add_parser("show", parents=[common], help="mã nhận dạng khóa (đọc qua điện thoại)")
    register = unit_sub.add_parser("register", parents=[common], help="đăng ký khóa công khai của đơn vị khác")
    register.add_argument("keyfile", metavar="KEYFILE")
    register.add_argument("--upper", action="store_true", help="khóa của cấp trên (để kiểm tra mẫu gửi xuống)")
    register.add_argument("--replace", action="store_true", help="thay khóa đã đăng ký (sau khi gọi điện xác nhận)")
    unit_sub.add_parser("registry", parents=[common], help="các đơn vị đã đăng ký khóa")

    bundle = sub.add_parser("bundle", parents=[common], help="tệp gửi cấp trên (.baocao): xuất, kiểm tra, nhập")
    bundle_sub = bundle.add_subparsers(dest="bundle_command", required=True, parser_class=P)
    export = bundle_sub.add_parser("export", parents=[common], help="ghi tệp gửi cấp trên, đã ký số")
    export.add_argument("--out", required=True, metavar="FILE.baocao", help="tệp, hoặc thư mục (tên tự đặt)")
    export.add_argument("--report", action="append", metavar="ID", help="báo cáo gửi (mặc định: mọi báo cáo Đã ký/Đã gửi)")
    export.add_argument("--keep-status", action="store_true", help="không chuyển báo cáo Đã ký sang Đã gửi")
    export.add_argument("--no-readable", action="store_true",
                        help="không kèm bản Word/PDF để đọc bên cạnh tệp .baocao (mặc định: có kèm)")
    verify = bundle_sub.add_parser("verify", parents=[common], help="kiểm tra tệp gửi (không nhập)")
    verify.add_argument("files", nargs="+", metavar="FILE")
    imp = bundle_sub.add_parser("import", parents=[common], help="nhập tệp gửi (tệp hoặc thư mục)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không nhập")
    imp.add_argument("--register-new", action="store_true",
                     help="đăng ký đơn vị chưa biết (chỉ sau khi đã đối chiếu mã nhận dạng khóa qua điện thoại)")
    versions = bundle_sub.add_parser("versions", parents=[common], help="các bản đã nhận của một báo cáo")
    versions.add_argument("id")
    resolve = bundle_sub.add_parser("resolve", parents=[common], help="chọn bản dùng khi có xung đột")
    resolve.add_argument("id")
    resolve.add_argument("version", metavar="VERSION_ID")

    inbox = sub.add_parser("inbox", parents=[common], help="cấp trên: đơn vị × kỳ × mẫu: đã nhận, muộn, thiếu")
    inbox.add_argument("--template", metavar="CODE")
    inbox.add_argument("--from", dest="start", metavar="DATE")
    inbox.add_argument("--to", dest="end", metavar="DATE")
    inbox.add_argument("--state", action="append", choices=["on_time", "late", "missing", "pending"])
    inbox.add_argument("--errors", action="store_true", help="chỉ báo cáo còn lỗi")
    inbox.add_argument("--missing", action="store_true", help="danh sách đơn vị chưa gửi, để in")
    inbox.add_argument("--today", metavar="DATE", help=argparse.SUPPRESS)

    agg = sub.add_parser("aggregate", parents=[common], help="cấp trên: tổng hợp chỉ tiêu của các đơn vị")
    agg.add_argument("--template", required=True, metavar="CODE")
    agg.add_argument("--period", required=True, metavar="START[..END]",
                     help="ngày đầu kỳ, START..END, hoặc 2026-06, 2026-Q2, 2026-H1, 2026-9M, 2026")
    agg.add_argument("--docx", metavar="OUT", help="xuất báo cáo tổng hợp")
    agg.add_argument("--no-charts", action="store_true", help="không vẽ biểu đồ trong báo cáo tổng hợp")


def _date(text):
    if not text:
        return None
    from .domain.dates import DateError, parse_date
    try:
        return parse_date(text)
    except DateError as exc:
        raise BadInput(str(exc)) from None


def _passphrase(path: str | None, confirm: bool) -> str:
    """The passphrase: the first line of a file (scripts), else asked at the terminal (twice to set one)."""
    if path:
        try:
            return Path(path).read_text(encoding="utf-8-sig").splitlines()[0] if Path(path).stat().st_size else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"Không đọc được tệp mật khẩu “{path}” ({getattr(exc, 'strerror', None) or exc}).") from None
    if not sys.stdin or not sys.stdin.isatty():
        raise BadInput("Cần mật khẩu: dùng --passphrase-file TỆP (dòng đầu của tệp là mật khẩu).")
    import getpass
    first = getpass.getpass("Mật khẩu: ")
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise BadInput("Hai lần nhập mật khẩu không giống nhau.")
    return first


def run_unit(ws, args) -> int:
    from .services import exchange as ex
    if args.unit_command == "key":
        if args.key_command == "export" and args.passphrase_file:
            path = ex.export_private_key(ws, args.out, _passphrase(args.passphrase_file, confirm=True))
            info = ex.own_key(ws)
            print_result(args, {"path": str(path), "backup": True, **info.to_json()},
                         f"Đã ghi tệp sao lưu khóa ký số “{path}” (mã hóa bằng mật khẩu). Cất tệp và mật khẩu ở "
                         f"hai nơi khác nhau.\nMã nhận dạng khóa: {info.fingerprint}")
        elif args.key_command == "restore":
            info = ex.restore_private_key(ws, args.file, _passphrase(args.passphrase_file, confirm=False))
            print_result(args, info.to_json(), f"Đã khôi phục khóa ký số của {info.unit_name}.\nMã nhận dạng khóa: "
                                               f"{info.fingerprint}")
        elif args.key_command == "new":
            info = ex.replace_own_key(ws)
            print_result(args, info.to_json(),
                         f"Đã tạo khóa mới cho {info.unit_name}, mã nhận dạng {info.fingerprint}; khóa cũ bị thu "
                         f"hồi.\nGửi tệp khóa công khai mới (baocao unit key export THƯ_MỤC) cho cấp trên và gọi "
                         f"điện đọc mã này để cấp trên đăng ký lại (baocao unit register TỆP_KHÓA --replace).")
        elif args.key_command == "export":
            path = ex.export_public_key(ws, args.out)
            info = ex.own_key(ws)
            print_result(args, {"path": str(path), **info.to_json()},
                   f"Đã ghi tệp khóa công khai “{path}”.\nMã nhận dạng khóa (đọc qua điện thoại cho cấp trên): "
                   f"{info.fingerprint}")
        else:
            info = ex.ensure_own_key(ws)
            print_result(args, info.to_json(), f"{info.unit_name}\nMã nhận dạng khóa: {info.fingerprint}")
    elif args.unit_command == "register":
        try:
            result = ex.register_unit(ws, Path(args.keyfile), "upper" if args.upper else "member", args.replace)
        except ex.KeyClash as exc:
            raise ServiceError(f"{exc} (Dòng lệnh: thêm tùy chọn --replace để thay khóa.)") from None
        print_result(args, result.to_json(), result.message())
    else:
        keys = ex.registered_units(ws, None)
        role = {"member": "cấp dưới", "upper": "cấp trên"}
        print_result(args, {"units": [k.to_json() for k in keys]},
               "\n".join(f"{k.fingerprint}  {role.get(k.role, k.role):<9} {k.unit_name}" for k in keys)
               or "Chưa đăng ký đơn vị nào.")
    return 0


def run_bundle(ws, args) -> int:
    from .services import exchange as ex
    command = args.bundle_command
    if command == "export":
        ids = [resolve_report(ws, r) for r in args.report] if args.report else None
        result = ex.export_bundle(ws, Path(args.out), ids, mark_sent=not args.keep_status,
                                  readable=ex.READABLE_BY_DEFAULT and not args.no_readable)
        print_result(args, result.to_json(), result.message())
        return 0
    if command == "verify":
        checks = [ex.verify_file(ws, f) for f in args.files]
        print_result(args, {"files": [c.to_json() for c in checks]},
               "\n".join(_verify_line(c) for c in checks))
        bad = [c for c in checks if not c.ok]
        for c in bad:
            print(f"baocao: {c.name}: {c.message}", file=sys.stderr)
        return EXIT_BAD_INPUT if bad else 0
    if command == "import":
        result = ex.import_bundles(ws, args.files, dry_run=args.dry_run, register_new=args.register_new)
        print_result(args, result.to_json(), result.summary_text())
        refused = result.plan.refused
        for f in refused:
            print(f"baocao: {f.name}: {f.message}{CLI_HINTS.get(f.code, '')}", file=sys.stderr)
        return EXIT_BAD_INPUT if refused else 0
    report_id = resolve_report(ws, args.id)
    if command == "versions":
        versions = ex.report_versions(ws, report_id)
        print_result(args, {"report_id": report_id, "versions": [v.to_json() for v in versions]},
               "\n".join(f"{v.id}  {v.label}  nhận {v.received_at[:16].replace('T', ' ')}" for v in versions)
               or "Báo cáo này không có bản nhận nào.")
        return 0
    version = next((v for v in ex.report_versions(ws, report_id) if v.id.startswith(args.version)), None)
    if version is None:
        raise BadInput(f"Báo cáo không có bản “{args.version}”. Xem: baocao bundle versions {args.id}")
    ex.resolve_conflict(ws, report_id, version.id)
    print_result(args, {"report_id": report_id, "current": version.id}, f"Đã chọn dùng bản: {version.label}.")
    return 0


def _verify_line(check) -> str:
    if not check.ok:
        return f"✗ {check.name}: {check.message}"
    reports = ", ".join(f"{r.template_name} {r.period_label}" for r in check.reports)
    note = f" — {check.message}" if check.message else ""
    return f"✓ {check.name}: hợp lệ, ký bởi {check.unit_name} (mã khóa {check.fingerprint}); {reports}{note}"


def run_inbox(ws, args) -> int:
    from .services.inbox import inbox
    box = inbox(ws, template=args.template, start=_date(args.start), end=_date(args.end), today=_date(args.today))
    if args.state or args.errors:
        box = box.filter(states=args.state, with_errors=args.errors)
    if args.missing:
        missing = box.filter(states=["missing"])
        print_result(args, {"today": box.today.isoformat(), "missing": [c.to_json() for c in missing.cells]},
               box.missing_text().rstrip())
    else:
        print_result(args, box.to_json(), box.text())
    return 0


def run_aggregate(ws, args) -> int:
    from .services.aggregation import aggregate, export_summary_docx, parse_period_arg
    start, end = parse_period_arg(args.period)
    agg = aggregate(ws, args.template, start, end)
    data = agg.to_json()
    text = agg.text()
    if args.docx:
        try:
            path = export_summary_docx(ws, agg, args.docx, charts=not args.no_charts)
        except OSError as exc:  # a DocumentWriteError says it in Vietnamese; any other OSError gets its reason
            raise BadInput(str(exc) if isinstance(exc, UserError) else
                           f"Không ghi được tệp “{args.docx}”: {os_error_reason(exc)}.") from None
        data["docx"] = str(path)
        text += f"\nĐã xuất báo cáo tổng hợp: {path}"
    print_result(args, data, text)
    return 0
