"""What a score is worth without judgement: chance level and blind strategies, computed exactly.

*Chance level* is the expected alignment of a player who, at every decision, picks one of the
offered choices uniformly at random. A path's alignment is the ratio ΣP / ΣQ, which is not
additive, so the expectation cannot be taken move by move. But with ΣQ fixed the ratio is
linear in ΣP, so it is enough to carry, per state and per value q of the possible points still
to come, the probability that they total q and the expected points that come with them (exact
fractions). An ending has {0: (1, 0)}; a decision averages its offered moves' tables, each
shifted by the move's (p, q). The graph is acyclic and memoised (identical states merged), so
every node is computed once, children first, never by enumerating paths. Chance level is
Σ_q E[P·1{Q=q}]/q over q > 0, divided by Pr(Q > 0): as everywhere else, a play that faces no
scored decision has no alignment and is left out (chance level is conditional on facing one;
`scored_probability` says how likely that is). The probability of each outcome is the same
recursion on the endings' outcomes. A generated giant whose tables would exceed
`MAX_TABLE_WORK` entries gets no chance level (and says so) rather than a long wait.

*Blind strategies* apply one rule at every decision, to the offered choices as listed in the
file: "first" (the first listed), "longest" / "shortest" (the choice text participants read, by
length after collapsing whitespace; ties go to the one listed first). Each is a single path.

Both need a complete, acyclic exploration with no dead end and no runtime error (otherwise the
probabilities would not be those of play); `compute` returns None then.

Both are about the players' own moves. On-demand injects are the facilitator's, not chance's:
the random player and the blind strategies play without firing any (states only a firing
reaches are never visited, so a dead end there does not void the chance level; the exact
bounds still count every firing). Identify drills are no scored decision: the room passes them
with one move like a narrative scene, adding nothing to alignment, so they change neither the
chance level nor a blind strategy's path (their own scoring, precision and recall, is reported
apart as identification).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Literal, NamedTuple

from engine.analysis.analysis_types import BlindJSON, GuessJSON
from engine.analysis.statespace import ACK, StateSpace, explore
from engine.core.i18n import _
from engine.core.model import Choice, Scenario
from engine.play.scoring import score_decision

Strategy = Literal["first", "longest", "shortest"]
STRATEGIES: tuple[Strategy, ...] = ("first", "longest", "shortest")
OUTCOMES: tuple[str, ...] = ("success", "partial", "failure")


def text_length(choice: Choice) -> int:
    """Length of the text participants read (whitespace collapsed, as it is displayed)."""
    return len(" ".join(choice.text.split()))


class BlindPlay(NamedTuple):
    """Where one blind strategy leads: its path, sums, ending and outcome."""

    strategy: Strategy
    points: int
    possible: int
    ending: str | None
    outcome: str | None
    path: tuple[tuple[str, str], ...]  # (decision scene, choice id) in play order

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.points, self.possible) if self.possible else None

    @property
    def percent(self) -> float | None:
        r = self.ratio
        return None if r is None else float(r * 100)

    def to_json(self) -> BlindJSON:
        pct = self.percent
        return {
            "alignment": None if pct is None else round(pct, 2),
            "outcome": self.outcome,
            "ending": self.ending,
            "points": self.points,
            "possible": self.possible,
            "choices": [{"scene": s, "choice": c} for s, c in self.path],
        }


class Guessability(NamedTuple):
    """Chance level (exact), outcome probabilities under random play, and blind strategies."""

    chance: Fraction | None  # expected ΣP/ΣQ of uniform random play, given Q > 0
    scored_probability: Fraction  # Pr(random play faces a scored decision)
    outcomes: Mapping[str, Fraction]  # outcome -> probability under random play
    blind: Mapping[str, BlindPlay]
    note: str | None = None  # why `chance` is missing when it is

    @property
    def chance_percent(self) -> float | None:
        return None if self.chance is None else float(self.chance * 100)

    def to_json(self) -> GuessJSON:
        pct = self.chance_percent
        return {
            "chance_alignment": None if pct is None else round(pct, 2),
            "outcomes_at_chance": {o: float(p) for o, p in self.outcomes.items()},
            "chance_scored_probability": float(self.scored_probability),
            "chance_note": self.note,
            "blind_strategies": {k: b.to_json() for k, b in self.blind.items()},
        }


def label_weights(space: StateSpace) -> tuple[list[int], list[int]]:
    """Per choice label (points, possible) from scoring's own definition; ACK (-1) scores 0."""
    sc = space.scenario
    p: list[int] = []
    q: list[int] = []
    for scene, _position, choice in space.choices:
        d = score_decision(sc, scene, choice.id)
        p.append(d.points)
        q.append(d.possible)
    p.append(0)
    q.append(0)
    assert ACK == -1
    return p, q


