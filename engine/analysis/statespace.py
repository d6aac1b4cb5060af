"""Exhaustive exploration of a scenario's reachable play states, driven by the state machine.

A play state is the machine's `State` projected onto what can still change the future. At scene
S it keeps the scene, and of the variable values and `visited(...)` / `chose(...)` facts only
those that some condition of S or of a scene reachable from S reads (`live_facts`, a fixpoint
over the static scene graph); the others are reset (variables to their initial value, facts
dropped). Two full states with the same projection offer the same choices, take the same
branches and score the same from there on, and their successors again share a projection (what
is live after a move was live before it), so the projection is exact for everything analysis
reports, and a cycle among projected states is exactly a way to play forever.

On-demand injects are transitions too: wherever an inject's condition holds and it is repeatable
or not yet fired, firing it leads from (scene, values, fired) to (scene, values', fired ∪ {id})
at the same scene. The projection keeps the once-only injects fired (they decide what can still
be fired) and drops the repeatable ones (always on offer). Inject moves are kept apart from the
room's moves (`fires`, not `succ`): they earn nothing, and a cycle made of inject moves alone
(a repeatable inject fired again and again) is not a loop of the scenario.

Every transition is computed by `engine.play.machine` (`offered_choices`, `choice_move`,
`acknowledge_move`, `apply_inject`) on the projected state, so analysis and play cannot
disagree: conditions only read facts the projection keeps. The machine also says which branch
of a `next` list each move took; the exploration records it (`StateSpace.taken`), so the
never-taken-branch check needs no second evaluation of the moves. The search is an iterative
depth-first search (no recursion limit), memoised on the projected state, and stops after
`max_states` states, reporting itself incomplete rather than running on.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from enum import IntEnum
from typing import NamedTuple

from engine.core.expr import Expr
from engine.core.model import Choice, Scenario, Scene, SceneKind
from engine.play.machine import (
    PlayState,
    acknowledge_move,
    apply_inject,
    can_fire,
    choice_move,
    initial_state,
    offered_choices,
)

DEFAULT_MAX_STATES = 200_000
# Memory, not just states: every state keeps a tuple of all variable values, so the bound on
# states shrinks as variables grow (3,000 variables: 6,666 states, about 160 MB at most).
MAX_VALUE_CELLS = 20_000_000


def state_bound(scenario: Scenario, max_states: int) -> int:
    """The states an exploration may keep: `max_states`, lowered so that states times
    variables stays within MAX_VALUE_CELLS."""
    return max(1, min(int(max_states), MAX_VALUE_CELLS // max(1, len(scenario.variables))))


MAX_CYCLES_KEPT = 100  # loops whose whole cycle is kept for the message; later ones: the move

#: A fact a condition reads: a variable or a visited scene's id, or a (scene, choice) pair.
Fact = str | tuple[str, str]

#: Edge label of a narrative/inject/identify scene's `next` (an acknowledgement, not a choice).
ACK = -1
#: Labels below ACK fire on-demand injects: INJECT_BASE - k fires `scenario.injects[k]`.
INJECT_BASE = -2


def inject_label(k: int) -> int:
    return INJECT_BASE - k


def inject_index(label: int) -> int:
    """The index in `scenario.injects` of an inject label (labels <= INJECT_BASE)."""
    return INJECT_BASE - label


class Move(NamedTuple):
    """A labelled transition: `label` is ACK or an index into `StateSpace.choices`."""

    source: int
    label: int
    target: int


class StateSpace:
    """The reachable projected states and the moves between them.

    `states[i]` is a projected state (a `Node`); `succ[i]` lists `(target id, label)` in the
    order the machine offers them; `order` lists every state after all its successors (a reverse
    topological order) and is only meaningful when `acyclic` and `complete`. (A plain class, not
    a dataclass: `validate` does not import `dataclasses` at all.)
    """

    def __init__(
        self,
        scenario: Scenario,
        states: list[Node],
        succ: list[tuple[tuple[int, int], ...]],
        order: list[int],
        choices: list[tuple[str, int, Choice]],
        complete: bool,
        max_states: int,
    ) -> None:
        self.scenario = scenario
        self.states = states
        self.succ = succ
        self.order = order
        self.choices = choices  # label -> (scene id, index in scene, choice)
        self.complete = complete
        self.max_states = max_states
        self.loops: list[Move] = []  # moves that close a cycle
        self.dead_ends: list[int] = []  # decision states offering nothing
        self.errors: list[tuple[int, int, str]] = []  # (state, label, message)
        self.offered: set[tuple[str, str]] = set()
        self.scenes_reached: set[str] = set()
        self.parent_state = array("l")  # the state each state was first seen from
        self.parent_label = array("l")  # ... and by which move
        self.cycles: list[list[tuple[int, int]]] = []  # per loop: its moves
        self.cut = -1  # the state whose expansion the bound interrupted, if any
        # per state, (target id, k): firing scenario.injects[k] there leads to the target (same
        # scene); empty when the scenario has no injects
        self.fires: list[tuple[tuple[int, int], ...]] = []
        # per `next` list of two or more branches that some explored move evaluated, the
        # indexes of the branches those moves took: key (scene id, choice index), or (scene id,
        # -1) for a scene's own list (exact for the whole space only when `complete`)
        self.taken: dict[tuple[str, int], set[int]] = {}
        # per scene, the variables no later condition reads (held at their initial value)
        self.dead_variables: dict[str, tuple[int, ...]] = {}

    @property
    def acyclic(self) -> bool:
        return not self.loops

    def __len__(self) -> int:
        return len(self.states)

    def label_of(self, label: int) -> tuple[str, str] | None:
        """(scene id, choice id) of a move's label, or None for an acknowledgement or an
        inject's firing."""
        if label < 0:
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


