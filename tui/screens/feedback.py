"""The participant feedback form at the end of an exercise: a 1-5 rating per objective, what
worked, what to change. Anonymous: no name is asked; in a facilitated session the form is
filled once per team (the team is recorded so the report can group answers), in solo play once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from engine.core.i18n import N_, _
from tui.widgets.keybar import KeyBar

SCALE = (
    (1, N_("not at all")), (2, N_("a little")), (3, N_("partly")), (4, N_("mostly")),
    (5, N_("fully")),
)  # fmt: skip


def scale() -> tuple[tuple[str, int], ...]:
    """The rating options, in the interface's language."""
    return tuple((f"{n}  {_(label)}", n) for n, label in SCALE)


class FeedbackScreen(ModalScreen[dict[str, Any] | None]):
    """Dismisses with {"ratings": {objective: 1-5}, "worked", "change"} or None (Esc: skip)."""

    DEFAULT_CSS = """
    FeedbackScreen #dialog { max-height: 100%; overflow-y: auto; }
    FeedbackScreen .objective { margin-top: 1; height: auto; }
    FeedbackScreen Input { margin-top: 1; }
    FeedbackScreen #fb-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Skip"), id="feedback.cancel"),
        Binding("ctrl+s", "save", N_("Save"), id="feedback.save"),
    ]

    def __init__(self, who: str | None, objectives: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.who = who
        self.objectives = objectives  # (id, text)

    def compose(self) -> ComposeResult:
        title = _("Feedback: {who}").format(who=self.who) if self.who else _("Your feedback")
        with Vertical(id="dialog"):
            yield Static(title, id="dialog-title", markup=False)
            yield Static(
                _(
                    "Anonymous. How far did the exercise let you practise each objective? "
                    "Ctrl+S saves, Esc skips."
                ),
                id="dialog-text",
            )
            for index, (_objective, text) in enumerate(self.objectives):
                yield Static(text, classes="objective", markup=False)
                yield Select(scale(), prompt=_("Rating 1-5"), id=f"fb-rating-{index}", compact=True)
            yield Input(placeholder=_("What worked?"), id="fb-worked")
            yield Input(placeholder=_("What should change?"), id="fb-change")
            yield Static("", id="fb-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        first = self.query(Select)
        (first.first() if first else self.query_one("#fb-worked", Input)).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "fb-worked":
            self.query_one("#fb-change", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        ratings = {}
        for index, (objective, _text) in enumerate(self.objectives):
            select = self.query_one(f"#fb-rating-{index}", Select)
            if not select.is_blank():
                ratings[objective] = int(select.value)  # type: ignore[arg-type]
        worked = self.query_one("#fb-worked", Input).value.strip()
        change = self.query_one("#fb-change", Input).value.strip()
        if not (ratings or worked or change):
            self.query_one("#fb-error", Static).update(_("Give a rating or a comment, or Esc."))
            return
        self.dismiss({"ratings": ratings, "worked": worked, "change": change})

    def action_cancel(self) -> None:
        self.dismiss(None)


def collect(screen: Any, exercise: Any, done: Any = None) -> None:
    """Ask each team in turn (or the solo player once) and store each answer as it comes."""
    objectives = [(o.id, o.text) for o in exercise.scenario.objectives]
    teams: list[str | None] = list(exercise.teams) if len(exercise.teams) > 1 else [None]

    def ask(index: int) -> None:
        if index >= len(teams):
            if done is not None:
                done()
            return
        team = teams[index]

        def store(answer: dict[str, Any] | None) -> None:
            if answer:
                try:
                    exercise.give_feedback(
                        answer["ratings"], answer["worked"], answer["change"], team=team
                    )
                    screen.notify(_("Feedback saved."), timeout=3)
                except Exception as exc:  # shown, never raised
                    screen.notify(str(exc), title=_("Feedback not saved"), severity="error")
            ask(index + 1)

        screen.app.push_screen(FeedbackScreen(team, objectives), store)

    ask(0)
