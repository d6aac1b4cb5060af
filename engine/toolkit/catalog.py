"""The UNICRI toolkit catalog: the reference every scenario, score and debrief is checked against.

The catalog is data (`scenarios/toolkit.yaml`, validated in the test suite by
`schemas/toolkit.schema.json`); this module turns it into frozen dataclasses with the lookups the
rest of the product needs: the validator checks a scenario's ids against it, scoring maps a key
action to its practice and area, and the debrief and `nexus-ttx toolkit` print its texts.

Loading goes through the scenario loader (`engine.load.yamlload`: positions, duplicate keys
refused) and the same checks `validate` makes on a catalog file (its JSON Schema, then
`engine.toolkit.rules.check_toolkit`); only a document that passes them is built, so a malformed
file fails with a `CatalogError` that says where, never a KeyError deep inside a command.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

from engine.core.resources import catalog_path
from engine.toolkit.catalog_types import (
    ActionGroupDict,
    Actions,
    AreaDict,
    CatalogDict,
    EnvironmentDict,
    ExampleDict,
    Group,
    IndicatorDict,
    KeyActionDict,
    ManifestationDict,
    MergedWith,
    Nexus,
    PracticeDict,
    WatchPointDict,
)

FORMAT = "nexus-ttx-toolkit/1"


_GROUPS: dict[str, Group] = {"environmental": "environmental", "organizational": "organizational"}

_NEXUS: dict[str, Nexus] = {"transactional": "transactional", "organizational": "organizational"}

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

    def to_dict(self) -> AreaDict:
        return {"id": self.id, "name": self.name, "practices": list(self.practices)}


@dataclass(frozen=True)
class Example:
    """An initiative the toolkit cites; `url` is None where the toolkit gives none."""

    name: str
    url: str | None = None
    other_urls: tuple[str, ...] = ()
    text: str | None = None

    def to_dict(self) -> ExampleDict:
        out: ExampleDict = {"name": self.name}
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

    def to_dict(self) -> KeyActionDict:
        """The YAML shape (practice and area are implied there by nesting)."""
        if self.action is None:
            return {"id": self.id, "text": self.text}
        return {"id": self.id, "action": self.action, "text": self.text}


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

    def to_dict(self) -> ActionGroupDict:
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

    def to_dict(self) -> PracticeDict:
        merged: MergedWith = {} if self.merged_with is None else {"merged_with": self.merged_with}
        actions: Actions = {"actions": [a.to_dict() for a in self.actions]} if self.actions else {}
        return {
            "id": self.id,
            "number": self.number,
            "area": self.area,
            "title": self.title,
            "short_title": self.short_title,
            **merged,
            "summary": self.summary,
            **actions,
            "key_actions": [k.to_dict() for k in self.key_actions],
            "key_actors": list(self.key_actors),
            "standards": list(self.standards),
            "examples": [e.to_dict() for e in self.examples],
        }


@dataclass(frozen=True)
class Indicator:
    """An indicator of a watch point, referred to as `factor.k` (e.g. corruption.3)."""

    id: str
    text: str
    factor: str

    def to_dict(self) -> IndicatorDict:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True)
class WatchPoint:
    """A Nexus Watch Point factor (environmental or organizational) with its indicators."""

    id: str
    group: Group
    name: str
    description: str
    indicators: tuple[Indicator, ...]

    def to_dict(self) -> WatchPointDict:
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

    def to_dict(self) -> ManifestationDict:
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

    def to_dict(self) -> EnvironmentDict:
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
        searchable text contains all the query's words (ignoring case and accents), the most
        relevant first (`search_rank`), then in catalog order. `toolkit QUERY` and the TUI's
        toolkit browser both list this order."""
        exact = self.find(query)
        if exact is not None:
            return [exact]
        words = [_fold(w) for w in _WORD_RE.findall(query)]
        if not words:
            return []
        found = [
            (_rank(fields, words), n, item)
            for n, (item, fields) in enumerate(self._haystacks)
            if all(any(w in f for f in fields) for w in words)
        ]
        return [item for _r, _n, item in sorted(found, key=lambda f: f[:2])]

    @cached_property
    def _haystacks(self) -> list[tuple[Item, tuple[str, ...]]]:
        """Folded (name, text, body) per item in catalog order, built on first search (the
        TUI searches as the user types)."""
        items: list[Item] = list(dict.fromkeys(self._by_id.values()))
        return [(i, tuple(_fold(t) for t in search_texts(i))) for i in items]

    # -- output ----------------------------------------------------------------------------

    def to_dict(self) -> CatalogDict:
        """The catalog in exactly the YAML file's structure (what `toolkit --json` prints)."""
        return {
            "format": self.format,
            "areas": [a.to_dict() for a in self.areas],
            "good_practices": [p.to_dict() for p in self.good_practices],
            "watch_points": [w.to_dict() for w in self.watch_points],
            "manifestations": [m.to_dict() for m in self.manifestations],
            "environments": [e.to_dict() for e in self.environments],
        }


