"""The UNICRI toolkit catalog: the reference every scenario, score and debrief is checked against.

The catalog is data (`scenarios/toolkit.yaml`, validated in the test suite by
`schemas/toolkit.schema.json`); this module turns it into frozen dataclasses with the lookups the
rest of the product needs: the validator checks a scenario's ids against it, scoring maps a key
action to its practice and area, and the debrief and `nexus-ttx toolkit` print its texts.

Loading does its own light structural checks instead of running the JSON Schema, so that headless
commands do not pay for importing jsonschema; a malformed file still fails with a `CatalogError`
that says where, never a KeyError deep inside a command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from engine.core.resources import catalog_path

FORMAT = "nexus-ttx-toolkit/1"

Group = Literal["environmental", "organizational"]
_GROUPS: dict[str, Group] = {"environmental": "environmental", "organizational": "organizational"}
Nexus = Literal["transactional", "organizational"]

_PRACTICE_RE = re.compile(r"^GP([1-9]|1[0-9]|2[0-5])$")
_KEY_ACTION_RE = re.compile(r"^(GP(?:[1-9]|1[0-9]|2[0-5]))(\.A[0-9]+(?:\.S[0-9]+)?|\.S[0-9]+)$")
_ACTION_RE = re.compile(r"^(GP(?:[1-9]|1[0-9]|2[0-5]))\.A[0-9]+$")
_WORD_RE = re.compile(r"[\w’'-]+")


class CatalogError(Exception):
    """The toolkit catalog is missing or malformed (a packaging or editing mistake, not user input)."""


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Area:
    """One of the four areas of good practices; scoring reports alignment per area."""

    id: str
    name: str
    practices: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "practices": list(self.practices)}


@dataclass(frozen=True)
class Example:
    """An initiative the toolkit cites; `url` is None where the toolkit gives none."""

    name: str
    url: str | None = None
    other_urls: tuple[str, ...] = ()
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.url is not None:
            out["url"] = self.url
        if self.other_urls:
            out["other_urls"] = list(self.other_urls)
        if self.text is not None:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class KeyAction:
    """A leaf key action (GP21.S4, GP24.A2, GP22.A5.S1): what a scenario choice can enact.

    It carries its practice and area so that scoring can group points without another lookup.
    """

    id: str
    text: str
    practice: str
    area: str
    action: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The YAML shape (practice and area are implied there by nesting)."""
        out: dict[str, Any] = {"id": self.id}
        if self.action is not None:
            out["action"] = self.action
        out["text"] = self.text
        return out


@dataclass(frozen=True)
class ActionGroup:
    """An action of GP17/22/23/24. `steps` holds its key-action ids; empty if it is itself a leaf."""

    id: str
    title: str
    practice: str
    steps: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        """True when the action has no steps and is therefore a key action itself."""
        return not self.steps

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True)
class GoodPractice:
    """One of the 25 Hague Good Practices with its key actions, actors, standards and examples."""

    id: str
    number: int
    area: str
    title: str
    short_title: str
    summary: str
    key_actions: tuple[KeyAction, ...]
    key_actors: tuple[str, ...]
    standards: tuple[str, ...]
    examples: tuple[Example, ...]
    actions: tuple[ActionGroup, ...] = ()
    merged_with: str | None = None

    @property
    def key_action_ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.key_actions)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "number": self.number,
            "area": self.area,
            "title": self.title,
            "short_title": self.short_title,
        }
        if self.merged_with is not None:
            out["merged_with"] = self.merged_with
        out["summary"] = self.summary
        if self.actions:
            out["actions"] = [a.to_dict() for a in self.actions]
        out["key_actions"] = [k.to_dict() for k in self.key_actions]
        out["key_actors"] = list(self.key_actors)
        out["standards"] = list(self.standards)
        out["examples"] = [e.to_dict() for e in self.examples]
        return out


@dataclass(frozen=True)
class Indicator:
    """An indicator of a watch point, referred to as `factor.k` (e.g. corruption.3)."""

    id: str
    text: str
    factor: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True)
