"""`nexus-ttx i18n`: a scenario's translation files (gettext PO, `NAME.LANG.po` beside it).

nexus-ttx i18n extract SCENARIO [-o FILE]        a template (POT) of every translatable text
nexus-ttx i18n update SCENARIO --lang LANG       create or refresh NAME.LANG.po, keeping work
nexus-ttx i18n check SCENARIO [--lang LANG] [--strict] [--json]
                                                 translated / missing / stale / unknown per file

The step-by-step for translators is docs/authoring.md, "Translating a scenario".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli.commands.common import CommandError, fail, library_dirs
from engine.core.i18n import N_, _

HELP = N_("translate a scenario: extract a template, create or update NAME.LANG.po, check it")


def _scenario_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help=_("a scenario file or a library id"))


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(  # also the global --lang: either way it arrives as args.lang
        "--lang",
        metavar="LANG",
        default=argparse.SUPPRESS,
        help=_("the translation's language, e.g. fr (the file is NAME.LANG.po)"),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    extract = actions.add_parser("extract", help=_("print (or write) a POT template of the texts"))
    _scenario_argument(extract)
    extract.add_argument("-o", "--output", metavar="FILE", help=_("write the template to FILE"))
    update = actions.add_parser(
        "update", help=_("create or update NAME.LANG.po beside the scenario")
    )
    _scenario_argument(update)
    _lang_option(update)
    check = actions.add_parser(
        "check", help=_("count translated, missing, stale and unknown texts")
    )
    _scenario_argument(check)
    _lang_option(check)
    check.add_argument(
        "--strict", action="store_true", help=_("also exit 1 when texts are missing or stale")
    )
    check.add_argument("--json", action="store_true", help=_("print the counts as JSON"))


def _load(args: argparse.Namespace) -> tuple[Path, Any]:
    """The scenario's path and validation result; invalid scenarios are reported and refused."""
    from engine.check.validate import validate_file
    from engine.load.library import find_scenario

    try:
        path = Path(find_scenario(args.scenario, library_dirs(args)))
    except (LookupError, OSError, ValueError) as exc:
        raise CommandError(str(exc).strip("'\"")) from None
    result = validate_file(path)
    if result.ok and result.kind != "scenario":
        raise CommandError(
            _(
                "{path} is a {kind} file, not a scenario (a translation of it, "
                "{name}.LANG.po, is checked by nexus-ttx validate)"
            ).format(path=path, kind=result.kind, name=path.stem)
        )
    if not result.ok:
        for d in result.diagnostics:
            print(d.format_text(), file=sys.stderr)
        raise CommandError(
            _("{path} is not a valid scenario (see above); fix it first").format(path=path)
        )
    return path, result


def _language(args: argparse.Namespace) -> str | None:
    from engine.load.translation import is_language

    value = getattr(args, "lang", None)
    if value and not is_language(value):
        raise CommandError(
            _(
                "--lang {value!r} is not a language code (two or three letters, e.g. fr, ar, pt_BR)"
            ).format(value=value)
        )
    return value or None


def _extract(args: argparse.Namespace) -> int:
    from engine.author.translate import render, template
    from engine.load.translation import write_translation

    path, result = _load(args)
    entries = template(result.data, result.source, path.name)
    content = render(entries, None, result.data, path)
    if args.output:
        try:
            write_translation(args.output, content)
        except OSError as exc:
            raise CommandError(
                _("cannot write {file}: {problem}").format(
                    file=args.output, problem=exc.strerror or exc
                )
            ) from None
        print(
            _("wrote {file}: {n} texts").format(file=args.output, n=len(entries)), file=sys.stderr
        )
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return 0


def _update(args: argparse.Namespace) -> int:
    from engine.author.translate import kept_header, render, template, update
    from engine.load.translation import read_translation, translation_path, write_translation

    language = _language(args)
    if not language:
        raise CommandError(_("i18n update needs --lang LANG (e.g. --lang fr)"))
    path, result = _load(args)
    if language == result.scenario.language:
        raise CommandError(
            _("{name} is written in {language}: a translation is into another language").format(
                name=path.name, language=language
            )
        )
    po = translation_path(path, language)
    existing = None
    kept = None
    if po.exists():
        existing = read_translation(po)
        if not existing.ok:
            for d in existing.diagnostics:
                print(d.format_text(), file=sys.stderr)
            raise CommandError(
                _("{file} has errors (see above); fix them, then update again").format(file=po)
            )
        try:  # read a moment ago: only a race can fail here, and then the defaults are written
            kept = kept_header(po.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            kept = None
    merged = update(template(result.data, result.source, path.name), existing)
    content = render(merged.entries, language, result.data, path, merged.obsolete, kept)
    try:
        write_translation(po, content)
    except OSError as exc:
        raise CommandError(
            _("cannot write {file}: {problem}").format(file=po, problem=exc.strerror or exc)
        ) from None
    summary = (
        _(
            "updated {file}: {n} texts, {added} new, {changed} changed in the base (now fuzzy), "
            "{retired} no longer in the scenario (kept as #~), {revived} revived"
        )
        if existing is not None
        else _(
            "created {file}: {n} texts, {added} new, {changed} changed in the base (now fuzzy), "
            "{retired} no longer in the scenario (kept as #~), {revived} revived"
        )
    )
    print(
        summary.format(
            file=po,
            n=len(merged.entries),
            added=merged.added,
            changed=merged.changed,
            retired=merged.retired,
            revived=merged.revived,
        )
    )
    return 0


def _report_line(check: Any) -> str:
    c = check.counts
    return _(
        "{file}: {language}: {total} texts: {translated} translated, {missing} missing, "
        "{stale} stale, {unknown} unknown"
    ).format(
        file=check.file,
        language=check.language,
        total=c.total,
        translated=c.translated,
        missing=c.missing,
        stale=c.stale,
        unknown=c.unknown,
    )


def _check(args: argparse.Namespace) -> int:
    from engine.check.translations import (
        Counts,
        TranslationCheck,
        base_texts,
        check_translation_file,
        translations_beside,
    )
    from engine.load.translation import translation_path

    language = _language(args)
    path, result = _load(args)
    files = [translation_path(path, language)] if language else translations_beside(path)
    checks = []
    for po in files:
        if po.exists() or po.is_symlink():
            checks.append(check_translation_file(po))
            continue
        total = len(base_texts(result.data) or {})  # no file yet: every text is missing
        print(
            _("{file}: no such file; create it with: {command}").format(
                file=po, command=f"nexus-ttx i18n update {path} --lang {language}"
            ),
            file=sys.stderr,
        )
        checks.append(
            TranslationCheck(str(po), str(language), path, Counts(total, missing=total), ())
        )
    if args.json:
        out = [
            {
                "file": c.file,
                "language": c.language,
                **c.counts.to_json(),
                "diagnostics": [d.to_json() for d in c.diagnostics],
            }
            for c in checks
        ]
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for c in checks:
            for d in c.diagnostics:
                print(d.format_text())
            print(_report_line(c))
        if not checks:
            print(_("{path}: no translation files (NAME.LANG.po) beside it").format(path=path))
    failed = any(c.errors for c in checks)
    if args.strict:
        failed = failed or any(c.counts.missing or c.counts.stale for c in checks)
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    try:
        return {"extract": _extract, "update": _update, "check": _check}[args.action](args)
    except CommandError as exc:
        return fail(str(exc))
