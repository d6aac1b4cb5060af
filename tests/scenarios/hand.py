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
            "briefing": {"kind": "narrative", "title": "Briefing", "text": "Go.", "next": "call"},
            "call": {
                "kind": "decision",
                "title": "First call",
                "text": "Decide.",
                "recommended": ["GP21.S4", "GP8.S4"],
                "choices": [
                    {
                        "id": "task-force",
                        "text": "Task force",
                        "enacts": ["GP21.S4", "GP8.S4"],
                        "effects": {"trust": -5},
                        "next": "border",
                    },
                    {
                        "id": "raid",
                        "text": "Raid",
                        "harmful": True,
                        "feedback": "No.",
                        "enacts": ["GP21.S4"],
                        "effects": {"trust": -30},
                        "set": {"raided": 1},
                        "next": [{"if": "trust < 30", "goto": "riot"}, {"goto": "border"}],
                    },
                    {"id": "wait", "text": "Wait", "effects": {"trust": 10}, "next": "border"},
                ],
            },
            "border": {
                "kind": "decision",
                "title": "Border",
                "text": "Decide again.",
                "recommended": ["GP25.S1"],
                "choices": [
                    {
                        "id": "community-watch",
                        "text": "Community watch",
                        "if": "trust >= 50",
                        "enacts": ["GP25.S1", "GP13.S1"],
                        "next": "calm",
                    },
                    {"id": "checkpoint", "text": "Checkpoint", "next": "stalemate"},
                ],
            },
            "riot": {"kind": "ending", "title": "Riot", "text": "Bad.", "outcome": "failure"},
            "calm": {"kind": "ending", "title": "Calm", "text": "Good.", "outcome": "success"},
            "stalemate": {
                "kind": "ending",
                "title": "Stalemate",
                "text": "Meh.",
                "outcome": "partial",
            },
        },
    }


# --- analysis (issue 4): documents whose exact bounds were worked out by hand ---------------


def _analysis_doc(
    doc_id: str,
    practices: list[str],
    scenes: dict[str, Any],
    variables: dict[str, Any] | None = None,
    start: str = "brief",
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "nexus-ttx/1",
        "id": doc_id,
        "title": doc_id.replace("-", " ").title(),
        "summary": "Analysis test scenario.",
        "region": "Sahel",
        "environment": "post-conflict",
        "manifestations": ["alliances"],
        "watch_points": ["corruption"],
        "good_practices": practices,
        "start": start,
        "scenes": scenes,
    }
    if variables:
        doc["variables"] = variables
    return doc


def _end(outcome: str) -> dict[str, Any]:
    return {"kind": "ending", "title": outcome.title(), "text": "End.", "outcome": outcome}


def ratio_trap() -> dict[str, Any]:
    """The path with the most points is not the best, nor the one with the fewest the worst.

    d1: R = {GP21.S4, GP8.S4};  d2: R = {GP25.S1, GP13.S1, GP3.S1}
      quick                 2/2 = 100%    <- best alignment (only 2 points)
      partial               1/2 =  50%
      careful, thorough     4/5 =  80%    <- most points
      careful, minimal      1/5 =  20%    <- worst alignment (as many points as `partial`)
    """
    return _analysis_doc(
        "ratio-trap",
        ["GP21", "GP8", "GP25", "GP13", "GP3"],
        {
            "brief": {"kind": "narrative", "title": "Brief", "text": "Go.", "next": "d1"},
            "d1": {
                "kind": "decision",
                "title": "D1",
                "text": "Decide.",
                "recommended": ["GP21.S4", "GP8.S4"],
                "choices": [
                    {
                        "id": "quick",
                        "text": "Quick",
                        "enacts": ["GP21.S4", "GP8.S4"],
                        "next": "good",
                    },
                    {"id": "careful", "text": "Careful", "enacts": ["GP21.S4"], "next": "d2"},
                    {"id": "partial", "text": "Partial", "enacts": ["GP8.S4"], "next": "ok"},
                ],
            },
            "d2": {
                "kind": "decision",
                "title": "D2",
                "text": "Decide again.",
                "recommended": ["GP25.S1", "GP13.S1", "GP3.S1"],
                "choices": [
                    {
                        "id": "thorough",
                        "text": "Thorough",
                        "enacts": ["GP25.S1", "GP13.S1", "GP3.S1"],
                        "next": "good",
                    },
                    {"id": "minimal", "text": "Minimal", "next": "ok"},
                ],
            },
            "good": _end("success"),
            "ok": _end("partial"),
        },
    )


