"""Condition expressions for `if`: parsed into a small AST and compiled to closures, never eval-ed.

Grammar (docs/authoring.md, "Conditions and variables"):

    expr   := or
    or     := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum    := unary (("+" | "-") unary)*
    unary  := "-" unary | atom
    atom   := INT | "true" | "false" | NAME | "visited" "(" STR ")"
            | "chose" "(" STR "," STR ")" | "(" expr ")"

Comparisons do not chain (`a < b < c` is a syntax error: it rarely means what authors think).
Values are integers and booleans; a condition holds when its value is true or a non-zero integer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Set
from functools import lru_cache
from typing import NamedTuple

from engine.core.i18n import _

RESERVED = frozenset({"true", "false", "and", "or", "not", "visited", "chose"})
MAX_LENGTH = 2000  # an `if` longer than this is almost certainly a mistake; also bounds recursion
MAX_DEPTH = 60  # parentheses, `not` and unary `-` nested; chains are flat and do not count
MAX_INT_DIGITS = 15  # as for numbers in the YAML: larger ones are mistakes (and slow to print)


class ExprError(ValueError):
    """A syntax error in a condition, with the 0-based offset of the offending character."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} (at character {offset + 1})")
        self.message = message
        self.offset = offset


# --- AST -----------------------------------------------------------------------------------
# Nodes and tokens are NamedTuples, not frozen dataclasses: they are immutable values all the
# same, and every command imports this module, where ten frozen dataclasses cost more start-up
# time than parsing all the conditions of a scenario (a NamedTuple class is ~8x cheaper to make).


class Num(NamedTuple):
    value: int


class Bool(NamedTuple):
    value: bool


class Var(NamedTuple):
    name: str
    offset: int


class Visited(NamedTuple):
    scene: str
    offset: int


class Chose(NamedTuple):
    scene: str
    choice: str
    offset: int


class Unary(NamedTuple):
    op: str  # "-" or "not"
    operand: Node


class Binary(NamedTuple):
    """A comparison (they do not chain, so a tree of these is never deeper than the source's
    parentheses)."""

    op: str
    left: Node
    right: Node


class Sum(NamedTuple):
    """`a + b - c ...` kept flat: a long chain is a loop, never a deep tree (the recursion
    limit would otherwise be hit by a 1,000-term sum well under MAX_LENGTH)."""

    first: Node
    rest: tuple[tuple[str, Node], ...]  # ("+" | "-", term)


class Chain(NamedTuple):
    """`a and b and c ...` or `a or b or c ...`, flat like Sum, short-circuiting in order."""

    op: str  # "and" | "or"
    operands: tuple[Node, ...]


Node = Num | Bool | Var | Visited | Chose | Unary | Binary | Sum | Chain


def walk(root: Node) -> Iterator[Node]:
    """Every node under `root` in source order, without recursion."""
    stack: list[Node] = [root]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.extend((n.right, n.left))
        elif isinstance(n, Sum):
            stack.extend(term for _, term in reversed(n.rest))
            stack.append(n.first)
        elif isinstance(n, Chain):
            stack.extend(reversed(n.operands))


# Values the compiled closure reads: variable values, visited scenes, (scene, choice) pairs chosen.
Evaluator = Callable[[Mapping[str, int], Set[str], Set[tuple[str, str]]], "int | bool"]


