"""Small hand-built scenario documents whose scores were worked out by hand (see each docstring)."""

from __future__ import annotations

from typing import Any


def convoy() -> dict[str, Any]:
    """Two scored decisions and a conditional branch.

    call: R = {GP21.S4, GP8.S4}
      task-force enacts GP21.S4, GP8.S4 -> 2/2; trust -5 -> 45
      raid (harmful) enacts GP21.S4 -> 0 points (harmful); trust -30 -> 20; raided = 1
      wait enacts nothing -> 0/2; trust +10 -> 60
    then raid with trust < 30 goes to `riot` (ending, failure); otherwise to `border`.
    border: R = {GP25.S1}; only when trust >= 50 is `community-watch` offered (enacts GP25.S1,
      GP13.S1 -> 1/1, GP13.S1 "also enacted"); `checkpoint` enacts nothing -> 0/1.
    Paths:  task-force, checkpoint -> 2/3 = 66.67%  (trust 45 hides community-watch)
            wait, community-watch  -> 1/3 = 33.33%
            wait, checkpoint       -> 0/3 = 0%
            raid                    -> 0/2 = 0%, one harmful choice, ending riot
    """
    return {
        "format": "nexus-ttx/1",
        "id": "convoy",
        "title": "Convoy",
        "summary": "Test scenario.",
        "region": "Sahel",
        "environment": "post-conflict",
        "manifestations": ["alliances"],
        "watch_points": ["corruption"],
        "good_practices": ["GP21", "GP8", "GP25"],
        "variables": {
            "trust": {"label": "Community trust", "initial": 50, "min": 0, "max": 100},
            "raided": {"label": "Raided", "initial": 0, "min": 0, "max": 1},
        },
        "start": "briefing",
        "scenes": {
            "briefing": {"kind": "narrative", "title": "Briefing", "text": "Go.",
                         "next": "call"},
            "call": {
                "kind": "decision", "title": "First call", "text": "Decide.",
                "recommended": ["GP21.S4", "GP8.S4"],
                "choices": [
                    {"id": "task-force", "text": "Task force", "enacts": ["GP21.S4", "GP8.S4"],
                     "effects": {"trust": -5}, "next": "border"},
                    {"id": "raid", "text": "Raid", "harmful": True, "feedback": "No.",
                     "enacts": ["GP21.S4"], "effects": {"trust": -30}, "set": {"raided": 1},
                     "next": [{"if": "trust < 30", "goto": "riot"}, {"goto": "border"}]},
                    {"id": "wait", "text": "Wait", "effects": {"trust": 10}, "next": "border"},
                ],
            },
            "border": {
                "kind": "decision", "title": "Border", "text": "Decide again.",
                "recommended": ["GP25.S1"],
                "choices": [
                    {"id": "community-watch", "text": "Community watch", "if": "trust >= 50",
                     "enacts": ["GP25.S1", "GP13.S1"], "next": "calm"},
                    {"id": "checkpoint", "text": "Checkpoint", "next": "stalemate"},
                ],
            },
            "riot": {"kind": "ending", "title": "Riot", "text": "Bad.", "outcome": "failure"},
            "calm": {"kind": "ending", "title": "Calm", "text": "Good.", "outcome": "success"},
            "stalemate": {"kind": "ending", "title": "Stalemate", "text": "Meh.",
                          "outcome": "partial"},
        },
    }
