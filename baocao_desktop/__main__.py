"""`python -m baocao_desktop` (or `baocao`): no arguments opens the app, otherwise the command line."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    gui_options = {"--db", "--demo"}
    if not argv or (argv[0] in gui_options):
        from .ui.app import run_gui
        return run_gui(argv)
    from .cli import main as cli_main
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
