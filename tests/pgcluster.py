"""A throwaway PostgreSQL cluster on loopback, for the tests and the store benchmark.

initdb in a temporary folder, `pg_ctl start` on a free 127.0.0.1 port with its unix socket in
that folder, torn down (immediate stop, folder removed) at the end. initdb refuses to run as
root, so as root the server runs as the `postgres` system user (Debian's package creates it),
which owns the folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

SUPERUSER = "nexus"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (PATH first, then Debian's versioned folders)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    return None


def unavailable() -> str | None:
    """Why no cluster can be started here, or None if one can."""
    if binaries() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and no 'postgres' system user to run initdb as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One running server; `database()` makes a fresh empty database and returns its URL."""

    def __init__(self, *, fsync: bool = False) -> None:
        folder = binaries()
        if folder is None:
            raise RuntimeError(unavailable())
        self.bin = folder
        self.root = Path(tempfile.mkdtemp(prefix="nexus-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust"]
            + ["--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
        )
        self._start(fsync)

    def _run(self, argv: Sequence[str]) -> None:
        proc = subprocess.run(
            [*self._as, *argv], capture_output=True, text=True, timeout=120, cwd=self.root
        )
        if proc.returncode:
            raise RuntimeError(f"{argv[0]} failed: {proc.stdout}\n{proc.stderr}")

    def _start(self, fsync: bool) -> None:
        for _ in range(5):
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                f"-c fsync={'on' if fsync else 'off'} -c max_connections=200"
            )
            try:
                self._run(
                    [str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w"]
                    + ["-l", str(self.root / "log"), "start"]
                )
                return
            except RuntimeError:
                continue  # the port was taken meanwhile: try another
        raise RuntimeError(f"could not start PostgreSQL: {(self.root / 'log').read_text()}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A fresh, empty database's URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