def conditions(scenario: Scenario) -> Iterator[Expr]:
    """Every condition of the scenario: choice `if`s, branch `if`s and injects' `if`s."""
    for inject in scenario.injects:
        if inject.condition is not None:
            yield inject.condition
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


def _reads_at(scenario: Scenario, scene: Scene) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """What conditions read at `scene`: its own, and the injects' (an inject may be fired at
    any scene but an ending)."""
    reads = scene_reads(scene)
    if scene.kind is not SceneKind.ENDING:
        for inject in scenario.injects:
            _reads(inject.condition, reads)
    return reads


def live_facts(
    scenario: Scenario,
) -> dict[str, tuple[frozenset[str], frozenset[str], frozenset[tuple[str, str]]]]:
    """Per scene, the facts some condition of that scene or of a scene after it can read.

    Only these can change what happens from that scene on, so the projection keeps only them.
    Computed as a fixpoint over the static scene graph with one bit per fact.
    """
    scenes = scenario.scenes
    bit: dict[tuple[int, Fact], int] = {}
    facts: list[tuple[int, Fact]] = []
    reads: dict[str, int] = {}
    for sid, scene in scenes.items():
        mask = 0
        groups: tuple[Iterable[Fact], ...] = _reads_at(scenario, scene)
        for kind, group in enumerate(groups):
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
            found: tuple[set[Fact], set[Fact], set[Fact]] = (set(), set(), set())
            m, b = mask, 0
            while m:
                if m & 1:
                    kind, fact = facts[b]
                    found[kind].add(fact)
                m >>= 1
                b += 1
            entry = cache[mask] = (
                frozenset(f for f in found[0] if isinstance(f, str)),
                frozenset(f for f in found[1] if isinstance(f, str)),
                frozenset(f for f in found[2] if isinstance(f, tuple)),
            )
        result[sid] = entry
    return result


class Node(NamedTuple):
    """A projected play state: the machine's `State` fields, as a plain (fast-hashing) tuple.

    The machine's functions read only these five attributes, so a Node is passed to them as
    the state; what they return is projected back to a Node.
    """

    scene: str
    values: tuple[int, ...]
    visited: frozenset[str]
    chosen: frozenset[tuple[str, str]]
    fired: frozenset[str] = frozenset()


class Step(IntEnum):
    """What the state machine does at a scene, as the exploration and the bounds branch on it."""

    ENDS = 0  # an ending: no move
    DECIDES = 1  # a decision: one move per offered choice
    MOVES_ON = 2  # a narrative or inject scene: one acknowledgement

    @classmethod
    def of(cls, kind: SceneKind) -> Step:
        if kind is SceneKind.ENDING:
            return cls.ENDS
        return cls.DECIDES if kind is SceneKind.DECISION else cls.MOVES_ON


Projector = Callable[[PlayState], "Node"]
Expander = Callable[[int], tuple[tuple[int, int], ...]]


