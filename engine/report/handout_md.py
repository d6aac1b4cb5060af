"""The situation manual and facilitator guide in Markdown (the same sections as the HTML), for
a training centre that edits its handouts in a word processor. Content goes through the
after-action report's Markdown escaping (`aar_md.md`): no raw HTML, no link but http(s)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.core.i18n import _
from engine.core.safe_text import for_markdown
from engine.report.aar_md import md, table
from engine.report.handout_types import Handout, Module


def heading(level: int, text: str) -> str:
    return "#" * level + " " + md(text)


def strong(text: str) -> str:
    return f"**{md(text)}**"


def _paras(text: str) -> list[str]:
    """Scenario text is Markdown already: kept as written, but inert (no raw HTML, no link but
    http(s)/mailto ones)."""
    return [for_markdown(str(text).strip()), ""]


def _bullets(values: Sequence[str]) -> list[str]:
    return [f"- {md(v)}" for v in values] + ([""] if values else [])


def _front(doc: Handout) -> list[str]:
    s = doc["scope"]
    out = [
        f"# {md(doc['title'])}",
        "",
        f"*{md(doc['kind'])}* — " + md(_("For exercise use only.")),
        "",
    ]
    facts = [
        (_("Exercise"), s["type"]),
        (_("Region"), s["region"]),
        (_("Environment"), s["environment"]),
        (_("Duration"), _("{n} minutes").format(n=s["duration"])),
        (_("Audience"), ", ".join(s["audience"])),
    ]
    out += table(["", ""], [[md(k), md(v)] for k, v in facts if v])
    out += [heading(2, _("Scope")), "", *_paras(s["summary"])]
    out += [heading(3, _("Good practices trained")), ""]
    out += _bullets([f"{p['id']} {p['title']}" for p in s["practices"]])
    if doc["objectives"]:
        out += [heading(2, _("Objectives")), ""]
        rows = [
            [md(o["id"]), md(o["text"]), md(", ".join(o["practices"]))] for o in doc["objectives"]
        ]
        out += table([_("Id"), _("Objective"), _("Practices")], rows)
    out += [heading(2, _("Ground rules")), "", *_bullets(doc["ground_rules"])]
    out += [heading(2, _("Artificialities and assumptions")), "", *_bullets(doc["artificialities"])]
    return out


def _schedule(doc: Handout) -> list[str]:
    s = doc["schedule"]
    rows = [[md(r["item"]), str(r["minutes"])] for r in s["rows"]]
    rows.append([strong(_("Total")), f"**{s['planned']}**"])
    out = [heading(2, _("Modules and timings")), "", *table([_("Part"), _("Minutes")], rows)]
    note = _("Timing profile: {name} ({total} minutes).").format(
        name=s["profile"], total=s["total"]
    )
    if s["over"]:
        note += " " + _("The modules overrun it by {n} minutes: shorten the debates.").format(
            n=s["over"]
        )
    return out + [md(note), ""]


def _roles(doc: Handout) -> list[str]:
    out: list[str] = []
    if doc["roles"]:
        out += [heading(2, _("Roles")), ""]
        for r in doc["roles"]:
            out += [f"- **{md(r['title'])}** ({md(r['agency'])})", ""]
            if r["brief"]:
                out += _paras(r["brief"])
    card = doc["role_card"]
    if card:
        out += [
            heading(2, _("Your role card")),
            "",
            f"**{md(card['title'])}** — {md(card['agency'])}",
            "",
        ]
        out += _paras(card["brief"])
        for p in card["private"]:
            head = _("When the facilitator reaches: {scene}").format(scene=p["scene"])
            out += [f"### {md(head)}", "", *_paras(p["text"])]
    return out


def _module(m: Module) -> list[str]:
    head = _("Module {n}: {title}").format(n=m["number"], title=m["title"])
    minutes = _("{n} min").format(n=m["minutes"])
    out = [f"### {md(head)} ({md(minutes)})", "", *_paras(m["text"])]
    if m["discussion"]:
        out += [strong(_("Discussion prompts")), "", *_bullets(m["discussion"])]
    if m["watch_points"]:
        out += [strong(_("Watch points to listen for")), ""]
        out += _bullets([f"{w['id']} ({w['name']}): {w['text']}" for w in m["watch_points"]])
    if m["recommended"]:
        out += [strong(_("Key actions the toolkit recommends")), ""]
        out += _bullets([f"{k['id']} ({k['practice']}): {k['text']}" for k in m["recommended"]])
    if m["choices"]:
        out += [strong(_("Options")), ""]
        out += _bullets(
            [
                c["text"] + (f" — {', '.join(c['marks'])}" if c["marks"] else "")
                for c in m["choices"]
            ]
        )
    for p in m["private"]:
        out += [strong(_("Only {role} knows").format(role=p["role"])), "", *_paras(p["text"])]
    return out


def render_handout_md(doc: Handout) -> str:
    """The whole document in Markdown."""
    out = _front(doc) + _schedule(doc) + _roles(doc)
    if doc["briefing"]:
        out += [heading(2, _("Briefing")), ""]
        for b in doc["briefing"]:
            out += [f"### {md(b['title'])}", "", *_paras(b["text"])]
    if doc.get("modules"):
        notes = _("Modules: the facilitator's notes")
        out += [f"## {md(notes)}", ""]
        for m in doc["modules"]:
            out += _module(m)
    if doc.get("injects"):
        out += [heading(2, _("On-demand injects")), ""]
        for i in doc["injects"]:
            fires = _("repeatable") if i["repeatable"] else _("once")
            out += [f"### {md(i['title'])} ({md(fires)}; {md(i['when'])})", "", *_paras(i["text"])]
            if i["effects"]:
                out += [md(_("Effects: {list}").format(list=", ".join(i["effects"]))), ""]
    out += [heading(2, _("Glossary")), ""]
    out += table(
        [_("Term"), _("Meaning")],
        [[f"**{md(g['term'])}**", md(g["text"])] for g in doc["glossary"]],
    )
    return "\n".join(out).rstrip("\n") + "\n"
