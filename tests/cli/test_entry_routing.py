"""`python -m baocao_desktop` routing: GUI options alone open the app; a subcommand after `--db PATH` is the
command line (the fault campaign found `--db X bundle import F` opening the GUI and waiting forever)."""
from baocao_desktop import __main__ as entry


def test_gui_options_alone_open_the_app():
    for argv in (["--db", "x.sqlite3"], ["--demo"], ["--db=x.sqlite3", "--demo"], ["--db", "x", "-platform", "offscreen"]):
        assert entry.gui_options_only(argv), argv


def test_a_subcommand_after_the_database_is_the_command_line(monkeypatch, tmp_path, capsys):
    for argv in (["--db", "x.sqlite3", "bundle", "import", "F"], ["--db=x", "report", "list"], ["bundle", "import"]):
        assert not entry.gui_options_only(argv), argv
    import baocao_desktop.ui.app as app_module
    monkeypatch.setattr(app_module, "run_gui", lambda argv: (_ for _ in ()).throw(AssertionError("GUI opened")))
    code = entry.main(["--db", str(tmp_path / "baocao.sqlite3"), "unit", "show"])
    assert code in (0, 1, 2)
    assert "Traceback" not in capsys.readouterr().err