def hidden_best() -> dict[str, Any]:
    """The best choice is hidden unless `trust` was raised earlier (at the cost of a point).

    d1: R = {GP21.S4}: build-trust (trust +20, enacts nothing) or act (enacts GP21.S4).
    d2: R = {GP25.S1, GP13.S1, GP3.S1}: joint (if trust >= 50; enacts all three) or solo
        (enacts GP25.S1). trust starts at 40.
      build-trust, joint   3/4 = 75%   <- best; a greedy player (act first) never sees `joint`
      act, solo            2/4 = 50%
      build-trust, solo    1/4 = 25%   <- worst
    """
    return _analysis_doc(
        "hidden-best",
        ["GP21", "GP25", "GP13", "GP3"],
        {
            "brief": {"kind": "narrative", "title": "Brief", "text": "Go.", "next": "d1"},
            "d1": {
                "kind": "decision",
                "title": "D1",
                "text": "Decide.",
                "recommended": ["GP21.S4"],
                "choices": [
                    {
                        "id": "build-trust",
                        "text": "Build trust",
                        "effects": {"trust": 20},
                        "next": "d2",
                    },
                    {"id": "act", "text": "Act", "enacts": ["GP21.S4"], "next": "d2"},
                ],
            },
            "d2": {
                "kind": "decision",
                "title": "D2",
                "text": "Decide again.",
                "recommended": ["GP25.S1", "GP13.S1", "GP3.S1"],
                "choices": [
                    {
                        "id": "joint",
                        "text": "Joint",
                        "if": "trust >= 50",
                        "enacts": ["GP25.S1", "GP13.S1", "GP3.S1"],
                        "next": "good",
                    },
                    {"id": "solo", "text": "Solo", "enacts": ["GP25.S1"], "next": "ok"},
                ],
            },
            "good": _end("success"),
            "ok": _end("partial"),
        },
        variables={"trust": {"label": "Trust", "initial": 40, "min": 0, "max": 100}},
    )


def harmful_shortcut() -> dict[str, Any]:
    """Harmful choices enact recommended key actions, and earn nothing for them.

    d1: R = {GP21.S4, GP8.S4}: raid (harmful, enacts both) -> riot; liaise (GP21.S4); wait.
    d2: R = {GP25.S1}: report (GP25.S1) or shortcut (harmful, GP25.S1).
      raid                  0/2 =  0%   (harmful)
      liaise, report        2/3 = 67%   <- best (66.67)
      liaise, shortcut      1/3 = 33%
      wait, report          1/3 = 33%
      wait, shortcut        0/3 =  0%   <- worst (ties with raid)
    GP8.S4 is recommended but only the harmful raid enacts it: never enactable.
    """
    return _analysis_doc(
        "harmful-shortcut",
        ["GP21", "GP8", "GP25"],
        {
            "brief": {"kind": "narrative", "title": "Brief", "text": "Go.", "next": "d1"},
            "d1": {
                "kind": "decision",
                "title": "D1",
                "text": "Decide.",
                "recommended": ["GP21.S4", "GP8.S4"],
                "choices": [
                    {
                        "id": "raid",
                        "text": "Raid",
                        "harmful": True,
                        "feedback": "No.",
                        "enacts": ["GP21.S4", "GP8.S4"],
                        "next": "riot",
                    },
                    {"id": "liaise", "text": "Liaise", "enacts": ["GP21.S4"], "next": "d2"},
                    {"id": "wait", "text": "Wait", "next": "d2"},
                ],
            },
            "d2": {
                "kind": "decision",
                "title": "D2",
                "text": "Decide again.",
                "recommended": ["GP25.S1"],
                "choices": [
                    {"id": "report", "text": "Report", "enacts": ["GP25.S1"], "next": "good"},
                    {
                        "id": "shortcut",
                        "text": "Shortcut",
                        "harmful": True,
                        "feedback": "No.",
                        "enacts": ["GP25.S1"],
                        "next": "good",
                    },
                ],
            },
            "riot": _end("failure"),
            "good": _end("success"),
        },
    )


