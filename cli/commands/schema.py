"""`nexus-ttx schema [--write DIR | --generate | --check]`: the scenario schema for editors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.core.i18n import N_, _

HELP = N_("copy the scenario schema beside your scenarios (for editor completion), or print it")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--write",
        metavar="DIR",
        help=_("copy the schema to DIR/.nexus-ttx/scenario.schema.json (refreshes an older copy)"),
    )
    group.add_argument(
        "--generate",
        action="store_true",
        help=_(
            "(development) rebuild the catalog-derived parts of schemas/scenario.schema.json "
            "from scenarios/toolkit.yaml"
        ),
    )
    group.add_argument(
        "--check",
        action="store_true",
        help=_("(development) exit 1 when schemas/scenario.schema.json and the catalog disagree"),
    )


def _generated() -> tuple[Path, str, str]:
    """The schema file, its text now, and its text regenerated from the catalog."""
    from engine.author.schema_gen import regenerate, render
    from engine.core.resources import schema_path
    from engine.toolkit.catalog import BASE_LANGUAGE, load_catalog

    path = schema_path("scenario.schema.json")
    text = path.read_text(encoding="utf-8")
    return path, text, render(regenerate(json.loads(text), load_catalog(lang=BASE_LANGUAGE)))


def run(args: argparse.Namespace) -> int:
    from cli.commands import common
    from cli.commands.common import fail

    if args.write is not None:
        return _write(Path(args.write))
    if args.generate or args.check:
        path, text, fresh = _generated()
        if text == fresh:
            print(_("{path} matches the catalog").format(path=path))
            return 0
        if args.check:
            return fail(
                _("{path} does not match the catalog: run  nexus-ttx schema --generate").format(
                    path=path
                )
            )
        path.write_text(fresh, encoding="utf-8")
        print(_("wrote {path}").format(path=path))
        from engine.load import validators

        return validators.main()  # the fast validators follow the schema they were made from
    sys.stdout.write(common.installed_schema())
    return 0


def _write(folder: Path) -> int:
    from cli.commands import common
    from cli.commands.common import fail
    from engine.author.schema_copy import COPY_PATH, modeline

    if folder.exists() and not folder.is_dir():
        return fail(_("{path} is not a folder").format(path=folder), 2)
    target, written = common.write_copy(folder)
    done = _("wrote {path}") if written else _("up to date: {path}")
    print(done.format(path=target))
    print(
        _("a scenario in {folder} uses it with the first line  {line}").format(
            folder=folder, line=modeline(COPY_PATH)
        )
    )
    return 0
