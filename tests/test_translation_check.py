"""Scenario translations: the id rule, checks (NTX501-NTX509 fixtures), update, load-time apply."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.check.translations import check_translation_file
from engine.check.validate import load_scenario, validate_file
from engine.core.diagnostics import CODES
from engine.core.model import Scenario
from engine.load.scenario_text import scenario_fields
from engine.load.translation import Entry, read_translation, render_translation

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "translations"
OK = FIXTURES / "ok"
CODE_DIRS = sorted(p for p in FIXTURES.iterdir() if p.name.startswith("NTX"))
EXPECT = re.compile(r"^# expect: (NTX\d{3}) (\d+):(\d+)")


def _po(folder: Path) -> Path:
    (po,) = folder.glob("*.po")
    return po


@pytest.mark.parametrize("folder", CODE_DIRS, ids=lambda p: p.name)
def test_each_fixture_reports_its_code_at_its_place(folder: Path) -> None:
    po = _po(folder)
    first = po.read_bytes().split(b"\n", 1)[0].decode("ascii")
    code, line, column = EXPECT.match(first).groups()  # type: ignore[union-attr]
    assert folder.name.startswith(code)
    found = check_translation_file(po).diagnostics
    assert (code, int(line), int(column)) in [(d.code, d.line, d.column) for d in found], found
    hit = next(d for d in found if d.code == code)
    assert hit.severity == CODES[code].severity and hit.file == str(po)


def test_every_translation_code_has_a_fixture() -> None:
    mine = {c for c in CODES if c.startswith("NTX5")}
    assert {p.name[:6] for p in CODE_DIRS} == mine


def test_validate_checks_the_po_files_beside_and_under(cli: Any) -> None:
    result = cli("validate", "--format", "json", str(FIXTURES))
    assert result.returncode == 1
    codes = {d["code"] for d in json.loads(result.stdout)}
    assert {"NTX501", "NTX502", "NTX503", "NTX504", "NTX505", "NTX506"} <= codes
    assert {"NTX507", "NTX508", "NTX509"} <= codes
    one = cli("validate", str(FIXTURES / "NTX504-unknown-id" / "complete.yaml"))
    assert "complete.fr.po:99:9: error: NTX504 'scene.riott.title'" in one.stdout
    assert "did you mean 'scene.riot.title'" in one.stdout


def test_the_complete_translation_is_clean_even_strict(cli: Any) -> None:
    assert cli("validate", "--strict", str(OK)).returncode == 0
    check = cli("i18n", "check", str(OK / "complete.yaml"), "--strict", "--json")
    assert check.returncode == 0, check.stderr
    (counts,) = json.loads(check.stdout)
    assert counts["total"] == counts["translated"] == 23
    assert (counts["missing"], counts["stale"], counts["unknown"]) == (0, 0, 0)


def test_check_exit_codes(cli: Any) -> None:
    scenario = str(FIXTURES / "NTX507-missing" / "complete.yaml")
    assert cli("i18n", "check", scenario).returncode == 0  # missing: a warning
    assert cli("i18n", "check", scenario, "--strict").returncode == 1
    unknown = cli("i18n", "check", str(FIXTURES / "NTX504-unknown-id" / "complete.yaml"))
    assert unknown.returncode == 1
    assert "1 unknown" in unknown.stdout
    broken = cli("i18n", "check", str(FIXTURES / "NTX501-unquoted" / "complete.yaml"))
    assert broken.returncode == 1 and "NTX501" in broken.stdout


# --- the logic never changes -----------------------------------------------------------------


def _logic(s: Scenario) -> Any:
    """Everything but the texts: ids, kinds, branches, effects, scoring, the content hash."""
    return (
        s.id,
        s.start,
        s.language,
        s.content_hash,
        s.environment,
        s.good_practices,
        tuple((v.id, v.initial, v.min, v.max) for v in s.variables),
        tuple((o.id, o.practices) for o in s.objectives),
        tuple(r.id for r in s.roles),
        tuple(
            (i.id, i.repeatable, i.condition, i.effects, i.set, i.watch_points, len(i.discussion))
            for i in s.injects
        ),
        tuple(
            (
                sc.id,
                sc.kind,
                sc.next,
                sc.recommended,
                sc.watch_points,
                sc.outcome,
                sc.order,
                len(sc.discussion),
                tuple((o.id, o.tags) for o in sc.options),
                tuple(role for role, _text in sc.private),
                tuple(
                    (c.id, c.next, c.enacts, c.harmful, c.effects, c.set, c.condition)
                    for c in sc.choices
                ),
            )
            for sc in s.scenes.values()
        ),
    )


def _texts(s: Scenario) -> list[str]:
    out = [s.title, s.summary, s.region, *(v.label for v in s.variables)]
    for sc in s.scenes.values():
        out += [sc.title, sc.text, *sc.discussion]
        out += [t for c in sc.choices for t in (c.text, c.feedback or "")]
    return out


def test_the_french_fixture_changes_texts_only() -> None:
    base = load_scenario(OK / "complete.yaml")
    french = load_scenario(OK / "complete.yaml", "fr")
    assert _logic(french) == _logic(base)
    assert french.language == "en"  # the base language stays: the session records the other
    assert french.title == "L'or, le carburant et un convoi"
    assert french.scene("riot").title == "Émeute"
    assert french.audience == ("magistrats du parquet", "police des frontières")
    assert french.scene("first-call").choice("raid").feedback.startswith("Une descente")
    assert load_scenario(OK / "complete.yaml", "de") == base  # no such file: the base


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_translation_subset_keeps_the_logic(tmp_path_factory: Any, data: Any) -> None:
    folder = tmp_path_factory.mktemp("t")
    shutil.copy(OK / "complete.yaml", folder / "complete.yaml")
    base = load_scenario(folder / "complete.yaml")
    fields = list(scenario_fields(validate_file(folder / "complete.yaml").data).values())
    chosen = data.draw(st.lists(st.sampled_from(fields), unique_by=lambda f: f.id))
    words = st.text(alphabet="abcdéèçàô ?!«»", min_size=1, max_size=30).filter(str.strip)
    entries = [Entry(f.id, f.text, data.draw(words)) for f in chosen]
    (folder / "complete.fr.po").write_bytes(render_translation(entries, "fr"))
    french = load_scenario(folder / "complete.yaml", "fr")
    assert _logic(french) == _logic(base)
    changed = sum(a != b for a, b in zip(_texts(base), _texts(french), strict=True))
    assert changed <= len(chosen)


def test_an_untranslated_po_changes_nothing(tmp_path: Path, cli: Any) -> None:
    shutil.copy(OK / "complete.yaml", tmp_path / "complete.yaml")
    made = cli("i18n", "update", str(tmp_path / "complete.yaml"), "--lang", "fr")
    assert made.returncode == 0, made.stderr
    # --lang is also the interface's language: the summary is in French
    assert "créé" in made.stdout and "textes\u00a0: 23" in made.stdout
    base = load_scenario(tmp_path / "complete.yaml")
    assert load_scenario(tmp_path / "complete.yaml", "fr") == base


def test_fuzzy_is_not_used_and_empty_falls_back(tmp_path: Path) -> None:
    shutil.copy(OK / "complete.yaml", tmp_path / "complete.yaml")
    text = (OK / "complete.fr.po").read_text(encoding="utf-8")
    text = text.replace('msgctxt "scene.riot.title"', '#, fuzzy\nmsgctxt "scene.riot.title"')
    text = text.replace('msgstr "Le marché brûle."', 'msgstr ""')
    (tmp_path / "complete.fr.po").write_text(text, encoding="utf-8")
    french = load_scenario(tmp_path / "complete.yaml", "fr")
    assert french.scene("riot").title == "Riot"  # fuzzy: the base text
    assert french.scene("riot").text.strip() == "The market burns."  # empty: the base text
    assert french.scene("convoy").title == "Un convoi est arrêté"
    codes = [d.code for d in check_translation_file(tmp_path / "complete.fr.po").diagnostics]
    assert sorted(codes) == ["NTX507", "NTX508"]


def test_a_changed_base_text_is_stale_falls_back_and_update_marks_it(
    tmp_path: Path, cli: Any
) -> None:
    shutil.copy(OK / "complete.fr.po", tmp_path / "complete.fr.po")
    base = (OK / "complete.yaml").read_text(encoding="utf-8")
    assert "title: Riot" in base
    (tmp_path / "complete.yaml").write_text(base.replace("title: Riot", "title: A riot"))
    scenario = tmp_path / "complete.yaml"
    french = load_scenario(scenario, "fr")
    assert french.scene("riot").title == "A riot"  # stale: the new English, not old French
    assert french.scene("riot").text == "Le marché brûle."
    (stale,) = check_translation_file(tmp_path / "complete.fr.po").diagnostics
    assert stale.code == "NTX508" and "changed" in stale.message
    updated = cli("i18n", "update", str(scenario), "--lang", "fr")
    assert "modifiés dans la version de base (désormais fuzzy)\u00a0: 1" in updated.stdout
    po = read_translation(tmp_path / "complete.fr.po")
    entry = po.entries["scene.riot.title"]
    assert (entry.msgid, entry.msgstr, entry.fuzzy) == ("A riot", "Émeute", True)
    assert entry.previous_msgid == "Riot"
    assert '#| msgid "Riot"' in (tmp_path / "complete.fr.po").read_text(encoding="utf-8")
    assert load_scenario(scenario, "fr").scene("riot").title == "A riot"  # fuzzy: not used
    check = cli("i18n", "check", str(scenario), "--strict")
    assert check.returncode == 1 and "1 stale" in check.stdout


def test_update_keeps_removed_texts_as_obsolete_and_revives_them(tmp_path: Path, cli: Any) -> None:
    shutil.copy(OK / "complete.fr.po", tmp_path / "complete.fr.po")
    base = (OK / "complete.yaml").read_text(encoding="utf-8")
    scenario = tmp_path / "complete.yaml"
    scenario.write_text(base.replace('    discussion: ["What would you do differently?"]\n', ""))
    assert scenario.read_text() != base
    out = cli("i18n", "update", str(scenario), "--lang", "fr")
    assert out.returncode == 0, out.stderr
    assert "absents du scénario (conservés en #~)\u00a0: 1" in out.stdout
    text = (tmp_path / "complete.fr.po").read_text(encoding="utf-8")
    assert '#~ msgctxt "scene.debrief.discussion.0"' in text
    assert '#~ msgstr "Que feriez-vous autrement ?"' in text
    assert cli("i18n", "check", str(scenario), "--strict").returncode == 0
    scenario.write_text(base)
    again = cli("i18n", "update", str(scenario), "--lang", "fr")
    assert "rétablis\u00a0: 1" in again.stdout
    assert load_scenario(scenario, "fr").scene("debrief").discussion == (
        "Que feriez-vous autrement ?",
    )


def test_extract_writes_a_template(tmp_path: Path, cli: Any) -> None:
    out = tmp_path / "complete.pot"
    result = cli("i18n", "extract", str(OK / "complete.yaml"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    pot = read_translation(out)
    assert pot.diagnostics == ()
    assert len(pot.entries) == 23 and all(e.msgstr == "" for e in pot.entries.values())
    assert pot.entries["choice.first-call.raid.feedback"].notes == (
        "complete.yaml:40 scenes.first-call.choices.0.feedback",
    )
    printed = cli("i18n", "extract", str(OK / "complete.yaml"))
    assert printed.stdout.count("\nmsgctxt ") == 23


def test_i18n_refuses_bad_input(tmp_path: Path, cli: Any) -> None:
    assert cli("i18n", "update", str(OK / "complete.yaml")).returncode == 1  # no --lang
    bad = cli("i18n", "update", str(OK / "complete.yaml"), "--lang", "../x")
    assert bad.returncode == 1 and "not a language code" in bad.stderr
    broken = FIXTURES / "NTX501-unquoted"
    shutil.copytree(broken, tmp_path / "b")
    refused = cli("i18n", "update", str(tmp_path / "b" / "complete.yaml"), "--lang", "fr")
    assert refused.returncode == 1 and "NTX501" in refused.stderr
    assert (tmp_path / "b" / "complete.fr.po").read_bytes() == _po(broken).read_bytes()
    for result in (bad, refused):
        assert "Traceback" not in result.stderr


def test_a_broken_translation_is_refused_at_load(tmp_path: Path, cli: Any) -> None:
    shutil.copytree(FIXTURES / "NTX501-unquoted", tmp_path / "b")
    from engine.check.validate import ScenarioInvalid

    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(tmp_path / "b" / "complete.yaml", "fr")
    assert caught.value.result.diagnostics[0].code == "NTX501"


def test_the_library_lists_no_po_file(tmp_path: Path, cli: Any) -> None:
    shutil.copytree(OK, tmp_path / "lib")
    shutil.copy(FIXTURES / "NTX501-unquoted" / "complete.fr.po", tmp_path / "lib" / "x.fr.po")
    listed = cli("list", "--json", "--library", str(tmp_path / "lib"))
    assert listed.returncode == 0, listed.stderr
    paths = [entry["path"] for entry in json.loads(listed.stdout)]
    assert not [p for p in paths if p.endswith(".po")]
    assert ".po" not in listed.stderr


def test_the_french_scenarios_are_complete_and_clean(cli: Any) -> None:
    for po in sorted((ROOT / "scenarios").glob("*.fr.po")):
        base = po.with_name(po.name.replace(".fr.po", ".yaml"))
        if base.name == "toolkit.yaml":
            continue
        result = cli("i18n", "check", str(base), "--lang", "fr", "--strict")
        assert result.returncode == 0, result.stdout + result.stderr


LAYERS = ROOT / "tests" / "fixtures" / "valid" / "layers.yaml"


def test_roles_injects_private_texts_and_drill_options_are_translated(tmp_path: Path) -> None:
    shutil.copy(LAYERS, tmp_path / "layers.yaml")
    result = validate_file(tmp_path / "layers.yaml")
    fields = scenario_fields(result.data)
    wanted = {
        "role.police.title",
        "role.fiu.brief",
        "scene.first-call.private.fiu",
        "option.spot-the-signs.red-herring.text",
        "inject.press-leak.text",
        "inject.press-leak.discussion.0",
        "inject.press-leak.private.police",
    }
    assert wanted <= set(fields)
    entries = [Entry(f.id, f.text, f"FR {f.id}") for f in fields.values()]
    (tmp_path / "layers.fr.po").write_bytes(render_translation(entries, "fr"))
    base = load_scenario(tmp_path / "layers.yaml")
    french = load_scenario(tmp_path / "layers.yaml", "fr")
    assert _logic(french) == _logic(base)
    assert [(r.id, r.title) for r in french.roles] == [
        (r.id, f"FR role.{r.id}.title") for r in base.roles
    ]
    leak = next(i for i in french.injects if i.id == "press-leak")
    base_leak = next(i for i in base.injects if i.id == "press-leak")
    assert leak.text.startswith("FR inject.press-leak.text")
    assert leak.private_for("police") == "FR inject.press-leak.private.police"
    assert (leak.effects, leak.set, leak.condition, leak.repeatable) == (
        base_leak.effects,
        base_leak.set,
        base_leak.condition,
        base_leak.repeatable,
    )
    drill = french.scene("spot-the-signs")
    assert [(o.id, o.tags) for o in drill.options] == [
        (o.id, o.tags) for o in base.scene("spot-the-signs").options
    ]
    assert all(o.text == f"FR option.spot-the-signs.{o.id}.text" for o in drill.options)
    assert drill.private_for("fiu") == "FR scene.spot-the-signs.private.fiu"


SAHEL_PATH = (
    "joint-mapping,integrity-review,joint-cell,joint-finance-cell,co-run-reporting,"
    "joint-assessment,coordination-table,coordinated-operation"
)


def test_run_in_french_keeps_keys_and_ids_english_and_texts_french(cli: Any) -> None:
    english = cli("run", "sahel-gold-and-fuel", "--choices", SAHEL_PATH, "--json")
    french = cli("run", "sahel-gold-and-fuel", "--lang", "fr", "--choices", SAHEL_PATH, "--json")
    assert english.returncode == french.returncode == 0, french.stderr
    en, fr = json.loads(english.stdout), json.loads(french.stdout)

    def shape(value: Any) -> Any:  # keys, ids and numbers: everything but the texts
        if isinstance(value, dict):
            return {
                k: shape(v)
                for k, v in value.items()
                if k not in {"title", "text", "feedback", "session"}
            }
        if isinstance(value, list):
            return [shape(v) for v in value]
        return value

    assert shape(fr) == shape(en)
    assert fr["ending"] == "ending-success" and fr["scenario"] == "sahel-gold-and-fuel"
    first = fr["decisions"][0]
    assert first["scene"] == "d1-picture" and first["choice"] == "joint-mapping"
    assert first["title"] == "Que savons-nous vraiment\u00a0?"
    assert first["text"].startswith("Inviter les chercheurs de Niamey")
    assert first["feedback"].startswith("L'étape 1 de la GP3")
    for en_decision, fr_decision in zip(en["decisions"], fr["decisions"], strict=True):
        for key in ("title", "text", "feedback"):
            assert fr_decision[key] != en_decision[key], (key, fr_decision[key])


def test_a_session_keeps_its_language_for_resume_and_reports(cli: Any) -> None:
    made = cli("run", "sahel-gold-and-fuel", "--lang", "fr", "--choices", "joint-mapping", "--save")
    assert made.returncode == 1  # stopped at the next decision, kept
    session = made.stderr.split("nexus-ttx resume ")[1].split()[0]  # the message is French
    report = cli("report", session, "--format", "md")
    assert report.returncode == 0, report.stderr
    assert "Que savons-nous vraiment" in report.stdout
    assert "What do we actually know?" not in report.stdout
    english = cli("report", session, "--format", "md", "--lang", "en")
    assert "What do we actually know?" in english.stdout


def test_the_catalog_translation_is_checked_with_the_catalog_ids(tmp_path: Path, cli: Any) -> None:
    shutil.copy(ROOT / "scenarios" / "toolkit.yaml", tmp_path / "toolkit.yaml")
    text = (ROOT / "scenarios" / "toolkit.fr.po").read_text(encoding="utf-8")
    assert 'msgctxt "practice.GP21.title"' in text
    broken = text.replace('msgctxt "practice.GP21.title"', 'msgctxt "practice.GP99.title"')
    (tmp_path / "toolkit.fr.po").write_text(broken, encoding="utf-8")
    (tmp_path / "notes.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    result = cli("validate", "--format", "json", str(tmp_path))
    found = {(Path(d["file"]).name, d["code"]) for d in json.loads(result.stdout)}
    assert ("toolkit.fr.po", "NTX504") in found  # the catalog's id list, not the scenario's
    assert ("toolkit.fr.po", "NTX507") in found  # GP21's title is now untranslated
    assert ("notes.po", "NTX503") in found  # not named NAME.LANG.po: translates nothing
    refused = cli("i18n", "check", str(tmp_path / "toolkit.yaml"))
    assert refused.returncode == 1 and "not a scenario" in refused.stderr


def test_update_keeps_the_translators_header(tmp_path: Path, cli: Any) -> None:
    """The file's opening comment (a glossary) and the translator's header fields survive
    `i18n update`, as with msgmerge; a new file gets the generated comment and placeholders."""
    shutil.copy(OK / "complete.yaml", tmp_path / "complete.yaml")
    scenario = tmp_path / "complete.yaml"
    assert cli("i18n", "update", str(scenario), "--lang", "fr").returncode == 0
    po = tmp_path / "complete.fr.po"
    made = po.read_text(encoding="utf-8")
    assert made.startswith("# fr translation of the scenario")
    assert '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"' in made
    glossary = "# Traduction française.\n#\n# Terminologie :\n#   FIU ... CRF\n"
    fields = {
        "Last-Translator": "Awa Mahamat <awa@example.org>",
        "Language-Team": "Français <fr@example.org>",
        "PO-Revision-Date": "2026-11-30 09:15+0100",
    }
    edited = made[made.index('msgid ""') :]
    edited = edited.replace("FULL NAME <EMAIL@ADDRESS>", fields["Last-Translator"])
    edited = edited.replace("fr <LL@li.org>", fields["Language-Team"])
    edited = edited.replace("YEAR-MO-DA HO:MI+ZONE", fields["PO-Revision-Date"])
    po.write_text(glossary + edited, encoding="utf-8")
    again = cli("i18n", "update", str(scenario), "--lang", "fr")
    assert again.returncode == 0, again.stderr
    text = po.read_text(encoding="utf-8")
    assert text.startswith(glossary + 'msgid ""\n')
    assert "fr translation of the scenario" not in text
    for name, value in fields.items():
        assert f'"{name}: {value}\\n"' in text, name
    assert read_translation(po).diagnostics == ()
