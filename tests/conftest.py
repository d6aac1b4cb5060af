"""Shared test helpers: run the real `nexus-ttx` CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 60,
) -> CliResult:
    """Run `python -m cli ARGS` from the source tree, as a user would run `nexus-ttx ARGS`."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEXUS_TTX_")}
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.setdefault("NO_COLOR", "1")
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd or ROOT,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path):
    """`cli("validate", "x.yaml")` runs the CLI from a scratch directory with a scratch store."""

    def _run(*args: str, env: dict[str, str] | None = None, **kw) -> CliResult:
        e = {"NEXUS_TTX_DB": str(tmp_path / "sessions.sqlite3")}
        if env:
            e.update(env)
        kw.setdefault("cwd", tmp_path)
        return run_cli(*args, env=e, **kw)

    return _run


# --- session stores: every contract test runs on SQLite and on a real PostgreSQL server -----


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL cluster per test worker (skipped, with the reason, if the
    server binaries are absent; CI installs them)."""
    from tests import pgcluster

    reason = pgcluster.unavailable()
    if reason:
        pytest.skip(reason)
    cluster = pgcluster.Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path: Path):
    """Where a fresh, empty store lives: a SQLite file or a fresh PostgreSQL database URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "sessions.sqlite3")
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.database()
    yield url
    cluster.drop(url)


@pytest.fixture
def french_interface() -> Iterator[None]:
    """The interface in French for one test, English again after it."""
    from engine.core import i18n

    i18n.set_language("fr")
    yield
    i18n.set_language("en")
