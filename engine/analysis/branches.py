"""NTX320: a branch of a `next` list that no reachable state takes.

Exact, from the explored state space: every move out of every reachable state evaluates its
`next` list with the machine's own rule (`engine.play.machine.branch_taken`), and a branch that
no move takes is reported, at the branch. Either its `if` is false in every reachable state
where the list gets that far, or an earlier branch holds in all of them (the branch is never
even evaluated). A choice's own `if` that never holds is NTX304 (choice never offered).
Only made when the exploration was complete: it is a claim about all reachable states.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.analysis.statespace import ACK, StateSpace
from engine.core.model import Branch, Scenario
from engine.play.machine import branch_taken

#: (scene id, choice index) of a choice's list; (scene id, -1) of a scene's own list.
_Key = tuple[str, int]

Report = Callable[[str, str, tuple[str | int, ...]], None]


def taken_branches(scenario: Scenario, space: StateSpace) -> dict[_Key, set[int]]:
    """For every `next` list with two or more branches that some reachable move evaluates,
    the indexes of the branches those moves take."""
    taken: dict[_Key, set[int]] = {}
    scenes = scenario.scenes
    for sid, st in enumerate(space.states):
        for _target, label in space.succ[sid]:
            if label != ACK and not 0 <= label < len(space.choices):
                continue  # a move that is neither a choice nor a scene's `next`
            if label == ACK:
                if len(scenes[st.scene].next) < 2:
                    continue
                key, index = (st.scene, -1), branch_taken(scenario, st)
            else:
                scene_id, position, choice = space.choices[label]
                if len(choice.next) < 2:
                    continue
                key, index = (scene_id, position), branch_taken(scenario, st, choice)
            taken.setdefault(key, set()).add(index)
    return taken


def branch_findings(scenario: Scenario, space: StateSpace, add: Report) -> None:
    """NTX320 for each branch no reachable move takes (complete spaces only)."""
    if not space.complete:
        return
    for (scene_id, position), indexes in taken_branches(scenario, space).items():
        scene = scenario.scenes[scene_id]
        if position < 0:
            branches, where = scene.next, f"scene '{scene_id}'"
            path: tuple[str | int, ...] = ("scenes", scene_id, "next")
        else:
            choice = scene.choices[position]
            branches, where = choice.next, f"choice '{choice.id}' at '{scene_id}'"
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
    head = f"branch {i + 1} of the next list of {where} ({_describe(branch)}) is never taken"
    if max(indexes) > i and branch.condition is not None:
        why = (
            f"its condition '{branch.condition.source}' is false in every reachable state "
            "where it is evaluated"
        )
    else:
        earlier = [branches[j] for j in sorted(indexes) if j < i]
        holding = " or ".join(f"'{b.condition.source}'" for b in earlier if b.condition)
        why = (
            f"{holding or 'an earlier branch'} holds in every reachable state, so the list "
            "never gets this far"
        )
    return (
        f"{head}: {why}. Make the branch reachable (change a condition, or the effects "
        "before it) or remove it"
    )
