"""The `nexus-ttx` command line: a thin dispatcher over one module per command.

Every command module lives in `cli/commands/` and exposes `HELP`, `add_arguments(parser)` and
`run(args) -> int`. Command modules import only the standard library at module level and load
the engine (or Textual, for `play`) inside `run`, so headless commands start fast and never pull
in Textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from engine.core.i18n import _, choose_language, set_language

# Command name -> module under cli.commands. Order is the order shown in --help.
COMMANDS: dict[str, str] = {
    "play": "play",
    "list": "list_cmd",
    "validate": "validate",
    "analyze": "analyze",
    "test": "test_cmd",
    "run": "run",
    "graph": "graph",
    "sessions": "sessions",
    "cohort": "cohort",
    "store": "store",
    "resume": "resume",
    "report": "report",
    "observe": "observe",
    "plan": "plan",
    "export": "export",
    "toolkit": "toolkit",
    "new": "new",
    "handout": "handout",
    "serve": "serve",
    "schema": "schema",
    "import": "import_cmd",
    "i18n": "i18n",
}


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors, which is the contract; keep its messages short."""


def _load(module: str):
    return importlib.import_module(f"cli.commands.{module}")


def _selected_command(argv: Sequence[str]) -> str | None:
    """The command named in argv, "" when none is, None when all are needed (--help).

    Only the selected command's module is imported: a bare `nexus-ttx` opens the TUI as fast
    as it can, and a headless command never pays for the others.
    """
    from cli.commands.common import GLOBAL_OPTIONS

    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("-h", "--help"):
            return None
        if arg in GLOBAL_OPTIONS:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in COMMANDS else None
    return ""


def _apply_language(cli_value: str | None) -> None:
    """Choose the process's one interface language (docs/architecture.md, "Languages")."""
    choice = choose_language(cli_value, os.environ)
    if choice.warning:
        print(_("nexus-ttx: warning: {message}").format(message=choice.warning), file=sys.stderr)
    set_language(choice.language)
    from cli import argparse_words

    argparse_words.install()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser (only=None), or one whose sole fully-built subcommand is `only`."""
    parser = _Parser(
        prog="nexus-ttx",
        description=_(
            "Tabletop exercises on the nexus between transnational organized crime "
            "and terrorism. With no command, opens the scenario library."
        ),
    )
    from cli.commands import common

    common.add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name, module in COMMANDS.items():
        if only is not None and name != only:
            sub.add_parser(name)  # never parsed in this run; its module is not imported
            continue
        try:
            mod = _load(module)
        except ModuleNotFoundError as exc:
            if exc.name != f"cli.commands.{module}":
                raise
            continue  # command not built yet
        p = sub.add_parser(name, help=_(mod.HELP), description=_(mod.HELP))
        mod.add_arguments(p)
        common.add_global_options(p)  # for its --help; main() moves them in front
        p.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    from cli import safe_output

    safe_output.install()
    from cli.commands.common import hoist_global_options, leading_option

    argv = hoist_global_options(list(argv))
    _apply_language(leading_option(argv, "--lang"))  # before the parser: its help is translated
    parser = build_parser(_selected_command(argv))
    args = parser.parse_args(argv)
    module = getattr(args, "_module", None) or "play"
    try:
        mod = _load(module)
    except ModuleNotFoundError:
        parser.error(
            _("the command {name!r} is not available in this build").format(
                name=args.command or "play"
            )
        )
    try:
        return int(mod.run(args) or 0)
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
