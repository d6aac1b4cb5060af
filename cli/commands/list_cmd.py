"""`nexus-ttx list`: the scenarios in the built-in library and any --library folders."""

from __future__ import annotations

import argparse
import json
import sys

from cli.commands.common import add_library_options, library_dirs
from engine.core.i18n import N_, _, ngettext

HELP = N_(
    "list the scenarios in the libraries (filter by environment, region, practice, manifestation)"
)

_TITLE_WIDTH = 48


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_library_options(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help=_(
            "print a JSON list (id, title, environment, region, manifestations, "
            "watch_points, good_practices, path, ...)"
        ),
    )
    parser.add_argument(
        "--environment", metavar="ENV", help=_("politically-stable, transitional or post-conflict")
    )
    parser.add_argument(
        "--region",
        metavar="TEXT",
        help=_("scenarios whose region contains TEXT (case-insensitive)"),
    )
    parser.add_argument(
        "--practice", metavar="GP", help=_("scenarios that train this good practice, e.g. GP21")
    )
    parser.add_argument(
        "--manifestation", metavar="M", help=_("e.g. alliances, hybrid, black-hole")
    )


def _matches(entry, args: argparse.Namespace) -> bool:
    if args.environment and entry.environment != args.environment.strip().lower():
        return False
    if args.region and args.region.strip().casefold() not in entry.region.casefold():
        return False
    if args.practice and args.practice.strip().upper() not in entry.good_practices:
        return False
    return not (
        args.manifestation and args.manifestation.strip().lower() not in entry.manifestations
    )


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(entries) -> str:
    rows = [(_("ID"), _("TITLE"), _("ENVIRONMENT"), _("REGION"))]
    rows += [
        (e.id, _clip(e.title, _TITLE_WIDTH), e.environment, _clip(e.region, 40)) for e in entries
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)).rstrip()
        for row in rows
    )


def run(args: argparse.Namespace) -> int:
    from engine.core.i18n import current_language
    from engine.load.library import discover

    # titles, summaries and regions in the interface language where a scenario translates them
    entries, problems = discover(library_dirs(args), language=current_language())
    for problem in problems:
        print(problem, file=sys.stderr)
    shown = [e for e in entries if _matches(e, args)]
    # two files with one id: both listed, the conflict named above, and an error exit
    code = 1 if any(e.conflicts for e in entries) else 0
    if args.json:
        json.dump([e.to_json() for e in shown], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return code
    if not shown:
        none = _("No scenarios match these filters.") if entries else _("No scenarios were found.")
        hint = _("Add a folder with --library DIR or NEXUS_TTX_LIBRARY.")
        print(f"{none} {hint}", file=sys.stderr)
        return code
    print(_table(shown))
    print(ngettext("{n} scenario", "{n} scenarios", len(shown)).format(n=len(shown)))
    return code
