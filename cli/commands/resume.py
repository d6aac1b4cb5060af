"""`nexus-ttx resume ID [--choices a,b]`: continue a recorded session.

With `--choices` it continues headless like `run`; otherwise it opens the TUI at the session
when a terminal is attached (and prints where the session stands when not). A session whose
scenario changed since it started is refused: replaying its events on other content would
silently score a different exercise.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.commands.common import (
    CommandError,
    add_db_option,
    add_library_options,
    add_play_arguments,
    continue_headless,
    db_path,
    fail,
    library_dirs,
    no_store,
    open_exercise,
    split_choices,
    store_missing,
)
from engine.core.i18n import N_, _

HELP = N_("continue a recorded session (headless with --choices, else in the TUI)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("session", metavar="ID", help=_("a session id (or a unique prefix)"))
    add_play_arguments(parser)
    parser.add_argument(
        "--export-dir",
        default=None,
        metavar="DIR",
        help=_("where the debrief writes the after-action report (the terminal UI)"),
    )


def status_text(exercise: Any) -> str:
    """Where a session stands, for a person."""
    s = exercise.session
    scene = exercise.scene
    lines = [
        f"Session {s.id}: {exercise.scenario.title} ({exercise.scenario.id}), {s.mode}, "
        f"teams: {', '.join(s.teams)}",
        f"Status: {'ended (' + s.ended + ')' if s.ended else 'active'}; "
        f"{len(s.decisions)} decision(s) made; path: {' -> '.join(s.path)}",
        f"Now at: {scene.title} [{scene.id}] ({scene.kind})",
    ]
    if scene.kind == "decision" and not exercise.is_over:
        lines.append("Choices on offer: " + ", ".join(c.id for c in exercise.offered))
        if len(s.teams) > 1:
            pending = exercise.pending_teams()
            lines.append("Waiting for: " + (", ".join(pending) if pending else "nobody"))
    return "\n".join(lines) + "\n"


def _launch_tui(args: argparse.Namespace, session_id: str) -> int | None:
    """Open the TUI at the session; None when the TUI is not available in this build."""
    try:
        from tui.app import NexusApp
        from tui.launch import Launch
    except ImportError:
        return None
    from pathlib import Path

    from tui import prefs
    from tui.app import theme_of

    export_dir = getattr(args, "export_dir", None)
    app = NexusApp(
        library_dirs=library_dirs(args),
        store_path=db_path(args),
        launch=Launch(session=session_id),
        export_dir=Path(export_dir) if export_dir else None,
        theme=theme_of(args),
        preferences=prefs.default_path(),
    )
    result = app.run()
    return int(result or 0)


def run(args: argparse.Namespace) -> int:
    from engine.exercise.exercise import ChoicesError
    from engine.play.machine import PlayError
    from engine.store import open_store
    from engine.store.base import StoreError

    path = db_path(args)
    if store_missing(path):
        return fail(no_store(args.session, path))
    try:
        with open_store(path) as store:
            exercise = open_exercise(store, args.session, args)
            if args.choices:
                if len(exercise.teams) != 1:
                    raise CommandError(
                        f"session {exercise.session_id} has {len(exercise.teams)} teams; "
                        f"headless --choices continues one-team sessions only: open it "
                        f"with `nexus-ttx resume {exercise.session_id}` in a terminal"
                    )
                if exercise.is_over:
                    raise CommandError(
                        f"session {exercise.session_id} has ended "
                        f"({exercise.session.ended}); nothing to continue"
                    )
                return continue_headless(exercise, split_choices(args.choices), args)
            session_id = exercise.session_id
            if not (sys.stdin.isatty() and sys.stdout.isatty()) or exercise.is_over:
                sys.stdout.write(status_text(exercise))
                return 0
    except (CommandError, ChoicesError, StoreError, PlayError) as exc:
        return fail(str(exc))
    code = _launch_tui(args, session_id)
    if code is None:
        sys.stdout.write(status_text(exercise))
        return 0
    return code
