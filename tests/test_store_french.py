"""The session store's refusals reach a French facilitator in French, and the TUI's store
warning gives the `--db` advice once."""

from __future__ import annotations

from pathlib import Path

from engine.core.i18n import set_language
from engine.store.base import StoreError
from tests.conftest import run_cli
from tui.app import store_advice


def test_a_file_that_is_not_a_store_is_refused_in_french(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database\n", encoding="utf-8")
    result = run_cli("--lang", "fr", "sessions", "--db", str(bogus))
    assert result.returncode == 1
    assert "n’est pas un stockage de séances nexus-ttx" in result.stderr
    assert "rien n’a été modifié" in result.stderr
    assert "Traceback" not in result.stderr
    assert bogus.read_text(encoding="utf-8") == "not a database\n"


def test_an_unknown_session_is_named_in_french(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    played = run_cli(
        "run",
        "scenarios/prison-cell-west-europe.yaml",
        "--save",
        "--db",
        str(db),
        "--choices",
        "structured-intel",
    )
    assert "Traceback" not in played.stderr
    result = run_cli("--lang", "fr", "report", "zz-no-such", "--db", str(db))
    assert result.returncode != 0
    assert "aucune séance « zz-no-such »" in result.stderr


def test_store_advice_gives_the_db_advice_once() -> None:
    set_language("en")
    try:
        told = store_advice(StoreError("x.sqlite3 is not a store; pass another file with --db"))
        untold = store_advice(StoreError("cannot open the session store x.sqlite3: disk I/O"))
        assert told.count("--db") == 1
        assert untold.count("--db") == 1
        set_language("fr")
        assert "Les séances ne peuvent pas être enregistrées" in store_advice(StoreError("--db"))
    finally:
        set_language("en")
