"""`nexus-ttx observe` and `nexus-ttx plan` as a user runs them, and the plan drafting rules."""

from __future__ import annotations

import json

from engine.core.model import scenario_from_dict
from engine.exercise.exercise import Exercise
from engine.exercise.improvement import draft_plan
from engine.store.sqlite import Store
from tests.scenarios.hand import harbour

SAHEL = "sahel-gold-and-fuel"


def _session(cli) -> str:
    result = cli("run", SAHEL, "--choices", "desk-review,training-only", "--save")
    assert "Session:" in result.stdout, result.stderr
    return json.loads(cli("sessions", "--json").stdout)[0]["id"]


def test_observe_records_and_lists_from_a_second_terminal(cli) -> None:
    sid = _session(cli)
    ok = cli("observe", sid, "Nobody called the FIU.", "--rating", "m", "--practice", "GP21")
    assert ok.returncode == 0 and "recorded observation" in ok.stdout
    cli("observe", sid, "Clear roles.", "--rating", "P", "--team", "Solo", "--by", "Eval 2")
    listed = cli("observe", sid, "--list")
    assert "[M, GP21]: Nobody called the FIU." in listed.stdout
    assert "[P, Solo, Eval 2]: Clear roles." in listed.stdout
    data = json.loads(cli("observe", sid, "--list", "--json").stdout)
    assert [o["rating"] for o in data] == ["M", "P"]
    bad = cli("observe", sid, "x", "--team", "Nobody")
    assert (
        bad.returncode == 1 and "no team 'Nobody'" in bad.stderr and "Traceback" not in bad.stderr
    )
    assert cli("observe", sid, "x", "--rating", "Q").returncode == 2


def test_plan_add_edit_remove_draft_and_list(cli) -> None:
    sid = _session(cli)
    cli("observe", sid, "Nobody called the FIU.", "--rating", "U", "--practice", "GP21")
    added = cli(
        "plan", sid, "add", "--issue", "No press line.", "--contact", "Spokesperson",
        "--start", "2026-01-10",
    )  # fmt: skip
    assert added.returncode == 0 and "added item 1" in added.stdout
    assert cli("plan", sid, "edit", "1", "--organisation", "Ministry").returncode == 0
    late = cli("plan", sid, "edit", "1", "--completion", "2025-12-31")
    assert late.returncode == 1 and "before start" in late.stderr
    assert cli("plan", sid, "edit", "1").returncode == 2
    drafted = cli("plan", sid, "draft")
    assert "added item 2: Nobody called the FIU." in drafted.stdout
    assert "recommended key action of" in drafted.stdout
    items = json.loads(cli("plan", sid, "list", "--json").stdout)
    assert items[0]["organisation"] == "Ministry" and items[0]["contact"] == "Spokesperson"
    assert items[1]["source"].startswith("observation:") and items[1]["practice"] == "GP21"
    missed = [i for i in items if (i["source"] or "").startswith("missed:")]
    assert missed and all(i["practice"] and i["action"] for i in missed)
    assert cli("plan", sid, "remove", missed[0]["item"]).returncode == 0
    again = cli("plan", sid, "draft")  # a removed draft is not proposed again
    assert "nothing new to draft" in again.stdout
    text = cli("plan", sid).stdout
    assert "1. No press line." in text and "Responsible: Ministry, contact Spokesperson" in text
    assert cli("plan", sid, "remove", "99").returncode == 1


def test_unknown_session_is_a_message(cli) -> None:
    _session(cli)
    result = cli("plan", "zzzz", "list")
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_draft_from_observations_and_the_rooms_missed_key_actions(tmp_path) -> None:
    doc = harbour()
    doc["objectives"] = [{"id": "fiu", "text": "Share with the FIU.", "practices": ["GP3"]}]
    scenario = scenario_from_dict(doc)
    with Store(tmp_path / "s.sqlite3") as store:
        ex = Exercise.start(store, scenario, mode="facilitated", teams=("A", "B"))
        ex.acknowledge()
        ex.acknowledge()
        ex.record_choice("A", "legal-review")
        ex.follow()
        ex.add_observation("Slow to involve the FIU.", rating="M", practice="GP3")
        ex.add_observation("Fine.", rating="S")
        drafts = draft_plan(scenario, ex.session, ex.room_score(), None)
    sources = [d.source for d in drafts]
    # legal-review enacts GP1.S1 only: GP3.S1 and GP21.S4 were missed
    assert sources == ["observation:6", "missed:GP3", "missed:GP21"]
    assert drafts[0].objective == "fiu" and drafts[1].objective == "fiu"
    assert drafts[2].objective is None and drafts[2].action == "GP21.S4"
