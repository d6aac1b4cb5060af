"""`nexus-ttx toolkit [QUERY]`: look things up in the UNICRI toolkit catalog from the terminal.

Authors need the exact ids (GP21.S4, corruption.3) while writing scenarios, and facilitators need
the key actors and standards while preparing a debrief; this prints them as plain, wrapped text,
or as JSON for scripts. Standard library only at import time: the engine is loaded inside `run`.
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, Any

from engine.core.i18n import N_, _, ngettext

if TYPE_CHECKING:  # pragma: no cover
    from engine.toolkit.catalog import (
        ActionGroup,
        Area,
        Catalog,
        Environment,
        GoodPractice,
        Indicator,
        Item,
        KeyAction,
        Manifestation,
        WatchPoint,
    )

HELP = N_("look up good practices, key actions, actors, watch points")

MAX_WIDTH = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        nargs="*",  # `toolkit fusion centre` works without quotes; `[QUERY]` in usage either way
        metavar="QUERY",
        help=_(
            "an id (GP21, GP21.S4, GP22.A5, corruption, corruption.3, alliances, "
            "post-conflict) or words to search for (e.g. prison); none for an overview"
        ),
    )
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def run(args: argparse.Namespace) -> int:
    from cli.commands.common import fail
    from engine.toolkit.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog()
    except CatalogError as exc:
        return fail(str(exc))
    query = _query_text(args.query)
    if not query:
        return _print_json(catalog.to_dict()) if args.json else _print(_overview(catalog))
    items = catalog.search(query)
    if not items:
        return _no_match(catalog, query, as_json=args.json)
    if args.json:
        return _print_json([_item_json(catalog, i) for i in items])
    exact = catalog.find(query)
    lines = _detail(catalog, exact) if exact is not None else _matches(catalog, query, items)
    return _print(lines)


def _query_text(value: str | list[str] | None) -> str:
    """The query as one string, whether argparse gave a list of words, a string or nothing."""
    if isinstance(value, list):
        value = " ".join(value)
    return (value or "").strip()


# --------------------------------------------------------------------------- output helpers


def _width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


def _wrap(text: str, indent: str = "", hang: str | None = None) -> list[str]:
    """Wrap one paragraph; `hang` is the indent of continuation lines (default: `indent`)."""
    return textwrap.wrap(
        " ".join(text.split()),
        width=_width(),
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent.rstrip()]


def _labelled(label: str, text: str, indent: str = "  ", pad: int = 0) -> list[str]:
    """`label  text` with the text wrapped under itself (ids in a column)."""
    head = f"{indent}{label.ljust(pad)}  "
    return _wrap(text, head, " " * len(head))


def _heading(label: str, text: str) -> list[str]:
    """`label  text`, the text's continuation lines aligned under its first word."""
    return _labelled(label, text, "", 0)


