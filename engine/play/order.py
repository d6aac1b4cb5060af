"""The order in which a session shows a decision's choices: one rule for every screen.

A session shuffles each decision's choices once, from the seed recorded in its
`session_started` event. The permutation of a decision depends only on (seed, scene id), so it
is the same on resume, on every team's screen, in the projector view, the debrief and the
reports; the choices offered at a moment keep their places within it (a choice hidden by its
`if` just leaves a gap). No seed (a session started with `--order file`, or recorded before
sessions were shuffled) and `order: fixed` on the decision (an escalation ladder) keep the order
of the file. Pure: the seed is drawn at the edge (`new_seed`) and passed in.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from typing import Literal

from engine.core.model import Choice, Scene

ChoiceOrder = Literal["shuffled", "file"]
CHOICE_ORDERS: tuple[ChoiceOrder, ...] = ("shuffled", "file")
SEED_BITS = 48  # fits a JSON number exactly in every reader (below 2**53)


def new_seed() -> int:
    """A fresh seed for a shuffled session (the one impure function here, used at start)."""
    return secrets.randbits(SEED_BITS)


def permutation(seed: int | None, scene: Scene) -> tuple[int, ...]:
    """File positions of `scene`'s choices in displayed order (identity: no seed, or fixed)."""
    n = len(scene.choices)
    if seed is None or scene.order == "fixed" or n < 2:
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
