"""Rules with one home in the engine: team lists, how the room follows, resuming a session,
session status, taken and missed key actions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.check.validate import ScenarioInvalid, load_scenario
from engine.core.model import scenario_from_dict
from engine.exercise.exercise import ContentChanged, Exercise, InvalidEvent
from engine.exercise.resume import SessionScenarioMissing, resume
from engine.play.events import EndReason, How, Mode, SessionStatus, status_of
from engine.play.scoring import decision_score, score_decision
from engine.play.session import check_how, following
from engine.play.teams import MAX_TEAMS, TeamListError, parse_teams, team_list
from engine.report.document import build_report
from engine.store.sqlite import Store
from tests.scenarios.hand import convoy, harbour


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


# -- team lists -----------------------------------------------------------------------------


def test_parse_teams_splits_on_commas_and_semicolons() -> None:
    assert parse_teams(" Table 1, Table 2;Table 3 ,, ") == ("Table 1", "Table 2", "Table 3")
    assert parse_teams("") == ()


@pytest.mark.parametrize(
    "mode,teams,problem",
    [
        ("solo", ("A", "B"), "exactly one team"),
        ("facilitated", (), "at least one team"),
        ("facilitated", ("A", " "), "non-empty name"),
        ("facilitated", ("Red", "red"), "different from each other"),
        ("facilitated", tuple(f"T{i}" for i in range(MAX_TEAMS + 1)), f"at most {MAX_TEAMS}"),
    ],
)
def test_team_list_rules(mode: str, teams: tuple[str, ...], problem: str) -> None:
    with pytest.raises(TeamListError, match=problem):
        team_list(mode, teams)


def test_team_list_strips_and_keeps_order() -> None:
    assert team_list(Mode.FACILITATED, (" B ", "A")) == ("B", "A")
    assert team_list("solo", ("Ada",)) == ("Ada",)


def test_a_new_session_follows_the_same_rules(store) -> None:
    scenario = scenario_from_dict(harbour())
    for teams in (("Red", "RED"), tuple(f"T{i}" for i in range(MAX_TEAMS + 1))):
        with pytest.raises(InvalidEvent):
            Exercise.start(store, scenario, mode="facilitated", teams=teams)
    assert store.sessions() == []


# -- how the room follows ---------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    votes=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=5),
    pick=st.sampled_from(["a", "b", "c", None]),
    override=st.booleans(),
)
def test_what_following_proposes_check_how_accepts_or_refuses_with_a_typed_error(
    votes: list[str | None], pick: str | None, override: bool
) -> None:
    """`following` (the facade's proposal) and `check_how` (the fold's rule) agree: a proposal
    is either accepted as is, or refused with the same kind of error the facade reports."""
    import tempfile

    scenario = scenario_from_dict(harbour())
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.sqlite3") as store:
        teams = tuple(f"T{i}" for i in range(len(votes)))
        mode = "solo" if len(teams) == 1 else "facilitated"
        ex = Exercise.start(store, scenario, mode=mode, teams=teams, seed=7)  # replayable
        while not ex.offered:
            ex.acknowledge()
        ids = [c.id for c in ex.offered]
        for team, vote in zip(teams, votes, strict=True):
            if vote is not None:
                ex.record_choice(team, ids[(ord(vote) - ord("a")) % len(ids)])
        choice = None if pick is None else ids[(ord(pick) - ord("a")) % len(ids)]
        try:
            followed, how = following(scenario, ex.session, choice, override=override)
        except Exception as refused:
            assert type(refused).__name__ in ("NotTheMajority", "TieNeedsPick")
            return
        leaders = ex.session.leaders(scenario)
        accepted = choice is None or override or how is How.TIE_BREAK or leaders == (followed,)
        try:
            assert check_how(scenario, ex.session, followed, how) is how
        except Exception:
            assert not accepted
        else:
            assert accepted


# -- resuming -------------------------------------------------------------------------------------


def _scenario_file(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_resume_finds_loads_and_folds(store, tmp_path) -> None:
    path = _scenario_file(tmp_path, convoy())
    scenario = load_scenario(path)
    ex = Exercise.start(store, scenario, scenario_path=str(path))
    ex.acknowledge()
    again = resume(store, ex.session_id[:5], load_scenario)
    assert again.session == ex.session and again.scenario_path == str(path)


def test_resume_refuses_a_missing_invalid_or_changed_scenario(store, tmp_path) -> None:
    path = _scenario_file(tmp_path, convoy())
    ex = Exercise.start(store, load_scenario(path), scenario_path=str(path))
    changed = convoy()
    changed["scenes"]["call"]["choices"][0]["text"] = "Task force (edited)"
    _scenario_file(tmp_path, changed)
    with pytest.raises(ContentChanged) as info:
        resume(store, ex.session_id, load_scenario)
    assert info.value.path == str(path)
    path.write_text("format: nexus-ttx/1\nscenes: {}\n", encoding="utf-8")
    with pytest.raises(ScenarioInvalid):
        resume(store, ex.session_id, load_scenario)
    path.unlink()
    with pytest.raises(SessionScenarioMissing, match="--library DIR"):
        resume(store, ex.session_id, load_scenario, [tmp_path])


# -- session status ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ended,status",
    [(None, SessionStatus.ACTIVE), (EndReason.ENDING, "ended"), ("abandoned", "abandoned")],
)
def test_status_of(ended: str | None, status: str) -> None:
    assert status_of(ended) == status


def test_the_store_and_the_report_say_the_same_status(store) -> None:
    scenario = scenario_from_dict(convoy())
    ex = Exercise.start(store, scenario)

    def reported() -> str:
        return build_report(scenario, ex.session, ex.scores())["session"]["status"]

    assert reported() == store.session(ex.session_id).status == "active"
    ex.abandon()
    assert reported() == store.session(ex.session_id).status == "abandoned"


# -- taken and missed -------------------------------------------------------------------------


def test_decision_score_is_what_scoring_counts() -> None:
    scenario = scenario_from_dict(harbour())
    for scene in scenario.decisions:
        for choice in scene.choices:
            assert decision_score(scene, choice) == score_decision(scenario, scene.id, choice.id)
        assert decision_score(scene, None) == score_decision(scenario, scene.id, None)