class WatchPoint:
    """A Nexus Watch Point factor (environmental or organizational) with its indicators."""

    id: str
    group: Group
    name: str
    description: str
    indicators: tuple[Indicator, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "group": self.group,
            "name": self.name,
            "description": self.description,
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass(frozen=True)
class Manifestation:
    """A manifestation of the nexus (alliances, hybrid, black hole, ...)."""

    id: str
    nexus: Nexus
    name: str
    definition: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "nexus": self.nexus,
            "name": self.name,
            "definition": self.definition,
        }


@dataclass(frozen=True)
class Environment:
    """A regional variation a scenario is set in (politically stable, transitional, post-conflict)."""

    id: str
    name: str
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description}


Item = (
    Area
    | GoodPractice
    | ActionGroup
    | KeyAction
    | WatchPoint
    | Indicator
    | Manifestation
    | Environment
)

T = TypeVar("T")


def _index(items: Iterable[T], key: Callable[[T], str]) -> dict[str, T]:
    return {key(i): i for i in items}


@dataclass(frozen=True)
class Catalog:
    """The whole toolkit, immutable, with id lookups and search.

    Lookups take canonical ids (exactly as in the catalog) and raise KeyError for unknown ones,
    because a scenario that writes `gp21` is an error the validator must report; `search` is the
    forgiving, case-insensitive entry point for people.
    """

    format: str
    areas: tuple[Area, ...]
    good_practices: tuple[GoodPractice, ...]
    watch_points: tuple[WatchPoint, ...]
    manifestations: tuple[Manifestation, ...]
    environments: tuple[Environment, ...]
    _by_id: dict[str, Item] = field(init=False, repr=False, compare=False)
    _key_actions: dict[str, KeyAction] = field(init=False, repr=False, compare=False)
    _actions: dict[str, ActionGroup] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Item] = {}
        key_actions: dict[str, KeyAction] = {}
        actions: dict[str, ActionGroup] = {}
        for gp in self.good_practices:
            by_id[gp.id] = gp
            actions.update(_index(gp.actions, lambda a: a.id))
            by_id.update(_index(gp.actions, lambda a: a.id))
            for ka in gp.key_actions:
                key_actions[ka.id] = ka
                by_id[ka.id] = ka  # a leaf action (GP24.A2) is found as its key action
        for wp in self.watch_points:
            by_id[wp.id] = wp
            by_id.update(_index(wp.indicators, lambda i: i.id))
        by_id.update(_index(self.areas, lambda a: a.id))
        by_id.update(_index(self.manifestations, lambda m: m.id))
        by_id.update(_index(self.environments, lambda e: e.id))
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_key_actions", key_actions)
        object.__setattr__(self, "_actions", actions)

    # -- lookups -------------------------------------------------------------------------

    def _get(self, kind: type[T], id: str, label: str) -> T:
        item = self._by_id.get(id)
        if not isinstance(item, kind):
            raise KeyError(f"unknown {label} {id!r}")
        return item

    def area(self, id: str) -> Area:
        return self._get(Area, id, "area")

    def practice(self, id: str) -> GoodPractice:
        return self._get(GoodPractice, id, "good practice")

    def key_action(self, id: str) -> KeyAction:
        return self._get(KeyAction, id, "key action")

    def action_group(self, id: str) -> ActionGroup:
        """An action of GP17/22/23/24, including one without steps (also a key action)."""
        try:
            return self._actions[id]
        except KeyError:
            raise KeyError(f"unknown action {id!r}") from None

    def practice_of(self, key_action_id: str) -> GoodPractice:
        return self.practice(self.key_action(key_action_id).practice)

    def area_of_key_action(self, key_action_id: str) -> Area:
        return self.area(self.key_action(key_action_id).area)

    def watch_point(self, id: str) -> WatchPoint:
        return self._get(WatchPoint, id, "watch point")

    def indicator(self, id: str) -> Indicator:
        return self._get(Indicator, id, "indicator")

    def manifestation(self, id: str) -> Manifestation:
        return self._get(Manifestation, id, "manifestation")

    def environment(self, id: str) -> Environment:
        return self._get(Environment, id, "environment")

    def key_actions_of_area(self, area_id: str) -> tuple[KeyAction, ...]:
        """All key actions of an area, for per-area scoring and coverage."""
        return tuple(k for k in self._key_actions.values() if k.area == area_id)

    # -- id sets ---------------------------------------------------------------------------

    @property
    def key_action_ids(self) -> frozenset[str]:
        return frozenset(self._key_actions)

    @property
    def practice_ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.good_practices)

    @property
    def area_ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.areas)

    @property
    def factor_ids(self) -> frozenset[str]:
        return frozenset(w.id for w in self.watch_points)

    @property
    def indicator_ids(self) -> frozenset[str]:
        return frozenset(i.id for w in self.watch_points for i in w.indicators)

    @property
    def manifestation_ids(self) -> frozenset[str]:
        return frozenset(m.id for m in self.manifestations)

    @property
    def environment_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.environments)

    @property
    def all_ids(self) -> tuple[str, ...]:
        """Every id a person can look up, in catalog order (for "did you mean" suggestions)."""
        return tuple(self._by_id)

    # -- search ----------------------------------------------------------------------------

    def find(self, id: str) -> Item | None:
        """The item with this id, ignoring case (`gp21`, `Corruption.3`), or None."""
        item = self._by_id.get(id)
        if item is not None:
            return item
        folded = id.strip().casefold()
        for key, value in self._by_id.items():
            if key.casefold() == folded:
                return value
        return None

    def search(self, query: str) -> list[Item]:
        """Items matching `query`: an exact id (case-insensitive) alone, else every item whose
        searchable text contains all the query's words (case-insensitive), in catalog order."""
        exact = self.find(query)
        if exact is not None:
            return [exact]
        words = [w.casefold() for w in _WORD_RE.findall(query)]
        if not words:
            return []
        return [item for item, hay in self._haystacks if all(w in hay for w in words)]

    @cached_property
    def _haystacks(self) -> list[tuple[Item, str]]:
        """Lower-cased search text per item, built on first search (the TUI searches often)."""
        items: list[Item] = list(dict.fromkeys(self._by_id.values()))
        return [(i, " ".join(_searchable(i)).casefold()) for i in items]

    # -- output ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The catalog in exactly the YAML file's structure (what `toolkit --json` prints)."""
        return {
            "format": self.format,
            "areas": [a.to_dict() for a in self.areas],
            "good_practices": [p.to_dict() for p in self.good_practices],
            "watch_points": [w.to_dict() for w in self.watch_points],
            "manifestations": [m.to_dict() for m in self.manifestations],
            "environments": [e.to_dict() for e in self.environments],
        }


