"""The toolkit browser: areas > practices > key actions (with key actors, standards, examples),
watch points with indicators, manifestations, environments, and search. Opened with `t` from any
screen; Esc (or `t`) returns to exactly where you were."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from engine.core.i18n import N_, _
from tui.widgets.keybar import KeyBar
from tui.widgets.scene_text import SceneText

GROUPS = {"environmental": N_("environmental"), "organizational": N_("organizational")}
NEXUS = {"transactional": N_("transactional nexus"), "organizational": N_("organizational nexus")}


def describe(item: Any, catalog: Any) -> str:
    """Markdown for one catalog item."""
    writer = _DESCRIBE.get(type(item).__name__)
    return writer(item, catalog) if writer else f"## {getattr(item, 'id', item)}\n"


def _words(text: str) -> str:
    """The text on one line (the catalog's YAML folds long texts)."""
    return " ".join(text.split())


def _describe_practice(item: Any, catalog: Any) -> str:
    lines = [f"## {item.id} {item.short_title}", "", f"*{_words(item.title)}*", ""]
    try:
        area = catalog.area(item.area).name
    except Exception:
        area = item.area
    lines += [_("Area: **{area}**").format(area=area), ""]
    if item.merged_with:
        lines += [_("Merged in the toolkit with {other}.").format(other=item.merged_with), ""]
    if item.summary:
        lines += [_words(item.summary), ""]
    lines += ["### " + _("Key actions"), "", *_key_action_lines(item), ""]
    if item.key_actors:
        lines += ["### " + _("Key actors"), ""] + [f"- {a}" for a in item.key_actors] + [""]
    if item.standards:
        lines += ["### " + _("International standards and documents"), ""]
        lines += [f"- {_words(s)}" for s in item.standards] + [""]
    if item.examples:
        lines += ["### " + _("Examples"), ""]
        lines += [f"- {ex.name}" + (f" - <{ex.url}>" if ex.url else "") for ex in item.examples]
        lines.append("")
    return "\n".join(lines)


def _key_action_lines(practice: Any) -> list[str]:
    """The practice's key actions, those of a multi-step action indented under its title."""
    groups = {a.id: a for a in practice.actions}
    shown_groups: set[str] = set()
    lines = []
    for ka in practice.key_actions:
        group = groups.get(ka.action) if ka.action else None
        nested = group is not None and not group.is_leaf
        if nested and ka.action not in shown_groups:
            shown_groups.add(ka.action)
            lines.append(f"- **{ka.action}** {_words(group.title)}")
        lines.append(f"{'  ' if nested else ''}- **{ka.id}** {_words(ka.text)}")
    return lines


def _describe_key_action(item: Any, catalog: Any) -> str:
    lines = [f"## {item.id}", "", _words(item.text), ""]
    try:
        gp = catalog.practice(item.practice)
    except Exception:
        return "\n".join(lines)
    lines += [_("Part of **{practice}**.").format(practice=f"{gp.id} {gp.short_title}"), ""]
    if gp.key_actors:
        lines += ["### " + _("Key actors"), ""] + [f"- {a}" for a in gp.key_actors] + [""]
    return "\n".join(lines)


def _describe_watch_point(item: Any, catalog: Any) -> str:
    group = _(GROUPS.get(item.group, item.group))
    lines = [
        f"## {item.name}",
        "",
        _("Watch point ({group})").format(group=group) + f" `{item.id}`",
        "",
    ]
    if item.description:
        lines += [_words(item.description), ""]
    lines += ["### " + _("Indicators"), ""]
    lines += [f"- **{i.id}** {_words(i.text)}" for i in item.indicators]
    return "\n".join(lines)


def _describe_indicator(item: Any, catalog: Any) -> str:
    try:
        wp = catalog.watch_point(item.factor).name
    except Exception:
        wp = item.factor
    of = _("Indicator of **{watch_point}**.").format(watch_point=wp)
    return f"## {item.id}\n\n{of}\n\n{_words(item.text)}\n"


def _describe_area(item: Any, catalog: Any) -> str:
    lines = [f"## {item.name}", ""]
    for gp_id in item.practices:
        try:
            gp = catalog.practice(gp_id)
            lines.append(f"- **{gp.id}** {gp.short_title}")
        except Exception:
            lines.append(f"- {gp_id}")
    return "\n".join(lines)


_DESCRIBE: dict[str, Callable[[Any, Any], str]] = {
    "GoodPractice": _describe_practice,
    "KeyAction": _describe_key_action,
    "ActionGroup": lambda item, catalog: f"## {item.id}\n\n{_words(item.title)}\n",
    "WatchPoint": _describe_watch_point,
    "Indicator": _describe_indicator,
    "Manifestation": lambda item, catalog: (
        f"## {item.name}\n\n{_(NEXUS.get(item.nexus, item.nexus))} `{item.id}`\n\n"
        f"{_words(item.definition)}\n"
    ),
    "Environment": lambda item, catalog: (
        f"## {item.name}\n\n`{item.id}`\n\n{_words(item.description)}\n"
    ),
    "Area": _describe_area,
}


def label_of(item: Any) -> str:
    kind = type(item).__name__
    if kind == "GoodPractice":
        return f"{item.id} {item.short_title}"
    if kind == "KeyAction":
        text = " ".join(item.text.split())
        return f"{item.id} {text[:60]}{'…' if len(text) > 60 else ''}"
    if kind == "Indicator":
        text = " ".join(item.text.split())
        return f"{item.id} {text[:60]}{'…' if len(text) > 60 else ''}"
    if kind == "ActionGroup":
        return f"{item.id} {' '.join(item.title.split())[:60]}"
    return getattr(item, "name", None) or getattr(item, "id", str(item))


class ToolkitScreen(Screen):
    """The Hague Good Practices toolkit, browsable and searchable."""

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS = [
        Binding(
            "escape", "close", N_("Back"), id="toolkit.back", tooltip=N_("Back to where you were")
        ),
        Binding("slash", "search", N_("Search"), id="toolkit.search", key_display="/"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.results: tuple[Any, ...] = ()  # the catalog items the last search found
        self.shown: Any = None  # the catalog item in the details pane (None: the intro)

    def compose(self) -> ComposeResult:
        yield Static(
            " "
            + _(
                "TOOLKIT  The Hague Good Practices on the Nexus between Transnational "
                "Organized Crime and Terrorism"
            ),
            id="scene-bar",
            classes="-toolkit",
        )
        yield Input(
            self.initial_query,
            placeholder=_("Search the toolkit: words or an id (GP21, corruption.3)...  (/)"),
            id="toolkit-search",
            compact=True,
        )
        with Horizontal(id="toolkit-body"):
            yield Tree(_("Toolkit"), id="toolkit-tree")
            with VerticalScroll(id="toolkit-details", can_focus=True):
                yield SceneText(id="toolkit-text")
        yield KeyBar()

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.show_root = False
        self.build_tree(self.initial_query)
        tree.focus()

    def build_tree(self, query: str = "") -> None:
        catalog = self.app.catalog
        tree = self.query_one(Tree)
        tree.clear()
        root = tree.root
        first: TreeNode | None = None
        self.results = tuple(catalog.search(query)) if query.strip() else ()
        if query.strip():
            results = self.results
            label = _("Results for “{query}” ({count})").format(
                query=query.strip(), count=len(results)
            )
            found = root.add(label, expand=True)
            for item in results[:200]:
                node = found.add_leaf(label_of(item), data=item)
                first = first or node
            if not results:
                found.add_leaf(_("Nothing found: try other words or an id like GP21"))
        areas = root.add(_("Areas and good practices"), expand=not query.strip())
        for area in catalog.areas:
            a = areas.add(area.name, data=area, expand=False)
            for gp_id in area.practices:
                try:
                    gp = catalog.practice(gp_id)
                except KeyError:
                    continue
                p = a.add(label_of(gp), data=gp)
                for ka in gp.key_actions:
                    p.add_leaf(label_of(ka), data=ka)
        watch = root.add(_("Watch points"), expand=False)
        for group in ("environmental", "organizational"):
            g = watch.add(_(GROUPS[group]).capitalize(), expand=True)
            for wp in catalog.watch_points:
                if wp.group == group:
                    w = g.add(wp.name, data=wp)
                    for ind in wp.indicators:
                        w.add_leaf(label_of(ind), data=ind)
        manif = root.add(_("Manifestations"), expand=False)
        for m in catalog.manifestations:
            manif.add_leaf(f"{m.name} ({_(NEXUS.get(m.nexus, m.nexus))})", data=m)
        envs = root.add(_("Environments"), expand=False)
        for e in catalog.environments:
            envs.add_leaf(e.name, data=e)
        if first is not None:
            self.call_after_refresh(tree.move_cursor, first)
            self.show(first.data)
        elif not query.strip():
            self.show_intro()

    def show_intro(self) -> None:
        self.shown = None
        catalog = self.app.catalog
        n_ka = sum(len(p.key_actions) for p in catalog.good_practices)
        counts = _(
            "{practices} good practices in {areas} areas, {key_actions} key actions, "
            "{watch_points} watch points, {manifestations} manifestations of the nexus and "
            "{environments} environments."
        ).format(
            practices=len(catalog.good_practices),
            areas=len(catalog.areas),
            key_actions=n_ka,
            watch_points=len(catalog.watch_points),
            manifestations=len(catalog.manifestations),
            environments=len(catalog.environments),
        )
        hint = _("Open a branch with Enter or the arrow keys; press / to search by words or id.")
        self.query_one("#toolkit-text", SceneText).update_markdown(
            "## " + _("The toolkit") + f"\n\n{counts}\n\n{hint}"
        )

    def show(self, item: Any) -> None:
        if item is None:
            return
        self.shown = item
        self.query_one("#toolkit-text", SceneText).update_markdown(describe(item, self.app.catalog))
        self.query_one("#toolkit-details", VerticalScroll).scroll_home(animate=False)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show(event.node.data)

    @on(Input.Changed, "#toolkit-search")
    def _search(self, event: Input.Changed) -> None:
        self.build_tree(event.value)

    @on(Input.Submitted, "#toolkit-search")
    def _search_done(self) -> None:
        self.query_one(Tree).focus()

    def action_search(self) -> None:
        self.query_one("#toolkit-search", Input).focus()

    def action_close(self) -> None:
        search = self.query_one("#toolkit-search", Input)
        if search.has_focus and search.value:
            search.value = ""
            return
        self.dismiss()
