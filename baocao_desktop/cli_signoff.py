"""Command line of the sign-off (DESIGN §11): `report status` and the unit's signers (`unit signer`).

`report status ID --to for_signature|signed|sent|draft` takes exactly the steps of the editor's sign-off bar
(ui/editor/signoff_bar.py) through the same Workspace transitions, so the rules are the service's:
- Dự thảo → Trình ký (submit_for_signature), Dự thảo or Trình ký → Đã ký (sign), Trình ký → Dự thảo
  (return_to_draft), Đã ký → Đã gửi (mark_sent), Đã ký or Đã gửi → Dự thảo (unlock, needs --reason);
  any other step is refused with what to do instead; asking for the status a report already has changes
  nothing (exit 0), so a batch can be run again.
- What blocks Trình ký and Ký is services.signoff's one rule (every error, every warning without a giải
  trình): exit 2, the Vietnamese summary and the blocking findings on stderr, and with --json the
  findings as DESIGN §11's findings JSON on stdout.
- `--justify-all TEXT` keeps every open warning with that giải trình before submitting or signing; errors
  are never justifiable, so while one remains nothing is written and the step is refused.
Only this unit's own reports change status here (received reports belong to the level above's screens).

`unit signer add|list|remove` edit the unit's list of signers (Workspace.signers / set_signers), the list
the set-up dialog shows; ids are the signers' ids, a unique prefix accepted.
"""
from __future__ import annotations

from .cli_common import BadInput, print_result, resolve_report

TARGETS = ("for_signature", "signed", "sent", "draft")
JUSTIFIABLE_TARGETS = ("for_signature", "signed")

# (status now, status asked) → (the action's Vietnamese name, the Workspace method), as the sign-off bar's buttons
STEPS = {
    ("draft", "for_signature"): ("trình ký", "submit_for_signature"),
    ("draft", "signed"): ("ký", "sign"),
    ("for_signature", "signed"): ("ký", "sign"),
    ("for_signature", "draft"): ("trả về dự thảo", "return_to_draft"),
    ("signed", "sent"): ("đánh dấu đã gửi", "mark_sent"),
    ("signed", "draft"): ("mở khóa", "unlock"),
    ("sent", "draft"): ("mở khóa", "unlock"),
}

# what to do instead of an impossible step, by the status asked
INSTEAD = {
    "for_signature": "báo cáo đã ký thì không trình ký lại được; muốn sửa, mở khóa trước: "
                     "--to draft --reason \"lý do\"",
    "signed": "báo cáo đã gửi là báo cáo đã ký; muốn sửa, mở khóa trước: --to draft --reason \"lý do\"",
    "sent": "chỉ báo cáo “Đã ký” mới đánh dấu đã gửi được; ký trước: --to signed",
}


def add_signoff_parsers(report_sub, unit_sub, common) -> None:
    from .cli_common import VietnameseArgumentParser as P

    status = report_sub.add_parser(
        "status", parents=[common], help="chuyển trạng thái: trình ký, ký, đánh dấu đã gửi, trả về/mở khóa",
        description="Chuyển trạng thái báo cáo theo đúng quy tắc của nút trong màn hình soạn thảo: còn lỗi, "
                    "hoặc cảnh báo chưa có giải trình, thì chưa trình ký, chưa ký được (mã thoát 2).")
    status.add_argument("id", metavar="ID", help="mã báo cáo (gõ vài ký tự đầu là đủ)")
    status.add_argument("--to", required=True, choices=TARGETS,
                        help="for_signature: Trình ký; signed: Ký (hoàn tất, khóa nội dung); sent: Đã gửi; "
                             "draft: trả về Dự thảo (báo cáo đã ký: mở khóa, cần --reason)")
    status.add_argument("--reason", metavar="TEXT", help="lý do mở khóa báo cáo đã ký (ghi vào nhật ký)")
    status.add_argument("--justify-all", metavar="TEXT",
                        help="ghi cùng một giải trình cho mọi cảnh báo chưa có giải trình, rồi mới trình ký/ký "
                             "(lỗi thì không giải trình được: phải sửa)")

    signer = unit_sub.add_parser("signer", parents=[common], help="người ký văn bản của đơn vị")
    signer_sub = signer.add_subparsers(dest="signer_command", required=True, parser_class=P)
    add = signer_sub.add_parser("add", parents=[common], help="thêm người ký (cuối danh sách)")
    add.add_argument("--on-behalf", required=True, metavar="TEXT",
                     help="dòng thẩm quyền, ví dụ “T/M BAN THƯỜNG VỤ” hoặc “KT. BÍ THƯ”")
    add.add_argument("--title", required=True, metavar="TEXT", help="chức vụ, ví dụ “PHÓ BÍ THƯ”")
    add.add_argument("--name", required=True, metavar="TEXT", help="họ và tên")
    signer_sub.add_parser("list", parents=[common], help="danh sách người ký (người đầu tiên ký mặc định)")
    remove = signer_sub.add_parser("remove", parents=[common], help="xóa người ký khỏi danh sách")
    remove.add_argument("id", metavar="ID", help="mã người ký (xem: baocao unit signer list)")


