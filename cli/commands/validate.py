"""`nexus-ttx validate PATH...`: schema and reference checks with file:line:col messages."""

from __future__ import annotations

import argparse
import json
import os
import sys

from engine.core.i18n import N_, _, ngettext

HELP = N_("check scenario files (and the toolkit catalog): schema, references, conditions")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=_("scenario files or folders (searched for *.yaml and *.yml)"),
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help=_("treat warnings as errors (exit 1 if there are any)"),
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=_(
            "text: file:line:col: severity: CODE message (default); "
            "json: a list of diagnostic objects"
        ),
    )


def _errors(n: int) -> str:
    return ngettext("{n} error", "{n} errors", n).format(n=n)


def _warnings(n: int) -> str:
    return ngettext("{n} warning", "{n} warnings", n).format(n=n)


def _files(n: int) -> str:
    return ngettext("{n} file", "{n} files", n).format(n=n)


def run(args: argparse.Namespace) -> int:
    from cli.commands.common import fail

    missing = [p for p in args.paths if not os.path.lexists(p)]  # a broken link: NTX018
    if missing:
        return fail(_("no such file or folder: {paths}").format(paths=", ".join(missing)), 2)

    from cli.commands.common import editor_schema_warnings, library_dirs
    from engine.check.translations import check_translation_file, translation_files
    from engine.check.validate import collect_paths, validate_file
    from engine.core.diagnostics import weight
    from engine.load.library import conflict_diagnostic, conflicts_of, library_conflicts

    files, unreadable = collect_paths(args.paths)
    files = [f for f in files if not f.name.lower().endswith(".po")]
    translations, po_unreadable = translation_files(args.paths, files)
    if not files and not unreadable and not translations:
        return fail(_("no .yaml or .yml files in {paths}").format(paths=", ".join(args.paths)), 2)
    diagnostics = list(unreadable) + po_unreadable
    crashed = 0
    installed: list[str] = []  # the installed schema's text, read once if a modeline needs it
    library = library_conflicts(library_dirs(args))  # NTX029: one id in two library files
    checks = [(p, validate_file) for p in files]
    checks += [(p, check_translation_file) for p in translations]
    for path, check in checks:
        try:
            found = check(path).diagnostics
            if check is validate_file:
                found = [*found, *editor_schema_warnings(path, found, installed)]
                others = conflicts_of(path, library)
                if others:
                    found.append(conflict_diagnostic(path, str(path), others))
        except Exception as exc:  # a bug, not the author's fault: say so, keep going
            crashed += 1
            print(
                _(
                    "nexus-ttx: internal error while checking {path}: {kind}: {error} "
                    "(please report this)"
                ).format(path=path, kind=type(exc).__name__, error=exc),
                file=sys.stderr,
            )
            continue
        for d in found:
            if args.strict and d.severity == "warning":
                diagnostics.append(type(d)(d.file, d.line, d.column, "error", d.code, d.message))
            else:
                diagnostics.append(d)
    errors = sum(weight(d) for d in diagnostics if d.severity == "error")
    warnings = sum(weight(d) for d in diagnostics) - errors

    if args.format == "json":
        json.dump([d.to_json() for d in diagnostics], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        out = sys.stdout
        for d in diagnostics:
            out.write(d.format_text() + "\n")
        if diagnostics or crashed:
            parts = [_errors(errors)] if errors else []
            if warnings:
                parts.append(_warnings(warnings))
            if crashed:
                parts.append(
                    ngettext(
                        "{n} file not checked (internal error)",
                        "{n} files not checked (internal error)",
                        crashed,
                    ).format(n=crashed)
                )
            shown = len(files) + len(translations) + len(unreadable) + len(po_unreadable)
            out.write(
                _("{problems} in {files}").format(problems=", ".join(parts), files=_files(shown))
            )
            out.write("\n")
        else:
            n = len(files) + len(translations)
            out.write(ngettext("ok: {n} file valid", "ok: {n} files valid", n).format(n=n) + "\n")
    return 1 if errors or crashed else 0
