"""Evaluation records folded from events: observations, timer expiries, participant feedback and
the improvement plan (HSEEP's after-action report / improvement plan vocabulary).

Each `*_from` function checks one event's data against the scenario and the session and returns
the record it adds (or the plan after an edit), raising `ValueError` with a message for a person
when the data does not fit; `engine.play.session` turns that into `InvalidEvent`. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Final, Literal

from engine.core.i18n import N_, _
from engine.core.model import Scenario

Rating = Literal["P", "S", "M", "U"]
RATINGS: Final[Mapping[Rating, str]] = {  # marked for translation: `_(RATINGS[r])` where shown
    "P": N_("Performed without challenges"),
    "S": N_("Performed with some challenges"),
    "M": N_("Performed with major challenges"),
    "U": N_("Unable to be performed"),
}
TEXT_LIMIT: Final = 4000
_PRACTICE = re.compile(r"^GP[0-9]{1,2}$")
_INDICATOR = re.compile(r"^[a-z]+(-[a-z]+)*(\.[0-9]+)?$")
PLAN_FIELDS: Final = (
    "issue",
    "action",
    "practice",
    "objective",
    "organisation",
    "contact",
    "start",
    "completion",
)


@dataclass(frozen=True)
class Observation:
    """What an evaluator saw. `scene` is where the room was when it was recorded."""

    seq: int
    text: str
    scene: str | None = None
    team: str | None = None
    objective: str | None = None
    practice: str | None = None
    indicator: str | None = None
    rating: Rating | None = None
    by: str | None = None
    at: str = ""


@dataclass(frozen=True)
class TimerExpiry:
    """The decision timer ran out at `scene` after `seconds`."""

    seq: int
    scene: str
    seconds: int
    at: str = ""


@dataclass(frozen=True)
class Feedback:
    """One participant's or team's end-of-exercise feedback; anonymous unless `participant`."""

    seq: int
    ratings: tuple[tuple[str, int], ...]  # (objective id, 1-5)
    worked: str = ""
    change: str = ""
    team: str | None = None
    participant: str | None = None
    at: str = ""


@dataclass(frozen=True)
class PlanItem:
    """An improvement-plan row. Dates are ISO `YYYY-MM-DD`; `source` says what drafted it."""

    item: str
    issue: str
    action: str = ""
    practice: str | None = None
    objective: str | None = None
    organisation: str = ""
    contact: str = ""
    start: str | None = None
    completion: str | None = None
    source: str | None = None


def _text(data: Mapping[str, object], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValueError(_("'{key}' must be text, got {value!r}").format(key=key, value=value))
    if required and not value.strip():
        raise ValueError(_("'{key}' needs some text").format(key=key))
    if len(value) > TEXT_LIMIT:
        raise ValueError(
            _("'{key}' is longer than {limit} characters").format(key=key, limit=TEXT_LIMIT)
        )
    return value.strip()


def _optional(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(_("'{key}' must be text, got {value!r}").format(key=key, value=value))
    return value


def _team(value: str | None, teams: Sequence[str]) -> str | None:
    if value is not None and value not in teams:
        raise ValueError(
            _("no team '{team}' in this session (teams: {teams})").format(
                team=value, teams=", ".join(teams)
            )
        )
    return value


def _objective(value: str | None, scenario: Scenario) -> str | None:
    if value is not None and scenario.objective(value) is None:
        known = ", ".join(o.id for o in scenario.objectives) or _("none")
        raise ValueError(
            _("the scenario has no objective '{objective}' (objectives: {known})").format(
                objective=value, known=known
            )
        )
    return value


def _practice(value: str | None) -> str | None:
    if value is not None and not _PRACTICE.match(value):
        raise ValueError(_("'{value}' is not a good practice id (GP1 to GP25)").format(value=value))
    return value


def _rating(value: str | None) -> Rating | None:
    for rating in RATINGS:
        if value == rating:
            return rating
    if value is not None:
        raise ValueError(_("unknown rating {value!r} (P, S, M or U)").format(value=value))
    return None


def observation_from(
    seq: int, data: Mapping[str, object], scenario: Scenario, teams: Sequence[str], at: str
) -> Observation:
    rating = _rating(_optional(data, "rating"))
    indicator = _optional(data, "indicator")
    if indicator is not None and not _INDICATOR.match(indicator):
        raise ValueError(
            _("'{indicator}' is not a watch point or indicator id (e.g. corruption.3)").format(
                indicator=indicator
            )
        )
    scene = _optional(data, "scene")
    if scene is not None and scene not in scenario.scenes:
        raise ValueError(_("the scenario has no scene '{scene}'").format(scene=scene))
    return Observation(
        seq=seq,
        text=_text(data, "text", required=True),
        scene=scene,
        team=_team(_optional(data, "team"), teams),
        objective=_objective(_optional(data, "objective"), scenario),
        practice=_practice(_optional(data, "practice")),
        indicator=indicator,
        rating=rating,
        by=_optional(data, "by"),
        at=at,
    )


def timer_from(seq: int, data: Mapping[str, object], current_scene: str, at: str) -> TimerExpiry:
    scene = data.get("scene")
    if scene != current_scene:
        raise ValueError(
            _("a timer can expire at the room's scene '{current}', not {scene!r}").format(
                current=current_scene, scene=scene
            )
        )
    seconds = data.get("seconds")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0:
        raise ValueError(
            _("'seconds' must be a whole number of seconds >= 0, got {seconds!r}").format(
                seconds=seconds
            )
        )
    return TimerExpiry(seq, scene, seconds, at)


def feedback_from(
    seq: int, data: Mapping[str, object], scenario: Scenario, teams: Sequence[str], at: str
) -> Feedback:
    raw = data.get("ratings") or {}
    if not isinstance(raw, Mapping):
        raise ValueError(_("'ratings' must map objective ids to 1-5"))
    ratings = []
    for objective, value in raw.items():
        _objective(objective, scenario)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValueError(
                _("the rating of '{objective}' must be 1 to 5, got {value!r}").format(
                    objective=objective, value=value
                )
            )
        ratings.append((objective, value))
    order = {o.id: i for i, o in enumerate(scenario.objectives)}
    ratings.sort(key=lambda r: order[r[0]])
    feedback = Feedback(
        seq=seq,
        ratings=tuple(ratings),
        worked=_text(data, "worked"),
        change=_text(data, "change"),
        team=_team(_optional(data, "team"), teams),
        participant=_optional(data, "participant"),
        at=at,
    )
    if not (feedback.ratings or feedback.worked or feedback.change):
        raise ValueError(_("feedback needs a rating or some text"))
    return feedback


def _plan_value(key: str, data: Mapping[str, object], scenario: Scenario) -> Any:
    """The field `key`'s checked value: str or None (Any: it is passed to PlanItem by name)."""
    if key in ("start", "completion"):
        value = _optional(data, key)
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(
                    _("'{key}' must be a date like 2026-03-31, got {value!r}").format(
                        key=key, value=value
                    )
                ) from None
        return value
    if key == "practice":
        return _practice(_optional(data, key))
    if key == "objective":
        return _objective(_optional(data, key), scenario)
    return _text(data, key, required=key == "issue")


