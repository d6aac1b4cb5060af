"""The shape of the code: no import cycle, short functions, a headless engine.

The import graph is built with `ast` from every module of engine/, tui/ and cli/, imports
inside functions included (they hide cycles from a plain import). Function length counts the
lines from `def` to the last line of the body.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "tui", "cli")
MAX_LINES = 80
GENERATED = ROOT / "engine" / "load" / "_generated"

#: The YAML loader's hot loop: one function on purpose (a call per event costs ~30 %).
LONG_ON_PURPOSE = {"engine/load/yamlload.py::_Builder.build"}

#: Functions over the limit that are being split on another branch (empty: none left). Remove
#: an entry when its function is split (the test says so).
NOT_YET_SPLIT: set[str] = set()

FORBIDDEN_IN_ENGINE = ("textual", "rich", "aiohttp", "jinja2", "tui", "cli")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if GENERATED in path.parents:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _type_only(tree: ast.Module) -> set[ast.AST]:
    """Nodes under `if TYPE_CHECKING:`: imports for annotations, never executed."""
    out: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                out.update(ast.walk(child))
    return out


def _imports(module: str) -> set[str]:
    """Modules of ours that `module` imports when it runs, anywhere in its body (imports
    inside functions included, annotation-only imports under TYPE_CHECKING not)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    skipped = _type_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        for name in names:
            # the longest prefix that is one of our modules (`from x import y`: y may be a name)
            parts = name.split(".")
            while parts and ".".join(parts) not in MODULES:
                parts.pop()
            if parts and ".".join(parts) != module:
                found.add(".".join(parts))
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None (iterative DFS)."""
    colour: dict[str, int] = {}
    for root, children_of_root in graph.items():
        if colour.get(root):
            continue
        stack = [(root, iter(sorted(children_of_root)))]
        path = [root]
        colour[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif not colour.get(child):
                colour[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


def test_the_import_graph_has_no_cycle() -> None:
    graph = {m: _imports(m) for m in MODULES}
    # a package imports its own submodules only through them, never the other way round
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _functions() -> dict[str, int]:
    """`path::Class.function` -> length in lines, for every function of the three packages."""
    out: dict[str, int] = {}
    for path in MODULES.values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()

        def visit(node: ast.AST, prefix: str, rel: str = rel) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    name = prefix + child.name
                    out[f"{rel}::{name}"] = (child.end_lineno or child.lineno) - child.lineno + 1
                    visit(child, name + ".")
                elif isinstance(child, ast.ClassDef):
                    visit(child, prefix + child.name + ".")
                else:
                    visit(child, prefix)

        visit(tree, "")
    return out


def test_no_function_is_longer_than_80_lines() -> None:
    long = {name: n for name, n in _functions().items() if n > MAX_LINES}
    allowed = LONG_ON_PURPOSE | NOT_YET_SPLIT
    assert set(long) <= allowed, {k: v for k, v in long.items() if k not in allowed}
    split = NOT_YET_SPLIT - set(long)
    assert not split, f"now short enough: remove {sorted(split)} from NOT_YET_SPLIT"


ENGINE_MODULES = sorted(m for m in MODULES if m.startswith("engine"))


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_an_engine_module_loads_no_interface(module: str) -> None:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert not loaded & set(FORBIDDEN_IN_ENGINE), sorted(loaded & set(FORBIDDEN_IN_ENGINE))
