"""--output, written once for every command that has it (cli/commands/common.py `emit`): the
file holds exactly what standard output would, its folder is made when missing, and a path
that cannot be written is one clear line on stderr and exit 1, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPLETE = ROOT / "tests" / "fixtures" / "valid" / "complete.yaml"


@pytest.fixture
def saved(cli) -> tuple[str, object]:
    ran = cli("run", str(COMPLETE), "--choices", "task-force", "--team", "Blue", "--save")
    assert ran.returncode == 0, ran.stderr
    return json.loads(cli("sessions", "--json").stdout)[0]["id"], cli


def commands(session: str) -> dict[str, list[str]]:
    return {
        "handout": ["handout", str(COMPLETE), "--format", "md"],
        "cohort": ["cohort", "--format", "json"],
        "report": ["report", session, "--format", "json"],
        "export": ["export", session, "--format", "xapi"],
    }


@pytest.mark.parametrize("name", ["handout", "cohort", "report", "export"])
def test_output_file_holds_what_stdout_shows(saved, tmp_path: Path, name: str) -> None:
    session, cli = saved
    args = commands(session)[name]
    shown = cli(*args)
    assert shown.returncode == 0, shown.stderr
    out = tmp_path / "new" / "folder" / f"{name}.out"
    written = cli(*args, "--output", str(out))
    assert written.returncode == 0, written.stderr
    assert out.read_bytes() == shown.stdout.encode("utf-8")
    assert str(out) in written.stdout


@pytest.mark.parametrize("name", ["handout", "cohort", "report", "export"])
def test_an_unwritable_path_is_a_message_not_a_traceback(saved, tmp_path: Path, name: str) -> None:
    session, cli = saved
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    result = cli(*commands(session)[name], "--output", str(blocker / "report.out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"nexus-ttx: error: cannot write {blocker / 'report.out'}: Not a directory"
    ]
