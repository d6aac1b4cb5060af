"""`nexus-ttx store copy FROM TO [--session ID]...`: move sessions between stores.

FROM and TO are each a SQLite file or a `postgresql://` URL. Every session (or only those
named) is copied with its index row and its events exactly as stored, one transaction per
session: a copy that stops half-way leaves whole sessions only, and running it again copies
the rest (a session already in TO with the same events is skipped; one with different events
under the same id is reported and left alone). Nothing in FROM is changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.commands.common import SERVER_PREFIXES, fail
from engine.core.i18n import N_, _, ngettext

HELP = N_("copy sessions between stores (SQLite file or postgresql:// URL), losing nothing")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    copy = actions.add_parser("copy", help=_("copy sessions FROM one store TO another"))
    copy.add_argument("source", metavar="FROM", help=_("a SQLite file or a postgresql:// URL"))
    copy.add_argument("target", metavar="TO", help=_("a SQLite file or a postgresql:// URL"))
    copy.add_argument(
        "--session",
        action="append",
        metavar="ID",
        help=_("copy only this session (repeatable; an id or a unique prefix)"),
    )


def _target(text: str) -> Path | str:
    return text if text.startswith(SERVER_PREFIXES) else Path(text)


def run(args: argparse.Namespace) -> int:
    from engine.store import open_store
    from engine.store.base import StoreError

    source = _target(args.source)
    if isinstance(source, Path) and not source.is_file():
        return fail(_("the session store {path} does not exist").format(path=source))
    try:
        with open_store(source) as src, open_store(_target(args.target)) as dst:
            return _copy(src, dst, args.session)
    except StoreError as exc:
        return fail(str(exc))


def _copy(src: Any, dst: Any, only: list[str] | None) -> int:
    from engine.store.base import SessionExists

    ids = [src.resolve(ref) for ref in only] if only else [i.id for i in src.sessions()]
    copied = events = same = 0
    clashes = []
    for session_id in ids:
        record = src.dump_session(session_id)
        try:
            dst.load_session(record)
        except SessionExists:
            if dst.dump_session(session_id) == record:
                same += 1
            else:
                clashes.append(session_id)
            continue
        copied += 1
        events += len(record.events)
    done = ngettext(
        "copied {n} session ({events}) from {source} to {target}",
        "copied {n} sessions ({events}) from {source} to {target}",
        copied,
    ).format(
        n=copied,
        events=ngettext("{n} event", "{n} events", events).format(n=events),
        source=src.location,
        target=dst.location,
    )
    if same:
        done += ngettext(
            "; {n} already there, unchanged", "; {n} already there, unchanged", same
        ).format(n=same)
    print(done)
    if clashes:
        message = ngettext(
            "{n} session id already in {target} with other events, left alone: {ids}",
            "{n} session ids already in {target} with other events, left alone: {ids}",
            len(clashes),
        ).format(n=len(clashes), target=dst.location, ids=", ".join(clashes))
        print(f"nexus-ttx: error: {message}", file=sys.stderr)
        return 1
    return 0
