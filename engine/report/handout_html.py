"""The situation manual and facilitator guide as one printable HTML page (A4), from
`handout.build_handout`'s data. Every piece of content is escaped; the look and print rules are
the after-action report's (`aar_html.CSS`), so a training centre's printouts match."""

from __future__ import annotations

from collections.abc import Sequence

from engine.core.i18n import _
from engine.report.aar_html import CSS, e, table
from engine.report.handout_types import Handout, Module
from engine.report.html import markdown_html

EXTRA_CSS = """
.card { border: 1.5px solid var(--accent); border-radius: 4px; padding: .4rem .7rem;
        margin: .5rem 0; break-inside: avoid; }
.module { break-inside: avoid-page; border-top: 1px solid var(--line); padding-top: .3rem; }
.marks { color: var(--muted); font-size: 8.5pt; }
.envelope { border: 1px dashed var(--muted); padding: .3rem .5rem; margin: .3rem 0;
            break-inside: avoid; }
"""


def paragraphs(text: str) -> str:
    """Scenario text (Markdown) as HTML, raw HTML in it escaped."""
    return markdown_html(str(text))


def tag(name: str, text: str, cls: str = "", bold: bool = False) -> str:
    """`text` escaped inside one element (in bold when asked)."""
    attr = f' class="{cls}"' if cls else ""
    inner = f"<b>{e(text)}</b>" if bold else e(text)
    return f"<{name}{attr}>{inner}</{name}>"


def _items(values: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in values) + "</ul>" if values else ""


def _section(title: str, body: str, page: bool = False) -> str:
    cls = ' class="page"' if page else ""
    return f"<section{cls}><h2>{e(title)}</h2>{body}</section>"


def _cover(doc: Handout) -> str:
    scope = doc["scope"]
    facts = [
        (_("Exercise"), scope["type"]),
        (_("Region"), scope["region"]),
        (_("Environment"), scope["environment"]),
        (_("Duration"), _("{n} minutes").format(n=scope["duration"])),
        (_("Audience"), ", ".join(scope["audience"])),
    ]
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts if v)
    return (
        f'<section class="cover"><div class="kind">{e(doc["kind"])}</div>'
        f"<h1>{e(doc['title'])}</h1><table>{rows}</table>"
        + tag("p", _("For exercise use only."), "muted small")
        + "</section>"
    )


def _scope(doc: Handout) -> str:
    scope = doc["scope"]
    practices = [f"{p['id']} {p['title']}" for p in scope["practices"]]
    body = paragraphs(scope["summary"]) + tag("h3", _("Good practices trained"))
    return _section(_("Scope"), body + _items(practices), page=True)


def _objectives(doc: Handout) -> str:
    rows = [[e(o["id"]), e(o["text"]), e(", ".join(o["practices"]))] for o in doc["objectives"]]
    if not rows:
        return ""
    return _section(_("Objectives"), table([_("Id"), _("Objective"), _("Practices")], rows))


def _schedule(doc: Handout) -> str:
    s = doc["schedule"]
    rows = [[e(r["item"]), e(r["minutes"])] for r in s["rows"]]
    rows.append([tag("b", _("Total")), tag("b", str(s["planned"]))])
    note = _("Timing profile: {name} ({total} minutes).").format(
        name=s["profile"], total=s["total"]
    )
    if s["over"]:
        note += " " + _("The modules overrun it by {n} minutes: shorten the debates.").format(
            n=s["over"]
        )
    return _section(
        _("Modules and timings"),
        table([_("Part"), _("Minutes")], rows) + f'<p class="muted">{e(note)}</p>',
    )


def _roles(doc: Handout) -> str:
    if not doc["roles"]:
        return ""
    rows = [[e(r["title"]), e(r["agency"]), paragraphs(r["brief"])] for r in doc["roles"]]
    head = [_("Role"), _("Agency")] + (
        [_("Brief")] if any(r["brief"] for r in doc["roles"]) else []
    )
    return _section(_("Roles"), table(head, [row[: len(head)] for row in rows]))


