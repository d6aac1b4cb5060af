"""Exhaustive exploration of a scenario's reachable play states, driven by the state machine.

A play state is the machine's `State` projected onto what can still change the future. At scene
S it keeps the scene, and of the variable values and `visited(...)` / `chose(...)` facts only
those that some condition of S or of a scene reachable from S reads (`live_facts`, a fixpoint
over the static scene graph); the others are reset (variables to their initial value, facts
dropped). Two full states with the same projection offer the same choices, take the same
branches and score the same from there on, and their successors again share a projection (what
is live after a move was live before it), so the projection is exact for everything analysis
reports, and a cycle among projected states is exactly a way to play forever.

Every transition is computed by `engine.play.machine` (`offered_choices`, `apply_choice`,
`acknowledge`) on the projected state, so analysis and play cannot disagree: conditions only
read facts the projection keeps. The search is an iterative depth-first search (no recursion
limit), memoised on the projected state, and stops after `max_states` states, reporting itself
incomplete rather than running on.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from engine.core.expr import Expr
from engine.core.model import Choice, Scenario, Scene
from engine.play.machine import State, acknowledge, apply_choice, initial_state, offered_choices

DEFAULT_MAX_STATES = 200_000
MAX_CYCLES_KEPT = 100  # loops whose whole cycle is kept for the message; later ones: the move

#: Edge label of a narrative/inject scene's `next` (an acknowledgement, not a choice).
ACK = -1


@dataclass(frozen=True)
class Move:
    """A labelled transition: `label` is ACK or an index into `StateSpace.choices`."""

    source: int
    label: int
    target: int


@dataclass
class StateSpace:
    """The reachable projected states and the moves between them.

    `states[i]` is a projected state (a `Node`); `succ[i]` lists `(target id, label)` in the
    order the machine offers them; `order` lists every state after all its successors (a reverse
    topological order) and is only meaningful when `acyclic` and `complete`.
    """

    scenario: Scenario
    states: list[Node]
    succ: list[tuple[tuple[int, int], ...]]
    order: list[int]
    choices: list[tuple[str, int, Choice]]  # label -> (scene id, index in scene, choice)
    complete: bool
    max_states: int
    loops: list[Move] = field(default_factory=list)  # moves that close a cycle
    dead_ends: list[int] = field(default_factory=list)  # decision states offering nothing
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (state, label, message)
    offered: set[tuple[str, str]] = field(default_factory=set)
    scenes_reached: set[str] = field(default_factory=set)
    parent_state: array = field(default_factory=lambda: array("l"))  # first state seen from
    parent_label: array = field(default_factory=lambda: array("l"))  # ... and by which move
    cycles: list[list[tuple[int, int]]] = field(default_factory=list)  # per loop: its moves
    cut: int = -1  # the state whose expansion the bound interrupted, if any

    @property
    def acyclic(self) -> bool:
        return not self.loops

    def __len__(self) -> int:
        return len(self.states)

    def label_of(self, label: int) -> tuple[str, str] | None:
        """(scene id, choice id) of a move's label, or None for an acknowledgement."""
        if label == ACK:
            return None
        scene, _, choice = self.choices[label]
        return scene, choice.id

    def route(self, state_id: int) -> list[tuple[str, str]]:
        """A sequence of (decision, choice) that reaches `state_id` from the start."""
        moves: list[tuple[str, str]] = []
        s = state_id
        while s > 0:
            s, label = self.parent_state[s], self.parent_label[s]
            m = self.label_of(label)
            if m is not None:
                moves.append(m)
        moves.reverse()
        return moves

    def values(self, state_id: int) -> dict[str, int]:
        """The state's variable values by name (those no later condition reads are omitted)."""
        st = self.states[state_id]
        dead = self.dead_variables.get(st.scene, ())
        return {
            v.id: x
            for i, (v, x) in enumerate(zip(self.scenario.variables, st.values, strict=False))
            if i not in dead
        }

    dead_variables: dict[str, tuple[int, ...]] = field(default_factory=dict)


def conditions(scenario: Scenario) -> Iterator[Expr]:
    """Every condition of the scenario: choice `if`s and branch `if`s."""
    for scene in scenario.scenes.values():
        for b in scene.next:
            if b.condition is not None:
                yield b.condition
        for c in scene.choices:
            if c.condition is not None:
                yield c.condition
            for b in c.next:
                if b.condition is not None:
                    yield b.condition


def _reads(expr: Expr | None, out: tuple[set[str], set[str], set[tuple[str, str]]]) -> None:
    if expr is not None:
        out[0].update(expr.variables)
        out[1].update(expr.visited_refs)
        out[2].update(expr.choice_refs)


def scene_reads(scene: Scene) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """(variables, visited scenes, chosen pairs) read by the conditions written in `scene`."""
    out: tuple[set[str], set[str], set[tuple[str, str]]] = (set(), set(), set())
    for b in scene.next:
        _reads(b.condition, out)
    for c in scene.choices:
        _reads(c.condition, out)
        for b in c.next:
            _reads(b.condition, out)
    return out


