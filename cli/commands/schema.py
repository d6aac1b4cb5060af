"""`nexus-ttx schema [--write DIR | --generate | --check]`: the scenario schema for editors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "copy the scenario schema beside your scenarios (for editor completion), or print it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--write",
        metavar="DIR",
        help="copy the schema to DIR/.nexus-ttx/scenario.schema.json (refreshes an older copy)",
    )
    group.add_argument(
        "--generate",
        action="store_true",
        help="(development) rebuild the catalog-derived parts of schemas/scenario.schema.json "
        "from scenarios/toolkit.yaml",
    )
    group.add_argument(
        "--check",
        action="store_true",
        help="(development) exit 1 when schemas/scenario.schema.json and the catalog disagree",
    )


def _generated() -> tuple[Path, str, str]:
    """The schema file, its text now, and its text regenerated from the catalog."""
    from engine.author.schema_gen import regenerate, render
    from engine.core.resources import schema_path
    from engine.toolkit.catalog import load_catalog

    path = schema_path("scenario.schema.json")
    text = path.read_text(encoding="utf-8")
    return path, text, render(regenerate(json.loads(text), load_catalog()))


def run(args: argparse.Namespace) -> int:
    from cli.commands.common import fail

    if args.write is not None:
        return _write(Path(args.write))
    if args.generate or args.check:
        path, text, fresh = _generated()
        if text == fresh:
            print(f"{path} matches the catalog")
            return 0
        if args.check:
            return fail(f"{path} does not match the catalog: run  nexus-ttx schema --generate")
        path.write_text(fresh, encoding="utf-8")
        print(f"wrote {path}")
        from engine.load import validators

        return validators.main()  # the fast validators follow the schema they were made from
    sys.stdout.write(installed_schema())
    return 0


def _write(folder: Path) -> int:
    from cli.commands.common import fail
    from engine.author.schema_copy import COPY_PATH, modeline

    if folder.exists() and not folder.is_dir():
        return fail(f"{folder} is not a folder", 2)
    target, written = write_copy(folder)
    print(f"{'wrote' if written else 'up to date:'} {target}")
    print(f"a scenario in {folder} uses it with the first line  {modeline(COPY_PATH)}")
    return 0


def write_copy(folder: Path) -> tuple[Path, bool]:
    """Copy the installed schema to FOLDER/.nexus-ttx/ unless an identical copy is there."""
    from engine.author.schema_copy import COPY_PATH

    target = folder / COPY_PATH
    text = installed_schema()
    if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == text:
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target, True


def installed_schema() -> str:
    """The text of this installation's scenario schema (what copies are compared with)."""
    from engine.core.resources import schema_path

    return schema_path("scenario.schema.json").read_text(encoding="utf-8")


_UNREAD = ("NTX001", "NTX002", "NTX003", "NTX017", "NTX018")
_SCHEMA_LIMIT = 4 * 1024 * 1024


def editor_schema_warnings(path: Path, found: list, installed: list[str]) -> list:
    """NTX601-NTX603 for a scenario whose modeline names a missing, stale or misplaced schema.

    `found` is what validate already reported for the file (an unreadable file is left alone);
    `installed` caches the installed schema's text across files.
    """
    import os

    from engine.author.schema_copy import COPY_PATH, advice, classify, find_modeline, is_local
    from engine.core.diagnostics import make
    from engine.load.files import FileRefused, read_regular

    if any(d.code in _UNREAD for d in found):
        return []
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192).decode("utf-8", errors="replace")
    except OSError:
        return []
    line = find_modeline(head)
    if line is None or not is_local(line.ref):
        return []
    ref = line.ref.removeprefix("file://")
    copy: str | None = None
    if ref.endswith(COPY_PATH):  # only our own copies are compared (and read)
        target = Path(ref) if os.path.isabs(ref) else path.parent / ref
        try:
            copy = read_regular(target, _SCHEMA_LIMIT).decode("utf-8", errors="replace")
        except (FileRefused, OSError):
            copy = None
        if not installed:
            installed.append(installed_schema())
    folder = os.path.dirname(str(path)) or "."  # shown as the author named the file
    if ref.endswith(COPY_PATH):
        folder = os.path.normpath(os.path.join(folder, ref[: -len(COPY_PATH)] or "."))
    said = advice(classify(line.ref, copy, installed[0] if installed else ""), line.ref, folder)
    if said is None:
        return []
    return [make(said[0], str(path), line.line, line.column, said[1])]
