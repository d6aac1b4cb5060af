"""`nexus-ttx report ID --format md|html|json|csv|aar|aar-md [--output FILE]`: the reports.

`md`, `html`, `json` and `csv` are the scoring record (every decision, every key action);
`aar` is the HSEEP-style after-action report with improvement plan, as printable HTML (`aar-md`:
the same document in Markdown), with cover options (title, location, sponsor, handling marking,
format).
"""

from __future__ import annotations

import argparse
from typing import Any

from cli.commands.common import (
    CommandError,
    add_db_option,
    add_library_options,
    chance_of,
    db_path,
    emit,
    fail,
    no_store,
    open_exercise,
    store_missing,
    use_session_language,
)
from engine.core.i18n import N_, _

HELP = N_(
    "write a session's report: scoring record (md, html, json, csv) or after-action report (aar)"
)
FORMATS = ("md", "html", "json", "csv", "aar", "aar-md")
FORMAT_WORDS = {  # how the confirmation names what was written
    "md": N_("the Markdown report"),
    "html": N_("the HTML report"),
    "json": N_("the JSON report"),
    "csv": N_("the CSV report"),
    "aar": N_("the after-action report (HTML)"),
    "aar-md": N_("the after-action report (Markdown)"),
}
DELIVERY = ("solo", "facilitated", "hybrid")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("session", metavar="ID", help=_("a session id (or a unique prefix)"))
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="md",
        help=_(
            "md (default), html (self-contained, printable), json or csv "
            "(one row per team per decision); aar: the after-action report with improvement plan "
            "(printable HTML), aar-md: the same in Markdown"
        ),
    )
    cover = parser.add_argument_group(_("after-action report cover (with --format aar)"))
    cover.add_argument("--title", help=_("the exercise's name (default: the scenario's title)"))
    cover.add_argument("--location", help=_("where the exercise took place"))
    cover.add_argument("--sponsor", help=_("the sponsoring organisation"))
    cover.add_argument("--handling", help=_("a handling marking, e.g. 'OFFICIAL - SENSITIVE'"))
    cover.add_argument(
        "--delivery", choices=DELIVERY, help=_("the format (default: from the session)")
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output")
    )


def participant_results(ex: Any) -> dict[str, Any]:
    """Pseudonym -> score for participants who voted from their devices (none in TUI play)."""
    scores = ex.participant_scores()
    names = {p.id: p.name for p in ex.session.participants}
    return {names[pid]: score for pid, score in scores.items() if score.decisions}


def _aar(ex: Any, args: argparse.Namespace) -> str:
    from engine.report.aar import build_aar
    from engine.report.document import _catalog

    cover = {k: getattr(args, k) for k in ("title", "location", "sponsor", "handling", "delivery")}
    aar = build_aar(
        ex.scenario,
        ex.session,
        ex.events(),
        ex.scores(),
        ex.room_score(),
        catalog=_catalog(),
        cover=cover,
        chance=chance_of(ex.scenario),
        participants=participant_results(ex),
    )
    if args.format == "aar-md":
        from engine.report.aar_md import render_aar_md

        return render_aar_md(aar)
    from engine.report.aar_html import render_aar_html

    return render_aar_html(aar)


def run(args: argparse.Namespace) -> int:
    from engine.play.machine import PlayError
    from engine.report.document import exercise_report, render
    from engine.store import open_store
    from engine.store.base import StoreError

    path = db_path(args)
    if store_missing(path):
        return fail(no_store(args.session, path))
    try:
        with open_store(path, read_only=True) as store:  # a report writes nothing
            exercise = open_exercise(store, args.session, args)
            use_session_language(args, exercise)
            report = exercise_report(exercise, info=store.session(exercise.session_id))
            if args.format.startswith("aar"):
                text = _aar(exercise, args)
    except (CommandError, StoreError, PlayError) as exc:
        return fail(str(exc))
    if not args.format.startswith("aar"):
        text = render(report, args.format)
    return emit(
        text,
        args.output,
        lambda out: _("wrote {report} of session {id} to {path}").format(
            report=_(FORMAT_WORDS[args.format]), id=exercise.session_id, path=out
        ),
    )