def successors(scene: Scene) -> list[str]:
    """Scene ids a scene can lead to, ignoring conditions (the static scene graph)."""
    out: list[str] = [b.goto for b in scene.next]
    for c in scene.choices:
        out.extend(b.goto for b in c.next)
    return out


def live_facts(
    scenario: Scenario,
) -> dict[str, tuple[frozenset[str], frozenset[str], frozenset[tuple[str, str]]]]:
    """Per scene, the facts some condition of that scene or of a scene after it can read.

    Only these can change what happens from that scene on, so the projection keeps only them.
    Computed as a fixpoint over the static scene graph with one bit per fact.
    """
    scenes = scenario.scenes
    bit: dict[object, int] = {}
    facts: list[tuple[int, object]] = []
    reads: dict[str, int] = {}
    for sid, scene in scenes.items():
        mask = 0
        for kind, group in enumerate(scene_reads(scene)):
            for fact in group:
                key = (kind, fact)
                b = bit.get(key)
                if b is None:
                    b = bit[key] = len(facts)
                    facts.append(key)
                mask |= 1 << b
        reads[sid] = mask
    graph = {sid: [t for t in successors(s) if t in scenes] for sid, s in scenes.items()}
    # Post-order of an iterative DFS over every scene: successors first when acyclic.
    order: list[str] = []
    seen: set[str] = set()
    for root in [scenario.start, *scenes]:
        if root in seen or root not in scenes:
            continue
        seen.add(root)
        stack = [(root, iter(graph[root]))]
        while stack:
            node, it = stack[-1]
            for t in it:
                if t not in seen:
                    seen.add(t)
                    stack.append((t, iter(graph[t])))
                    break
            else:
                order.append(node)
                stack.pop()
    live = dict(reads)
    changed = True
    while changed:  # one pass when acyclic, a few more around cycles
        changed = False
        for sid in order:
            mask = live[sid]
            for t in graph[sid]:
                mask |= live[t]
            if mask != live[sid]:
                live[sid] = mask
                changed = True
    result = {}
    cache: dict[int, tuple[frozenset[str], frozenset[str], frozenset[tuple[str, str]]]] = {}
    for sid, mask in live.items():
        entry = cache.get(mask)
        if entry is None:
            groups: tuple[set, set, set] = (set(), set(), set())
            m, b = mask, 0
            while m:
                if m & 1:
                    kind, fact = facts[b]
                    groups[kind].add(fact)
                m >>= 1
                b += 1
            entry = cache[mask] = (frozenset(groups[0]), frozenset(groups[1]), frozenset(groups[2]))
        result[sid] = entry
    return result


class Node(NamedTuple):
    """A projected play state: the machine's `State` fields, as a plain (fast-hashing) tuple.

    The machine's functions read only these four attributes, so a Node is passed to them as
    the state; what they return is projected back to a Node.
    """

    scene: str
    values: tuple[int, ...]
    visited: frozenset[str]
    chosen: frozenset[tuple[str, str]]


