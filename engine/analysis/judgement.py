"""Findings that say a score can be won without judgement, or harm has no cost (NTX310–NTX314).

    NTX310  the best-scoring choice is listed first in more than half of the scored decisions
    NTX311  the best-scoring choice is the longest text in more than half of them
    NTX312  a blind strategy (first / longest / shortest) reaches 50 % alignment or success
    NTX313  a `success` ending is reachable after two or more harmful choices
    NTX314  a harmful choice is credited with a recommended key action and its feedback does
            not explain the conflict

Rules, so authors can predict them:

* NTX310–NTX312 apply when some scored decision has choices that score differently.
* NTX310/NTX311 count the scored decisions whose choices do not all score the same (where
  there is a best choice to find), over every choice written in the file. "Best" is any choice
  with the decision's highest points; "longest" compares the texts participants read
  (`guessability.text_length`): a decision counts when its longest texts are all best-scoring
  (a best choice tied in length with a worse one is not "the longest").
* NTX313 is exact over the state graph (`guessability.harmful_success_path`).
* NTX314: feedback "explains" the conflict when it names each credited key action by its id
  (`GP6.S3`) or by its practice's id (`GP6`), so the debrief can point at the step the choice
  both claims and breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.analysis.guessability import (
    BlindPlay,
    blind_strategies,
    harmful_success_path,
    text_length,
)
from engine.analysis.statespace import StateSpace
from engine.core.i18n import N_, _
from engine.core.model import Scenario, Scene
from engine.play.scoring import practice_of, score_decision

Add = Callable[[str, str, tuple[str | int, ...]], None]
THRESHOLD_PERCENT = 50


def discriminating(scenario: Scenario) -> list[Scene]:
    """Scored decisions with a best choice to find (their choices do not all score the same)."""
    out = []
    for scene in scenario.decisions:
        if not scene.is_scored or len(scene.choices) < 2:
            continue
        points = {score_decision(scenario, scene.id, c.id).points for c in scene.choices}
        if len(points) > 1:
            out.append(scene)
    return out


def best_indexes(scenario: Scenario, scene: Scene) -> set[int]:
    """Positions (in the file) of the choices with the decision's highest points."""
    points = [score_decision(scenario, scene.id, c.id).points for c in scene.choices]
    top = max(points)
    return {i for i, p in enumerate(points) if p == top}


def _listed(names: list[str]) -> str:
    return ", ".join(_("'{text}'").format(text=n) for n in names)


#: NTX312's opening for each blind strategy (guessability.STRATEGIES), translated where used.
_ALWAYS = {
    "first": N_("always choosing the first choice (as listed in the file)"),
    "longest": N_("always choosing the longest choice (as listed in the file)"),
    "shortest": N_("always choosing the shortest choice (as listed in the file)"),
}


def position_findings(scenario: Scenario, add: Add) -> None:
    """NTX310 (best first) and NTX311 (best longest), static over the file."""
    scenes = discriminating(scenario)
    if not scenes:
        return
    first, longest = [], []
    for scene in scenes:
        best = best_indexes(scenario, scene)
        if 0 in best:
            first.append(scene.id)
        lengths = [text_length(c) for c in scene.choices]
        top = max(lengths)
        if all(i in best for i, n in enumerate(lengths) if n == top):
            longest.append(scene.id)
    n = len(scenes)
    if 2 * len(first) > n:
        add(
            "NTX310",
            _(
                "the best-scoring choice is listed first in {count} of {n} scored decisions "
                "({scenes}): 'always the first' wins without judgement when the order is "
                "fixed or file order; move the best choices to varied positions"
            ).format(count=len(first), n=n, scenes=_listed(first)),
            ("scenes", first[0]),
        )
    if 2 * len(longest) > n:
        add(
            "NTX311",
            _(
                "the best-scoring choice is the longest text in {count} of {n} scored "
                "decisions ({scenes}): 'always the longest' wins without judgement; "
                "write the options with similar length and equal care"
            ).format(count=len(longest), n=n, scenes=_listed(longest)),
            ("scenes", longest[0]),
        )


