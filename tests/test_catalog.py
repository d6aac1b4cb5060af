"""The toolkit catalog against the UNICRI toolkit: counts, numbering, schema, lookups and search.

The expected numbers below were counted by hand in the source (seeds/002_..., the 2019 Policy
Toolkit); if one of these tests fails after an edit of `scenarios/toolkit.yaml`, the catalog no
longer matches the toolkit.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from engine.toolkit.catalog import (
    ActionGroup,
    CatalogError,
    GoodPractice,
    Indicator,
    KeyAction,
    WatchPoint,
    load_catalog,
)

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "scenarios" / "toolkit.yaml"
SCHEMA = ROOT / "schemas" / "toolkit.schema.json"

KEY_ACTION_RE = re.compile(r"^GP([1-9]|1[0-9]|2[0-5])(\.A[0-9]+(\.S[0-9]+)?|\.S[0-9]+)$")
INDICATOR_RE = re.compile(r"^[a-z]+(-[a-z]+)*\.[0-9]+$")

# Leaf key actions per practice, counted in the toolkit (GP14 has steps 1, 3, 4; GP9 mirrors GP8;
# GP17: 4 + 5 steps; GP22: A1 (2 steps), A2-A4, A5 (2 steps), A6, A7; GP23: A1 (2), A2, A3 (2);
# GP24: two actions whose sub-points are not steps).
EXPECTED_KEY_ACTIONS = {
    "GP1": 2,
    "GP2": 4,
    "GP3": 4,
    "GP4": 2,
    "GP5": 3,
    "GP6": 3,
    "GP7": 5,
    "GP8": 5,
    "GP9": 5,
    "GP10": 6,
    "GP11": 3,
    "GP12": 3,
    "GP13": 5,
    "GP14": 3,
    "GP15": 3,
    "GP16": 4,
    "GP17": 9,
    "GP18": 3,
    "GP19": 2,
    "GP20": 3,
    "GP21": 7,
    "GP22": 9,
    "GP23": 5,
    "GP24": 2,
    "GP25": 5,
}

GROUPED_IDS = {
    "GP17": [
        "GP17.A1.S1",
        "GP17.A1.S2",
        "GP17.A1.S3",
        "GP17.A1.S4",
        "GP17.A2.S1",
        "GP17.A2.S2",
        "GP17.A2.S3",
        "GP17.A2.S4",
        "GP17.A2.S5",
    ],
    "GP22": [
        "GP22.A1.S1",
        "GP22.A1.S2",
        "GP22.A2",
        "GP22.A3",
        "GP22.A4",
        "GP22.A5.S1",
        "GP22.A5.S2",
        "GP22.A6",
        "GP22.A7",
    ],
    "GP23": ["GP23.A1.S1", "GP23.A1.S2", "GP23.A2", "GP23.A3.S1", "GP23.A3.S2"],
    "GP24": ["GP24.A1", "GP24.A2"],
}

# Indicators per factor, in the toolkit's order (35 in all).
EXPECTED_INDICATORS = {
    "geography-of-operations": 1,
    "economic": 4,
    "social-status": 2,
    "security-dynamics": 2,
    "political-landscape": 2,
    "governance": 3,
    "corruption": 5,
    "leadership": 5,
    "recruitment": 6,
    "capabilities": 4,
    "external-support": 1,
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(CATALOG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- counts


def test_four_areas_with_their_practices(catalog):
    assert [a.id for a in catalog.areas] == [
        "legal",
        "research-information-sharing",
        "local-engagement",
        "capacity-building-law-enforcement",
    ]
    assert [len(a.practices) for a in catalog.areas] == [2, 10, 7, 6]
    assert catalog.area("legal").practices == ("GP1", "GP2")
    assert catalog.area("capacity-building-law-enforcement").practices[0] == "GP20"
    flat = [gp for a in catalog.areas for gp in a.practices]
    assert flat == [f"GP{n}" for n in range(1, 26)]


def test_twenty_five_practices_in_order_with_their_area(catalog):
    assert [p.id for p in catalog.good_practices] == [f"GP{n}" for n in range(1, 26)]
    assert [p.number for p in catalog.good_practices] == list(range(1, 26))
    per_area = Counter(p.area for p in catalog.good_practices)
    assert per_area == {
        "legal": 2,
        "research-information-sharing": 10,
        "local-engagement": 7,
        "capacity-building-law-enforcement": 6,
    }
    for area in catalog.areas:
        assert all(catalog.practice(gp).area == area.id for gp in area.practices)


def test_key_action_counts_per_practice(catalog):
    counts = {p.id: len(p.key_actions) for p in catalog.good_practices}
    assert counts == EXPECTED_KEY_ACTIONS
    assert len(catalog.key_action_ids) == sum(EXPECTED_KEY_ACTIONS.values()) == 105


def test_watch_points_and_indicators(catalog):
    assert {w.id: len(w.indicators) for w in catalog.watch_points} == EXPECTED_INDICATORS
    assert [w.id for w in catalog.watch_points] == list(EXPECTED_INDICATORS)
    groups = Counter(w.group for w in catalog.watch_points)
    assert groups == {"environmental": 7, "organizational": 4}
    assert len(catalog.indicator_ids) == 35
    assert len(catalog.factor_ids) == 11


def test_indicator_ids_are_factor_dot_position(catalog):
    for wp in catalog.watch_points:
        assert [i.id for i in wp.indicators] == [
            f"{wp.id}.{k}" for k in range(1, len(wp.indicators) + 1)
        ]
        assert all(INDICATOR_RE.match(i.id) and i.factor == wp.id for i in wp.indicators)


def test_manifestations(catalog):
    assert [(m.id, m.nexus) for m in catalog.manifestations] == [
        ("alliances", "transactional"),
        ("appropriation-of-tactics", "transactional"),
        ("integration", "organizational"),
        ("hybrid", "organizational"),
        ("transformation", "organizational"),
        ("black-hole", "organizational"),
    ]
    assert all(len(m.definition) > 100 for m in catalog.manifestations)


def test_environments(catalog):
    assert [e.id for e in catalog.environments] == [
        "politically-stable",
        "transitional",
        "post-conflict",
    ]
    assert catalog.environment("post-conflict").name == "(Post) conflict states"
    assert all(len(e.description) > 100 for e in catalog.environments)


# --------------------------------------------------------------------------- numbering


def test_gp14_keeps_the_toolkits_gap(catalog):
    assert catalog.practice("GP14").key_action_ids == ("GP14.S1", "GP14.S3", "GP14.S4")
    with pytest.raises(KeyError):
        catalog.key_action("GP14.S2")


def test_gp9_mirrors_gp8(catalog):
    gp8, gp9 = catalog.practice("GP8"), catalog.practice("GP9")
    assert [k.text for k in gp9.key_actions] == [k.text for k in gp8.key_actions]
    assert [k.id.replace("GP9.", "GP8.") for k in gp9.key_actions] == list(gp8.key_action_ids)
    assert gp9.key_actors == gp8.key_actors
    assert gp9.standards == gp8.standards
    assert gp9.examples == gp8.examples
    assert (gp8.merged_with, gp9.merged_with) == ("GP9", "GP8")
    assert catalog.key_action("GP9.S4").practice == "GP9"


@pytest.mark.parametrize("gp", sorted(GROUPED_IDS))
def test_grouped_practices_use_action_ids(catalog, gp):
    practice = catalog.practice(gp)
    assert list(practice.key_action_ids) == GROUPED_IDS[gp]
    assert practice.actions, "grouped practices list their actions"
    for ka in practice.key_actions:
        if ".S" in ka.id:
            assert ka.action == ka.id.rsplit(".", 1)[0]
            assert ka.id in catalog.action_group(ka.action).steps
        else:  # an action without steps is itself the key action
            assert ka.action is None
            assert catalog.action_group(ka.id).is_leaf


def test_only_grouped_practices_have_actions(catalog):
    assert {p.id for p in catalog.good_practices if p.actions} == set(GROUPED_IDS)
    for p in catalog.good_practices:
        if p.id not in GROUPED_IDS:
            assert all(re.fullmatch(rf"{p.id}\.S\d+", k) for k in p.key_action_ids)


def test_key_action_ids_unique_well_formed_and_owned(catalog):
    ids = [k.id for p in catalog.good_practices for k in p.key_actions]
    assert len(ids) == len(set(ids))
    for p in catalog.good_practices:
        for ka in p.key_actions:
            assert KEY_ACTION_RE.match(ka.id), ka.id
            assert ka.id.split(".")[0] == p.id
            assert (ka.practice, ka.area) == (p.id, p.area)


def test_bare_practice_id_is_not_a_key_action_id():
    assert not KEY_ACTION_RE.match("GP21")
    assert not KEY_ACTION_RE.match("GP26.S1")
    assert KEY_ACTION_RE.match("GP22.A5.S1") and KEY_ACTION_RE.match("GP24.A2")


def test_every_practice_is_complete(catalog):
    for p in catalog.good_practices:
        assert p.key_actions and p.key_actors and p.standards, p.id
        assert 3 <= len(p.short_title.split()) <= 6, p.short_title
        assert p.summary.count(".") >= 1
        assert all(20 <= len(k.text) <= 700 for k in p.key_actions), p.id


# --------------------------------------------------------------------------- spot checks


def test_spot_checks_against_the_source(catalog):
    assert catalog.practice("GP21").title == "Increase financial investigative capacities."
    assert len(catalog.practice("GP21").key_actions) == 7
    assert (
        "PNR" in catalog.key_action("GP25.S5").text and "API" in catalog.key_action("GP25.S5").text
    )
    assert "SLTD" in catalog.key_action("GP6.S2").text
    assert "fusion centres" in catalog.key_action("GP21.S4").text
    assert "Dawood Ibrahim" in catalog.manifestation("transformation").definition
    assert "prisons" in catalog.indicator("recruitment.5").text
    assert "infiltrated" in catalog.indicator("corruption.5").text
    assert "FIUs (where applicable)" in catalog.practice("GP21").key_actors
    gp2_urls = [e.url for e in catalog.practice("GP2").examples]
    assert "https://www.coe.int/en/web/greco" in gp2_urls
    assert catalog.practice("GP1").examples == ()  # the toolkit gives none
    e4j = catalog.practice("GP20").examples[0]
    assert e4j.url is None and "E4J" in e4j.name
    assert len(catalog.practice("GP10").examples) == 12
    assert len(catalog.practice("GP13").standards) == 9


# --------------------------------------------------------------------------- schema


def test_schema_is_valid_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://nexus-ttx.org/schemas/toolkit.schema.json"


def test_catalog_validates_against_schema(schema, raw):
    errors = sorted(Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.path))
    assert not errors, [f"{e.json_path}: {e.message}" for e in errors[:5]]


def _object_schemas(node: Any):
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for value in node.values():
            yield from _object_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _object_schemas(value)


def test_every_schema_property_has_a_description_and_objects_are_closed(schema):
    objects = list(_object_schemas(schema))
    assert len(objects) >= 10
    for obj in objects:
        assert obj.get("additionalProperties") is False
        for name, prop in obj["properties"].items():
            assert prop.get("description"), name


@pytest.mark.parametrize(
    "bad",
    [
        {"path": ["good_practices", 0, "key_actions", 0, "id"], "value": "GP1"},
        {"path": ["good_practices", 0, "key_actions", 0, "id"], "value": "GP26.S1"},
        {"path": ["watch_points", 0, "indicators", 0, "id"], "value": "Geography.1"},
        {"path": ["good_practices", 0, "area"], "value": "legal-stuff"},
        {"path": ["good_practices", 0, "surprise"], "value": 1},
        {"path": ["environments", 0, "id"], "value": "stable"},
    ],
)
def test_schema_rejects_bad_values(schema, raw, bad):
    doc = json.loads(json.dumps(raw))
    node = doc
    for key in bad["path"][:-1]:
        node = node[key]
    node[bad["path"][-1]] = bad["value"]
    assert list(Draft202012Validator(schema).iter_errors(doc))


# --------------------------------------------------------------------------- file hygiene


def test_modeline_and_no_duplicate_keys():
    text = CATALOG.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/toolkit.schema.json"

    class StrictLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=False):
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        assert not dupes, f"duplicate keys {dupes} at line {node.start_mark.line + 1}"
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    yaml.load(text, Loader=StrictLoader)
    assert not re.findall(r"(:|^\s*-)\s+[&*]\w+", text, re.M), "no anchors or aliases"


def test_to_dict_is_exactly_the_yaml(catalog, raw):
    assert catalog.to_dict() == raw
    assert list(catalog.to_dict()) == [
        "format",
        "areas",
        "good_practices",
        "watch_points",
        "manifestations",
        "environments",
    ]


# --------------------------------------------------------------------------- lookups


def test_lookups(catalog):
    ka = catalog.key_action("GP21.S4")
    assert isinstance(ka, KeyAction) and (ka.practice, ka.area) == (
        "GP21",
        "capacity-building-law-enforcement",
    )
    assert catalog.practice_of("GP22.A5.S1").id == "GP22"
    assert catalog.key_action("GP22.A5.S1").action == "GP22.A5"
    assert catalog.area_of_key_action("GP13.S5").id == "local-engagement"
    assert catalog.practice("GP24").short_title
    assert isinstance(catalog.watch_point("corruption"), WatchPoint)
    assert catalog.indicator("corruption.3").factor == "corruption"
    assert catalog.manifestation("black-hole").nexus == "organizational"
    assert catalog.environment("transitional").name == "Transitional states"
    assert isinstance(catalog.action_group("GP22.A5"), ActionGroup)
    assert len(catalog.key_actions_of_area("legal")) == 6
    assert {"GP21.S4", "GP24.A2", "GP22.A5.S1"} <= catalog.key_action_ids
    assert "GP22.A5" not in catalog.key_action_ids  # an action with steps is not a leaf
    assert catalog.practice_ids == {f"GP{n}" for n in range(1, 26)}
    assert catalog.manifestation_ids == {
        "alliances",
        "appropriation-of-tactics",
        "integration",
        "hybrid",
        "transformation",
        "black-hole",
    }
    assert catalog.environment_ids == {"politically-stable", "transitional", "post-conflict"}


@pytest.mark.parametrize(
    "lookup,bad",
    [
        ("practice", "GP26"),
        ("practice", "gp21"),
        ("key_action", "GP21"),
        ("key_action", "GP22.A5"),
        ("watch_point", "corruption.1"),
        ("indicator", "corruption.6"),
        ("manifestation", "GP1"),
        ("environment", "stable"),
        ("area", "GP1"),
    ],
)
def test_unknown_ids_raise_key_error(catalog, lookup, bad):
    with pytest.raises(KeyError):
        getattr(catalog, lookup)(bad)


def test_default_load_is_cached(catalog):
    assert load_catalog() is catalog


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query,expected",
    [
        ("gp21", "GP21"),
        ("GP21", "GP21"),
        ("gp21.s4", "GP21.S4"),
        ("GP24.A2", "GP24.A2"),
        ("corruption", "corruption"),
        ("Corruption.3", "corruption.3"),
        ("HYBRID", "hybrid"),
        ("post-conflict", "post-conflict"),
        ("GP22.A5", "GP22.A5"),
        ("legal", "legal"),
    ],
)
def test_search_exact_ids(catalog, query, expected):
    assert [i.id for i in catalog.search(query)] == [expected]


def test_search_words(catalog):
    ids = [i.id for i in catalog.search("prison")]
    assert {"GP24", "GP24.A1", "GP17", "recruitment.5", "appropriation-of-tactics"} <= set(ids)
    both = {i.id for i in catalog.search("Fusion centre")}
    assert {"GP8.S4", "GP9.S4", "GP21.S4"} <= both
    assert all(
        "fusion" in str(i).casefold() and "centre" in str(i).casefold()
        for i in catalog.search("fusion centre")
        if isinstance(i, KeyAction)
    )
    assert {i.id for i in catalog.search("financial police")} >= {"GP11", "GP21"}
    assert any(isinstance(i, Indicator) for i in catalog.search("diaspora"))
    assert any(isinstance(i, GoodPractice) for i in catalog.search("Mandela Rules"))
    assert catalog.search("zzzz-not-there") == []
    assert catalog.search("   ") == []


# --------------------------------------------------------------------------- bad files


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "toolkit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda t: t + "\n  - [unclosed\n", "NTX005 YAML syntax error"),
        (lambda t: t.replace("format: nexus-ttx-toolkit/1", "format: other/9"), "format"),
        (
            lambda t: t.replace("id: GP21.S4\n", "id: GP20.S4\n"),
            "key action 'GP20.S4' does not belong to GP21",
        ),
        (lambda t: t.replace("id: corruption.3\n", "id: corruption.9\n"), "corruption.3"),
        (lambda t: t.replace("id: GP14.S3\n", "id: GP14.S1\n"), "id 'GP14.S1' is used twice"),
        (
            lambda t: t.replace("practices: [GP1, GP2]", "practices: [GP1, GP3]"),
            "GP3 says area 'research-information-sharing' but is listed under area 'legal'",
        ),
        (
            lambda t: t.replace("        action: GP22.A5\n", "        action: GP22.A9\n", 1),
            "GP22.A9",
        ),
    ],
)
def test_malformed_catalog_is_a_catalog_error(tmp_path, mutate, message):
    text = CATALOG.read_text(encoding="utf-8")
    changed = mutate(text)
    assert changed != text
    with pytest.raises(CatalogError, match=re.escape(message)):
        load_catalog(_write(tmp_path, changed))


def test_wrong_types_are_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="mapping"):
        load_catalog(_write(tmp_path, "- just a list\n"))
    text = CATALOG.read_text(encoding="utf-8").replace(
        "title: Increase financial investigative capacities.", "title: [oops]"
    )
    with pytest.raises(CatalogError, match=re.escape("good_practices[20].title: expected text")):
        load_catalog(_write(tmp_path, text))


def test_duplicate_keys_are_refused_as_in_scenarios(tmp_path):
    """The catalog is read by the scenario loader: a repeated key is an error, not a silent
    overwrite of the first value."""
    text = CATALOG.read_text(encoding="utf-8").replace(
        "title: Increase financial investigative capacities.",
        "title: Increase financial investigative capacities.\n    title: Something else.",
        1,
    )
    with pytest.raises(CatalogError, match="NTX007"):
        load_catalog(_write(tmp_path, text))


def test_engine_catalog_never_imports_textual_or_tui():
    code = (
        "import sys, engine.toolkit.catalog as c; c.load_catalog(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_search_ranks_title_hits_first_then_word_starts_then_catalog_order(catalog):
    from engine.toolkit.catalog import search_rank, search_texts

    found = catalog.search("prison")
    ids = [i.id for i in found]
    assert ids[0] == "GP24"  # "Prisons and probation services": the title says it
    assert ids.index("GP24.A1") < ids.index("GP10")  # an action titled with it, before a body hit
    keys = [(search_rank(*search_texts(i), ["prison"]), catalog.all_ids.index(i.id)) for i in found]
    assert keys == sorted(keys)
    assert len({k[0] for k in keys}) > 2  # really ranked: title, body at a word start, inside


def test_search_prefers_word_starts(catalog):
    """`ran` matches "ransom" at a word start and "guarantee" inside a word: the first ranks
    higher (same tier otherwise)."""
    from engine.toolkit.catalog import search_rank

    assert search_rank("Kidnapping for ransom", "", "", ["ran"]) < search_rank(
        "A guarantee", "", "", ["ran"]
    )
    assert search_rank("Prisons", "", "", ["prison"]) < search_rank(
        "", "prison staff", "", ["prison"]
    )
    assert search_rank("", "", "prison staff", ["prison"]) < search_rank(
        "", "", "imprisonment", ["prison"]
    )
