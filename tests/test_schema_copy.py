"""The schema that travels: `schema --write`, the modeline `new` writes, and validate's NTX601-603."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.author.schema_copy import (
    COPY_PATH,
    CopyState,
    classify,
    find_modeline,
    modeline,
    schema_ref,
)
from engine.core.resources import schema_path

INSTALLED = schema_path("scenario.schema.json").read_text(encoding="utf-8")


def test_schema_write_copies_the_installed_schema_and_refreshes_it(cli, tmp_path: Path) -> None:
    first = cli("schema", "--write", "authors")
    assert first.returncode == 0, first.stderr
    copy = tmp_path / "authors" / COPY_PATH
    assert copy.read_text(encoding="utf-8") == INSTALLED
    assert modeline(COPY_PATH) in first.stdout

    again = cli("schema", "--write", "authors")
    assert again.returncode == 0 and "up to date" in again.stdout

    copy.write_text('{"old": true}\n', encoding="utf-8")
    refreshed = cli("schema", "--write", "authors")
    assert refreshed.returncode == 0 and "wrote" in refreshed.stdout
    assert copy.read_text(encoding="utf-8") == INSTALLED


def test_schema_write_refuses_a_file(cli, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = cli("schema", "--write", "a-file")
    assert result.returncode == 2
    assert "is not a folder" in result.stderr and "Traceback" not in result.stderr


def test_schema_prints_and_checks(cli) -> None:
    printed = cli("schema")
    assert printed.returncode == 0 and printed.stdout == INSTALLED
    checked = cli("schema", "--check")
    assert checked.returncode == 0 and "matches the catalog" in checked.stdout


def test_the_modeline_is_found_where_editors_read_it() -> None:
    text = "# a comment\n" + modeline("../.nexus-ttx/scenario.schema.json") + "\nformat: x\n"
    found = find_modeline(text)
    assert found is not None and (found.line, found.column) == (2, 33)
    assert found.ref == "../.nexus-ttx/scenario.schema.json"
    assert find_modeline("format: x\n" + modeline(COPY_PATH)) is None  # not a leading comment
    assert find_modeline(modeline("../schemas/toolkit.schema.json")) is None  # another schema


def test_copies_are_classified() -> None:
    assert classify(COPY_PATH, INSTALLED, INSTALLED) is CopyState.CURRENT
    assert classify(COPY_PATH, "{}", INSTALLED) is CopyState.DIFFERENT
    assert classify(COPY_PATH, None, INSTALLED) is CopyState.MISSING
    venv = "../../.venv/lib/python3.11/site-packages/engine/_data/schemas/scenario.schema.json"
    assert classify(venv, INSTALLED, INSTALLED) is CopyState.IN_ENVIRONMENT
    assert classify("../schemas/scenario.schema.json", None, INSTALLED) is CopyState.CURRENT


segment = st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True)


@given(st.lists(segment, max_size=4), st.lists(segment, max_size=3))
def test_schema_ref_leads_from_the_scenario_to_the_copy(
    scenario: list[str], root: list[str]
) -> None:
    """Following the modeline from the scenario's folder arrives at ROOT/.nexus-ttx/..."""
    import posixpath

    scenario_dir = posixpath.join(*root, *scenario) if root or scenario else ""
    copy_root = posixpath.join(*root) if root else ""
    ref = schema_ref(scenario_dir, copy_root)
    assert not ref.startswith("/")
    assert posixpath.normpath(posixpath.join(scenario_dir, ref)) == posixpath.normpath(
        posixpath.join(copy_root, COPY_PATH)
    )


AUTHORING = Path(__file__).resolve().parent / "fixtures" / "authoring"


@pytest.mark.parametrize("code", ["NTX601", "NTX602", "NTX603"])
def test_validate_warns_about_the_editor_schema(cli, code: str) -> None:
    folder = AUTHORING / code
    result = cli("validate", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [x for x in result.stdout.splitlines() if ": warning: " in x]
    assert line.startswith(f"{folder / f'fixture-{code.lower()}.yaml'}:1:33: warning: {code} ")
    assert f"nexus-ttx schema --write {folder}" in line
    strict = cli("validate", "--strict", str(folder))
    assert strict.returncode == 1 and f"error: {code}" in strict.stdout


def test_new_writes_a_modeline_that_survives_a_move(cli, tmp_path: Path) -> None:
    made = cli(
        "new", "coastal-fuel", "--environment", "transitional", "--region", "Gulf", "--dir", "a"
    )
    assert made.returncode == 0, made.stderr
    scenario = tmp_path / "a" / "coastal-fuel.yaml"
    assert scenario.read_text(encoding="utf-8").splitlines()[0] == modeline(COPY_PATH)
    assert (tmp_path / "a" / COPY_PATH).read_text(encoding="utf-8") == INSTALLED
    (tmp_path / "a").rename(tmp_path / "cloned-elsewhere")  # a colleague's clone
    moved = tmp_path / "cloned-elsewhere" / "coastal-fuel.yaml"
    found = find_modeline(moved.read_text(encoding="utf-8"))
    assert found is not None and (moved.parent / found.ref).is_file()
    checked = cli("validate", "--strict", str(moved))
    assert checked.returncode == 0 and "NTX60" not in checked.stdout


def test_a_stale_copy_is_refreshed_by_schema_write(cli, tmp_path: Path) -> None:
    cli("new", "coastal-fuel", "--environment", "transitional", "--region", "Gulf", "--dir", "a")
    (tmp_path / "a" / COPY_PATH).write_text("{}\n", encoding="utf-8")
    assert "NTX601" in cli("validate", "a").stdout
    assert cli("schema", "--write", "a").returncode == 0
    assert "NTX601" not in cli("validate", "a").stdout


def test_the_modeline_never_makes_validate_read_a_pipe(cli, tmp_path: Path) -> None:
    import os
    import shutil

    (tmp_path / "s" / ".nexus-ttx").mkdir(parents=True)
    os.mkfifo(tmp_path / "s" / COPY_PATH)  # reading it would wait for a writer forever
    shutil.copy(AUTHORING / "NTX602" / "fixture-ntx602.yaml", tmp_path / "s" / "x.yaml")
    result = cli("validate", "s", timeout=60)
    assert "x.yaml:1:33: warning: NTX602" in result.stdout and "Traceback" not in result.stderr
