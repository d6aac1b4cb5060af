"""`nexus-ttx play SCENARIO` and plain `nexus-ttx`: the Textual UI.

With no scenario the UI opens on the library. With one (a file or a library id) it opens that
scenario directly: a scenario that fails validation opens the diagnostics screen; otherwise play
starts with the options given here (without any option, the setup screen asks).
Module level: standard library only; the engine and Textual load inside `run`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.commands.common import db_path, fail, library_dirs
from engine.core.i18n import N_, _

HELP = N_("play a scenario in the terminal UI (without a command: open the library)")


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 <= value <= 24 * 3600:
        raise argparse.ArgumentTypeError("the timer is between 0 (none) and 86400 seconds")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from engine.play.events import FeedbackTiming

    parser.add_argument(
        "scenario",
        metavar="SCENARIO",
        nargs="?",
        help=_("a scenario file or a library id (none: the library)"),
    )
    parser.add_argument(
        "--mode",
        choices=("solo", "facilitated"),
        default=None,
        help=_(
            "solo (one trainee) or facilitated (teams); default solo, or "
            "facilitated when --teams is given"
        ),
    )
    parser.add_argument(
        "--teams",
        default=None,
        metavar='"Table 1,Table 2"',
        help=_("team names, comma-separated (facilitated play)"),
    )
    parser.add_argument(
        "--feedback",
        choices=[t.value for t in FeedbackTiming],
        default=None,
        help=_(
            "when feedback is shown: right after each choice, or only at "
            "the debrief (default: immediate solo, debrief facilitated)"
        ),
    )
    parser.add_argument(
        "--label",
        default=None,
        metavar="TEXT",
        help=_('the session\'s label, e.g. "Nairobi course, day 2" (for sessions --label, cohort)'),
    )
    parser.add_argument(
        "--timer",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help=_("per-decision discussion timer in seconds (it never chooses)"),
    )
    parser.add_argument(
        "--count",
        choices=("teams", "heads"),
        default=None,
        help=_(
            "what the room's majority counts in facilitated play: one vote per team "
            "(default) or every participant's vote (heads, for live rooms)"
        ),
    )
    parser.add_argument(
        "--order",
        choices=("shuffled", "file"),
        default=None,
        help=_(
            "the order of each decision's choices: shuffled once for the session, the same "
            "for everyone (default), or as written in the file (for authors checking a draft)"
        ),
    )
    _add_role_arguments(parser)
    parser.add_argument(
        "--export-dir",
        default=None,
        metavar="DIR",
        help=_("where the debrief writes the after-action report (default: the current folder)"),
    )


def _add_role_arguments(parser: argparse.ArgumentParser) -> None:
    """Role cards and the timing profile, for scenarios that have them."""
    parser.add_argument(
        "--roles",
        default=None,
        metavar="TEAM=ROLE,...",
        help=_(
            "role cards for the teams (facilitated, e.g. 'Table 1=police,Table 2=fiu') or the "
            "player's role (solo: a role id), when the scenario has roles"
        ),
    )
    parser.add_argument(
        "--timing",
        choices=("short", "standard", "long"),
        default=None,
        help=_("the scenario's timing profile (its minutes per decision set the timer)"),
    )


def _setup_from(args: argparse.Namespace):
    """A PlaySetup when any play option was given, else None (the setup screen asks)."""
    from engine.play.events import FeedbackTiming
    from tui.launch import PlaySetup

    mode = getattr(args, "mode", None)
    teams_text = getattr(args, "teams", None)
    feedback = getattr(args, "feedback", None)
    timer = getattr(args, "timer", None)
    order = getattr(args, "order", None)
    label = getattr(args, "label", None)
    count = getattr(args, "count", None)
    roles_text = getattr(args, "roles", None)
    profile = getattr(args, "timing", None)
    given = (mode, teams_text, feedback, timer, count, order, roles_text, profile)
    if all(v is None for v in given) and not label:
        return None
    from engine.play.teams import DEFAULT_TEAMS, SOLO_TEAM, parse_teams, team_list

    teams = parse_teams(teams_text or "")
    if mode is None:
        mode = "facilitated" if teams else "solo"
    if mode == "solo":
        if len(teams) > 1:
            raise ValueError("solo play has one player: drop --teams or use --mode facilitated")
        teams = teams or (SOLO_TEAM,)
        if count is not None:
            raise ValueError("--count is for facilitated play: add --teams or --mode facilitated")
    elif not teams:
        teams = DEFAULT_TEAMS
    teams = team_list(mode, teams)  # TeamListError is a ValueError
    timing = (
        FeedbackTiming.default_for(mode != "solo") if feedback is None else FeedbackTiming(feedback)
    )
    return PlaySetup(
        mode,
        teams,
        timing,
        timer or None,
        label or "",
        count=count or "teams",
        order=order or "shuffled",
        roles=_roles(roles_text, teams),
        timing=profile,
    )


def _roles(text: str | None, teams: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`--roles`: `TEAM=ROLE` pairs, or one role id for a solo player. The role ids are
    checked against the scenario when the session starts."""
    if not text:
        return ()
    if "=" not in text and len(teams) == 1:
        return ((teams[0], text.strip()),)
    pairs: dict[str, str] = {}
    for item in (p.strip() for p in text.split(",") if p.strip()):
        team, sep, role = (x.strip() for x in item.partition("="))
        if not sep or team not in teams:
            raise ValueError(
                f"--roles: write TEAM=ROLE pairs for the session's teams ({', '.join(teams)}), "
                f"not '{item}'"
            )
        pairs[team] = role
    return tuple(pairs.items())


def _resolve(ref: str, dirs: list[Path]) -> Path | None:
    """A scenario file path, or a library id found in the libraries."""
    path = Path(ref)
    if path.exists():
        return path
    try:
        from engine.load.library import find_scenario

        found = find_scenario(ref, dirs)
    except (LookupError, OSError, ValueError):
        return None
    return Path(found) if found else None


def run(args: argparse.Namespace) -> int:
    dirs = library_dirs(args)
    scenario = getattr(args, "scenario", None)
    try:
        setup = _setup_from(args)
    except ValueError as exc:
        return fail(str(exc), 2)
    path: Path | None = None
    if scenario:
        path = _resolve(scenario, dirs)
        if path is None:
            return fail(
                f"no scenario file or library id '{scenario}' (`nexus-ttx list` shows "
                f"the library; add folders with --library DIR)"
            )
        if path.is_dir():
            return fail(
                f"{path} is a folder: give a scenario file, or open the library "
                f"with `nexus-ttx --library {path}`"
            )
    from tui import prefs
    from tui.app import NexusApp, theme_of
    from tui.launch import Launch

    export_dir = getattr(args, "export_dir", None)
    # The store opens on first use (after the first frame); a store that cannot be opened
    # is reported on screen, and the library stays usable.
    app = NexusApp(
        library_dirs=dirs,
        store_path=db_path(args),
        launch=Launch(scenario=path, setup=setup),
        export_dir=Path(export_dir) if export_dir else None,
        theme=theme_of(args),
        preferences=prefs.default_path(),
    )
    try:
        result = app.run()
    finally:
        app.close_store()
    if app.return_code not in (None, 0):
        return int(app.return_code)
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(argparse.Namespace()))
