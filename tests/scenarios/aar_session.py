"""A 9-decision scenario and a 3-team facilitated session over it with everything an
after-action report shows: votes, ties, overrides with reasons, a timer expiry, a correction
of a team's vote, observations, feedback and an improvement plan.

Key actions are real catalog ids, so the report resolves their texts, key actors and standards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from engine.core.model import Scenario, scenario_from_dict
from engine.exercise.exercise import Exercise
from engine.store.sqlite import Store

PRACTICES = ("GP3", "GP8", "GP13", "GP14", "GP20", "GP21", "GP23", "GP24", "GP25")
TEAMS = ("Table 1 (Bamako)", "Table 2 (Niamey)", "Table 3 (Ouagadougou)")
# per decision: (team choices, how the room moves: None = majority, or (choice, reason))
PLAY: tuple[tuple[tuple[str, str, str], tuple[str, str] | None], ...] = (
    (("best", "best", "partial"), None),
    (("partial", "best", "harm"), ("best", "Three-way split; the ministry's protocol decides.")),
    (("best", "partial", "partial"), None),
    (("harm", "harm", "best"), ("best", "The raid would breach the detainees' rights.")),
    (("partial", "partial", "best"), None),
    (("best", "best", "best"), None),
    (("partial", "harm", "best"), ("partial", "Tie: the judge's availability decides.")),
    (("best", "partial", "best"), None),
    (("partial", "best", "partial"), None),
)


def nine_decisions(catalog: Any) -> dict[str, Any]:
    scenes: dict[str, Any] = {
        "briefing": {
            "kind": "narrative",
            "title": "Briefing",
            "text": "Gold, fuel and weapons move along the same routes.",
            "next": "d1",
        }
    }
    for n, gp in enumerate(PRACTICES, start=1):
        kas = [k.id for k in catalog.practice(gp).key_actions[:2]]
        nxt = f"d{n + 1}" if n < len(PRACTICES) else "end-good"
        scenes[f"d{n}"] = {
            "kind": "decision",
            "title": f"Decision {n}: {catalog.practice(gp).short_title}",
            "text": f"The situation develops (step {n}).",
            "recommended": kas,
            "choices": [
                {
                    "id": "best",
                    "text": f"Bring in every agency concerned and act on {gp} in full, "
                    "with a written record of what was agreed",
                    "enacts": kas,
                    "next": nxt,
                },
                {
                    "id": "partial",
                    "text": "Take the first step now and leave the rest to the next meeting "
                    "of the coordination committee",
                    "enacts": kas[:1],
                    "next": nxt,
                },
                {
                    "id": "harm",
                    "text": "Act alone and fast, without a warrant or a word to partners",
                    "harmful": True,
                    "feedback": "This breaches due process and alienates partners.",
                    "next": nxt,
                },
            ],
        }
    scenes["end-good"] = {
        "kind": "ending",
        "title": "The network's finances are mapped",
        "text": "Prosecutions follow.",
        "outcome": "success",
    }
    return {
        "format": "nexus-ttx/1",
        "id": "nine-decisions",
        "title": "Nine Decisions on the Corridor",
        "summary": "A test exercise of nine decisions along a trafficking corridor.",
        "region": "Sahel",
        "environment": "post-conflict",
        "manifestations": ["alliances"],
        "watch_points": ["corruption"],
        "good_practices": list(PRACTICES),
        "objectives": [
            {
                "id": "share",
                "text": "Share intelligence across agencies and borders.",
                "practices": ["GP3", "GP8"],
            },
            {
                "id": "communities",
                "text": "Engage the communities along the corridor.",
                "practices": ["GP13", "GP14"],
            },
            {
                "id": "money",
                "text": "Follow the money to the network's organisers.",
                "practices": ["GP21"],
            },
            {
                "id": "justice",
                "text": "Prosecute and detain within the rule of law.",
                "practices": ["GP23", "GP24", "GP25"],
            },
        ],
        "start": "briefing",
        "scenes": scenes,
    }


def play_session(store: Store, scenario: Scenario, path: Path | None = None) -> Exercise:
    """The room's whole exercise, then the write-up."""
    ex = Exercise.start(
        store,
        scenario,
        mode="facilitated",
        teams=TEAMS,
        options={"name": "Corridor TTX 2026"},
        scenario_path=str(path) if path else None,
    )
    ex.acknowledge()
    for n, (choices, move) in enumerate(PLAY, start=1):
        for team, choice in zip(TEAMS, choices, strict=True):
            ex.record_choice(team, choice)
        if n == 3:
            ex.timer_expired(300)
        if n == 5:  # Table 3's vote was recorded wrongly: corrected, not rewritten
            ex.correct(ex.session.seq, choice="partial", text="Table 3 meant the committee option")
        if move is None:
            ex.follow()
            continue
        choice, reason = move
        leaders = ex.session.leaders(scenario)
        how = "tie-break" if len(leaders) > 1 and choice in leaders else "override"
        ex.follow(choice, override=how == "override", reason=reason)
    _write_up(ex)
    return ex


