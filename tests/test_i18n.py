"""The interface's languages: the choice (option, environment, locale), the catalogs (every
marked string translated into French, the shipped .mo compiled from the .po) and the CLI in
French as a subprocess."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from engine.core import formats, i18n
from tests.conftest import ROOT

LOCALE = ROOT / "engine" / "locale"


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("cli", "env", "expected", "source"),
    [
        ("fr", {"NEXUS_TTX_LANG": "en", "LANG": "en_GB.UTF-8"}, "fr", "option"),
        (None, {"NEXUS_TTX_LANG": "fr", "LANG": "en_GB.UTF-8"}, "fr", "environment"),
        (None, {"LANG": "fr_FR.UTF-8"}, "fr", "locale"),
        (None, {"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "fr", "locale"),
        (None, {"LC_MESSAGES": "fr_BE", "LANG": "en_US.UTF-8"}, "fr", "locale"),
        (None, {"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en", "default"),  # POSIX: first set wins
        (None, {"LANG": "de_DE.UTF-8"}, "en", "default"),
        (None, {}, "en", "default"),
        ("fr-FR", {}, "fr", "option"),
        ("EN", {"LANG": "fr_FR.UTF-8"}, "en", "option"),
    ],
)
def test_choose_language_order(
    cli: str | None, env: dict[str, str], expected: str, source: str
) -> None:
    choice = i18n.choose_language(cli, env)
    assert (choice.language, choice.source, choice.warning) == (expected, source, None)


@pytest.mark.parametrize(("cli", "env"), [("xx", {}), (None, {"NEXUS_TTX_LANG": "klingon"})])
def test_an_unknown_requested_language_is_english_with_a_warning(
    cli: str | None, env: dict[str, str]
) -> None:
    choice = i18n.choose_language(cli, {**env, "LANG": "fr_FR.UTF-8"})
    assert choice.language == "en"
    assert choice.warning is not None and "fr" in choice.warning


def test_set_language_translates_and_english_is_the_source() -> None:
    i18n.set_language("fr")
    assert i18n.current_language() == "fr"
    assert i18n._("interrupted") == "interrompu"
    assert i18n._("a sentence nobody marked") == "a sentence nobody marked"
    i18n.set_language("en")
    assert i18n._("interrupted") == "interrupted"
    i18n.set_language("zz")
    assert i18n.current_language() == "en"


def test_dates_and_numbers_follow_the_language() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 30, 9, 5, tzinfo=UTC)
    assert formats.long_datetime(moment) == "30 November 2026, 09:05"
    assert formats.number(12345.5, 1) == "12,345.5"
    assert formats.percent(42.5, 1) == "42.5%"
    i18n.set_language("fr")
    assert formats.long_datetime(moment) == "30 novembre 2026, 09:05"
    assert formats.long_date(moment.date()) == "30 novembre 2026"
    assert formats.number(12345.5, 1) == "12\u202f345,5"
    assert formats.percent(42.5, 1) == "42,5\xa0%"
    assert formats.percent(7) == "7\xa0%"


# --- the catalogs ------------------------------------------------------------------------------


def _extract(out: Path) -> Path:
    pot = out / "nexus-ttx.pot"
    cwd = Path.cwd()
    os.chdir(ROOT)  # babel.cfg's patterns are relative to the repository
    try:
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", "babel.cfg", "--no-location", "-o", str(pot), "."]
        )
    finally:
        os.chdir(cwd)
    return pot


def test_every_interface_string_is_translated_into_french(tmp_path: Path) -> None:
    """Extracting the code must give nothing the French catalog lacks, leaves empty or fuzzy:
    a new string without its French fails here (docs/authoring.md)."""
    with _extract(tmp_path).open("rb") as f:
        template = read_po(f)
    with (LOCALE / "fr" / "LC_MESSAGES" / "nexus-ttx.po").open("rb") as f:
        french = read_po(f)
    assert len(template) > 0
    problems = []
    for message in template:
        if not message.id:
            continue
        found = french.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {message.id!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(found.string) if message.pluralizable else not found.string:
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)}; make i18n-update)"


@pytest.mark.parametrize("language", ["fr"])
def test_the_catalog_passes_babels_own_checks(language: str) -> None:
    """What `pybabel compile` reports as errors (a placeholder whose type changes, a missing
    plural form) would print at every `make i18n-compile`; none are allowed."""
    with (LOCALE / language / "LC_MESSAGES" / "nexus-ttx.po").open("rb") as f:
        catalog = read_po(f, locale=language)
    problems = [
        f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["fr"])
def test_the_shipped_mo_is_compiled_from_the_po(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "nexus-ttx.po").open("rb") as f:
        catalog = read_po(f, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert (folder / "nexus-ttx.mo").read_bytes() == compiled.getvalue(), "make i18n-compile"


def test_french_plural_forms_are_gettexts_two() -> None:
    with (LOCALE / "fr" / "LC_MESSAGES" / "nexus-ttx.po").open("rb") as f:
        catalog = read_po(f)
    assert catalog.num_plurals == 2 and catalog.plural_expr == "(n > 1)"


# --- the command line ---------------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEXUS_TTX_", "LC_", "LANG"))}
    base["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


FRENCH_HELP = "langue de l’interface"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--lang", "fr", "validate", "--help"), {}),
        (("validate", "--help", "--lang", "fr"), {}),
        (("validate", "--lang=fr", "--help"), {}),
        (("validate", "--help"), {"NEXUS_TTX_LANG": "fr"}),
        (("validate", "--help"), {"LANG": "fr_FR.UTF-8"}),
        (("validate", "--help"), {"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}),
    ],
)
def test_the_command_line_speaks_french_when_asked(args: tuple[str, ...], env: dict) -> None:
    proc = _cli(*args, env=env)
    assert proc.returncode == 0, proc.stderr
    assert FRENCH_HELP in proc.stdout


def test_the_option_beats_the_environment_and_unknown_falls_back() -> None:
    english = _cli("validate", "--help", "--lang", "en", env={"NEXUS_TTX_LANG": "fr"})
    assert english.returncode == 0 and "interface language" in english.stdout
    unknown = _cli("--lang", "xx", "validate", "--help", env={"LANG": "fr_FR.UTF-8"})
    assert unknown.returncode == 0
    assert "interface language" in unknown.stdout
    assert "unknown language 'xx'" in unknown.stderr
    bare = _cli("validate", "--lang")
    assert bare.returncode == 2 and "--lang" in bare.stderr


BAD = ROOT / "tests" / "fixtures" / "bad"
PREFIX = re.compile(r"^(.*?:\d+:\d+: (?:error|warning): NTX\d{3}) ")


def test_validate_in_french_keeps_codes_and_the_located_shape() -> None:
    english = _cli("validate", str(BAD))
    french = _cli("validate", str(BAD), "--lang", "fr")
    assert english.returncode == french.returncode == 1
    en_lines, fr_lines = english.stdout.splitlines(), french.stdout.splitlines()
    assert len(en_lines) == len(fr_lines)
    for en, fr in zip(en_lines[:-1], fr_lines[:-1], strict=True):
        en_prefix, fr_prefix = PREFIX.match(en), PREFIX.match(fr)
        assert en_prefix and fr_prefix, (en, fr)
        assert en_prefix.group(1) == fr_prefix.group(1)
    unknown_start = next(line for line in fr_lines if " NTX201 " in line)
    assert "il n’existe pas de scène" in unknown_start and "vouliez-vous dire" in unknown_start
    assert re.fullmatch(r"\d+ erreurs(, \d+ avertissements?)? dans \d+ fichiers", fr_lines[-1])
    as_json = _cli("validate", str(BAD), "--lang", "fr", "--format", "json")
    items = json.loads(as_json.stdout)
    assert {tuple(sorted(d)) for d in items} == {
        ("code", "column", "file", "line", "message", "severity")
    }
    assert {d["severity"] for d in items} <= {"error", "warning"}
    clean = _cli("validate", str(ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"), "--lang", "fr")
    assert clean.returncode == 0
    assert re.fullmatch(r"ok\u00a0: (1 fichier valide|\d+ fichiers valides)", clean.stdout.strip())


def test_analyze_in_french_and_its_json_unchanged() -> None:
    sahel = str(ROOT / "scenarios" / "sahel-gold-and-fuel.yaml")
    text = _cli("analyze", sahel, "--lang", "fr")
    assert text.returncode == 0, text.stderr
    for words in ("scènes", "dénouements accessibles", "niveau du hasard", "couverture"):
        assert words in text.stdout
    assert "decision(s)" not in text.stdout and "chance level" not in text.stdout
    english = json.loads(_cli("analyze", sahel, "--json").stdout)
    french = json.loads(_cli("analyze", sahel, "--json", "--lang", "fr").stdout)
    assert french == english


def test_list_in_french_headings_and_count_and_its_json_unchanged() -> None:
    french = _cli("list", "--lang", "fr")
    assert french.returncode == 0, french.stderr
    lines = french.stdout.splitlines()
    assert lines[0].split() == ["ID", "TITRE", "ENVIRONNEMENT", "RÉGION"]
    assert re.fullmatch(r"\d+ scénarios?", lines[-1])
    assert int(lines[-1].split()[0]) == len(lines) - 2
    # keys, ids and codes stay; only the texts a scenario translates (title, summary, region,
    # audience)
    english = json.loads(_cli("list", "--json").stdout)
    french_json = json.loads(_cli("list", "--json", "--lang", "fr").stdout)
    texts = {"title", "summary", "region", "audience"}
    assert [{k: v for k, v in e.items() if k not in texts} for e in french_json] == [
        {k: v for k, v in e.items() if k not in texts} for e in english
    ]
    assert [list(e) for e in french_json] == [list(e) for e in english]
    none = _cli("list", "--lang", "fr", "--region", "nowhere-at-all")
    assert "Aucun scénario ne correspond à ces filtres." in none.stderr


def test_sessions_in_french_headings_status_and_count(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    absent = _cli("sessions", "--db", db, "--lang", "fr")
    assert absent.returncode == 0 and "aucune séance pour l’instant" in absent.stdout
    saved = _cli("run", "sahel-gold-and-fuel", "--choices", "joint-mapping", "--save", "--db", db)
    assert "is saved" in saved.stderr, saved.stderr
    french = _cli("sessions", "--db", db, "--lang", "fr")
    assert french.returncode == 0, french.stderr
    head, row, count = french.stdout.splitlines()
    assert head.split()[:3] == ["ID", "SCÉNARIO", "LIBELLÉ"] and "ÉTAT" in head
    assert "en cours" in row and count == "1 séance"
    english = _cli("sessions", "--db", db, "--json")
    assert _cli("sessions", "--db", db, "--json", "--lang", "fr").stdout == english.stdout
    assert json.loads(english.stdout)[0]["status"] == "active"
    deleted = _cli("sessions", "delete", row.split()[0], "--yes", "--db", db, "--lang", "fr")
    assert deleted.returncode == 0 and deleted.stdout.startswith("supprimé : séance ")


def test_a_yaml_syntax_error_in_french_keeps_its_code_and_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: a: b\n", encoding="utf-8")
    tabbed = tmp_path / "tabbed.yaml"
    tabbed.write_text("id: x\n\ttitle: b\n", encoding="utf-8")
    english = _cli("validate", str(bad), str(tabbed))
    french = _cli("validate", str(bad), str(tabbed), "--lang", "fr")
    assert english.returncode == french.returncode == 1
    syntax, tab = french.stdout.splitlines()[:2]
    assert syntax.startswith(f"{bad}:2:9: error: NTX005 erreur de syntaxe YAML : ")
    assert syntax.endswith(" ; une valeur contenant « : » doit être entre guillemets")
    assert tab.startswith(f"{tabbed}:2:1: error: NTX006 les tabulations ne sont pas permises")
    assert english.stdout.splitlines()[0].startswith(f"{bad}:2:9: error: NTX005 YAML syntax error")


def test_an_analysis_finding_in_french_keeps_its_code_and_location() -> None:
    fixture = ROOT / "tests" / "fixtures" / "analysis" / "ntx303_unreachable_scene.yaml"
    english = _cli("validate", str(fixture))
    french = _cli("validate", str(fixture), "--lang", "fr")
    assert english.returncode == french.returncode
    en_line = next(line for line in english.stdout.splitlines() if " NTX303 " in line)
    fr_line = next(line for line in french.stdout.splitlines() if " NTX303 " in line)
    en_prefix, fr_prefix = PREFIX.match(en_line), PREFIX.match(fr_line)
    assert en_prefix and fr_prefix and en_prefix.group(1) == fr_prefix.group(1)
    assert "n’est jamais atteinte depuis" in fr_line and "aucune scène n’y mène" in fr_line
    assert "is never reached from" in en_line


def test_a_duplicate_key_in_french_keeps_its_code_and_location(tmp_path: Path) -> None:
    dup = tmp_path / "dup.yaml"
    dup.write_text("id: x\nid: y\n", encoding="utf-8")
    french = _cli("validate", str(dup), "--lang", "fr")
    assert french.returncode == 1
    assert french.stdout.splitlines()[0] == (
        f"{dup}:2:1: error: NTX007 clé « id » en double (définie d’abord à la ligne 1) ; "
        "YAML n’en garde qu’une — fusionnez-les ou renommez-en une"
    )


def test_a_choice_never_offered_in_french_keeps_its_code_and_location() -> None:
    fixture = ROOT / "tests" / "fixtures" / "analysis" / "ntx304_choice_never_offered.yaml"
    french = _cli("validate", str(fixture), "--lang", "fr")
    line = next(x for x in french.stdout.splitlines() if " NTX304 " in x)
    assert line.startswith(f"{fixture}:25:9: warning: NTX304 le choix « miracle » à « call » ")
    assert "sa condition « trust > 100 » n’est remplie dans aucun état atteignable" in line
