"""The words of the play screen: the hint line for each phase, the tally marks, the feedback
shown after a choice. Pure functions of what the engine says (no Textual), so the screen only
places them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from engine.core.i18n import _, ngettext
from engine.play.scoring import decision_score
from tui.play_flow import Phase

if TYPE_CHECKING:
    from engine.core.model import Choice, Scene


def join_numbers(numbers: Sequence[int], word: str) -> str:
    """[1, 2, 3] -> "1, 2 or 3"."""
    items = [str(n) for n in numbers]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def short_text(text: str, words: int = 6) -> str:
    """The first `words` words of a text, with an ellipsis when it goes on: enough to
    recognise a choice in a toast without reading it all again."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:.") + "…"


def followed_toast(number: int, text: str, how: str) -> str:
    """What the room follows, said briefly: its number, its first words, and how."""
    from engine.report.words import how_words

    return _(
        "The room follows choice {number}: {choice} ({how}). u undoes it until the room moves on."
    ).format(number=number, choice=short_text(text), how=how_words(how))


def leaders(tally: Mapping[str, Sequence[str]], offered: Sequence[Choice]) -> list[int]:
    """The numbers (1-based, among the offered choices) of the choices most teams chose."""
    top = max((len(t) for t in tally.values()), default=0)
    return [i + 1 for i, c in enumerate(offered) if top and len(tally.get(c.id, ())) == top]


def tally_marks(
    tally: Mapping[str, Sequence[str]], offered: Sequence[Choice]
) -> tuple[dict[int, str], dict[int, str]]:
    """After the reveal: how many teams chose each choice (by index) and its class: the
    leaders `-leader`, the choices nobody chose `-dim`."""
    top = max((len(t) for t in tally.values()), default=0)
    marks: dict[int, str] = {}
    classes: dict[int, str] = {}
    for i, c in enumerate(offered):
        teams = tally.get(c.id, ())
        if teams:
            marks[i] = ngettext("{n} team", "{n} teams", len(teams)).format(n=len(teams))
        if top and len(teams) == top:
            classes[i] = "-leader"
        elif not teams:
            classes[i] = "-dim"
    return marks, classes


@dataclass(frozen=True)
class HintFacts:
    """What the hint line needs to know besides the phase."""

    offered: int = 0  # how many choices are offered
    selected: int | None = None  # solo: the selected choice's index
    team: str = ""  # facilitated: the team under the cursor
    pending: tuple[str, ...] = ()  # facilitated: teams that have not chosen yet
    teams: int = 0  # facilitated: how many teams play
    leaders: tuple[int, ...] = ()  # facilitated, revealed: the majority's numbers
    more_below: bool = False  # the scene's text goes on below the fold
    time_up: bool = False  # the discussion timer ran out at this decision


def hint(phase: Phase, facts: HintFacts) -> str:
    """The line under the choices saying what the keys do now."""
    text = _PHASE_HINTS[phase](facts)
    if facts.more_below:
        text = _("More text below (Down / PgDn).") + "  " + text
    if facts.time_up:
        text = _("Time is up: the room still decides.") + "  " + text
    return text


def _keys(facts: HintFacts) -> str:
    return "1" if facts.offered == 1 else f"1-{facts.offered}"


def _decide_hint(facts: HintFacts) -> str:
    if facts.selected is None:
        return _("Press {keys} to select a choice, then Enter to confirm it.").format(
            keys=_keys(facts)
        )
    return _("Choice {n} selected: press Enter to confirm (or another number to change).").format(
        n=facts.selected + 1
    )


def _record_hint(facts: HintFacts) -> str:
    if not facts.pending:
        return _("Every team has chosen: press v to reveal the tally.")
    waiting = (
        _("every team")
        if facts.teams and len(facts.pending) == facts.teams
        else ", ".join(facts.pending)
    )
    return _(
        "Press {keys} to record the choice of {team}  ([ ] other team).  Waiting for: {waiting}."
    ).format(keys=_keys(facts), team=facts.team, waiting=waiting)


