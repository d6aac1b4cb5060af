"""The pre-commit hook nexus-ttx offers (`.pre-commit-hooks.yaml`), run by the real pre-commit.

The shipped manifest is checked against pre-commit's own schema (`pre-commit validate-manifest`).
The end-to-end run uses the manifest's hook as a `repo: local` hook with `language: system`
and the entry pointed at this source tree: with `language: python` pre-commit would build this
project into a fresh virtual environment from PyPI on every run, which is slow and needs the
network; what is tested here (the manifest's entry, files and exclude patterns, a real
`git commit` stopped by the hook) is the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXUS_TTX_", "GIT_"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PYTHONPATH=str(ROOT),
        GIT_AUTHOR_NAME="Author",
        GIT_AUTHOR_EMAIL="author@example.org",
        GIT_COMMITTER_NAME="Author",
        GIT_COMMITTER_EMAIL="author@example.org",
        NO_COLOR="1",
    )
    return env


def _hook() -> dict[str, Any]:
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return hook


def test_the_shipped_manifest_is_valid_for_pre_commit(tmp_path: Path) -> None:
    checked = _pre_commit("validate-manifest", str(MANIFEST), cwd=tmp_path, env=_env(tmp_path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hook = _hook()
    assert hook["id"] == "nexus-ttx-validate"
    assert hook["entry"] == "nexus-ttx validate --strict"  # the console script pip installs
    assert hook["language"] == "python"
    assert 'nexus-ttx = "cli.main:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")

    broken = tmp_path / "broken.yaml"  # the check can fail: pre-commit rejects a bad manifest
    broken.write_text("- id: x\n  entry: y\n", encoding="utf-8")
    assert _pre_commit(
        "validate-manifest", str(broken), cwd=tmp_path, env=_env(tmp_path)
    ).returncode


def _git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _repository(tmp_path: Path, env: dict[str, str]) -> Path:
    repo = tmp_path / "scenarios"
    repo.mkdir()
    _git("init", "-q", "-b", "main", cwd=repo, env=env)
    hook = _hook()
    local = {
        **{k: v for k, v in hook.items() if k not in ("language", "entry")},
        "language": "system",
        "entry": hook["entry"].replace("nexus-ttx", f"{sys.executable} -m cli", 1),
    }
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    made = subprocess.run(
        [sys.executable, "-m", "cli", "new", "coastal-fuel", "--environment", "transitional",
         "--region", "Gulf of Guinea"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    installed = _pre_commit("install", cwd=repo, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


def test_the_hook_lets_a_good_scenario_in_and_stops_a_broken_one(tmp_path: Path) -> None:
    env = _env(tmp_path)
    repo = _repository(tmp_path, env)
    _git("add", ".", cwd=repo, env=env)
    good = _git("commit", "-q", "-m", "a scenario", cwd=repo, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "nexus-ttx validate --strict" in good.stdout + good.stderr  # the hook ran: Passed

    text = (repo / "coastal-fuel.yaml").read_text(encoding="utf-8")
    (repo / "coastal-fuel.yaml").write_text(
        text.replace("recommended: [GP13.S1, GP21.S4]", "recommended: [GP13.S1, GP21.S9]"),
        encoding="utf-8",
    )
    (repo / "notes.yml").write_text("not: a scenario\n", encoding="utf-8")  # checked too
    _git("add", ".", cwd=repo, env=env)
    stopped = _git("commit", "-q", "-m", "broken", cwd=repo, env=env)
    out = stopped.stdout + stopped.stderr
    assert stopped.returncode != 0, out
    assert "coastal-fuel.yaml:" in out and "NTX204" in out and "GP21.S9" in out
    assert "notes.yml:1:1: error: NTX014" in out
    log = _git("log", "--format=%s", cwd=repo, env=env).stdout.split()
    assert log == ["a", "scenario"]  # the broken commit did not happen


@pytest.mark.parametrize(
    ("path", "checked"),
    [
        ("coastal-fuel.yaml", True),
        ("region/sahel.yml", True),
        (".pre-commit-config.yaml", False),
        (".github/workflows/ci.yml", False),
        (".nexus-ttx/scenario.schema.json", False),
        ("README.md", False),
    ],
)
def test_the_hook_picks_scenario_files(path: str, checked: bool) -> None:
    import re

    hook = _hook()
    chosen = bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)
    assert chosen is checked