def _projector(
    scenario: Scenario,
) -> tuple[Projector, dict[str, tuple[int, ...]]]:
    """The projection of a play state onto what can still change the future (see the module
    docstring), and per scene the variables it holds at their initial value."""
    variables = scenario.variables
    initial = tuple(v.initial for v in variables)
    # Per scene: positions of variables nothing from here on reads (held at their initial
    # value), and the visited / chosen facts that can still be read.
    project: dict[str, tuple[tuple[int, ...], frozenset[str], frozenset[tuple[str, str]]]] = {}
    for scene_id, (lv, lvis, lcho) in live_facts(scenario).items():
        dead = tuple(i for i, v in enumerate(variables) if v.id not in lv)
        project[scene_id] = (dead, lvis, lcho)
    # Interning: the few distinct value tuples and fact sets are shared by all states.
    values_pool: dict[tuple[int, ...], tuple[int, ...]] = {}
    visited_pool: dict[frozenset[str], frozenset[str]] = {}
    chosen_pool: dict[frozenset[tuple[str, str]], frozenset[tuple[str, str]]] = {}
    same_values, same_visited, same_chosen = (
        values_pool.setdefault,
        visited_pool.setdefault,
        chosen_pool.setdefault,
    )
    no_visit: frozenset[str] = frozenset()
    no_choice: frozenset[tuple[str, str]] = frozenset()
    make_node = tuple.__new__  # Node(...) without the Python-level __new__
    once = frozenset(i.id for i in scenario.injects if not i.repeatable)
    endings = frozenset(sid for sid, sc in scenario.scenes.items() if sc.kind is SceneKind.ENDING)
    fired_pool: dict[frozenset[str], frozenset[str]] = {}

    def projected(st: PlayState) -> Node:
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
            visited = same_visited(visited, visited) if visited else no_visit
        chosen = st.chosen
        if chosen:
            chosen = chosen & lcho
            chosen = same_chosen(chosen, chosen) if chosen else no_choice
        fired = st.fired
        if fired and scene in endings:  # nothing is fired after the end
            fired = no_visit
        elif fired:
            fired = fired & once
            fired = fired_pool.setdefault(fired, fired) if fired else no_visit
        return make_node(Node, (scene, same_values(values, values), visited, chosen, fired))

    return projected, {sid: p[0] for sid, p in project.items()}


def _plan(
    scenario: Scenario,
) -> tuple[list[tuple[str, int, Choice]], dict[str, tuple[Step, dict[int, int]]]]:
    """The move labels (one per choice) and, per scene, its step and its choices' labels."""
    choice_table: list[tuple[str, int, Choice]] = []
    plan: dict[str, tuple[Step, dict[int, int]]] = {}
    for scene in scenario.scenes.values():
        entries = {}
        for i, c in enumerate(scene.choices):
            entries[id(c)] = len(choice_table)
            choice_table.append((scene.id, i, c))
        plan[scene.id] = (Step.of(scene.kind), entries)
    return choice_table, plan


