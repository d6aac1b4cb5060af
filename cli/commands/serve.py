"""`nexus-ttx serve SESSION [--host 127.0.0.1] [--port 8765]`: participants vote from their
own browsers into a stored facilitated session.

The server is its own process; the store is the only state it shares with the facilitator's
TUI. It binds to the loopback interface unless told otherwise: to reach online participants,
put a TLS tunnel or reverse proxy in front of it (README, "Live sessions").
Module level: standard library only; aiohttp and the engine load inside `run`.
"""

from __future__ import annotations

import argparse
import json

from cli.commands.common import (
    add_db_option,
    add_library_options,
    db_path,
    fail,
    no_store,
    store_missing,
)
from engine.core.i18n import N_, _

HELP = N_("serve a facilitated session to participants' browsers (join code, votes, projector)")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is between 0 (any free port) and 65535")
    return value


def _joins(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= 100_000:
        raise argparse.ArgumentTypeError("between 0 (no limit) and 100000 joins a minute")
    return value


def _code(text: str) -> str:
    from web.room import CODE_ALPHABET

    code = text.strip().upper()
    if len(code) != 6 or any(c not in CODE_ALPHABET for c in code):
        raise argparse.ArgumentTypeError(
            f"a join code is 6 characters from {CODE_ALPHABET} (no 0, O, 1 or I)"
        )
    return code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("session", metavar="SESSION", help=_("a session id (or a unique prefix)"))
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1 only)")
    )
    parser.add_argument("--port", type=_port, default=8765, help=_("port (default 8765; 0: any)"))
    parser.add_argument("--code", type=_code, default=None, help=_("the join code (default: new)"))
    parser.add_argument(
        "--key", default=None, help=_("the projector page's key (default: a new random one)")
    )
    parser.add_argument(
        "--public-url", default="", help=_("the join URL participants use (behind a proxy)")
    )
    parser.add_argument(
        "--joins-per-minute",
        type=_joins,
        default=60,
        metavar="N",
        help=_(
            "join attempts allowed per client address: N a minute, all at once if need be "
            "(default 60; raise it behind a proxy, where everyone shares its address; 0: no limit)"
        ),
    )
    parser.add_argument(
        "--json", action="store_true", help=_("print one JSON line (url, code, screen) when ready")
    )


def run(args: argparse.Namespace) -> int:
    from cli.commands.common import CommandError, open_exercise, use_session_language
    from engine.play.machine import PlayError
    from engine.store import open_store
    from engine.store.base import StoreError

    path = db_path(args)
    if store_missing(path):
        return fail(no_store(args.session, path))
    try:
        store = open_store(path)
        exercise = open_exercise(store, args.session, args)
        use_session_language(args, exercise)
    except (CommandError, StoreError, PlayError) as exc:
        return fail(str(exc))
    if exercise.mode != "facilitated":
        return fail(
            _(
                "session {id} is a solo session; serve a facilitated one "
                '(`nexus-ttx play SCENARIO --teams "Table 1,Table 2"`)'
            ).format(id=exercise.session_id)
        )
    try:
        return _serve(args, exercise)
    except OSError as exc:
        return fail(
            _("cannot listen on {host}:{port}: {error}").format(
                host=args.host, port=args.port, error=exc.strerror or exc
            )
        )
    finally:
        store.close()


def _serve(args: argparse.Namespace, exercise: object) -> int:
    import asyncio
    import secrets
    import signal

    from aiohttp import web

    from web.room import LiveRoom, new_code
    from web.server import make_app

    async def main() -> None:
        room = LiveRoom(
            exercise,  # type: ignore[arg-type]
            args.code or new_code(),
            args.key or secrets.token_urlsafe(18),
            joins_per_minute=args.joins_per_minute,
        )
        app = make_app(room, args.public_url)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, args.host, args.port)
        await site.start()
        port = runner.addresses[0][1]
        host = args.host if ":" not in args.host else f"[{args.host}]"
        url = args.public_url or f"http://{host}:{port}/"
        info = {
            "url": url,
            "code": room.code,
            "screen": f"{url.rstrip('/')}/screen?key={room.screen_key}",
            "port": port,
            "session": room.session.id,
        }
        if args.json:
            print(json.dumps(info), flush=True)
        else:
            lines = (
                _("Serving session {id} at {url}").format(id=info["session"], url=url),
                _("Join code: {code}").format(code=room.code),
                _("Projector: {url}").format(url=info["screen"]),
                _("Press Ctrl+C to stop."),
            )
            print("\n".join(lines), flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await runner.cleanup()

    asyncio.run(main())
    return 0
