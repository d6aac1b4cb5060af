"""Quality bar for two built-in scenarios: `sahel-gold-and-fuel` and `prison-cell-west-europe`.

The structural checks (counts, ids, references against the toolkit catalog) read the YAML
directly and always run. The checks that need the engine (replaying the best path, exact
analysis, strict validation) are skipped only while that part of the engine does not exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
MODELINE = "# yaml-language-server: $schema=../schemas/scenario.schema.json"

# What each scenario must carry (issue 6 and the authoring brief).
REQUIRED = {
    "sahel-gold-and-fuel": {
        "environment": "post-conflict",
        "countries": {"ML", "NE"},
        "manifestations": {"alliances", "hybrid"},
        "watch_points": {"geography-of-operations", "economic", "governance", "corruption",
                         "external-support"},
        "practices": [{"GP3"}, {"GP5"}, {"GP13"}, {"GP16"}, {"GP19"}, {"GP21"}, {"GP25"}],
    },
    "prison-cell-west-europe": {
        "environment": "politically-stable",
        "countries": {"BE", "NL"},
        "manifestations": {"integration", "appropriation-of-tactics"},
        "watch_points": {"recruitment", "social-status", "leadership", "capabilities"},
        "practices": [{"GP8", "GP9"}, {"GP11"}, {"GP17"}, {"GP20"}, {"GP22"}, {"GP24"}],
    },
}

# The best path, one choice id per decision met, and the ending it reaches.
BEST = {
    "sahel-gold-and-fuel": (
        ["joint-mapping", "integrity-review", "joint-cell", "joint-finance-cell",
         "intermediaries", "joint-assessment", "coordination-table", "coordinated-operation"],
        "ending-success",
    ),
    "prison-cell-west-europe": (
        ["structured-intel", "task-force-protocol", "experts-and-platforms",
         "controlled-delivery", "family-plan", "needs-and-training", "joint-operation"],
        "ending-success",
    ),
}

IDS = sorted(REQUIRED)


def _path(sid: str) -> Path:
    return SCENARIOS / f"{sid}.yaml"


def _load(sid: str) -> dict:
    with _path(sid).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def catalog() -> dict:
    path = SCENARIOS / "toolkit.yaml"
    if not path.exists():
        pytest.fail("scenarios/toolkit.yaml is missing: the scenarios' ids cannot be checked")
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    key_actions = {ka["id"] for gp in data["good_practices"] for ka in gp["key_actions"]}
    indicators = {wp["id"]: len(wp["indicators"]) for wp in data["watch_points"]}
    return {
        "key_actions": key_actions,
        "practices": {gp["id"] for gp in data["good_practices"]},
        "indicators": indicators,
        "manifestations": {m["id"] for m in data["manifestations"]},
        "environments": {e["id"] for e in data["environments"]},
    }


def _practice(key_action: str) -> str:
    return key_action.split(".", 1)[0]


def _decisions(doc: dict) -> dict[str, dict]:
    return {k: s for k, s in doc["scenes"].items() if s["kind"] == "decision"}


def _targets(next_value) -> list[str]:
    if isinstance(next_value, str):
        return [next_value]
    return [b["goto"] for b in next_value]


@pytest.mark.parametrize("sid", IDS)
def test_header_and_metadata(sid: str) -> None:
    first = _path(sid).read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    doc = _load(sid)
    req = REQUIRED[sid]
    assert doc["format"] == "nexus-ttx/1"
    assert doc["id"] == sid
    for key in ("title", "summary", "region", "audience"):
        assert doc.get(key), key
    assert doc["language"] == "en"
    assert doc["version"] == "1.0"
    assert doc["authors"] == ["nexus-ttx team"]
    assert doc["environment"] == req["environment"]
    assert set(doc["countries"]) == req["countries"]
    assert req["manifestations"] <= set(doc["manifestations"])
    assert req["watch_points"] <= set(doc["watch_points"])
    assert 60 <= doc["duration_minutes"] <= 120
    assert doc["start"] in doc["scenes"]


@pytest.mark.parametrize("sid", IDS)
def test_quality_bar_counts(sid: str) -> None:
    doc = _load(sid)
    scenes = doc["scenes"]
    decisions = _decisions(doc)
    scored = [d for d in decisions.values() if d.get("recommended")]
    assert len(scored) >= 6
    endings = [s for s in scenes.values() if s["kind"] == "ending"]
    assert len(endings) >= 3
    assert {"success", "partial", "failure"} <= {e["outcome"] for e in endings}
    assert any(s["kind"] == "inject" for s in scenes.values())
    harmful = [c for d in decisions.values() for c in d["choices"] if c.get("harmful")]
    assert harmful and all(c.get("feedback") for c in harmful)
    for sid_, d in decisions.items():
        assert 1 <= len(d.get("discussion", [])) <= 3, sid_
        assert 2 <= len(d["choices"]) <= 4, sid_
        assert any("if" not in c for c in d["choices"]), f"{sid_} can dead-end"
        for c in d["choices"]:
            assert c.get("feedback"), f"{sid_}.{c['id']} has no feedback"
            assert "enacts" in c, f"{sid_}.{c['id']} has no enacts"


@pytest.mark.parametrize("sid", IDS)
def test_ids_and_references(sid: str, catalog: dict) -> None:
    doc = _load(sid)
    scenes = doc["scenes"]
    variables = doc.get("variables", {})
    assert 2 <= len(variables) <= 4
    for name, v in variables.items():
        assert IDENT.match(name), name
        assert v["min"] <= v["initial"] <= v["max"], name
    assert doc["environment"] in catalog["environments"]
    assert set(doc["manifestations"]) <= catalog["manifestations"]
    assert set(doc["watch_points"]) <= set(catalog["indicators"])
    assert set(doc["good_practices"]) <= catalog["practices"]
    for scene_id, s in scenes.items():
        assert SLUG.match(scene_id), scene_id
        for ref in s.get("watch_points", []):
            factor, _, k = ref.partition(".")
            assert factor in catalog["indicators"], f"{scene_id}: {ref}"
            assert factor in doc["watch_points"], f"{scene_id}: {factor} not declared"
            if k:
                assert 1 <= int(k) <= catalog["indicators"][factor], f"{scene_id}: {ref}"
        for ka in s.get("recommended", []):
            assert ka in catalog["key_actions"], f"{scene_id}: {ka}"
        if s["kind"] in ("narrative", "inject"):
            for t in _targets(s["next"]):
                assert t in scenes, f"{scene_id} -> {t}"
        for c in s.get("choices", []):
            assert SLUG.match(c["id"]), c["id"]
            for ka in c.get("enacts", []):
                assert ka in catalog["key_actions"], f"{scene_id}.{c['id']}: {ka}"
            for var in list(c.get("effects", {})) + list(c.get("set", {})):
                assert var in variables, f"{scene_id}.{c['id']}: {var}"
            for t in _targets(c["next"]):
                assert t in scenes, f"{scene_id}.{c['id']} -> {t}"
        ids = [c["id"] for c in s.get("choices", [])]
        assert len(ids) == len(set(ids)), scene_id


@pytest.mark.parametrize("sid", IDS)
def test_practices_recommended(sid: str) -> None:
    doc = _load(sid)
    recommended = {_practice(ka) for d in _decisions(doc).values()
                   for ka in d.get("recommended", [])}
    for gp in doc["good_practices"]:
        assert gp in recommended, f"{gp} is declared but never recommended"
    for alternatives in REQUIRED[sid]["practices"]:
        assert alternatives & recommended, f"none of {sorted(alternatives)} is recommended"
        assert alternatives & set(doc["good_practices"])


@pytest.mark.parametrize("sid", IDS)
def test_best_path_fully_aligned_on_paper(sid: str) -> None:
    """At every decision of the best path, the chosen option enacts all of `recommended`."""
    doc = _load(sid)
    choices, _ = BEST[sid]
    decisions = _decisions(doc)
    met = [d for d in decisions.values()
           if any(c["id"] in choices for c in d["choices"])]
    assert len(met) == len(choices)
    for d in met:
        pick = next(c for c in d["choices"] if c["id"] in choices)
        assert not pick.get("harmful")
        assert set(d["recommended"]) <= set(pick["enacts"]), pick["id"]


@pytest.mark.parametrize("sid", IDS)
def test_best_path_plays_to_success(sid: str) -> None:
    machine = pytest.importorskip("engine.machine")
    model = pytest.importorskip("engine.model")
    scenario = model.scenario_from_dict(_load(sid))
    choices, ending = BEST[sid]
    state = machine.initial_state(scenario)
    todo = list(choices)
    points = possible = 0
    while not machine.is_over(scenario, state):
        scene = machine.current_scene(scenario, state)
        if scene.kind == "decision":
            choice = scene.choice(todo.pop(0))
            if scene.recommended:
                possible += len(scene.recommended)
                points += len(set(choice.enacts) & set(scene.recommended))
            state = machine.choose(scenario, state, choice.id)
        else:
            state = machine.acknowledge(scenario, state)
    assert not todo
    assert state.scene == ending
    assert scenario.scene(ending).outcome == "success"
    assert points == possible


@pytest.mark.parametrize("sid", IDS)
def test_analysis_bounds(sid: str) -> None:
    analysis = pytest.importorskip("engine.analysis")
    model = pytest.importorskip("engine.model")
    result = analysis.analyze(model.scenario_from_dict(_load(sid))).to_json()
    assert result["complete"]
    assert result["best_alignment"] == 100.0
    assert result["worst_alignment"] < 50.0
    assert result["endings_reachable"] == result["endings"]
    assert not result["unreachable"]
    assert result["findings"] == []


@pytest.mark.parametrize("sid", IDS)
def test_validates_strictly(sid: str) -> None:
    validate = pytest.importorskip("engine.validate")
    result = validate.validate_file(_path(sid))
    diagnostics = list(getattr(result, "diagnostics", result))  # warnings count: --strict
    assert diagnostics == [], diagnostics
