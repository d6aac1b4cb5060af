"""`nexus-ttx plan ID [list|add|edit|remove|draft]`: a session's improvement plan.

Every change is an event in the session's log (`plan_item_added` / `_edited` / `_removed`), so
the TUI, this command and the after-action report always agree, and a plan can be written up
after the room has finished. `draft` adds the items the session suggests (observations rated M
or U, recommended key actions the room's path missed) that the plan does not carry yet.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.commands.common import add_db_option, add_library_options, clean, fail, with_exercise
from engine.core.i18n import N_, _

HELP = N_("list, add, edit, remove or draft a session's improvement-plan items")
FIELDS = (
    ("issue", N_("the issue or area for improvement")),
    ("action", N_("the corrective action")),
    ("practice", N_("the good practice it concerns (GP1 to GP25)")),
    ("objective", N_("the scenario objective it concerns (its id)")),
    ("organisation", N_("the responsible organisation")),
    ("contact", N_("the point of contact")),
    ("start", N_("start date, YYYY-MM-DD")),
    ("completion", N_("completion date, YYYY-MM-DD")),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_library_options(parser)
    parser.add_argument("session", metavar="ID", help=_("a session id (or a unique prefix)"))
    sub = parser.add_subparsers(dest="plan_command", metavar="ACTION")
    show = sub.add_parser("list", help=_("print the plan (the default)"))
    show.add_argument("--json", action="store_true", help=_("print a JSON list"))
    add = sub.add_parser("add", help=_("add an item"))
    edit = sub.add_parser("edit", help=_("change fields of an item ('' clears a field)"))
    edit.add_argument("item", metavar="ITEM", help=_("the item's number"))
    for p in (add, edit):
        for name, text in FIELDS:
            p.add_argument(f"--{name}", required=p is add and name == "issue", help=_(text))
    remove = sub.add_parser("remove", help=_("remove an item"))
    remove.add_argument("item", metavar="ITEM", help=_("the item's number"))
    draft = sub.add_parser(
        "draft", help=_("add items drafted from M/U observations and missed key actions")
    )
    draft.add_argument("--dry-run", action="store_true", help=_("print the drafts, add nothing"))
    parser.set_defaults(json=False)


def describe(item: Any, catalog: Any | None, scenario: Any) -> str:
    from engine.exercise.improvement import practice_title

    lines = [f"{item.item}. {clean(item.issue)}"]
    if item.action:
        lines.append("   " + _("Corrective action: {text}").format(text=clean(item.action)))
    if item.practice:
        title = clean(practice_title(catalog, item.practice))
        lines.append("   " + _("Good practice: {title}").format(title=title))
    if item.objective:
        objective = scenario.objective(item.objective)
        text = clean(objective.text if objective else item.objective)
        lines.append("   " + _("Objective: {text}").format(text=text))
    who = clean(item.organisation or _("(no organisation yet)"))
    if item.contact:
        who = _("{organisation}, contact {contact}").format(
            organisation=who, contact=clean(item.contact)
        )
    lines.append("   " + _("Responsible: {who}").format(who=who))
    when = _("{start} to {end}").format(start=_day(item.start), end=_day(item.completion))
    lines.append("   " + _("Dates: {when}").format(when=when))
    return "\n".join(lines)


def _day(text: str | None) -> str:
    """A plan date (YYYY-MM-DD) in the reader's words, e.g. "15 janvier 2026"; "?" if none."""
    if not text:
        return "?"
    from datetime import date

    from engine.core.formats import long_date

    try:
        return long_date(date.fromisoformat(text))
    except ValueError:
        return clean(text)


def _catalog() -> Any | None:
    try:
        from engine.toolkit.catalog import load_catalog

        return load_catalog()
    except Exception:  # titles fall back to ids
        return None


def _list(ex: Any, as_json: bool) -> int:
    from engine.play.evaluation import plan_item_json

    plan = ex.session.plan
    if as_json:
        print(json.dumps([plan_item_json(p) for p in plan], indent=2, ensure_ascii=False))
        return 0
    if not plan:
        print(
            _(
                "session {id} has no improvement-plan items yet (`nexus-ttx plan {id} draft` "
                "proposes some)"
            ).format(id=ex.session_id)
        )
        return 0
    catalog = _catalog()
    print("\n\n".join(describe(p, catalog, ex.scenario) for p in plan))
    return 0


def _given(args: argparse.Namespace) -> dict[str, str | None]:
    values = {name: getattr(args, name) for name, _ in FIELDS}
    return {k: (v if v != "" else None) for k, v in values.items() if v is not None}


def _draft(ex: Any, dry_run: bool) -> int:
    from engine.exercise.improvement import draft_plan

    catalog = _catalog()
    drafts = draft_plan(ex.scenario, ex.session, ex.room_score(), catalog)
    if not drafts:
        print(
            _(
                "nothing new to draft: no observation rated M or U and no missed key action "
                "that the plan does not already cover"
            )
        )
        return 0
    for d in drafts:
        if dry_run:
            action = _("Corrective action: {text}").format(text=clean(d.action))
            print(f"- {clean(d.issue)}\n  {action}")
            continue
        item = ex.add_plan_item(d.issue, **d.fields())
        print(_("added item {item}: {issue}").format(item=item, issue=clean(d.issue)))
    return 0


def run(args: argparse.Namespace) -> int:
    action = args.plan_command or "list"

    def work(ex: Any) -> int:
        if action == "list":
            return _list(ex, args.json)
        if action == "add":
            fields = _given(args)
            item = ex.add_plan_item(fields.pop("issue") or "", **fields)
            print(
                _("added item {item} to the plan of session {id}").format(
                    item=item, id=ex.session_id
                )
            )
            return 0
        if action == "edit":
            changes = _given(args)
            if not changes:
                return fail(_("name at least one field to change, e.g. --organisation 'FIU'"), 2)
            ex.edit_plan_item(args.item, **changes)
            print(_("edited item {item}").format(item=args.item))
            return 0
        if action == "remove":
            ex.remove_plan_item(args.item)
            print(_("removed item {item}").format(item=args.item))
            return 0
        return _draft(ex, args.dry_run)

    code = with_exercise(args, work)
    sys.stdout.flush()
    return code
