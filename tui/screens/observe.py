"""An evaluator's observation, recorded at any moment (play screen and debrief, key `w`).

The dialog returns the observation's fields; the caller appends the `observation_added` event.
Everything but the text is optional: team, objective, practice, watch point, and the HSEEP
rating (P performed without challenges, S with some, M with major challenges, U unable to be
performed). Evaluators in another terminal use `nexus-ttx observe ID TEXT` on the same store.
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
from engine.core.wording import sentence
from tui.widgets.keybar import KeyBar

RATING_OPTIONS = (
    (N_("P  performed without challenges"), "P"),
    (N_("S  performed with some challenges"), "S"),
    (N_("M  performed with major challenges"), "M"),
    (N_("U  unable to be performed"), "U"),
)
Options = Sequence[tuple[str, str]]  # (label shown, value stored)


def selected(select: Select[Any]) -> str | None:
    return None if select.is_blank() else str(select.value)


class ObservationScreen(ModalScreen[dict[str, Any] | None]):
    """Dismisses with {"text", "rating", "team", "objective", "practice", "indicator"} (the
    optional ones None when not chosen), or None (Esc)."""

    DEFAULT_CSS = """
    ObservationScreen #dialog { max-height: 100%; overflow-y: auto; }
    ObservationScreen Select { margin-top: 1; }
    ObservationScreen #obs-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="observe.cancel"),
        Binding("ctrl+s", "save", N_("Save"), id="observe.save"),
    ]

    def __init__(
        self,
        where: str,
        *,
        teams: Options = (),
        objectives: Options = (),
        practices: Options = (),
        watch_points: Options = (),
    ) -> None:
        super().__init__()
        self.where = where
        self.teams = teams
        self.objectives = objectives
        self.practices = practices
        self.watch_points = watch_points

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="observation"):
            yield Static(_("Observation"), id="dialog-title")
            yield Static(
                _("On: {where} Enter or Ctrl+S saves, Esc cancels.").format(
                    where=sentence(self.where)
                ),
                id="dialog-text",
                markup=False,
            )
            yield Input(placeholder=_("What did you observe?"), id="obs-text")
            yield Select(
                [(_(label), v) for label, v in RATING_OPTIONS],
                prompt=_("Rating (optional)"),
                id="obs-rating",
                compact=True,
            )
            if len(self.teams) > 1:
                yield Select(self.teams, prompt=_("Team (optional)"), id="obs-team", compact=True)
            if self.objectives:
                yield Select(
                    self.objectives,
                    prompt=_("Objective (optional)"),
                    id="obs-objective",
                    compact=True,
                )
            if self.practices:
                yield Select(
                    self.practices,
                    prompt=_("Good practice (optional)"),
                    id="obs-practice",
                    compact=True,
                )
            if self.watch_points:
                yield Select(
                    self.watch_points, prompt=_("Watch point (optional)"), id="obs-wp", compact=True
                )
            yield Static("", id="obs-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#obs-text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _pick(self, selector: str) -> str | None:
        found = self.query(selector)
        return selected(found.first(Select)) if found else None

    def action_save(self) -> None:
        text = self.query_one("#obs-text", Input).value.strip()
        if not text:
            self.query_one("#obs-error", Static).update(_("Write what you observed first."))
            self.query_one("#obs-text", Input).focus()
            return
        self.dismiss(
            {
                "text": text,
                "rating": self._pick("#obs-rating"),
                "team": self._pick("#obs-team"),
                "objective": self._pick("#obs-objective"),
                "practice": self._pick("#obs-practice"),
                "indicator": self._pick("#obs-wp"),
            }
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


def observation_options(exercise: Any, catalog: Any | None) -> dict[str, Options]:
    """The dialog's choices for a session: its teams, the scenario's objectives, practices and
    watch points, by title (ids are what is stored)."""
    scenario = exercise.scenario

    def title(getter: str, item_id: str, attr: str) -> str:
        try:
            found = getattr(catalog, getter)(item_id) if catalog is not None else None
        except KeyError:
            found = None
        return f"{item_id} {getattr(found, attr)}" if found is not None else item_id

    return {
        "teams": [(t, t) for t in exercise.teams],
        "objectives": [(o.text, o.id) for o in scenario.objectives],
        "practices": [(title("practice", p, "short_title"), p) for p in scenario.good_practices],
        "watch_points": [
            (title("watch_point", w, "name").split(" ", 1)[-1], w) for w in scenario.watch_points
        ],
    }


def record(screen: Any, exercise: Any, fields: dict[str, Any] | None) -> bool:
    """Append the dialog's observation; a refused one is shown, never raised."""
    if not fields:
        return False
    text = fields.pop("text")
    given = {k: v for k, v in fields.items() if v}
    try:
        exercise.add_observation(text, **given)
    except Exception as exc:  # the engine's message, for the evaluator
        screen.notify(str(exc), title=_("Observation not saved"), severity="error")
        return False
    screen.notify(_("Observation saved."), timeout=3)
    return True
