"""Options and helpers shared by the commands: the one module every command may import.

No command imports another (tests/test_cli_layout.py checks it): what two commands share lives
here. Standard library only at import time; the engine is imported inside the functions, so
headless commands start fast and never pull in Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.core.i18n import _

# --- errors -----------------------------------------------------------------------------------


class CommandError(Exception):
    """A problem already worded for a person; the command prints it and exits 1."""


class LoadFailed(Exception):
    """Already reported on stderr; the command exits with `code`."""

    def __init__(self, code: int = 1) -> None:
        super().__init__(code)
        self.code = code


def fail(message: str, code: int = 1) -> int:
    """Print an error for a person (no traceback) and return the exit code."""
    print(f"nexus-ttx: error: {message}", file=sys.stderr)
    return code


def emit(text: str, output: str | None, wrote: Callable[[Path], str] | None = None) -> int:
    """Write a command's output: to standard output, or to the file OUTPUT (its folder made
    if missing, the text exactly as given). An unwritable path is an error message and exit 1,
    never a traceback. Once the file is written, the confirmation `wrote(path)` is printed
    (default "wrote PATH")."""
    if not output:
        sys.stdout.write(text)
        return 0
    out = Path(output)
    try:
        if not out.parent.exists():  # a file in the way is then "Not a directory"
            out.parent.mkdir(parents=True)
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        return fail(_("cannot write {path}: {error}").format(path=out, error=exc.strerror or exc))
    print(wrote(out) if wrote else _("wrote {path}").format(path=out))
    return 0


# --- options ----------------------------------------------------------------------------------


def add_library_options(parser: argparse.ArgumentParser) -> None:
    """--library DIR. SUPPRESS as default so a subcommand's parser never erases the top level's."""
    parser.add_argument(
        "--library",
        metavar="DIR",
        action="append",
        default=argparse.SUPPRESS,
        help=_(
            "an extra scenario folder (repeatable; also NEXUS_TTX_LIBRARY, os.pathsep-separated)"
        ),
    )


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """--lang LANG: the interface language (a global option; cli/main.py reads it before the
    parser is built, so the help itself is translated)."""
    parser.add_argument(
        "--lang",
        metavar="LANG",
        default=argparse.SUPPRESS,
        help=_(
            "interface language, e.g. en or fr (default: NEXUS_TTX_LANG, then the locale, "
            "then English)"
        ),
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="FILE|URL",
        default=argparse.SUPPRESS,
        help=_(
            "session store: a SQLite file or a postgresql:// URL; default NEXUS_TTX_DB or "
            "a file in the user data dir"
        ),
    )


THEMES = ("default", "high-contrast")


def add_theme_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--theme",
        choices=THEMES,
        default=argparse.SUPPRESS,
        help=_("high-contrast: a light theme for bright rooms and projectors (the terminal UI)"),
    )


#: Global options: accepted before or after the command, by every command. cli/main.py moves
#: them in front of the command before parsing (one mechanism: a subcommand's parser would
#: otherwise replace a value given before it), and adds each to every subcommand's help.
#: An entry: the option string and the function that adds it to a parser (all take a value).
GLOBAL_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "--db": add_db_option,
    "--library": add_library_options,
    "--theme": add_theme_option,
    "--lang": add_lang_option,
}


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """Every global option the parser does not define yet."""
    for option, add in GLOBAL_OPTIONS.items():
        if option not in parser._option_string_actions:
            add(parser)


def hoist_global_options(argv: list[str]) -> list[str]:
    """ARGV with every global option (`--db F` or `--db=F`) moved in front, in order.

    Stops at `--`; an option missing its value is left where it is, for argparse to report.
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if "=" in arg:
                front.append(arg)
            elif i + 1 < len(argv):
                front.extend(argv[i : i + 2])
                i += 1
            else:
                rest.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def leading_option(argv: list[str], option: str) -> str | None:
    """The last value of a global `option` among ARGV's leading global options (where
    `hoist_global_options` put them), read before any parser exists."""
    value: str | None = None
    i = 0
    while i < len(argv):
        name, eq, inline = argv[i].partition("=")
        if name not in GLOBAL_OPTIONS or (not eq and i + 1 >= len(argv)):
            break
        found = inline if eq else argv[i + 1]
        if name == option:
            value = found
        i += 1 if eq else 2
    return value


