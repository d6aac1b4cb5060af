"""The toolkit catalog in its file's structure (`Catalog.to_dict`, what `toolkit --json`
prints): plain dicts at run time, keys in the order of toolkit.yaml."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Group = Literal["environmental", "organizational"]
Nexus = Literal["transactional", "organizational"]


class AreaDict(TypedDict):
    id: str
    name: str
    practices: list[str]


class ExampleDict(TypedDict):
    name: str
    url: NotRequired[str]
    other_urls: NotRequired[list[str]]
    text: NotRequired[str]


class KeyActionDict(TypedDict):
    id: str
    action: NotRequired[str]
    text: str


class ActionGroupDict(TypedDict):
    id: str
    title: str


class MergedWith(TypedDict):
    """A practice's optional `merged_with` (written where the file has it)."""

    merged_with: NotRequired[str]


class Actions(TypedDict):
    """A practice's optional `actions` (GP17, 22, 23 and 24)."""

    actions: NotRequired[list[ActionGroupDict]]


class PracticeDict(MergedWith, Actions):
    id: str
    number: int
    area: str
    title: str
    short_title: str
    summary: str
    key_actions: list[KeyActionDict]
    key_actors: list[str]
    standards: list[str]
    examples: list[ExampleDict]


class IndicatorDict(TypedDict):
    id: str
    text: str


class WatchPointDict(TypedDict):
    id: str
    group: Group
    name: str
    description: str
    indicators: list[IndicatorDict]


class ManifestationDict(TypedDict):
    id: str
    nexus: Nexus
    name: str
    definition: str


class EnvironmentDict(TypedDict):
    id: str
    name: str
    description: str


class CatalogDict(TypedDict):
    format: str
    areas: list[AreaDict]
    good_practices: list[PracticeDict]
    watch_points: list[WatchPointDict]
    manifestations: list[ManifestationDict]
    environments: list[EnvironmentDict]
