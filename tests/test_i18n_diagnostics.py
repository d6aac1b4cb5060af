"""`validate --lang fr`: every diagnostic family speaks French, and keeps its code and its
`file:line:col: severity: CODE` prefix (the real CLI, as a subprocess)."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

PREFIX = re.compile(r"^(.+?:\d+:\d+: (?:error|warning): NTX\d{3}) ")


@cache
def _validate(language: str, *paths: str) -> dict[tuple[str, str], list[str]]:
    """(file, code) -> the message parts validate prints for it, in `language`."""
    result = run_cli("--lang", language, "validate", *paths)
    assert "Traceback" not in result.stderr, result.stderr
    out: dict[tuple[str, str], list[str]] = {}
    for line in result.stdout.splitlines():
        m = PREFIX.match(line)
        if m:
            file, code = m.group(1).split(":", 1)[0], m.group(1).rsplit(" ", 1)[1]
            out.setdefault((file, code), []).append(line)
    return out


def _lines(language: str, paths: tuple[str, ...], path: str, code: str) -> list[str]:
    return _validate(language, *paths)[(path, code)]


def _check(cases: list[tuple[str, str, str]], language: str = "fr") -> None:
    """Each (fixture, code, French words) prints a line of that code, in French, located where
    the English one is."""
    paths = tuple(sorted({str(FIXTURES / f) for f, _, _ in cases}))
    for fixture, code, words in cases:
        path = str(FIXTURES / fixture)
        french = _lines(language, paths, path, code)
        english = _lines("en", paths, path, code)
        assert [PREFIX.match(x).group(1) for x in french] == [  # type: ignore[union-attr]
            PREFIX.match(x).group(1)  # type: ignore[union-attr]
            for x in english
        ], fixture
        assert any(words in line for line in french), (fixture, words, french)
        assert french != english


FILE_CASES = [
    ("bad/NTX003-control-character.yaml", "NTX003", "le caractère de contrôle U+0007"),
    ("bad/NTX004-empty.yaml", "NTX004", "le fichier est vide ; un scénario commence par"),
    ("bad/NTX008-alias-bomb.yaml", "NTX008", "les alias se développent en plus de 100"),
    ("bad/NTX008-recursive-alias.yaml", "NTX008", "se trouve à l’intérieur de sa propre ancre"),
    ("bad/NTX009-two-documents.yaml", "NTX009", "un second document YAML commence ici"),
    ("bad/NTX010-top-level-list.yaml", "NTX010", "le fichier contient une liste"),
    ("bad/NTX011-complex-key.yaml", "NTX011", "une clé doit être un simple texte"),
    ("bad/NTX012-python-tag.yaml", "NTX012", "l’étiquette YAML « !!python/object/apply"),
    ("bad/NTX013-deep-nesting.yaml", "NTX013", "imbriqués sur plus de 64 niveaux"),
    ("bad/NTX014-not-nexus-ttx.yaml", "NTX014", "ce n’est pas un fichier nexus-ttx"),
    ("bad/NTX015-huge-number.yaml", "NTX015", "est trop grand ; les nombres d’un scénario"),
    ("bad/NTX016-escape-in-title.yaml", "NTX016", "contient le caractère de contrôle U+001B"),
    ("bad/NTX020-list-too-long.yaml", "NTX020", "une liste de scénario compte au plus 1"),
]


def test_file_and_yaml_errors_in_french() -> None:
    _check(FILE_CASES)


def test_the_yaml_parsers_own_words_in_french() -> None:
    """NTX005 quotes libyaml's problem and context: both translated, the location kept."""
    _check(
        [
            (
                "bad/NTX005-unclosed-bracket.yaml",
                "NTX005",
                "erreur de syntaxe YAML : une « , » ou le « ] » fermant est introuvable (dans "
                "une liste entre crochets [ ] qui commence à la ligne 35)",
            ),
            (
                "bad/NTX005-syntax-error.yaml",
                "NTX005",
                "une paire « clé: valeur » n’est pas permise à cet endroit",
            ),
        ]
    )


