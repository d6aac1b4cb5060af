"""Exact best and worst alignment over all playable paths, without enumerating paths.

A playable path runs from the start to an ending through the explored state graph. Each choice
move carries (points, possible) from `engine.play.scoring.score_decision` (the one definition of a
decision's score); acknowledgements carry (0, 0). A path's alignment is ΣP / ΣQ, defined only
when ΣQ > 0: paths that face no scored decision have no alignment and are left out.

Ratio objectives are solved with Dinkelbach's parametric method. For λ = a/b,
F(λ) = max over paths of Σ(b·p − a·q) is a longest-path dynamic programme over the acyclic
state graph (one sweep per λ, children first). On-demand injects are moves of weight 0 that
stay at a scene; firing repeatable ones can cycle, so with injects the states are first grouped
into strongly connected components of the graph of all moves (a component that is not one
state is a cycle of firings, since the room's own moves never cycle here): its states reach each
other for free, so they share one value, the best over all their moves. Starting from the ratio of some path, while
F(λ) > 0 the maximising path has a strictly larger ratio (it needs Q > 0, since p ≤ q on every
move); when F(λ) = 0 no path beats λ, so λ is the exact optimum. The minimum is the same with
the signs turned. All arithmetic is on integers (λ is kept as a fraction), so there is no
rounding anywhere before the final percentage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from engine.analysis.statespace import ACK, StateSpace, Step


@dataclass(frozen=True)
class Extreme:
    """An optimal path: its alignment as an exact fraction, its sums, and its moves."""

    ratio: Fraction
    points: int
    possible: int
    path: tuple[tuple[str, str], ...]  # (decision scene, choice id), in play order
    labels: tuple[int, ...] = field(default=(), compare=False, repr=False)  # the moves' labels

    @property
    def percent(self) -> float:
        return float(self.ratio * 100)


class Solver:
    """Longest-path DP over one explored, acyclic, complete state space, for many weightings.

    The DP runs on a reduced graph, built once: states that cannot reach an ending are dropped;
    acknowledgements (narrative and inject scenes: one move, weight 0) stand for the state they
    lead to; every ending is one sink of value 0; and decision states whose moves (choice, and
    the reduced state each leads to) are identical are merged, bottom-up, since they have the
    same value under every weighting. States that differ only in facts no later condition
    tells apart collapse this way. Reduced nodes are numbered children first, so the DP is one
    sweep in index order.
    """

    def __init__(self, space: StateSpace) -> None:
        if not space.complete or not space.acyclic:
            raise ValueError("bounds need a complete, acyclic state space")
        self.space = space
        self.n_labels = len(space.choices)
        scenes = space.scenario.scenes
        succ = space.succ
        kind = {sid: Step.of(s.kind) for sid, s in scenes.items()}
        states = space.states
        canon = [-1] * len(states)  # reduced node of each state; -1: cannot end
        # A node's moves, flat: (child, label, child, label, ...); node 0 is the endings' sink.
        nodes: list[tuple[int, ...]] = [()]
        index: dict[tuple[int, ...], int] = {}
        fires = space.fires
        groups = _components(space) if any(fires) else ([s] for s in space.order)
        for group in groups:
            s = group[0]
            k = kind[states[s].scene]
            if k is Step.ENDS:
                canon[s] = 0
                continue
            members = set(group)
            flat: list[int] = []
            for m in group:
                for c, label in succ[m]:
                    cc = canon[c]
                    if cc >= 0:
                        flat.append(cc)
                        flat.append(label)
                if fires:
                    for c, _ in fires[m]:  # a firing: weight 0, read at the ACK slot
                        cc = canon[c]
                        if cc >= 0 and c not in members:
                            flat.append(cc)
                            flat.append(ACK)
            if not flat:
                continue
            if len(flat) == 2 and flat[1] == ACK:  # one free move stands for what follows
                for m in group:
                    canon[m] = flat[0]
                continue
            moves = tuple(flat)
            node = index.get(moves)
            if node is None:
                node = index[moves] = len(nodes)
                nodes.append(moves)
            for m in group:
                canon[m] = node
        self.canon = canon
        self.nodes = nodes
        self.root = canon[0] if canon else -1

    def longest(self, weight: Sequence[int]) -> list[int]:
        """value[v] = max over paths from reduced node v to an ending of Σ weight[label]."""
        nodes = self.nodes
        value = [0] * len(nodes)
        for v in range(1, len(nodes)):
            m = nodes[v]
            n = len(m)
            if n == 2:
                value[v] = value[m[0]] + weight[m[1]]
            elif n == 4:
                x = value[m[0]] + weight[m[1]]
                y = value[m[2]] + weight[m[3]]
                value[v] = x if x > y else y
            elif n == 6:
                value[v] = max(
                    value[m[0]] + weight[m[1]],
                    value[m[2]] + weight[m[3]],
                    value[m[4]] + weight[m[5]],
                )
            else:
                value[v] = max([value[m[i]] + weight[m[i + 1]] for i in range(0, n, 2)])
        return value

    def path(self, value: list[int], weight: Sequence[int]) -> list[int]:
        """The labels along a maximising path from the root (re-derived from the values)."""
        labels: list[int] = []
        v = self.root
        nodes = self.nodes
        while v > 0:
            target = value[v]
            m = nodes[v]
            for i in range(0, len(m), 2):
                c, label = m[i], m[i + 1]
                if value[c] + weight[label] == target:
                    labels.append(label)
                    v = c
                    break
        return labels

    def playable_labels(self) -> set[int]:
        """Choice labels on some playable path (start to an ending)."""
        return {moves[i] for moves in self.nodes for i in range(1, len(moves), 2) if moves[i] >= 0}

    def _sums(self, labels: list[int], p: Sequence[int], q: Sequence[int]) -> tuple[int, int]:
        return sum(p[x] for x in labels), sum(q[x] for x in labels)

    def _extreme(self, labels: list[int], p: Sequence[int], q: Sequence[int]) -> Extreme:
        pp, qq = self._sums(labels, p, q)
        moves = tuple(m for m in (self.space.label_of(x) for x in labels) if m is not None)
        return Extreme(Fraction(pp, qq), pp, qq, moves, tuple(labels))

    def bounds(
        self,
        p: Sequence[int],
        q: Sequence[int],
        want: str = "both",
        hints: Sequence[Sequence[int]] = (),
    ) -> tuple[Extreme | None, Extreme | None]:
        """(best, worst) alignment for per-label points `p` and possible `q`.

        `p` and `q` have one entry per choice label plus a trailing 0 for acknowledgements.
        Both are None when no playable path faces a scored decision. `hints` are playable
        paths (label lists) to start the search for the best from: the one with the highest
        ratio under these weights is used, which often saves DP passes (a 100 % path needs
        none). The result is exact whatever the hints.
        """
        if self.root <= 0:  # no playable path, or only paths without a decision
            return None, None
        if want == "best" and hints:
            scored = [
                (Fraction(*self._sums(list(h), p, q)), list(h))
                for h in hints
                if self._sums(list(h), p, q)[1] > 0
            ]
            if scored:
                start = max(scored, key=lambda t: t[0])[1]
                return self._dinkelbach(p, q, start, maximise=True), None
        max_q: list[int] | None = None

        def max_q_path() -> list[int] | None:
            nonlocal max_q
            value = self.longest(q)
            max_q = self.path(value, q) if value[self.root] > 0 else []
            return max_q or None

        best = worst = None
        value = self.longest(p)
        if value[self.root] > 0:
            start = self.path(value, p)
        else:  # no path earns a point: 0 % if any path is scored at all
            found = max_q_path()
            if found is None:
                return None, None
            start = found
            if want == "best":
                return self._extreme(start, p, q), None
        if want in ("both", "best"):
            best = self._dinkelbach(p, q, start, maximise=True)
        if want in ("both", "worst"):
            diff = [qi - pi for pi, qi in zip(p, q, strict=False)]
            value = self.longest(diff)
            if value[self.root] > 0:
                worst = self._dinkelbach(p, q, self.path(value, diff), maximise=False)
            else:  # every scored path earns all it could: 100 %
                path = max_q if max_q is not None else max_q_path()
                worst = self._extreme(path or [], p, q)
        return best, worst

    def _dinkelbach(
        self, p: Sequence[int], q: Sequence[int], labels: list[int], maximise: bool
    ) -> Extreme:
        """Improve the ratio of `labels` (a path with Q > 0) until no path beats it."""
        root = self.root
        while True:
            a, b = self._sums(labels, p, q)  # λ = a / b
            if (a == b) if maximise else (a == 0):
                return self._extreme(labels, p, q)  # 100 % (or 0 %) cannot be beaten
            if maximise:
                w = [b * pi - a * qi for pi, qi in zip(p, q, strict=False)]
            else:
                w = [a * qi - b * pi for pi, qi in zip(p, q, strict=False)]
            value = self.longest(w)
            if value[root] <= 0:
                return self._extreme(labels, p, q)
            labels = self.path(value, w)


def weights(
    space: StateSpace, points_of: Callable[[str, str], tuple[int, int]]
) -> tuple[list[int], list[int]]:
    """Per-label (points, possible) lists, plus the trailing 0 slot read by ACK (-1)."""
    p: list[int] = []
    q: list[int] = []
    for scene, _, choice in space.choices:
        pi, qi = points_of(scene, choice.id)
        p.append(pi)
        q.append(qi)
    p.append(0)
    q.append(0)
    assert ACK == -1
    return p, q


def _components(space: StateSpace) -> list[list[int]]:
    """Strongly connected components of all moves (the room's and the injects'), children
    first (Tarjan's order), iteratively."""
    succ, fires = space.succ, space.fires
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = bytearray(n)
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, iter([c for c, _ in succ[root]] + [c for c, _ in fires[root]]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        while work:
            v, it = work[-1]
            for w in it:
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work.append((w, iter([c for c, _ in succ[w]] + [c for c, _ in fires[w]])))
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] == index[v]:
                    group = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = 0
                        group.append(w)
                        if w == v:
                            break
                    out.append(group)
    return out