def explore(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> StateSpace:
    """Explore every reachable projected state (up to `max_states`) with the machine's moves."""
    max_states = max(1, int(max_states))
    variables = scenario.variables
    initial = tuple(v.initial for v in variables)
    live = live_facts(scenario)
    # Per scene: positions of variables nothing from here on reads (held at their initial
    # value), and the visited / chosen facts that can still be read.
    project: dict[str, tuple[tuple[int, ...], frozenset[str], frozenset[tuple[str, str]]]] = {}
    for sid, (lv, lvis, lcho) in live.items():
        dead = tuple(i for i, v in enumerate(variables) if v.id not in lv)
        project[sid] = (dead, lvis, lcho)
    # Interning: the few distinct value tuples and fact sets are shared by all states.
    pool: dict = {}
    setd = pool.setdefault
    empty: frozenset = frozenset()
    make_node = tuple.__new__  # Node(...) without the Python-level __new__

    def projected(st: State | Node) -> Node:
        scene = st.scene
        dead, lvis, lcho = project[scene]
        values = st.values
        for p in dead:
            if values[p] != initial[p]:
                lst = list(values)
                for q in dead:
                    lst[q] = initial[q]
                values = tuple(lst)
                break
        visited = st.visited
        if visited:
            visited = visited & lvis
            visited = setd(visited, visited) if visited else empty
        chosen = st.chosen
        if chosen:
            chosen = chosen & lcho
            chosen = setd(chosen, chosen) if chosen else empty
        return make_node(Node, (scene, setd(values, values), visited, chosen))

    choice_table: list[tuple[str, int, Choice]] = []
    plan: dict[str, tuple[int, dict[int, int]]] = {}
    for scene in scenario.scenes.values():
        entries = {}
        for i, c in enumerate(scene.choices):
            entries[id(c)] = len(choice_table)
            choice_table.append((scene.id, i, c))
        kind = {"ending": 0, "decision": 1}.get(scene.kind, 2)
        plan[scene.id] = (kind, entries)
    offered_label = bytearray(len(choice_table))

    root = projected(initial_state(scenario))
    ids: dict[Node, int] = {root: 0}
    states: list[Node] = [root]
    succ: list[tuple[tuple[int, int], ...]] = [()]
    color = bytearray(1)  # 0 new, 1 on the DFS stack, 2 finished
    order: list[int] = []
    space = StateSpace(scenario, states, succ, order, choice_table, True, max_states)
    space.dead_variables = {sid: p[0] for sid, p in project.items()}
    parent_state = space.parent_state
    parent_label = space.parent_label
    parent_state.append(-1)
    parent_label.append(ACK)
    errors = space.errors
    complete = True

    def expand(sid: int) -> tuple[tuple[int, int], ...]:
        """Compute the successors of state `sid`, registering new states."""
        nonlocal complete
        st = states[sid]
        kind, labels = plan[st.scene]
        if kind == 0:
            return ()
        moves: list[tuple[Node, int]] = []
        if kind == 1:
            try:
                offered = offered_choices(scenario, st)  # type: ignore[arg-type]
            except Exception as exc:
                errors.append((sid, ACK, f"{type(exc).__name__}: {exc}"))
                return ()
            if not offered:
                space.dead_ends.append(sid)
                return ()
            for c in offered:
                label = labels[id(c)]
                offered_label[label] = 1
                try:
                    nxt = apply_choice(scenario, st, c)  # type: ignore[arg-type]
                    moves.append((projected(nxt), label))
                except Exception as exc:
                    errors.append((sid, label, f"{type(exc).__name__}: {exc}"))
        else:
            try:
                moves.append((projected(acknowledge(scenario, st)), ACK))  # type: ignore[arg-type]
            except Exception as exc:
                errors.append((sid, ACK, f"{type(exc).__name__}: {exc}"))
        out: list[tuple[int, int]] = []
        for child, label in moves:
            cid = ids.get(child)
            if cid is None:
                cid = len(states)
                if cid >= max_states:
                    complete = False
                    space.cut = sid
                    break
                ids[child] = cid
                states.append(child)
                parent_state.append(sid)
                parent_label.append(label)
                succ.append(())
                color.append(0)
                if buckets is not None:
                    buckets[child.scene].append(cid)
            out.append((cid, label))
        return tuple(out)

    topo = _topological(scenario)
    buckets: dict[str, list[int]] | None = None
    if topo is not None:
        # The scene graph has no cycle, so neither has the state graph: expand the states
        # scene by scene in topological order (every state of a scene is known by then).
        buckets = {sid: [] for sid in topo}
        buckets[root.scene].append(0)
        processed: list[int] = []
        for scene_id in topo:
            here = buckets.pop(scene_id)
            for sid in here:
                succ[sid] = expand(sid)
                if not complete:
                    break
            processed.extend(here)
            if not complete:
                break
        order.extend(reversed(processed))
    else:
        _dfs(space, expand, color)
        complete = space.complete and complete
    space.complete = complete
    space.scenes_reached = {st.scene for st in states}  # every registered state is reachable
    space.offered = {
        (choice_table[k][0], choice_table[k][2].id) for k, flag in enumerate(offered_label) if flag
    }
    return space


def _topological(scenario: Scenario) -> list[str] | None:
    """Scenes reachable from the start in topological order, or None if the graph has a cycle."""
    scenes = scenario.scenes
    graph = {
        sid: [t for t in dict.fromkeys(successors(s)) if t in scenes] for sid, s in scenes.items()
    }
    reach = {scenario.start}
    todo = [scenario.start]
    while todo:
        for t in graph[todo.pop()]:
            if t not in reach:
                reach.add(t)
                todo.append(t)
    indegree = dict.fromkeys(reach, 0)
    for sid in reach:
        for t in graph[sid]:
            indegree[t] += 1
    ready = [sid for sid in reach if indegree[sid] == 0]
    out: list[str] = []
    while ready:
        sid = ready.pop()
        out.append(sid)
        for t in graph[sid]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return out if len(out) == len(reach) else None


def _dfs(space: StateSpace, expand, color: bytearray) -> None:
    """Iterative DFS over the states (scene graphs with cycles): finds the moves that close
    a cycle, and orders the states children first. Frames are [state, successors, next]."""
    succ, order, loops = space.succ, space.order, space.loops
    color[0] = 1
    stack: list[list] = [[0, expand(0), 0]]
    while stack and space.cut < 0:
        frame = stack[-1]
        children = frame[1]
        i = frame[2]
        if i < len(children):
            frame[2] = i + 1
            cid, label = children[i]
            c = color[cid]
            if c == 0:
                color[cid] = 1
                stack.append([cid, expand(cid), 0])
            elif c == 1:
                loops.append(Move(frame[0], label, cid))
                if len(space.cycles) < MAX_CYCLES_KEPT:
                    at = next(k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == cid)
                    space.cycles.append([(f[0], f[1][f[2] - 1][1]) for f in stack[at:]])
                else:
                    space.cycles.append([])
            continue
        sid = frame[0]
        succ[sid] = children
        color[sid] = 2
        order.append(sid)
        stack.pop()
    # When the bound stopped the search, keep what was learnt: partial successor lists.
    for sid, children, _ in stack:
        succ[sid] = children
    space.complete = space.cut < 0
