"""schemas/scenario.schema.json: a public contract for authors' editors and for `validate`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import pytest
import yaml

from engine.core.resources import catalog_path, schema_path
from engine.load import schema_check
from engine.load.schema_form import for_validation
from engine.toolkit.catalog import load_catalog
from tests.scenarios.hand import convoy

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCHEMA = json.loads(schema_path("scenario.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def complete() -> dict[str, Any]:
    return yaml.load(
        (FIXTURES / "valid" / "complete.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )


def errors(doc: Any) -> list[jsonschema.ValidationError]:
    return list(VALIDATOR.iter_errors(doc))


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == "https://nexus-ttx.org/schemas/scenario.schema.json"


def _property_schemas(node: Any, where: str = "") -> list[tuple[str, Any]]:
    """Every schema that describes a property (under `properties`), recursively."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    found.append((f"{where}.{name}", sub))
            found.extend(_property_schemas(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.extend(_property_schemas(item, f"{where}[{index}]"))
    return found


def test_every_property_has_a_description() -> None:
    props = _property_schemas(SCHEMA)
    assert len(props) > 40
    missing = [
        where
        for where, sub in props
        if sub is not False and not (isinstance(sub, dict) and sub.get("description"))
    ]
    assert missing == []
    assert all(d.get("description") for d in SCHEMA["$defs"].values())


def test_top_level_properties_are_exactly_designs() -> None:
    assert set(SCHEMA["properties"]) == {
        "format",
        "id",
        "title",
        "summary",
        "language",
        "version",
        "authors",
        "region",
        "countries",
        "environment",
        "manifestations",
        "watch_points",
        "good_practices",
        "objectives",
        "audience",
        "duration_minutes",
        "variables",
        "roles",
        "timing",
        "injects",
        "start",
        "scenes",
    }
    assert SCHEMA["additionalProperties"] is False


def test_committed_schema_matches_the_catalog() -> None:
    """One source: the catalog-derived $defs are what `nexus-ttx schema --generate` writes."""
    from engine.author.schema_gen import regenerate, render

    text = schema_path("scenario.schema.json").read_text(encoding="utf-8")
    assert render(regenerate(json.loads(text), load_catalog())) == text, (
        "schemas/scenario.schema.json and scenarios/toolkit.yaml disagree: "
        "run  nexus-ttx schema --generate"
    )


def test_editor_lists_are_the_catalogs_ids_with_its_words() -> None:
    catalog = load_catalog()
    defs = SCHEMA["$defs"]
    assert set(defs["factor"]["enum"]) == catalog.factor_ids
    assert set(defs["manifestation"]["enum"]) == catalog.manifestation_ids
    assert set(defs["environment"]["enum"]) == catalog.environment_ids
    assert set(defs["practiceId"]["enum"]) == catalog.practice_ids
    key_actions = defs["keyActionId"]
    assert set(key_actions["enum"]) == catalog.key_action_ids
    docs = dict(zip(key_actions["enum"], key_actions["markdownEnumDescriptions"], strict=True))
    assert docs["GP21.S4"].startswith("**GP21.S4** — ")
    assert " ".join(catalog.key_action("GP21.S4").text.split()) in docs["GP21.S4"]
    indicators = defs["sceneWatchPoint"]["anyOf"][1]
    assert set(indicators["enum"]) == catalog.indicator_ids
    import re

    assert all(re.search(defs["practiceId"]["pattern"], p) for p in catalog.practice_ids)
    assert all(re.search(key_actions["pattern"], k) for k in catalog.key_action_ids)
    assert all(re.search(indicators["pattern"], i) for i in catalog.indicator_ids)


def test_a_drifted_catalog_is_noticed() -> None:
    """The drift test can fail: a catalog with one key action more gives another schema."""
    import dataclasses

    from engine.author.schema_gen import regenerate

    catalog = load_catalog()
    gp = catalog.good_practices[0]
    extra = dataclasses.replace(gp.key_actions[0], id="GP1.S9", text="A new step.")
    changed = dataclasses.replace(
        catalog,
        good_practices=(dataclasses.replace(gp, key_actions=gp.key_actions + (extra,)),)
        + catalog.good_practices[1:],
    )
    assert regenerate(SCHEMA, changed) != SCHEMA
    assert "GP1.S9" in regenerate(SCHEMA, changed)["$defs"]["keyActionId"]["enum"]
    assert regenerate(SCHEMA, catalog) == SCHEMA


def test_editors_reject_an_unknown_key_action_with_the_schemas_message() -> None:
    doc = complete()
    scene = next(s for s in doc["scenes"].values() if s.get("recommended"))
    scene["recommended"] = ["GP21.S9"]
    found = errors(doc)
    assert [e.validator for e in found] == ["enum"]
    assert SCHEMA["$defs"]["keyActionId"]["errorMessage"].startswith("Not a key action")


def test_validate_leaves_catalog_membership_to_its_own_checks() -> None:
    """The validator's schema drops the editor-only list, so an unknown but well-formed id is
    reported by the semantic pass with the nearest id, never as a 105-item enum."""
    doc = complete()
    scene = next(s for s in doc["scenes"].values() if s.get("recommended"))
    scene["recommended"] = ["GP21.S9"]
    assert schema_check.is_valid(doc, "scenario")
    assert schema_check.issues_for(doc, "scenario") == []
    validation = schema_check.load_schema("scenario")["$defs"]["keyActionId"]
    assert "enum" not in validation and validation["pattern"]


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.yaml")), ids=lambda p: p.name)
def test_valid_fixtures_are_accepted(path: Path) -> None:
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert errors(doc) == []
    assert schema_check.is_valid(doc, "scenario")


def test_hand_built_test_scenario_is_accepted() -> None:
    assert errors(convoy()) == []


def _mutated(change) -> dict[str, Any]:
    doc = complete()
    change(doc)
    return doc


STRUCTURAL = {
    "missing title": lambda d: d.pop("title"),
    "unknown top-level key": lambda d: d.update(colour="red"),
    "bad scenario id": lambda d: d.update(id="Sahel Gold"),
    "country lower case": lambda d: d.update(countries=["ml"]),
    "unknown environment": lambda d: d.update(environment="war-zone"),
    "no manifestations": lambda d: d.update(manifestations=[]),
    "factor as scenario watch point indicator": lambda d: d.update(watch_points=["corruption.3"]),
    "practice 26": lambda d: d.update(good_practices=["GP26"]),
    "duration as text": lambda d: d.update(duration_minutes="90"),
    "variable with hyphen": lambda d: d["variables"].update(
        {"bad-name": {"initial": 0, "min": 0, "max": 1}}
    ),
    "variable without bounds": lambda d: d["variables"].update(x={"initial": 0}),
    "variable float": lambda d: d["variables"]["trust"].update(initial=1.5),
    "scene kind misspelt": lambda d: d["scenes"]["briefing"].update(kind="story"),
    "scene id upper case": lambda d: d["scenes"].update({"Bad": d["scenes"]["riot"]}),
    "decision without choices": lambda d: d["scenes"]["first-call"].pop("choices"),
    "decision with next": lambda d: d["scenes"]["first-call"].update(next="convoy"),
    "narrative with choices": lambda d: d["scenes"]["briefing"].update(
        choices=d["scenes"]["first-call"]["choices"]
    ),
    "narrative without next": lambda d: d["scenes"]["briefing"].pop("next"),
    "recommended on a narrative": lambda d: d["scenes"]["briefing"].update(recommended=["GP21.S4"]),
    "ending without outcome": lambda d: d["scenes"]["riot"].pop("outcome"),
    "ending with next": lambda d: d["scenes"]["riot"].update(next="debrief"),
    "outcome misspelt": lambda d: d["scenes"]["riot"].update(outcome="fail"),
    "empty choices": lambda d: d["scenes"]["first-call"].update(choices=[]),
    "choice without next": lambda d: d["scenes"]["first-call"]["choices"][0].pop("next"),
    "choice bad id": lambda d: d["scenes"]["first-call"]["choices"][0].update(id="Task Force"),
    "key action lower case": lambda d: d["scenes"]["first-call"].update(recommended=["gp21.s4"]),
    "harmful as text": lambda d: d["scenes"]["first-call"]["choices"][1].update(harmful="yes"),
    "effects as list": lambda d: d["scenes"]["first-call"]["choices"][0].update(effects=["trust"]),
    "effects value text": lambda d: d["scenes"]["first-call"]["choices"][0].update(
        effects={"trust": "x"}
    ),
    "branch without goto": lambda d: d["scenes"]["convoy"].update(next=[{"if": "true"}]),
    "branch extra key": lambda d: d["scenes"]["convoy"].update(
        next=[{"goto": "riot", "when": "x"}]
    ),
    "next as number": lambda d: d["scenes"]["briefing"].update(next=5),
    "empty next list": lambda d: d["scenes"]["briefing"].update(next=[]),
    "scene watch point unknown factor": lambda d: d["scenes"]["briefing"].update(
        watch_points=["weather"]
    ),
    "empty condition": lambda d: d["scenes"]["first-call"]["choices"][2].update({"if": ""}),
    "wrong format": lambda d: d.update(format="nexus-ttx/2"),
    "no scenes": lambda d: d.update(scenes={}),
}


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_structural_errors_are_rejected_by_both_validators(name: str) -> None:
    doc = _mutated(STRUCTURAL[name])
    assert errors(doc), name
    assert not schema_check.is_valid(doc, "scenario")  # the fast path never lets one through


def test_fast_and_full_validators_agree_on_every_fixture() -> None:
    for path in sorted((FIXTURES).rglob("*.yaml")):
        try:
            doc = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        except Exception:  # the YAML-level bad fixtures
            continue
        if not isinstance(doc, dict) or doc.get("format") != "nexus-ttx/1":
            continue
        full = jsonschema.Draft202012Validator(schema_check.load_schema("scenario"))
        fast_ok = schema_check.is_valid(doc, "scenario")
        assert fast_ok == (list(full.iter_errors(doc)) == []), path.name
        if errors(doc) == []:  # what editors accept, the validator accepts
            assert fast_ok, path.name


def test_toolkit_catalog_validates_against_its_schema() -> None:
    schema = json.loads(schema_path("toolkit.schema.json").read_text(encoding="utf-8"))
    doc = yaml.load(catalog_path().read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(doc)) == []
    assert schema_check.is_valid(doc, "toolkit")


def test_loading_the_schema_for_the_fast_path_does_not_alter_it() -> None:
    before = copy.deepcopy(schema_check.load_schema("scenario"))
    schema_check.is_valid({}, "scenario")
    assert schema_check.load_schema("scenario") == before == for_validation(SCHEMA)


def test_unknown_validators_fall_back_to_ntx199() -> None:
    error = next(jsonschema.Draft202012Validator({"multipleOf": 5}).iter_errors(7))
    [issue] = schema_check._translate(error, 7)
    assert issue.code == "NTX199"
    assert "multiple of 5" in issue.message


def test_fastjsonschema_compiles_the_draft_2020_12_schema() -> None:
    # fastjsonschema knows drafts 4-7; the schema uses only keywords those drafts share with
    # 2020-12, so the generated fast path means the same thing
    fastjsonschema.compile(json.loads(schema_path("scenario.schema.json").read_text()))