def scenario_language(args: argparse.Namespace) -> str | None:
    """The language a scenario's texts are played in (its NAME.LANG.po beside it): --lang when
    given, else the interface language (NEXUS_TTX_LANG, then the locale)."""
    explicit = getattr(args, "lang", None)
    if explicit:
        return str(explicit)
    from engine.core.i18n import current_language

    return current_language()


def library_dirs(args: argparse.Namespace) -> list[Path]:
    """Extra library folders from --library (given before or after the command) and the env."""
    dirs: list[Path] = []
    env = os.environ.get("NEXUS_TTX_LIBRARY", "")
    dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    for value in getattr(args, "library", None) or []:
        dirs.append(Path(value))
    return dirs


SERVER_PREFIXES = ("postgresql://", "postgres://")


def db_path(args: argparse.Namespace) -> Path | str:
    """Where the session store lives: --db, then NEXUS_TTX_DB, then the user data dir. A
    `postgresql://` URL stays a string (a Path would fold its '//')."""
    value = getattr(args, "db", None) or os.environ.get("NEXUS_TTX_DB")
    if value:
        return value if value.startswith(SERVER_PREFIXES) else Path(value)
    import platformdirs

    return Path(platformdirs.user_data_dir("nexus-ttx", appauthor=False)) / "sessions.sqlite3"


def no_store(session: str, path: Path | str) -> str:
    """The message for a session asked of a store that does not exist yet."""
    return _("no session '{id}': the session store {path} does not exist yet").format(
        id=session, path=path
    )


