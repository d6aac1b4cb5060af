"""Cohort analytics: sums over sessions checked by hand on the convoy scenario, and the
`cohort` command's JSON, CSV and HTML (escaped, side-by-side comparison) from a real store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from engine.check.validate import load_scenario
from engine.exercise.exercise import Exercise
from engine.report.cohort import Comparison, buckets, build_cohort, played
from engine.report.cohort_render import render_csv, render_html
from engine.store.sqlite import Store
from tests.scenarios.hand import convoy

# convoy (tests/scenarios/hand.py): call R={GP21.S4, GP8.S4}; border R={GP25.S1}
# Day 1: A plays raid (harmful, 0/2, riot); B plays wait (0/2) then community-watch (1/1)
# Day 2: C, two tables, both task-force (2/2) then checkpoint (0/1): 2/3 each


def _play(store: Store, scenario, path: Path, label: str, moves, teams=("Solo",)) -> str:
    ex = Exercise.start(
        store,
        scenario,
        scenario_path=str(path),
        mode="solo" if len(teams) == 1 else "facilitated",
        teams=teams,
        label=label,
    )
    for move in moves:
        while ex.scene.kind != "decision" and not ex.is_over:
            ex.acknowledge()
        for team in teams:
            ex.record_choice(team, move)
        ex.follow(move)
    return ex.session_id


@pytest.fixture
def stocked(tmp_path):
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(convoy(), sort_keys=False), encoding="utf-8")
    scenario = load_scenario(path)
    db = tmp_path / "s.sqlite3"
    with Store(db) as store:
        _play(store, scenario, path, "Day 1", ["raid"])
        _play(store, scenario, path, "Day 1", ["wait", "community-watch"])
        _play(store, scenario, path, "Day 2", ["task-force", "checkpoint"], ("T1", "<b>T2&"))
    return db, scenario, path


def _cohort(db: Path, scenario, label: str):
    with Store(db) as store:
        return build_cohort(
            label,
            [
                played(scenario, store.events(i.id), label=i.label, chance=25.0)
                for i in store.sessions()
                if i.label == label
            ],
        )


def test_sums_by_hand(stocked) -> None:
    db, scenario, _ = stocked
    day1 = _cohort(db, scenario, "Day 1")
    assert (day1.sessions, day1.points, day1.possible) == (2, 1, 5)
    assert day1.alignment == pytest.approx(20.0)
    assert day1.chance == pytest.approx(25.0)
    assert [(m.key, m.count, m.out_of) for m in day1.missed] == [
        ("GP8.S4", 2, 2),
        ("GP21.S4", 1, 2),
    ]
    assert [(h.key, h.count, h.out_of) for h in day1.harmful] == [("convoy/call/raid", 1, 2)]
    assert day1.team_buckets == (1, 0, 0, 1, 0, 0, 0, 0, 0, 0)
    practices = {g.key: (g.points, g.possible) for g in day1.by_practice}
    assert practices == {"GP8": (0, 2), "GP21": (0, 2), "GP25": (1, 1)}
    day2 = _cohort(db, scenario, "Day 2")
    assert (day2.sessions, len(day2.teams), day2.points, day2.possible) == (1, 2, 4, 6)
    assert [(m.key, m.count, m.out_of) for m in day2.missed] == [("GP25.S1", 2, 2)]
    assert day2.harmful == ()
    delta = {d["id"]: d["delta"] for d in Comparison(day1, day2).to_json()["by_practice"]}
    assert delta == {"GP8": 100.0, "GP21": 100.0, "GP25": -100.0}


def test_buckets_edges() -> None:
    assert buckets([0.0, 9.99, 10.0, 99.9, 100.0, None]) == (2, 1, 0, 0, 0, 0, 0, 0, 0, 2)


def test_renderings_escape_and_stack(stocked) -> None:
    db, scenario, _ = stocked
    cmp = Comparison(_cohort(db, scenario, "Day 1"), _cohort(db, scenario, "Day 2"))
    page = render_html(cmp)
    assert "<script" not in page and "<b>T2" not in page and "&lt;b&gt;T2&amp;" in page
    assert page.count("<svg") >= 4
    rows = list(csv.DictReader(io.StringIO(render_csv(cmp))))
    assert {r["cohort"] for r in rows} == {"Day 1", "Day 2"}
    overall = {r["cohort"]: r["value"] for r in rows if r["section"] == "overall"}
    assert overall == {"Day 1": "20.00", "Day 2": "66.67"}


def test_cohort_command(stocked, cli, tmp_path) -> None:
    db, _, path = stocked
    env = {"NEXUS_TTX_DB": str(db)}
    result = cli("cohort", "--label", "day 1", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["sessions"], data["points"], data["possible"]) == (2, 1, 5)
    assert data["missed"][0]["key"] == "GP8.S4"
    both = cli("cohort", "--compare", "Day 1", "Day 2", "--format", "json", env=env)
    assert json.loads(both.stdout)["b"]["alignment"] == 66.67
    out = tmp_path / "cohort.html"
    page = cli("cohort", "--compare", "Day 1", "Day 2", "-o", str(out), env=env)
    assert page.returncode == 0 and "&lt;b&gt;T2&amp;" in out.read_text(encoding="utf-8")
    assert cli("cohort", "--since", "yesterday", env=env).returncode == 2
    # a scenario edited after the sessions were played: they are left out, and named
    doc = convoy()
    doc["scenes"]["call"]["title"] = "Call (revised)"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    changed = json.loads(cli("cohort", "--format", "json", env=env).stdout)
    assert changed["sessions"] == 0 and len(changed["skipped"]) == 3
    assert "has changed" in changed["skipped"][0]["reason"]