def _fold(text: str) -> str:
    """Case and accents folded, so `prevention` finds « prévention » and `ETAT` finds « État »:
    people type French (and other) words without their accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_texts(item: Item) -> tuple[str, str, str]:
    """(name, text, body), from most to least telling: what the item is called in lists (a
    practice's id and short title; an action group's title; a watch point's, manifestation's,
    area's or environment's name), its own sentence (a practice's full title; a key action's
    or indicator's text), and every other text it is searched by."""
    texts = [t for t in _searchable(item) if t]
    if isinstance(item, GoodPractice):
        name, text = [item.id, item.short_title], [item.title]
    elif isinstance(item, ActionGroup):
        name, text = [item.id, item.title], []
    elif isinstance(item, (WatchPoint, Manifestation, Area, Environment)):
        name, text = [item.id, item.name], []
    else:  # a key action or an indicator
        name, text = [item.id], [item.text]
    rest = list(texts)
    for used in (*name, *text):
        if used in rest:
            rest.remove(used)
    return " ".join(name), " ".join(text), " ".join(rest)


def _tier(word: str, fields: Sequence[str]) -> int:
    """2 per text passed over, +1 when the word is found only inside another word."""
    for n, text in enumerate(fields):
        at = text.find(word)
        if at < 0:
            continue
        while at >= 0:
            if at == 0 or not text[at - 1].isalnum():
                return 2 * n
            at = text.find(word, at + 1)
        return 2 * n + 1
    return 2 * len(fields)


def _rank(fields: Sequence[str], words: Sequence[str]) -> int:
    return sum(_tier(w, fields) for w in words)


def search_rank(name: str, text: str, body: str, words: Sequence[str]) -> int:
    """Lower is more relevant: per word, a hit in the item's name before its own sentence
    before the rest, and at a word's start before inside a word (`prison` ranks "Prisons and
    probation services" first, and "imprisoned" after "prison staff")."""
    return _rank([_fold(name), _fold(text), _fold(body)], [_fold(w) for w in words])


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


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


def _example(m: Mapping[str, Any]) -> Example:
    return Example(
        name=m["name"],
        url=m.get("url"),
        other_urls=_texts(m.get("other_urls")),
        text=m.get("text"),
    )


def _practice(m: Mapping[str, Any]) -> GoodPractice:
    gp, area = m["id"], m["area"]
    key_actions = tuple(
        KeyAction(id=k["id"], text=k["text"], practice=gp, area=area, action=k.get("action"))
        for k in m["key_actions"]
    )
    actions = tuple(
        ActionGroup(
            id=a["id"],
            title=a["title"],
            practice=gp,
            steps=tuple(k.id for k in key_actions if k.action == a["id"]),
        )
        for a in m.get("actions") or ()
    )
    return GoodPractice(
        id=gp,
        number=m["number"],
        area=area,
        title=m["title"],
        short_title=m["short_title"],
        summary=m["summary"],
        key_actions=key_actions,
        key_actors=_texts(m.get("key_actors")),
        standards=_texts(m.get("standards")),
        examples=tuple(_example(e) for e in m.get("examples") or ()),
        actions=actions,
        merged_with=m.get("merged_with"),
    )


def _watch_point(m: Mapping[str, Any]) -> WatchPoint:
    factor = m["id"]
    return WatchPoint(
        id=factor,
        group=_GROUPS[m["group"]],
        name=m["name"],
        description=m["description"],
        indicators=tuple(
            Indicator(id=i["id"], text=i["text"], factor=factor) for i in m["indicators"]
        ),
    )


def build_catalog(data: Mapping[str, Any]) -> Catalog:
    """Typed objects from a catalog document that passed the schema and `check_toolkit`."""
    return Catalog(
        format=FORMAT,
        areas=tuple(
            Area(id=a["id"], name=a["name"], practices=_texts(a["practices"]))
            for a in data["areas"]
        ),
        good_practices=tuple(_practice(p) for p in data["good_practices"]),
        watch_points=tuple(_watch_point(w) for w in data["watch_points"]),
        manifestations=tuple(
            Manifestation(
                id=m["id"], nexus=_NEXUS[m["nexus"]], name=m["name"], definition=m["definition"]
            )
            for m in data["manifestations"]
        ),
        environments=tuple(
            Environment(id=e["id"], name=e["name"], description=e["description"])
            for e in data["environments"]
        ),
    )


MAX_SHOWN = 5  # problems quoted in a CatalogError


def parse_catalog(text: str, path: Path) -> Catalog:
    """Load catalog text with the scenario loader (duplicate keys refused), check it with the
    toolkit schema and `check_toolkit` (the checks `validate` makes), then build it."""
    from engine.load.schema_check import check
    from engine.load.yamlload import load_text
    from engine.toolkit.rules import check_toolkit

    file = str(path)
    loaded = load_text(text, file)
    problems = list(loaded.diagnostics)
    data = loaded.data
    if loaded.ok and loaded.source is not None:
        if data.get("format") != FORMAT:
            raise CatalogError(f"{file}: format: expected {FORMAT!r}, found {data.get('format')!r}")
        problems = check(data, "toolkit", loaded.source, file)
        if not problems:
            problems = check_toolkit(data, loaded.source, file)
    errors = [d for d in problems if d.is_error]
    if errors:
        shown = "; ".join(d.format_text() for d in errors[:MAX_SHOWN])
        more = f" (and {len(errors) - MAX_SHOWN} more)" if len(errors) > MAX_SHOWN else ""
        raise CatalogError(f"the toolkit catalog is not valid: {shown}{more}")
    return build_catalog(data)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogError(f"toolkit catalog not found at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read toolkit catalog {path}: {exc}") from exc


BASE_LANGUAGE = "en"  # the language scenarios/toolkit.yaml is written in


@cache
def _default_catalog() -> Catalog:
    path = catalog_path()
    return parse_catalog(_read_file(path), path)


@cache
def _default_catalog_in(lang: str) -> Catalog:
    return localize_catalog(_default_catalog(), catalog_path(), lang)


def localize_catalog(catalog: Catalog, path: Path, lang: str) -> Catalog:
    """`catalog` with the texts of its translation `NAME.LANG.po` beside `path`, string by string.

    A text is replaced only where the translation has a non-fuzzy msgstr whose msgid still equals
    the base text; every other text stays in the base language, and without a translation file
    (or in the base language) the catalog is returned as it is. Problems in the file are
    `validate`'s to report: here they only mean fewer texts are translated.
    """
    if lang == BASE_LANGUAGE:
        return catalog
    from engine.load.translation import read_translation, translation_path
    from engine.toolkit.texts import localize

    po = translation_path(path, lang)
    if not po.is_file():
        return catalog
    translation = read_translation(po)
    return localize(catalog, lambda id, base: translation.text_for(id, base) or base)


def load_catalog(path: Path | None = None, lang: str | None = None) -> Catalog:
    """Load the toolkit catalog with its texts in `lang` (per-string fallback to English).

    Without `lang`, the texts are in the active interface language (`engine.core.i18n`), so
    everything people read from the catalog (the toolkit command, the TUI, debriefs, reports)
    follows the language without each caller asking; code that needs only ids, or English
    on purpose (the editor schema), passes `BASE_LANGUAGE`. The built-in catalog (no `path`)
    is parsed once per process and language. Ids, numbers and standards are the same in every
    language; only what people read is translated.
    """
    if lang is None:
        from engine.core.i18n import current_language

        lang = current_language()
    if path is None:
        return _default_catalog() if lang == BASE_LANGUAGE else _default_catalog_in(lang)
    path = Path(path)
    return localize_catalog(parse_catalog(_read_file(path), path), path, lang)
