"""Play with on-demand injects, identify drills and roles: the events, the fold and scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.check.validate import load_scenario
from engine.exercise.exercise import ChoicesError, Exercise, plan_headless
from engine.play import events as ev
from engine.play.checks import InvalidEvent
from engine.play.machine import InjectUnavailable, SessionOver, initial_state
from engine.play.scoring import drill_score
from engine.play.session import fold
from engine.store.sqlite import Store
from tests.conftest import run_cli

LAYERS = Path(__file__).resolve().parent / "fixtures" / "valid" / "layers.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(LAYERS)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


def test_drill_scoring_is_precision_and_recall(scenario) -> None:
    drill = scenario.scene("spot-the-signs")
    d = drill_score(drill, ["gold-levy", "red-herring"])
    assert d.hits == ("gold-levy",) and d.wrong == ("red-herring",)
    assert d.missed == ("new-recruits", "joint-smuggling")
    assert d.precision == 50.0 and d.recall == pytest.approx(100 / 3)
    nothing = drill_score(drill, [])
    assert nothing.precision == 0.0 and nothing.recall == 0.0
    every = drill_score(drill, [o.id for o in drill.options])
    assert every.precision == 75.0 and every.recall == 100.0


def test_solo_drill_then_decision(store, scenario) -> None:
    ex = Exercise.start(store, scenario, options={"roles": {"Solo": "fiu"}, "timing": "short"})
    assert ex.session.role_of("Solo") == "fiu"
    with pytest.raises(InvalidEvent):
        ex.record_selection("Solo", ["gold-levy", "nope"])
    ex.record_selection("Solo", ["red-herring"])
    ex.record_selection("Solo", ["new-recruits", "gold-levy"])  # replaces, kept in drill order
    assert ex.session.selection_of(scenario, "Solo") == ("gold-levy", "new-recruits")
    ex.acknowledge()
    assert ex.scene.id == "first-call"
    with pytest.raises(InvalidEvent):
        ex.record_selection("Solo", ["gold-levy"])  # not at a drill any more
    ex.choose("task-force")
    ident = ex.identification()
    assert ident.precision == 100.0 and ident.recall == pytest.approx(200 / 3)
    score = ex.score()
    assert score.points == 2 and score.possible == 2  # the drill adds nothing to alignment
    again = fold(scenario, store.events(ex.session_id))
    assert again.drills == ex.session.drills


def test_injects_apply_effects_then_set_and_return(store, scenario) -> None:
    ex = Exercise.start(store, scenario)
    ex.select(["gold-levy"])
    assert [i.id for i in ex.injects_available()] == ["press-leak", "minister-calls"]
    ex.fire_inject("press-leak")
    assert ex.scene.id == "first-call"  # the decision stays open
    assert ex.values == {"trust": 40, "leaked": 1}
    assert {c.id for c in ex.offered} == {"task-force", "raid"}  # go-public needs leaked == 0
    with pytest.raises(InjectUnavailable):
        ex.fire_inject("press-leak")  # once only
    ex.fire_inject("minister-calls")
    ex.fire_inject("minister-calls")  # repeatable
    with pytest.raises(InjectUnavailable):
        ex.fire_inject("no-such-inject")
    assert [f.inject for f in ex.session.fired] == [
        "press-leak",
        "minister-calls",
        "minister-calls",
    ]
    ex.choose("raid")
    assert ex.is_over
    with pytest.raises(SessionOver):
        ex.fire_inject("minister-calls")  # nothing fires after the end
    kinds = [e.kind for e in store.events(ex.session_id)]
    assert kinds.count(ev.INJECT_FIRED) == 3


def test_an_inject_condition_guards_it(store, scenario) -> None:
    ex = Exercise.start(store, scenario)
    ex.select([])
    ex.record_choice("Solo", "raid")
    ex.follow()  # trust 20: press-leak (trust >= 20) still on offer, at the ending not
    assert ex.is_over and ex.injects_available() == ()


def test_a_vote_the_inject_closes_is_dropped(store, scenario) -> None:
    ex = Exercise.start(store, scenario, mode="facilitated", teams=("A", "B"))
    ex.record_selection("A", ["gold-levy", "joint-smuggling"])
    ex.acknowledge()  # B selected nothing: an empty selection
    ex.record_choice("A", "go-public")
    ex.record_choice("B", "task-force")
    ex.fire_inject("press-leak")
    assert dict(ex.session.votes) == {"B": "task-force"}
    ex.follow()
    assert ex.identification("A").recall == pytest.approx(200 / 3)
    assert ex.identification("B").precision == 0.0 and ex.identification("B").recall == 0.0


def test_participants_selections_make_the_team_selection(store, scenario) -> None:
    ex = Exercise.start(store, scenario, mode="facilitated", teams=("A", "B"))
    people = [ex.join(f"p{i}", "A", f"{i:064x}") for i in range(3)]
    ex.participant_select(people[0].id, ["gold-levy", "new-recruits"])
    ex.participant_select(people[1].id, ["gold-levy"])
    ex.participant_select(people[2].id, ["gold-levy", "red-herring"])
    assert ex.session.selection_of(scenario, "A") == ("gold-levy",)  # more than half
    ex.acknowledge()
    assert ex.session.drills[0].of("A") == ("gold-levy",)
    assert ex.session.drills[0].of("B") == ()


def test_session_options_name_real_roles_and_profiles(store, scenario) -> None:
    with pytest.raises(InvalidEvent, match="no role"):
        Exercise.start(store, scenario, options={"roles": {"Solo": "army"}})
    with pytest.raises(InvalidEvent, match="no team"):
        Exercise.start(store, scenario, options={"roles": {"Ghost": "fiu"}})
    with pytest.raises(InvalidEvent, match="no profile"):
        Exercise.start(store, scenario, options={"timing": "marathon"})


def test_headless_selections(scenario) -> None:
    plan = plan_headless(scenario, initial_state(scenario), ["gold-levy+new-recruits", "raid"])
    assert plan.moves == (("gold-levy", "new-recruits"), "raid")
    assert plan_headless(scenario, initial_state(scenario), ["-"]).moves == ((),)
    assert plan_headless(scenario, initial_state(scenario), []).stopped_at == "spot-the-signs"
    with pytest.raises(ChoicesError, match="no option 'nope'"):
        plan_headless(scenario, initial_state(scenario), ["nope"])


def test_run_cli_selection_and_json() -> None:
    r = run_cli("run", str(LAYERS), "--choices", "gold-levy+red-herring,task-force", "--json")
    assert r.returncode == 0, r.stderr
    import json

    data = json.loads(r.stdout)
    assert data["alignment"] == 100.0
    assert data["identification"]["precision"] == 50.0
    assert data["identification"]["drills"][0]["wrong"] == ["red-herring"]
    text = run_cli("run", str(LAYERS), "--choices", "gold-levy,task-force")
    assert "Identification: precision 100.00%, recall 33.33%" in text.stdout
    bad = run_cli("run", str(LAYERS), "--choices", "gold-levy,task-force", "--role", "army")
    assert bad.returncode == 1 and "no role 'army'" in bad.stderr and "Traceback" not in bad.stderr


def test_reports_show_identification_beside_alignment_and_injects(tmp_path, scenario) -> None:
    import json

    db = tmp_path / "r.sqlite3"
    with Store(db) as store:
        ex = Exercise.start(
            store, scenario, mode="facilitated", teams=("Blue", "Red"), scenario_path=str(LAYERS)
        )
        ex.record_selection("Blue", ["gold-levy", "new-recruits"])
        ex.record_selection("Red", ["red-herring"])
        ex.acknowledge()
        ex.fire_inject("press-leak")
        ex.record_choice("Blue", "task-force")
        ex.record_choice("Red", "task-force")
        ex.follow()
        sid = ex.session_id
    out = {
        fmt: run_cli("report", sid, "--db", str(db), "--format", fmt)
        for fmt in ("json", "md", "html", "aar", "aar-md")
    }
    assert all(r.returncode == 0 for r in out.values()), {k: r.stderr for k, r in out.items()}
    data = json.loads(out["json"].stdout)
    blue = next(t for t in data["teams"] if t["team"] == "Blue")
    assert blue["alignment"] == 100.0 and blue["score"]["possible"] == 2
    assert blue["identification"]["precision"] == 100.0
    assert blue["identification"]["recall"] == 66.67
    assert data["drills"][0]["teams"][1]["wrong"] == ["red-herring"]
    assert [f["inject"] for f in data["injects_fired"]] == ["press-leak"]
    md = out["md"].stdout
    assert "Identification: precision 0.00%, recall 0.00%" in md
    assert "| The rainy season starts early | distractor |  | ✓ |" in md
    assert "**A leak to the press** (`press-leak`)" in md
    assert "Identification drills" in out["html"].stdout
    assert "On-demand injects fired" in out["html"].stdout
    assert "| Blue | 100% | 67% | 2/2 | 2/3 |" in out["aar-md"].stdout
    assert "Inject: A leak to the press" in out["aar-md"].stdout
    assert "Identification drills (not part of alignment)" in out["aar"].stdout