def test_an_unknown_parser_text_is_quoted_as_the_parser_wrote_it() -> None:
    from engine.core import i18n
    from engine.load.yaml_words import context_text, problem_text

    i18n.set_language("fr")
    try:
        assert problem_text("did not find expected key") == (
            "une clé était attendue à cette indentation"
        )
        assert problem_text("a brand new complaint") == "« a brand new complaint »"
        assert context_text("while doing something new") == "« while doing something new »"
        assert problem_text("expected ',' or ']', but got '<scalar>'") == (
            "',' or ']' attendu, mais '<scalar>' trouvé"
        )
    finally:
        i18n.set_language("en")
    assert problem_text("did not find expected key") == "did not find expected key"


def test_a_folder_link_and_special_file_in_french(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    french = run_cli("--lang", "fr", "validate", str(tmp_path))
    assert french.returncode == 1
    out = french.stdout
    assert (
        f"{tmp_path}/pipe.yaml:1:1: error: NTX017 c’est un tube nommé (FIFO), pas un fichier "
        "ordinaire ; il n’a pas été lu"
    ) in out
    assert f"{tmp_path}/broken.yaml:1:1: error: NTX018 ce lien ne pointe vers rien" in out
    assert f"{tmp_path}/loop.yaml:1:1: error: NTX018 ce lien tourne en boucle" in out


SCHEMA_CASES = [
    ("bad/NTX101-missing-outcome.yaml", "NTX101", "scenes.riot : une scène de type ending exige"),
    ("bad/NTX101-missing-text.yaml", "NTX101", "scenes.convoy : « text » manque"),
    ("bad/NTX102-unknown-key.yaml", "NTX102", "scenes.briefing : clé inconnue « titel »"),
    (
        "bad/NTX103-unquoted-colon.yaml",
        "NTX103",
        "attendu du texte, reçu un bloc de clés — un texte qui contient « : »",
    ),
    ("bad/NTX103-wrong-type.yaml", "NTX103", "attendu un nombre entier, reçu le texte « ninety »"),
    ("bad/NTX104-misspelt-kind.yaml", "NTX104", "« decison » ne fait pas partie de narrative"),
    (
        "bad/NTX104-misspelt-watch-point.yaml",
        "NTX104",
        "n’est pas permis ici ; attendu : un facteur des points de vigilance",
    ),
    ("bad/NTX105-bad-key-action-id.yaml", "NTX105", "n’est pas une action clé de la boîte"),
    ("bad/NTX105-bad-scene-id.yaml", "NTX105", "« Riot Scene » n’est pas un identifiant"),
    ("bad/NTX106-empty-list.yaml", "NTX106", "manifestations : doit compter au moins 1 élément"),
    ("bad/NTX107-out-of-range.yaml", "NTX107", "duration_minutes : 0 est hors limites"),
    ("bad/NTX108-listed-twice.yaml", "NTX108", "good_practices : « GP21 » figure deux fois"),
    ("bad/NTX109-next-on-decision.yaml", "NTX109", "n’est pas permis dans une scène de type"),
]


def test_schema_errors_in_french_keep_paths_keys_and_values() -> None:
    _check(SCHEMA_CASES)


def test_every_schema_description_a_message_quotes_is_in_the_catalog() -> None:
    """`expected {description}` quotes the description of a `pattern`/`anyOf`/`oneOf` node;
    each is a message id, so none reaches a French message in English."""
    from engine.load.schema_check import SCHEMA_DESCRIPTIONS

    quoted: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "description" in node and {"pattern", "anyOf", "oneOf"} & set(node):
                quoted.add(node["description"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("scenario.schema.json", "toolkit.schema.json"):
        walk(json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8")))
    assert quoted and quoted <= SCHEMA_DESCRIPTIONS, sorted(quoted - SCHEMA_DESCRIPTIONS)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_json_keeps_codes_and_keys_in_every_language(language: str) -> None:
    path = str(FIXTURES / "bad" / "NTX103-wrong-type.yaml")
    result = run_cli("--lang", language, "validate", path, "--format", "json")
    text = json.dumps(json.loads(result.stdout))
    assert '"code": "NTX103"' in text and '"severity": "error"' in text
