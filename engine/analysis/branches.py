"""NTX320: a branch of a `next` list that no reachable state takes.

Exact, from the explored state space: every move out of every reachable state evaluates its
`next` list with the machine's own rule (`engine.play.machine.choice_move`,
`acknowledge_move`), the exploration records the branch each move took (`StateSpace.taken`),
and a branch that no move takes is reported, at the branch. Either its `if` is false in every
reachable state where the list gets that far, or an earlier branch holds in all of them (the
branch is never even evaluated). A choice's own `if` that never holds is NTX304 (choice never offered).
Only made when the exploration was complete: it is a claim about all reachable states.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.analysis.statespace import StateSpace
from engine.core.i18n import _
from engine.core.model import Branch, Scenario

Report = Callable[[str, str, tuple[str | int, ...]], None]


def branch_findings(scenario: Scenario, space: StateSpace, add: Report) -> None:
    """NTX320 for each branch no reachable move takes (complete spaces only), in the order of
    the document (scenes, then each scene's own list before its choices')."""
    if not space.complete:
        return
    place = {scene_id: n for n, scene_id in enumerate(scenario.scenes)}
    for (scene_id, position), indexes in sorted(
        space.taken.items(), key=lambda item: (place[item[0][0]], item[0][1])
    ):
        scene = scenario.scenes[scene_id]
        if position < 0:
            branches, where = scene.next, _("of scene '{scene}'").format(scene=scene_id)
            path: tuple[str | int, ...] = ("scenes", scene_id, "next")
        else:
            choice = scene.choices[position]
            where = _("of choice '{choice}' at '{scene}'").format(choice=choice.id, scene=scene_id)
            branches = choice.next
            path = ("scenes", scene_id, "choices", position, "next")
        for i in range(len(branches)):
            if i in indexes:
                continue
            add("NTX320", _message(branches, i, indexes, where), (*path, i))


def _describe(branch: Branch) -> str:
    if branch.condition is None:
        return f"goto: {branch.goto}"
    return f"if: {branch.condition.source}, goto: {branch.goto}"


def _message(branches: tuple[Branch, ...], i: int, indexes: set[int], where: str) -> str:
    branch = branches[i]
    if max(indexes) > i and branch.condition is not None:
        why = _(
            "its condition '{condition}' is false in every reachable state where it is evaluated"
        ).format(condition=branch.condition.source)
    else:
        earlier = [branches[j] for j in sorted(indexes) if j < i]
        holding = _(" or ").join(
            _("'{text}'").format(text=b.condition.source) for b in earlier if b.condition
        )
        why = (
            _("{conditions} holds in every reachable state, so the list never gets this far")
            if holding
            else _(
                "an earlier branch holds in every reachable state, so the list never gets this far"
            )
        ).format(conditions=holding)
    return _(
        "branch {n} of the next list {where} ({branch}) is never taken: {why}. Make the "
        "branch reachable (change a condition, or the effects before it) or remove it"
    ).format(n=i + 1, where=where, branch=_describe(branch), why=why)
