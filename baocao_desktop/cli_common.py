"""What every command-line module shares: bad input (exit 2 with a Vietnamese message), the argument
parser that says so in Vietnamese, printing text or JSON, and finding a report by an id prefix."""
from __future__ import annotations

import argparse
import json
import sys

EXIT_BAD_INPUT = 2
EXIT_BUG = 1


class BadInput(Exception):
    """The command cannot run as asked; the message (Vietnamese) goes to stderr, exit status 2."""


class VietnameseArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: lỗi tham số: {message}\nXem hướng dẫn: {self.prog} --help\n")


def print_result(args, data, text: str) -> None:
    """`data` as JSON with --json, else the sentence `text` for a person."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)


def resolve_report(ws, prefix: str) -> str:
    """The report whose id starts with `prefix` (people type a short prefix); BadInput if none or several."""
    ids = [r.id for r in ws.list_reports(own_only=False) if r.id.startswith(prefix)]
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise BadInput(f"Không tìm thấy báo cáo có mã “{prefix}”. Xem danh sách: baocao report list")
    raise BadInput(f"Mã “{prefix}” khớp với {len(ids)} báo cáo; hãy gõ thêm ký tự.")
