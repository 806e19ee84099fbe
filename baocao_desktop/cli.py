"""Command line (DESIGN §11). Exit 0 when the command ran, 2 for bad input with a message on stderr.

This module parses and runs the report, unit, template, check, export and proofread commands; the USB
exchange and the level above are in cli_exchange, the sign-off in cli_signoff, what they share in
cli_common (each imported only when its command runs).

Sign-off (cli_signoff), as DESIGN §11 grows for issue 14:
- `report status ID --to for_signature|signed|sent|draft [--reason TEXT] [--justify-all TEXT]` takes the
  editor's steps with the editor's rule (services.signoff): Dự thảo → Trình ký/Đã ký, Trình ký → Đã ký or
  back to Dự thảo, Đã ký → Đã gửi, Đã ký/Đã gửi → Dự thảo only as an unlock with --reason (logged). Blocked
  (errors, warnings without a giải trình): exit 2, “Chưa thể …: còn …” and the findings on stderr, with
  --json the findings JSON on stdout. --justify-all keeps every open warning with one giải trình before
  submitting or signing; errors are never justifiable, and while one remains nothing is written. The status
  a report already has is a no-op (exit 0); any other step is refused saying what to do instead.
- `unit signer add --on-behalf T --title T --name T | list | remove ID`: the unit's signers, in the order
  new reports offer them (the first signs by default); `list --json` gives `{"signers": [{"id",
  "on_behalf", "title", "name"}]}`.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from .domain.dates import format_date
from .cli_common import EXIT_BAD_INPUT, EXIT_BUG, BadInput, VietnameseArgumentParser, print_result, resolve_report
from .domain.errors import UserError
from .domain.error_text import os_error_reason



def build_parser() -> argparse.ArgumentParser:
    def options(default_db, default_json) -> argparse.ArgumentParser:
        shared = argparse.ArgumentParser(add_help=False)
        shared.add_argument("--db", metavar="PATH", default=default_db,
                            help="tệp cơ sở dữ liệu (mặc định: trong thư mục dữ liệu người dùng)")
        shared.add_argument("--json", action="store_true", default=default_json, help="in kết quả dạng JSON")
        return shared
    # --db and --json go before or after the subcommand; a subcommand without them must not put back the
    # defaults over what was given before it (`baocao --db X demo` would open the user's real database)
    common = options(argparse.SUPPRESS, argparse.SUPPRESS)
    parser = VietnameseArgumentParser(prog="baocao", description="BaoCao Desktop: viết, kiểm tra và xuất báo cáo.",
                                      parents=[options(None, False)])
    sub = parser.add_subparsers(dest="command", parser_class=VietnameseArgumentParser)

    sub.add_parser("demo", parents=[common], help="nạp đơn vị mẫu Lùng Phình với hai báo cáo tuần")

    unit = sub.add_parser("unit", parents=[common], help="đơn vị và hồ sơ đơn vị")
    unit_sub = unit.add_subparsers(dest="unit_command", required=True, parser_class=VietnameseArgumentParser)
    unit_sub.add_parser("show", parents=[common])
    unit_set = unit_sub.add_parser("set", parents=[common])
    for name in ("name", "level", "upper-body", "place-name", "symbol", "format", "founded-on"):
        unit_set.add_argument(f"--{name}")
    fact = unit_sub.add_parser("fact", parents=[common], help="thêm dữ kiện hồ sơ có ngày hiệu lực")
    fact.add_argument("code")
    fact.add_argument("value")
    fact.add_argument("--label", default="")
    fact.add_argument("--unit", default="")
    fact.add_argument("--as-of", default=None,
                      help="ngày hiệu lực (mặc định: ngày thành lập đơn vị cho dữ kiện đầu tiên của mã, "
                           "hôm nay cho lần thay đổi sau)")
    fact.add_argument("--name", action="append", default=[], dest="names",
                      help="tên từng xã cũ/thôn… mà số này đếm (lặp lại --name theo thứ tự); bảng của mẫu có "
                           "row_labels: profile:<mã> lấy tên dòng từ đây")

    template = sub.add_parser("template", parents=[common], help="mẫu báo cáo")
    template_sub = template.add_subparsers(dest="template_command", required=True,
                                           parser_class=VietnameseArgumentParser)
    template_sub.add_parser("list", parents=[common])
    template_import = template_sub.add_parser("import", parents=[common],
                                              help="nhập gói mẫu (.mau.zip) hoặc một mẫu .yaml")
    template_import.add_argument("file", metavar="FILE")
    template_export = template_sub.add_parser("export", parents=[common],
                                              help="xuất phiên bản mới nhất của mẫu thành gói mẫu")
    template_export.add_argument("code", metavar="CODE")
    template_export.add_argument("out", metavar="OUT")
    template_export.add_argument("--sign", action="store_true",
                                 help="ký gói bằng khóa của đơn vị (cấp trên gửi mẫu xuống các xã)")
    from_outline = template_sub.add_parser("from-outline", parents=[common],
                                           help="dựng mẫu từ đề cương (.docx hoặc .txt)")
    from_outline.add_argument("file", metavar="FILE")
    from_outline.add_argument("--out", metavar="T.yaml", help="ghi mẫu YAML vào tệp này")
    from_outline.add_argument("--code", help="mã mẫu (chữ thường không dấu, số, gạch dưới)")
    from_outline.add_argument("--name", help="tên mẫu")

    report = sub.add_parser("report", parents=[common], help="báo cáo")
    report_sub = report.add_subparsers(dest="report_command", required=True, parser_class=VietnameseArgumentParser)
    report_sub.add_parser("list", parents=[common])
    new = report_sub.add_parser("new", parents=[common])
    new.add_argument("--template", required=True, metavar="CODE")
    new.add_argument("--period", required=True, metavar="KỲ",
                     help="tuần: ngày thứ Hai (2026-06-01 hoặc 01/6/2026); tháng 2026-06; quý 2026-Q1; "
                          "6 tháng 2026-H1; 9 tháng 2026-9M; năm 2026; kỳ tùy chọn: START..END")
    new.add_argument("--number", default="")
    new.add_argument("--date", default=None, help="ngày báo cáo")
    new.add_argument("--from", dest="start_from", choices=("empty", "previous", "parts"), default="empty",
                     help="bắt đầu từ: empty (trống), previous (báo cáo kỳ trước của mẫu: chép lời văn), parts "
                          "(quý, 6 tháng, 9 tháng, năm: các báo cáo trong kỳ, số liệu tự cộng)")
    new.add_argument("--figures", choices=("clear", "previous"), default="clear",
                     help="với --from previous: clear (xóa số liệu) hoặc previous (giữ số kỳ trước để so sánh)")
    show = report_sub.add_parser("show", parents=[common])
    show.add_argument("id")
    fill = report_sub.add_parser("fill", parents=[common])
    fill.add_argument("id")
    fill.add_argument("--from", dest="source", required=True, metavar="FILE")
    import_docx = report_sub.add_parser("import-docx", parents=[common],
                                        help="tạo báo cáo mới từ một tệp Word (.docx) đã có, theo mẫu chọn")
    import_docx.add_argument("file", metavar="FILE", help="tệp .docx")
    import_docx.add_argument("--template", required=True, metavar="CODE")
    import_docx.add_argument("--period", required=True, metavar="KỲ",
                             help="như report new: 2026-06-01 (tuần), 2026-06, 2026-Q1, 2026-H1, 2026-9M, 2026, "
                                  "START..END")
    import_docx.add_argument("--number", default="")
    import_docx.add_argument("--date", default=None, help="ngày báo cáo")
    import_docx.add_argument("--figures", action="store_true",
                             help="chỉ in (JSON) các số liệu câu văn trong tệp nêu cho chỉ tiêu của mẫu; không nhập")
    import_docx.add_argument("--accept-figures", default="", metavar="all|CODE.FIELD,…",
                             help="nhập và lưu các số liệu đó (tất cả, hoặc những chỉ tiêu.trường liệt kê) như khi gõ")

    check = sub.add_parser("check", parents=[common], help="kiểm tra số liệu của báo cáo")
    check.add_argument("id")

    export = sub.add_parser("export", parents=[common], help="xuất văn bản")
    export.add_argument("id")
    export.add_argument("--docx", metavar="OUT", required=True)
    export.add_argument("--pdf", metavar="OUT", help="cũng xuất PDF (cần LibreOffice)")

    proofread = sub.add_parser("proofread", parents=[common], help="soát lỗi văn bản (.docx, .txt): số liệu, ngày, tên, số thứ tự")
    proofread.add_argument("file", metavar="FILE", help="tệp .docx hoặc .txt")
    proofread.add_argument("--unit", action="store_true",
                           help="dùng thông tin đơn vị trong cơ sở dữ liệu (tên, cấp xã/phường, ngày thành lập)")
    from .cli_exchange import add_exchange_parsers  # bundle, inbox, aggregate, unit key/register/registry
    add_exchange_parsers(sub, unit_sub, common)
    from .cli_signoff import add_signoff_parsers  # report status, unit signer
    add_signoff_parsers(report_sub, unit_sub, common)
    from .cli_backup import add_backup_parsers  # backup create/list/restore
    add_backup_parsers(sub, common)
    return parser


def _utf8_streams() -> None:
    """Vietnamese output must survive a Windows pipe (whose default code page is not UTF-8)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    _utf8_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return _run(args)
    except BadInput as exc:
        print(f"baocao: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` and the like
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 (a bug: its traceback goes to the log, the user gets where)
        from .services import logs
        from .domain.error_text import environment_error_text
        path = logs.log_bug(exc, f"baocao {args.command}")
        machine = environment_error_text(exc)  # disk full, no permission…: the user can act on it
        if machine is not None:
            print(f"baocao: {machine}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"baocao: Lỗi chương trình: lệnh chưa chạy xong. Chi tiết lỗi đã được ghi vào tệp nhật ký: "
              f"{path}", file=sys.stderr)
        return EXIT_BUG


def _workspace(args):
    from .services.workspace import Workspace
    try:
        return Workspace(args.db)
    except UserError as exc:
        raise BadInput(exc.with_hint()) from None


def _run(args) -> int:
    if args.command == "backup":  # works on the file itself, even one that cannot be opened
        from .cli_backup import run_backup
        return run_backup(args)
    # proofreading a file needs no database, unless the unit's own facts are asked for
    ws = None if (args.command == "proofread" and not args.unit) or (
        args.command == "template" and args.template_command == "from-outline") else _workspace(args)
    try:
        handler = {
            "demo": _demo, "unit": _unit, "template": _template, "report": _report,
            "check": _check, "export": _export, "proofread": _proofread,
            "bundle": _exchange("run_bundle"), "inbox": _exchange("run_inbox"),
            "aggregate": _exchange("run_aggregate"),
        }[args.command]
        return handler(ws, args)
    except UserError as exc:
        raise BadInput(exc.with_hint()) from None
    except sqlite3.OperationalError as exc:  # a write outside Store.transaction found the lock held
        from .store.db import BUSY_MESSAGE, is_busy
        if is_busy(exc):
            raise BadInput(BUSY_MESSAGE) from None
        raise
    finally:
        if ws is not None:
            ws.close()


def _demo(ws, args) -> int:
    from .services.demo import load_demo
    ids = load_demo(ws)
    print_result(args, {"unit": ws.own_unit().name, "reports": ids},
           f"Đã nạp dữ liệu mẫu: {ws.own_unit().name}, {len(ids)} báo cáo ({ws.path}).")
    return 0


def _handler(module: str, name: str):
    """A handler from another cli module (cli_exchange, cli_signoff), imported only when its command runs."""
    def handler(ws, args) -> int:
        import importlib
        return getattr(importlib.import_module(f".{module}", __package__), name)(ws, args)
    return handler


def _exchange(name: str):
    return _handler("cli_exchange", name)


def _signoff(name: str):
    return _handler("cli_signoff", name)


def _unit(ws, args) -> int:
    if args.unit_command in ("key", "register", "registry"):
        return _exchange("run_unit")(ws, args)
    if args.unit_command == "signer":
        return _signoff("run_unit_signer")(ws, args)
    if args.unit_command == "set":
        fields = {k: getattr(args, k) for k in ("name", "level", "upper_body", "place_name", "symbol",
                                                "format", "founded_on") if getattr(args, k) is not None}
        ws.save_unit(**fields)
    elif args.unit_command == "fact":
        ws.add_profile_fact(args.code, args.label, args.value, args.unit, args.as_of, args.names)
    unit = ws.own_unit()
    if unit is None:
        raise BadInput("Chưa thiết lập đơn vị: baocao unit set --name \"Đảng ủy xã …\" hoặc baocao demo.")
    facts = ws.profile_facts()
    data = {
        "id": unit.id, "name": unit.name, "level": unit.level, "upper_body": unit.upper_body,
        "place_name": unit.place_name, "symbol": unit.symbol, "format": unit.format,
        "founded_on": unit.founded_on.isoformat() if unit.founded_on else None,
        "signers": [{"id": s.id, "on_behalf": s.on_behalf, "title": s.title, "name": s.name} for s in ws.signers()],
        "profile": [{"code": f.code, "label": f.label, "value": _fmt(f.value), "unit": f.unit,
                     "as_of": f.as_of.isoformat(), **({"names": list(f.names)} if f.names else {})} for f in facts],
    }
    lines = [f"{unit.name} ({unit.upper_body}); địa danh: {unit.place_name}"]
    lines += [f"  {f.label or f.code}: {_fmt(f.value)} {f.unit} (từ {format_date(f.as_of)})"
              + (f": {', '.join(f.names)}" if f.names else "") for f in facts]
    print_result(args, data, "\n".join(lines))
    return 0


def _fmt(value) -> str:
    from .domain.numbers import format_number
    return format_number(value)


def _template(ws, args) -> int:
    if args.template_command == "from-outline":
        return _template_from_outline(args)
    if args.template_command == "import":
        from .services.template_packs import STATUS_LABELS, import_pack
        done = import_pack(ws, args.file)
        print_result(args, done.to_json(),
               "\n".join([done.message] + [f"{c}\tv{v}\t{STATUS_LABELS[s]}" for c, v, s in done]))
        return 0
    if args.template_command == "export":
        from .services.template_packs import export_pack
        path = export_pack(ws, [args.code], args.out, sign=args.sign)
        template = ws.template(args.code)
        signed = {}
        note = ("\nGói chưa ký: đơn vị khác sẽ không nhập được. Để gửi xuống các xã, xuất lại với --sign."
                if not args.sign else "")
        if args.sign:
            from .services.exchange import own_key
            key = own_key(ws)
            signed = {"signed_by": ws.own_unit().name, "fingerprint": key.fingerprint}
            note = f"\nĐã ký bằng khóa của {ws.own_unit().name}, mã khóa {key.fingerprint}."
        print_result(args, {"pack": str(path), "templates": [{"code": template.code, "version": template.version}],
                      "signed": args.sign, **signed},
               f"Đã xuất mẫu {template.code} v{template.version} vào {path}{note}")
        return 0
    from .services.template_editing import template_rows
    rows = template_rows(ws)
    data = {"templates": [{"code": t.code, "version": t.version, "name": t.name, "period": t.period,
                           "format": t.format, "due": t.due,
                           "origin": t.origin, "origin_label": t.origin_label, "self_made": t.self_made}
                          for t in rows]}
    print_result(args, data, "\n".join(f"{t.code}\tv{t.version}\t{t.name}" + ("\t(mẫu tự tạo)" if t.self_made else "")
                                        for t in rows))
    return 0


def _template_from_outline(args) -> int:
    from .templates.outline import outline_from_file
    outline = outline_from_file(args.file)
    text = outline.to_yaml(code=args.code, name=args.name)
    template = outline.template(code=args.code, name=args.name)  # what is written always loads
    if args.out:
        out = Path(args.out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise BadInput(f"Không ghi được tệp “{out}”: {os_error_reason(exc)}.") from None
    if args.json:
        data = outline.to_json()
        data.update({"code": template.code, "name": template.name})
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.out:
        count = sum(1 for _ in template.walk())
        print(f"Đã ghi mẫu “{template.name}” ({template.code}): {count} mục, {len(template.indicators)} chỉ tiêu "
              f"gợi ý, vào {args.out}. Rà soát rồi nhập bằng: baocao template import {args.out}")
    else:
        print(text, end="")
    return 0


def _report_summary(ws, report) -> dict:
    unit = ws.own_unit()
    return {
        "id": report.id, "template": report.template_code, "template_version": report.template_version,
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        "number": report.number, "date": report.report_date.isoformat() if report.report_date else None,
        "status": report.status,
        "unit": unit.name if unit and unit.id == report.unit_id else ws.unit(report.unit_id).name,  # received
    }


def _period_arg(ws, args):
    """`--period` read for the template's kind of period (2026-06, 2026-Q1, a Monday, START..END…)."""
    from .domain.dates import parse_period
    return parse_period(args.period, ws.template(args.template).period)


def _report(ws, args) -> int:
    if args.report_command == "status":
        return _signoff("run_report_status")(ws, args)
    if args.report_command == "list":
        reports = ws.list_reports(own_only=False)  # received reports too, each with its unit
        print_result(args, {"reports": [_report_summary(ws, r) for r in reports]},
               "\n".join(f"{r.id[:8]}  {ws.report_template(r).name}  "
                         f"{r.period.label()}  {r.status_label}" for r in reports) or "Chưa có báo cáo.")
    elif args.report_command == "new":
        period = _period_arg(ws, args)
        problem = ws.number_problem(args.template, args.number or "")
        if problem:
            raise UserError(problem)
        from .services import report_migration
        gaps: list[str] = []
        if args.start_from == "previous":
            report = report_migration.create_from_previous(ws, args.template, period.start, period.end,
                                                           number=args.number, report_date=args.date,
                                                           figures=args.figures)
        elif args.start_from == "parts":
            report, gaps = report_migration.create_from_parts(ws, args.template, period.start, period.end,
                                                              number=args.number, report_date=args.date)
        else:
            report = ws.create_report(args.template, period.start, period.end, number=args.number,
                                      report_date=args.date)
        missing = f" Chưa có số liệu: {', '.join(gaps)}." if gaps else ""
        print_result(args, {**_report_summary(ws, report), **({"gaps": gaps} if gaps else {})},
                     f"Đã tạo báo cáo {report.id} ({report.period.label()}).{missing}")
    elif args.report_command == "show":
        data = ws.report_json(resolve_report(ws, args.id))
        if args.json:
            print_result(args, data, "")
        else:
            lines = [f"{data['template']} {data['period']['start']}–{data['period']['end']} ({data['status']})"]
            for path, section in data["sections"].items():
                if section["text"]:
                    lines.append(f"\n{section['title']}\n{section['text']}")
            print("\n".join(lines))
    elif args.report_command == "fill":
        report_id = resolve_report(ws, args.id)
        source = Path(args.source)
        try:
            data = json.loads(source.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise BadInput(f"Không tìm thấy tệp “{source}”.") from None
        except UnicodeDecodeError:
            raise BadInput(f"Tệp “{source}” không phải JSON hợp lệ (không phải văn bản UTF-8).") from None
        except json.JSONDecodeError as exc:
            raise BadInput(f"Tệp “{source}” không phải JSON hợp lệ (lỗi ở dòng {exc.lineno}, cột {exc.colno}).") \
                from None
        ws.fill_report(report_id, data)
        print_result(args, {"id": report_id, "filled": True}, "Đã điền báo cáo.")
    elif args.report_command == "import-docx":
        from .services.docx_import import import_docx_report, propose_figures
        if args.figures:
            from .services.figures_from_text import fill_data
            notes: list[str] = []
            proposals = propose_figures(ws, args.file, args.template, notes)
            print(json.dumps({"template": args.template, "figures": [p.to_json() for p in proposals],
                              "fill": fill_data(proposals), "notes": notes}, ensure_ascii=False, indent=2))
            return 0
        accepted = args.accept_figures.strip()
        figures = "all" if accepted == "all" else [tuple(key.strip().rsplit(".", 1)) for key in accepted.split(",")
                                                     if key.strip()]
        bad = [".".join(key) for key in figures if len(key) != 2] if figures != "all" else []
        if bad:
            raise BadInput(f"--accept-figures: “{bad[0]}” phải viết dạng MÃ_CHỈ_TIÊU.TRƯỜNG (ví dụ lua_mua_dien_tich.actual) "
                           "hoặc all.")
        period = _period_arg(ws, args)
        result = import_docx_report(ws, args.file, args.template, period.start, period.end, number=args.number,
                                    report_date=args.date, figures=figures)
        found = result.header.descriptions()
        print_result(args, {"id": result.report_id, "sections": sorted(result.sections),
                      "unmatched_headings": result.unmatched_headings,
                      "unplaced_paragraphs": result.unplaced_paragraphs, "footnotes": result.footnotes,
                      "header": result.header.to_json(), "header_set": result.header_set,
                      "figures": [p.to_json() for p in result.figures],
                      "figures_set": [".".join(key) for key in result.figures_set], "notes": result.notes},
               f"Đã nhập {Path(args.file).name} thành báo cáo {result.report_id}: {result.summary()}"
               + "".join(f"\n  {line}" for line in found))
    return 0


def _check(ws, args) -> int:
    findings = ws.check(resolve_report(ws, args.id))
    from .checks.findings import SEVERITY_LABELS
    print_result(args, {"findings": [f.to_json() for f in findings]},
           "\n".join(f"[{SEVERITY_LABELS[f.severity]}] {f.section or ''} {f.message}".replace("  ", " ")
                     for f in findings) or "Không phát hiện lỗi.")
    return 0


def _export(ws, args) -> int:
    report_id = resolve_report(ws, args.id)
    path = ws.export_docx(report_id, args.docx)
    notice = ws.export_notice(report_id)
    data = {"docx": str(path), "draft": notice.is_draft, "open_errors": notice.errors,
            "open_warnings": notice.warnings}
    text = f"Đã xuất {path}" + (f"\n{notice.text()}" if notice.text() else "")
    if args.pdf:
        from .document.pdf import PdfError, docx_to_pdf, find_soffice
        if find_soffice() is None:
            print_result(args, data, text)
            raise BadInput(f"Chưa cài LibreOffice nên chưa xuất được PDF (tệp DOCX đã ghi: {path}). "
                           "Cài LibreOffice rồi chạy lại, hoặc mở tệp DOCX bằng Word và chọn Lưu thành PDF.")
        try:
            pdf = docx_to_pdf(path, args.pdf)
        except PdfError as exc:
            print_result(args, data, text)
            raise BadInput(f"{exc} (Tệp DOCX đã ghi: {path}.)") from None
        data["pdf"] = str(pdf)
        text += f"\nĐã xuất {pdf} (bằng LibreOffice)"
    print_result(args, data, text)
    return 0


def _proofread(ws, args) -> int:
    from .checks.findings import SEVERITY_LABELS
    from .checks.proofread import ProofreadContext, ProofreadInputError, proofread_file
    context = None
    if ws is not None:
        unit = ws.own_unit()
        if unit is None:
            raise BadInput("Chưa thiết lập đơn vị: baocao unit set --name \"Đảng ủy xã …\" (hoặc bỏ --unit).")
        context = ProofreadContext.from_unit(unit)
    try:
        findings = proofread_file(args.file, context)
    except ProofreadInputError as exc:
        raise BadInput(str(exc)) from None

    def where(f) -> str:
        if f.footnote is not None:
            return f"chú thích {f.footnote}"
        if f.line is not None:
            return f"dòng {f.line}"
        if f.paragraph is not None:
            return f"đoạn {f.paragraph + 1}"
        return ""
    print_result(args, {"findings": [f.to_json() for f in findings]},
           "\n".join(f"{where(f)}: [{SEVERITY_LABELS[f.severity]}] {f.message}" for f in findings)
           or "Không phát hiện lỗi.")
    return 0
