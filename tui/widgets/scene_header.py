"""What frames a scene on the play screen: the bar above it, the banner of an inject or an
ending, and the facilitator view's prompts and watch points, as styled `Content`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from engine.core.i18n import N_, _

if TYPE_CHECKING:
    from engine.core.model import Scene
    from engine.toolkit.catalog import Catalog

KIND_LABEL = {
    "narrative": N_("SCENE"),
    "inject": N_("BREAKING"),
    "decision": N_("DECISION"),
    "identify": N_("IDENTIFY"),
    "ending": N_("ENDING"),
}
OUTCOMES = {"success": N_("SUCCESS"), "partial": N_("PARTIAL"), "failure": N_("FAILURE")}


def scene_bar(scene: Scene, scenario_title: str, step: int, width: int = 0) -> Content:
    """` DECISION  Title  ·  Scenario  ·  step 3`; the scenario's title is left out when the
    bar would not fit in `width` cells (French titles run long at 80 columns)."""
    label = _(KIND_LABEL[scene.kind]) if scene.kind in KIND_LABEL else scene.kind.upper()
    step_text = "  ·  " + _("step {n}").format(n=step)

    def bar(where: str) -> Content:
        return Content.assemble(
            (f" {label} ", "reverse bold"), " ", (scene.title, "bold"), (where, "italic")
        )

    full = bar("  ·  " + scenario_title + step_text)
    return full if not width or full.cell_length <= width else bar(step_text)


def outcome_bar() -> Content:
    """The bar above the feedback shown after a choice."""
    return Content.assemble(
        (" " + _("OUTCOME") + " ", "reverse bold"), " ", (_("What your choice did"), "bold")
    )


def kind_banner(scene: Scene) -> Content:
    """The banner above an inject's or an ending's text (empty for other kinds)."""
    if scene.kind == "inject":
        return Content.assemble(
            ("  " + _("BREAKING") + "  ", "bold reverse"), "  ", (scene.title, "bold")
        )
    if scene.kind == "ending":
        outcome = _(OUTCOMES[scene.outcome]) if scene.outcome in OUTCOMES else ""
        return Content.assemble(
            ("  " + _("END") + "  ", "bold reverse"),
            "  ",
            (scene.title, "bold"),
            ("  -  " + _("outcome: {outcome}").format(outcome=outcome) if outcome else "", "bold"),
        )
    return Content("")


def facilitator_view(
    scene: Scene, catalog: Catalog | None, private: Sequence[tuple[str, str]] = ()
) -> Content:
    """Discussion prompts, watch points (with the catalog's words), a drill's answer and each
    role's private text (`private`: (who, text) rows) for the facilitator."""
    parts: list[Content] = [
        Content.styled(_("FACILITATOR VIEW - not for participants"), "bold reverse")
    ]
    if private:
        parts.append(Content.styled(_("What each role knows here"), "bold"))
        parts.extend(
            Content.assemble("  ", (who, "bold $accent"), _(": "), text) for who, text in private
        )
    if scene.is_drill:
        correct = [str(i) for i, o in enumerate(scene.options, start=1) if scene.is_correct(o)]
        parts.append(Content.styled(_("Answer"), "bold"))
        parts.append(
            Content("  " + _("correct statements: {list}").format(list=", ".join(correct)))
        )
    if scene.discussion:
        parts.append(Content.styled(_("Discussion prompts"), "bold"))
        parts.extend(Content.assemble("  - ", p) for p in scene.discussion)
    watch = scene.watch_points
    if watch:
        parts.append(Content.styled(_("Watch points"), "bold"))
        for ref in watch:
            parts.extend(watch_point_lines(ref, catalog))
    if not scene.discussion and not watch:
        parts.append(Content(_("No discussion prompts or watch points for this scene.")))
    return Content("\n").join(parts)


def watch_point_lines(ref: str, catalog: Catalog | None) -> list[Content]:
    """A watch point (`corruption`: its name and indicators) or one indicator
    (`corruption.3`); the bare reference when the catalog does not know it."""
    if catalog is None:
        return [Content(f"  {ref}")]
    if "." in ref:
        try:
            ind = catalog.indicator(ref)
            wp = catalog.watch_point(ind.factor)
        except KeyError:
            return [Content(f"  {ref}")]
        return [Content.assemble("  ", (f"{wp.name} ({ref})", "bold $accent"), _(": "), ind.text)]
    try:
        wp = catalog.watch_point(ref)
    except KeyError:
        return [Content(f"  {ref}")]
    group = _("environmental") if wp.group == "environmental" else _("organizational")
    lines = [Content.assemble("  ", (f"{wp.name} ({group})", "bold $accent"))]
    lines.extend(
        Content.assemble("    ", (f"{i.id}", "$text-muted"), " ", i.text) for i in wp.indicators
    )
    return lines
