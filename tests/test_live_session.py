"""The live room in the engine: joins, participants' votes, the hybrid tally, the reveal, the
facilitator's reasons, corrections, and scores per participant and for the room."""

from __future__ import annotations

import hashlib
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.model import scenario_from_dict
from engine.exercise.exercise import Exercise, NotTheMajority, TieNeedsPick
from engine.play import events as ev
from engine.play.room import NAME_MAX, clean_name, hybrid_tally, leaders_of
from engine.play.session import InvalidEvent, fold
from engine.store.sqlite import Store
from tests.scenarios.hand import harbour


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


@pytest.fixture(scope="module")
def harbour_s():
    return scenario_from_dict(harbour())


def token_hash(n: int) -> str:
    return hashlib.sha256(f"token-{n}".encode()).hexdigest()


def at_tip_off(store, scenario, **options) -> Exercise:
    ex = Exercise.start(
        store,
        scenario,
        mode="facilitated",
        teams=("A", "B", "C"),
        options={"order": "file", **options},  # the tallies below are listed in file order
    )
    ex.acknowledge()
    ex.acknowledge()
    assert ex.scene.id == "tip-off"
    return ex


def test_devices_vote_by_majority_tables_by_record(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    a1, a2, a3 = (ex.join(f"A{i}", "A", token_hash(i)) for i in range(3))
    b1 = ex.join("B1", "B", token_hash(10))
    ex.vote(a1.id, "share")
    ex.vote(a2.id, "share")
    ex.vote(a3.id, "leak")
    ex.vote(b1.id, "legal-review")
    ex.record_choice("C", "share")  # a table without devices
    tally = ex.session.live_tally()
    assert dict(tally.team_choice) == {"A": "share", "B": "legal-review", "C": "share"}
    assert dict(tally.team_source) == {"A": "devices", "B": "devices", "C": "recorded"}
    assert dict(tally.heads) == {"share": 2, "leak": 1, "legal-review": 1}
    assert ex.tally() == {"share": ("A", "C"), "legal-review": ("B",)}
    assert ex.majority() == "share"
    ex.vote(a1.id, "leak")  # changeable until the reveal: A is now leak 2, share 1
    assert ex.session.vote_of("A") == "leak"
    assert ex.session.leaders(harbour_s) == ("share", "legal-review", "leak")
    ex.reveal()
    with pytest.raises(InvalidEvent, match="revealed"):
        ex.vote(a1.id, "share")
    with pytest.raises(TieNeedsPick):
        ex.follow()
    ex.follow("share", reason="C's table argued it best")
    room = ex.session.decisions[0]
    assert (room.choice, room.how, room.reason) == (
        "share",
        "tie-break",
        "C's table argued it best",
    )
    assert dict(room.heads) == {a1.id: "leak", a2.id: "share", a3.id: "leak", b1.id: "legal-review"}
    kinds = [e.kind for e in ex.events()][-3:]
    assert kinds == [ev.TALLY_REVEALED, ev.ROOM_REASON, ev.GROUP_FOLLOWED]


def test_split_team_has_no_choice_and_heads_count(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s, count="heads")
    people = [ex.join(f"P{i}", team, token_hash(i)) for i, team in enumerate("AABBBC")]
    for person, choice in zip(
        people, ["share", "leak", "leak", "leak", "share", "share"], strict=True
    ):
        ex.vote(person.id, choice)
    tally = ex.session.live_tally()
    assert tally.team_source["A"] == "split" and tally.team_choice["A"] is None
    # teams: B leak, C share (tie); heads: share 3, leak 3 (tie) -> facilitator picks
    assert ex.session.pending_teams() == ("A",)
    with pytest.raises(TieNeedsPick):
        ex.follow()
    ex.vote(people[0].id, "leak")  # heads now leak 4, share 2
    assert ex.session.leaders(harbour_s) == ("leak",)
    ex.follow()
    assert ex.session.decisions[0].choice == "leak"


def test_override_records_reason_and_room_score_follows_it(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    for team in "ABC":
        ex.record_choice(team, "leak")
    with pytest.raises(NotTheMajority):
        ex.follow("share")
    ex.follow("share", override=True, reason="A leak would burn the source")
    assert ex.session.decisions[0].how == "override"
    assert ex.session.decisions[0].reason == "A leak would burn the source"
    assert ex.session.reasons[0].text == "A leak would burn the source"
    room = ex.room_score()
    assert room.decisions[0].choice == "share" and room.decisions[0].points == 2
    assert ex.score("A").decisions[0].harmful


def test_participant_scored_on_own_votes_since_joining(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    early = ex.join("Early", "A", token_hash(1))
    ex.vote(early.id, "share")
    ex.follow()
    late = ex.join("Late", "B", token_hash(2))
    ex.vote(late.id, "silence")
    ex.vote(early.id, "brief")
    ex.follow("brief", override=True)
    scores = ex.participant_scores()
    assert [d.choice for d in scores[early.id].decisions] == ["share", "brief"]
    assert [d.choice for d in scores[late.id].decisions] == ["silence"]
    assert scores[early.id].points == 2 and scores[early.id].possible == 3


def test_correct_a_vote_now_and_after_the_room_moved(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    p = ex.join("Pat", "A", token_hash(1))
    ex.record_choice("B", "leak")  # mis-keyed
    slip = ex.events()[-1].seq
    ex.correct(slip, choice="legal-review", text="B said legal review")
    assert ex.session.vote_of("B") == "legal-review"
    ex.record_choice("B", "share")
    with pytest.raises(InvalidEvent, match="replaced by a later"):
        ex.correct(slip)
    vote = ex.vote(p.id, "share")
    ex.record_choice("C", "share")
    ex.follow()
    ex.correct(vote.seq)  # Pat's vote undone after the room moved on: A had only Pat
    room = ex.session.decisions[0]
    assert dict(room.votes)["A"] is None and dict(room.heads) == {}
    assert room.choice == "share"  # the room's move stands
    fixes = ex.session.corrections
    assert [(c.target_kind, c.action, c.before, c.after) for c in fixes] == [
        (ev.CHOICE_MADE, "replace", "leak", "legal-review"),
        (ev.PARTICIPANT_VOTED, "undo", "share", None),
    ]
    assert ex.score("A").decisions[0].choice is None


def test_undo_the_last_room_move(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    for team, choice in zip("ABC", ["share", "share", "leak"], strict=True):
        ex.record_choice(team, choice)
    ex.follow()
    move = ex.events()[-1]
    assert move.kind == ev.GROUP_FOLLOWED and ex.scene.id == "press"
    ex.correct(move.seq, text="mis-keyed")
    assert ex.scene.id == "tip-off" and ex.session.revealed
    assert ex.session.decisions == () and ex.session.vote_of("C") == "leak"
    assert ex.session.corrections[-1].target_kind == ev.GROUP_FOLLOWED
    ex.follow("leak", override=True, reason="replay")
    assert ex.scene.id == "press" and ex.session.path[-2:] == ("tip-off", "press")
    with pytest.raises(InvalidEvent):
        ex.correct(move.seq)  # that move was undone already


def test_log_folds_back_to_the_same_session(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    p = ex.join("  Ann\x00\x1b[31m  ", "A", token_hash(1))
    assert p.name == "Ann [31m"
    ex.move(p.id, "B")
    ex.vote(p.id, "leak")
    ex.record_choice("A", "share")
    ex.follow("leak", override=True, reason="test")
    ex.correct(ex.events()[-1].seq)
    again = fold(harbour_s, store.events(ex.session_id))
    assert again == ex.session


def test_bad_live_events_are_refused(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    with pytest.raises(InvalidEvent, match="no team"):
        ex.join("Ann", "Z", token_hash(1))
    with pytest.raises(InvalidEvent, match="pseudonym"):
        ex.join("\x00\x01", "A", token_hash(1))
    p = ex.join("Ann", "A", token_hash(1))
    with pytest.raises(InvalidEvent, match="token"):
        ex.join("Bob", "A", token_hash(1))
    with pytest.raises(InvalidEvent, match="room is at"):
        ex.vote(p.id, "brief", scene="press")
    with pytest.raises(InvalidEvent, match="no participant"):
        ex.vote("p-nobody", "share")
    before = len(ex.events())
    with pytest.raises(InvalidEvent):
        ex.correct(1)
    assert len(ex.events()) == before


def test_old_logs_without_live_events_still_fold(store, harbour_s) -> None:
    ex = at_tip_off(store, harbour_s)
    ex.record_choice("A", "share")
    ex.record_choice("B", "share")
    ex.follow()
    again = fold(harbour_s, store.events(ex.session_id))
    assert again.decisions[0].votes == (("A", "share"), ("B", "share"), ("C", None))


def test_clean_name() -> None:
    assert clean_name("a\tb\nc\u202ed") == "a b c d"
    assert len(clean_name("x" * 100)) == NAME_MAX
    assert clean_name("<script>") == "<script>"  # escaping is each output's job


def test_wait_for_change_sees_another_connection(tmp_path, harbour_s) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as mine, Store(path) as theirs:
        ex = at_tip_off(mine, harbour_s)
        seq = mine.last_seq(ex.session_id)
        assert theirs.wait_for_change(ex.session_id, seq, timeout=0.05) == seq
        other = Exercise.resume(theirs, ex.session_id, harbour_s)
        writer = threading.Thread(target=lambda: other.record_choice("A", "share"))
        writer.start()
        assert mine.wait_for_change(ex.session_id, seq, timeout=10) == seq + 1
        writer.join()
        assert ex.refresh() and ex.session.vote_of("A") == "share"


votes_st = st.dictionaries(
    st.integers(0, 11), st.sampled_from(["share", "legal-review", "leak"]), max_size=12
)


@settings(max_examples=60, deadline=None)
@given(
    members=st.lists(st.sampled_from("ABC"), min_size=12, max_size=12),
    votes=votes_st,
    recorded=st.dictionaries(st.sampled_from("ABC"), st.sampled_from(["share", "leak"])),
)
def test_hybrid_tally_properties(members, votes, recorded) -> None:
    """Every head counts once; a team's choice is its record, else its unique plurality; the
    room's leaders hold the top count."""
    member_team = {f"p{i}": t for i, t in enumerate(members)}
    member_votes = {f"p{i}": c for i, c in votes.items()}
    tally = hybrid_tally(("A", "B", "C"), recorded, member_team, member_votes)
    assert sum(tally.heads.values()) == len(member_votes)
    for team in "ABC":
        if team in recorded:
            assert tally.team_choice[team] == recorded[team]
            continue
        mine = [c for p, c in member_votes.items() if member_team[p] == team]
        top = max((mine.count(c) for c in mine), default=0)
        tops = {c for c in mine if mine.count(c) == top}
        assert tally.team_choice[team] == (tops.pop() if len(tops) == 1 else None)
    for count in ("teams", "heads"):
        leaders = leaders_of(tally, count, ["share", "legal-review", "leak"])
        assert len(set(leaders)) == len(leaders)
