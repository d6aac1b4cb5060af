"""`nexus-ttx run SCENARIO --choices a,b,c [--json]`: headless play, then the debrief.

`run` is an authoring tool: it plays in a throwaway in-memory store and leaves nothing in the
user's session store, unless `--save` asks to keep the session (in the store `--db` or
NEXUS_TTX_DB names, else the default one). The choice list is checked in memory first: a wrong or unavailable id, or choices
left over after an ending, is an error (exit 1). A valid list is then played into a new
session; if it runs out at a decision, the partial debrief is printed and the exit code is 1
(a kept session stays resumable with `nexus-ttx resume ID --choices ...`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
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
    scenario_language,
    split_choices,
)
from engine.core.i18n import N_, _

HELP = N_("play a scenario headless along given choice ids and print the debrief")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from engine.play.events import FeedbackTiming

    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("scenario", metavar="SCENARIO", help=_("a scenario file or a library id"))
    add_play_arguments(parser)
    parser.add_argument(
        "--team",
        default="Solo",
        metavar="NAME",
        help=_("the player's (team's) name in the session (default: Solo)"),
    )
    parser.add_argument(
        "--feedback",
        choices=[t.value for t in FeedbackTiming],
        default=FeedbackTiming.DEBRIEF.value,
        help=_("immediate: also print each choice's feedback as it is made"),
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help=_(
            "keep the session in the session store (--db, NEXUS_TTX_DB or the default); "
            "without --save, run plays in a throwaway store"
        ),
    )
    parser.add_argument(
        "--label", default="", metavar="TEXT", help=_("the kept session's label (with --save)")
    )
    parser.add_argument(
        "--role",
        default=None,
        metavar="ID",
        help=_("the player's role card, when the scenario has roles (recorded in the session)"),
    )
    parser.add_argument(
        "--timing",
        default=None,
        metavar="PROFILE",
        help=_("the timing profile (short, standard or long), when the scenario has them"),
    )


def load_scenario_ref(ref: str, args: argparse.Namespace) -> tuple[Any, Path]:
    """Resolve a path or a library id, validate and load it; print diagnostics if invalid."""
    from engine.check.validate import ScenarioInvalid, load_scenario
    from engine.load.library import find_scenario

    try:
        path = Path(find_scenario(ref, library_dirs(args)))
    except (LookupError, OSError, ValueError) as exc:
        raise CommandError(str(exc).strip("'\"")) from None
    try:
        return load_scenario(path, scenario_language(args)), path
    except ScenarioInvalid as exc:
        for diagnostic in exc.result.diagnostics:
            print(diagnostic.format_text(), file=sys.stderr)
        raise CommandError(
            f"{path} is not a valid scenario (see above); fix it and run again"
        ) from None


def _text_ok(text: str) -> bool:
    """UTF-8 text without control characters (argv bytes that are not UTF-8 arrive as lone
    surrogates; the store cannot hold them and no terminal should get them back)."""
    from engine.core.safe_text import for_terminal

    return for_terminal(text) == text and "\t" not in text and "\n" not in text


def keeps_session(args: argparse.Namespace) -> bool:
    """Whether `run` writes to a real store rather than a throwaway one: only with --save
    (--db, a global option, says which store --save writes to, never whether)."""
    return bool(getattr(args, "save", False))


def run(args: argparse.Namespace) -> int:
    from engine.exercise.exercise import ChoicesError, Exercise, plan_headless
    from engine.play.machine import PlayError, initial_state
    from engine.store import open_store
    from engine.store.base import StoreError
    from engine.store.sqlite import MEMORY

    team = args.team.strip()
    if not team:
        return fail(_("--team needs a non-empty name"), 2)
    if not _text_ok(team):
        return fail(
            _(
                "--team must be text without control characters, in UTF-8 (this one has "
                "bytes or characters that cannot be stored: {team!r})"
            ).format(team=team),
            2,
        )
    try:
        scenario, path = load_scenario_ref(args.scenario, args)
        choices = split_choices(args.choices)
        plan_headless(scenario, initial_state(scenario), choices)  # check before recording
        kept = keeps_session(args)
        with open_store(db_path(args) if kept else MEMORY) as store:
            exercise = Exercise.start(
                store,
                scenario,
                scenario_path=str(path.resolve()),
                mode="solo",
                teams=(team,),
                options=_options(args, team, scenario_language(args) or scenario.language),
                label=args.label if kept else "",
            )
            return continue_headless(exercise, choices, args, kept=kept)
    except (CommandError, ChoicesError, StoreError, PlayError) as exc:
        return fail(str(exc))


def _options(args: argparse.Namespace, team: str, language: str) -> dict[str, object]:
    """The session options of a headless run (a role and a timing profile when given), and the
    language its scenario texts are in."""
    options: dict[str, object] = {"feedback": args.feedback, "headless": True, "lang": language}
    if args.role:
        options["roles"] = {team: args.role}
    if args.timing:
        options["timing"] = args.timing
    return options