def _bullets(values: tuple[str, ...] | list[str], indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for value in values:
        lines += _wrap(value, f"{indent}- ", f"{indent}  ")
    return lines


def _print(lines: list[str]) -> int:
    sys.stdout.write("\n".join(lines).rstrip() + "\n")
    return 0


def _print_json(data: Any) -> int:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


# --------------------------------------------------------------------------- overview


def _count_indicators(n: int) -> str:
    return ngettext("{n} indicator", "{n} indicators", n).format(n=n)


def _overview(cat: Catalog) -> list[str]:
    n_actions = len(cat.key_action_ids)
    n_ind = len(cat.indicator_ids)
    counts = [
        ngettext("{n} good practice", "{n} good practices", len(cat.good_practices)),
        ngettext("{n} area", "{n} areas", len(cat.areas)),
        ngettext("{n} key action", "{n} key actions", n_actions),
        ngettext("{n} watch point", "{n} watch points", len(cat.watch_points)),
        ngettext("{n} indicator", "{n} indicators", n_ind),
        ngettext("{n} manifestation", "{n} manifestations", len(cat.manifestations)),
        ngettext("{n} environment", "{n} environments", len(cat.environments)),
    ]
    sizes = [len(cat.good_practices), len(cat.areas), n_actions, len(cat.watch_points), n_ind]
    sizes += [len(cat.manifestations), len(cat.environments)]
    practices, areas, actions, wps, inds, mans, envs = (
        text.format(n=n) for text, n in zip(counts, sizes, strict=True)
    )
    lines = _wrap(
        _(
            "UNICRI Policy Toolkit on The Hague Good Practices on the Nexus between Transnational "
            "Organized Crime and Terrorism (2019): {practices} in {areas}, {actions}, {wps} "
            "({inds}), {mans}, {envs}."
        ).format(
            practices=practices,
            areas=areas,
            actions=actions,
            wps=wps,
            inds=inds,
            mans=mans,
            envs=envs,
        )
    )
    lines += ["", _("Good practices")]
    for letter, area in zip("ABCD", cat.areas, strict=False):
        lines.append(f"  {letter}. {area.name} ({area.id})")
        for gp_id in area.practices:
            gp = cat.practice(gp_id)
            lines += _labelled(gp.id, gp.short_title, "     ", 4)
    lines += ["", _("Watch points (factor ids; indicators are factor.1, factor.2, ...)")]
    for group, heading in (
        ("environmental", N_("Environmental")),
        ("organizational", N_("Organizational")),
    ):
        lines.append(f"  {_(heading)}")
        for wp in (w for w in cat.watch_points if w.group == group):
            lines += _labelled(
                wp.id,
                f"{wp.name} ({_count_indicators(len(wp.indicators))})",
                "     ",
                23,
            )
    lines += ["", _("Manifestations")]
    for m in cat.manifestations:
        lines += _labelled(m.id, f"{m.name} ({m.nexus})", "  ", 24)
    lines += ["", _("Environments")]
    for e in cat.environments:
        lines += _labelled(e.id, e.name, "  ", 24)
    lines += [
        "",
        _("Look up: nexus-ttx toolkit GP21 | GP21.S4 | corruption | corruption.3 | alliances"),
        _("Search:  nexus-ttx toolkit prison"),
    ]
    return lines


# --------------------------------------------------------------------------- details


def _detail(cat: Catalog, item: Item) -> list[str]:
    from engine.toolkit import catalog as c

    renderers = {
        c.GoodPractice: _practice,
        c.KeyAction: _key_action,
        c.ActionGroup: _action_group,
        c.WatchPoint: _watch_point,
        c.Indicator: _indicator,
        c.Manifestation: _manifestation,
        c.Environment: _environment,
        c.Area: _area,
    }
    return renderers[type(item)](cat, item)


def _practice(cat: Catalog, gp: GoodPractice) -> list[str]:
    area = cat.area(gp.area)
    lines = _heading(gp.id, gp.title)
    lines += [
        _("Area: {name} ({id})").format(name=area.name, id=area.id),
        _("Short title: {title}").format(title=gp.short_title),
    ]
    if gp.merged_with:
        lines.append(
            _("Merged with {practice} in the toolkit; the key actions are shared.").format(
                practice=gp.merged_with
            )
        )
    lines += ["", *_wrap(gp.summary), "", _("Key actions")]
    lines += _practice_key_actions(gp)
    lines += ["", _("Key actors"), *_bullets(gp.key_actors)]
    lines += ["", _("Relevant international standards and documents"), *_bullets(gp.standards)]
    if gp.examples:
        lines += ["", _("Examples")]
        for ex in gp.examples:
            lines += _wrap(ex.name, "  - ", "    ")
            if ex.text:
                lines += _wrap(ex.text, "    ")
            for url in (ex.url, *ex.other_urls):
                if url:
                    lines.append(f"    {url}")
    return lines


def _practice_key_actions(gp: GoodPractice) -> list[str]:
    """Steps in a column; for GP17/22/23/24, grouped under their actions."""
    pad = max(len(k.id) for k in gp.key_actions)
    if not gp.actions:
        return [line for k in gp.key_actions for line in _labelled(k.id, k.text, "  ", pad)]
    by_id = {k.id: k for k in gp.key_actions}
    lines: list[str] = []
    for action in gp.actions:
        if action.is_leaf:  # the key action's text says what the short title says, and more
            lines += _labelled(action.id, by_id[action.id].text, "  ", pad)
            continue
        lines += _labelled(action.id, action.title, "  ", pad)
        for step in action.steps:
            lines += _labelled(step, by_id[step].text, "    ", pad - 2)
    return lines


def _key_action(cat: Catalog, ka: KeyAction) -> list[str]:
    gp = cat.practice(ka.practice)
    area = cat.area(ka.area)
    where = _describe_key_action_id(ka.id)
    lines = [
        _("{id}  key action ({where} of {practice})").format(id=ka.id, where=where, practice=gp.id)
    ]
    lines.append("")
    lines += _wrap(ka.text)
    lines += ["", *_heading(_("Practice: {id}").format(id=gp.id), gp.title)]
    if ka.action and ka.action != ka.id:
        group = cat.action_group(ka.action)
        lines += _heading(_("Action: {id}").format(id=group.id), group.title)
    lines += [_("Area: {name} ({id})").format(name=area.name, id=area.id)]
    lines += ["", _("Key actors"), *_bullets(gp.key_actors)]
    lines += ["", _("The whole practice: nexus-ttx toolkit {id}").format(id=gp.id)]
    return lines


def _describe_key_action_id(ka_id: str) -> str:
    """GP22.A5.S1 -> "step 1 of action 5"; GP24.A2 -> "action 2"; GP21.S4 -> "step 4"."""
    parts = ka_id.split(".")[1:]
    words = {"A": N_("action {n}"), "S": N_("step {n}")}
    named = [_(words[p[0]]).format(n=p[1:]) for p in reversed(parts)]
    where = named[0]
    for outer in named[1:]:
        where = _("{inner} of {outer}").format(inner=where, outer=outer)
    return where


def _action_group(cat: Catalog, group: ActionGroup) -> list[str]:
    gp = cat.practice(group.practice)
    lines = _heading(group.id, group.title)
    lines += _heading(_("Action of {id}").format(id=gp.id), gp.title)
    lines += ["", _("Key actions")]
    for step in group.steps:
        lines += _labelled(step, cat.key_action(step).text, "  ", len(group.id) + 3)
    lines += ["", _("Key actors"), *_bullets(gp.key_actors)]
    return lines


def _watch_point(cat: Catalog, wp: WatchPoint) -> list[str]:
    lines = [f"{wp.id}  {wp.name} ({_group_words(wp.group)})", ""]
    lines += _wrap(wp.description)
    lines += ["", _("Indicators")]
    pad = max(len(i.id) for i in wp.indicators)
    for ind in wp.indicators:
        lines += _labelled(ind.id, ind.text, "  ", pad)
    return lines


def _group_words(group: str) -> str:
    """ "environmental watch point" / "organizational watch point" in the interface language."""
    if group == "environmental":
        return _("environmental watch point")
    return _("organizational watch point")


def _indicator(cat: Catalog, ind: Indicator) -> list[str]:
    wp = cat.watch_point(ind.factor)
    head = _("indicator of {name} ({kind} {id})").format(
        name=wp.name, kind=_group_words(wp.group), id=wp.id
    )
    lines = [f"{ind.id}  {head}", ""]
    lines += _wrap(ind.text)
    lines += ["", _("All indicators of this factor: nexus-ttx toolkit {id}").format(id=wp.id)]
    return lines


def _manifestation(cat: Catalog, m: Manifestation) -> list[str]:
    nexus = _("transactional nexus") if m.nexus == "transactional" else _("organizational nexus")
    return [f"{m.id}  {m.name} ({nexus})", "", *_wrap(m.definition)]


def _environment(cat: Catalog, e: Environment) -> list[str]:
    kind = _("environment")
    return [f"{e.id}  {e.name} ({kind})", "", *_wrap(e.description)]


def _area(cat: Catalog, area: Area) -> list[str]:
    kind = _("area")
    lines = [f"{area.id}  {area.name} ({kind})", ""]
    for gp_id in area.practices:
        lines += _labelled(gp_id, cat.practice(gp_id).title, "  ", 4)
    return lines


# --------------------------------------------------------------------------- search results


def _kind(item: Item) -> str:
    """The kind of an item as shown in listings and in JSON ("key_action", "watch_point", ...)."""
    from engine.toolkit import catalog as c

    kinds = {
        c.GoodPractice: "practice",
        c.KeyAction: "key_action",
        c.ActionGroup: "action",
        c.WatchPoint: "watch_point",
        c.Indicator: "indicator",
        c.Manifestation: "manifestation",
        c.Environment: "environment",
        c.Area: "area",
    }
    return kinds[type(item)]


_KIND_LABELS = {
    "practice": N_("practice"),
    "key_action": N_("key action"),
    "action": N_("action"),
    "watch_point": N_("watch point"),
    "indicator": N_("indicator"),
    "manifestation": N_("manifestation"),
    "environment": N_("environment"),
    "area": N_("area"),
}


def _kind_label(item: Item) -> str:
    """The kind as a word of the interface language ("key action", « action clé »)."""
    return _(_KIND_LABELS[_kind(item)])


def _one_line(item: Item) -> str:
    for attr in ("short_title", "text", "title", "name"):
        value = getattr(item, attr, None)
        if value:
            return " ".join(str(value).split())
    return ""


def _snippet(text: str, words: list[str], room: int) -> str:
    """Fit `text` in `room` columns, sliding the window so the first matched word shows."""
    if len(text) <= room:
        return text
    folded = text.casefold()
    hits = [folded.find(w) for w in words if folded.find(w) >= 0]
    start = min(hits) if hits else 0
    if start + max((len(w) for w in words), default=0) <= room - 3:
        return textwrap.shorten(text, room, placeholder="...")
    start = text.rfind(" ", 0, max(0, start - room // 4)) + 1
    return textwrap.shorten("..." + text[start:], room, placeholder="...")


def _matches(cat: Catalog, query: str, items: list[Item]) -> list[str]:
    pad_id = max(len(i.id) for i in items)
    pad_kind = max(len(_kind_label(i)) for i in items)
    words = query.casefold().split()
    found = ngettext("{n} match for {query}:", "{n} matches for {query}:", len(items))
    lines = [found.format(n=len(items), query=repr(query))]
    for item in items:
        head = f"  {item.id.ljust(pad_id)}  {_kind_label(item).ljust(pad_kind)}  "
        room = max(30, _width() - len(head))
        lines.append(head + _snippet(_one_line(item), words, room))
    lines += ["", _("Show one in full: nexus-ttx toolkit ID")]
    return lines


def _item_json(cat: Catalog, item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": _kind(item), **item.to_dict()}
    from engine.toolkit import catalog as c

    if isinstance(item, c.KeyAction):
        out.update(practice=item.practice, area=item.area)
    elif isinstance(item, c.ActionGroup):
        out.update(practice=item.practice, steps=list(item.steps))
    elif isinstance(item, c.Indicator):
        out["factor"] = item.factor
    return out


def _no_match(cat: Catalog, query: str, *, as_json: bool) -> int:
    by_folded = {i.casefold(): i for i in cat.all_ids}
    close = difflib.get_close_matches(query.casefold(), list(by_folded), n=5, cutoff=0.6)
    message = _("nothing in the toolkit matches {query}").format(query=repr(query))
    if close:
        suggestions = ", ".join(by_folded[c] for c in close)
        message += "; " + _("did you mean {suggestions}?").format(suggestions=suggestions)
    else:
        message += "; " + _("run `nexus-ttx toolkit` for an overview")
    if as_json:
        _print_json([])
    print(f"nexus-ttx: error: {message}", file=sys.stderr)
    return 1
