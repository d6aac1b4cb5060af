"""The participant web server (aiohttp + jinja2 with autoescape) for one live session.

Pages work without JavaScript (plain forms, a meta refresh); with it, a small script follows
the server-sent event stream (polling if the stream fails). The JSON API is what tests and other
clients use: `POST /api/join`, `GET /api/state`, `POST /api/vote` (`{"scene", "choice"}` at a
decision; `{"scene", "choices": [option ids]}` at an identify drill), `GET /api/events`,
`POST /api/feedback` (once the session has ended, else 409; 422 for a bad rating or a text over
1,000 characters; 409 on a second answer from the same person, remembered by this server process
only, since the stored event carries no participant id).

Security: every response carries `Content-Security-Policy: default-src 'self'`; every POST must
come from this server's own origin; bodies over 4 KB are refused; a participant is known only
by a bearer token (cookie `ttx`, HttpOnly, SameSite=Strict, or `Authorization: Bearer`) whose
sha256 is in the session's `participant_joined` event; each participant is rate limited, and
join attempts are limited per client address (`serve --joins-per-minute`).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markupsafe
from aiohttp import web

from engine.core.i18n import _, current_language, ngettext
from engine.play import machine
from engine.play.checks import InvalidEvent
from engine.play.room import NAME_MAX, Participant, clean_name
from web.feedback import BadFeedback, parse
from web.room import FeedbackTwice, LiveRoom

HERE = Path(__file__).resolve().parent
MAX_BODY = 4096
COOKIE = "ttx"
CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
ROOM: web.AppKey[LiveRoom] = web.AppKey("room", LiveRoom)
JINJA: web.AppKey[jinja2.Environment] = web.AppKey("jinja", jinja2.Environment)
JOIN_URL: web.AppKey[list[str]] = web.AppKey("join_url", list)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Refused(Exception):
    """A request refused with an HTTP status and a message for the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- middlewares ------------------------------------------------------------------------------


