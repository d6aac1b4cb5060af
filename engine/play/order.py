"""The order in which a session shows a decision's choices: one rule for every screen.

A session shuffles each decision's choices once, from the seed recorded in its
`session_started` event. The permutation of a decision depends only on (seed, scene id), so it
is the same on resume, on every team's screen, in the projector view, the debrief and the
reports; the choices offered at a moment keep their places within it (a choice hidden by its
`if` just leaves a gap). No seed (a session started with `--order file`, or recorded before
sessions were shuffled) and `order: fixed` on the decision (an escalation ladder) keep the order
of the file. Pure: the seed is drawn where a session starts (`engine.exercise`) and passed in.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from enum import StrEnum

from engine.core.model import Choice, DecisionOrder, Scene

SEED_BITS = 48  # fits a JSON number exactly in every reader (below 2**53)


class SessionOrder(StrEnum):
    """How a session shows choices: shuffled from its seed, or as written (`--order file`)."""

    SHUFFLED = "shuffled"
    FILE = "file"


def valid_seed(seed: object) -> bool:
    """A recorded seed: a non-negative integer below 2**SEED_BITS (JSON-exact), or None."""
    return seed is None or (
        isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 1 << SEED_BITS
    )


def permutation(seed: int | None, scene: Scene) -> tuple[int, ...]:
    """File positions of `scene`'s choices in displayed order (identity: no seed, or fixed)."""
    n = len(scene.choices)
    if seed is None or scene.order is DecisionOrder.FIXED or n < 2:
        return tuple(range(n))
    positions = list(range(n))
    random.Random(f"{seed}:{scene.id}").shuffle(positions)
    return tuple(positions)


def displayed(
    seed: int | None, scene: Scene, offered: Iterable[Choice] | None = None
) -> tuple[Choice, ...]:
    """`offered` (default: all the scene's choices) in the session's displayed order."""
    wanted = None if offered is None else {c.id for c in offered}
    out = []
    for i in permutation(seed, scene):
        c = scene.choices[i]
        if wanted is None or c.id in wanted:
            out.append(c)
    return tuple(out)
