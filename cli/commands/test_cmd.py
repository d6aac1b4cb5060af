"""`nexus-ttx test SCENARIO [--random N --seed S] [--json]`: automated path testing.

Without `--random`: a quicktest — every reachable play state is visited once and every offered
choice made; any runtime error, dead end or loop fails it. With `--random N`: N seeded random
playthroughs preferring the least-used choice, reporting hit counts per scene, choice and key
action and the distribution of alignment and endings (same seed, same report). Exit 0 when the
test passes, 1 when it fails or the file is not a valid scenario.
"""

from __future__ import annotations

import argparse
import json
import sys

from cli.commands.common import LoadFailed, add_library_options, add_max_states, load_checked
from engine.core.i18n import N_, _

HELP = N_("test a scenario's paths: quicktest (every state), or --random N seeded playthroughs")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_library_options(parser)
    parser.add_argument("scenario", metavar="SCENARIO", help=_("a scenario file or a library id"))
    parser.add_argument(
        "--random",
        type=int,
        default=None,
        metavar="N",
        help=_("play N random sessions instead of the quicktest"),
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help=_("random seed for --random (default 0): same seed, same report"),
    )
    parser.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    add_max_states(parser)


def run(args: argparse.Namespace) -> int:
    if args.random is not None and args.random < 1:
        print("nexus-ttx test: error: --random needs at least 1 run", file=sys.stderr)
        return 2
    from engine.analysis.statespace import Explorer

    explorer = Explorer(args.max_states)
    try:
        result = load_checked(args, explorer)
    except LoadFailed as exc:
        return exc.code
    from engine.analysis import pathtest

    scenario = result.scenario
    if args.random is None:
        report = pathtest.quicktest(scenario, args.max_states, explorer)
    else:
        from engine.play.scoring import catalog_area_of

        report = pathtest.randomtest(scenario, args.random, args.seed, area_of=catalog_area_of())
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.format_text())
    return 0 if report.ok else 1
