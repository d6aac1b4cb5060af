"""The play screen's keys: a choice's number 1-9, Enter with one binding per meaning (so the
footer says what it does now), and the facilitator's keys. Which of them act in each phase is
decided by `tui.play_flow`."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _number_bindings() -> list[Binding]:
    out = [
        Binding(
            "1",
            "pick(1)",
            "Choose",
            id="play.choice-1",
            key_display="1-9",
            tooltip="Select (solo) or record (facilitated) the choice with this number",
        )
    ]
    for n in range(2, 10):
        out.append(Binding(str(n), f"pick({n})", f"Choice {n}", id=f"play.choice-{n}", show=False))
    return out


PLAY_BINDINGS: list[BindingType] = [
    *_number_bindings(),
    # Enter does what the moment calls for; one binding per meaning so the footer says it
    Binding(
        "enter",
        "confirm('continue')",
        "Continue",
        id="play.continue",
        key_display="⏎",
        tooltip="Continue to the next scene",
    ),
    Binding(
        "enter",
        "confirm('confirm')",
        "Confirm",
        id="play.confirm",
        key_display="⏎",
        tooltip="Confirm the selected choice",
    ),
    Binding(
        "enter",
        "confirm('select')",
        "Confirm selection",
        id="play.select",
        key_display="⏎",
        tooltip="Confirm the drill's selection and move on",
    ),
    Binding(
        "enter",
        "confirm('reveal')",
        "Reveal",
        id="play.enter-reveal",
        key_display="⏎",
        tooltip="Reveal the teams' choices and the tally",
    ),
    Binding(
        "enter",
        "confirm('follow')",
        "Follow",
        id="play.follow",
        key_display="⏎",
        tooltip="The room follows the majority's choice",
    ),
    Binding(
        "enter",
        "confirm('debrief')",
        "Debrief",
        id="play.debrief",
        key_display="⏎",
        tooltip="Open the debrief",
    ),
    Binding("left_square_bracket", "team(-1)", "Prev team", id="play.team-prev", key_display="["),
    Binding("right_square_bracket", "team(1)", "Next team", id="play.team-next", key_display="]"),
    Binding(
        "v",
        "reveal",
        "Tally",
        id="play.reveal",
        tooltip="Show every team's choice and the tally (again: hide it)",
    ),
    Binding(
        "o",
        "override",
        "Override",
        id="play.override",
        tooltip="Follow any choice, whatever the tally",
    ),
    Binding("escape", "cancel", "Cancel", id="play.cancel"),
    # Down/Up read the scene's text to its end, then move between the choices (solo)
    Binding("down", "step(1)", "Next choice", id="play.down", show=False, priority=True),
    Binding("up", "step(-1)", "Previous choice", id="play.up", show=False, priority=True),
    Binding(
        "f",
        "facilitator",
        "Facilitator",
        id="play.facilitator",
        tooltip="Show or hide the facilitator view: discussion prompts, watch points",
    ),
    Binding(
        "p",
        "pause_timer",
        "Timer",
        id="play.timer",
        tooltip="Pause or resume the discussion timer",
    ),
    Binding("n", "note", "Note", id="play.note", tooltip="Add a facilitator's note"),
    Binding(
        "i",
        "injects",
        "Injects",
        id="play.injects",
        tooltip="Fire an on-demand inject: a leak, a call, a withdrawal (shown to the room)",
    ),
    Binding(
        "w",
        "observe",
        "Observe",
        id="play.observe",
        tooltip="Record an evaluator's observation (team, objective, P/S/M/U rating)",
    ),
    Binding(
        "u",
        "undo",
        "Undo move",
        id="play.undo",
        tooltip="Undo the room's last move (recorded as a correction, with a reason)",
    ),
    Binding(
        "m",
        "room",
        "Room",
        id="play.room",
        tooltip="Participants and votes: move a participant to another team, or correct a "
        "recorded vote (appended as a correction)",
    ),
    Binding(
        "l",
        "live",
        "Live",
        id="play.live",
        tooltip="Let participants vote from their browsers: start the web server, show the "
        "join code and QR code",
    ),
    Binding(
        "q",
        "quit",
        "Quit",
        id="play.quit",
        tooltip="Leave the session (it stays saved and can be resumed)",
    ),
]
