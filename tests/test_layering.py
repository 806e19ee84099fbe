"""DESIGN §4: nothing outside ui/ imports PySide6. Import every such module with PySide6 blocked."""
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "baocao_desktop"

BLOCKER = r"""
import sys, importlib, importlib.abc, pkgutil
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name == "shiboken6":
            raise ImportError("PySide6 is blocked outside ui/: " + name)
sys.meta_path.insert(0, Block())
import baocao_desktop
failed = []
count = 0
for info in pkgutil.walk_packages(baocao_desktop.__path__, "baocao_desktop."):
    if info.name.startswith("baocao_desktop.ui"):
        continue
    try:
        importlib.import_module(info.name)
        count += 1
    except ImportError as exc:
        failed.append(f"{info.name}: {exc}")
print(count)
if failed:
    print("\n".join(failed))
    sys.exit(1)
"""


def non_ui_modules():
    return [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts]


def test_no_module_outside_ui_needs_pyside6():
    result = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # every module outside ui/ was really imported (the walk did not silently skip them)
    assert int(result.stdout.split()[0]) >= len([p for p in non_ui_modules() if p.name != "__init__.py"])


def test_blocker_really_blocks():
    code = BLOCKER.replace("import baocao_desktop\n", "import PySide6.QtCore\nimport baocao_desktop\n", 1)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "blocked" in result.stderr


# == the shape of the packages (DESIGN §4): no cycles, no private names across packages, SQL in store/ ==
import ast  # noqa: E402

ROOT = PACKAGE.parent
SQL_METHODS = {"execute", "executemany", "executescript", "query"}

# exchange/bundle.py reads and writes a transfer file's own payload: the format it owns (DESIGN §10).
SQL_ALLOWED = (
    "exchange/bundle.py",
)
PRIVATE_IMPORT_ALLOWED: set[tuple[str, str, str]] = set()
CYCLE_EDGE_ALLOWED: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(tree: ast.AST, module: str, is_package: bool = False) -> list[tuple[str, list[str]]]:
    """(imported module, names imported from it) for every import anywhere in the module (function-level
    ones too), relative imports resolved against `module`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            found.append((target, names))
            # `from package import module` imports the module too
            found += [(f"{target}.{name}", []) for name in names]
    return found


def package_node(module: str) -> str | None:
    """The subpackage (or top-level module) of baocao_desktop a module belongs to."""
    parts = module.split(".")
    if parts[0] != "baocao_desktop" or len(parts) < 2:
        return None
    return parts[1]


def _is_top_level_module(node: str) -> bool:
    return not (ROOT / "baocao_desktop" / node / "__init__.py").exists()


def sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def import_graph(files) -> dict[str, dict[str, list[str]]]:
    """Subpackage → subpackage it imports → the files (and targets) that make the edge."""
    known = {module_name(path) for path, _, _ in files}
    graph: dict[str, dict[str, list[str]]] = {}
    for path, rel, tree in files:
        module = module_name(path)
        source = package_node(module)
        for target, _names in imports_of(tree, module, path.name == "__init__.py"):
            if target not in known:
                continue
            node = package_node(target)
            if not node or node == source or (rel, target) in CYCLE_EDGE_ALLOWED:
                continue
            # modules at the top (cli.py, cli_exchange.py) are one package: only subpackages are nodes apart
            if not (_is_top_level_module(source) and _is_top_level_module(node)):
                graph.setdefault(source, {}).setdefault(node, []).append(f"{rel} → {target}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Every strongly connected group of more than one package (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(set(graph) | {n for targets in graph.values() for n in targets}):
        if node not in index:
            visit(node)
    return found


def private_imports(files) -> list[str]:
    """`from other.package import _name`: a private name used across packages."""
    known = {module_name(path) for path, _, _ in files}
    bad = []
    for path, rel, tree in files:
        module = module_name(path)
        own_package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for target, names in imports_of(tree, module, path.name == "__init__.py"):
            target_package = target if f"{target}.__init__" in known or _is_package(target) else target.rpartition(".")[0]
            if target_package == own_package or not target.startswith("baocao_desktop"):
                continue
            for name in names:
                if name.startswith("_") and not name.startswith("__") and (rel, target, name) not in PRIVATE_IMPORT_ALLOWED:
                    bad.append(f"{rel}: from {target} import {name}")
    return bad


def _is_package(module: str) -> bool:
    return (ROOT / module.replace(".", "/") / "__init__.py").exists()


def sql_calls(tree: ast.AST) -> list[int]:
    """Lines that run SQL: .execute/.executemany/.executescript/.query calls and sqlite-utils table access
    (`db["table"]`, `store.db[...]`, `db.table(...)`)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SQL_METHODS:
                lines.append(node.lineno)
            elif node.func.attr == "table" and _names_db(node.func.value):
                lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and _names_db(node.value):
            lines.append(node.lineno)
    return sorted(lines)


def _names_db(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "db") or (isinstance(node, ast.Attribute) and node.attr == "db")


def test_no_import_cycle_between_packages():
    graph = import_graph(list(sources()))
    found = cycles(graph)
    detail = [f"{' ⇄ '.join(group)}: " + "; ".join(
        edge for a in group for b in group if b in graph.get(a, {}) for edge in graph[a][b][:3]) for group in found]
    assert not found, "\n".join(detail)