def store_missing(target: Path | str) -> bool:
    """A SQLite file that does not exist yet (a server is never 'missing': it says so)."""
    return isinstance(target, Path) and not target.exists()


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Which sessions: shared by `sessions` and `cohort`."""
    parser.add_argument(
        "--label", metavar="LABEL", help=_("sessions with this label (* and ? as wildcards)")
    )
    parser.add_argument("--scenario", metavar="ID", help=_("sessions of this scenario id"))
    parser.add_argument(
        "--since",
        metavar="DATE",
        help=_(
            "sessions updated on or after DATE (2026-03-01, 2026-03-01T09:00, or 30d for "
            "the last 30 days)"
        ),
    )
    parser.add_argument(
        "--status", choices=("active", "ended", "abandoned"), help=_("sessions in this state")
    )


def parse_since(text: str, today: str | None = None) -> str:
    """An ISO date/time or 'Nd' (N days ago) as the UTC text that stored times compare with."""
    from datetime import UTC, datetime, timedelta

    value = text.strip()
    if value.endswith("d") and value[:-1].isdigit():
        now = datetime.fromisoformat(today) if today else datetime.now(UTC)
        return (now - timedelta(days=int(value[:-1]))).strftime("%Y-%m-%dT%H:%M:%S")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"--since {text!r} is not a date: use 2026-03-01, 2026-03-01T09:00 or 30d"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if len(value) <= 10:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def session_filter(args: argparse.Namespace) -> Any:
    """The SessionFilter the filter options ask for (ValueError for a bad --since)."""
    from engine.store.base import SessionFilter

    since = getattr(args, "since", None)
    return SessionFilter(
        label=getattr(args, "label", None),
        scenario=getattr(args, "scenario", None),
        since=parse_since(since) if since else None,
        status=getattr(args, "status", None),
    )


DEFAULT_MAX_STATES = (
    200_000  # engine.analysis.statespace.DEFAULT_MAX_STATES (not imported: start-up)
)


def add_max_states(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-states",
        type=_positive,
        default=DEFAULT_MAX_STATES,
        metavar="N",
        help=_(
            "stop exploring after N play states and report the analysis incomplete (default {n})"
        ).format(n=f"{DEFAULT_MAX_STATES:,}"),
    )


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_play_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--choices",
        default="",
        metavar="A,B,C",
        help=_(
            "choice ids, one per decision met (narrative scenes advance by themselves); at an "
            "identify drill, the selected option ids joined by '+' (a+b+c), or '-' for none"
        ),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=_("print the result as JSON (the score's keys, the session and the path)"),
    )


def split_choices(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


# --- scenarios and sessions -------------------------------------------------------------------


def load_checked(args: argparse.Namespace, explorer: Any = None, *, translate: bool = False) -> Any:
    """Find and validate SCENARIO; return the ValidationResult when it holds a model.

    Validation includes the analysis pass, which explores with `explorer` (an
    `engine.analysis.statespace.Explorer`: its state bound; pass the same one on to reuse the
    exploration). With `translate`, the model's texts are in the room's language (see
    `scenario_language`); the analyses keep the file's own texts. A file without a model
    (syntax, schema or reference errors) is reported on
    stderr as `file:line:col: error: ...` and raises LoadFailed.
    """
    from engine.check.validate import validate_file
    from engine.load.library import find_scenario

    try:
        path = Path(find_scenario(args.scenario, library_dirs(args)))
    except (LookupError, OSError, ValueError) as exc:
        fail(str(exc).strip("'\""))
        raise LoadFailed(1) from None
    result = validate_file(path, explorer=explorer)
    if result.scenario is None:
        for d in result.diagnostics:
            print(d.format_text(), file=sys.stderr)
        if result.ok:
            fail(_("{path} is a {kind} file, not a scenario").format(path=path, kind=result.kind))
        else:
            fail(
                _("{path} is not a valid scenario (see above); fix it and run again").format(
                    path=path
                )
            )
        raise LoadFailed(1)
    return _in_language(path, result, scenario_language(args)) if translate else result


def _in_language(path: Path, result: Any, language: str | None) -> Any:
    """The result with its model's texts in `language` (NAME.LANG.po beside the file, per-string
    fallback), so handouts, graphs and analyses speak the room's language like `run` does."""
    from engine.check.validate import ScenarioInvalid, translated

    try:
        return result._replace(scenario=translated(path, result, language))
    except ScenarioInvalid as exc:
        for d in exc.result.diagnostics:
            print(d.format_text(), file=sys.stderr)
        fail(
            _("{path} is not a valid translation (see above); fix it and run again").format(
                path=exc.result.path
            )
        )
        raise LoadFailed(1) from None


def open_exercise(store: Any, ref: str, args: argparse.Namespace) -> Any:
    """Load a session with its scenario (engine.exercise.resume), refusing a missing, invalid
    or changed one with a message saying what to do."""
    from engine.check.validate import ScenarioInvalid, load_scenario
    from engine.exercise.exercise import ContentChanged
    from engine.exercise.resume import SessionScenarioMissing, resume

    info = store.session(ref)
    try:
        return resume(
            store, info.id, load_scenario, library_dirs(args), getattr(args, "lang", None)
        )
    except SessionScenarioMissing as exc:
        raise CommandError(str(exc)) from None
    except ScenarioInvalid as exc:
        for diagnostic in exc.result.diagnostics:
            print(diagnostic.format_text(), file=sys.stderr)
        raise CommandError(
            _(
                "session {id} cannot be resumed: its scenario {path} is no longer valid (see "
                "above); restore the file as it was when the session started"
            ).format(id=info.id, path=exc.result.path)
        ) from None
    except ContentChanged as exc:
        raise CommandError(
            _(
                "session {id} cannot be resumed: scenario '{scenario}' in {path} has changed "
                "since the session started (content hash {then} then, {now} now). Restore the "
                "file as it was to resume, or start a new session with `nexus-ttx play {path}`"
            ).format(
                id=info.id,
                scenario=exc.scenario_id,
                path=exc.path,
                then=exc.stored_hash[:12],
                now=exc.current_hash[:12],
            )
        ) from None


