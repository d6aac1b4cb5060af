"""`nexus-ttx validate` as a user runs it: a subprocess, exit codes, file:line:col messages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
VALID = FIXTURES / "valid" / "complete.yaml"
LINE = re.compile(
    r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
    r"(?P<code>NTX\d{3}) (?P<msg>.+)$",
    re.M,
)

# The bad-input rules (the file-level cases; loops, dead ends and unreachable scenes
# belong to the analysis tests): each gives a located error and exit 1.
BAD_INPUT = {
    "yaml syntax error": "NTX005-syntax-error.yaml",
    "tabs": "NTX006-tab-indentation.yaml",
    "duplicate keys": "NTX007-duplicate-key.yaml",
    "alias bomb": "NTX008-alias-bomb.yaml",
    "non-utf8 bytes": "NTX003-latin1.yaml",
    "wrong type": "NTX103-wrong-type.yaml",
    "unknown key": "NTX102-unknown-key.yaml",
    "unknown scene": "NTX202-unknown-scene.yaml",
    "unknown key action": "NTX204-unknown-key-action.yaml",
    "unknown watch point": "NTX205-unknown-indicator.yaml",
    "unknown variable": "NTX207-undeclared-variable.yaml",
    "code execution tag": "NTX012-python-tag.yaml",
}


def expected(path: Path) -> tuple[str, int, int]:
    code, pos = path.read_bytes().split(b"\n", 1)[0].decode().split()[2:4]
    line, col = pos.split(":")
    return code, int(line), int(col)


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_gets_a_located_error_and_exit_1(cli, tmp_path: Path, case: str) -> None:
    name = BAD_INPUT[case]
    shutil.copy(BAD / name, tmp_path / name)
    result = cli("validate", name)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr + result.stdout
    code, line, col = expected(BAD / name)
    assert f"{name}:{line}:{col}: error: {code} " in result.stdout
    assert all(m.group("file") == name for m in LINE.finditer(result.stdout))


def test_a_file_of_many_megabytes_is_refused(cli, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    chunk = ("# " + "x" * 98 + "\n") * 10_000  # 1 MB of comments
    with big.open("w") as fh:
        fh.write("format: nexus-ttx/1\n")
        for _ in range(52):
            fh.write(chunk)
    result = cli("validate", "big.yaml")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"^big\.yaml:1:1: error: NTX002 .*limit is 48 MB", result.stdout, re.M)


def test_valid_file_exit_0(cli) -> None:
    result = cli("validate", str(VALID))
    assert result.returncode == 0, result
    assert result.stdout.strip() == "ok: 1 file valid"


def test_warnings_pass_unless_strict(cli) -> None:
    path = str(BAD / "NTX211-practice-not-declared.yaml")
    relaxed = cli("validate", path)
    assert relaxed.returncode == 0
    assert ": warning: NTX211 " in relaxed.stdout
    assert relaxed.stdout.rstrip().endswith("1 warning in 1 file")
    strict = cli("validate", "--strict", path)
    assert strict.returncode == 1
    assert ": error: NTX211 " in strict.stdout
    assert strict.stdout.rstrip().endswith("1 error in 1 file")


def test_json_format(cli) -> None:
    result = cli("validate", "--format", "json", str(BAD / "NTX202-unknown-scene.yaml"), str(VALID))
    assert result.returncode == 1
    items = json.loads(result.stdout)
    assert [set(i) for i in items] == [{"file", "line", "column", "severity", "code", "message"}]
    assert items[0]["code"] == "NTX202" and items[0]["line"] == 42 and items[0]["column"] == 15
    clean = cli("validate", "--format", "json", str(VALID))
    assert clean.returncode == 0 and json.loads(clean.stdout) == []


def test_folder_paths_are_shown_as_given_and_summarised(cli, tmp_path: Path) -> None:
    (tmp_path / "lib" / "deep").mkdir(parents=True)
    shutil.copy(VALID, tmp_path / "lib" / "good.yaml")
    shutil.copy(BAD / "NTX201-unknown-start.yaml", tmp_path / "lib" / "deep" / "bad.yml")
    result = cli("validate", "lib")
    assert result.returncode == 1
    lines = result.stdout.strip().split("\n")
    assert lines[0].startswith("lib/deep/bad.yml:21:8: error: NTX201 start: there is no scene")
    assert lines[-1] == "1 error in 2 files"


@pytest.mark.parametrize(
    "args, message",
    [
        (("validate",), "PATH"),
        (("validate", "missing.yaml"), "no such file or folder: missing.yaml"),
        (("validate", "empty-dir"), "no .yaml or .yml files"),
        (("validate", "--format", "xml", "x.yaml"), "invalid choice"),
    ],
)
def test_usage_errors_exit_2(cli, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    (tmp_path / "empty-dir").mkdir()
    result = cli(*args)
    assert result.returncode == 2, result
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_does_not_import_textual(cli) -> None:
    probe = (
        f"import sys, runpy; sys.argv = ['nexus-ttx', 'validate', {str(VALID)!r}];\n"
        "from cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "raise SystemExit(code)"
    )
    import subprocess
    import sys

    from tests.conftest import ROOT

    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