def _role_card(doc: Handout) -> str:
    card = doc["role_card"]
    if not card:
        return ""
    items = "".join(
        '<div class="envelope">'
        + tag("b", _("When the facilitator reaches: {scene}").format(scene=p["scene"]))
        + f"{paragraphs(p['text'])}</div>"
        for p in card["private"]
    )
    hint = _(
        "Open each item only when the facilitator reaches that point. Do not show it to "
        "other roles unless you decide to share it."
    )
    body = (
        f'<div class="card"><h3>{e(card["title"])} — {e(card["agency"])}</h3>'
        f"{paragraphs(card['brief'])}</div>"
        + (f'<p class="muted">{e(hint)}</p>{items}' if items else "")
    )
    return _section(_("Your role card"), body, page=True)


def _briefing(doc: Handout) -> str:
    body = "".join(f"<h3>{e(b['title'])}</h3>{paragraphs(b['text'])}" for b in doc["briefing"])
    return _section(_("Briefing"), body, page=True) if body else ""


def _rules(doc: Handout) -> str:
    return _section(_("Ground rules"), _items(doc["ground_rules"])) + _section(
        _("Artificialities and assumptions"), _items(doc["artificialities"])
    )


def _glossary(doc: Handout) -> str:
    rows = [[f"<b>{e(g['term'])}</b>", e(g["text"])] for g in doc["glossary"]]
    return _section(_("Glossary"), table([_("Term"), _("Meaning")], rows), page=True)


def _module(m: Module) -> str:
    parts = [
        '<div class="module"><h3>'
        + e(_("Module {n}: {title}").format(n=m["number"], title=m["title"]))
        + " "
        + tag(
            "span", "({}, {})".format(_("{n} min").format(n=m["minutes"]), m["id"]), "muted small"
        )
        + "</h3>",
        paragraphs(m["text"]),
    ]
    if m["discussion"]:
        parts.append(tag("p", _("Discussion prompts"), bold=True) + _items(m["discussion"]))
    if m["watch_points"]:
        wps = [f"{w['id']} ({w['name']}): {w['text']}" for w in m["watch_points"]]
        parts.append(tag("p", _("Watch points to listen for"), bold=True) + _items(wps))
    if m["recommended"]:
        kas = [f"{k['id']} ({k['practice']}): {k['text']}" for k in m["recommended"]]
        parts.append(tag("p", _("Key actions the toolkit recommends"), bold=True) + _items(kas))
    if m["choices"]:
        opts = "".join(
            f"<li>{e(c['text'])}"
            + (f' <span class="marks">[{e(", ".join(c["marks"]))}]</span>' if c["marks"] else "")
            + "</li>"
            for c in m["choices"]
        )
        parts.append(tag("p", _("Options"), bold=True) + f"<ul>{opts}</ul>")
    for p in m["private"]:
        parts.append(
            '<div class="envelope">'
            + tag("b", _("Only {role} knows").format(role=p["role"]))
            + f"{paragraphs(p['text'])}</div>"
        )
    return "".join(parts) + "</div>"


def _modules(doc: Handout) -> str:
    if "modules" not in doc:
        return ""
    body = "".join(_module(m) for m in doc["modules"])
    return _section(_("Modules: the facilitator's notes"), body, page=True)


def _injects(doc: Handout) -> str:
    if not doc.get("injects"):
        return ""
    rows = [
        [
            f"<b>{e(i['title'])}</b>{paragraphs(i['text'])}",
            e(i["when"]),
            e(_("repeatable") if i["repeatable"] else _("once")),
            e(", ".join(i["effects"])),
        ]
        for i in doc["injects"]
    ]
    head = [_("Inject"), _("Offered when"), _("Fires"), _("Effects")]
    return _section(_("On-demand injects"), table(head, rows))


def render_handout_html(doc: Handout, lang: str = "en") -> str:
    """The whole document: cover, scope, objectives, ground rules, schedule, roles, the role
    card, the briefing, (facilitator: modules and injects), glossary."""
    parts = [
        _cover(doc),
        _scope(doc),
        _objectives(doc),
        _rules(doc),
        _schedule(doc),
        _roles(doc),
        _role_card(doc),
        _briefing(doc),
        _modules(doc),
        _injects(doc),
        _glossary(doc),
    ]
    title = _("{kind}: {title}").format(kind=doc["kind"], title=doc["title"])
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}{EXTRA_CSS}</style></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
