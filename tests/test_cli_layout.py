"""The command line's shape: one module per command in cli/commands/, what commands share in
cli/commands/common.py, no command importing another, and no headless command loading Textual
(checked on the source with `ast`, and by running every headless command)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
COMMANDS_DIR = ROOT / "cli" / "commands"
SHARED = "common"  # the one module of helpers every command may import
COMMAND_MODULES = sorted(
    p.stem for p in COMMANDS_DIR.glob("*.py") if p.stem not in ("__init__", SHARED)
)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (function-level imports included), as
    absolute dotted names (`from cli.commands import run` gives `cli.commands.run`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = "cli.commands"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from .x import y
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def sibling_imports(path: Path) -> set[str]:
    """The command modules (other than itself) that `path` imports."""
    siblings = {f"cli.commands.{name}" for name in COMMAND_MODULES} - {f"cli.commands.{path.stem}"}
    return imported_modules(path) & siblings


def test_every_command_in_the_table_has_its_module_and_back() -> None:
    assert sorted(COMMANDS.values()) == COMMAND_MODULES


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_no_command_imports_another(name: str) -> None:
    path = COMMANDS_DIR / f"{name}.py"
    assert not sibling_imports(path), (
        f"{path.relative_to(ROOT)} imports {sorted(sibling_imports(path))}: move what they "
        f"share to cli/commands/{SHARED}.py"
    )


def test_the_shared_module_imports_no_command() -> None:
    path = COMMANDS_DIR / f"{SHARED}.py"
    commands = {f"cli.commands.{name}" for name in COMMAND_MODULES}
    assert not imported_modules(path) & commands


def test_the_check_sees_every_form_of_import(tmp_path: Path) -> None:
    """The checker itself: each way of importing a sibling is caught, the shared module is not."""
    forms = [
        "from cli.commands.run import CommandError",
        "from cli.commands import run",
        "import cli.commands.run",
        "def f():\n    from cli.commands.run import CommandError",
        "from .run import CommandError",
        "from . import run",
    ]
    for source in forms:
        path = tmp_path / "report.py"
        path.write_text(source + "\n", encoding="utf-8")
        assert sibling_imports(path) == {"cli.commands.run"}, source
    path.write_text("from cli.commands.common import fail\nfrom . import common\n", "utf-8")
    assert not sibling_imports(path)


# --- headless commands never load Textual --------------------------------------------------

VALID = ROOT / "tests" / "fixtures" / "valid" / "complete.yaml"

# Every command but `play` (the TUI), each with arguments that make it do its real work; the
# session commands run on the session `run` records.
HEADLESS_RUNS: dict[str, list[str]] = {
    "list": ["list", "--json"],
    "validate": ["validate", str(VALID)],
    "analyze": ["analyze", str(VALID)],
    "test": ["test", str(VALID)],
    "graph": ["graph", str(VALID)],
    "run": ["run", str(VALID), "--choices", "", "--save"],
    "sessions": ["sessions"],
    "resume": ["resume", "{session}"],  # no terminal: prints where the session stands
    "report": ["report", "{session}", "--format", "html"],
    "observe": ["observe", "{session}", "The room hesitated"],
    "plan": ["plan", "{session}", "draft"],
    "export": ["export", "{session}", "--format", "xapi"],
    "serve": ["serve", "{session}"],  # the probe's session is solo: refused, exit 1
    "toolkit": ["toolkit", "GP21"],
    "cohort": ["cohort", "--format", "json"],
    "store": ["store", "copy", "s.sqlite3", "copy.sqlite3"],  # cwd is the db's folder
    "new": ["new", "probe-scenario", "--environment", "transitional", "--region", "X"],
    "schema": ["schema", "--write", "."],
    "import": ["import", str(ROOT / "tests" / "fixtures" / "twine" / "harlowe.twee")],
    "i18n": ["i18n", "check", str(ROOT / "scenarios" / "sahel-gold-and-fuel.yaml")],
    "handout": ["handout", str(ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"), "--format", "md"],
}

PROBE = r"""
import contextlib, io, json, sys
from cli.main import main
from engine.store.sqlite import Store

db, runs = sys.argv[1], json.loads(sys.argv[2])
session = None
for name, argv in runs:
    if session is None and any("{session}" in a for a in argv):
        with Store(db) as store:
            session = store.sessions()[0].id
    argv = [a.replace("{session}", session or "") for a in argv]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--db", db, *argv])
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "tui"))
    print(json.dumps([name, code, loaded[:3]]), flush=True)
"""


def test_the_headless_runs_cover_every_command_but_play() -> None:
    assert set(HEADLESS_RUNS) == set(COMMANDS) - {"play"}


def test_headless_commands_never_import_textual(tmp_path: Path) -> None:
    import json

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            str(tmp_path / "s.sqlite3"),
            json.dumps(list(HEADLESS_RUNS.items())),
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [name for name, _code, _loaded in results] == list(HEADLESS_RUNS)
    for name, code, loaded in results:
        assert loaded == [], f"`nexus-ttx {name}` loaded {loaded}"
        # each really ran: 0, or 1 for `run`, whose (empty) choices run out at a decision,
        # and for `serve`, which serves facilitated sessions only
        assert code == (1 if name in ("run", "serve") else 0), (name, code)
    assert (tmp_path / "probe-scenario.yaml").is_file()
