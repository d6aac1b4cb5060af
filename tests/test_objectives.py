"""Every built-in scenario states 2 to 4 objectives, each shown by practices it recommends."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.check.validate import load_scenario
from engine.play.scoring import practice_of

BUILT_IN = sorted(p for p in (Path(__file__).parents[1] / "scenarios").glob("*.yaml")
                  if p.name != "toolkit.yaml")  # fmt: skip


@pytest.mark.parametrize("path", BUILT_IN, ids=lambda p: p.stem)
def test_builtin_objectives(path: Path) -> None:
    scenario = load_scenario(path)
    assert 2 <= len(scenario.objectives) <= 4
    recommended = {practice_of(k) for s in scenario.decisions for k in s.recommended}
    for objective in scenario.objectives:
        assert objective.text.endswith(".") and len(objective.text) > 20
        assert set(objective.practices) <= recommended, objective.id
        assert set(objective.practices) <= set(scenario.good_practices), objective.id
