"""`nexus-ttx run`, `sessions`, `resume` headless: the exact figures of tests/scenarios/hand.py."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.scenarios.hand import convoy, harbour

# (choices, points, possible, alignment, harmful, ending, outcome, path)
CONVOY = [
    (
        "task-force,checkpoint",
        2,
        3,
        66.67,
        0,
        "stalemate",
        "partial",
        ["briefing", "call", "border", "stalemate"],
    ),
    (
        "wait,community-watch",
        1,
        3,
        33.33,
        0,
        "calm",
        "success",
        ["briefing", "call", "border", "calm"],
    ),
    (
        "wait,checkpoint",
        0,
        3,
        0.0,
        0,
        "stalemate",
        "partial",
        ["briefing", "call", "border", "stalemate"],
    ),
    ("raid", 0, 2, 0.0, 1, "riot", "failure", ["briefing", "call", "riot"]),
]


@pytest.fixture
def files(tmp_path):
    out = {}
    for name, doc in (("convoy", convoy()), ("harbour", harbour())):
        out[name] = tmp_path / f"{name}.yaml"
        out[name].write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return out


@pytest.mark.parametrize("choices,points,possible,alignment,harmful,ending,outcome,path", CONVOY)
def test_run_json_convoy(
    cli, files, choices, points, possible, alignment, harmful, ending, outcome, path
) -> None:
    result = cli("run", str(files["convoy"]), "--choices", choices, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (
        data["points"],
        data["possible"],
        data["alignment"],
        data["harmful"],
        data["ending"],
        data["outcome"],
        data["path"],
    ) == (points, possible, alignment, harmful, ending, outcome, path)
    assert data["scenario"] == "convoy" and len(data["session"]) == 8


def test_run_json_harmful_enacting_recommended(cli, files) -> None:
    data = json.loads(cli("run", str(files["convoy"]), "--choices", "raid", "--json").stdout)
    (decision,) = data["decisions"]
    assert decision == decision | {
        "scene": "call",
        "choice": "raid",
        "taken": ["GP21.S4"],
        "missed": ["GP8.S4"],
        "also": [],
        "harmful": True,
        "points": 0,
        "feedback": "No.",
    }
    assert data["by_area"] == {
        "research-information-sharing": {"points": 0, "possible": 1},
        "capacity-building-law-enforcement": {"points": 0, "possible": 1},
    }
    assert data["by_practice"] == {
        "GP8": {"points": 0, "possible": 1},
        "GP21": {"points": 0, "possible": 1},
    }


@pytest.mark.parametrize(
    "choices,points,possible,alignment,ending",
    [
        ("legal-review,silence,meeting", 2, 5, 40.0, "mixed"),
        ("leak,brief,meeting", 1, 5, 20.0, "mixed"),
        ("share,brief,outreach", 4, 5, 80.0, "good"),
    ],
)
def test_run_json_harbour(cli, files, choices, points, possible, alignment, ending) -> None:
    data = json.loads(cli("run", str(files["harbour"]), "--choices", choices, "--json").stdout)
    assert (data["points"], data["possible"], data["alignment"], data["ending"]) == (
        points,
        possible,
        alignment,
        ending,
    )


def test_run_text_debrief(cli, files) -> None:
    result = cli("run", str(files["convoy"]), "--choices", "raid", "--team", "Ada")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for text in (
        "Player: Ada",
        "Choice: Raid [raid] ** HARMFUL **",
        "GP21.S4",
        "Key actors:",
        "Standards:",
        "Feedback: No.",
        "Effects: Community trust -30, Raided set to 1",
        "Alignment: 0.00% (0 of 2 points)",
        "Harmful choices: 1",
        "Path: briefing -> call -> riot",
        "Ending: Riot (failure)",
        "Session: ",
    ):
        assert text in out, text


def test_wrong_choice_records_nothing(cli, files) -> None:
    result = cli("run", str(files["convoy"]), "--choices", "task-force,community-watch")
    assert result.returncode == 1
    assert "'border'" in result.stderr and "on offer there: checkpoint" in result.stderr
    result = cli("run", str(files["convoy"]), "--choices", "nope")
    assert result.returncode == 1 and "task-force, raid, wait" in result.stderr
    result = cli("run", str(files["convoy"]), "--choices", "raid,wait")
    assert result.returncode == 1 and "left over: wait" in result.stderr
    assert json.loads(cli("sessions", "--json").stdout) == []


def test_run_leaves_nothing_in_the_store_without_save(cli, files) -> None:
    done = cli("run", str(files["convoy"]), "--choices", "raid", "--json")
    assert done.returncode == 0, done.stderr
    short = cli("run", str(files["convoy"]), "--choices", "wait")
    assert short.returncode == 1 and "Nothing was saved" in short.stderr
    assert "add --save" in short.stderr
    assert json.loads(cli("sessions", "--json").stdout) == []
    kept = cli("run", str(files["convoy"]), "--choices", "raid", "--save", "--label", "Day 1")
    assert kept.returncode == 0, kept.stderr
    (listed,) = json.loads(cli("sessions", "--json").stdout)
    assert (listed["label"], listed["status"]) == ("Day 1", "ended")


def test_choices_run_out_then_resume(cli, files) -> None:
    result = cli("run", str(files["convoy"]), "--choices", "wait", "--json", "--save")
    assert result.returncode == 1
    assert "ran out at decision 'border'" in result.stderr
    # listed in the session's display order, which resume shows again
    shown = re.search(r"on offer there: ([a-z, -]+)\.", result.stderr).group(1)
    assert sorted(shown.split(", ")) == ["checkpoint", "community-watch"]
    sid = json.loads(result.stdout)["session"]
    (listed,) = json.loads(cli("sessions", "--json").stdout)
    assert (listed["id"], listed["status"], listed["scene"]) == (sid, "active", "border")
    status = cli("resume", sid)  # no terminal: prints where it stands
    assert status.returncode == 0 and "Now at: Border [border]" in status.stdout
    assert f"Choices on offer: {shown}" in status.stdout
    result = cli("resume", sid, "--choices", "community-watch", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["points"], data["possible"], data["ending"]) == (1, 3, "calm")
    (listed,) = json.loads(cli("sessions", "--json").stdout)
    assert listed["status"] == "ended"
    again = cli("resume", sid, "--choices", "x")
    assert again.returncode == 1 and "has ended" in again.stderr


def test_resume_refuses_changed_scenario(cli, files) -> None:
    sid = json.loads(
        cli("run", str(files["convoy"]), "--choices", "wait", "--json", "--save").stdout
    )["session"]
    doc = convoy()
    doc["scenes"]["border"]["title"] = "Border (revised)"
    files["convoy"].write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = cli("resume", sid, "--choices", "checkpoint")
    assert result.returncode == 1
    assert "'convoy'" in result.stderr and str(files["convoy"]) in result.stderr
    assert "Restore the file" in result.stderr and "new session" in result.stderr


def test_unknown_session_and_invalid_scenario(cli, files, tmp_path) -> None:
    sid = json.loads(
        cli("run", str(files["convoy"]), "--choices", "raid", "--json", "--save").stdout
    )["session"]
    wrong = sid[:-1] + ("0" if sid[-1] != "0" else "1")
    result = cli("resume", wrong)
    assert result.returncode == 1 and sid in result.stderr  # close ids are suggested
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: nexus-ttx/1\nid: Bad Id\n", encoding="utf-8")
    result = cli("run", str(bad), "--choices", "a")
    assert result.returncode == 1 and f"{bad}:" in result.stderr and "error" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_by_library_id(cli, files, tmp_path) -> None:
    result = cli("run", "convoy", "--library", str(tmp_path), "--choices", "raid", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ending"] == "riot"


def test_run_with_db_but_without_save_writes_nothing_there(cli, files, tmp_path) -> None:
    """--db names the store --save writes to; without --save run keeps nothing anywhere."""
    chosen = tmp_path / "course.sqlite3"
    short = cli("run", str(files["convoy"]), "--choices", "wait", "--db", str(chosen))
    assert short.returncode == 1
    assert "Nothing was saved" in short.stderr and "add --save" in short.stderr
    done = cli("--db", str(chosen), "run", str(files["convoy"]), "--choices", "raid")
    assert done.returncode == 0, done.stderr
    assert not chosen.exists()
    assert not (tmp_path / "sessions.sqlite3").exists()
    kept = cli("run", str(files["convoy"]), "--choices", "wait", "--db", str(chosen), "--save")
    assert kept.returncode == 1 and "resume" in kept.stderr
    (listed,) = json.loads(cli("sessions", "--json", "--db", str(chosen)).stdout)
    assert listed["status"] == "active"  # asked for: kept and resumable


def test_a_misspelt_choice_gets_a_suggestion(cli, files) -> None:
    result = cli("run", str(files["convoy"]), "--choices", "taskforce")
    assert result.returncode == 1
    assert "there is no choice 'taskforce'" in result.stderr
    assert "did you mean 'task-force'?" in result.stderr
    far = cli("run", str(files["convoy"]), "--choices", "zzz")
    assert far.returncode == 1 and "did you mean" not in far.stderr
