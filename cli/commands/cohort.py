"""`nexus-ttx cohort [--label L] [--scenario S] [--since D] [--compare A B] --format html|csv|json`

Opens the store and prints or writes the cohort report: engine/report/cohort_source.py reads
the selected sessions and their scenarios (a session whose scenario is missing or changed is
left out and named), engine/report/cohort.py does the sums.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.commands.common import (
    add_db_option,
    add_filter_options,
    add_library_options,
    db_path,
    emit,
    fail,
    library_dirs,
    scenario_language,
    session_filter,
    store_missing,
)
from engine.core.i18n import N_, _
from engine.report.words import words

STATUS_FILTER_WORDS = {
    "active": N_("in progress"),
    "ended": N_("completed"),
    "abandoned": N_("abandoned"),
}

HELP = N_("compare sessions as a cohort: alignment per area and practice, misses, harm, spread")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    add_filter_options(parser)
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("LABEL_A", "LABEL_B"),
        help=_("two labels side by side (the other filters apply to both)"),
    )
    parser.add_argument(
        "--format",
        choices=("html", "csv", "json"),
        default="html",
        help=_("html (a page with charts; the default), csv or json (data: keys stay English)"),
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output")
    )


def _title(args: argparse.Namespace, label: str | None) -> str:
    parts = [label or _("all sessions")]
    if args.scenario:
        parts.append(_("scenario {id}").format(id=args.scenario))
    if args.since:
        parts.append(_("since {date}").format(date=args.since))
    if args.status:
        parts.append(words(STATUS_FILTER_WORDS, args.status))
    return ", ".join(parts)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from engine.check.validate import load_scenario
    from engine.report.cohort import Comparison
    from engine.report.cohort_render import render_csv, render_html
    from engine.report.cohort_source import Sources, collect
    from engine.store import open_store
    from engine.store.base import StoreError

    try:
        where = session_filter(args)
    except ValueError as exc:
        return fail(str(exc), 2)
    path = db_path(args)
    if store_missing(path):
        return fail(_("no sessions: the session store {path} does not exist yet").format(path=path))
    language = scenario_language(args)
    sources = Sources(library_dirs(args), lambda path: load_scenario(path, language))
    try:
        with open_store(path) as store:
            if args.compare:
                a, b = args.compare
                report: Any = Comparison(
                    collect(store, replace(where, label=a), _title(args, a), sources),
                    collect(store, replace(where, label=b), _title(args, b), sources),
                )
            else:
                report = collect(store, where, _title(args, args.label), sources)
    except StoreError as exc:
        return fail(str(exc))
    if args.format == "json":
        text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        text = render_csv(report)
    else:
        text = render_html(report)
    return emit(text, args.output)
