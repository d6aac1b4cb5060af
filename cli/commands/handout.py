"""`nexus-ttx handout SCENARIO [--format html|md] [--timing NAME] [--role ROLE] [--facilitator]`:
the printed companions of an exercise.

Without `--facilitator`: the participants' situation manual (HSEEP's SitMan): scope, objectives,
ground rules, artificialities and assumptions, the modules with their timings, the roles, the
briefing and a glossary of the toolkit's terms; never the facilitator-only layer. `--role ROLE`
adds that role's card: its brief and the information only it receives, scene by scene.
With `--facilitator`: the facilitator guide, which adds per module the scene, the discussion
prompts, the watch points, the key actions the toolkit recommends, every role's private
information, and the on-demand injects. `--timing` picks one of the scenario's timing profiles
(short, standard, long).
"""

from __future__ import annotations

import argparse

from cli.commands.common import LoadFailed, add_library_options, emit, fail, load_checked
from engine.core.i18n import N_, _

HELP = N_("print a scenario's situation manual for participants, or its facilitator guide")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_library_options(parser)
    parser.add_argument("scenario", metavar="SCENARIO", help=_("a scenario file or a library id"))
    parser.add_argument(
        "--format",
        choices=("html", "md"),
        default="html",
        help=_("html (printable, self-contained; the default) or md (Markdown)"),
    )
    parser.add_argument(
        "--timing", metavar="NAME", help=_("the timing profile: short, standard (default) or long")
    )
    parser.add_argument("--role", metavar="ROLE", help=_("add this role's card (a role id)"))
    parser.add_argument(
        "--facilitator",
        action="store_true",
        help=_("the facilitator guide (prompts, watch points, expected key actions, injects)"),
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output")
    )


def run(args: argparse.Namespace) -> int:
    from engine.analysis.statespace import Explorer

    explorer = Explorer()
    try:
        result = load_checked(args, explorer, translate=True)
    except LoadFailed as exc:
        return exc.code
    from engine.core.i18n import current_language
    from engine.report.handout import build_handout, modules_reached
    from engine.toolkit.catalog import load_catalog

    scenario = result.scenario
    try:
        doc = build_handout(
            scenario,
            load_catalog(lang=current_language()),
            modules_reached(explorer.space(scenario)),
            audience="facilitator" if args.facilitator else "participant",
            timing=args.timing,
            role=args.role,
        )
    except ValueError as exc:
        return fail(str(exc), 2)
    if args.format == "md":
        from engine.report.handout_md import render_handout_md

        text = render_handout_md(doc)
    else:
        from engine.report.handout_html import render_handout_html

        text = render_handout_html(doc, current_language())
    return emit(text, args.output)