def _write_up(ex: Exercise) -> None:
    t1, t2, t3 = TEAMS
    ex.add_observation(
        "Table 1 named the FIU liaison within the first minutes and shared the tip.",
        team=t1, objective="share", practice="GP8", rating="P", by="Evaluator A",
    )  # fmt: skip
    ex.add_observation(
        "No table asked for the community's own account of the convoy attack.",
        objective="communities", practice="GP13", rating="M", by="Evaluator B",
    )  # fmt: skip
    ex.add_observation(
        "Tables 1 and 2 wanted to raid before any financial enquiry.",
        team=t2, practice="GP21", rating="U", by="Evaluator A",
    )  # fmt: skip
    ex.add_observation(
        "Good use of the prison intelligence unit.", practice="GP24", rating="S",
        by="Evaluator B",
    )  # fmt: skip
    ex.give_feedback(
        {"share": 4, "communities": 3, "money": 4, "justice": 5},
        "The injects felt real.", "More time for the money-laundering decision.", team=t1,
    )  # fmt: skip
    ex.give_feedback({"share": 5, "communities": 2, "money": 3}, "Mixed tables.", team=t2)
    ex.give_feedback({"share": 3, "justice": 4}, change="A map of the corridor.", team=t3)
    ex.add_plan_item(
        "No standing channel between the FIU and border police.",
        action="Sign a data-sharing memorandum and name liaison officers.",
        practice="GP8", objective="share", organisation="Ministry of Interior",
        contact="Director, FIU", start="2026-01-15", completion="2026-06-30",
    )  # fmt: skip
    ex.add_plan_item(
        "Communities along the corridor are not consulted.",
        action="Quarterly dialogue with traditional leaders and women's associations.",
        practice="GP13", objective="communities", organisation="Governorate of Gao",
        contact="Community liaison officer", start="2026-02-01", completion="2026-12-31",
    )  # fmt: skip
    ex.add_plan_item(
        "Financial enquiries start too late.",
        action="Open a parallel financial investigation with every seizure.",
        practice="GP21", objective="money", organisation="Office of the Prosecutor",
        contact="Chief prosecutor", start="2026-03-01", completion="2026-09-30",
    )  # fmt: skip


def build(store: Store, catalog: Any, folder: Path | None = None) -> Exercise:
    """Play the session; with `folder`, from a scenario file written there (as the CLI needs)."""
    if folder is None:
        return play_session(store, scenario_from_dict(nine_decisions(catalog)))
    from engine.check.validate import load_scenario

    path = folder / "nine-decisions.yaml"
    path.write_text(yaml.safe_dump(nine_decisions(catalog), sort_keys=False), encoding="utf-8")
    return play_session(store, load_scenario(path), path)
