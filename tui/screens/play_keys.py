"""The play screen's keys: a choice's number 1-9, Enter with one binding per meaning (so the
footer says what it does now), and the facilitator's keys. Which of them act in each phase is
decided by `tui.play_flow`."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from engine.core.i18n import N_


def _number_bindings() -> list[Binding]:
    out = [
        Binding(
            "1",
            "pick(1)",
            N_("Choose"),
            id="play.choice-1",
            key_display="1-9",
            tooltip=N_("Select (solo) or record (facilitated) the choice with this number"),
        )
    ]
    for n in range(2, 10):
        out.append(Binding(str(n), f"pick({n})", N_("Choose"), id=f"play.choice-{n}", show=False))
    return out


PLAY_BINDINGS: list[BindingType] = [
    *_number_bindings(),
    # Enter does what the moment calls for; one binding per meaning so the footer says it
    Binding(
        "enter",
        "confirm('continue')",
        N_("Continue"),
        id="play.continue",
        key_display="⏎",
        tooltip=N_("Continue to the next scene"),
    ),
    Binding(
        "enter",
        "confirm('confirm')",
        N_("Confirm"),
        id="play.confirm",
        key_display="⏎",
        tooltip=N_("Confirm the selected choice"),
    ),
    Binding(
        "enter",
        "confirm('select')",
        N_("Confirm selection"),
        id="play.select",
        key_display="⏎",
        tooltip=N_("Confirm the drill's selection and move on"),
    ),
    Binding(
        "enter",
        "confirm('reveal')",
        N_("Reveal"),
        id="play.enter-reveal",
        key_display="⏎",
        tooltip=N_("Reveal the teams' choices and the tally"),
    ),
    Binding(
        "enter",
        "confirm('follow')",
        N_("Follow"),
        id="play.follow",
        key_display="⏎",
        tooltip=N_("The room follows the majority's choice"),
    ),
    Binding(
        "enter",
        "confirm('debrief')",
        N_("Debrief"),
        id="play.debrief",
        key_display="⏎",
        tooltip=N_("Open the debrief"),
    ),
    Binding(
        "left_square_bracket", "team(-1)", N_("Prev team"), id="play.team-prev", key_display="["
    ),
    Binding(
        "right_square_bracket", "team(1)", N_("Next team"), id="play.team-next", key_display="]"
    ),
    Binding(
        "v",
        "reveal",
        N_("Tally"),
        id="play.reveal",
        tooltip=N_("Show every team's choice and the tally (again: hide it)"),
    ),
    Binding(
        "o",
        "override",
        N_("Override"),
        id="play.override",
        tooltip=N_("Follow any choice, whatever the tally"),
    ),
    Binding("escape", "cancel", N_("Cancel"), id="play.cancel"),
    # Down/Up read the scene's text to its end, then move between the choices (solo)
    Binding("down", "step(1)", N_("Next choice"), id="play.down", show=False, priority=True),
    Binding("up", "step(-1)", N_("Previous choice"), id="play.up", show=False, priority=True),
    Binding(
        "f",
        "facilitator",
        N_("Facilitator"),
        id="play.facilitator",
        tooltip=N_("Show or hide the facilitator view: discussion prompts, watch points"),
    ),
    Binding(
        "p",
        "pause_timer",
        N_("Timer"),
        id="play.timer",
        tooltip=N_("Pause or resume the discussion timer"),
    ),
    Binding("n", "note", N_("Note"), id="play.note", tooltip=N_("Add a facilitator's note")),
    Binding(
        "i",
        "injects",
        N_("Injects"),
        id="play.injects",
        tooltip=N_("Fire an on-demand inject: a leak, a call, a withdrawal (shown to the room)"),
    ),
    Binding(
        "w",
        "observe",
        N_("Observe"),
        id="play.observe",
        tooltip=N_("Record an evaluator's observation (team, objective, P/S/M/U rating)"),
    ),
    Binding(
        "u",
        "undo",
        N_("Undo move"),
        id="play.undo",
        tooltip=N_("Undo the room's last move (recorded as a correction, with a reason)"),
    ),
    Binding(
        "m",
        "room",
        N_("Room"),
        id="play.room",
        tooltip=N_(
            "Participants and votes: move a participant to another team, or correct a "
            "recorded vote (appended as a correction)"
        ),
    ),
    Binding(
        "l",
        "live",
        N_("Live"),
        id="play.live",
        tooltip=N_(
            "Let participants vote from their browsers: start the web server, show the "
            "join code and QR code"
        ),
    ),
    Binding(
        "q",
        "quit",
        N_("Quit"),
        id="play.quit",
        tooltip=N_("Leave the session (it stays saved and can be resumed)"),
    ),
]
