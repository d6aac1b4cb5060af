"""Options and helpers shared by several commands (standard library only at import time)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_library_options(parser: argparse.ArgumentParser) -> None:
    """--library DIR. SUPPRESS as default so a subcommand's parser never erases the top level's."""
    parser.add_argument(
        "--library",
        metavar="DIR",
        action="append",
        default=argparse.SUPPRESS,
        help="an extra scenario folder (repeatable; also NEXUS_TTX_LIBRARY, os.pathsep-separated)",
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="session store (SQLite); default NEXUS_TTX_DB or the user data dir",
    )


def library_dirs(args: argparse.Namespace) -> list[Path]:
    """Extra library folders from --library (given before or after the command) and the env."""
    dirs: list[Path] = []
    env = os.environ.get("NEXUS_TTX_LIBRARY", "")
    dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    for value in getattr(args, "library", None) or []:
        dirs.append(Path(value))
    return dirs


def db_path(args: argparse.Namespace) -> Path:
    """Where the session store lives: --db, then NEXUS_TTX_DB, then the user data dir."""
    if getattr(args, "db", None):
        return Path(args.db)
    env = os.environ.get("NEXUS_TTX_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("nexus-ttx", appauthor=False)) / "sessions.sqlite3"


def fail(message: str, code: int = 1) -> int:
    """Print an error for a person (no traceback) and return the exit code."""
    print(f"nexus-ttx: error: {message}", file=sys.stderr)
    return code