def explore(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> StateSpace:
    """Explore every reachable projected state (up to `max_states`) with the machine's moves."""
    max_states = state_bound(scenario, max_states)
    projected, dead_variables = _projector(scenario)
    choice_table, plan = _plan(scenario)
    root = projected(initial_state(scenario))
    space = StateSpace(scenario, [root], [()], [], choice_table, True, max_states)
    space.dead_variables = dead_variables
    space.parent_state.append(-1)
    space.parent_label.append(ACK)
    color = bytearray(1)  # 0 new, 1 on the DFS stack, 2 finished
    offered_label = bytearray(len(choice_table))
    topo = _topological(scenario)
    # The scene graph has no cycle, so neither has the state graph: expand the states scene by
    # scene in topological order (every state of a scene is known by then).
    buckets: dict[str, list[int]] | None = None if topo is None else {sid: [] for sid in topo}
    expand = _expander(space, projected, plan, offered_label, color, buckets)
    if topo is not None and buckets is not None:
        buckets[root.scene].append(0)
        processed: list[int] = []
        for scene_id in topo:
            here = buckets[scene_id]  # firing an inject adds states of this same scene
            i = 0
            while i < len(here) and space.cut < 0:
                space.succ[here[i]] = expand(here[i])
                i += 1
            del buckets[scene_id]
            processed.extend(here[:i])
            if space.cut >= 0:
                break
        space.order.extend(reversed(processed))
    else:
        _dfs(space, expand, color)
    if scenario.injects:
        _split_fires(space)
    space.complete = space.cut < 0
    space.scenes_reached = {st.scene for st in space.states}  # every registered one is reachable
    space.offered = {
        (choice_table[k][0], choice_table[k][2].id) for k, flag in enumerate(offered_label) if flag
    }
    return space


class Explorer:
    """Explores scenarios up to a state bound, keeping the last space it explored, so that
    `validate`'s analysis pass and the command that called it (analyze, test) explore once.

    Owned by whoever runs both (a command, a worker): nothing is shared between owners.
    """

    def __init__(self, max_states: int = DEFAULT_MAX_STATES) -> None:
        self.max_states = max_states
        self._last: tuple[Scenario, int, StateSpace] | None = None

    def space(self, scenario: Scenario, max_states: int | None = None) -> StateSpace:
        """The state space of `scenario` (bound: `max_states`, else the explorer's own)."""
        bound = self.max_states if max_states is None else max_states
        last = self._last
        if last is not None and last[0] is scenario and last[1] == bound:
            return last[2]
        space = explore(scenario, bound)
        self._last = (scenario, bound, space)
        return space


def _split_fires(space: StateSpace) -> None:
    """Move the inject firings out of `succ` into `fires` (labels back to inject indexes)."""
    space.fires = [()] * len(space.succ)
    for sid, moves in enumerate(space.succ):
        if any(label < ACK for _, label in moves):
            space.fires[sid] = tuple((t, inject_index(lb)) for t, lb in moves if lb < ACK)
            space.succ[sid] = tuple(m for m in moves if m[1] >= ACK)


def _inject_moves(
    scenario: Scenario, st: Node, projected: Projector, sid: int, errors: list
) -> list[tuple[Node, int]]:
    """The states firing each inject on offer leads to, with the inject labels."""
    out: list[tuple[Node, int]] = []
    for k, inject in enumerate(scenario.injects):
        try:
            if can_fire(scenario, st, inject):
                out.append((projected(apply_inject(scenario, st, inject)), inject_label(k)))
        except Exception as exc:
            errors.append((sid, inject_label(k), f"{type(exc).__name__}: {exc}"))
    return out


def _expander(
    space: StateSpace,
    projected: Projector,
    plan: dict[str, tuple[Step, dict[int, int]]],
    offered_label: bytearray,
    color: bytearray,
    buckets: dict[str, list[int]] | None,
) -> Expander:
    """The function that computes a state's successors, registering the new states (and
    setting `space.cut` when the bound stops it)."""
    scenario = space.scenario
    states, succ, errors = space.states, space.succ, space.errors
    parent_state, parent_label = space.parent_state, space.parent_label
    max_states = space.max_states
    ids: dict[Node, int] = {states[0]: 0}
    with_injects = bool(scenario.injects)
    taken = space.taken
    choice_index = [position for _, position, _ in space.choices]

    def expand(sid: int) -> tuple[tuple[int, int], ...]:
        st = states[sid]
        step, labels = plan[st.scene]
        if step is Step.ENDS:
            return ()
        moves: list[tuple[Node, int]] = []
        if step is Step.DECIDES:
            try:
                offered = offered_choices(scenario, st)
            except Exception as exc:
                errors.append((sid, ACK, f"{type(exc).__name__}: {exc}"))
                return ()
            if not offered:
                space.dead_ends.append(sid)
                if not with_injects:
                    return ()
            for c in offered:
                label = labels[id(c)]
                offered_label[label] = 1
                try:
                    after, branch = choice_move(scenario, st, c)
                    moves.append((projected(after), label))
                except Exception as exc:
                    errors.append((sid, label, f"{type(exc).__name__}: {exc}"))
                    continue
                if len(c.next) > 1:
                    _record(taken, (st.scene, choice_index[label]), branch)
        else:
            try:
                after, branch = acknowledge_move(scenario, st)
                moves.append((projected(after), ACK))
            except Exception as exc:
                errors.append((sid, ACK, f"{type(exc).__name__}: {exc}"))
            else:
                if len(scenario.scenes[st.scene].next) > 1:
                    _record(taken, (st.scene, -1), branch)
        if with_injects:
            moves.extend(_inject_moves(scenario, st, projected, sid, errors))
        out: list[tuple[int, int]] = []
        for child, label in moves:
            cid = ids.get(child)
            if cid is None:
                cid = len(states)
                if cid >= max_states:
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

    return expand


def _record(taken: dict[tuple[str, int], set[int]], key: tuple[str, int], branch: int) -> None:
    found = taken.get(key)
    if found is None:
        taken[key] = {branch}
    else:
        found.add(branch)


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


def _dfs(space: StateSpace, expand: Expander, color: bytearray) -> None:
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
                at = next(k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == cid)
                cycle = [(f[0], f[1][f[2] - 1][1]) for f in stack[at:]]
                if all(lb < ACK for _, lb in cycle):
                    continue  # inject firings alone: the facilitator's, not a loop of play
                loops.append(Move(frame[0], label, cid))
                space.cycles.append(cycle if len(space.cycles) < MAX_CYCLES_KEPT else [])
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
