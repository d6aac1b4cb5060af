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
from engine.core.i18n import N_, _, ngettext

ENDED_WORDS = {
    "ending": N_("an ending was reached"),
    "abandoned": N_("abandoned"),
}
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
    from engine.report.words import KIND_WORDS, MODE_WORDS, words

    s = exercise.session
    scene = exercise.scene
    status = _("ended ({how})").format(how=words(ENDED_WORDS, s.ended)) if s.ended else _("active")
    made = ngettext("{n} decision made", "{n} decisions made", len(s.decisions))
    lines = [
        _("Session {id}: {title} ({scenario}), {mode}, teams: {teams}").format(
            id=s.id,
            title=exercise.scenario.title,
            scenario=exercise.scenario.id,
            mode=words(MODE_WORDS, str(s.mode)),
            teams=", ".join(s.teams),
        ),
        _("Status: {status}; {made}; path: {path}").format(
            status=status, made=made.format(n=len(s.decisions)), path=" -> ".join(s.path)
        ),
        _("Now at: {title} [{id}] ({kind})").format(
            title=scene.title, id=scene.id, kind=words(KIND_WORDS, str(scene.kind))
        ),
    ]
    if scene.kind == "decision" and not exercise.is_over:
        offered = ", ".join(c.id for c in exercise.offered)
        lines.append(_("Choices on offer: {ids}").format(ids=offered))
        if len(s.teams) > 1:
            pending = exercise.pending_teams()
            who = ", ".join(pending) if pending else _("nobody")
            lines.append(_("Waiting for: {teams}").format(teams=who))
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
    from engine.report.words import words
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
                        _(
                            "session {id} has {n} teams; headless --choices continues one-team "
                            "sessions only: open it with `nexus-ttx resume {id}` in a terminal"
                        ).format(id=exercise.session_id, n=len(exercise.teams))
                    )
                if exercise.is_over:
                    raise CommandError(
                        _("session {id} has ended ({how}); nothing to continue").format(
                            id=exercise.session_id,
                            how=words(ENDED_WORDS, exercise.session.ended or ""),
                        )
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