@web.middleware
async def security(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method == "POST":
        if (request.content_length or 0) > MAX_BODY:
            return _error(request, 413, _("The request is too large."))
        if not _same_origin(request):
            return _error(request, 403, _("Requests must come from this server's own pages."))
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        response = _error(request, 413, _("The request is too large."))
    _harden(response)
    return response


def _harden(response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = (
        "same-origin"  # no-referrer makes Chromium send Origin: null
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")


def _same_origin(request: web.Request) -> bool:
    """The Origin header names this server (its Host): a page elsewhere cannot post here."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    host = request.headers.get("Host", "")
    return urlsplit(origin).netloc.lower() == host.lower() and host != ""


def _error(request: web.Request, status: int, message: str) -> web.Response:
    if request.path.startswith("/api/"):
        response = web.json_response({"error": message}, status=status)
    else:
        response = web.Response(text=message + "\n", status=status, content_type="text/plain")
    _harden(response)
    return response


# --- who is asking ------------------------------------------------------------------------------


def _token(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth[7:].strip() or None
    return request.cookies.get(COOKIE) or None


def _participant(request: web.Request) -> Participant | None:
    token = _token(request)
    return request.app[ROOM].participant_by_token(token) if token else None


def _need_participant(request: web.Request) -> Participant:
    who = _participant(request)
    if who is None:
        raise Refused(401, _("Join first: no valid participant token."))
    return who


def _screen_ok(request: web.Request) -> bool:
    key = request.query.get("key", "")
    return bool(key) and secrets.compare_digest(key, request.app[ROOM].screen_key)


def _cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="Strict", secure=secure, path="/", max_age=86400
    )


# --- moves ------------------------------------------------------------------------------------


async def _join(request: web.Request, data: dict[str, Any]) -> tuple[Participant, str]:
    room = request.app[ROOM]
    if not room.allow_join(request.remote or ""):
        raise Refused(429, _("Too many attempts to join from this address: wait a minute."))
    code = str(data.get("code") or "").strip().upper()
    if not secrets.compare_digest(code.encode(), room.code.encode()):
        raise Refused(403, _("That join code is not this session's."))
    raw = data.get("name")
    name = clean_name(raw) if isinstance(raw, str) else ""
    if not name or not isinstance(raw, str) or len(raw.strip()) > NAME_MAX:
        raise Refused(422, _("Choose a pseudonym of 1 to {n} characters.").format(n=NAME_MAX))
    team = data.get("team")
    if team not in room.session.teams:
        raise Refused(422, _("Choose one of the session's teams."))
    if room.session.closed:
        raise Refused(409, _("This session has ended."))
    try:
        return await room.join(name, str(team))
    except InvalidEvent as exc:
        raise Refused(422, str(exc)) from None


async def _vote(request: web.Request, who: Participant, data: dict[str, Any]) -> int:
    room = request.app[ROOM]
    if not room.allow(who.id):
        raise Refused(429, _("Too many requests: wait a moment."))
    scene, choice = data.get("scene"), data.get("choice")
    await room.sync()
    view = room.view_for(who)
    if "choices" in data:
        return await _select(room, who, view, scene, data["choices"])
    if scene != view["scene"]["id"] or not view["choices"] or view["revealed"]:
        raise Refused(409, _("That decision is not open for votes any more."))
    if choice not in {c["id"] for c in view["choices"]}:
        raise Refused(422, _("That choice is not on offer."))
    try:
        return await room.vote(who, str(scene), str(choice))
    except (machine.UnknownChoice, machine.ChoiceUnavailable):
        raise Refused(422, _("That choice is not on offer.")) from None
    except (InvalidEvent, machine.PlayError):
        raise Refused(409, _("That decision is not open for votes any more.")) from None


async def _select(
    room: LiveRoom, who: Participant, view: dict[str, Any], scene: Any, options: Any
) -> int:
    """A participant's multi-select at the open identify drill (replaces their earlier one)."""
    if scene != view["scene"]["id"] or not view["options"]:
        raise Refused(409, _("That drill is not open for selections any more."))
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise Refused(422, _("'choices' must be a list of statement ids."))
    known = {o["id"] for o in view["options"]}
    if any(o not in known for o in options) or len(set(options)) != len(options):
        raise Refused(422, _("Select each statement at most once, among those on offer."))
    try:
        return await room.select(who, str(scene), options)
    except (InvalidEvent, machine.PlayError):
        raise Refused(409, _("That drill is not open for selections any more.")) from None


async def _feedback(request: web.Request, who: Participant, data: Any, form: bool) -> int:
    room = request.app[ROOM]
    if not room.allow(who.id):
        raise Refused(429, _("Too many requests: wait a moment."))
    await room.sync()
    if not room.view_for(who)["ended"]:
        raise Refused(409, _("Feedback opens when the exercise has ended."))
    try:
        answer = parse(data, [o.id for o in room.exercise.scenario.objectives], from_form=form)
        return await room.feedback(who, answer)
    except BadFeedback as exc:
        raise Refused(422, str(exc)) from None
    except FeedbackTwice:
        raise Refused(409, _("You have already given your feedback: thank you.")) from None
    except (InvalidEvent, ValueError) as exc:
        raise Refused(422, str(exc)) from None


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, _("The body must be a JSON object.")) from None
    if not isinstance(data, dict):
        raise Refused(400, _("The body must be a JSON object."))
    return data


def _api(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Refused as exc:
            return _error(request, exc.status, exc.message)

    return wrapped


@_api
async def api_join(request: web.Request) -> web.StreamResponse:
    joined, token = await _join(request, await _json_body(request))
    response = web.json_response({"participant": joined.id, "token": token})
    _cookie(request, response, token)
    return response


@_api
async def api_state(request: web.Request) -> web.StreamResponse:
    await request.app[ROOM].sync()
    if _screen_ok(request):
        return web.json_response(request.app[ROOM].screen_view())
    return web.json_response(request.app[ROOM].view_for(_need_participant(request)))


@_api
async def api_vote(request: web.Request) -> web.StreamResponse:
    who = _need_participant(request)
    data = await _json_body(request)
    seq = await _vote(request, who, data)
    if "choices" in data:
        mine = dict(request.app[ROOM].session.pselections).get(who.id, ())
        return web.json_response({"ok": True, "my_selection": list(mine), "seq": seq})
    my_vote = request.app[ROOM].session.pvote_of(who.id)
    return web.json_response({"ok": True, "my_vote": my_vote, "seq": seq})


@_api
async def api_feedback(request: web.Request) -> web.StreamResponse:
    who = _need_participant(request)
    seq = await _feedback(request, who, await _json_body(request), False)
    return web.json_response({"ok": True, "seq": seq})


@_api
async def api_events(request: web.Request) -> web.StreamResponse:
    room = request.app[ROOM]
    screen = _screen_ok(request)
    who = None if screen else _need_participant(request)
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
    )
    _harden(response)
    await response.prepare(request)
    version = -1
    last = None
    try:
        while True:
            view = room.screen_view() if who is None else room.view_for(who)
            if view != last:
                payload = json.dumps(view, ensure_ascii=False)
                await response.write(f"event: state\ndata: {payload}\n\n".encode())
                last = view
            else:
                await response.write(b": keep-alive\n\n")
            version = await room.wait(room.version if version == -1 else version, 15.0)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


# --- pages ------------------------------------------------------------------------------------


def _page(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    html = request.app[JINJA].get_template(template).render(**context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


async def page_index(request: web.Request) -> web.StreamResponse:
    room = request.app[ROOM]
    await room.sync()
    who = _participant(request)
    if who is None:
        return _page(request, "join.html", teams=room.session.teams, error=None, name="")
    return _page(request, "play.html", view=room.view_for(who), error=None)


async def page_join(request: web.Request) -> web.StreamResponse:
    form = dict(await request.post())
    try:
        _joined, token = await _join(request, form)
    except Refused as exc:
        teams = request.app[ROOM].session.teams
        name = form.get("name") if isinstance(form.get("name"), str) else ""
        return _page(request, "join.html", exc.status, teams=teams, error=exc.message, name=name)
    response = web.HTTPSeeOther("/")
    _cookie(request, response, token)
    return response


async def page_vote(request: web.Request) -> web.StreamResponse:
    who = _participant(request)
    if who is None:
        return web.HTTPSeeOther("/")
    posted = await request.post()
    form: dict[str, Any] = dict(posted)
    if "drill" in posted:  # the drill's checkboxes: every ticked one (none ticked: none)
        form["choices"] = [str(v) for v in posted.getall("choices", [])]
    try:
        await _vote(request, who, form)
    except Refused as exc:
        view = request.app[ROOM].view_for(who)
        return _page(request, "play.html", exc.status, view=view, error=exc.message)
    return web.HTTPSeeOther("/")


async def page_feedback(request: web.Request) -> web.StreamResponse:
    who = _participant(request)
    if who is None:
        return web.HTTPSeeOther("/")
    try:
        await _feedback(request, who, dict(await request.post()), True)
    except Refused as exc:
        view = request.app[ROOM].view_for(who)
        return _page(request, "play.html", exc.status, view=view, error=exc.message)
    return web.HTTPSeeOther("/")


async def page_screen(request: web.Request) -> web.StreamResponse:
    if not _screen_ok(request):
        return _error(request, 403, _("The projector page needs the facilitator's key."))
    room = request.app[ROOM]
    await room.sync()
    join_url = request.app[JOIN_URL][0] or f"{request.scheme}://{request.host}/"
    return _page(
        request,
        "screen.html",
        view=room.screen_view(),
        code=room.code,
        join_url=join_url,
        qr=qr_svg(join_url),
        key=room.screen_key,
    )


def markdown(text: str) -> markupsafe.Markup:
    """Scene text (CommonMark, raw HTML off: the scenario's markup, never a script)."""
    from markdown_it import MarkdownIt

    return markupsafe.Markup(MarkdownIt("commonmark", {"html": False}).render(text or ""))


def qr_svg(url: str) -> str:
    """The join URL as an inline SVG QR code (no external request, no inline style)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, omitsize=True
    )
    return out.getvalue().decode()


# --- the application --------------------------------------------------------------------------


def make_app(room: LiveRoom, join_url: str = "") -> web.Application:
    app = web.Application(middlewares=[security], client_max_size=MAX_BODY)
    app[ROOM] = room
    app[JOIN_URL] = [join_url]
    app[JINJA] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The pages speak the session's language (set when `serve` starts): gettext's new style
    # escapes the values put into a translated sentence, never the sentence itself.
    app[JINJA].install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    app[JINJA].globals["lang"] = current_language
    app[JINJA].filters["md"] = markdown
    app.router.add_get("/", page_index)
    app.router.add_post("/join", page_join)
    app.router.add_post("/vote", page_vote)
    app.router.add_post("/feedback", page_feedback)
    app.router.add_get("/screen", page_screen)
    app.router.add_post("/api/join", api_join)
    app.router.add_get("/api/state", api_state)
    app.router.add_post("/api/vote", api_vote)
    app.router.add_post("/api/feedback", api_feedback)
    app.router.add_get("/api/events", api_events)
    app.router.add_static("/static/", HERE / "static", append_version=False)

    async def on_startup(app: web.Application) -> None:
        room.start()

    async def on_cleanup(app: web.Application) -> None:
        await room.stop()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