class Expr:
    """A parsed condition: its source, its AST, and the names it reads (for validation).

    Immutable, with a frozen dataclass's equality, hash and repr over every field but the
    compiled `evaluator` (two parses of one source are equal); written out because every
    command imports this module and `dataclasses` is not worth its start-up time here."""

    __slots__ = (
        "choice_refs",
        "evaluator",
        "node",
        "scene_refs",
        "source",
        "variables",
        "visited_refs",
    )
    _COMPARED = ("source", "node", "variables", "scene_refs", "choice_refs", "visited_refs")
    source: str
    node: Node
    variables: frozenset[str]
    scene_refs: frozenset[str]
    choice_refs: frozenset[tuple[str, str]]
    visited_refs: frozenset[str]
    evaluator: Evaluator

    def __init__(
        self,
        source: str,
        node: Node,
        variables: frozenset[str],
        scene_refs: frozenset[str],
        choice_refs: frozenset[tuple[str, str]],
        visited_refs: frozenset[str],
        evaluator: Evaluator,
    ) -> None:
        init = object.__setattr__
        init(self, "source", source)
        init(self, "node", node)
        init(self, "variables", variables)
        init(self, "scene_refs", scene_refs)
        init(self, "choice_refs", choice_refs)
        init(self, "visited_refs", visited_refs)
        init(self, "evaluator", evaluator)

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in Expr._COMPARED)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Expr)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in Expr._COMPARED)
        return f"Expr({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a condition is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a condition is immutable")

    def __reduce__(self) -> tuple[Callable[[str], Expr], tuple[str]]:
        return (parse, (self.source,))  # the evaluator is code: rebuild it from the source

    def evaluate(
        self,
        values: Mapping[str, int],
        visited: Set[str] = frozenset(),
        chosen: Set[tuple[str, str]] = frozenset(),
    ) -> int | bool:
        return self.evaluator(values, visited, chosen)

    def holds(
        self,
        values: Mapping[str, int],
        visited: Set[str] = frozenset(),
        chosen: Set[tuple[str, str]] = frozenset(),
    ) -> bool:
        return bool(self.evaluator(values, visited, chosen))

    def offsets_of(self, name: str) -> list[int]:
        """Offsets where a variable, scene or choice name is referenced (for precise errors)."""
        return [
            n.offset
            for n in walk(self.node)
            if (isinstance(n, Var) and n.name == name)
            or (isinstance(n, Visited) and n.scene == name)
            or (isinstance(n, Chose) and name in (n.scene, n.choice))
        ]


