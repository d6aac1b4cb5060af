"""Choice order: one shuffle per session from a recorded seed, the same on every screen and
after resume; `order: fixed` and `--order file` keep the file's order; old logs still fold."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from engine.core.model import DecisionOrder, scenario_from_dict
from engine.exercise.exercise import Exercise
from engine.play import events as ev
from engine.play.order import SEED_BITS, displayed, permutation
from engine.play.session import InvalidEvent, fold
from engine.store.sqlite import Store
from tests.scenarios.hand import convoy, harbour

CONVOY = scenario_from_dict(convoy())
CALL = CONVOY.scenes["call"]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


def shown_ids(ex: Exercise) -> list[str]:
    return [c.id for c in ex.offered]


def test_permutation_is_a_function_of_seed_and_scene() -> None:
    assert permutation(7, CALL) == permutation(7, CALL)
    assert sorted(permutation(7, CALL)) == [0, 1, 2]
    assert permutation(None, CALL) == (0, 1, 2)  # no seed: file order
    orders = {permutation(seed, CALL) for seed in range(40)}
    assert len(orders) == 6  # every arrangement of three choices occurs: it does shuffle
    fixed = copy.deepcopy(convoy())
    fixed["scenes"]["call"]["order"] = "fixed"
    pinned = scenario_from_dict(fixed).scenes["call"]
    assert pinned.order is DecisionOrder.FIXED
    assert {permutation(seed, pinned) for seed in range(40)} == {(0, 1, 2)}


@given(
    st.integers(0, (1 << SEED_BITS) - 1), st.sets(st.sampled_from(["task-force", "raid", "wait"]))
)
def test_offered_choices_keep_their_places_in_the_session_order(seed, ids) -> None:
    """A choice hidden by its `if` leaves a gap: the others keep their relative order."""
    full = [c.id for c in displayed(seed, CALL)]
    offered = [c for c in CALL.choices if c.id in ids]
    assert [c.id for c in displayed(seed, CALL, offered)] == [i for i in full if i in ids]


def test_seed_is_recorded_and_a_seeded_session_is_reproducible(store) -> None:
    a = Exercise.start(store, CONVOY, seed=12345)
    b = Exercise.start(store, CONVOY, seed=12345)
    first = store.events(a.session_id)[0]
    assert first.kind == ev.SESSION_STARTED and first.data["seed"] == 12345
    a.acknowledge()
    b.acknowledge()
    assert shown_ids(a) == shown_ids(b) == [c.id for c in displayed(12345, CALL)]


def test_unseeded_sessions_draw_a_seed_and_record_it(store) -> None:
    seeds = {Exercise.start(store, CONVOY).seed for _ in range(5)}
    assert None not in seeds and len(seeds) > 1
    assert all(0 <= s < 1 << SEED_BITS for s in seeds)  # type: ignore[operator]


def test_order_is_stable_across_resume_and_identical_for_every_team(store) -> None:
    scenario = scenario_from_dict(harbour())
    ex = Exercise.start(store, scenario, mode="facilitated", teams=("A", "B", "C"), seed=99)
    while ex.scene.kind != "decision":
        ex.acknowledge()
    seen = shown_ids(ex)
    # another screen on the same session (a projector, a second terminal) and a resume
    other = Exercise.resume(store, ex.session_id, scenario)
    assert shown_ids(other) == seen
    reversed_votes = list(reversed(seen))
    for team, choice in zip(("A", "B", "C"), reversed_votes, strict=False):
        ex.record_choice(team, choice)
    voted = [c for c in seen if c in reversed_votes[:3]]
    assert list(ex.tally()) == voted  # the tally lists choices in the order shown
    again = Exercise.resume(store, ex.session_id, scenario)
    assert shown_ids(again) == seen


def test_file_order_session_records_no_seed(store) -> None:
    ex = Exercise.start(store, CONVOY, options={"order": "file"}, seed=5)
    first = store.events(ex.session_id)[0]
    assert first.data["seed"] is None and first.data["options"]["order"] == "file"
    ex.acknowledge()
    assert shown_ids(ex) == ["task-force", "raid", "wait"]


def test_sessions_recorded_before_shuffling_fold_in_file_order() -> None:
    data = {
        "scenario_id": CONVOY.id,
        "content_hash": CONVOY.content_hash,
        "mode": "solo",
        "teams": ["Solo"],
        "options": {"feedback": "immediate"},
        "start": CONVOY.start,
    }  # no "seed": the shape of every log written before sessions were shuffled
    events = [
        ev.make_event(1, "old", ev.SESSION_STARTED, data),
        ev.make_event(2, "old", ev.SCENE_ENTERED, {"scene": "call"}),
    ]
    session = fold(CONVOY, events)
    assert session.seed is None
    assert [c.id for c in session.shown(CONVOY)] == ["task-force", "raid", "wait"]


@pytest.mark.parametrize(
    "seed, options",
    [
        (-1, {}),
        (True, {}),
        ("7", {}),
        (1 << SEED_BITS, {}),
        (3, {"order": "file"}),
        (None, {"order": "x"}),
    ],
)
def test_bad_seeds_and_orders_are_refused(seed, options) -> None:
    data = {
        "scenario_id": CONVOY.id,
        "content_hash": CONVOY.content_hash,
        "mode": "solo",
        "teams": ["Solo"],
        "options": options,
        "start": CONVOY.start,
        "seed": seed,
    }
    with pytest.raises(InvalidEvent):
        fold(CONVOY, [ev.make_event(1, "bad", ev.SESSION_STARTED, data)])


def test_room_decisions_keep_the_order_shown(store) -> None:
    ex = Exercise.start(store, CONVOY, seed=2024)
    ex.acknowledge()
    seen = shown_ids(ex)
    ex.choose("task-force")
    assert ex.session.decisions[0].shown == tuple(seen)


def test_schema_accepts_order_on_decisions_only(tmp_path: Path) -> None:
    from engine.check.validate import validate_file

    doc = copy.deepcopy(convoy())
    doc["scenes"]["call"]["order"] = "fixed"
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    assert validate_file(good).scenario is not None
    doc["scenes"]["briefing"]["order"] = "fixed"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    assert validate_file(bad).scenario is None
    doc["scenes"]["briefing"].pop("order")
    doc["scenes"]["call"]["order"] = "random"
    bad.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    assert validate_file(bad).scenario is None


async def test_number_keys_count_the_displayed_order_in_the_tui(tmp_path: Path) -> None:
    """With a seed that moves task-force off the top, key 1 takes what is shown first, and the
    play screen lists the choices in that order."""
    from tui.app import NexusApp
    from tui.launch import Launch, PlaySetup

    seed = next(s for s in range(100) if displayed(s, CALL)[0].id != "task-force")
    order = [c.id for c in displayed(seed, CALL)]
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(convoy(), sort_keys=False), encoding="utf-8")
    setup = PlaySetup("solo", ("Solo",), "debrief", None, seed=seed)
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=path, setup=setup)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert [c.id for c in screen.offered] == order
        text = app.screen_text()
        positions = [text.index(CALL.choice(i).text) for i in order]
        assert positions == sorted(positions)
        await pilot.press("1", "enter")
        await pilot.pause()
        assert screen.exercise.session.decisions[0].choice == order[0]
        assert screen.exercise.seed == seed
