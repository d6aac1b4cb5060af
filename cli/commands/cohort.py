"""`nexus-ttx cohort [--label L] [--scenario S] [--since D] [--compare A B] --format html|csv|json`

Reads the selected sessions from the store, loads each one's scenario (where it was played
from, else by id in the libraries; a scenario whose content changed since is left out and
named), and prints or writes the cohort report (engine/report/cohort.py does the sums).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli.commands.common import (
    CommandError,
    add_db_option,
    add_filter_options,
    add_library_options,
    chance_of,
    db_path,
    fail,
    locate_scenario,
    session_filter,
    store_missing,
)

HELP = "compare sessions as a cohort: alignment per area and practice, misses, harm, spread"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    add_filter_options(parser)
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("LABEL_A", "LABEL_B"),
        help="two labels side by side (the other filters apply to both)",
    )
    parser.add_argument("--format", choices=("html", "csv", "json"), default="html")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE instead of standard output"
    )


class _Loader:
    """Scenarios, chance levels and catalog words, each loaded once."""

    def __init__(self, args: argparse.Namespace) -> None:
        from engine.exercise.exercise import catalog_area_of

        self.args = args
        self.area_of = catalog_area_of()
        self._scenarios: dict[tuple[str, str], Any] = {}
        self._chance: dict[str, float | None] = {}
        self.words = _catalog_words()

    def scenario(self, info: Any) -> Any:
        """The session's scenario, or a ValueError saying why it cannot be used."""
        from engine.check.validate import ScenarioInvalid, load_scenario

        key = (info.scenario_path or "", info.scenario_id)
        if key not in self._scenarios:
            try:
                self._scenarios[key] = load_scenario(locate_scenario(info, self.args))
            except CommandError as exc:
                self._scenarios[key] = str(exc)
            except (ScenarioInvalid, OSError):
                self._scenarios[key] = f"the scenario '{info.scenario_id}' is no longer valid"
        found = self._scenarios[key]
        if isinstance(found, str):
            raise ValueError(found)
        if found.content_hash != info.content_hash:
            raise ValueError(f"the scenario '{info.scenario_id}' has changed since it was played")
        return found

    def chance(self, scenario: Any) -> float | None:
        if scenario.id not in self._chance:
            self._chance[scenario.id] = chance_of(scenario)
        return self._chance[scenario.id]


def _catalog_words() -> dict[str, str]:
    """Area names, practice titles and key-action texts by id (empty without a catalog)."""
    try:
        from engine.toolkit.catalog import load_catalog

        catalog = load_catalog()
    except Exception:  # words are a nicety: ids stand in for them
        return {}
    words = {a.id: a.name for a in catalog.areas}
    for gp in catalog.good_practices:
        words[gp.id] = gp.short_title or gp.title
        words.update({k.id: k.text for k in gp.key_actions})
    return words


def _build(store: Any, where: Any, title: str, loader: _Loader) -> Any:
    from engine.play.machine import PlayError
    from engine.report.cohort import build_cohort, played

    sessions, skipped = [], []
    for info in store.sessions(where):
        try:
            scenario = loader.scenario(info)
            sessions.append(
                played(
                    scenario,
                    store.events(info.id),
                    label=info.label,
                    chance=loader.chance(scenario),
                    area_of=loader.area_of,
                )
            )
        except (ValueError, PlayError) as exc:
            skipped.append((info.id, str(exc)))
    words = loader.words.get
    return build_cohort(
        title,
        sessions,
        area_name=lambda k: words(k, k),
        practice_name=lambda k: words(k, k),
        action_text=lambda k: words(k, k),
        skipped=skipped,
    )


def _title(args: argparse.Namespace, label: str | None) -> str:
    parts = [label or "all sessions"]
    if args.scenario:
        parts.append(f"scenario {args.scenario}")
    if args.since:
        parts.append(f"since {args.since}")
    if args.status:
        parts.append(args.status)
    return ", ".join(parts)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from engine.report.cohort import Comparison
    from engine.report.cohort_render import render_csv, render_html
    from engine.store import open_store
    from engine.store.base import StoreError

    try:
        where = session_filter(args)
    except ValueError as exc:
        return fail(str(exc), 2)
    path = db_path(args)
    if store_missing(path):
        return fail(f"no sessions: the session store {path} does not exist yet")
    loader = _Loader(args)
    try:
        with open_store(path) as store:
            if args.compare:
                a, b = args.compare
                report: Any = Comparison(
                    _build(store, replace(where, label=a), _title(args, a), loader),
                    _build(store, replace(where, label=b), _title(args, b), loader),
                )
            else:
                report = _build(store, where, _title(args, args.label), loader)
    except StoreError as exc:
        return fail(str(exc))
    if args.format == "json":
        text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        text = render_csv(report)
    else:
        text = render_html(report)
    return _emit(text, args.output)


def _emit(text: str, output: str | None) -> int:
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(f"cannot write {output}: {exc.strerror or exc}")
    print(f"wrote {output}", file=sys.stderr)
    return 0
