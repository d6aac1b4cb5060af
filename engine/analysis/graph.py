"""The scenario as a graph: Mermaid (renders on GitHub as is) and Graphviz DOT.

Scenes are nodes shaped and coloured by kind (narrative, inject, decision, ending; endings by
outcome; the start scene is marked ▶); choices are edges labelled with their text (⚠ and red
when harmful); an `if` on a choice and the conditions of a branch list label their edges
(`if …`, `otherwise`). The graph is the document's static structure: every edge written, taken
or not (`nexus-ttx analyze` says which are reachable).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from engine.core.model import Branch, Scenario, Scene

LABEL_MAX = 48

KIND_COLOURS = {
    "narrative": ("#eef2f7", "#5b6b82"),
    "inject": ("#e6f0ff", "#2b6cb0"),
    "decision": ("#fff4d6", "#b7791f"),
    "identify": ("#f0e8ff", "#6b46c1"),
}
OUTCOME_COLOURS = {
    "success": ("#dcf5e3", "#2f855a"),
    "partial": ("#fdf1d8", "#c27c0e"),
    "failure": ("#fde2e1", "#c53030"),
    None: ("#eeeeee", "#666666"),
}
HARMFUL_COLOUR = "#c53030"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    harmful: bool
    conditional: bool


def _short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _branch_edges(
    source: str, prefix: str, branches: tuple[Branch, ...], harmful: bool, offered_if: str | None
) -> Iterator[Edge]:
    many = len(branches) > 1
    for b in branches:
        parts = [prefix] if prefix else []
        if offered_if:
            parts.append(f"if {offered_if}")
        if many:
            parts.append(f"→ if {b.condition.source}" if b.condition is not None else "→ otherwise")
        label = " · ".join(parts)
        yield Edge(
            source,
            b.goto,
            label,
            harmful,
            offered_if is not None or (many and b.condition is not None),
        )


def edges(scenario: Scenario) -> list[Edge]:
    """Every edge written in the document, in document order."""
    out: list[Edge] = []
    for scene in scenario.scenes.values():
        if scene.kind == "decision":
            for c in scene.choices:
                prefix = ("⚠ " if c.harmful else "") + _short(c.text)
                cond = c.condition.source if c.condition is not None else None
                out.extend(_branch_edges(scene.id, prefix, c.next, c.harmful, cond))
        else:
            out.extend(_branch_edges(scene.id, "", scene.next, False, None))
    return out


def _title(scenario: Scenario, scene: Scene) -> str:
    title = _short(scene.title or scene.id)
    if scene.id == scenario.start:
        title = "▶ " + title
    if scene.kind == "ending" and scene.outcome:
        title += f" ({scene.outcome})"
    return title


# --- Mermaid ---------------------------------------------------------------------------------

_MERMAID_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    "|": "#124;",
    "`": "#96;",
    ";": "#59;",
    "&": "#38;",
}


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for every character that could
    end the label or be read as syntax, Markdown or HTML."""
    text = " ".join(str(text).split())
    return "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in text)


def to_mermaid(scenario: Scenario) -> str:
    ids = {sid: f"s{i}" for i, sid in enumerate(scenario.scenes)}
    lines = ["flowchart TD", f"    %% {mermaid_text(scenario.title)} ({scenario.id})"]
    for sid, scene in scenario.scenes.items():
        label = f'"{mermaid_text(_title(scenario, scene))}"'
        shape = {
            "narrative": f"[{label}]",
            "inject": f"[/{label}/]",
            "decision": f"{{{{{label}}}}}",
            "identify": f"[[{label}]]",
            "ending": f"([{label}])",
        }[scene.kind]
        cls = scene.kind if scene.kind != "ending" else f"ending_{scene.outcome or 'none'}"
        lines.append(f"    {ids[sid]}{shape}:::{cls}")
    harmful_indices: list[int] = []  # linkStyle counts the links actually written
    written = 0
    for e in edges(scenario):
        if e.target not in ids:
            continue  # validation reports unknown scenes; the graph just leaves them out
        arrow = "-.->" if e.conditional else "-->"
        label = f'|"{mermaid_text(e.label)}"|' if e.label else ""
        lines.append(f"    {ids[e.source]} {arrow}{label} {ids[e.target]}")
        if e.harmful:
            harmful_indices.append(written)
        written += 1
    for kind, (fill, stroke) in KIND_COLOURS.items():
        lines.append(f"    classDef {kind} fill:{fill},stroke:{stroke},color:#1a202c")
    for outcome, (fill, stroke) in OUTCOME_COLOURS.items():
        lines.append(
            f"    classDef ending_{outcome or 'none'} fill:{fill},stroke:{stroke},"
            "stroke-width:2px,color:#1a202c"
        )
    if harmful_indices:
        lines.append(
            f"    linkStyle {','.join(map(str, harmful_indices))} "
            f"stroke:{HARMFUL_COLOUR},color:{HARMFUL_COLOUR}"
        )
    return "\n".join(lines) + "\n"


# --- Graphviz DOT ----------------------------------------------------------------------------


def dot_string(text: str) -> str:
    """A DOT double-quoted string."""
    text = " ".join(str(text).split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(scenario: Scenario) -> str:
    lines = [
        f"digraph {dot_string(scenario.id)} {{",
        f"    label={dot_string(scenario.title)};",
        "    labelloc=t;",
        "    rankdir=TB;",
        '    node [fontname="Helvetica", style="filled,rounded", shape=box];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    shapes = {
        "narrative": "box",
        "inject": "parallelogram",
        "decision": "hexagon",
        "identify": "octagon",
        "ending": "box",
    }
    for sid, scene in scenario.scenes.items():
        if scene.kind == "ending":
            fill, stroke = OUTCOME_COLOURS.get(scene.outcome, OUTCOME_COLOURS[None])
            extra = ", peripheries=2"
        else:
            fill, stroke = KIND_COLOURS[scene.kind]
            extra = ""
        lines.append(
            f"    {dot_string(sid)} [label={dot_string(_title(scenario, scene))}, "
            f"shape={shapes[scene.kind]}, fillcolor={dot_string(fill)}, "
            f"color={dot_string(stroke)}{extra}];"
        )
    for e in edges(scenario):
        if e.target not in scenario.scenes:
            continue
        attrs = []
        if e.label:
            attrs.append(f"label={dot_string(e.label)}")
        if e.conditional:
            attrs.append('style="dashed"')
        if e.harmful:
            attrs.append(f'color="{HARMFUL_COLOUR}", fontcolor="{HARMFUL_COLOUR}", penwidth=2')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {dot_string(e.source)} -> {dot_string(e.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(scenario: Scenario, fmt: str) -> str:
    if fmt == "mermaid":
        return to_mermaid(scenario)
    if fmt == "dot":
        return to_dot(scenario)
    raise ValueError(f"unknown graph format {fmt!r} (mermaid or dot)")
