"""`nexus-ttx handout`: the situation manual keeps the facilitator-only layer out, a role card
holds only its own role's information, the facilitator guide holds it all, the schedule adds up,
and the number of modules a path meets is exact (worked out by hand)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from engine.analysis.statespace import explore
from engine.check.validate import load_scenario
from engine.core.model import TimingProfile, scenario_from_dict
from engine.report.handout import Reach, build_handout, modules_reached, schedule
from engine.toolkit.catalog import load_catalog
from tests.scenarios.hand import convoy

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "tests" / "fixtures" / "valid" / "layers.yaml"
SAHEL = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"


def _facilitator_only(path: Path) -> list[str]:
    """Texts participants must not see before play: feedback, prompts, key-action ids, answers."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    secret: list[str] = []
    for scene in doc["scenes"].values():
        secret += scene.get("discussion", []) + scene.get("recommended", [])
        for c in scene.get("choices", []):
            secret += ([c["feedback"]] if c.get("feedback") else []) + c.get("enacts", [])
    return secret


def test_the_situation_manual_keeps_the_facilitator_layer_out(cli) -> None:
    done = cli("handout", "sahel-gold-and-fuel", "--format", "md")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    for section in (
        "Scope",
        "Objectives",
        "Ground rules",
        "Artificialities and assumptions",
        "Modules and timings",
        "Briefing",
        "Glossary",
    ):
        assert f"## {section}" in text
    leaked = [s for s in _facilitator_only(SAHEL) if s in text]
    assert not leaked, leaked[:3]
    assert "harmful" not in text.lower()


def test_the_facilitator_guide_has_prompts_watch_points_and_key_actions(cli) -> None:
    text = cli("handout", str(SAHEL), "--facilitator", "--format", "md").stdout
    doc = yaml.safe_load(SAHEL.read_text(encoding="utf-8"))
    decisions = [s for s in doc["scenes"].values() if s["kind"] == "decision"]
    assert text.count("### Module ") == len(decisions)
    first = decisions[0]
    assert first["discussion"][0].split()[0] in text
    assert all(k in text for k in first["recommended"])
    assert "Key actions the toolkit recommends" in text and "Watch points to listen for" in text


def test_a_role_card_holds_its_own_information_only(cli) -> None:
    police = cli("handout", str(LAYERS), "--role", "police", "--format", "md").stdout
    assert "You run the investigation" in police  # its brief
    assert "The informants are nervous." in police and "Your own desk had the list." in police
    assert "Three reports name the same gold buyer." not in police  # the FIU's
    assert "The levy payments go through a money transfer shop." not in police
    assert "You hold suspicious transaction reports" not in police  # the FIU's brief
    guide = cli("handout", str(LAYERS), "--facilitator", "--format", "md").stdout
    for secret in (
        "Three reports name the same gold buyer.",
        "The informants are nervous.",
        "You hold suspicious transaction reports",
    ):
        assert secret in guide
    assert (
        "levy — present" in guide and "early — distractor" in guide
    )  # the drill's answer, facilitator only
    assert "— present" not in police and "— distractor" not in police


def test_timing_profiles_set_the_schedule(cli) -> None:
    short = cli("handout", str(LAYERS), "--timing", "short", "--format", "md").stdout
    assert "Timing profile: short (45 minutes)." in short
    assert re.search(r"2 decision points, 4 minutes each \| 8 \|", short)


def test_unknown_role_or_profile_is_a_usage_error(cli) -> None:
    role = cli("handout", str(LAYERS), "--role", "customs")
    assert role.returncode == 2
    assert "no role 'customs' in this scenario (roles: police, fiu)" in role.stderr
    timing = cli("handout", str(LAYERS), "--timing", "marathon")
    assert timing.returncode == 2
    assert (
        "no timing profile 'marathon'" in timing.stderr and "short, standard, long" in timing.stderr
    )
    assert "Traceback" not in role.stderr + timing.stderr


def test_content_is_escaped_in_html(cli, tmp_path: Path) -> None:
    doc = yaml.safe_load(LAYERS.read_text(encoding="utf-8"))
    doc["title"] = "<script>alert(1)</script> Gold"
    doc["roles"][0]["brief"] = "<img src=x onerror=alert(1)> brief"
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    html = cli("handout", str(path), "--facilitator").stdout
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Gold" in html


def test_modules_reached_is_exact_on_hand_worked_scenarios() -> None:
    # convoy: task-force or wait lead to `border` (2 decisions), raid ends at `riot` (1)
    assert modules_reached(explore(scenario_from_dict(convoy()))) == Reach(1, 2)
    # layers: the identify drill, then one decision, on every path
    assert modules_reached(explore(load_scenario(LAYERS))) == Reach(2, 2)


def test_the_facilitator_guide_lists_modules_nearest_the_start_first() -> None:
    scenario = load_scenario(LAYERS)
    reach = modules_reached(explore(scenario))
    doc = build_handout(scenario, load_catalog(), reach, audience="facilitator")
    assert [m["id"] for m in doc["modules"]] == ["spot-the-signs", "first-call"]
    assert [i["id"] for i in doc["injects"]] == ["press-leak", "minister-calls"]
    assert doc["injects"][0]["effects"] == ["trust -10", "leaked = 1"]


@given(
    total=st.integers(1, 600),
    per=st.integers(1, 60),
    fewest=st.integers(0, 12),
    extra=st.integers(0, 6),
)
def test_the_schedule_adds_up(total: int, per: int, fewest: int, extra: int) -> None:
    s = schedule(TimingProfile("p", total, per), Reach(fewest, fewest + extra))
    assert sum(r["minutes"] for r in s["rows"]) == s["planned"]
    assert s["over"] == max(0, s["planned"] - total)
    assert s["rows"][1]["minutes"] == per * (fewest + extra)
    if per * (fewest + extra) + 20 <= total:
        assert s["planned"] == total  # when it fits, the agenda fills the profile exactly


def test_the_handout_speaks_the_chosen_language(cli) -> None:
    text = cli("handout", str(LAYERS), "--lang", "fr", "--format", "md").stdout
    for words in (
        "Manuel de situation",
        "## Règles du jeu",
        "## Artifices et hypothèses",
        "## Modules et minutage",
        "Réservé à l'exercice.",
    ):
        assert words in text
    assert "Ground rules" not in text
