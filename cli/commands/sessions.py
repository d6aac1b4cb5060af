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
from engine.core.i18n import N_, _, ngettext

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
            return fail(
                _("no session '{id}': the session store {path} does not exist").format(
                    id=args.session, path=path
                )
            )
        print("[]" if args.json else _("no sessions yet ({path} does not exist)").format(path=path))
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
        print(_("nexus-ttx: warning: {message}").format(message=problem), file=sys.stderr)
    listed = _list(infos, args, store.location)
    return listed or (1 if damaged else 0)


def _label(store: Any, args: argparse.Namespace) -> int:
    session_id = store.resolve(args.session)
    store.set_label(session_id, args.text)
    label = store.session(session_id).label
    print(
        _("session {id}: label {label!r}").format(id=session_id, label=label)
        if label
        else _("session {id}: no label").format(id=session_id)
    )
    return 0


def _delete(store: Any, args: argparse.Namespace) -> int:
    info = store.session(args.session)
    label = ", " + info.label if info.label else ""
    events = ngettext("{n} event", "{n} events", info.events).format(n=info.events)
    what = _("session {id} ({title}{label}, {status}, {events})").format(
        id=info.id, title=info.title, label=label, status=_status(info.status), events=events
    )
    if not args.yes:
        if not sys.stdin.isatty():
            return fail(
                _("not deleting {what} without --yes (no terminal to ask)").format(what=what)
            )
        answer = input(_("Delete {what}? This cannot be undone. [y/N] ").format(what=what))
        if answer.strip().lower() not in ("y", "yes", _("y"), _("yes")):
            print(_("nothing deleted"))
            return 1
    store.delete(info.id)
    print(_("deleted {what}").format(what=what))
    return 0


def _list(infos: list[Any], args: argparse.Namespace, location: str) -> int:
    if args.json:
        print(json.dumps([i.to_json() for i in infos], indent=2, ensure_ascii=False))
        return 0
    if not infos:
        none = _("no sessions match in {location}") if _filtered(args) else None
        print((none or _("no sessions yet in {location}")).format(location=location))
        return 0
    rows = [
        [_("ID"), _("SCENARIO"), _("LABEL"), _("MODE"), _("TEAMS")]
        + [_("STATUS"), _("UPDATED"), _("SCENE")]
    ]
    for i in infos:
        rows.append(
            [
                i.id,
                i.scenario_id,
                i.label or "-",
                _mode(i.mode),
                ", ".join(i.teams),
                _status(i.status),
                i.updated_at[:19].replace("T", " "),
                i.scene or "-",
            ]
        )
    print(_table(rows))
    print(ngettext("{n} session", "{n} sessions", len(infos)).format(n=len(infos)))
    return 0


def _mode(mode: str) -> str:
    """A session's mode (solo, facilitated) in the interface language."""
    from engine.report.words import MODE_WORDS, words

    return words(MODE_WORDS, mode)


def _status(status: str) -> str:
    """A session's status in words of the interface language (the JSON keeps the code)."""
    from engine.report.words import session_status_words

    return session_status_words(status)


def _filtered(args: argparse.Namespace) -> bool:
    return any(getattr(args, k, None) for k in ("label", "scenario", "since", "status"))