# --- tokenizer -----------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<int>\d+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<str>"[^"\n]*"|'[^'\n]*')
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\(|\)|,)
    """,
    re.VERBOSE,
)


class _Tok(NamedTuple):
    kind: str  # int, name, str, op, end
    text: str
    offset: int


def _tokenize(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            ch = source[pos]
            hint = ""
            if ch == "=":
                hint = _(" (use == to compare)")
            elif ch in {"&", "|"}:
                hint = _(" (use and / or)")
            elif ch == "!":
                hint = _(" (use not, or != to compare)")
            elif ch in "\"'":
                hint = _(" (unterminated string)")
            raise ExprError(_("unexpected character {char}").format(char=repr(ch)) + hint, pos)
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Tok("end", "", len(source)))
    return tokens


# --- parser --------------------------------------------------------------------------------

_COMPARE = ("==", "!=", "<", "<=", ">", ">=")


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str, what: str) -> _Tok:
        tok = self.peek()
        if tok.text != text or tok.kind not in ("op",):
            raise ExprError(
                _("expected {what}, found {token}").format(what=what, token=_describe(tok)),
                tok.offset,
            )
        return self.take()

    def parse(self) -> Node:
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            extra = ""
            if tok.text in _COMPARE:
                extra = _(" (comparisons cannot be chained; join them with and)")
            raise ExprError(
                _("unexpected {token}").format(token=_describe(tok)) + extra, tok.offset
            )
        return node

    def _enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(_("expression nested too deeply"), offset)

    def or_(self) -> Node:
        operands = [self.and_()]
        while self.peek().kind == "name" and self.peek().text == "or":
            self.take()
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else Chain("or", tuple(operands))

    def and_(self) -> Node:
        operands = [self.not_()]
        while self.peek().kind == "name" and self.peek().text == "and":
            self.take()
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else Chain("and", tuple(operands))

    def not_(self) -> Node:
        tok = self.peek()
        if tok.kind == "name" and tok.text == "not":
            self.take()
            self._enter(tok.offset)
            node = Unary("not", self.not_())
            self.depth -= 1
            return node
        return self.cmp()

    def cmp(self) -> Node:
        node = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in _COMPARE:
            self.take()
            node = Binary(tok.text, node, self.sum())
        return node

    def sum(self) -> Node:
        first = self.unary()
        rest: list[tuple[str, Node]] = []
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            op = self.take().text
            rest.append((op, self.unary()))
        return Sum(first, tuple(rest)) if rest else first

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "-":
            self.take()
            self._enter(tok.offset)
            node = Unary("-", self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "int":
            if len(tok.text) > MAX_INT_DIGITS:
                raise ExprError(
                    _("number too large (at most {digits} digits)").format(digits=MAX_INT_DIGITS),
                    tok.offset,
                )
            return Num(int(tok.text))
        if tok.kind == "op" and tok.text == "(":
            self._enter(tok.offset)
            node = self.or_()
            self.depth -= 1
            self.expect(")", "')'")
            return node
        if tok.kind == "name":
            if tok.text == "true":
                return Bool(True)
            if tok.text == "false":
                return Bool(False)
            if tok.text in ("visited", "chose"):
                return self.call(tok)
            if tok.text in RESERVED:
                raise ExprError(
                    _("'{word}' needs something before it").format(word=tok.text), tok.offset
                )
            if tok.text[0].isupper() and tok.text.lower() in ("true", "false"):
                raise ExprError(
                    _("write {word} in lower case").format(word=tok.text.lower()), tok.offset
                )
            if self.peek().kind == "op" and self.peek().text == "(":
                raise ExprError(
                    _(
                        "'{name}' is not a function: only visited() and chose() can be called"
                    ).format(name=tok.text),
                    tok.offset,
                )
            return Var(tok.text, tok.offset)
        if tok.kind == "str":
            raise ExprError(
                _("a string can only be an argument of visited() or chose()"), tok.offset
            )
        raise ExprError(
            _("expected a value, found {token}").format(token=_describe(tok)), tok.offset
        )

    def call(self, name: _Tok) -> Node:
        self.expect("(", _("'(' after {name}").format(name=name.text))
        first = self.string_arg(name.text)
        if name.text == "visited":
            self.expect(")", _("')' (visited takes one scene id)"))
            return Visited(first.text[1:-1], first.offset)
        self.expect(",", _("',' (chose takes a scene id and a choice id)"))
        second = self.string_arg(name.text)
        self.expect(")", "')'")
        return Chose(first.text[1:-1], second.text[1:-1], first.offset)

    def string_arg(self, func: str) -> _Tok:
        tok = self.take()
        if tok.kind != "str":
            raise ExprError(
                _('{func}() takes quoted ids, e.g. {func}("briefing")').format(func=func),
                tok.offset,
            )
        return tok


def _describe(tok: _Tok) -> str:
    return _("the end of the condition") if tok.kind == "end" else repr(tok.text)


def parse(source: str) -> Expr:
    """Parse a condition; raise ExprError with the offset of the first problem."""
    if not isinstance(source, str):
        raise ExprError(_("a condition must be a string"), 0)
    return _parse_text(source)


@lru_cache(maxsize=65536)
def _parse_text(source: str) -> Expr:
    """Cached: validation and model building parse the same `if` texts, and scenarios repeat
    conditions; an Expr is immutable, so sharing one is safe."""
    if len(source) > MAX_LENGTH:
        raise ExprError(
            _("condition longer than {limit} characters").format(limit=MAX_LENGTH), MAX_LENGTH
        )
    if not source.strip():
        raise ExprError(_("empty condition"), 0)
    node = _Parser(source).parse()
    variables: set[str] = set()
    scenes: set[str] = set()
    visited: set[str] = set()
    choices: set[tuple[str, str]] = set()

    for n in walk(node):
        if isinstance(n, Var):
            variables.add(n.name)
        elif isinstance(n, Visited):
            scenes.add(n.scene)
            visited.add(n.scene)
        elif isinstance(n, Chose):
            scenes.add(n.scene)
            choices.add((n.scene, n.choice))
    return Expr(
        source=source,
        node=node,
        variables=frozenset(variables),
        scene_refs=frozenset(scenes),
        choice_refs=frozenset(choices),
        visited_refs=frozenset(visited),
        evaluator=compile_node(node),
    )


# --- compiler ------------------------------------------------------------------------------

_BINARY: dict[str, Callable[[int | bool, int | bool], int | bool]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def compile_node(n: Node) -> Evaluator:
    """Turn an AST into nested closures: far faster than walking the tree at every step.

    Recursion here follows only parentheses, `not` and unary minus (at most MAX_DEPTH deep);
    a chain of `+`/`-`, `and` or `or` compiles to one closure that loops over its terms."""
    if isinstance(n, Sum):
        return _compile_sum(n)
    if isinstance(n, Chain):
        return _compile_chain(n)
    if isinstance(n, (Num, Bool)):
        value = n.value
        return lambda v, s, c: value
    if isinstance(n, Var):
        name = n.name
        return lambda v, s, c: v[name]
    if isinstance(n, Visited):
        scene = n.scene
        return lambda v, s, c: scene in s
    if isinstance(n, Chose):
        pair = (n.scene, n.choice)
        return lambda v, s, c: pair in c
    if isinstance(n, Unary):
        inner = compile_node(n.operand)
        if n.op == "not":
            return lambda v, s, c: not inner(v, s, c)
        return lambda v, s, c: -inner(v, s, c)
    if isinstance(n.left, Var) and isinstance(n.right, Num) and n.op in _VAR_NUM:
        return _VAR_NUM[n.op](n.left.name, n.right.value)
    left = compile_node(n.left)
    right = compile_node(n.right)
    op = _BINARY[n.op]
    return lambda v, s, c: op(left(v, s, c), right(v, s, c))


# `name OP number`, the commonest condition by far, as one closure (the general form calls three).
_VAR_NUM: dict[str, Callable[[str, int], Evaluator]] = {
    "==": lambda name, k: lambda v, s, c: v[name] == k,
    "!=": lambda name, k: lambda v, s, c: v[name] != k,
    "<": lambda name, k: lambda v, s, c: v[name] < k,
    "<=": lambda name, k: lambda v, s, c: v[name] <= k,
    ">": lambda name, k: lambda v, s, c: v[name] > k,
    ">=": lambda name, k: lambda v, s, c: v[name] >= k,
}


def _compile_sum(n: Sum) -> Evaluator:
    first = compile_node(n.first)
    if len(n.rest) == 1:  # the common `a + 1`: no loop
        sign, term = n.rest[0]
        second = compile_node(term)
        if sign == "+":
            return lambda v, s, c: first(v, s, c) + second(v, s, c)
        return lambda v, s, c: first(v, s, c) - second(v, s, c)
    terms = tuple((sign == "-", compile_node(term)) for sign, term in n.rest)

    def total(v: Mapping[str, int], s: Set[str], c: Set[tuple[str, str]]) -> int | bool:
        acc = first(v, s, c)
        for negative, term in terms:
            acc = acc - term(v, s, c) if negative else acc + term(v, s, c)
        return acc

    return total


def _compile_chain(n: Chain) -> Evaluator:
    operands = tuple(compile_node(o) for o in n.operands)
    if len(operands) == 2:  # the common `a and b`: no generator
        left, right = operands
        if n.op == "and":
            return lambda v, s, c: bool(left(v, s, c)) and bool(right(v, s, c))
        return lambda v, s, c: bool(left(v, s, c)) or bool(right(v, s, c))
    if n.op == "and":

        def every(v: Mapping[str, int], s: Set[str], c: Set[tuple[str, str]]) -> bool:
            for o in operands:  # noqa: SIM110 (a loop: no generator to make per evaluation)
                if not o(v, s, c):
                    return False
            return True

        return every

    def some(v: Mapping[str, int], s: Set[str], c: Set[tuple[str, str]]) -> bool:
        for o in operands:  # noqa: SIM110 (a loop: no generator to make per evaluation)
            if o(v, s, c):
                return True
        return False

    return some
