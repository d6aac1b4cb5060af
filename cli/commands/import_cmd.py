"""`nexus-ttx import STORY.twee [--output FILE] [--force]`: a Twine draft as a scenario skeleton."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from engine.core.i18n import N_, _, ngettext

HELP = N_(
    "turn a Twine story (Twee 3) into a scenario skeleton that validates, listing what to add"
)

MAX_BYTES = 8 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "story", metavar="STORY.twee", help=_("a Twee 3 file (Twine: Build > Twee)")
    )
    parser.add_argument("--output", metavar="FILE", help=_("scenario to write (default: ID.yaml)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    parser.add_argument(
        "--environment",
        choices=("politically-stable", "transitional", "post-conflict"),
        help=_("the toolkit environment (default: a placeholder to change)"),
    )
    parser.add_argument("--region", help=_('where it is set, e.g. "Sahel (Mali, Niger)"'))


def run(args: argparse.Namespace) -> int:
    from cli.commands.common import fail, write_copy
    from engine.author import twine
    from engine.author.schema_copy import schema_ref
    from engine.load.files import FileRefused, read_regular

    source = Path(args.story)
    try:
        raw = read_regular(source, MAX_BYTES)
    except FileRefused as exc:
        return fail(f"{source}: {exc}", 1)
    except OSError as exc:
        return fail(f"{source}: cannot read: {exc.strerror or exc}", 1)
    try:
        text = raw.decode("utf-8-sig")
        conversion = twine.convert(
            twine.parse_twee(text), source.name, args.environment, args.region
        )
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _located(source, line, column, "not UTF-8 text (save the file as UTF-8)")
    except twine.TweeError as exc:
        return _located(source, exc.line, exc.column, exc.message)
    output = Path(args.output) if args.output else Path(f"{conversion.scenario['id']}.yaml")
    if output.exists() and not args.force:
        return fail(_("{path} already exists (use --force to overwrite)").format(path=output))
    folder = output.parent
    if folder.exists() and not folder.is_dir():
        return fail(_("{path} is not a folder").format(path=folder), 2)
    folder.mkdir(parents=True, exist_ok=True)
    ref = schema_ref(".", ".")
    output.write_text(twine.render(conversion, source.name, ref), encoding="utf-8")
    write_copy(folder)
    count = len(conversion.scenario["scenes"])
    scenes = ngettext("{n} scene", "{n} scenes", count).format(n=count)
    print(_("wrote {path} ({scenes})").format(path=output, scenes=scenes))
    return _report(output, conversion)


def _located(source: Path, line: int, column: int, message: str) -> int:
    print(f"{source}:{line}:{column}: error: {message}", file=sys.stderr)
    return 1


def _report(output: Path, conversion: object) -> int:
    from engine.author import twine
    from engine.check.validate import validate_file

    assert isinstance(conversion, twine.Conversion)
    for note in twine.sorted_notes(conversion.notes):
        print(f"  {twine.note_text(note)}")  # lines are the Twee file's
    found = validate_file(output).diagnostics
    errors = [d for d in found if d.severity == "error"]
    for d in found:
        print(d.format_text())
    counts = ", ".join(
        (
            ngettext("{n} error", "{n} errors", len(errors)).format(n=len(errors)),
            ngettext("{n} warning", "{n} warnings", len(found) - len(errors)).format(
                n=len(found) - len(errors)
            ),
        )
    )
    verdict = (
        _("{path} does not validate yet ({counts})") if errors else _("{path} validates ({counts})")
    )
    print(verdict.format(path=output, counts=counts))
    print(_("next: nexus-ttx validate --strict {path}").format(path=os.fspath(output)))
    return 1 if errors else 0
