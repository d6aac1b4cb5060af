"""`nexus-ttx graph SCENARIO --format mermaid|dot`: the scenario as a diagram.

Mermaid output renders on GitHub as is (paste it in a ```mermaid block); DOT goes to Graphviz
(`nexus-ttx graph x.yaml --format dot | dot -Tsvg > x.svg`). A scenario that the analysis finds
looping or dead-ending is still drawn (that is when a picture helps most).
"""

from __future__ import annotations

import argparse
import sys

from cli.commands.common import LoadFailed, add_library_options, load_checked
from engine.core.i18n import N_, _

HELP = N_("draw a scenario as a Mermaid or Graphviz DOT diagram")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_library_options(parser)
    parser.add_argument("scenario", metavar="SCENARIO", help=_("a scenario file or a library id"))
    parser.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help=_("mermaid (renders on GitHub; the default) or dot (Graphviz)"),
    )


def run(args: argparse.Namespace) -> int:
    try:
        result = load_checked(args, translate=True)
    except LoadFailed as exc:
        return exc.code
    from engine.analysis.graph import render

    sys.stdout.write(render(result.scenario, args.format))
    return 0
