"""`nexus-ttx sessions`: list the recorded sessions (with filters), label one, delete one.

nexus-ttx sessions [--label L] [--scenario S] [--since D] [--status S] [--json]
nexus-ttx sessions label ID TEXT      (an empty TEXT clears the label)
nexus-ttx sessions delete ID [--yes]  (asks y/N on a terminal; --yes to skip)
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.commands.common import (
    add_db_option,
    add_filter_options,
    db_path,
    fail,
    session_filter,
    store_missing,
)
from engine.core.i18n import N_, _

HELP = N_(
    "list, label or delete recorded sessions (filters: --label, --scenario, --since, --status)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_filter_options(parser)
    parser.add_argument("--json", action="store_true", help=_("print a JSON list"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    label = actions.add_parser("label", help=_("set (or, with '', clear) a session's label"))
    label.add_argument("session", metavar="ID", help=_("a session id or a unique prefix"))
    label.add_argument("text", metavar="TEXT", help=_('e.g. "Nairobi course, day 2"'))
    delete = actions.add_parser("delete", help=_("delete a session and all its events"))
    delete.add_argument("session", metavar="ID", help=_("a session id or a unique prefix"))
    delete.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    for sub in (label, delete):
        add_db_option(sub)


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows
    )


def run(args: argparse.Namespace) -> int:
    from engine.store import open_store
    from engine.store.base import StoreError

    path = db_path(args)
    action = getattr(args, "action", None)
    try:
        where = session_filter(args)
    except ValueError as exc:
        return fail(str(exc), 2)
    if store_missing(path):
        if action:
            return fail(f"no session '{args.session}': the session store {path} does not exist")
        print("[]" if args.json else f"no sessions yet ({path} does not exist)")
        return 0
    try:
        with open_store(path, read_only=action not in ("label", "delete")) as store:
            if action == "label":
                return _label(store, args)
            if action == "delete":
                return _delete(store, args)
            infos = store.sessions(where)
    except StoreError as exc:
        return fail(str(exc))
    damaged = getattr(store, "damaged", [])
    for problem in damaged:  # named and skipped; the others are listed
        print(f"nexus-ttx: warning: {problem}", file=sys.stderr)
    listed = _list(infos, args, store.location)
    return listed or (1 if damaged else 0)


def _label(store: Any, args: argparse.Namespace) -> int:
    session_id = store.resolve(args.session)
    store.set_label(session_id, args.text)
    label = store.session(session_id).label
    print(f"session {session_id}: label {label!r}" if label else f"session {session_id}: no label")
    return 0


def _delete(store: Any, args: argparse.Namespace) -> int:
    info = store.session(args.session)
    what = f"session {info.id} ({info.title}{', ' + info.label if info.label else ''}, "
    what += f"{info.status}, {info.events} events)"
    if not args.yes:
        if not sys.stdin.isatty():
            return fail(f"not deleting {what} without --yes (no terminal to ask)")
        answer = input(f"Delete {what}? This cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted")
            return 1
    store.delete(info.id)
    print(f"deleted {what}")
    return 0


def _list(infos: list[Any], args: argparse.Namespace, location: str) -> int:
    if args.json:
        print(json.dumps([i.to_json() for i in infos], indent=2, ensure_ascii=False))
        return 0
    if not infos:
        print(
            f"no sessions match in {location}"
            if _filtered(args)
            else f"no sessions yet in {location}"
        )
        return 0
    rows = [["ID", "SCENARIO", "LABEL", "MODE", "TEAMS", "STATUS", "UPDATED", "SCENE"]]
    for i in infos:
        rows.append(
            [
                i.id,
                i.scenario_id,
                i.label or "-",
                i.mode,
                ", ".join(i.teams),
                i.status,
                i.updated_at[:19].replace("T", " "),
                i.scene or "-",
            ]
        )
    print(_table(rows))
    return 0


def _filtered(args: argparse.Namespace) -> bool:
    return any(getattr(args, k, None) for k in ("label", "scenario", "since", "status"))
