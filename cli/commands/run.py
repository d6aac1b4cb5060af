"""`nexus-ttx run SCENARIO --choices a,b,c [--json]`: headless play, recorded, then the debrief.

The choice list is checked in memory first: a wrong or unavailable id, or choices left over
after an ending, is an error (exit 1) and nothing is recorded. A valid list is then played into
a new session; if it runs out at a decision, the session stays resumable
(`nexus-ttx resume ID --choices ...`), the partial debrief is printed and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli.commands.common import (
    add_db_option,
    add_library_options,
    db_path,
    fail,
    library_dirs,
)

HELP = "play a scenario headless along given choice ids and print the debrief"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file or a library id")
    add_play_arguments(parser)
    parser.add_argument(
        "--team",
        default="Solo",
        metavar="NAME",
        help="the player's (team's) name in the session (default: Solo)",
    )
    parser.add_argument(
        "--feedback",
        choices=("immediate", "debrief"),
        default="debrief",
        help="immediate: also print each choice's feedback as it is made",
    )


def add_play_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--choices",
        default="",
        metavar="A,B,C",
        help="choice ids, one per decision met (narrative scenes advance by themselves)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON (DESIGN.md's `run --json` keys)",
    )


def split_choices(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


class CommandError(Exception):
    """A problem already worded for a person; `run` prints it and exits 1."""


def load_scenario_ref(ref: str, args: argparse.Namespace) -> tuple[Any, Path]:
    """Resolve a path or a library id, validate and load it; print diagnostics if invalid."""
    from engine.check.validate import ScenarioInvalid, load_scenario
    from engine.load.library import find_scenario

    try:
        path = Path(find_scenario(ref, library_dirs(args)))
    except (LookupError, OSError, ValueError) as exc:
        raise CommandError(str(exc).strip("'\"")) from None
    try:
        return load_scenario(path), path
    except ScenarioInvalid as exc:
        for diagnostic in exc.result.diagnostics:
            print(diagnostic.format_text(), file=sys.stderr)
        raise CommandError(
            f"{path} is not a valid scenario (see above); fix it and run again"
        ) from None


def open_store(args: argparse.Namespace) -> Any:
    from engine.store.sqlite import Store

    return Store(db_path(args))


def result_json(exercise: Any, team: str, stopped_at: str | None) -> dict[str, Any]:
    """DESIGN.md's `run --json` object, plus session, team, path, stopped_at and per decision
    the scene title, choice text and feedback."""
    out = exercise.score(team).to_json()
    for decision in out["decisions"]:
        scene = exercise.scenario.scenes[decision["scene"]]
        choice = scene.choice(decision["choice"]) if decision["choice"] else None
        decision["title"] = scene.title
        decision["text"] = choice.text if choice else None
        decision["feedback"] = choice.feedback if choice else None
    out.update(
        session=exercise.session_id, team=team, path=list(exercise.path), stopped_at=stopped_at
    )
    return out


def transcript(exercise: Any) -> str:
    """`--feedback immediate`: each choice and its feedback, in play order."""
    lines = []
    scenario = exercise.scenario
    for room in exercise.session.decisions:
        scene = scenario.scenes[room.scene]
        choice = scene.choice(room.choice)
        lines.append(f"[{scene.id}] {scene.title}: {choice.text if choice else room.choice}")
        if choice is not None and choice.feedback:
            lines.append(f"    Feedback: {choice.feedback}")
    return "\n".join(lines) + "\n\n" if lines else ""


def print_result(exercise: Any, args: argparse.Namespace, team: str, plan: Any) -> None:
    from engine.report.document import build_report
    from engine.report.text import render_text

    if args.json:
        print(
            json.dumps(result_json(exercise, team, plan.stopped_at), indent=2, ensure_ascii=False)
        )
        return
    if getattr(args, "feedback", None) == "immediate":
        sys.stdout.write(transcript(exercise))
    report = build_report(
        exercise.scenario,
        exercise.session,
        exercise.scores(),
        info=exercise.store.session(exercise.session_id),
    )
    sys.stdout.write(render_text(report, team))


def continue_headless(exercise: Any, choices: list[str], args: argparse.Namespace) -> int:
    """Check `choices` from where the exercise stands, play them, print the result."""
    from engine.exercise.exercise import plan_headless, play_headless

    plan = plan_headless(exercise.scenario, exercise.state, choices)  # ChoicesError: no writes
    play_headless(exercise, plan)
    team = exercise.teams[0]
    print_result(exercise, args, team, plan)
    if plan.stopped_at is not None:
        scene = exercise.scene
        offered = ", ".join(c.id for c in exercise.offered)
        return fail(
            f"the choices ran out at decision '{scene.id}' ({scene.title}); on offer "
            f"there: {offered}. Session {exercise.session_id} is saved: continue with "
            f"`nexus-ttx resume {exercise.session_id} --choices ...`"
        )
    return 0


def run(args: argparse.Namespace) -> int:
    from engine.exercise.exercise import ChoicesError, Exercise, plan_headless
    from engine.play.machine import initial_state
    from engine.store.sqlite import StoreError

    team = args.team.strip()
    if not team:
        return fail("--team needs a non-empty name", 2)
    try:
        scenario, path = load_scenario_ref(args.scenario, args)
        choices = split_choices(args.choices)
        plan_headless(scenario, initial_state(scenario), choices)  # check before recording
        with open_store(args) as store:
            exercise = Exercise.start(
                store,
                scenario,
                scenario_path=str(path.resolve()),
                mode="solo",
                teams=(team,),
                options={"feedback": args.feedback, "headless": True},
            )
            return continue_headless(exercise, choices, args)
    except (CommandError, ChoicesError, StoreError) as exc:
        return fail(str(exc))
