"""Draft improvement-plan items from what a session shows (HSEEP: the improvement plan turns
areas for improvement into corrective actions with an owner and dates).

Two sources, each drafted once (an item remembers its `source`, so drafting again after edits
or removals adds only what is new): observations rated M or U (`observation:SEQ`), and the recommended key
actions the room's path missed, one item per practice (`missed:GP21`). The facilitator then edits
owners and dates. Pure: the caller passes the catalog (or None: ids are used as titles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.core.i18n import ngettext
from engine.core.lookup import find
from engine.core.model import Scenario
from engine.play.scoring import Score, practice_of, practice_order
from engine.play.session import Session

if TYPE_CHECKING:
    from engine.toolkit.catalog import Catalog


@dataclass(frozen=True)
class Draft:
    """A proposed plan item (not yet an event)."""

    source: str
    issue: str
    action: str
    practice: str | None = None
    objective: str | None = None

    def fields(self) -> dict[str, str | None]:
        return {
            "source": self.source,
            "action": self.action,
            "practice": self.practice,
            "objective": self.objective,
        }


def practice_title(catalog: Catalog | None, gp: str) -> str:
    practice = None if catalog is None else find(catalog.practice, gp)
    return f"{gp} {practice.short_title}" if practice is not None else gp


def key_action_text(catalog: Catalog | None, ka: str) -> str:
    found = None if catalog is None else find(catalog.key_action, ka)
    return found.text if found is not None else ka


def objective_of(scenario: Scenario, practice: str | None) -> str | None:
    """The first objective that names `practice` (None when none does)."""
    for objective in scenario.objectives:
        if practice in objective.practices:
            return objective.id
    return None


def draft_plan(
    scenario: Scenario, session: Session, room: Score, catalog: Catalog | None = None
) -> list[Draft]:
    """The items a session suggests that its plan does not already carry (by source)."""
    have = session.plan_sources  # drafted before: kept, edited or deliberately removed
    drafts: list[Draft] = []
    for o in session.observations:
        if o.rating not in ("M", "U") or f"observation:{o.seq}" in have:
            continue
        practice = o.practice
        drafts.append(
            Draft(
                source=f"observation:{o.seq}",
                issue=o.text,
                action="Agree a corrective action for this finding.",
                practice=practice,
                objective=o.objective or objective_of(scenario, practice),
            )
        )
    missed: dict[str, list[str]] = {}
    for d in room.decisions:
        for ka in d.missed + (d.taken if d.harmful else ()):
            missed.setdefault(practice_of(ka), [])
            if ka not in missed[practice_of(ka)]:
                missed[practice_of(ka)].append(ka)
    for gp in sorted(missed, key=practice_order):
        if f"missed:{gp}" in have:
            continue
        actions = missed[gp]
        drafts.append(
            Draft(
                source=f"missed:{gp}",
                issue=ngettext(
                    "The room did not take {n} recommended key action of {practice}.",
                    "The room did not take {n} recommended key actions of {practice}.",
                    len(actions),
                ).format(n=len(actions), practice=practice_title(catalog, gp)),
                action="; ".join(key_action_text(catalog, ka) for ka in actions),
                practice=gp,
                objective=objective_of(scenario, gp),
            )
        )
    return drafts
