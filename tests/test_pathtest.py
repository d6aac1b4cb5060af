"""`nexus-ttx test`: quicktest and randomtest (engine functions and the command)."""

from __future__ import annotations

import json

import yaml

from engine.analysis.pathtest import quicktest, randomtest
from engine.core.model import scenario_from_dict
from tests.scenarios.hand import convoy, harmful_shortcut, hidden_best


def _looping() -> dict:
    doc = convoy()
    doc["scenes"]["border"]["choices"].append(
        {"id": "regroup", "text": "Regroup", "next": "briefing"}
    )
    return doc


def test_quicktest_passes_and_counts() -> None:
    r = quicktest(scenario_from_dict(convoy()))
    assert r.ok and r.complete
    assert (r.scenes_visited, r.scenes) == (6, 6)
    assert (r.choices_made, r.choices) == (5, 5)
    assert r.states == 7
    assert "PASSED" in r.format_text()


def test_quicktest_fails_on_loop_dead_end_and_bound() -> None:
    r = quicktest(scenario_from_dict(_looping()))
    assert not r.ok and any("loop forever" in f for f in r.failures)
    doc = convoy()
    doc["scenes"]["border"]["choices"][1]["if"] = "trust > 1000"
    r = quicktest(scenario_from_dict(doc))
    assert not r.ok and any("no choice is offered" in f for f in r.failures)
    r = quicktest(scenario_from_dict(convoy()), max_states=2)
    assert not r.ok and not r.complete


def test_randomtest_prefers_least_used_and_is_deterministic() -> None:
    scenario = scenario_from_dict(harmful_shortcut())
    a = randomtest(scenario, 30, seed=7)
    b = randomtest(scenario, 30, seed=7)
    assert a.to_json() == b.to_json() and a.format_text() == b.format_text()
    assert a.ok
    # least-used first: the three choices at d1 are played 10 times each
    assert a.choice_hits["d1"] == {"raid": 10, "liaise": 10, "wait": 10}
    assert a.choice_hits["d2"] == {"report": 10, "shortcut": 10}
    assert a.endings == {"riot": 10, "good": 20}
    assert a.scene_hits["brief"] == 30
    assert a.key_action_hits["GP8.S4"] == {"enacted": 10, "credited": 0}  # only harmful
    assert a.key_action_hits["GP25.S1"] == {"enacted": 20, "credited": 10}
    assert sum(a.distribution().values()) == 30
    assert a.stats()["max"] == 66.67 and a.stats()["min"] == 0.0


def test_randomtest_reaches_hidden_choice_and_flags_loops() -> None:
    r = randomtest(scenario_from_dict(hidden_best()), 20, seed=1)
    assert r.choice_hits["d2"]["joint"] > 0
    doc = convoy()
    doc["scenes"]["briefing"]["next"] = "briefing"
    r = randomtest(scenario_from_dict(doc), 5, seed=3, max_steps=50)
    assert not r.ok and "may loop" in r.failures[0] and len(r.failures) == 5


def _write(tmp_path, doc, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_test_command(cli, tmp_path) -> None:
    path = _write(tmp_path, convoy())
    r = cli("test", str(path))
    assert r.returncode == 0, r.stderr
    assert "quicktest convoy: PASSED" in r.stdout
    r1 = cli("test", str(path), "--random", "25", "--seed", "5")
    r2 = cli("test", str(path), "--random", "25", "--seed", "5")
    assert r1.returncode == 0 and r1.stdout == r2.stdout
    assert "randomtest convoy: 25 runs, seed 5" in r1.stdout
    r3 = cli("test", str(path), "--random", "25", "--seed", "5", "--json")
    data = json.loads(r3.stdout)
    assert data["runs"] == 25 and data["choices"]["call"]["raid"] > 0
    assert sum(data["endings"].values()) == 25


def test_test_command_fails_on_loop(cli, tmp_path) -> None:
    path = _write(tmp_path, _looping())
    r = cli("test", str(path))
    assert r.returncode == 1
    assert "FAIL" in r.stdout and "loop forever" in r.stdout
