"""The facilitator's room dialog (key `m`): who has joined, their team and vote; move a
participant to another team, or correct a vote already recorded (a facilitator's record or a
participant's own vote, at this decision or a past one).

The dialog returns what to do; the play screen appends it (`participant_moved`, or a
`correction` naming the vote's event). Nothing recorded is ever rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from engine.core.i18n import N_, _
from tui.widgets.keybar import KeyBar

UNDO = "\0undo"  # the "remove this vote" option (no choice id starts with a NUL)


@dataclass(frozen=True)
class Target:
    """One thing the dialog can change: a participant (`to` = teams) or a recorded vote (`to`
    = the decision's choices)."""

    key: str  # "p:<participant id>" or "v:<event seq>"
    label: str
    to: tuple[tuple[str, str], ...]  # (label shown, value)


def _vote_now(session: Any, record: Any) -> str | None:
    """The choice a vote record stands for now (None: removed by a correction)."""
    if record.decision == len(session.decisions):
        pairs = session.votes if record.team is not None else session.pvotes
    else:
        past = session.decisions[record.decision]
        pairs = past.recorded if record.team is not None else past.heads
    return dict(pairs).get(record.team if record.team is not None else record.participant)


def targets(scenario: Any, session: Any) -> list[Target]:
    """The session's participants, then its correctable votes (each voter's latest record at
    each decision, newest first)."""
    names = {p.id: p.name for p in session.participants}
    teams = tuple((t, t) for t in session.teams)
    out = [
        Target(
            f"p:{p.id}", _("Move {name} (now in {team})").format(name=p.name, team=p.team), teams
        )
        for p in session.participants
    ]
    latest: dict[tuple[int, str | None, str | None], Any] = {}
    for r in session.vote_log:
        latest[(r.decision, r.team, r.participant)] = r
    for r in sorted(latest.values(), key=lambda r: -r.seq):
        now = _vote_now(session, r)
        if now is None:
            continue
        scene = scenario.scenes[r.scene]
        who = (
            _("team {team}").format(team=r.team)
            if r.team is not None
            else names.get(r.participant, r.participant)
        )
        choices = tuple((c.text, c.id) for c in scene.choices if c.id != now)
        out.append(
            Target(
                f"v:{r.seq}",
                _("Vote #{seq}: {scene}, {who} chose '{choice}'").format(
                    seq=r.seq, scene=scene.title, who=who, choice=now
                ),
                choices + ((_("Remove this vote"), UNDO),),
            )
        )
    return out


def roster(session: Any) -> str:
    """One line per participant: name, team, vote at the open decision."""
    if not session.participants:
        return _("Nobody has joined from a browser yet.")
    lines = []
    no_vote = _("no vote yet")
    for p in session.participants:
        vote = session.pvote_of(p.id)
        lines.append(f"{p.name} - {p.team} - {vote or no_vote}")
    return "\n".join(lines)


class RoomScreen(ModalScreen[dict[str, Any] | None]):
    """Dismisses with {"kind": "move", "participant", "team"} or {"kind": "correct",
    "target", "choice" (None: remove), "text"}, or None (Esc)."""

    DEFAULT_CSS = """
    RoomScreen #dialog { max-height: 100%; overflow-y: auto; }
    RoomScreen Select { margin-top: 1; }
    RoomScreen #room-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="room.cancel"),
        Binding("ctrl+s", "save", N_("Apply"), id="room.save"),
    ]

    def __init__(self, scenario: Any, session: Any) -> None:
        super().__init__()
        self.items = {t.key: t for t in targets(scenario, session)}
        self.roster = roster(session)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("Participants and votes"), id="dialog-title")
            yield Static(self.roster, id="room-roster", markup=False)
            yield Static(
                _(
                    "Pick a participant to move or a vote to correct, then where to; Ctrl+S "
                    "applies, Esc cancels."
                ),
                id="dialog-text",
                markup=False,
            )
            yield Select(
                [(t.label, k) for k, t in self.items.items()],
                prompt=_("Participant or vote"),
                id="room-what",
                compact=True,
            )
            yield Select([], prompt=_("To"), id="room-to", compact=True)
            yield Input(
                placeholder=_("Why (one line for the report)"), id="room-why", max_length=200
            )
            yield Static("", id="room-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#room-what", Select).focus()

    @on(Select.Changed, "#room-what")
    def _what_changed(self, event: Select.Changed) -> None:
        item = self.items.get(str(event.value)) if not event.select.is_blank() else None
        self.query_one("#room-to", Select).set_options(item.to if item else [])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _say(self, message: str) -> None:
        self.query_one("#room-error", Static).update(message)

    def action_save(self) -> None:
        what = self.query_one("#room-what", Select)
        to = self.query_one("#room-to", Select)
        if what.is_blank() or to.is_blank():
            self._say(_("Pick a participant or a vote, and where to."))
            return
        key, value = str(what.value), str(to.value)
        text = self.query_one("#room-why", Input).value.strip()
        if key.startswith("p:"):
            self.dismiss({"kind": "move", "participant": key[2:], "team": value})
            return
        choice = None if value == UNDO else value
        self.dismiss({"kind": "correct", "target": int(key[2:]), "choice": choice, "text": text})

    def action_cancel(self) -> None:
        self.dismiss(None)
