"""Play: one scene at a time, solo or facilitated, on the engine's `Exercise`.

Keys (DESIGN.md "Play in the TUI", a contract): a choice's number 1-9, counted among the choices
offered now, selects it and Enter confirms it; Enter continues a narrative or inject scene.
In facilitated play the number records the choice of the team under the cursor (`[`/`]` move
it), `v` reveals the tally, Enter follows the majority, a number settles a tie, `o` overrides.

The participants' view shows the scene and the choices only: never `recommended`, `enacts`,
`harmful`, `feedback` or `discussion` before the choice (DESIGN.md "Facilitator-only layer").
Feedback appears after a confirmed choice when the session's feedback is `immediate`; the
facilitator view (`f`, facilitated play only) shows discussion prompts and watch points.

Every move calls the engine, which appends the event (committed, fsynced) before returning;
only then does the screen move on.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.choices import ChoiceList
from tui.widgets.gauge import GaugePanel
from tui.widgets.keybar import KeyBar
from tui.widgets.scene_text import SceneText
from tui.widgets.tally import TeamPanel
from tui.widgets.timer import CountdownTimer

if TYPE_CHECKING:
    from engine.core.model import Choice, Scene
    from engine.exercise.exercise import Exercise

KIND_LABEL = {
    "narrative": "SCENE",
    "inject": "BREAKING",
    "decision": "DECISION",
    "ending": "ENDING",
}

# Phases of the screen (not of the engine): what Enter and the numbers do now.
NARRATIVE = "narrative"  # Enter continues
DECIDE = "decide"  # solo: numbers select, Enter confirms
RECORD = "record"  # facilitated: numbers record the team under the cursor
REVEALED = "revealed"  # facilitated: tally shown; Enter follows the majority
OVERRIDE = "override"  # facilitated: the next number is the facilitator's pick
FEEDBACK = "feedback"  # after a choice, immediate feedback; Enter continues
ENDING = "ending"  # the ending scene; Enter opens the debrief


def _join(numbers: list[int], word: str) -> str:
    """[1, 2, 3] -> "1, 2 or 3"."""
    items = [str(n) for n in numbers]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


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


class PlayScreen(Screen):
    """A session in progress."""

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS = [
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
        Binding(
            "left_square_bracket", "team(-1)", "Prev team", id="play.team-prev", key_display="["
        ),
        Binding(
            "right_square_bracket", "team(1)", "Next team", id="play.team-next", key_display="]"
        ),
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
            "q",
            "quit",
            "Quit",
            id="play.quit",
            tooltip="Leave the session (it stays saved and can be resumed)",
        ),
    ]

    phase: reactive[str] = reactive(NARRATIVE, init=False)

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise
        self.facilitated = exercise.mode == "facilitated" or len(exercise.teams) > 1
        options = exercise.options
        self.immediate = (
            options.get("feedback", "immediate" if not self.facilitated else "debrief")
            == "immediate"
        )
        timer = options.get("timer")
        self.timer_seconds = int(timer) if isinstance(timer, (int, float)) and timer > 0 else None
        self._offered: tuple[Choice, ...] = ()
        self._reveal_armed = False
        self._pending_feedback: list[str] | None = None
        self._scene_serial = 0
        self.kind = ""
        self.rendered_at = 0.0
        self._hinted_more = False

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="scene-bar")
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                with Horizontal(id="scene-row"):
                    yield Static(id="breaking-stripe")
                    with VerticalScroll(id="scene-scroll", can_focus=True):
                        yield Static(id="kind-banner")
                        yield SceneText(id="scene-text")
                with VerticalScroll(id="choices-box"):
                    yield ChoiceList(id="choices")
                yield Static(id="hint")
                with VerticalScroll(id="facilitator", classes="hidden"):
                    yield Static(id="facilitator-text")
            with VerticalScroll(id="side"):
                if self.timer_seconds:
                    yield CountdownTimer(self.timer_seconds, clock=self.app.clock, id="timer")
                if self.facilitated:
                    yield Static("Teams", classes="side-title")
                    yield TeamPanel(self.exercise.teams, id="teams")
                if self.exercise.scenario.variables:
                    yield Static("Situation", classes="side-title")
                    yield GaugePanel(
                        self.exercise.scenario.variables, self.exercise.values, id="gauges"
                    )
        yield KeyBar()

    async def on_mount(self) -> None:
        self.sub_title = self.exercise.scenario.title
        await self.show_scene()
        scroll = self.query_one("#scene-scroll", VerticalScroll)
        scroll.focus()
        # not on virtual_size: the hint's own height changes the text's room, and watching it
        # would make the hint flip between two layouts for ever
        self.watch(scroll, "scroll_y", self._scrolled, init=False)

    def _scrolled(self) -> None:
        more = self._more_below()
        if more != self._hinted_more:
            self._update_hint()

    # --- what is shown --------------------------------------------------------------------

    @property
    def scene(self) -> Scene:
        return self.exercise.scene

    async def show_scene(self) -> None:
        """Render the engine's current scene (and choices) and set the phase."""
        ex = self.exercise
        scene = ex.scene
        self._scene_serial += 1
        self._reveal_armed = False
        self._offered = ex.offered if scene.kind == "decision" else ()
        label = KIND_LABEL.get(scene.kind, scene.kind.upper())
        step = len(ex.path)
        self.query_one("#scene-bar", Static).update(
            Content.assemble(
                (f" {label} ", "reverse bold"),
                " ",
                (scene.title, "bold"),
                ("  ·  " + ex.scenario.title + f"  ·  step {step}", "italic"),
            )
        )
        # Classes go on small leaf widgets only: a class change on the screen would restyle
        # every widget of the scene's Markdown (tens of milliseconds per scene).
        self.kind = scene.kind
        for node in (self.query_one("#scene-bar"), self.query_one("#breaking-stripe")):
            for kind in KIND_LABEL:
                node.set_class(scene.kind == kind, f"-kind-{kind}")
        banner = self.query_one("#kind-banner", Static)
        if scene.kind == "inject":
            banner.update(
                Content.assemble(("  BREAKING  ", "bold reverse"), "  ", (scene.title, "bold"))
            )
        elif scene.kind == "ending":
            outcome = (scene.outcome or "").upper()
            banner.update(
                Content.assemble(
                    ("  END  ", "bold reverse"),
                    "  ",
                    (scene.title, "bold"),
                    (f"  -  outcome: {outcome}" if outcome else "", "bold"),
                )
            )
        else:
            banner.update("")
        banner.set_class(scene.kind not in ("inject", "ending"), "hidden")
        banner.set_class(scene.kind == "inject", "-breaking")
        banner.set_class(scene.kind == "ending", "-ending")
        self.query_one("#scene-text", SceneText).update_markdown(scene.text)
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        await self._show_choices([c.text for c in self._offered])
        self._update_side()
        self._update_facilitator()
        if scene.kind == "decision":
            self.phase = RECORD if self.facilitated else DECIDE
            if self.facilitated:
                self.query_one("#teams", TeamPanel).cursor = 0
                self._update_side()
            self._restart_timer()
        elif scene.kind == "ending":
            self.phase = ENDING
            self._stop_timer()
        else:
            self.phase = NARRATIVE
            self._stop_timer()
        self._update_hint()
        self.call_after_refresh(self._mark_rendered)
        self.call_after_refresh(self._scrolled)

    def _mark_rendered(self) -> None:
        """When the scene reached the terminal (bench/bench_tui.py reads it)."""
        self.rendered_at = time.perf_counter()

    async def _show_choices(self, texts: list[str]) -> None:
        box = self.query_one("#choices-box", VerticalScroll)
        await self.query_one("#choices", ChoiceList).set_choices(texts)
        box.display = bool(texts)
        box.scroll_home(animate=False)

    def _update_side(self) -> None:
        if self.exercise.scenario.variables:
            self.query_one("#gauges", GaugePanel).update_values(self.exercise.values)
        if self.facilitated:
            panel = self.query_one("#teams", TeamPanel)
            panel.active = self.scene.kind == "decision" and self.phase == RECORD
            index = {c.id: i + 1 for i, c in enumerate(self._offered)}
            panel.set_votes({t: index.get(c) for t, c in self.exercise.session.votes})
            panel.revealed = self.phase in (REVEALED, OVERRIDE)
            if panel.active and self.phase == RECORD:
                pending = self.exercise.pending_teams()
                if pending and panel.current not in pending:
                    panel.next_pending()
            panel.refresh()

    def _update_tally(self) -> None:
        """After the reveal: how many teams chose each choice, leaders highlighted."""
        choices = self.query_one("#choices", ChoiceList)
        if self.phase not in (REVEALED, OVERRIDE):
            choices.set_marks({})
            return
        tally = self.exercise.tally()
        top = max((len(t) for t in tally.values()), default=0)
        marks: dict[int, str] = {}
        classes: dict[int, str] = {}
        for i, c in enumerate(self._offered):
            teams = tally.get(c.id, ())
            if teams:
                marks[i] = f"{len(teams)} team{'s' if len(teams) != 1 else ''}"
            if top and len(teams) == top:
                classes[i] = "-leader"
            elif not teams:
                classes[i] = "-dim"
        choices.set_marks(marks, classes)

    def _leaders(self) -> list[int]:
        tally = self.exercise.tally()
        top = max((len(t) for t in tally.values()), default=0)
        return [
            i + 1 for i, c in enumerate(self._offered) if top and len(tally.get(c.id, ())) == top
        ]

    def _update_hint(self) -> None:
        hint = self.query_one("#hint", Static)
        phase = self.phase
        n = len(self._offered)
        keys = "1" if n == 1 else f"1-{n}"
        if phase == NARRATIVE:
            text = "Press Enter to continue."
        elif phase == DECIDE:
            selected = self.query_one("#choices", ChoiceList).selected
            if selected is None:
                text = f"Press {keys} to select a choice, then Enter to confirm it."
            else:
                text = (
                    f"Choice {selected + 1} selected: press Enter to confirm "
                    f"(or another number to change)."
                )
        elif phase == RECORD:
            panel = self.query_one("#teams", TeamPanel)
            pending = self.exercise.pending_teams()
            if pending:
                text = (
                    f"Press {keys} to record the choice of {panel.current}  "
                    f"([ ] other team).  Waiting for: {', '.join(pending)}."
                )
            else:
                text = "Every team has chosen: press v to reveal the tally."
        elif phase == REVEALED:
            leaders = self._leaders()
            if len(leaders) == 1:
                text = (
                    f"The majority chose {leaders[0]}: press Enter to follow it, "
                    f"o to override, v to hide the tally."
                )
            elif leaders:
                text = (
                    f"Tie between {_join(leaders, 'and')}: press {_join(leaders, 'or')} "
                    f"to settle it (o to override)."
                )
            else:
                text = "No team has chosen: press o to override, or v to go back."
        elif phase == OVERRIDE:
            text = f"Override: press {keys} for the choice the room follows (Esc cancels)."
        elif phase == FEEDBACK:
            text = "Press Enter to continue."
        elif phase == ENDING:
            text = "The exercise is over: press Enter for the debrief."
        else:
            text = ""
        self._hinted_more = self._more_below()
        if self._hinted_more:
            text = "More text below (Down / PgDn).  " + text
        hint.update(text)

    def _more_below(self) -> bool:
        try:
            scroll = self.query_one("#scene-scroll", VerticalScroll)
        except Exception:
            return False
        return scroll.max_scroll_y > 0 and scroll.scroll_y < scroll.max_scroll_y - 0.5

    def _update_facilitator(self) -> None:
        """Fill the facilitator view, only while it is shown (never in the participants' view)."""
        if not self.facilitated:
            return
        if self.query_one("#facilitator").has_class("hidden"):
            self.query_one("#facilitator-text", Static).update("")
            return
        scene = self.scene
        parts: list[Content] = [
            Content.styled("FACILITATOR VIEW - not for participants", "bold reverse")
        ]
        if scene.discussion:
            parts.append(Content.styled("Discussion prompts", "bold"))
            parts.extend(Content.assemble("  - ", p) for p in scene.discussion)
        watch = scene.watch_points
        if watch:
            parts.append(Content.styled("Watch points", "bold"))
            for ref in watch:
                parts.extend(self._watch_point_lines(ref))
        if not scene.discussion and not watch:
            parts.append(Content("No discussion prompts or watch points for this scene."))
        self.query_one("#facilitator-text", Static).update(Content("\n").join(parts))

    def _watch_point_lines(self, ref: str) -> list[Content]:
        try:
            catalog = self.app.catalog
        except Exception:
            return [Content(f"  {ref}")]
        if "." in ref:
            try:
                ind = catalog.indicator(ref)
                wp = catalog.watch_point(ind.factor)
            except KeyError:
                return [Content(f"  {ref}")]
            return [Content.assemble("  ", (f"{wp.name} ({ref})", "bold $accent"), ": ", ind.text)]
        try:
            wp = catalog.watch_point(ref)
        except KeyError:
            return [Content(f"  {ref}")]
        lines = [Content.assemble("  ", (f"{wp.name} ({wp.group})", "bold $accent"))]
        lines.extend(
            Content.assemble("    ", (f"{i.id}", "$text-muted"), " ", i.text) for i in wp.indicators
        )
        return lines

    def watch_phase(self, old: str, new: str) -> None:
        self.refresh_bindings()
        if self.is_mounted:
            self._update_hint()

    # --- bindings shown only when they do something ------------------------------------------

    ENTER_MEANS = {
        NARRATIVE: "continue",
        FEEDBACK: "continue",
        DECIDE: "confirm",
        RECORD: "reveal",
        REVEALED: "follow",
        ENDING: "debrief",
    }

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        if action == "confirm":
            return bool(parameters) and self.ENTER_MEANS.get(phase) == parameters[0]
        if action == "pick":
            return phase in (DECIDE, RECORD, REVEALED, OVERRIDE)
        if action == "team":
            return self.facilitated and phase == RECORD
        if action == "reveal":
            return self.facilitated and phase in (RECORD, REVEALED)
        if action == "override":
            return self.facilitated and phase in (RECORD, REVEALED)
        if action == "cancel":
            return phase == OVERRIDE or (phase == DECIDE and self._selected() is not None)
        if action == "facilitator":
            return self.facilitated
        if action == "pause_timer":
            return self.timer_seconds is not None and phase in (DECIDE, RECORD, REVEALED, OVERRIDE)
        return True

    def _selected(self) -> int | None:
        try:
            return self.query_one("#choices", ChoiceList).selected
        except Exception:
            return None

    # --- actions ------------------------------------------------------------------------------

    async def action_pick(self, number: int) -> None:
        if not 1 <= number <= len(self._offered):
            self.notify(
                f"There is no choice {number} here (1-{len(self._offered)}).",
                severity="warning",
                timeout=3,
            )
            return
        choice = self._offered[number - 1]
        if self.phase == DECIDE:
            self.query_one("#choices", ChoiceList).select(number - 1)
            self._update_hint()
            self.refresh_bindings()
        elif self.phase == RECORD:
            panel = self.query_one("#teams", TeamPanel)
            team = panel.current
            if self._move(self.exercise.record_choice, team, choice.id):
                self._reveal_armed = False
                self._update_side()  # moves the cursor on to the next team still to choose
                self._update_hint()
        elif self.phase == REVEALED:
            leaders = self._leaders()
            if number in leaders:
                await self._follow(choice.id)
            else:
                self.notify(
                    f"Choice {number} is not the majority: press o to override.",
                    severity="warning",
                    timeout=4,
                )
        elif self.phase == OVERRIDE:
            await self._follow(choice.id, override=True)

    async def action_confirm(self, meaning: str = "") -> None:
        """Enter: continue, confirm, reveal, follow or open the debrief, by phase."""
        phase = self.phase
        if phase == NARRATIVE:
            if self._move(self.exercise.acknowledge):
                await self.show_scene()
        elif phase == DECIDE:
            selected = self._selected()
            if selected is None:
                self.notify(
                    f"Select a choice first: press its number (1-{len(self._offered)}).",
                    severity="warning",
                    timeout=3,
                )
                return
            choice = self._offered[selected]
            if self._move(self.exercise.choose, choice.id):
                await self._after_choice(choice)
        elif phase == RECORD:
            await self.action_reveal()
        elif phase == REVEALED:
            leaders = self._leaders()
            if len(leaders) == 1:
                await self._follow(self._offered[leaders[0] - 1].id)
            elif leaders:
                self.notify(
                    f"Tie: press {_join(leaders, 'or')} to settle it.",
                    severity="warning",
                    timeout=4,
                )
            else:
                self.notify(
                    "No team has chosen yet: press o to override.", severity="warning", timeout=4
                )
        elif phase == OVERRIDE:
            self.notify("Press the number of the choice the room follows.", timeout=3)
        elif phase == FEEDBACK:
            await self.show_scene()
        elif phase == ENDING:
            self.open_debrief()

    async def _follow(self, choice_id: str, *, override: bool = False) -> None:
        choice = next(c for c in self._offered if c.id == choice_id)
        if self._move(self.exercise.follow, choice_id, override=override):
            await self._after_choice(choice)

    async def _after_choice(self, choice: Choice) -> None:
        """The move is stored: show the feedback (immediate) or the next scene."""
        self._stop_timer()
        if self.immediate:
            await self._show_feedback(choice)
        else:
            await self.show_scene()

    async def _show_feedback(self, choice: Choice) -> None:
        """After the choice: what was chosen, its feedback, and the key actions it took or
        missed, with the catalog's words."""
        ex = self.exercise
        decision_scene = ex.session.decisions[-1].scene if ex.session.decisions else None
        scene = ex.scenario.scenes[decision_scene] if decision_scene else None
        lines = [
            f"## You chose: {choice.text}"
            if not self.facilitated
            else f"## The room follows: {choice.text}",
            "",
        ]
        if choice.harmful:
            lines += [
                "> **Harmful choice** - it runs against the toolkit's good practices "
                "and earns no points.",
                "",
            ]
        if choice.feedback:
            lines += [choice.feedback.strip(), ""]
        if scene is not None and scene.recommended:
            taken = [k for k in scene.recommended if k in choice.enacts]
            missed = [k for k in scene.recommended if k not in choice.enacts]
            if taken and not choice.harmful:
                lines += ["**Key actions this choice took**", ""]
                lines += [f"- {self._ka_text(k)}" for k in taken] + [""]
            if missed:
                lines += ["**Key actions recommended here that this choice missed**", ""]
                lines += [f"- {self._ka_text(k)}" for k in missed] + [""]
        effects = self._effects(choice)
        if effects:
            lines += ["**Effects:** " + ", ".join(effects), ""]
        self.query_one("#scene-bar", Static).update(
            Content.assemble((" OUTCOME ", "reverse bold"), " ", ("What your choice did", "bold"))
        )
        self.query_one("#kind-banner", Static).add_class("hidden")
        self.query_one("#scene-text", SceneText).update_markdown("\n".join(lines))
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        await self._show_choices([])
        self._offered = ()
        self._update_side()
        self.phase = FEEDBACK

    def _ka_text(self, ka_id: str) -> str:
        try:
            ka = self.app.catalog.key_action(ka_id)
        except Exception:
            return f"**{ka_id}**"
        return f"**{ka_id}** {ka.text}"

    def _effects(self, choice: Choice) -> list[str]:
        from engine.report.document import effects_of

        return effects_of(self.exercise.scenario, choice)

    def _move(self, fn: Any, *args: Any, **kwargs: Any) -> bool:
        """Call the engine; it appends the event before returning. A refused move is shown
        and changes nothing."""
        from engine.play.machine import PlayError

        try:
            fn(*args, **kwargs)
        except PlayError as exc:
            self.notify(str(exc), title="Not possible", severity="warning", timeout=6)
            return False
        except Exception as exc:  # the store failed: say so, keep the screen as it was
            self.notify(f"{exc}", title="Could not save", severity="error", timeout=15)
            return False
        return True

    def action_team(self, step: int) -> None:
        self.query_one("#teams", TeamPanel).move(step)
        self._update_hint()

    @on(TeamPanel.TeamClicked)
    def _team_clicked(self) -> None:
        self._update_hint()

    async def action_reveal(self) -> None:
        if self.phase == REVEALED:
            self.phase = RECORD
        elif self.phase == RECORD:
            pending = self.exercise.pending_teams()
            if len(pending) == len(self.exercise.teams):
                self.notify(
                    "No team has chosen yet: record their choices first (or o to override).",
                    severity="warning",
                    timeout=4,
                )
                return
            if pending and not self._reveal_armed:
                self._reveal_armed = True
                self.notify(
                    f"Not chosen yet: {', '.join(pending)}. Press v again to reveal anyway.",
                    severity="warning",
                    timeout=5,
                )
                return
            self.phase = REVEALED
        self._update_side()
        self._update_tally()
        self._update_hint()

    def action_override(self) -> None:
        if self.phase in (RECORD, REVEALED):
            self.phase = OVERRIDE
            self._update_side()
            self._update_tally()
            self._update_hint()

    def action_cancel(self) -> None:
        if self.phase == OVERRIDE:
            self.phase = REVEALED if self.exercise.tally() else RECORD
            self._update_side()
            self._update_tally()
            self._update_hint()
        elif self.phase == DECIDE:
            self.query_one("#choices", ChoiceList).select(None)
            self._update_hint()
            self.refresh_bindings()

    def action_facilitator(self) -> None:
        panel = self.query_one("#facilitator")
        panel.toggle_class("hidden")
        self._update_facilitator()

    def action_pause_timer(self) -> None:
        if self.timer_seconds:
            self.query_one("#timer", CountdownTimer).toggle_pause()

    def action_note(self) -> None:
        from tui.screens.note import NoteScreen

        def save(text: str | None) -> None:
            if text and text.strip():
                if self._move(self.exercise.add_note, text.strip()):
                    self.notify("Note saved with this scene.", timeout=3)

        self.app.push_screen(NoteScreen(self.scene.title), save)

    def action_quit(self) -> None:
        """Leave: the session is already saved; ask before leaving an unfinished one."""
        from tui.screens.confirm import ConfirmQuitScreen

        if self.exercise.is_over:
            self.dismiss_to_library()
            return

        def done(answer: str | None) -> None:
            if answer == "library":
                self.dismiss_to_library()
            elif answer == "quit":
                self.app.exit(0)

        self.app.push_screen(ConfirmQuitScreen(self.exercise), done)

    def dismiss_to_library(self) -> None:
        from tui.screens.library import LibraryScreen

        while len(self.app.screen_stack) > 1 and not isinstance(self.app.screen, LibraryScreen):
            self.app.pop_screen()
        library = self.app.screen
        if isinstance(library, LibraryScreen):
            library.refresh_sessions()

    def open_debrief(self) -> None:
        from tui.screens.debrief import DebriefScreen

        self._stop_timer()
        self.app.switch_screen(DebriefScreen(self.exercise))

    # --- mouse ----------------------------------------------------------------------------

    @on(ChoiceList.Selected)
    async def _clicked(self, message: ChoiceList.Selected) -> None:
        if self.phase == DECIDE:
            self._update_hint()
            self.refresh_bindings()
        elif self.phase in (RECORD, REVEALED, OVERRIDE):
            self.query_one("#choices", ChoiceList).select(None)
            await self.action_pick(message.index + 1)

    @on(ChoiceList.Confirmed)
    async def _confirmed(self, message: ChoiceList.Confirmed) -> None:
        if self.phase == DECIDE:
            await self.action_confirm()

    # --- timer ----------------------------------------------------------------------------

    def _restart_timer(self) -> None:
        if self.timer_seconds:
            self.query_one("#timer", CountdownTimer).restart()
            self.query_one("#hint").remove_class("-time-up")

    def _stop_timer(self) -> None:
        if self.timer_seconds:
            self.query_one("#timer", CountdownTimer).stop()
            self.query_one("#hint").remove_class("-time-up")

    @on(CountdownTimer.Expired)
    def _time_up(self) -> None:
        self.query_one("#hint").add_class("-time-up")
        self.notify(
            "Discussion time is up. The room still decides: nothing was chosen.",
            title="Time is up",
            severity="warning",
            timeout=8,
        )

    # --- command palette ------------------------------------------------------------------

    def palette_commands(self):
        yield SystemCommand(
            "Add note", "Write a facilitator's note on this scene", self.action_note
        )
        if self.facilitated:
            yield SystemCommand(
                "Facilitator view",
                "Show or hide discussion prompts and watch points",
                self.action_facilitator,
            )
        if self.timer_seconds:
            yield SystemCommand(
                "Pause timer", "Pause or resume the discussion timer", self.action_pause_timer
            )
            yield SystemCommand(
                "Add a minute",
                "Give the room one more minute to discuss",
                lambda: self.query_one("#timer", CountdownTimer).add(60),
            )
        yield SystemCommand(
            "Leave session", "Back to the library (the session is saved)", self.action_quit
        )