def test_templates_do_not_import_checks():
    graph = import_graph(list(sources()))
    assert "checks" not in graph.get("templates", {}), graph.get("templates", {}).get("checks")


def test_no_private_name_imported_across_packages():
    bad = private_imports(list(sources()))
    assert not bad, "\n".join(bad)


def test_sql_only_in_store():
    bad = []
    for _path, rel, tree in sources():
        if rel.startswith("store/") or any(rel == allowed or (allowed.endswith("/") and rel.startswith(allowed))
                                           for allowed in SQL_ALLOWED):
            continue
        bad += [f"{rel}:{line}" for line in sql_calls(tree)]
    assert not bad, "SQL outside store/ (put it in a store/ query module):\n" + "\n".join(bad)


# -- the detectors themselves find what they look for ----------------------------------------------------
def _fake_files(tmp_path, files: dict[str, str]):
    made = []
    for rel, text in files.items():
        path = tmp_path / "baocao_desktop" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path in sorted((tmp_path / "baocao_desktop").rglob("*.py")):
        made.append((path, path.relative_to(tmp_path / "baocao_desktop").as_posix(), ast.parse(path.read_text())))
    return made


def test_cycle_detector_finds_a_function_level_cycle(tmp_path, monkeypatch):
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    files = _fake_files(tmp_path, {
        "__init__.py": "", "a/__init__.py": "", "b/__init__.py": "", "c/__init__.py": "",
        "a/one.py": "from ..b.two import f\n",
        "b/two.py": "def f():\n    from baocao_desktop.c import three\n",
        "c/three.py": "def g():\n    from ..a import one\n",
    })
    assert cycles(import_graph(files)) == [["a", "b", "c"]]
    files = _fake_files(tmp_path, {"c/three.py": "import os\n"})
    assert cycles(import_graph(files)) == []
    files = _fake_files(tmp_path, {"top.py": "from .other import x\n", "other.py": "from .top import y\n"})
    assert cycles(import_graph(files)) == []  # two modules of the same (top) package


def test_private_import_detector(tmp_path, monkeypatch):
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    files = _fake_files(tmp_path, {
        "__init__.py": "", "a/__init__.py": "", "b/__init__.py": "",
        "a/one.py": "def _helper(): pass\n",
        "a/same.py": "from .one import _helper\n",  # same package: allowed
        "b/two.py": "from ..a.one import _helper, public\n",
    })
    assert private_imports(files) == ["b/two.py: from baocao_desktop.a.one import _helper"]


def test_sql_detector():
    code = (
        "def f(store, ws, db, conn):\n"
        "    conn.execute('SELECT 1')\n"
        "    ws.store.conn.executemany('x', [])\n"
        "    store.db['reports'].update('id', {})\n"
        "    db['units'].insert({})\n"
        "    list(store.db.query('SELECT 1'))\n"
        "    db.table('x')\n"
        "    template.table('t')\n"  # a template's table: not SQL
        "    values['x']\n"
    )
    assert sql_calls(ast.parse(code)) == [2, 3, 4, 5, 6, 7]


# == the interface says what the user can fix, and calls anything else a bug (issue 13 point 5) =========
# An exception that is not a UserError is a bug: its own text ("invalid literal for int()", "[Errno 2] …",
# an English sqlite message) must never reach the user; ui/errors.py logs it and says "Lỗi chương trình".
NOT_USER_ERRORS = {"Exception", "BaseException", "ValueError", "TypeError", "KeyError", "IndexError",
                   "RuntimeError", "OSError", "IOError", "PermissionError", "FileNotFoundError",
                   "sqlite3.Error", "sqlite3.DatabaseError", "AttributeError"}


def shown_exception_texts(tree: ast.AST) -> list[int]:
    """Lines of `except <not a UserError> as e:` handlers whose body puts `e` into a text (str(e), f"{e}")."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ExceptHandler) or not node.name or node.type is None:
            continue
        types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
        if not {ast.unparse(t) for t in types} & NOT_USER_ERRORS:
            continue
        for sub in ast.walk(ast.Module(body=node.body, type_ignores=[])):
            as_text = (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in ("str", "repr")
                       and sub.args and isinstance(sub.args[0], ast.Name) and sub.args[0].id == node.name) or \
                      (isinstance(sub, ast.FormattedValue) and isinstance(sub.value, ast.Name)
                       and sub.value.id == node.name)
            if as_text:
                found.append(node.lineno)
                break
    return found


def test_the_interface_never_shows_the_text_of_a_bug():
    bad = [f"{rel}:{line}" for _path, rel, tree in sources() if rel.startswith("ui/")
           for line in shown_exception_texts(tree)]
    assert not bad, ("A handler shows the text of an exception that is not a UserError (raise a UserError "
                     "where the user can fix it, else use ui.errors.failure_of/show_failure):\n" + "\n".join(bad))


def test_shown_exception_text_detector():
    code = (
        "try:\n    f()\nexcept ValueError as exc:\n    show(str(exc))\n"                  # line 3: found
        "try:\n    f()\nexcept (UserError, OSError) as exc:\n    label(f'x {exc}')\n"   # line 7: found
        "try:\n    f()\nexcept UserError as exc:\n    show(str(exc))\n"                   # a user error: fine
        "try:\n    f()\nexcept Exception as exc:\n    show_failure(None, 't', exc)\n"     # a bug, said as such
    )
    assert shown_exception_texts(ast.parse(code)) == [3, 7]
