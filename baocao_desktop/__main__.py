"""`python -m baocao_desktop` (or `baocao`): no arguments opens the app, otherwise the command line."""
from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or gui_options_only(argv) or opens_transfer_file(argv):
        # The cyclic garbage collector finds nothing among the modules and Qt types made at start-up, and
        # its passes there cost a few ms: run_gui turns it back on once the main window is painted.
        gc.disable()
        try:
            from .ui.app import run_gui
            return run_gui(argv)
        finally:
            gc.enable()  # whatever happened before the paint (run_gui normally turns it on there)
    from .cli import main as cli_main
    return cli_main(argv)


def gui_options_only(argv: list[str]) -> bool:
    """`--db PATH` and/or `--demo` (then Qt's own `-options`) open the app; `--db PATH bundle import …`
    is the command line with its database given first (the CLI takes --db before or after the subcommand)."""
    if argv[0] not in ("--db", "--demo") and not argv[0].startswith("--db="):
        return False
    rest = list(argv)
    while rest and (rest[0] in ("--db", "--demo") or rest[0].startswith("--db=")):
        rest = rest[2:] if rest[0] == "--db" else rest[1:]
    return not rest or rest[0].startswith("-")


def opens_transfer_file(argv: list[str]) -> bool:
    """`BaoCao.exe "E:\\thang6.baocao"`: Explorer opening a transfer file through the installer's .baocao
    association (installer/baocao.nsi) starts the GUI (which receives the path in its arguments)
    instead of failing as an unknown subcommand."""
    return len(argv) == 1 and argv[0].lower().endswith(".baocao") and not argv[0].startswith("-")


if __name__ == "__main__":
    sys.exit(main())