def playable(space: StateSpace) -> bool:
    """Whether every state the players' own moves reach moves as in play: complete, acyclic, no
    dead end or error there (states only an inject's firing reaches are not the players')."""
    if not (space.complete and space.acyclic):
        return False
    if not any(space.fires):
        return not space.dead_ends and not space.errors
    reach = players_reach(space)
    if any(reach[s] for s in space.dead_ends):
        return False
    return not any(reach[s] and label >= ACK for s, label, _ in space.errors)


def players_reach(space: StateSpace) -> bytearray:
    """1 for each state the players' own moves reach from the start (no inject fired)."""
    reach = bytearray(len(space.states))
    if not reach:
        return reach
    reach[0] = 1
    for s in reversed(space.order):  # parents before children
        if reach[s]:
            for child, _label in space.succ[s]:
                reach[child] = 1
    return reach


#: Work bound for the exact chance level: table entries combined over the whole graph. A
#: hand-written scenario needs a few thousand; generated giants stop here and report why.
MAX_TABLE_WORK = 5_000_000
# Exact probabilities are fractions whose denominators grow with the depth of the graph; past
# this many distinct decision states a generated giant gets a note instead of a long wait.
MAX_NODES = 20_000


class TooLarge(Exception):
    """The exact chance level would need more than MAX_TABLE_WORK table entries."""


def reduce(space: StateSpace) -> tuple[list[tuple[int, ...]], int]:
    """The decision graph with identical states merged, children first.

    Nodes 0..2 are the endings' sinks by outcome (success, partial, failure). Every other node
    is a decision, its moves flat as (child, label, child, label, ...); acknowledgements stand
    for the state they lead to, and decision states whose moves are identical are merged (they
    have the same future under any weighting). Returns (nodes, root).
    """
    scenes = space.scenario.scenes
    states, succ = space.states, space.succ
    canon = [-1] * len(states)
    nodes: list[tuple[int, ...]] = [(), (), ()]
    index: dict[tuple[int, ...], int] = {}
    reach = players_reach(space) if any(space.fires) else None
    for s in space.order:
        if reach is not None and not reach[s]:
            continue  # only an inject's firing leads there: not the players' own play
        scene = scenes[states[s].scene]
        if scene.kind == "ending":
            canon[s] = OUTCOMES.index(scene.outcome or "failure")
            continue
        moves = succ[s]
        if len(moves) == 1 and moves[0][1] == ACK:
            canon[s] = canon[moves[0][0]]
            continue
        flat = tuple(x for child, label in moves for x in (canon[child], label))
        node = index.get(flat)
        if node is None:
            node = index[flat] = len(nodes)
            nodes.append(flat)
        canon[s] = node
    return nodes, canon[0]


def _outcome_odds(nodes: list[tuple[int, ...]], root: int) -> dict[str, Fraction]:
    """Probability of each outcome from the root under uniform random play."""
    one, zero = Fraction(1), Fraction(0)
    odds: list[tuple[Fraction, ...]] = [
        tuple(one if i == j else zero for j in range(3)) for i in range(3)
    ]
    for m in nodes[3:]:
        k = len(m) // 2
        odds.append(
            tuple(sum((odds[m[i]][j] for i in range(0, len(m), 2)), zero) / k for j in range(3))
        )
    return dict(zip(OUTCOMES, odds[root], strict=True))


def _chance(
    nodes: list[tuple[int, ...]], root: int, p: list[int], q: list[int]
) -> tuple[Fraction | None, Fraction]:
    """(E[ΣP/ΣQ | ΣQ > 0], Pr(ΣQ > 0)) under uniform random play, exactly.

    With ΣQ fixed the ratio is linear in ΣP, so a node needs, per remaining possible q, only
    the probability of that q and the expected points that come with it: table[q] = (Pr(Q=q),
    E[P·1{Q=q}]). A move (p, q) to a child shifts the child's table by q and adds p·Pr to the
    points; a decision averages its moves. Tables are freed once their last parent is done.
    """
    parents = [0] * len(nodes)
    for m in nodes:
        for i in range(0, len(m), 2):
            parents[m[i]] += 1
    sink = {0: (Fraction(1), Fraction(0))}
    tables: list[dict[int, tuple[Fraction, Fraction]] | None] = [sink, sink, sink]
    work = 0
    for v in range(3, len(nodes)):
        m = nodes[v]
        out: dict[int, tuple[Fraction, Fraction]] = {}
        for i in range(0, len(m), 2):
            child, label = m[i], m[i + 1]
            pl, ql = p[label], q[label]
            table = tables[child] or {}
            work += len(table)
            for qq, (mass, points) in table.items():
                a, b = out.get(qq + ql, (0, 0))
                out[qq + ql] = (a + mass, b + points + pl * mass)
            parents[child] -= 1
            if parents[child] == 0 and child >= 3:
                tables[child] = None
        if work > MAX_TABLE_WORK:
            raise TooLarge
        k = len(m) // 2
        tables.append({qq: (a / k, b / k) for qq, (a, b) in out.items()})
    final = tables[root] or {}
    scored = sum((mass for qq, (mass, _) in final.items() if qq > 0), Fraction(0))
    expected = sum((pts / qq for qq, (_, pts) in final.items() if qq > 0), Fraction(0))
    return (expected / scored if scored else None), scored