def chance_of(scenario: Any) -> float | None:
    """The analysis' exact chance level for the scenario (None where it is not defined)."""
    from engine.report.cohort_source import chance_level

    return chance_level(scenario)


def use_session_language(args: argparse.Namespace, exercise: Any) -> None:
    """Speak the session's language (the one it was started in) unless --lang was given."""
    if not getattr(args, "lang", None):
        from engine.core.i18n import set_language

        set_language(exercise.language)


def with_exercise(args: argparse.Namespace, work: Callable[[Any], int]) -> int:
    """Open the session's exercise and run `work` on it, turning every expected failure into
    a message and exit 1."""
    from engine.play.machine import PlayError
    from engine.store import open_store
    from engine.store.base import StoreError

    path = db_path(args)
    if store_missing(path):
        return fail(no_store(args.session, path))
    try:
        with open_store(path) as store:
            return work(open_exercise(store, args.session, args))
    except (CommandError, StoreError, PlayError) as exc:
        return fail(str(exc))


# --- headless play (run, resume --choices) ----------------------------------------------------


def continue_headless(
    exercise: Any, choices: list[str], args: argparse.Namespace, *, kept: bool = True
) -> int:
    """Check `choices` from where the exercise stands, play them, print the result."""
    from engine.exercise.exercise import plan_headless, play_headless

    plan = plan_headless(exercise.scenario, exercise.state, choices)  # ChoicesError: no writes
    play_headless(exercise, plan)
    team = exercise.teams[0]
    print_result(exercise, args, team, plan)
    if plan.stopped_at is not None:
        scene = exercise.scene
        offered = ", ".join(c.id for c in exercise.offered)
        if scene.is_drill:
            offered = "options " + ", ".join(o.id for o in scene.options) + " (join with '+')"
        then = (
            _("Session {id} is saved: continue with `nexus-ttx resume {id} --choices ...`").format(
                id=exercise.session_id
            )
            if kept
            else _(
                "Nothing was saved: run again with more choices, or add --save to keep the "
                "session and continue it with `nexus-ttx resume ID --choices ...`"
            )
        )
        return fail(
            _(
                "the choices ran out at decision '{scene}' ({title}); on offer there: {offered}."
            ).format(scene=scene.id, title=scene.title, offered=offered)
            + " "
            + then
        )
    return 0


def print_result(exercise: Any, args: argparse.Namespace, team: str, plan: Any) -> None:
    from engine.play.events import FeedbackTiming
    from engine.report.document import exercise_report
    from engine.report.text import render_text

    if args.json:
        print(
            json.dumps(result_json(exercise, team, plan.stopped_at), indent=2, ensure_ascii=False)
        )
        return
    if getattr(args, "feedback", None) == FeedbackTiming.IMMEDIATE:
        sys.stdout.write(transcript(exercise))
    report = exercise_report(exercise, info=exercise.store.session(exercise.session_id))
    sys.stdout.write(render_text(report, team))


def result_json(exercise: Any, team: str, stopped_at: str | None) -> dict[str, Any]:
    """The `run --json` object: the team's score, plus session, team, path, stopped_at and per
    decision the scene title, choice text and feedback."""
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
    if exercise.scenario.drills:  # beside alignment, never inside it
        out["identification"] = exercise.identification(team).to_json()
    if exercise.session.fired:
        out["injects_fired"] = [f.inject for f in exercise.session.fired]
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


# --- output -----------------------------------------------------------------------------------


def clean(text: Any) -> str:
    """Terminal-safe text: control characters (escape sequences) shown as '?'."""
    return "".join(
        c if c in "\n\t" or (c.isprintable() and c != "\x7f") else "?" for c in str(text)
    )


# --- the editor schema (schema, new, import, validate) -------------------------------------


def installed_schema() -> str:
    """The text of this installation's scenario schema (what copies are compared with)."""
    from engine.core.resources import schema_path

    return schema_path("scenario.schema.json").read_text(encoding="utf-8")


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
