"""Hostile files and folders: pipes, devices, sockets, broken and looping links, folders that
cannot be opened. Each is refused or reported with a located message, within a memory and CPU
bound (tests/bounded.py), never by blocking, reading without end, or skipping in silence."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from tests.bounded import run_bounded

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"


def _clean(out: str) -> None:
    assert "Traceback" not in out
    assert "internal error" not in out


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
@pytest.mark.parametrize("command", ["validate", "analyze", "run"])
def test_devices_are_refused_before_reading(tmp_path: Path, device: str, command: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is missing")
    result = run_bounded(command, device, cwd=tmp_path, env={"NEXUS_TTX_DB": str(tmp_path / "s")})
    _clean(result.stdout + result.stderr)
    assert result.returncode == 1
    assert f"{device}:1:1: error: NTX017 this is a character device" in (
        result.stdout + result.stderr
    )


def test_a_named_pipe_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    for command in ("validate", "run", "graph"):
        result = run_bounded(command, str(fifo), cwd=tmp_path)
        _clean(result.stdout + result.stderr)
        assert result.returncode == 1
        assert "f.yaml:1:1: error: NTX017 this is a named pipe (FIFO)" in (
            result.stdout + result.stderr
        )


def test_a_file_that_claims_no_size_is_read_only_to_the_limit(tmp_path: Path) -> None:
    # /proc files report st_size 0; the reader must still stop at the limit, not at the end
    result = run_bounded("validate", "/proc/self/status", cwd=tmp_path)
    _clean(result.stdout + result.stderr)
    assert result.returncode == 1


def test_a_folder_reports_every_thing_it_could_not_read(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "sub").mkdir(parents=True)
    shutil.copy(SCENARIO, lib / "good.yaml")
    os.mkfifo(lib / "pipe.yaml")
    (lib / "broken.yml").symlink_to("nothing.yaml")
    (lib / "loop.yaml").symlink_to("loop.yaml")
    (lib / "sub" / "up").symlink_to("..")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(lib / "sock.yaml"))
    try:
        result = run_bounded("validate", str(lib), cwd=tmp_path)
        listed = run_bounded("list", "--library", str(lib), cwd=tmp_path)
    finally:
        sock.close()
    _clean(result.stdout + result.stderr + listed.stdout + listed.stderr)
    assert result.returncode == 1
    out = result.stdout
    assert f"{lib}/pipe.yaml:1:1: error: NTX017 this is a named pipe" in out
    assert f"{lib}/sock.yaml:1:1: error: NTX017 this is a socket" in out
    assert f"{lib}/broken.yml:1:1: error: NTX018 this link points to nothing" in out
    assert f"{lib}/loop.yaml:1:1: error: NTX018 this link loops" in out
    assert f"{lib}/sub/up:1:1: error: NTX018 this link loops back" in out
    assert "5 errors in 6 files" in out
    for name in ("pipe.yaml", "sock.yaml", "broken.yml", "loop.yaml", "sub/up"):
        assert f"skipped {lib}/{name}: " in listed.stderr
    assert "sahel-gold-and-fuel" in listed.stdout


def test_a_folder_that_cannot_be_opened_is_reported(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("runs as root without the permission override; as a user, chmod suffices")
    shutil.copy(SCENARIO, tmp_path / "a.yaml")
    (tmp_path / "locked").mkdir()
    shutil.copy(SCENARIO, tmp_path / "locked" / "b.yaml")
    (tmp_path / "locked").chmod(0o000)
    try:
        result = run_bounded("validate", str(tmp_path), cwd=tmp_path, obey_modes=True)
    finally:
        (tmp_path / "locked").chmod(0o755)
    _clean(result.stdout + result.stderr)
    assert result.returncode == 1
    assert (
        f"{tmp_path}/locked:1:1: error: NTX001 cannot open this folder: Permission denied"
        in result.stdout
    )
    assert "1 error in 2 files" in result.stdout
