"""`nexus-ttx observe ID TEXT [--team ...] [--rating P|S|M|U]`: record an observation.

Evaluators sit beside the facilitator with their own terminal: this appends an
`observation_added` event to the same session store (SQLite in WAL mode; appends are conditional
on the last sequence number, so the facilitator's screen and any number of evaluators can write
at once without losing anything), and the facilitator's TUI folds it in on its next refresh.
Without TEXT (or with `--list`) it prints the session's observations.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.commands.common import add_db_option, add_library_options, clean, with_exercise
from engine.core.i18n import N_, _

HELP = N_("record an observation on a session (from any terminal), or list them")
RATINGS = ("P", "S", "M", "U")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("session", metavar="ID", help=_("a session id (or a unique prefix)"))
    parser.add_argument("text", metavar="TEXT", nargs="?", help=_("what you observed"))
    parser.add_argument("--team", help=_("the team it is about"))
    parser.add_argument("--objective", help=_("the scenario objective it bears on (its id)"))
    parser.add_argument("--practice", help=_("the good practice it bears on (GP1 to GP25)"))
    parser.add_argument("--indicator", help=_("a watch point or indicator (e.g. corruption.3)"))
    parser.add_argument(
        "--rating",
        type=str.upper,
        choices=RATINGS,
        help=_(
            "HSEEP: P performed without challenges, S with some challenges, "
            "M with major challenges, U unable to be performed"
        ),
    )
    parser.add_argument("--by", help=_("who observed (an evaluator's label)"))
    parser.add_argument("--list", action="store_true", help=_("print the observations"))
    parser.add_argument("--json", action="store_true", help=_("with --list: print JSON"))


def _show(ex: Any, as_json: bool) -> int:
    from dataclasses import asdict

    observations = ex.session.observations
    if as_json:
        print(json.dumps([asdict(o) for o in observations], indent=2, ensure_ascii=False))
        return 0
    if not observations:
        print(_("session {id} has no observations yet").format(id=ex.session_id))
        return 0
    for o in observations:
        scene = ex.scenario.scenes[o.scene].title if o.scene in ex.scenario.scenes else "-"
        tags = [t for t in (o.rating, o.team, o.objective, o.practice, o.indicator, o.by) if t]
        tag = f" [{', '.join(clean(t) for t in tags)}]" if tags else ""
        print(f"#{o.seq} {clean(scene)}{tag}: {clean(o.text)}")
    return 0


def run(args: argparse.Namespace) -> int:
    def work(ex: Any) -> int:
        if args.list or args.text is None:
            return _show(ex, args.json)
        fields = {
            k: getattr(args, k)
            for k in ("team", "objective", "practice", "indicator", "rating", "by")
            if getattr(args, k)
        }
        ex.add_observation(args.text, **fields)
        print(
            _("recorded observation #{seq} on session {id}").format(
                seq=ex.session.seq, id=ex.session_id
            )
        )
        return 0

    return with_exercise(args, work)