def blind_findings(space: StateSpace, add: Add) -> None:
    """NTX312: a blind strategy reaches 50 % alignment or a success ending."""
    blind = blind_strategies(space)
    if blind is None:
        return
    for name, play in blind.items():
        pct = play.percent
        high = pct is not None and pct >= THRESHOLD_PERCENT
        if not high and play.outcome != "success":
            continue
        add(
            "NTX312",
            _(
                "{strategy} {result} along {route}: vary which position and length is best, "
                "and make tempting choices cost something"
            ).format(
                strategy=_(_ALWAYS[name]),
                result=_(" and ").join(_blind_result(play, high)),
                route=" → ".join(f"{s}: {c}" for s, c in play.path),
            ),
            ("scenes", play.path[0][0]) if play.path else ("start",),
        )


def _blind_result(play: BlindPlay, high: bool) -> list[str]:
    """What a blind strategy achieves: its score when high, the success ending it reaches."""
    from engine.core.formats import percent

    what = []
    if high and play.percent is not None:
        what.append(
            _("scores {percent} ({points}/{possible})").format(
                percent=percent(play.percent, 2), points=play.points, possible=play.possible
            )
        )
    if play.outcome == "success":
        what.append(_("reaches the success ending '{ending}'").format(ending=play.ending))
    return what


def harm_findings(space: StateSpace, add: Add) -> None:
    """NTX313: success reachable after two or more harmful choices."""
    harmful = [c.harmful for _, _, c in space.choices]
    found = harmful_success_path(space, lambda label: harmful[label])
    if found is None or found[0] < 2:
        return
    count, labels, ending = found
    bad = [label for label in labels if harmful[label]]
    names = [f"{space.choices[x][0]}: {space.choices[x][2].id}" for x in bad]
    scene, index, _choice = space.choices[bad[1]]
    add(
        "NTX313",
        _(
            "the success ending '{ending}' is still reachable after {count} harmful choices "
            "({choices}): make the damage last (a variable the harmful choices change "
            "that closes the way to success)"
        ).format(ending=ending, count=count, choices=", ".join(names)),
        ("scenes", scene, "choices", index),
    )


def _names(feedback: str, key_action: str) -> bool:
    for ident in (key_action, practice_of(key_action)):
        if re.search(rf"(?<![\w.]){re.escape(ident)}(?!\d)", feedback):
            return True
    return False


def credit_findings(scenario: Scenario, add: Add) -> None:
    """NTX314: a harmful choice credited with a recommended key action, unexplained."""
    for scene in scenario.decisions:
        for i, c in enumerate(scene.choices):
            if not c.harmful:
                continue
            credited = [k for k in scene.recommended if k in c.enacts]
            unexplained = [k for k in credited if not _names(c.feedback or "", k)]
            if unexplained:
                add(
                    "NTX314",
                    _(
                        "harmful choice '{choice}' at '{scene}' is credited with {actions} "
                        "(recommended there) but its feedback does not name the key action or "
                        "its practice: say which condition of the step it breaks, or drop the "
                        "key action from 'enacts'"
                    ).format(choice=c.id, scene=scene.id, actions=", ".join(unexplained)),
                    ("scenes", scene.id, "choices", i),
                )


def judgement_findings(scenario: Scenario, space: StateSpace, add: Add) -> None:
    """All NTX310–NTX314 findings for one explored scenario. Guessing (NTX310–NTX312) needs
    something to guess: a scenario with no decision where the choices score differently
    measures no judgement at all, and NTX306 already says where nothing can be earned."""
    if discriminating(scenario):
        position_findings(scenario, add)
        blind_findings(space, add)
    harm_findings(space, add)
    credit_findings(scenario, add)
