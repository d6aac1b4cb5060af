"""`nexus-ttx new` scaffolds a scenario that validates strictly and plays as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.author.scaffold import scaffold


def test_new_validates_strictly_and_plays(cli, tmp_path: Path) -> None:
    made = cli(
        "new",
        "coastal-fuel",
        "--environment",
        "transitional",
        "--region",
        'Gulf of Guinea ("coastal")',
        "--dir",
        "drafts",
    )
    assert made.returncode == 0, made.stderr
    path = tmp_path / "drafts" / "coastal-fuel.yaml"
    assert "wrote drafts/coastal-fuel.yaml" in made.stdout or "coastal-fuel.yaml" in made.stdout
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / first_line.split("$schema=", 1)[1]).resolve()
    assert schema.name == "scenario.schema.json" and schema.is_file()

    checked = cli("validate", "--strict", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    played = cli("run", str(path), "--choices", "dialogue", "--json")
    assert played.returncode == 0, played.stderr
    result = json.loads(played.stdout)
    assert result["alignment"] == 100.0
    assert result["outcome"] == "success"


def test_new_refuses_to_overwrite_and_bad_ids(cli, tmp_path: Path) -> None:
    assert cli("new", "x-1", "--environment", "post-conflict", "--region", "R").returncode == 0
    again = cli("new", "x-1", "--environment", "post-conflict", "--region", "R")
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = cli("new", "Bad_Id", "--environment", "post-conflict", "--region", "R")
    assert bad.returncode == 2 and "not a valid scenario id" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_scaffold_rejects_unknown_environment() -> None:
    with pytest.raises(ValueError, match="unknown environment"):
        scaffold("a", "stable", "R", "x")