# == report status ===============================================================================
def run_report_status(ws, args) -> int:
    from .domain.model import STATUS_LABELS
    from .services.errors import ServiceError
    from .services.signoff import ERROR_NOT_JUSTIFIABLE, SignOffBlocked, blocking_findings

    report_id = resolve_report(ws, args.id)
    report = ws.report(report_id, with_content=False)
    unit = ws.require_unit()
    if report.unit_id != unit.id:
        raise BadInput(f"Báo cáo {report_id[:8]} do đơn vị khác gửi lên: trạng thái của nó do đơn vị đó đổi, "
                       "không đổi ở đây được.")
    current, target = report.status, args.to
    if args.justify_all is not None and target not in JUSTIFIABLE_TARGETS:
        raise BadInput("--justify-all chỉ dùng khi trình ký hoặc ký (--to for_signature hoặc --to signed).")
    if args.reason is not None and target != "draft":
        raise BadInput("--reason là lý do mở khóa báo cáo đã ký, chỉ dùng với --to draft.")
    now, asked = STATUS_LABELS[current], STATUS_LABELS[target]
    if current == target:
        print_result(args, _status_json(report_id, current, current, []),
                     f"Báo cáo {report_id[:8]} đã ở trạng thái “{now}”: không có gì thay đổi.")
        return 0
    if (current, target) not in STEPS:
        raise BadInput(f"Không thể chuyển báo cáo {report_id[:8]} từ “{now}” sang “{asked}”: {INSTEAD[target]}.")
    action, method = STEPS[current, target]

    justified = []
    if args.justify_all is not None:
        findings = ws.check(report_id)
        errors = [f for f in findings if f.severity == "error"]
        if errors:  # all or nothing: no reason is written while the step cannot be taken anyway
            _refuse_blocked(ws, args, report, action, blocking_findings(findings),
                            f"{ERROR_NOT_JUSTIFIABLE} Chưa ghi giải trình nào.")
        justified = ws.justify_open_warnings(report_id, args.justify_all)

    try:
        if method == "unlock":  # the service's rule and message for the reason, as the GUI shows it
            ws.unlock(report_id, args.reason or "")
        else:
            getattr(ws, method)(report_id)
    except SignOffBlocked as exc:
        _refuse_blocked(ws, args, report, action, exc.findings)
    except ServiceError as exc:
        hint = ""
        if method == "unlock":
            hint = ("\nDòng lệnh: ghi --reason rõ hơn (vì sao mở khóa, sửa gì)." if args.reason else
                    "\nDòng lệnh: thêm --reason \"lý do mở khóa\".")
        raise BadInput(f"{exc.with_hint()}{hint}") from None
    lines = []
    if justified:
        lines.append(f"Đã ghi giải trình cho {len(justified)} cảnh báo.")
    lines.append(f"Báo cáo {report_id[:8]}: “{now}” → “{asked}”.")
    if target == "signed":
        lines.append("Nội dung đã khóa; muốn sửa phải mở khóa và ghi lý do.")
    print_result(args, _status_json(report_id, current, target, justified), "\n".join(lines))
    return 0


def _status_json(report_id: str, previous: str, status: str, justified: list) -> dict:
    return {"id": report_id, "previous_status": previous, "status": status, "changed": previous != status,
            "justified": [f.to_json() for f in justified]}


