"""What a French-speaking facilitator meets outside the TUI, run as subprocesses against a
facilitated Sahel session played in French by three tables: the cohort report, the plan,
resume, the xAPI export, the handouts and the store commands speak French; data (JSON keys,
CSV headers, ids) stays as it is."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.scenarios.sahel_fr_session import play

# English words that no French sentence of ours contains (proper names of standards aside)
ENGLISH = re.compile(
    r"(?<![-\w/])(the|and|with|of|from|written|wrote|sessions?|teams?|choices?|missed|taken|"
    r"Alignment|chance|Status|Now at|Waiting|Corrective|Responsible)(?![-\w/])"
)  # not inside ids, file names or paths (sahel-gold-and-fuel, /tmp/pytest-of-...)


class _Text(HTMLParser):
    """A page's visible text and its tooltips (title, aria-label), without styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")
        self.parts += [v for k, v in attrs if k in ("title", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"[ \t\r\n]+", " ", "".join(parser.parts)).strip()  # keeps no-break spaces


def english_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    db = tmp_path_factory.mktemp("fr") / "s.sqlite3"
    return play(db), {"NEXUS_TTX_DB": str(db), "NEXUS_TTX_LANG": "fr"}


def test_the_cohort_page_is_french(french: tuple[str, dict[str, str]]) -> None:
    _, env = french
    made = run_cli("cohort", "--scenario", "sahel-gold-and-fuel", env=env)
    assert made.returncode == 0, made.stderr
    assert "<html lang=fr>" in made.stdout
    text = page_text(made.stdout)
    for words in ("Cohorte : toutes les séances, scénario sahel-gold-and-fuel", "1 séance, 3 équipes",
                  "Alignement par domaine", "Actions clés les plus souvent manquées",
                  "L'or, le carburant et l'escorte", "hasard 37\u00a0%", "50\u00a0%"):  # fmt: skip
        assert words in text, words
    assert english_in(text) == []


def test_the_cohort_data_keeps_its_keys(french: tuple[str, dict[str, str]]) -> None:
    _, env = french
    rows = list(csv.reader(io.StringIO(run_cli("cohort", "--format", "csv", env=env).stdout)))
    assert rows[0] == ["cohort", "section", "id", "name", "points", "possible", "value"]
    assert rows[3][:4] == ["toutes les séances", "area", "legal", "Considérations juridiques"]
    data = json.loads(run_cli("cohort", "--format", "json", env=env).stdout)
    assert data["scenarios"][0]["title"] == "L'or, le carburant et l'escorte"
    assert {"title", "sessions", "teams", "by_area", "by_practice"} <= set(data)


def test_plan_resume_and_observations_in_french(french: tuple[str, dict[str, str]]) -> None:
    session, env = french
    plan = run_cli("plan", session, env=env).stdout
    assert "Action corrective : Signer un protocole" in plan
    assert "Responsable : Ministère de l'Intérieur, contact : Directeur, CRF" in plan
    assert "Dates : du 15 janvier 2026 au 30 juin 2026" in plan
    status = run_cli("resume", session, env=env).stdout
    assert status.startswith(f"Séance {session} : L'or, le carburant et l'escorte")
    assert "animé, équipes : Table 1" in status and "8 décisions prises" in status
    assert "Position actuelle : La chaîne est rompue aux deux bouts" in status
    for out in (plan, status):
        assert english_in(out) == [], out


def test_the_export_tags_french_texts_as_french(french: tuple[str, dict[str, str]], tmp_path):
    session, env = french
    out = tmp_path / "x.jsonl"
    made = run_cli("export", session, "-o", str(out), env=env)
    assert made.returncode == 0 and made.stdout.startswith("27 déclarations xAPI écrites dans")
    statements = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    answered = statements[0]
    assert answered["context"]["language"] == "fr"
    assert answered["verb"]["display"]["fr-FR"] == "a répondu"
    name = answered["object"]["definition"]["name"]
    assert list(name) == ["fr"] and name["fr"] == "Que savons-nous vraiment\u00a0?"
    english = run_cli("export", session, "--lang", "en", env=env).stdout.splitlines()
    assert json.loads(english[0])["object"]["definition"]["name"] == {
        "en": "What do we actually know?"
    }


def test_a_facilitators_slip_is_answered_in_french(
    french: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    session, env = french
    dated = run_cli("plan", session, "add", "--issue", "Partage", "--start", "demain", env=env)
    assert dated.returncode != 0
    assert "« start » doit être une date comme 2026-03-31" in dated.stderr
    wrong = run_cli("run", "scenarios/sahel-gold-and-fuel.yaml", "--choices", "zz", env=env)
    assert wrong.returncode != 0
    assert "il n’y a pas de choix « zz » ; options proposées :" in wrong.stderr
    assert "Traceback" not in dated.stderr + wrong.stderr


def test_export_asks_for_the_lrs_password_in_french(french: tuple[str, dict[str, str]]) -> None:
    session, env = french
    asked = run_cli(
        "export", session, "--lrs", "http://127.0.0.1:9/xAPI", "--lrs-user", "u", env=env, input=""
    )
    assert asked.returncode != 0
    assert "définissez NEXUS_TTX_LRS_PASSWORD pour le mot de passe du LRS" in asked.stderr
    assert "Traceback" not in asked.stderr


@pytest.mark.parametrize("who", ["participant", "facilitator"])
def test_the_handouts_carry_the_french_scenario(who: str, tmp_path: Path) -> None:
    out = tmp_path / f"{who}.html"
    extra = ["--facilitator"] if who == "facilitator" else []
    made = run_cli(
        "handout", "sahel-gold-and-fuel", *extra, "-o", str(out), env={"NEXUS_TTX_LANG": "fr"}
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"{out} écrit"
    text = page_text(out.read_text(encoding="utf-8"))
    assert "L'or, le carburant et l'escorte" in text
    assert "In-Wassadene et le corridor de Kalbouré" in text  # the briefing, read out first
    assert "Gold, Fuel and the Escort" not in text and "Kalbouré corridor" not in text
    if who == "facilitator":
        assert "Que savons-nous vraiment\u00a0?" in text and "What do we actually" not in text


def test_store_copy_and_schema_speak_french(french: tuple[str, dict[str, str]], tmp_path):
    _, env = french
    copy = run_cli("store", "copy", env["NEXUS_TTX_DB"], str(tmp_path / "c.sqlite3"), env=env)
    assert re.match(r"1 séance copiée \(\d+ événements\) de ", copy.stdout), copy.stdout
    schema = run_cli("schema", "--write", str(tmp_path), env=env)
    assert "écrit" in schema.stdout and "la première ligne" in schema.stdout
    assert english_in(copy.stdout + schema.stdout) == []


def test_serve_announces_itself_in_the_sessions_language(tmp_path: Path) -> None:
    """The lines the facilitator reads when the participants' server starts (no --lang: the
    session was started in French), and the sessions list's mode column."""
    import os
    import subprocess
    import sys

    from engine.check.validate import load_scenario
    from engine.core import i18n
    from engine.exercise.exercise import Exercise
    from engine.store.sqlite import Store
    from tests.conftest import ROOT
    from tests.scenarios.sahel_fr_session import SAHEL, TEAMS

    db = tmp_path / "live.sqlite3"
    i18n.set_language("fr")
    try:
        with Store(db) as store:
            sid = Exercise.start(
                store, load_scenario(SAHEL, "fr"), scenario_path=str(SAHEL),
                mode="facilitated", teams=TEAMS,
            ).session_id  # fmt: skip
    finally:
        i18n.set_language("en")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXUS_TTX_", "LC_", "LANG"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", sid, "--db", str(db), "--port", "0"],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(4)]
    finally:
        proc.kill()
        proc.wait()
    assert lines[0].startswith(f"Séance {sid} ouverte sur http://127.0.0.1:")
    assert re.fullmatch(r"Code de connexion : [A-Z0-9]{6}", lines[1])
    assert lines[2].startswith("Écran de projection : http://127.0.0.1:")
    assert lines[3] == "Appuyez sur Ctrl+C pour arrêter."
    listed = run_cli("sessions", env={"NEXUS_TTX_DB": str(db), "NEXUS_TTX_LANG": "fr"}).stdout
    assert " animé " in listed and "facilitated" not in listed