def harbour() -> dict[str, Any]:
    """Three decisions (one unscored), a narrative and an inject; built for a three-team session.

    tip-off: R = {GP3.S1, GP21.S4, GP1.S1} (research, capacity building, legal)
      share         enacts GP3.S1, GP21.S4          -> 2/3; trust +10
      legal-review  enacts GP1.S1, GP16.S1          -> 1/3; GP16.S1 "also enacted"
      leak (harmful) enacts GP21.S4                 -> 0/3 (harmful); trust -20
    press: unscored (no `recommended`): brief | silence; adds nothing to possible.
    community: R = {GP13.S1, GP14.S1} (both local engagement)
      outreach (if trust >= 50) enacts GP13.S1, GP14.S1 -> 2/2 -> ending `good` (success)
      meeting enacts GP13.S1                        -> 1/2 -> ending `mixed` (partial)
      curfew (harmful) enacts nothing               -> 0/2 -> ending `bad` (failure)

    Facilitated, teams A, B, C:
      tip-off: A share, B legal-review, C leak -> three-way tie; the facilitator picks `share`
               (tie-break); trust 50 -> 60.
      press: A brief, B brief, C silence -> majority `brief`.
      community: A outreach, B outreach, C curfew -> majority `outreach` -> `good` (success).
      A: 2/3 + 2/2 = 4/5 = 80%; harmful 0.
         by area: legal 0/1, research 1/1, local 2/2, capacity 1/1
      B: 1/3 + 2/2 = 3/5 = 60%; harmful 0; also enacted GP16.S1.
         by area: legal 1/1, research 0/1, local 2/2, capacity 0/1
      C: 0/3 + 0/2 = 0/5 = 0%; harmful 2 (leak, curfew) even though leak enacts GP21.S4.
         by area: legal 0/1, research 0/1, local 0/2, capacity 0/1
      path: intro, alert, tip-off, press, community, good.
    Solo: legal-review, silence, meeting -> 1/3 + 1/2 = 2/5 = 40%, ending `mixed` (partial).
    Solo: leak, brief -> trust 30 hides outreach; then meeting -> 0/3 + 1/2 = 1/5 = 20%, 1 harmful.
    """

    def ending(title: str, outcome: str) -> dict[str, Any]:
        return {"kind": "ending", "title": title, "text": f"{title}.", "outcome": outcome}

    return {
        "format": "nexus-ttx/1",
        "id": "harbour",
        "title": "Harbour",
        "summary": "Test scenario for facilitated play.",
        "region": "Gulf of Guinea",
        "environment": "transitional",
        "manifestations": ["alliances"],
        "watch_points": ["corruption"],
        "good_practices": ["GP1", "GP3", "GP13", "GP14", "GP21"],
        "variables": {"trust": {"label": "Trust", "initial": 50, "min": 0, "max": 100}},
        "start": "intro",
        "scenes": {
            "intro": {
                "kind": "narrative",
                "title": "Intro",
                "text": "A *port* city.",
                "next": "alert",
            },
            "alert": {
                "kind": "inject",
                "title": "Alert",
                "text": "A tip arrives.",
                "next": "tip-off",
            },
            "tip-off": {
                "kind": "decision",
                "title": "Tip-off",
                "text": "What now?",
                "recommended": ["GP3.S1", "GP21.S4", "GP1.S1"],
                "choices": [
                    {
                        "id": "share",
                        "text": "Share with the FIU",
                        "enacts": ["GP3.S1", "GP21.S4"],
                        "effects": {"trust": 10},
                        "next": "press",
                    },
                    {
                        "id": "legal-review",
                        "text": "Ask for a legal review",
                        "enacts": ["GP1.S1", "GP16.S1"],
                        "next": "press",
                    },
                    {
                        "id": "leak",
                        "text": "Leak it to the press",
                        "harmful": True,
                        "feedback": "Leaks endanger sources.",
                        "enacts": ["GP21.S4"],
                        "effects": {"trust": -20},
                        "next": "press",
                    },
                ],
            },
            "press": {
                "kind": "decision",
                "title": "Press",
                "text": "Journalists call.",
                "choices": [
                    {"id": "brief", "text": "Brief them", "next": "community"},
                    {"id": "silence", "text": "Say nothing", "next": "community"},
                ],
            },
            "community": {
                "kind": "decision",
                "title": "Community",
                "text": "The docks are tense.",
                "recommended": ["GP13.S1", "GP14.S1"],
                "choices": [
                    {
                        "id": "outreach",
                        "text": "Outreach",
                        "if": "trust >= 50",
                        "enacts": ["GP13.S1", "GP14.S1"],
                        "next": "good",
                    },
                    {
                        "id": "meeting",
                        "text": "Town meeting",
                        "enacts": ["GP13.S1"],
                        "next": "mixed",
                    },
                    {
                        "id": "curfew",
                        "text": "Curfew",
                        "harmful": True,
                        "feedback": "Collective punishment.",
                        "next": "bad",
                    },
                ],
            },
            "good": ending("Good", "success"),
            "mixed": ending("Mixed", "partial"),
            "bad": ending("Bad", "failure"),
        },
    }
