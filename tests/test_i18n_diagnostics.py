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


def _spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


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
        spaced = [_spaces(line) for line in french]  # Babel's French numbers: no-break spaces
        assert any(words in line for line in spaced), (fixture, words, french)
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


ANALYSIS_CASES = [
    ("analysis/ntx301_loop.yaml", "NTX301", "la séance peut tourner en boucle sans fin : choisir"),
    ("analysis/ntx302_dead_end.yaml", "NTX302", "peut aboutir à une impasse : aucun choix n’est"),
    ("analysis/ntx302_dead_end.yaml", "NTX302", "après call: raid (avec trust=10)"),
    ("analysis/ntx306_decision_cannot_score.yaml", "NTX306", "la décision notée « border »"),
    ("analysis/ntx310_best_listed_first.yaml", "NTX310", "en première position dans 2 des 3"),
    ("analysis/ntx311_best_is_longest.yaml", "NTX311", "le texte le plus long dans 2 des 3"),
    ("analysis/ntx312_blind_strategy_wins.yaml", "NTX312", "obtient 50,00 % (1/2) en passant"),
    ("analysis/ntx313_success_after_harm.yaml", "NTX313", "reste atteignable après 2 choix"),
    ("analysis/ntx314_harmful_credit_unexplained.yaml", "NTX314", "le choix préjudiciable"),
    ("analysis/ntx320_branch_never_taken.yaml", "NTX320", "de la liste « next » du choix"),
]


def test_analysis_findings_in_french() -> None:
    _check(ANALYSIS_CASES)


def test_the_state_bound_and_its_advice_in_french() -> None:
    path = str(FIXTURES / "analysis" / "ntx309_state_bound.yaml")
    french = run_cli("--lang", "fr", "analyze", path, "--max-states", "10")
    assert "NTX309" in french.stdout
    assert "l’analyse s’est arrêtée après 10 états" in french.stdout
    assert "augmentez --max-states" in french.stdout


def test_a_runtime_error_in_french_names_the_scene_and_the_state() -> None:
    """NTX308 needs a model validation refuses (a branch list without a last `else`)."""
    from engine.analysis.findings import analysis_diagnostics
    from engine.core import i18n
    from engine.core.model import scenario_from_dict
    from engine.load.yamlload import load_file

    loaded = load_file(FIXTURES / "analysis" / "ntx308_runtime_error.yaml")
    scenario = scenario_from_dict(loaded.data)
    i18n.set_language("fr")
    try:
        found = analysis_diagnostics(scenario, loaded.source, "x.yaml")
    finally:
        i18n.set_language("en")
    assert [d.code for d in found] == ["NTX308"]
    assert found[0].message == (
        "le jeu de « call » échoue dès le départ (avec trust=50) : NoBranchTaken: aucune branche "
        "de la liste « next » du choix « gamble » n’est vraie ; la dernière branche ne doit "
        "pas avoir de « if »"
    )


def _orphans(n: int) -> str:
    scenes = "".join(
        f"  orphan-{i}:\n    kind: narrative\n    title: O\n    text: O.\n    next: done\n"
        for i in range(n)
    )
    text = (FIXTURES / "analysis" / "ntx303_unreachable_scene.yaml").read_text(encoding="utf-8")
    return text.replace("scenes:\n", "scenes:\n" + scenes, 1)


def test_past_the_cap_the_counts_are_french(tmp_path: Path) -> None:
    """More than fifty findings of a code: `analyze` says how many more, `validate` too."""
    path = tmp_path / "many.yaml"
    path.write_text(_orphans(60), encoding="utf-8")
    analyzed = run_cli("--lang", "fr", "analyze", str(path))
    assert "… et 11 autres constats NTX303" in analyzed.stdout
    validated = run_cli("--lang", "fr", "validate", str(path))
    more = [line for line in validated.stdout.splitlines() if " NTX303 … " in line]
    assert [line.split(" NTX303 ", 1)[1] for line in more] == [
        "… et 11 autres constats NTX303",
        "… et 1 autre du même type (seuls les 50 premiers messages NTX303 d’un fichier "
        "sont affichés)",
    ], validated.stdout


CHECK_CASES = [
    (
        "bad/NTX208-condition-syntax.yaml",
        "NTX208",
        "caractère inattendu '=' (utilisez == pour comparer) dans la condition « trust => 40 »",
    ),
    ("bad/NTX220-unknown-objective-practice.yaml", "NTX220", "« GP26 » n’est pas une bonne"),
    ("bad/NTX221-objective-never-recommended.yaml", "NTX221", "aucune décision ne recommande"),
    ("bad/NTX222-duplicate-objective.yaml", "NTX222", "l’identifiant d’objectif « share-money »"),
    ("bad/NTX223-objective-practice-not-declared.yaml", "NTX223", "GP8 ne figure pas dans"),
    ("bad/NTX230-duplicate-role.yaml", "NTX230", "l’identifiant de rôle « police » est utilisé"),
    ("bad/NTX231-private-unknown-role.yaml", "NTX231", "il n’existe pas de rôle « fui »"),
    ("bad/NTX232-unknown-tag.yaml", "NTX232", "« recruitment.9 » n’est ni un facteur"),
    ("bad/NTX233-drill-without-correct-option.yaml", "NTX233", "aucune option n’est juste"),
    ("bad/NTX234-drill-every-option-correct.yaml", "NTX234", "toutes les options sont justes"),
    ("bad/NTX235-duplicate-option.yaml", "NTX235", "l’identifiant d’option « gold-levy »"),
    ("bad/NTX236-inject-id-is-a-scene.yaml", "NTX236", "est aussi celui d’une scène"),
    ("bad/NTX237-duplicate-inject.yaml", "NTX237", "l’identifiant d’inject « press-leak »"),
    ("bad/NTX238-timing-out-of-order.yaml", "NTX238", "3 min, c’est moins que les 4 min de short"),
]