def _check_dates(item: PlanItem) -> PlanItem:
    if item.start and item.completion and item.completion < item.start:
        raise ValueError(
            _("completion {completion} is before start {start}").format(
                completion=item.completion, start=item.start
            )
        )
    return item


def plan_added(
    data: Mapping[str, object], scenario: Scenario, plan: Sequence[PlanItem]
) -> tuple[PlanItem, ...]:
    item_id = _optional(data, "item")
    if item_id is None:
        raise ValueError(_("a plan item needs its 'item' id"))
    if any(p.item == item_id for p in plan):
        raise ValueError(_("the plan already has an item '{item}'").format(item=item_id))
    values = {k: _plan_value(k, data, scenario) for k in PLAN_FIELDS}
    item = PlanItem(item=item_id, source=_optional(data, "source"), **values)
    return tuple(plan) + (_check_dates(item),)


def plan_edited(
    data: Mapping[str, object], scenario: Scenario, plan: Sequence[PlanItem]
) -> tuple[PlanItem, ...]:
    item_id = data.get("item")
    index = next((i for i, p in enumerate(plan) if p.item == item_id), None)
    if index is None:
        raise ValueError(_("the plan has no item {item!r}").format(item=item_id))
    changes = {k: _plan_value(k, data, scenario) for k in PLAN_FIELDS if k in data}
    if not changes:
        raise ValueError(
            _("an edit names at least one of {fields}").format(fields=", ".join(PLAN_FIELDS))
        )
    edited = _check_dates(replace(plan[index], **changes))
    return tuple(plan[:index]) + (edited,) + tuple(plan[index + 1 :])


def plan_removed(data: Mapping[str, object], plan: Sequence[PlanItem]) -> tuple[PlanItem, ...]:
    item_id = data.get("item")
    if not any(p.item == item_id for p in plan):
        raise ValueError(_("the plan has no item {item!r}").format(item=item_id))
    return tuple(p for p in plan if p.item != item_id)


def next_item_id(plan: Sequence[PlanItem], ever_added: int) -> str:
    """The next item number as text ("1", "2", ...): one more than all items ever added, so a
    removed item's number is never reused (a plan discussed on paper keeps its numbering)."""
    taken = {p.item for p in plan}
    n = ever_added + 1
    while str(n) in taken:
        n += 1
    return str(n)


def plan_item_json(item: PlanItem) -> dict[str, str | None]:
    return {f.name: getattr(item, f.name) for f in fields(item)}
