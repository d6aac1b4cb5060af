"""Role cards, timing profiles, on-demand injects and identify drills: format and model."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.check.validate import load_scenario, validate_file
from engine.core.model import Option, Scene, SceneKind

LAYERS = Path(__file__).resolve().parent / "fixtures" / "valid" / "layers.yaml"


def test_the_layers_fixture_builds_the_model() -> None:
    s = load_scenario(LAYERS)
    assert [r.id for r in s.roles] == ["police", "fiu"]
    assert s.role("fiu") is not None and s.role("fiu").agency == "Financial Intelligence Unit"
    assert [(t.name, t.total, t.decision) for t in s.timing] == [
        ("short", 45, 4),
        ("standard", 90, 8),
        ("long", 180, 15),
    ]
    leak = s.inject("press-leak")
    assert leak is not None and not leak.repeatable
    assert leak.effects == (("trust", -10),) and leak.set == (("leaked", 1),)
    assert leak.condition is not None and leak.condition.source == "trust >= 20"
    assert leak.private_for("police") == "Your own desk had the list."
    assert leak.private_for("fiu") is None
    assert s.inject("minister-calls").repeatable  # type: ignore[union-attr]
    drill = s.scene("spot-the-signs")
    assert drill.kind is SceneKind.IDENTIFY and drill.is_drill and not drill.is_scored
    assert drill.correct_options == {"gold-levy", "new-recruits", "joint-smuggling"}
    assert drill.private_for("fiu") and drill.private_for("police") is None
    assert s.scene("first-call").private_for("police") == "The informants are nervous."
    assert s.drills == (drill,)


def _drill(watch_points: tuple[str, ...], manifestations: tuple[str, ...] = ()) -> Scene:
    return Scene(
        "d", SceneKind.IDENTIFY, "", "", watch_points=watch_points, manifestations=manifestations
    )


@pytest.mark.parametrize(
    ("answer", "manifestations", "tags", "correct"),
    [
        (("corruption.3",), (), ("corruption.3",), True),
        (("corruption.3",), (), ("corruption.4",), False),
        (("corruption",), (), ("corruption.4",), True),  # a factor covers its indicators
        (("corruption",), (), ("corruption",), True),
        (("corruption.3",), (), ("corruption",), False),  # an indicator does not cover its factor
        (("recruitment",), ("alliances",), ("alliances",), True),
        (("recruitment",), (), ("alliances",), False),
        (("recruitment",), (), (), False),  # a distractor
        (("recruitment",), (), ("governance.1", "recruitment.2"), True),
    ],
)
def test_identify_correctness_rule(
    answer: tuple[str, ...], manifestations: tuple[str, ...], tags: tuple[str, ...], correct: bool
) -> None:
    assert _drill(answer, manifestations).is_correct(Option("o", "text", tags)) is correct


def _variant(tmp_path: Path, old: str, new: str) -> list[str]:
    text = LAYERS.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [d.code for d in validate_file(path).diagnostics if d.is_error]


def test_a_drill_needs_four_to_eight_options(tmp_path: Path) -> None:
    codes = _variant(
        tmp_path,
        "      - {id: joint-smuggling, text: Smugglers move the group's fuel, tags: [alliances]}\n",
        "",
    )
    assert codes == ["NTX106"]


def test_options_belong_to_drills_only(tmp_path: Path) -> None:
    codes = _variant(tmp_path, "    kind: identify\n", "    kind: narrative\n")
    assert codes and all(c.startswith("NTX1") for c in codes)


def test_inject_conditions_and_changes_are_checked_like_a_choices(tmp_path: Path) -> None:
    assert _variant(tmp_path, 'if: "trust >= 20"', 'if: "trst >= 20"') == ["NTX207"]
    assert _variant(tmp_path, 'if: "trust >= 20"', 'if: "trust >="') == ["NTX208"]
    assert _variant(tmp_path, "set: {leaked: 1}", "set: {leaks: 1}") == ["NTX207"]
    assert _variant(tmp_path, "watch_points: [corruption.4]", "watch_points: [corruption.9]") == [
        "NTX205"
    ]
    assert _variant(tmp_path, 'private: {police: "Your', 'private: {polce: "Your') == ["NTX231"]


def test_a_decision_longer_than_the_exercise(tmp_path: Path) -> None:
    assert _variant(tmp_path, "short: {total: 45, decision: 4}", "short: {total: 3, decision: 4}")[
        :1
    ] == ["NTX238"]