def _revealed_hint(facts: HintFacts) -> str:
    top = list(facts.leaders)
    if len(top) == 1:
        return _(
            "The majority chose {n}: press Enter to follow it, o to override, v to hide the tally."
        ).format(n=top[0])
    if top:
        return _("Tie between {numbers}: press {keys} to settle it (o to override).").format(
            numbers=join_numbers(top, _("and")), keys=join_numbers(top, _("or"))
        )
    return _("No team has chosen: press o to override, or v to go back.")


_PHASE_HINTS: Mapping[Phase, Callable[[HintFacts], str]] = MappingProxyType(
    {
        Phase.OPENING: lambda facts: "",
        Phase.NARRATIVE: lambda facts: _("Press Enter to continue."),
        Phase.DECIDE: _decide_hint,
        Phase.IDENTIFY: lambda facts: (
            _(
                "Press {keys} to tick or untick the statements that show the signs for {team} "
                "([ ] other team), then Enter to confirm and move on."
            )
            if facts.team
            else _(
                "Press {keys} to tick or untick the statements that show the signs, "
                "then Enter to confirm and move on."
            )
        ).format(keys=_keys(facts), team=facts.team),
        Phase.RECORD: _record_hint,
        Phase.REVEALED: _revealed_hint,
        Phase.OVERRIDE: lambda facts: _(
            "Override: press {keys} for the choice the room follows (Esc cancels)."
        ).format(keys=_keys(facts)),
        Phase.FEEDBACK: lambda facts: _("Press Enter to continue."),
        Phase.ENDING: lambda facts: _("The exercise is over: press Enter for the debrief."),
    }
)


def feedback_markdown(
    choice: Choice,
    scene: Scene | None,
    *,
    facilitated: bool,
    key_action: Callable[[str], str],
    effects: Sequence[str],
) -> str:
    """After the choice: what was chosen, its feedback, and the key actions it took or
    missed (`key_action` gives each one's words from the catalog), and its effects."""
    heading = _("The room follows: {choice}") if facilitated else _("You chose: {choice}")
    lines = ["## " + heading.format(choice=choice.text), ""]
    if choice.harmful:
        lines += [
            "> "
            + _(
                "**Harmful choice** - it runs against the toolkit's good practices and earns "
                "no points."
            ),
            "",
        ]
    if choice.feedback:
        lines += [choice.feedback.strip(), ""]
    if scene is not None and scene.recommended:
        scored = decision_score(scene, choice)
        if scored.credited:
            lines += ["**" + _("Key actions this choice took") + "**", ""]
            lines += [f"- {key_action(k)}" for k in scored.credited] + [""]
        if scored.missed:
            lines += ["**" + _("Key actions recommended here that this choice missed") + "**", ""]
            lines += [f"- {key_action(k)}" for k in scored.missed] + [""]
    if effects:
        lines += ["**" + _("Effects:") + "** " + ", ".join(effects), ""]
    return "\n".join(lines)


def own_private_text(exercise: Any, scene: Scene, *, first: bool) -> str:
    """Solo play with a role card: the player's role (its brief, at the start) and what only
    that role learns in this scene, as Markdown appended to the scene's text (facilitated
    rooms see private texts in the facilitator view and on their own devices only)."""
    if exercise.mode == "facilitated" or len(exercise.teams) != 1:
        return ""
    role_id = exercise.session.role_of(exercise.teams[0])
    role = exercise.scenario.role(role_id) if role_id else None
    if role is None:
        return ""
    out = ""
    if first:
        agency = f", {role.agency}" if role.agency else ""
        title = _("Your role: {role}").format(role=role.title + agency)
        out += f"\n\n---\n\n**{title}**\n\n{role.brief}"
    private = scene.private_for(role.id)
    if private:
        only = _("Only you ({role}) know:").format(role=role.title)
        out += f"\n\n---\n\n**{only}** {private}"
    return out


def private_rows(exercise: Any, scene: Scene) -> list[tuple[str, str]]:
    """(role title and the teams holding it, text) for each role's private text here."""
    roles = exercise.options.get("roles") or {}
    rows = []
    for role_id, text in scene.private:
        role = exercise.scenario.role(role_id)
        teams = [t for t, r in roles.items() if r == role_id]
        who = (role.title if role is not None else role_id) + (
            f" ({', '.join(teams)})" if teams else " (" + _("no team") + ")"
        )
        rows.append((who, text))
    return rows