def _refuse_blocked(ws, args, report, action: str, blocking: list, advice: str = ""):
    """Exit 2 as the editor's “Chưa thể …” dialog: the summary, the errors to fix, the warnings that need a
    giải trình, on stderr; with --json also the findings on stdout, as `check --json` prints them."""
    from .services.signoff import blocked_summary
    if args.json:
        print_result(args, {"findings": [f.to_json() for f in blocking]}, "")
    template = ws.report_template(report)

    def line(finding) -> str:
        section = template.section(finding.section) if finding.section else None
        # the section by its full number (II.1.2.đ), unless the message already names it
        where = f" (mục {finding.section})" if section and section.title not in finding.message else ""
        return f"  - {finding.message}{where}"
    errors = [f for f in blocking if f.severity == "error"]
    warnings = [f for f in blocking if f.severity != "error"]
    lines = [f"{blocked_summary(action, blocking)}."]
    if errors:
        lines += [f"Lỗi phải sửa ({len(errors)}):"] + [line(f) for f in errors]
    if warnings:
        lines += [f"Cảnh báo cần giải trình ({len(warnings)}):"] + [line(f) for f in warnings]
    if advice:
        lines.append(advice)
    elif warnings:
        lines.append("Cảnh báo có thể giữ lại nếu ghi giải trình: thêm --justify-all \"giải trình\" (hoặc giải "
                     "trình từng cảnh báo trong màn hình soạn thảo)." + (" Lỗi thì phải sửa." if errors else ""))
    raise BadInput("\n".join(lines))


# == unit signer =================================================================================
def run_unit_signer(ws, args) -> int:
    ws.require_unit()
    signers = ws.signers()
    if args.signer_command == "add":
        return _add_signer(ws, args, signers)
    if args.signer_command == "remove":
        return _remove_signer(ws, args, signers)
    data = {"signers": [_signer_json(s) for s in signers]}
    text = "\n".join(f"{s.id[:8]}  {_signer_text(s)}" + ("  (ký mặc định cho báo cáo mới)" if i == 0 else "")
                     for i, s in enumerate(signers)) or (
        "Chưa có người ký. Thêm: baocao unit signer add --on-behalf \"T/M BAN THƯỜNG VỤ\" --title \"BÍ THƯ\" "
        "--name \"Họ và tên\"")
    print_result(args, data, text)
    return 0


def _signer_json(signer) -> dict:
    return {"id": signer.id, "on_behalf": signer.on_behalf, "title": signer.title, "name": signer.name}


def _signer_text(signer) -> str:
    """“Lù Văn Chính — T/M BAN THƯỜNG VỤ, BÍ THƯ”"""
    role = ", ".join(part for part in (signer.on_behalf, signer.title) if part)
    return f"{signer.name} — {role}" if role else signer.name


def _rows(signers) -> list[dict]:
    return [_signer_json(s) for s in signers]


def _add_signer(ws, args, signers) -> int:
    from .domain import richtext
    new = {key: richtext.normalize(value).strip()
           for key, value in (("on_behalf", args.on_behalf), ("title", args.title), ("name", args.name))}
    if not new["name"]:
        raise BadInput("Họ tên người ký không được để trống.")
    same = next((s for s in signers if (s.on_behalf, s.title, s.name) == (new["on_behalf"], new["title"],
                                                                        new["name"])), None)
    if same is not None:
        print_result(args, {"added": False, "signer": _signer_json(same)},
                     f"Người ký này đã có trong danh sách ({same.id[:8]}): không thêm.")
        return 0
    known = {s.id for s in signers}
    saved = ws.set_signers(_rows(signers) + [new])
    added = next(s for s in saved if s.id not in known)
    print_result(args, {"added": True, "signer": _signer_json(added)},
                 f"Đã thêm người ký {added.id[:8]}: {_signer_text(added)}.")
    return 0


def _remove_signer(ws, args, signers) -> int:
    matches = [s for s in signers if s.id.startswith(args.id)]
    if not matches:
        raise BadInput(f"Không có người ký mã “{args.id}”. Xem danh sách: baocao unit signer list")
    if len(matches) > 1:
        raise BadInput(f"Mã “{args.id}” khớp với {len(matches)} người ký; hãy gõ thêm ký tự.")
    [gone] = matches
    ws.set_signers(_rows(s for s in signers if s.id != gone.id))
    # a report still naming this signer would print no signature block: say which ones to change
    naming = [r for r in ws.list_reports() if r.signer_id == gone.id and not r.locked]
    text = f"Đã xóa người ký {gone.id[:8]}: {_signer_text(gone)}."
    if naming:
        text += (f"\nLưu ý: {len(naming)} báo cáo chưa ký đang chọn người ký này ("
                 + ", ".join(r.id[:8] for r in naming) + "); hãy chọn lại người ký trong các báo cáo đó.")
    print_result(args, {"removed": _signer_json(gone), "reports_naming_it": [r.id for r in naming]}, text)
    return 0
