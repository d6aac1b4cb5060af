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
    ("issue", "the issue or area for improvement"),
    ("action", "the corrective action"),
    ("practice", "the good practice it concerns (GP1 to GP25)"),
    ("objective", "the scenario objective it concerns (its id)"),
    ("organisation", "the responsible organisation"),
    ("contact", "the point of contact"),
    ("start", "start date, YYYY-MM-DD"),
    ("completion", "completion date, YYYY-MM-DD"),
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
            p.add_argument(f"--{name}", required=p is add and name == "issue", help=text)
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
        lines.append(f"   Corrective action: {clean(item.action)}")
    about = []
    if item.practice:
        about.append(f"practice {clean(practice_title(catalog, item.practice))}")
    if item.objective:
        objective = scenario.objective(item.objective)
        about.append(f"objective: {clean(objective.text if objective else item.objective)}")
    if about:
        lines.append("   Concerns " + "; ".join(about))
    who = clean(item.organisation or "(no organisation yet)")
    if item.contact:
        who += f", contact {clean(item.contact)}"
    when = f"{item.start or '?'} to {item.completion or '?'}"
    lines.append(f"   Responsible: {who}; {when}")
    return "\n".join(lines)


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
        print(f"session {ex.session_id} has no improvement-plan items yet "
              f"(`nexus-ttx plan {ex.session_id} draft` proposes some)")  # fmt: skip
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
        print("nothing new to draft: no observation rated M or U and no missed key action "
              "that the plan does not already cover")  # fmt: skip
        return 0
    for d in drafts:
        if dry_run:
            print(f"- {clean(d.issue)}\n  Corrective action: {clean(d.action)}")
            continue
        item = ex.add_plan_item(d.issue, **d.fields())
        print(f"added item {item}: {clean(d.issue)}")
    return 0


def run(args: argparse.Namespace) -> int:
    action = args.plan_command or "list"

    def work(ex: Any) -> int:
        if action == "list":
            return _list(ex, args.json)
        if action == "add":
            fields = _given(args)
            item = ex.add_plan_item(fields.pop("issue") or "", **fields)
            print(f"added item {item} to the plan of session {ex.session_id}")
            return 0
        if action == "edit":
            changes = _given(args)
            if not changes:
                return fail("name at least one field to change, e.g. --organisation 'FIU'", 2)
            ex.edit_plan_item(args.item, **changes)
            print(f"edited item {args.item}")
            return 0
        if action == "remove":
            ex.remove_plan_item(args.item)
            print(f"removed item {args.item}")
            return 0
        return _draft(ex, args.dry_run)

    code = with_exercise(args, work)
    sys.stdout.flush()
    return code
