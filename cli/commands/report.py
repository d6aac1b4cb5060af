"""`nexus-ttx report ID --format md|html|json|csv [--output FILE]`: the after-action report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.commands.common import add_db_option, add_library_options, db_path, fail

HELP = "write a session's after-action report (Markdown, HTML, JSON or CSV)"
FORMATS = ("md", "html", "json", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("session", metavar="ID", help="a session id (or a unique prefix)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="md",
        help="md (default), html (self-contained, printable), json or csv "
        "(one row per team per decision)",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE instead of standard output"
    )


def run(args: argparse.Namespace) -> int:
    from cli.commands.resume import open_exercise
    from cli.commands.run import CommandError
    from engine.play.machine import PlayError
    from engine.report.document import build_report, render
    from engine.store.sqlite import Store, StoreError

    path = db_path(args)
    if not path.exists():
        return fail(f"no session '{args.session}': the session store {path} does not exist yet")
    try:
        with Store(path) as store:
            exercise = open_exercise(store, args.session, args)
            report = build_report(
                exercise.scenario,
                exercise.session,
                exercise.scores(),
                info=store.session(exercise.session_id),
            )
    except (CommandError, StoreError, PlayError) as exc:
        return fail(str(exc))
    text = render(report, args.format)
    if not args.output:
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"wrote the {args.format} report of session {exercise.session_id} to {out}")
    return 0