def test_condition_objective_and_layer_errors_in_french() -> None:
    _check(CHECK_CASES)


TRANSLATION_CASES = [
    (
        "translations/NTX501-unquoted/complete.fr.po",
        "NTX501",
        'un texte entre guillemets droits ("...") était attendu ici',
    ),
    ("translations/NTX502-latin1/complete.fr.po", "NTX502", "texte non UTF-8 : l’octet 0xe9"),
    ("translations/NTX505-twice/complete.fr.po", "NTX505", "« scene.riot.title » est traduit"),
    ("translations/NTX506-no-id/complete.fr.po", "NTX506", "cette entrée n’a pas de msgctxt"),
    (
        "translations/NTX509-language/complete.fr.po",
        "NTX509",
        "l’en-tête indique Language: de mais le nom du fichier indique fr",
    ),
    (
        "translations/NTX503-no-base/renamed.fr.po",
        "NTX503",
        "aucun fichier de base « renamed.yaml »",
    ),
    (
        "translations/NTX504-unknown-id/complete.fr.po",
        "NTX504",
        "« scene.riott.title » ne désigne aucun texte du fichier de base",
    ),
    ("translations/NTX507-missing/complete.fr.po", "NTX507", "scene.riot.title n’est pas traduit"),
    (
        "translations/NTX508-stale/complete.fr.po",
        "NTX508",
        "scene.riot.title : le texte de base a changé depuis la traduction",
    ),
]


def test_translation_file_checks_in_french() -> None:
    _check(TRANSLATION_CASES)


AUTHORING_CASES = [
    ("authoring/NTX601/fixture-ntx601.yaml", "NTX601", "n’est pas celui de ce nexus-ttx"),
    ("authoring/NTX602/fixture-ntx602.yaml", "NTX602", "nommé en première ligne n’existe pas"),
    ("authoring/NTX603/fixture-ntx603.yaml", "NTX603", "se trouve dans un environnement Python"),
]


def test_editor_schema_warnings_in_french() -> None:
    _check(AUTHORING_CASES)


def test_toolkit_catalog_rules_in_french(tmp_path: Path) -> None:
    """NTX402-NTX404 on a copy of the catalog with one id misnumbered, one practice listed
    twice under an area, and an unknown practice in an area."""
    text = (ROOT / "scenarios" / "toolkit.yaml").read_text(encoding="utf-8")
    broken = text.replace("- id: corruption.2\n", "- id: corruption.7\n", 1)
    first_short = text.index("short_title: ")
    end = text.index("\n", first_short)
    broken = broken.replace(text[first_short:end], "short_title: " + "x" * 61, 1)
    assert broken != text
    path = tmp_path / "toolkit.yaml"
    path.write_text(broken, encoding="utf-8")
    french = run_cli("--lang", "fr", "validate", str(path))
    line = next(x for x in french.stdout.splitlines() if " NTX403 " in x)
    assert _spaces(line).endswith(
        "l’indicateur 2 de « corruption » doit avoir l’identifiant « corruption.2 », pas "
        "« corruption.7 »"
    ), line
    (short,) = [x for x in french.stdout.splitlines() if " NTX106 " in x]
    assert short.endswith(".short_title : trop long (au plus 60 caractères)"), short


def test_a_scenario_id_two_library_files_use_in_french(tmp_path: Path) -> None:
    sahel = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"
    copy = tmp_path / "my-sahel.yaml"
    copy.write_text(sahel.read_text(encoding="utf-8"), encoding="utf-8")
    french = run_cli("--lang", "fr", "validate", "--library", str(tmp_path), str(copy))
    (line,) = [x for x in french.stdout.splitlines() if " NTX029 " in x]
    assert line.startswith(f"{copy}:") and ": error: NTX029 " in line
    assert "l’identifiant de scénario « sahel-gold-and-fuel » est utilisé par 2 fichiers" in line
    assert f"{copy} et {sahel}" in line or f"{sahel} et {copy}" in line


#: Words an English message has and a French one does not. Quoted material (« … », '…',
#: "…") is the author's own text, ids and conditions, so it is left out before looking.
ENGLISH = (" the ", " must ", " should ", "expected", "found", "cannot", "is not", " is ", " are ")
QUOTED = re.compile(r"«[^»]*»|'[^']*'|\"[^\"]*\"")


def test_no_english_sentence_in_any_french_diagnostic_of_the_fixtures() -> None:
    """Every fixture validate reports on, with --lang fr: the message part is French."""
    result = run_cli("--lang", "fr", "validate", str(FIXTURES))
    messages = [
        m.group(2)
        for m in (
            re.match(r"^(.+?:\d+:\d+: (?:error|warning): NTX\d{3}) (.*)$", line)
            for line in result.stdout.splitlines()
        )
        if m
    ]
    assert len(messages) > 100, result.stdout
    english = [
        message
        for message in messages
        if any(word in QUOTED.sub("", f" {message} ") for word in ENGLISH)
    ]
    assert not english, "\n".join(english)
