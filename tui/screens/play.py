"""Play: one scene at a time, solo or facilitated, on the engine's `Exercise`.

Keys (a contract: the README's "Using it"): a choice's number 1-9, counted among the choices
offered now, selects it and Enter confirms it; Enter continues a narrative or inject scene.
In facilitated play the number records the choice of the team under the cursor (`[`/`]` move
it), `v` reveals the tally, Enter follows the majority, a number settles a tie, `o` overrides.

The participants' view shows the scene and the choices only: never `recommended`, `enacts`,
`harmful`, `feedback` or `discussion` before the choice (the facilitator-only layer).
Feedback appears after a confirmed choice when the session's feedback is `immediate`; the
facilitator view (`f`, facilitated play only) shows discussion prompts and watch points.

The screen is a state machine whose phases, moves and per-phase keys are in `tui.play_flow`;
the words it shows are in `tui.play_text`, its keys in `tui.screens.play_keys`.

Every move calls the engine, which appends the event (committed, fsynced) before returning;
only then does the screen move on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from engine.core.i18n import _, ngettext
from engine.play.events import FeedbackTiming
from engine.play.session import discussion_seconds
from tui import play_text
from tui.play_flow import (
    Action,
    Event,
    Phase,
    advance,
    after_cancel_override,
    allows,
    can,
    enter_means,
    feedback_unread,
    show_scene_event,
)
from tui.screens.play_keys import PLAY_BINDINGS
from tui.widgets.choices import ChoiceList
from tui.widgets.gauge import GaugePanel
from tui.widgets.keybar import KeyBar
from tui.widgets.scene_header import (
    KIND_LABEL,
    facilitator_view,
    kind_banner,
    outcome_bar,
    scene_bar,
)
from tui.widgets.scene_text import SceneText
from tui.widgets.tally import TeamPanel
from tui.widgets.timer import CountdownTimer

if TYPE_CHECKING:
    from engine.core.model import Choice, Scene
    from engine.exercise.exercise import Exercise
    from engine.toolkit.catalog import Catalog
    from tui.live_link import LiveServer

_GATED = frozenset(Action)  # actions the phase table decides


class PlayScreen(Screen):
    """A session in progress."""

    CSS_PATH = "../styles/screens.tcss"
    BINDINGS = PLAY_BINDINGS

    phase: reactive[Phase] = reactive(Phase.OPENING, init=False)

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise
        self.facilitated = exercise.mode == "facilitated" or len(exercise.teams) > 1
        options = exercise.options
        self.immediate = FeedbackTiming.of(options, self.facilitated) is FeedbackTiming.IMMEDIATE
        self.timer_seconds = discussion_seconds(exercise.scenario, options)
        self.offered: tuple[Choice, ...] = ()  # the choices the numbers count, in their order
        self.drill: Scene | None = None  # the identify drill shown, if any
        self._reveal_armed = False
        self.kind = ""
        self.rendered_at = 0.0
        self._hinted_more = False
        self.live: LiveServer | None = None  # the participants' web server, once started
        self._store_mark: object = None

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
                yield from self._compose_side()
        yield KeyBar()

    def _compose_side(self) -> ComposeResult:
        if self.timer_seconds:
            yield CountdownTimer(self.timer_seconds, clock=self.app.clock, id="timer")
        if self.facilitated:
            yield Static(_("Teams"), classes="side-title")
            yield TeamPanel(self.exercise.teams, id="teams")
            yield Static(_("Live room"), classes="side-title hidden", id="live-title")
            yield Static(id="live-panel", classes="hidden", markup=False)
        if self.exercise.scenario.variables:
            yield Static(_("Situation"), classes="side-title")
            yield GaugePanel(self.exercise.scenario.variables, self.exercise.values, id="gauges")

    async def on_mount(self) -> None:
        self.sub_title = self.exercise.scenario.title
        unread = self._unread_feedback()
        if unread is not None:
            await self._show_feedback(unread)
        else:
            await self.show_scene()
        scroll = self.query_one("#scene-scroll", VerticalScroll)
        scroll.focus()
        # not on virtual_size: the hint's own height changes the text's room, and watching it
        # would make the hint flip between two layouts for ever
        self.watch(scroll, "scroll_y", self._scrolled, init=False)
        if self.facilitated:  # participants vote from their browsers into the same store
            self.set_interval(0.5, self._poll_store)

    def _unread_feedback(self) -> Choice | None:
        """On resume: the choice whose immediate feedback was on screen when the session was
        left (None when there is none to show)."""
        ex = self.exercise
        if not self.immediate or not ex.session.decisions:
            return None
        try:
            kinds = [e.kind for e in ex.events()]
        except Exception:
            return None
        if not feedback_unread(kinds):
            return None
        last = ex.session.decisions[-1]
        scene = ex.scenario.scenes.get(last.scene)
        return scene.choice(last.choice) if scene is not None else None

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.stop()

    def on_resize(self) -> None:
        """A new terminal size changes how much text fits: say so once the layout settled
        (not on the next key)."""
        self.call_after_refresh(self._scrolled)

    def _scrolled(self) -> None:
        if self._more_below() != self._hinted_more:
            self._update_hint()

    # --- phases ---------------------------------------------------------------------------

    def go(self, event: Event) -> None:
        """Move to the phase the table gives for `event` (IllegalTransition if none)."""
        self.phase = advance(self.phase, event)

    def watch_phase(self, old: Phase, new: Phase) -> None:
        self.refresh_bindings()
        if self.is_mounted:
            # a short terminal gives the tally the scene text's room (tui/styles/screens.tcss)
            tally = new in (Phase.REVEALED, Phase.OVERRIDE)
            self.query_one("#play-main").set_class(tally, "-tally")
            self._update_hint()
            self.call_after_refresh(self._scrolled)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key is offered only when it acts: the phase table decides, then the settings."""
        phase = self.phase
        if action == Action.CONFIRM:
            meaning = enter_means(phase)
            return bool(parameters) and meaning is not None and meaning == parameters[0]
        if action in _GATED and not allows(phase, Action(action)):
            return False
        if action == Action.CANCEL and phase is Phase.DECIDE:
            return self._selected() is not None
        if action == Action.PAUSE_TIMER:
            return self.timer_seconds is not None
        if action == Action.INJECTS:
            return bool(self.exercise.scenario.injects)
        if action in ("facilitator", "observe", "live", "room"):  # evaluators observe a room
            return self.facilitated
        return True

    # --- what is shown --------------------------------------------------------------------

    @property
    def scene(self) -> Scene:
        return self.exercise.scene

    async def show_scene(self, *, keep_timer: bool = False) -> None:
        """Render the engine's current scene (and choices) and move to its phase
        (`keep_timer`: the room stays at the scene, e.g. after an inject)."""
        ex = self.exercise
        scene = ex.scene
        self._reveal_armed = False
        self.offered = ex.offered if scene.kind == "decision" else ()
        self.drill = scene if scene.is_drill else None
        self.query_one("#scene-bar", Static).update(
            scene_bar(scene, ex.scenario.title, len(ex.path), self.size.width)
        )
        self._show_kind(scene)
        self.query_one("#scene-text", SceneText).update_markdown(
            scene.text + play_text.own_private_text(ex, scene, first=len(ex.path) == 1)
        )
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        if self.drill is not None:
            await self._show_choices(self._drill_texts())
        else:
            await self._show_choices([c.text for c in self.offered])
        self._update_side()
        self._update_facilitator()
        self.go(show_scene_event(scene.kind, facilitated=self.facilitated))
        if self.phase in (Phase.RECORD, Phase.IDENTIFY) and self.facilitated:
            self.query_one("#teams", TeamPanel).cursor = 0
            self._update_side()
        if not keep_timer:
            if scene.kind in ("decision", "identify"):
                self._restart_timer()
            else:
                self._stop_timer()
        self._update_hint()
        self.call_after_refresh(self._mark_rendered)
        self.call_after_refresh(self._scrolled)

    def _show_kind(self, scene: Scene) -> None:
        """The scene's kind on the bar, the stripe and the banner. Classes go on small leaf
        widgets only: a class change on the screen would restyle every widget of the scene's
        Markdown (tens of milliseconds per scene)."""
        self.kind = scene.kind
        for node in (self.query_one("#scene-bar"), self.query_one("#breaking-stripe")):
            for kind in KIND_LABEL:
                node.set_class(scene.kind == kind, f"-kind-{kind}")
        banner = self.query_one("#kind-banner", Static)
        banner.update(kind_banner(scene))
        banner.set_class(scene.kind not in ("inject", "ending"), "hidden")
        banner.set_class(scene.kind == "inject", "-breaking")
        banner.set_class(scene.kind == "ending", "-ending")

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
        if not self.facilitated:
            return
        panel = self.query_one("#teams", TeamPanel)
        panel.active = (self.scene.kind == "decision" and self.phase is Phase.RECORD) or (
            self.phase is Phase.IDENTIFY
        )
        index = {c.id: i + 1 for i, c in enumerate(self.offered)}
        choices = self.exercise.session.live_tally().team_choice  # recorded, or by devices
        panel.set_votes({t: index.get(c) for t, c in choices.items() if c is not None})
        panel.revealed = self.phase in (Phase.REVEALED, Phase.OVERRIDE)
        if panel.active:
            pending = self.exercise.pending_teams()
            if pending and panel.current not in pending:
                panel.next_pending()
        panel.refresh()
        self._update_live()
        self._update_facilitator()  # its record of the votes follows them

    def _update_tally(self) -> None:
        """After the reveal: how many teams chose each choice, leaders highlighted."""
        choices = self.query_one("#choices", ChoiceList)
        if self.phase not in (Phase.REVEALED, Phase.OVERRIDE):
            choices.set_marks({})
            return
        choices.set_marks(*play_text.tally_marks(self.exercise.tally(), self.offered))

    def _leaders(self) -> list[int]:
        return play_text.leaders(self.exercise.tally(), self.offered)

    def _refresh_room(self) -> None:
        """After a facilitated phase change: teams, tally marks and hint."""
        self._update_side()
        self._update_tally()
        self._update_hint()

    def hint_facts(self) -> play_text.HintFacts:
        """What the hint line says depends on (besides the phase)."""
        phase = self.phase
        team, pending, top = "", (), ()
        if phase is Phase.RECORD:
            team = self.query_one("#teams", TeamPanel).current
            pending = self.exercise.pending_teams()
        elif phase is Phase.REVEALED:
            top = tuple(self._leaders())
        if phase is Phase.IDENTIFY and self.facilitated:
            team = self.query_one("#teams", TeamPanel).current
        return play_text.HintFacts(
            offered=len(self.drill.options) if self.drill is not None else len(self.offered),
            selected=self._selected() if phase is Phase.DECIDE else None,
            team=team,
            pending=tuple(pending),
            teams=len(self.exercise.teams) if self.facilitated else 0,
            leaders=top,
            more_below=self._more_below(),
            time_up=self.query_one("#hint").has_class("-time-up"),
        )

    def _update_hint(self) -> None:
        facts = self.hint_facts()
        self._hinted_more = facts.more_below
        self.query_one("#hint", Static).update(play_text.hint(self.phase, facts))

    def _more_below(self) -> bool:
        try:
            scroll = self.query_one("#scene-scroll", VerticalScroll)
        except Exception:
            return False
        if scroll.size.height == 0:  # the tally took its room (a short terminal)
            return False
        return scroll.max_scroll_y > 0 and scroll.scroll_y < scroll.max_scroll_y - 0.5

    def _update_facilitator(self) -> None:
        """Fill the facilitator view, only while it is shown (never in the participants' view)."""
        if not self.facilitated:
            return
        text = self.query_one("#facilitator-text", Static)
        if self.query_one("#facilitator").has_class("hidden"):
            text.update("")
            return
        view = facilitator_view(
            self.scene, self._catalog(), private=play_text.private_rows(self.exercise, self.scene)
        )
        if self.scene.kind == "decision" and self.offered:
            view = Content("\n").join([self._recorded_votes(), view])
        text.update(view)

    def _recorded_votes(self) -> Content:
        """Who chose what so far (recorded, or by devices), for the facilitator's eyes only:
        the room's panel says only who has chosen until the tally is revealed."""
        number = {c.id: (i + 1, c.text) for i, c in enumerate(self.offered)}
        chosen = self.exercise.session.live_tally().team_choice
        lines = [Content.styled(_("Recorded so far"), "bold")]
        for team in self.exercise.teams:
            picked = number.get(chosen.get(team) or "")
            what = f"{picked[0]}. {picked[1]}" if picked else _("not yet")
            lines.append(Content("  " + _("{team}: {choice}").format(team=team, choice=what)))
        return Content("\n").join(lines)

    def _catalog(self) -> Catalog | None:
        try:
            return self.app.catalog
        except Exception:
            return None

    def _selected(self) -> int | None:
        try:
            return self.query_one("#choices", ChoiceList).selected
        except Exception:
            return None

    # --- actions ------------------------------------------------------------------------------

    def _drill_team(self) -> str:
        """Whose selection the numbers toggle: the player's, or the team under the cursor."""
        if self.facilitated:
            return self.query_one("#teams", TeamPanel).current
        return self.exercise.teams[0]

    def _drill_texts(self) -> list[str]:
        """The drill's statements, each marked selected [x] or not [ ] for `_drill_team`."""
        assert self.drill is not None
        chosen = set(self.exercise.session.selection_of(self.exercise.scenario, self._drill_team()))
        return [f"[{'x' if o.id in chosen else ' '}] {o.text}" for o in self.drill.options]

    async def _toggle(self, number: int) -> None:
        """A number at a drill: add or remove that statement from the selection (recorded at
        once, as `selection_made`; Enter then moves on)."""
        drill = self.drill
        assert drill is not None
        if not 1 <= number <= len(drill.options):
            self.notify(
                _("There is no statement {number} here.").format(number=number),
                severity="warning",
                timeout=3,
            )
            return
        team = self._drill_team()
        chosen = set(self.exercise.session.selection_of(self.exercise.scenario, team))
        chosen ^= {drill.options[number - 1].id}
        ids = [o.id for o in drill.options if o.id in chosen]
        if self._move(self.exercise.record_selection, team, ids):
            await self._show_choices(self._drill_texts())
            self._update_hint()

    async def action_pick(self, number: int) -> None:
        """A number: select (solo), record (facilitated), settle a tie, or override."""
        if self.phase is Phase.IDENTIFY:
            await self._toggle(number)
            return
        if not 1 <= number <= len(self.offered):
            self.notify(
                _("There is no choice {number} here (1-{count}).").format(
                    number=number, count=len(self.offered)
                ),
                severity="warning",
                timeout=3,
            )
            return
        choice = self.offered[number - 1]
        phase = self.phase
        if phase is Phase.DECIDE:
            self.query_one("#choices", ChoiceList).select(number - 1)
            self._update_hint()
            self.refresh_bindings()
        elif phase is Phase.RECORD:
            team = self.query_one("#teams", TeamPanel).current
            before = dict(self.exercise.session.votes).get(team)
            if self._move(self.exercise.record_choice, team, choice.id):
                if before is not None and before != choice.id:  # no number: the room sees it
                    self.notify(
                        _("{team}: recorded choice changed.").format(team=team),
                        title=_("Changed"),
                        timeout=4,
                    )
                self._reveal_armed = False
                self._update_side()  # moves the cursor on to the next team still to choose
                self._update_hint()
        elif phase is Phase.REVEALED:
            if number in self._leaders():
                await self._follow(choice.id)
            else:
                self.notify(
                    _("Choice {number} is not the majority: press o to override.").format(
                        number=number
                    ),
                    severity="warning",
                    timeout=4,
                )
        elif phase is Phase.OVERRIDE:
            await self._follow(choice.id, override=True)

    async def action_confirm(self, meaning: str = "") -> None:
        """Enter: continue, confirm, reveal, follow or open the debrief, by phase."""
        phase = self.phase
        if phase in (Phase.NARRATIVE, Phase.IDENTIFY):
            if self._move(self.exercise.acknowledge):
                await self.show_scene()
        elif phase is Phase.FEEDBACK:
            await self.show_scene()
        elif phase is Phase.DECIDE:
            await self._confirm_selected()
        elif phase is Phase.RECORD:
            await self.action_reveal()
        elif phase is Phase.REVEALED:
            await self._follow_majority()
        elif phase is Phase.OVERRIDE:
            self.notify(_("Press the number of the choice the room follows."), timeout=3)
        elif phase is Phase.ENDING:
            self.open_debrief()

    async def _confirm_selected(self) -> None:
        selected = self._selected()
        if selected is None:
            self.notify(
                _("Select a choice first: press its number (1-{count}).").format(
                    count=len(self.offered)
                ),
                severity="warning",
                timeout=3,
            )
            return
        choice = self.offered[selected]
        if self._move(self.exercise.choose, choice.id):
            await self._after_choice(choice)

    async def _follow_majority(self) -> None:
        leaders = self._leaders()
        if len(leaders) == 1:
            await self._follow(self.offered[leaders[0] - 1].id)
        elif leaders:
            self.notify(
                _("Tie: press {keys} to settle it.").format(
                    keys=play_text.join_numbers(leaders, _("or"))
                ),
                severity="warning",
                timeout=4,
            )
        else:
            self.notify(
                _("No team has chosen yet: press o to override."), severity="warning", timeout=4
            )

    async def _follow(
        self, choice_id: str, *, override: bool = False, reason: str | None = None
    ) -> None:
        """The room follows `choice_id`; an override or a tie-break first asks for a one-line
        reason (Enter with none follows without one, Esc cancels)."""
        if reason is None and (override or len(self._leaders()) > 1):
            self._ask_reason(choice_id, override)
            return
        choice = next(c for c in self.offered if c.id == choice_id)
        number = self.offered.index(choice) + 1
        if self._move(self.exercise.follow, choice_id, override=override, reason=reason or None):
            how = self.exercise.session.decisions[-1].how
            self.notify(
                play_text.followed_toast(number, choice.text, how),
                title=_("Followed"),
                timeout=8,
            )
            await self._after_choice(choice)

    def _ask_reason(self, choice_id: str, override: bool) -> None:
        from tui.screens.note import NoteScreen

        number = next(i + 1 for i, c in enumerate(self.offered) if c.id == choice_id)
        title = _("Override: why?") if override else _("Tie-break: why?")

        def done(text: str | None) -> None:
            if text is None:
                self.notify(_("Not followed: the room stays at this decision."), timeout=3)
                return
            self.run_worker(self._follow(choice_id, override=override, reason=text.strip()))

        self.app.push_screen(
            NoteScreen(
                _("{scene}, choice {number}").format(scene=self.scene.title, number=number),
                title=title,
                placeholder=_("One line for the report (why the room follows this choice)"),
            ),
            done,
        )

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
        from engine.report.document import effects_of

        ex = self.exercise
        decision_scene = ex.session.decisions[-1].scene if ex.session.decisions else None
        text = play_text.feedback_markdown(
            choice,
            ex.scenario.scenes[decision_scene] if decision_scene else None,
            facilitated=self.facilitated,
            key_action=self._ka_text,
            effects=effects_of(ex.scenario, choice),
        )
        self.query_one("#scene-bar", Static).update(outcome_bar())
        self.query_one("#kind-banner", Static).add_class("hidden")
        self.query_one("#scene-text", SceneText).update_markdown(text)
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        await self._show_choices([])
        self.offered = ()
        self._update_side()
        self.go(Event.SHOW_FEEDBACK)

    def _ka_text(self, ka_id: str) -> str:
        catalog = self._catalog()
        try:
            ka = catalog.key_action(ka_id) if catalog is not None else None
        except Exception:
            ka = None
        return f"**{ka_id}** {ka.text}" if ka is not None else f"**{ka_id}**"

    def _move(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Call the engine; it appends the event before returning. A refused move is shown
        and changes nothing."""
        from engine.play.machine import PlayError

        try:
            fn(*args, **kwargs)
        except PlayError as exc:
            self.notify(str(exc), title=_("Not possible"), severity="warning", timeout=6)
            return False
        except Exception as exc:  # the store failed: say so, keep the screen as it was
            self.notify(f"{exc}", title=_("Could not save"), severity="error", timeout=15)
            return False
        return True

    def action_step(self, step: int) -> None:
        """Down/Up. Solo at a decision: Down scrolls the scene's text while some is below,
        then selects the next choice; Up selects the previous one, and above the first, goes
        back up the text. Anywhere else they scroll the text, as before."""
        scroll = self.query_one("#scene-scroll", VerticalScroll)
        choices = self.query_one("#choices", ChoiceList)
        selected = choices.selected
        if self.phase is Phase.DECIDE and self.offered:
            if step > 0 and (selected is not None or not self._more_below()):
                choices.select(0 if selected is None else min(selected + 1, choices.count - 1))
                self._update_hint()
                self.refresh_bindings()
                return
            if step < 0 and selected is not None:
                choices.select(selected - 1 if selected > 0 else None)
                self._update_hint()
                self.refresh_bindings()
                return
        if step > 0:
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)

    async def action_team(self, step: int) -> None:
        self.query_one("#teams", TeamPanel).move(step)
        if self.drill is not None:
            await self._show_choices(self._drill_texts())
        self._update_hint()

    def action_injects(self) -> None:
        """`i`: list the on-demand injects on offer now, fire the one confirmed, show it."""
        from tui.screens.injects import InjectPickScreen, InjectShownScreen

        available = self.exercise.injects_available()
        if not available:
            self.notify(_("No on-demand inject is on offer now."), severity="warning", timeout=4)
            return

        async def fire(inject_id: str | None) -> None:
            if inject_id is None or not self._move(self.exercise.fire_inject, inject_id):
                return
            inject = self.exercise.scenario.inject(inject_id)
            assert inject is not None
            await self.show_scene(keep_timer=True)  # new values may change what is offered
            self.app.push_screen(
                InjectShownScreen(inject, self.exercise.scenario, facilitator=self.facilitated)
            )

        self.app.push_screen(InjectPickScreen(available), fire)

    @on(TeamPanel.TeamClicked)
    def _team_clicked(self) -> None:
        self._update_hint()

    async def action_reveal(self) -> None:
        """`v`: reveal the tally (twice if some team has not chosen), or hide it again."""
        if self.phase is Phase.REVEALED:
            self.go(Event.HIDE)
        elif can(self.phase, Event.REVEAL):
            pending = self.exercise.pending_teams()
            if len(pending) == len(self.exercise.teams):
                self.notify(
                    _("No team has chosen yet: record their choices first (or o to override)."),
                    severity="warning",
                    timeout=4,
                )
                return
            if pending and not self._reveal_armed:
                self._reveal_armed = True
                self.notify(
                    _("Not chosen yet: {teams}. Press v again to reveal anyway.").format(
                        teams=", ".join(pending)
                    ),
                    severity="warning",
                    timeout=5,
                )
                return
            self.go(Event.REVEAL)
            session = self.exercise.session
            if session.participants and not session.revealed:
                self._move(self.exercise.reveal)  # participants' votes are final from here
        self._refresh_room()

    def action_override(self) -> None:
        if can(self.phase, Event.OVERRIDE):
            self.go(Event.OVERRIDE)
            self._refresh_room()

    def action_cancel(self) -> None:
        if self.phase is Phase.OVERRIDE:
            self.go(after_cancel_override(any_vote=bool(self.exercise.tally())))
            self._refresh_room()
        elif self.phase is Phase.DECIDE:
            self.query_one("#choices", ChoiceList).select(None)
            self._update_hint()
            self.refresh_bindings()

    # --- the live room ----------------------------------------------------------------------

    def _poll_store(self) -> None:
        """Fold in what others appended (participants' joins and votes through the web
        server): a cheap change check every half second, the events read only when it moved."""
        ex = self.exercise
        try:
            mark = ex.store.change_mark()
            if mark == self._store_mark:
                return
            self._store_mark = mark
            changed = ex.refresh()
        except Exception as exc:
            self.notify(f"{exc}", title=_("Could not read the session"), severity="error")
            return
        if changed:
            self._refresh_room()

    def _update_live(self) -> None:
        """The join link, code and QR code, and the per-team and per-head counts."""
        if not self.facilitated:
            return
        from tui.live_link import tally_lines

        session = self.exercise.session
        shown = self.live is not None or bool(session.participants)
        panel = self.query_one("#live-panel", Static)
        self.query_one("#live-title").set_class(not shown, "hidden")
        panel.set_class(not shown, "hidden")
        if not shown:
            return
        lines = []
        if self.live is not None:
            lines += [
                _("Code: {code}").format(code=self.live.code),
                self.live.url,
                _("(l: QR code and links)"),
            ]
        joined = len(session.participants)
        lines += [ngettext("{n} joined online", "{n} joined online", joined).format(n=joined)]
        if self.scene.kind == "decision":
            lines += tally_lines(session, self.offered)
        panel.update("\n".join(lines))

    def action_live(self) -> None:
        """`l`: start the participants' web server for this session (its own process)."""
        if self.live is not None and self.live.running:
            from tui.screens.live import LiveScreen

            self.app.push_screen(LiveScreen(self.live))
            return
        self.notify(_("Starting the live-session server..."), timeout=3)
        self.run_worker(self._start_live, thread=True, exclusive=True, group="live")

    def _start_live(self) -> None:
        from tui.live_link import LiveError, LiveServer

        ex = self.exercise
        try:
            server = LiveServer.start(ex.session_id, ex.store.path)
        except (LiveError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title=_("Live session"), severity="error", timeout=10
            )
            return
        self.app.call_from_thread(self._live_started, server)

    def _live_started(self, server: LiveServer) -> None:
        from tui.screens.live import LiveScreen

        self.live = server
        self._update_live()
        self.app.push_screen(LiveScreen(server))

    def action_undo(self) -> None:
        """`u`: undo the room's last move (appended as a correction, with a reason); the room
        is back at that decision, its votes as they were."""
        from tui.screens.note import NoteScreen

        session = self.exercise.session
        if not session.decisions or session.last_follow is None:
            self.notify(
                _(
                    "Nothing to undo: only the room's last move can be undone, before the room "
                    "moves on from the scene it led to."
                ),
                severity="warning",
                timeout=5,
            )
            return
        last = session.decisions[-1]
        scene = self.exercise.scenario.scenes[last.scene]

        def done(text: str | None) -> None:
            if text is not None and self._move(self.exercise.correct, last.seq, text=text):
                self.run_worker(self.show_scene())

        followed = scene.choice(last.choice)
        what = play_text.short_text(followed.text) if followed is not None else last.choice
        self.app.push_screen(
            NoteScreen(
                _("{scene}, where the room followed “{choice}”").format(
                    scene=scene.title, choice=what
                ),
                title=_("Undo the room's last move"),
                placeholder=_("Why (one line for the report)"),
            ),
            done,
        )

    def action_room(self) -> None:
        """`m`: who joined, their teams and votes; move a participant, correct a vote."""
        from tui.screens.room import RoomScreen

        ex = self.exercise
        ex.refresh()
        if not ex.session.participants and not ex.session.vote_log:
            self.notify(_("No participant and no recorded vote yet."), timeout=4)
            return

        def done(what: dict[str, Any] | None) -> None:
            if what is None:
                return
            if what["kind"] == "move":
                ok = self._move(ex.move, what["participant"], what["team"])
            else:
                ok = self._move(
                    ex.correct, what["target"], choice=what["choice"], text=what["text"]
                )
            if ok:
                self.notify(_("Recorded."), timeout=3)
                self._refresh_room()

        self.app.push_screen(RoomScreen(ex.scenario, ex.session), done)

    def action_facilitator(self) -> None:
        self.query_one("#facilitator").toggle_class("hidden")
        self._update_facilitator()

    def action_pause_timer(self) -> None:
        if self.timer_seconds:
            self.query_one("#timer", CountdownTimer).toggle_pause()

    def action_note(self) -> None:
        """`n`: a note on this scene; in a room, about one team (the one under the cursor) or
        the whole room."""
        from tui.screens.note import NoteScreen, TeamNoteScreen

        def save(text: str | None, team: str | None = None) -> None:
            if (
                text
                and text.strip()
                and self._move(self.exercise.add_note, text.strip(), team=team)
            ):
                said = (
                    _("Note saved with this scene, about {team}.").format(team=team)
                    if team
                    else _("Note saved with this scene.")
                )
                self.notify(said, timeout=3)

        if not self.facilitated:
            self.app.push_screen(NoteScreen(self.scene.title), save)
            return
        team = self.query_one("#teams", TeamPanel).current if self.phase is Phase.RECORD else None

        def saved(answer: tuple[str | None, str] | None) -> None:
            if answer is not None:
                save(answer[1], answer[0])

        self.app.push_screen(TeamNoteScreen(self.scene.title, self.exercise.teams, team), saved)

    def action_observe(self) -> None:
        from tui.screens.observe import ObservationScreen, observation_options, record

        options = observation_options(self.exercise, getattr(self.app, "catalog", None))
        self.app.push_screen(
            ObservationScreen(self.scene.title, **options),
            lambda fields: record(self, self.exercise, fields),
        )

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
        if self.phase is Phase.DECIDE:
            self._update_hint()
            self.refresh_bindings()
        elif self.phase in (Phase.RECORD, Phase.REVEALED, Phase.OVERRIDE, Phase.IDENTIFY):
            self.query_one("#choices", ChoiceList).select(None)
            await self.action_pick(message.index + 1)  # at a drill: toggles the statement

    @on(ChoiceList.Confirmed)
    async def _confirmed(self, message: ChoiceList.Confirmed) -> None:
        if self.phase is Phase.DECIDE:
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
        self._update_hint()
        if self.timer_seconds and not self.exercise.is_over:  # for the after-action report
            self._move(self.exercise.timer_expired, self.timer_seconds)
        self.notify(
            _("Discussion time is up. The room still decides: nothing was chosen."),
            title=_("Time is up"),
            severity="warning",
            timeout=8,
        )

    # --- command palette ------------------------------------------------------------------

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand(
            _("Add note"), _("Write a facilitator's note on this scene"), self.action_note
        )
        if self.facilitated:
            yield SystemCommand(
                _("Facilitator view"),
                _("Show or hide discussion prompts and watch points"),
                self.action_facilitator,
            )
        if self.timer_seconds:
            yield SystemCommand(
                _("Pause timer"),
                _("Pause or resume the discussion timer"),
                self.action_pause_timer,
            )
            yield SystemCommand(
                _("Add a minute"),
                _("Give the room one more minute to discuss"),
                lambda: self.query_one("#timer", CountdownTimer).add(60),
            )
        yield SystemCommand(
            _("Leave session"), _("Back to the library (the session is saved)"), self.action_quit
        )