def pick(strategy: Strategy, offered: list[tuple[int, Choice]]) -> int:
    """Which of the offered (index in file, choice) pairs a blind strategy takes (a position
    in `offered`): the first listed, or the longest / shortest text, ties to the first listed."""
    if strategy == "first":
        key: Callable[[int], tuple[int, int]] = lambda i: (offered[i][0], 0)  # noqa: E731
    else:
        sign = -1 if strategy == "longest" else 1
        key = lambda i: (sign * text_length(offered[i][1]), offered[i][0])  # noqa: E731
    return min(range(len(offered)), key=key)


def blind_play(space: StateSpace, strategy: Strategy, p: list[int], q: list[int]) -> BlindPlay:
    """Follow one blind strategy from the start to an ending through the explored states."""
    scenes = space.scenario.scenes
    s, points, possible = 0, 0, 0
    path: list[tuple[str, str]] = []
    seen: set[int] = set()
    while s not in seen:
        seen.add(s)
        scene = scenes[space.states[s].scene]
        moves = space.succ[s]
        if scene.kind == "ending":
            return BlindPlay(strategy, points, possible, scene.id, scene.outcome, tuple(path))
        if not moves:
            break
        if moves[0][1] == ACK:
            s = moves[0][0]
            continue
        offered = [(space.choices[lab][1], space.choices[lab][2]) for _, lab in moves]
        child, label = moves[pick(strategy, offered)]
        points += p[label]
        possible += q[label]
        path.append((scene.id, space.choices[label][2].id))
        s = child
    return BlindPlay(strategy, points, possible, None, None, tuple(path))


def blind_strategies(space: StateSpace) -> dict[str, BlindPlay] | None:
    """The blind strategies alone (one path each, so cheap at any size): what `validate`
    needs; None unless `playable`."""
    if not playable(space) or not space.states:
        return None
    p, q = label_weights(space)
    return {k: blind_play(space, k, p, q) for k in STRATEGIES}


def compute(space: StateSpace) -> Guessability | None:
    """Chance level, outcomes at chance and the blind strategies; None unless `playable`."""
    blind = blind_strategies(space)
    if blind is None:
        return None
    p, q = label_weights(space)
    nodes, root = reduce(space)
    try:
        if len(nodes) > MAX_NODES:
            raise TooLarge
        outcomes = _outcome_odds(nodes, root)
        chance, scored = _chance(nodes, root, p, q)
        note = None
    except TooLarge:
        outcomes, chance, scored = {}, None, Fraction(0)
        from engine.core.formats import number

        note = _(
            "not computed: it needs more than {nodes} distinct decision states or {work} "
            "table entries"
        ).format(nodes=number(MAX_NODES), work=number(MAX_TABLE_WORK))
    return Guessability(chance, scored, outcomes, blind, note)


def harmful_success_path(
    space: StateSpace, harmful: Callable[[int], bool]
) -> tuple[int, list[int], str] | None:
    """The most harmful path to a `success` ending: (harmful count, its labels, the ending).

    Exact over the state graph: h[s] = the most harmful choices on any path from s to a success
    ending (-1: none), children first. None when no success ending is reachable or the graph is
    not acyclic and complete.
    """
    if not (space.complete and space.acyclic) or not space.states:
        return None
    scenes = space.scenario.scenes
    states, succ = space.states, space.succ
    best = [-1] * len(states)
    for s in space.order:
        scene = scenes[states[s].scene]
        if scene.kind == "ending":
            best[s] = 0 if scene.outcome == "success" else -1
            continue
        h = -1
        for child, label in succ[s]:
            if best[child] >= 0:
                h = max(h, best[child] + (1 if label != ACK and harmful(label) else 0))
        best[s] = h
    if best[0] < 0:
        return None
    labels: list[int] = []
    s = 0
    while scenes[states[s].scene].kind != "ending":
        for child, label in succ[s]:
            gain = 1 if label != ACK and harmful(label) else 0
            if best[child] >= 0 and best[child] + gain == best[s]:
                if label != ACK:
                    labels.append(label)
                s = child
                break
    return best[0], labels, states[s].scene


def chance_level(scenario: Scenario) -> Fraction | None:
    """The scenario's chance level (None when it cannot be computed), for debriefs and reports
    to show beside a team's alignment."""
    g = compute(explore(scenario))
    return None if g is None else g.chance


def chance_alignment(scenario: Scenario) -> float | None:
    """Chance level as a percentage (0-100), or None: what reports chart and print."""
    value = chance_level(scenario)
    return None if value is None else float(value * 100)
