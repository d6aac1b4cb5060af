"""`nexus-ttx export ID --format xapi [--output FILE] [--lrs URL --lrs-user USER]`.

Writes the session's xAPI 1.0.3 statements as JSON Lines (one statement per line), or posts them
to a learning record store in batches (`POST {URL}/statements`, basic auth, header
`X-Experience-API-Version: 1.0.3`). The password comes from `NEXUS_TTX_LRS_PASSWORD`, else a
prompt (never an option: it would show in the process list and the shell history). Statement ids
are stable, so posting a session again is safe: an LRS answers 409 for a batch it already has,
and that is reported as already stored.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from typing import Any

from cli.commands.common import (
    add_db_option,
    add_library_options,
    emit,
    fail,
    use_session_language,
    with_exercise,
)
from engine.core.i18n import N_, _, ngettext

HELP = N_("export a session for other systems: xAPI statements (JSON Lines, or posted to an LRS)")
PASSWORD_ENV = "NEXUS_TTX_LRS_PASSWORD"
TIMEOUT = 30


class LrsError(Exception):
    """The LRS refused or could not be reached."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("session", metavar="ID", help=_("a session id (or a unique prefix)"))
    parser.add_argument("--format", choices=("xapi",), default="xapi", help=_("xapi (default)"))
    parser.add_argument("--output", "-o", metavar="FILE", help=_("write to FILE, not stdout"))
    parser.add_argument("--lrs", metavar="URL", help=_("post to this LRS endpoint (e.g. .../xAPI)"))
    parser.add_argument("--lrs-user", metavar="USER", help=_("basic-auth user for --lrs"))
    parser.add_argument(
        "--batch", type=int, default=50, metavar="N", help=_("statements per POST (default 50)")
    )


def statements_of(ex: Any) -> list[dict[str, Any]]:
    from engine.report.xapi import statements

    scores = ex.participant_scores()
    participants = {p.id: (p.team, scores[p.id]) for p in ex.session.participants}
    # the language maps name the language the texts are in: the translation's when one was used
    scenario = ex.scenario._replace(language=texts_language(ex))
    return statements(scenario, ex.session, ex.events(), ex.scores(), participants)


def texts_language(ex: Any) -> str:
    """The language of the session's scenario texts as loaded: the interface language when the
    scenario has that translation beside it (engine.exercise.resume loads it), else the file's."""
    from engine.core.i18n import current_language
    from engine.load.translation import translation_path

    wanted, base = current_language(), ex.scenario.language or "en"
    path = ex.scenario_path
    if wanted != base and path and translation_path(path, wanted).is_file():
        return wanted
    return base


def endpoint(url: str) -> str:
    base = url.rstrip("/")
    return base if base.endswith("/statements") else base + "/statements"


def _password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise LrsError(
            _("set {variable} for the LRS password (no terminal to ask on)").format(
                variable=PASSWORD_ENV
            )
        )
    import getpass

    return getpass.getpass(_("LRS password: "))


def post(url: str, user: str, password: str, batch: list[dict[str, Any]]) -> str:
    """POST one batch; returns "stored" or "already stored" (409)."""
    import urllib.error
    import urllib.request

    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    request = urllib.request.Request(
        endpoint(url),
        data=json.dumps(batch).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": "1.0.3",
            "Authorization": f"Basic {token}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
            return "stored"
    except urllib.error.HTTPError as exc:
        if exc.code == 409:
            return "already stored"
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise LrsError(
            f"the LRS at {endpoint(url)} answered {exc.code} {exc.reason}: {detail}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LrsError(f"cannot reach the LRS at {endpoint(url)}: {reason}") from None


def _send(args: argparse.Namespace, items: list[dict[str, Any]]) -> int:
    if not args.lrs.startswith(("http://", "https://")):
        return fail(
            _("--lrs needs an http:// or https:// URL, got {url!r}").format(url=args.lrs), 2
        )
    if not args.lrs_user:
        return fail(_("--lrs needs --lrs-user (and the password in NEXUS_TTX_LRS_PASSWORD)"), 2)
    if args.batch < 1:
        return fail(_("--batch must be at least 1"), 2)
    try:
        password = _password()
        results = [
            post(args.lrs, args.lrs_user, password, items[i : i + args.batch])
            for i in range(0, len(items), args.batch)
        ]
    except LrsError as exc:
        return fail(str(exc))
    again = results.count("already stored")
    posted = ngettext(
        "posted {n} statement in {batches} to {url}",
        "posted {n} statements in {batches} to {url}",
        len(items),
    ).format(
        n=len(items),
        batches=ngettext("{n} batch", "{n} batches", len(results)).format(n=len(results)),
        url=endpoint(args.lrs),
    )
    if again:
        posted += " " + ngettext(
            "({n} batch was already stored)", "({n} batches were already stored)", again
        ).format(n=again)
    print(posted)
    return 0


def run(args: argparse.Namespace) -> int:
    items: list[dict[str, Any]] = []

    def work(ex: Any) -> int:
        use_session_language(args, ex)
        items.extend(statements_of(ex))
        return 0

    code = with_exercise(args, work)
    if code:
        return code
    if args.lrs:
        return _send(args, items)
    text = "".join(json.dumps(s, ensure_ascii=False, sort_keys=True) + "\n" for s in items)
    return emit(
        text,
        args.output,
        lambda out: ngettext(
            "wrote {n} xAPI statement to {path}", "wrote {n} xAPI statements to {path}", len(items)
        ).format(n=len(items), path=out),
    )
