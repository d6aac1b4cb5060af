"""`nexus-ttx new ID --environment ENV --region TEXT [--dir DIR]`: scaffold a scenario file."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.core.i18n import N_, _

HELP = N_("create a new scenario file that validates as written")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id", help=_("scenario id, e.g. coastal-fuel-smuggling (also the file name)")
    )
    parser.add_argument(
        "--environment",
        required=True,
        choices=("politically-stable", "transitional", "post-conflict"),
    )
    parser.add_argument("--region", required=True, help=_('free text, e.g. "Sahel (Mali, Niger)"'))
    parser.add_argument("--dir", default=".", help=_("folder to write into (default: here)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite an existing file"))


def run(args: argparse.Namespace) -> int:
    from cli.commands.common import fail, write_copy
    from engine.author.scaffold import scaffold
    from engine.author.schema_copy import schema_ref

    target_dir = Path(args.dir)
    if target_dir.exists() and not target_dir.is_dir():
        return fail(_("{path} is not a folder").format(path=target_dir), 2)
    try:  # the editor schema travels with the folder: a copy beside the file, a relative path
        text = scaffold(args.id, args.environment, args.region, schema_ref(".", "."))
    except ValueError as exc:
        return fail(str(exc), 2)
    path = target_dir / f"{args.id}.yaml"
    if path.exists() and not args.force:
        return fail(_("{path} already exists (use --force to overwrite)").format(path=path))
    target_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(_("wrote {path}").format(path=path))
    copy, written = write_copy(target_dir)
    schema = (
        _("wrote {path} (the schema your editor completes from)")
        if written
        else _("kept {path} (the schema your editor completes from)")
    )
    print(schema.format(path=copy))
    print(_("next: edit it, then run  nexus-ttx validate --strict {path}").format(path=path))
    return 0
