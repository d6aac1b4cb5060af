"""The team-list rules, in one place: how a typed list is read, what a new session accepts.

The setup screen, `nexus-ttx play --teams` and `Exercise.start` all go through `team_list`;
`session.start` (the fold) checks only what every stored log must satisfy, so sessions recorded
before a rule was tightened still fold.
"""

from __future__ import annotations

from engine.play.events import Mode

MAX_TEAMS = 12
SOLO_TEAM = "Solo"  # the one team of solo play when none is named
DEFAULT_TEAMS = ("Table 1", "Table 2", "Table 3")  # facilitated play when none are named


class TeamListError(ValueError):
    """A team list a new session cannot start with; the message says what to fix."""


def parse_teams(text: str) -> tuple[str, ...]:
    """`Table 1, Table 2` (or `;`-separated) -> ("Table 1", "Table 2"); blanks dropped."""
    return tuple(t.strip() for t in text.replace(";", ",").split(",") if t.strip())


def team_list(mode: Mode | str, teams: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The teams of a new session in `mode`, names stripped; raises TeamListError when the
    list breaks a rule: solo has exactly one team, facilitated 1 to MAX_TEAMS, every name
    non-empty and different from the others (case aside)."""
    names = tuple(t.strip() if isinstance(t, str) else "" for t in teams)
    if Mode(mode) is Mode.SOLO:
        if len(names) != 1:
            raise TeamListError("solo play has exactly one team (the player)")
    elif not names:
        raise TeamListError("name at least one team (for example: Table 1, Table 2)")
    if any(not n for n in names):
        raise TeamListError("a session needs at least one team, each with a non-empty name")
    if len({n.casefold() for n in names}) != len(names):
        raise TeamListError("team names must be different from each other")
    if len(names) > MAX_TEAMS:
        raise TeamListError(f"at most {MAX_TEAMS} teams")
    return names
