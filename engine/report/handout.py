"""The situation manual and the facilitator guide of a scenario, as one document each.

HSEEP gives a discussion-based exercise two printed companions. The situation manual (SitMan)
is the participants' handout: scope, objectives, ground rules, artificialities and assumptions,
the modules with their timings, the roles, the briefing they start from, and a glossary. It
never shows what the facilitator-only layer holds (recommended and enacted key actions, harmful
marks, feedback, discussion prompts, the answers of identify drills, or another role's private
information). The facilitator guide adds, per module, the scene, its timing, the discussion
prompts, the watch points to listen for, the key actions the toolkit recommends there, every
role's private information, and the on-demand injects.

`build_handout` returns plain data (lists and dicts of strings and numbers) that the Markdown
and HTML renderers (`handout_md`, `handout_html`) only lay out, like the after-action report.
Pure: the scenario, the catalog and the counts of discussion points come in, nothing is read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from engine.analysis.statespace import StateSpace
from engine.core.i18n import N_, _
from engine.core.model import Scenario, Scene, SceneKind, TimingProfile
from engine.report.handout_types import (
    AgendaRow,
    Audience,
    ChoiceItem,
    Handout,
    InjectItem,
    KeyActionItem,
    Module,
    ObjectiveItem,
    PrivateText,
    RoleCard,
    RoleItem,
    Schedule,
    Scope,
    Term,
    WatchPointItem,
)
from engine.toolkit.catalog import Catalog

#: Scenes the room discusses and answers: each is one module of the schedule.
DISCUSSED = frozenset({SceneKind.DECISION, SceneKind.IDENTIFY})
DEFAULT_DECISION_MINUTES = 10
MIN_OPENING, MIN_HOTWASH = 10, 10  # minutes the schedule keeps for the briefing and hot wash

GROUND_RULES = (
    N_(
        "This is a no-fault, discussion-based exercise: it tests plans, procedures and "
        "cooperation between agencies, not the people in the room."
    ),
    N_(
        "Answer from your own agency's real mandate, powers, procedures and resources; say so "
        "when you would need someone else's."
    ),
    N_(
        "Decide with the information you have at that moment: in real cases it is also late, "
        "partial and sometimes wrong."
    ),
    N_(
        "Speak for your role. Your role card holds what your agency knows; sharing it, or not, "
        "is part of the exercise: say why."
    ),
    N_(
        "Every option must respect human rights and the rule of law; the debrief discusses "
        "the harm a choice can do as much as what it achieves."
    ),
    N_(
        "What is said in the room may be used after the exercise, but not attributed to anyone "
        "(the Chatham House rule)."
    ),
    N_(
        "The facilitator keeps time. When the time for a module is up, the room settles on an "
        "answer and moves on."
    ),
)

ARTIFICIALITIES = (
    N_("The scenario is fictional: people, organisations and events are invented."),
    N_("Time is compressed: days or weeks may pass between two modules."),
    N_(
        "Information reaches the room through the facilitator as updates (injects); some is "
        "incomplete or contradictory on purpose."
    ),
    N_(
        "Each role may hold information the others do not have, as agencies do; nobody is "
        "told everything."
    ),
    N_(
        "The options on offer are not the only possible answers: discuss what you would really "
        "do, then choose the closest option."
    ),
    N_("Options are shown in a shuffled order: their position says nothing about their merit."),
    N_(
        "Answers are compared with the key actions the UNICRI Policy Toolkit on The Hague Good "
        "Practices recommends, not judged by how the story ends."
    ),
)

TERMS = (
    (
        N_("Nexus"),
        N_(
            "The links between transnational organized crime and terrorism: groups that trade "
            "services, copy each other's methods, merge, or turn from one into the other."
        ),
    ),
    (
        N_("Good practice (GP)"),
        N_("One of the 25 Hague Good Practices on the nexus, numbered GP1 to GP25."),
    ),
    (
        N_("Key action"),
        N_(
            "A concrete step the toolkit recommends to carry out a good practice, numbered "
            "GPn.Sk (step k of good practice n)."
        ),
    ),
    (
        N_("Watch point"),
        N_(
            "A factor that signals the nexus may be present, with indicators to look for "
            "(the toolkit's Nexus Watch Points)."
        ),
    ),
    (
        N_("Manifestation"),
        N_("A form the nexus takes, from a passing alliance to a group that has become both."),
    ),
    (
        N_("Inject"),
        N_("New information the facilitator gives the room during the exercise."),
    ),
)


@dataclass(frozen=True)
class Reach:
    """How many modules (decisions and identify drills) a playable path meets, at least and at
    most: the schedule plans for the longest."""

    fewest: int
    most: int


def modules_reached(space: StateSpace) -> Reach:
    """The fewest and most discussed scenes on a path from the start to an ending, exactly, over
    the explored states (children are met before their parents in `space.order`)."""
    scenes = space.scenario.scenes
    if not space.complete or not space.acyclic or not space.states:
        count = sum(1 for s in scenes.values() if s.kind in DISCUSSED)
        return Reach(count, count)
    low: dict[int, int] = {}
    high: dict[int, int] = {}
    for sid in space.order:
        kind = scenes[space.states[sid].scene].kind
        if kind is SceneKind.ENDING:
            low[sid] = high[sid] = 0
            continue
        ends = [c for c, _label in space.succ[sid] if c in low]
        if not ends:
            continue  # cannot reach an ending: not part of any playable path
        weight = 1 if kind in DISCUSSED else 0
        low[sid] = weight + min(low[c] for c in ends)
        high[sid] = weight + max(high[c] for c in ends)
    return Reach(low.get(0, 0), high.get(0, 0))


def profile_for(scenario: Scenario, name: str | None, reach: Reach) -> TimingProfile:
    """The timing profile `name` (default: standard, else the scenario's first), or one derived
    from `duration_minutes` when the scenario declares none. Unknown names are a `ValueError`."""
    if scenario.timing:
        names = [p.name for p in scenario.timing]
        wanted = name or ("standard" if "standard" in names else names[0])
        found = scenario.timing_profile(wanted)
        if found is None:
            raise ValueError(
                _("no timing profile '{name}' in this scenario (it has: {names})").format(
                    name=wanted, names=", ".join(names)
                )
            )
        return found
    if name not in (None, "standard"):
        raise ValueError(
            _("this scenario has no timing profiles: leave out --timing or use 'standard'")
        )
    per = DEFAULT_DECISION_MINUTES
    total = scenario.duration_minutes or per * max(reach.most, 1) + MIN_OPENING + MIN_HOTWASH
    return TimingProfile("standard", total, per)


def schedule(profile: TimingProfile, reach: Reach) -> Schedule:
    """The agenda: opening, the modules, hot wash and debrief, in minutes that add up to the
    profile's total (or say by how much the modules overrun it)."""
    modules = profile.decision * reach.most
    rest = profile.total - modules
    opening = max(MIN_OPENING, rest * 2 // 5)
    hotwash = max(MIN_HOTWASH, rest - opening)
    rows: list[AgendaRow] = [
        {"item": _("Welcome, ground rules and briefing"), "minutes": opening},
        {
            "item": _("Modules: {n} decision points, {m} minutes each").format(
                n=_range(reach), m=profile.decision
            ),
            "minutes": modules,
        },
        {"item": _("Hot wash and debrief"), "minutes": hotwash},
    ]
    planned = opening + modules + hotwash
    return {
        "profile": profile.name,
        "total": profile.total,
        "decision_minutes": profile.decision,
        "planned": planned,
        "over": max(0, planned - profile.total),
        "rows": rows,
    }


def _range(reach: Reach) -> str:
    return str(reach.most) if reach.fewest == reach.most else f"{reach.fewest}–{reach.most}"


def briefing_scenes(scenario: Scenario) -> list[Scene]:
    """The scenes everyone reads before the first module: the start and the narrative or inject
    scenes that follow it with no choice in between (and no condition to decide the way)."""
    out: list[Scene] = []
    scene = scenario.scenes[scenario.start]
    while scene.kind in (SceneKind.NARRATIVE, SceneKind.INJECT) and scene not in out:
        out.append(scene)
        if len(scene.next) != 1 or scene.next[0].condition is not None:
            break
        scene = scenario.scenes[scene.next[0].goto]
    return out


def module_order(scenario: Scenario) -> list[Scene]:
    """The discussed scenes, nearest the start first (breadth-first over every `next`), then
    file order: the order a facilitator meets them on most paths."""
    depth = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        scene = scenario.scenes[queue.popleft()]
        targets = [b.goto for b in scene.next] + [b.goto for c in scene.choices for b in c.next]
        for target in targets:
            if target not in depth and target in scenario.scenes:
                depth[target] = depth[scene.id] + 1
                queue.append(target)
    position = {sid: i for i, sid in enumerate(scenario.scenes)}
    discussed = [s for s in scenario.scenes.values() if s.kind in DISCUSSED and s.id in depth]
    return sorted(discussed, key=lambda s: (depth[s.id], position[s.id]))


def _scope(scenario: Scenario, catalog: Catalog, profile: TimingProfile) -> Scope:
    env = catalog.environment(scenario.environment)
    return {
        "type": _("Discussion-based tabletop exercise"),
        "region": scenario.region,
        "environment": env.name,
        "duration": profile.total,
        "audience": list(scenario.audience),
        "practices": [
            {"id": gp, "title": catalog.practice(gp).short_title} for gp in scenario.good_practices
        ],
        "summary": scenario.summary,
    }


def _objectives(scenario: Scenario, catalog: Catalog) -> list[ObjectiveItem]:
    return [
        {
            "id": o.id,
            "text": o.text,
            "practices": [f"{gp} {catalog.practice(gp).short_title}" for gp in o.practices],
        }
        for o in scenario.objectives
    ]


def _watch_point(catalog: Catalog, ref: str) -> WatchPointItem:
    if "." in ref:
        indicator = catalog.indicator(ref)
        return {
            "id": ref,
            "name": catalog.watch_point(indicator.factor).name,
            "text": indicator.text,
        }
    wp = catalog.watch_point(ref)
    return {"id": ref, "name": wp.name, "text": wp.description}


def _glossary(scenario: Scenario, catalog: Catalog) -> list[Term]:
    """The toolkit terms this scenario uses: the general ones, its environment, its
    manifestations and the watch-point factors it tags."""
    out: list[Term] = [{"term": _(t), "text": _(d)} for t, d in TERMS]
    env = catalog.environment(scenario.environment)
    out.append({"term": env.name, "text": env.description})
    for m in scenario.manifestations:
        man = catalog.manifestation(m)
        out.append({"term": man.name, "text": man.definition})
    factors = dict.fromkeys(ref.split(".")[0] for ref in scenario.watch_points)
    for factor in factors:
        wp = catalog.watch_point(factor)
        out.append({"term": wp.name, "text": wp.description})
    return out


def _roles(scenario: Scenario, role: str | None, facilitator: bool) -> list[RoleItem]:
    """Every role's title and agency; its brief only in the facilitator guide or on its own
    card (a brief is what that agency alone knows at the start)."""
    return [
        {
            "id": r.id,
            "title": r.title,
            "agency": r.agency,
            "brief": r.brief if facilitator or r.id == role else "",
        }
        for r in scenario.roles
    ]


def _role_card(scenario: Scenario, role: str) -> RoleCard:
    """One role's card: its brief and, per scene, what only it is told there (read when the
    facilitator reaches that scene)."""
    card = scenario.role(role)
    if card is None:
        known = ", ".join(r.id for r in scenario.roles) or _("none")
        raise ValueError(
            _("no role '{role}' in this scenario (roles: {known})").format(role=role, known=known)
        )
    items: list[PrivateText] = [
        {"scene": s.title, "text": dict(s.private)[role]}
        for s in scenario.scenes.values()
        if role in dict(s.private)
    ]
    items += [
        {"scene": i.title, "text": i.private_for(role) or ""}
        for i in scenario.injects
        if i.private_for(role)
    ]
    return {
        "id": card.id,
        "title": card.title,
        "agency": card.agency,
        "brief": card.brief,
        "private": items,
    }


def _key_actions(catalog: Catalog, ids: Sequence[str]) -> list[KeyActionItem]:
    return [
        {
            "id": k,
            "practice": f"{catalog.practice_of(k).id} {catalog.practice_of(k).short_title}",
            "text": catalog.key_action(k).text,
        }
        for k in ids
    ]


def _choices(scene: Scene) -> list[ChoiceItem]:
    """The options with what the facilitator needs to steer the discussion."""
    if scene.kind is SceneKind.IDENTIFY:
        return [
            {"text": o.text, "marks": [_("present") if scene.is_correct(o) else _("distractor")]}
            for o in scene.options
        ]
    recommended = set(scene.recommended)
    out: list[ChoiceItem] = []
    for c in scene.choices:
        marks = [k for k in c.enacts if k in recommended]
        if c.harmful:
            marks.append(_("harmful"))
        out.append({"text": c.text, "marks": marks})
    return out


def _module(
    scene: Scene, number: int, minutes: int, catalog: Catalog, roles: dict[str, str]
) -> Module:
    return {
        "number": number,
        "id": scene.id,
        "title": scene.title,
        "kind": scene.kind.value,
        "minutes": minutes,
        "text": scene.text,
        "discussion": list(scene.discussion),
        "watch_points": [_watch_point(catalog, w) for w in scene.watch_points],
        "recommended": _key_actions(catalog, scene.recommended),
        "choices": _choices(scene),
        "private": [{"role": roles.get(r, r), "text": t} for r, t in scene.private],
    }


def _injects(scenario: Scenario, roles: dict[str, str]) -> list[InjectItem]:
    return [
        {
            "id": i.id,
            "title": i.title,
            "text": i.text,
            "when": i.condition.source if i.condition is not None else _("at any time"),
            "repeatable": i.repeatable,
            "effects": [f"{name} {delta:+d}" for name, delta in i.effects]
            + [f"{name} = {value}" for name, value in i.set],
            "discussion": list(i.discussion),
            "private": [{"role": roles.get(r, r), "text": t} for r, t in i.private],
        }
        for i in scenario.injects
    ]


def build_handout(
    scenario: Scenario,
    catalog: Catalog,
    reach: Reach,
    *,
    audience: Audience = "participant",
    timing: str | None = None,
    role: str | None = None,
) -> Handout:
    """The situation manual (participant) or the facilitator guide, as plain data.
    `ValueError` (a message for a person) for an unknown timing profile or role."""
    profile = profile_for(scenario, timing, reach)
    facilitator = audience == "facilitator"
    doc: Handout = {
        "audience": audience,
        "title": scenario.title,
        "kind": _("Facilitator guide") if facilitator else _("Situation manual"),
        "scenario": scenario.id,
        "scope": _scope(scenario, catalog, profile),
        "objectives": _objectives(scenario, catalog),
        "ground_rules": [_(r) for r in GROUND_RULES],
        "artificialities": [_(a) for a in ARTIFICIALITIES],
        "schedule": schedule(profile, reach),
        "roles": _roles(scenario, role, facilitator),
        "role_card": _role_card(scenario, role) if role else None,
        "briefing": [{"title": s.title, "text": s.text} for s in briefing_scenes(scenario)],
        "glossary": _glossary(scenario, catalog),
    }
    if facilitator:
        names = {r.id: r.title for r in scenario.roles}
        doc["modules"] = [
            _module(s, n, profile.decision, catalog, names)
            for n, s in enumerate(module_order(scenario), start=1)
        ]
        doc["injects"] = _injects(scenario, names)
    return doc
