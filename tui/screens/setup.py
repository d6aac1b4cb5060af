"""Setup: solo or facilitated, team names, when feedback appears, an optional timer, and the
session's label (the course or day it belongs to, for `sessions --label` and `cohort`), and the
order of the choices (shuffled for the session, or as written)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, RadioButton, RadioSet, Select, Static

from engine.core.i18n import N_, _, ngettext
from engine.play.events import Mode
from engine.play.teams import SOLO_TEAM, TeamListError, parse_teams, team_list
from engine.store.base import StoreError, clean_label
from tui import prefs
from tui.launch import PlaySetup
from tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from engine.core.model import Role, Scenario, TimingProfile

TIMER_MINUTES = (1, 2, 3, 5, 8, 10, 15)
PROFILE_NAMES = {"short": N_("Short"), "standard": N_("Standard"), "long": N_("Long")}


def timer_options() -> list[tuple[str, int]]:
    """The discussion timers offered, in the interface language (built when shown)."""
    minutes = [
        (ngettext("{n} minute", "{n} minutes", n).format(n=n), n * 60) for n in TIMER_MINUTES
    ]
    return [(_("No timer"), 0), *minutes]


DEFAULT_TEAMS = "Table 1, Table 2, Table 3"


def timing_label(profile: TimingProfile) -> str:
    name = PROFILE_NAMES.get(profile.name)
    shown = _(name) if name else profile.name.capitalize()
    return _("{name}: {total} min, {decision} min a decision").format(
        name=shown, total=profile.total, decision=profile.decision
    )


def role_label(role: Role) -> str:
    return f"{role.title} ({role.agency})" if role.agency else role.title


def default_profile(scenario: Scenario) -> str:
    names = [t.name for t in scenario.timing]
    return "standard" if "standard" in names else names[0]


def round_robin(scenario: Scenario, teams_text: str) -> str:
    """`Table 1=police, Table 2=fiu, Table 3=police`: the roles dealt to the teams in turn."""
    try:
        teams = parse_teams(teams_text)
    except TeamListError:
        return ""
    roles = [r.id for r in scenario.roles]
    return ", ".join(f"{t}={roles[i % len(roles)]}" for i, t in enumerate(teams)) if roles else ""


def parse_roles(
    text: str, teams: tuple[str, ...], scenario: Scenario
) -> tuple[tuple[str, str], ...]:
    """`TEAM=ROLE, ...` checked against the session's teams and the scenario's roles (a team
    left out has no role)."""
    pairs: dict[str, str] = {}
    for item in (p.strip() for p in text.split(",")):
        if not item:
            continue
        team, sep, role = (x.strip() for x in item.partition("="))
        if not sep:
            raise ValueError(_("write each pair as team=role, not '{item}'").format(item=item))
        if team not in teams:
            raise ValueError(
                _("no team '{team}' (teams: {teams})").format(team=team, teams=", ".join(teams))
            )
        if scenario.role(role) is None:
            known = ", ".join(r.id for r in scenario.roles)
            raise ValueError(_("no role '{role}' (roles: {known})").format(role=role, known=known))
        if team in pairs:
            raise ValueError(_("'{team}' is given two roles").format(team=team))
        pairs[team] = role
    return tuple((t, pairs[t]) for t in teams if t in pairs)


class SetupScreen(Screen[PlaySetup | None]):
    """Dismisses with a PlaySetup (Start) or None (Back)."""

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS = [
        Binding(
            "ctrl+s",
            "start",
            N_("Start session"),
            id="setup.start",
            priority=True,
            tooltip=N_("Start the session with these settings"),
        ),
        Binding("escape", "back", N_("Back"), id="setup.back"),
    ]

    def __init__(self, scenario: Scenario, path: Path | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.path = path
        self._last = prefs.Preferences()  # what the facilitator chose last time (compose)
        self._feedback_chosen = False  # the facilitator picked when feedback shows
        self._defaulting = False
        self._roles_edited = False  # the facilitator typed the team=role pairs
        self._setting_roles = False
        self._bad_field = "#teams"  # the input a refused setup puts the cursor in

    def compose(self) -> ComposeResult:
        sc = self.scenario
        yield Header(icon="")
        with VerticalScroll(id="setup-form"):
            meta = [sc.region]
            if sc.duration_minutes:
                meta.append(_("about {minutes} min").format(minutes=sc.duration_minutes))
            yield Static(
                Content.assemble((sc.title, "bold"), "  ", (" · ".join(meta), "italic")),
                id="setup-title",
            )
            if sc.objectives:
                yield Label(_("Objectives"), classes="setup-label")
                yield Static(
                    Content("\n").join(Content(f"• {o.text}") for o in sc.objectives),
                    id="setup-objectives",
                )
            # the mode and feedback timing last chosen (the app's preferences)
            self._last = getattr(self.app, "prefs", None) or prefs.Preferences()
            self._feedback_chosen = self._last.feedback is not None
            room = self._last.mode == "facilitated"
            feedback = self._last.feedback or ("debrief" if room else "immediate")
            yield Label(_("Who plays?"), classes="setup-label")
            with RadioSet(id="mode", compact=True):
                yield RadioButton(_("Solo - one trainee"), value=not room, id="mode-solo")
                yield RadioButton(
                    _("Facilitated - teams in a room"), value=room, id="mode-facilitated"
                )
            yield Label(_("Teams (comma-separated)"), classes="setup-label")
            yield Input(DEFAULT_TEAMS, id="teams", disabled=not room, compact=True)
            yield Label(_("The room follows the majority of"), classes="setup-label")
            with RadioSet(id="count", compact=True, disabled=not room):
                yield RadioButton(_("Teams - one vote per team"), value=True, id="count-teams")
                yield RadioButton(_("Heads - every participant's vote"), id="count-heads")
            yield Label(_("Show what each choice did"), classes="setup-label")
            with RadioSet(id="feedback", compact=True):
                yield RadioButton(
                    _("Right after each choice"), value=feedback == "immediate", id="fb-immediate"
                )
                yield RadioButton(
                    _("Only at the debrief"), value=feedback == "debrief", id="fb-debrief"
                )
            yield from self._compose_timing_and_roles(room)
            yield Label(_("Discussion timer per decision"), classes="setup-label")
            yield Select(timer_options(), value=0, allow_blank=False, id="timer", compact=True)
            yield Label(_("Session label (optional)"), classes="setup-label")
            yield Input(
                placeholder=_("e.g. Nairobi course, day 2"),
                id="label",
                compact=True,
                max_length=120,
            )
            yield Label(_("Order of the choices"), classes="setup-label")
            with RadioSet(id="order", compact=True):
                yield RadioButton(_("Shuffled for this session"), value=True, id="order-shuffled")
                yield RadioButton(_("As written in the file"), id="order-file")
            yield Static("", id="setup-error")
            with Horizontal(id="setup-buttons"):
                yield Button(_("Start (Ctrl+S)"), id="start", variant="primary", compact=True)
                yield Button(_("Back (Esc)"), id="back", compact=True)
        yield KeyBar()

    def _compose_timing_and_roles(self, room: bool) -> ComposeResult:
        """The timing profile and the role cards, when the scenario has them."""
        sc = self.scenario
        if sc.timing:
            yield Label(_("Timing profile"), classes="setup-label")
            yield Select(
                [(timing_label(t), t.name) for t in sc.timing],
                value=default_profile(sc),
                allow_blank=False,
                id="timing",
                compact=True,
            )
        if sc.roles:
            yield Label(_("Role cards"), classes="setup-label")
            yield Select(
                [(_("No role"), "")] + [(role_label(r), r.id) for r in sc.roles],
                value=sc.roles[0].id,
                allow_blank=False,
                id="role",
                compact=True,
                classes="hidden" if room else "",
            )
            yield Input(
                round_robin(sc, DEFAULT_TEAMS),
                id="roles",
                disabled=not room,
                compact=True,
                classes="" if room else "hidden",
            )
            yield Static(
                _("Roles: {roles}").format(roles=", ".join(r.id for r in sc.roles)),
                id="roles-known",
                classes="" if room else "hidden",
                markup=False,
            )

    def on_mount(self) -> None:
        self.title = _("Set up")
        self.sub_title = self.scenario.title
        self.query_one("#mode", RadioSet).focus()

    @on(RadioSet.Changed, "#mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        facilitated = event.pressed.id == "mode-facilitated"
        self.query_one("#teams", Input).disabled = not facilitated
        self.query_one("#count", RadioSet).disabled = not facilitated
        if self.scenario.roles:  # solo: one role for the player; facilitated: team=role pairs
            self.query_one("#role", Select).set_class(facilitated, "hidden")
            roles = self.query_one("#roles", Input)
            roles.disabled = not facilitated
            roles.set_class(not facilitated, "hidden")
            self.query_one("#roles-known").set_class(not facilitated, "hidden")
        if not self._feedback_chosen:  # facilitated rooms usually discuss it at the debrief
            fb = "fb-debrief" if facilitated else "fb-immediate"
            # Not here: this handler runs with RadioButton.Changed prevented (the RadioSet posts
            # its Changed inside that guard), so the feedback set would never hear of the change
            # and would light both buttons. The event loop's next turn is outside the guard.
            asyncio.get_running_loop().call_soon(self._press, fb)

    def _press(self, button_id: str) -> None:
        button = self.query_one(f"#{button_id}", RadioButton)
        if not button.value:
            self._defaulting = True
            button.value = True

    @on(RadioSet.Changed, "#feedback")
    def _feedback_changed(self) -> None:
        if self._defaulting:  # our own default, not the facilitator's word
            self._defaulting = False
            return
        self._feedback_chosen = True

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Input.Changed, "#teams")
    def _teams_changed(self, event: Input.Changed) -> None:
        """New team names: assign the roles round robin again, unless edited by hand."""
        if not self.scenario.roles or self._roles_edited:
            return
        try:
            teams = parse_teams(event.value)
        except TeamListError:
            return
        self._setting_roles = True
        self.query_one("#roles", Input).value = round_robin(self.scenario, ", ".join(teams))

    @on(Input.Changed, "#roles")
    def _roles_changed(self) -> None:
        if self._setting_roles:
            self._setting_roles = False
            return
        self._roles_edited = True

    @on(Input.Submitted, "#teams, #label, #roles")
    def _teams_submitted(self) -> None:
        self.action_start()

    def current(self) -> PlaySetup | str:
        """The setup in the form, or a message saying what to fix."""
        facilitated = self.query_one("#mode-facilitated", RadioButton).value
        feedback = "debrief" if self.query_one("#fb-debrief", RadioButton).value else "immediate"
        timer_value = self.query_one("#timer", Select).value
        timer = int(timer_value) if isinstance(timer_value, int) and timer_value > 0 else None
        try:
            label = clean_label(self.query_one("#label", Input).value)
        except StoreError as exc:
            self._bad_field = "#label"
            return _("Label: {error}.").format(error=exc)
        order = "file" if self.query_one("#order-file", RadioButton).value else "shuffled"
        timing = self._timing()
        if not facilitated:
            role = self._solo_role()
            roles = ((SOLO_TEAM, role),) if role else ()
            return PlaySetup(
                "solo",
                (SOLO_TEAM,),
                feedback,
                timer,
                label,
                order=order,
                roles=roles,
                timing=timing,
            )
        try:
            teams = team_list(Mode.FACILITATED, parse_teams(self.query_one("#teams", Input).value))
        except TeamListError as exc:
            self._bad_field = "#teams"
            message = str(exc)
            return message[:1].upper() + message[1:] + "."
        pairs = self._team_roles(teams)
        if isinstance(pairs, str):
            return pairs
        count = "heads" if self.query_one("#count-heads", RadioButton).value else "teams"
        return PlaySetup(
            "facilitated",
            teams,
            feedback,
            timer,
            label,
            count=count,
            order=order,
            roles=pairs,
            timing=timing,
        )

    def _timing(self) -> str | None:
        if not self.scenario.timing:
            return None
        value = self.query_one("#timing", Select).value
        return value if isinstance(value, str) and value else None

    def _solo_role(self) -> str | None:
        if not self.scenario.roles:
            return None
        value = self.query_one("#role", Select).value
        return value if isinstance(value, str) and value else None

    def _team_roles(self, teams: tuple[str, ...]) -> tuple[tuple[str, str], ...] | str:
        """The `team=role` pairs typed for a facilitated room, or what to fix."""
        if not self.scenario.roles:
            return ()
        try:
            return parse_roles(self.query_one("#roles", Input).value, teams, self.scenario)
        except ValueError as exc:
            self._bad_field = "#roles"
            return _("Roles: {error}.").format(error=exc)

    def action_start(self) -> None:
        setup = self.current()
        if isinstance(setup, str):
            self.query_one("#setup-error", Static).update(setup)
            self.query_one(self._bad_field, Input).focus()
            return
        remember = getattr(self.app, "remember", None)
        if remember is not None:
            remember(
                mode=setup.mode,
                feedback=str(setup.feedback) if self._feedback_chosen else None,
            )
        self.dismiss(setup)

    def action_back(self) -> None:
        self.dismiss(None)