def _searchable(item: Item) -> Iterable[str]:
    """The texts a word search looks at for one item."""
    if isinstance(item, GoodPractice):
        yield from (item.id, item.title, item.short_title, item.summary)
        yield from item.key_actors
        yield from item.standards
        for ex in item.examples:
            yield ex.name
            yield ex.text or ""
    elif isinstance(item, KeyAction):
        yield from (item.id, item.text)
    elif isinstance(item, ActionGroup):
        yield from (item.id, item.title)
    elif isinstance(item, WatchPoint):
        yield from (item.id, item.name, item.description)
    elif isinstance(item, Indicator):
        yield from (item.id, item.text)
    elif isinstance(item, Manifestation):
        yield from (item.id, item.name, item.definition)
    elif isinstance(item, (Area, Environment)):
        yield from (item.id, item.name, getattr(item, "description", ""))


# --------------------------------------------------------------------------- loading


class _Reader:
    """Checked access to the parsed YAML, so a malformed catalog names the place at fault."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> CatalogError:
        return CatalogError(f"{self.path}: {where}: {message}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "expected a mapping")
        return value

    def seq(
        self, node: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> list[Any]:
        value = node.get(key, [] if optional else None)
        if not isinstance(value, list):
            raise self.fail(where, f"'{key}' must be a list")
        return value

    def text(
        self, node: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> str | None:
        value = node.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"'{key}' must be a non-empty string")
        return value

    def req(self, node: Mapping[str, Any], key: str, where: str) -> str:
        value = self.text(node, key, where)
        assert value is not None
        return value

    def texts(
        self, node: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> tuple[str, ...]:
        values = self.seq(node, key, where, optional=optional)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.fail(where, f"'{key}' must be a list of non-empty strings")
        return tuple(values)


def _read_example(r: _Reader, node: Any, where: str) -> Example:
    m = r.mapping(node, where)
    return Example(
        name=r.req(m, "name", where),
        url=r.text(m, "url", where, optional=True),
        other_urls=r.texts(m, "other_urls", where, optional=True),
        text=r.text(m, "text", where, optional=True),
    )


def _read_key_action(r: _Reader, node: Any, where: str, gp: str, area: str) -> KeyAction:
    m = r.mapping(node, where)
    ka_id = r.req(m, "id", where)
    match = _KEY_ACTION_RE.match(ka_id)
    if not match or match.group(1) != gp:
        raise r.fail(
            where, f"key action id {ka_id!r} is not of the form {gp}.Sk, {gp}.Ak or {gp}.Ak.Sj"
        )
    action = r.text(m, "action", where, optional=True)
    if action is not None and not ka_id.startswith(action + ".S"):
        raise r.fail(where, f"key action {ka_id!r} does not belong to action {action!r}")
    return KeyAction(id=ka_id, text=r.req(m, "text", where), practice=gp, area=area, action=action)


def _read_actions(
    r: _Reader, m: Mapping[str, Any], where: str, gp: str, key_actions: tuple[KeyAction, ...]
) -> tuple[ActionGroup, ...]:
    groups = []
    leaf_ids = {k.id for k in key_actions}
    for i, node in enumerate(r.seq(m, "actions", where, optional=True)):
        w = f"{where}.actions[{i}]"
        a = r.mapping(node, w)
        a_id = r.req(a, "id", w)
        match = _ACTION_RE.match(a_id)
        if not match or match.group(1) != gp:
            raise r.fail(w, f"action id {a_id!r} is not of the form {gp}.Ak")
        steps = tuple(k.id for k in key_actions if k.action == a_id)
        if not steps and a_id not in leaf_ids:
            raise r.fail(w, f"action {a_id!r} has no steps and is not listed as a key action")
        groups.append(ActionGroup(id=a_id, title=r.req(a, "title", w), practice=gp, steps=steps))
    declared = {g.id for g in groups}
    for k in key_actions:
        if k.action is not None and k.action not in declared:
            raise r.fail(where, f"key action {k.id!r} refers to undeclared action {k.action!r}")
    return tuple(groups)


def _read_practice(r: _Reader, node: Any, where: str) -> GoodPractice:
    m = r.mapping(node, where)
    gp = r.req(m, "id", where)
    if not _PRACTICE_RE.match(gp):
        raise r.fail(where, f"practice id {gp!r} must be GP1 to GP25")
    where = f"good_practices[{gp}]"
    number = m.get("number")
    if number != int(gp[2:]):
        raise r.fail(where, f"'number' must be {gp[2:]}")
    area = r.req(m, "area", where)
    key_actions = tuple(
        _read_key_action(r, ka, f"{where}.key_actions[{i}]", gp, area)
        for i, ka in enumerate(r.seq(m, "key_actions", where))
    )
    if not key_actions:
        raise r.fail(where, "a practice needs at least one key action")
    return GoodPractice(
        id=gp,
        number=number,
        area=area,
        title=r.req(m, "title", where),
        short_title=r.req(m, "short_title", where),
        summary=r.req(m, "summary", where),
        key_actions=key_actions,
        key_actors=r.texts(m, "key_actors", where),
        standards=r.texts(m, "standards", where),
        examples=tuple(
            _read_example(r, e, f"{where}.examples[{i}]")
            for i, e in enumerate(r.seq(m, "examples", where, optional=True))
        ),
        actions=_read_actions(r, m, where, gp, key_actions),
        merged_with=r.text(m, "merged_with", where, optional=True),
    )


def _read_watch_point(r: _Reader, node: Any, where: str) -> WatchPoint:
    m = r.mapping(node, where)
    factor = r.req(m, "id", where)
    where = f"watch_points[{factor}]"
    group = _GROUPS.get(r.req(m, "group", where))
    if group is None:
        raise r.fail(where, "'group' must be environmental or organizational")
    indicators = []
    for k, ind in enumerate(r.seq(m, "indicators", where), start=1):
        w = f"{where}.indicators[{k - 1}]"
        im = r.mapping(ind, w)
        ind_id = r.req(im, "id", w)
        if ind_id != f"{factor}.{k}":
            raise r.fail(w, f"indicator id must be {factor}.{k}, found {ind_id!r}")
        indicators.append(Indicator(id=ind_id, text=r.req(im, "text", w), factor=factor))
    return WatchPoint(
        id=factor,
        group=group,
        name=r.req(m, "name", where),
        description=r.req(m, "description", where),
        indicators=tuple(indicators),
    )


def _read_manifestation(r: _Reader, node: Any, where: str) -> Manifestation:
    m = r.mapping(node, where)
    nexus = r.req(m, "nexus", where)
    if nexus not in ("transactional", "organizational"):
        raise r.fail(where, "'nexus' must be transactional or organizational")
    return Manifestation(
        id=r.req(m, "id", where),
        nexus=nexus,  # type: ignore[arg-type]
        name=r.req(m, "name", where),
        definition=r.req(m, "definition", where),
    )


def _read_environment(r: _Reader, node: Any, where: str) -> Environment:
    m = r.mapping(node, where)
    return Environment(
        id=r.req(m, "id", where),
        name=r.req(m, "name", where),
        description=r.req(m, "description", where),
    )


def _read_area(r: _Reader, node: Any, where: str) -> Area:
    m = r.mapping(node, where)
    return Area(
        id=r.req(m, "id", where),
        name=r.req(m, "name", where),
        practices=r.texts(m, "practices", where),
    )


def _check_references(r: _Reader, cat: Catalog) -> None:
    """Cross-references the schema cannot express: unique ids, areas <-> practices."""
    seen: set[str] = set()
    ids = [a.id for a in cat.areas] + [w.id for w in cat.watch_points]
    ids += [m.id for m in cat.manifestations] + [e.id for e in cat.environments]
    for gp in cat.good_practices:
        ids += [
            gp.id,
            *(k.id for k in gp.key_actions),
            *(a.id for a in gp.actions if not a.is_leaf),
        ]
    ids += [i.id for w in cat.watch_points for i in w.indicators]
    for item_id in ids:
        if item_id in seen:
            raise r.fail("catalog", f"duplicate id {item_id!r}")
        seen.add(item_id)
    for area in cat.areas:
        for gp_id in area.practices:
            if gp_id not in cat.practice_ids or cat.practice(gp_id).area != area.id:
                raise r.fail(f"areas[{area.id}]", f"{gp_id} is not a practice of this area")
    listed = {gp for a in cat.areas for gp in a.practices}
    for gp in cat.good_practices:
        if gp.id not in listed:
            raise r.fail(f"good_practices[{gp.id}]", "not listed under any area")
        if gp.merged_with is not None and gp.merged_with not in cat.practice_ids:
            raise r.fail(f"good_practices[{gp.id}]", f"merged_with {gp.merged_with!r} is unknown")


def parse_catalog(text: str, path: Path) -> Catalog:
    """Build a Catalog from YAML text; `path` is only used in error messages."""
    r = _Reader(path)
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    root = r.mapping(data, "top level")
    if root.get("format") != FORMAT:
        raise r.fail("format", f"expected {FORMAT!r}, found {root.get('format')!r}")

    def each(key: str, read: Callable[[_Reader, Any, str], T]) -> tuple[T, ...]:
        return tuple(read(r, node, f"{key}[{i}]") for i, node in enumerate(r.seq(root, key, key)))

    cat = Catalog(
        format=FORMAT,
        areas=each("areas", _read_area),
        good_practices=each("good_practices", _read_practice),
        watch_points=each("watch_points", _read_watch_point),
        manifestations=each("manifestations", _read_manifestation),
        environments=each("environments", _read_environment),
    )
    _check_references(r, cat)
    return cat


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogError(f"toolkit catalog not found at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read toolkit catalog {path}: {exc}") from exc


@cache
def _default_catalog() -> Catalog:
    path = catalog_path()
    return parse_catalog(_read_file(path), path)


def load_catalog(path: Path | None = None) -> Catalog:
    """Load the toolkit catalog; the built-in one (no `path`) is parsed once per process."""
    if path is None:
        return _default_catalog()
    path = Path(path)
    return parse_catalog(_read_file(path), path)
