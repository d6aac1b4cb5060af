"""`nexus-ttx sessions [--json]`: the sessions in the store, most recently updated first."""

from __future__ import annotations

import argparse
import json

from cli.commands.common import add_db_option, db_path, fail

HELP = "list the recorded sessions (id, scenario, mode, teams, status, updated, scene)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows
    )


def run(args: argparse.Namespace) -> int:
    from engine.store.sqlite import Store, StoreError

    path = db_path(args)
    if not path.exists():
        print("[]" if args.json else f"no sessions yet ({path} does not exist)")
        return 0
    try:
        with Store(path) as store:
            infos = store.sessions()
    except StoreError as exc:
        return fail(str(exc))
    if args.json:
        print(json.dumps([i.to_json() for i in infos], indent=2, ensure_ascii=False))
        return 0
    if not infos:
        print(f"no sessions yet in {path}")
        return 0
    rows = [["ID", "SCENARIO", "MODE", "TEAMS", "STATUS", "UPDATED", "SCENE"]]
    for i in infos:
        rows.append(
            [
                i.id,
                i.scenario_id,
                i.mode,
                ", ".join(i.teams),
                i.status,
                i.updated_at[:19].replace("T", " "),
                i.scene or "-",
            ]
        )
    print(_table(rows))
    return 0
