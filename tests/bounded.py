"""Run the real CLI in a subprocess under hard resource limits.

A bound, not a timing assertion: the child gets RLIMIT_AS (address space) and RLIMIT_CPU (CPU
seconds), so a command that would need more memory or CPU than the bound fails in the child
(MemoryError, or SIGXCPU/SIGKILL) and the test sees it in the exit status and output. The wall
clock timeout only guards against a hang (a blocked read uses no CPU).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY_BOUND = 1 << 30  # 1 GiB of address space
CPU_BOUND = 20  # CPU seconds
HANG_GUARD = 60  # wall-clock seconds: a hang guard only (the machine may be busy)


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _drop_file_permission_override() -> None:
    """Make root obey file modes in the child (as any user would): drop the two capabilities
    that let root open any folder from the bounding set, so exec() does not grant them."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _limits(memory: int, cpu: int, obey_modes: bool) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if obey_modes:
        _drop_file_permission_override()


def run_bounded(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    memory: int = MEMORY_BOUND,
    cpu: int = CPU_BOUND,
    timeout: float = HANG_GUARD,
    obey_modes: bool = False,
) -> CliResult:
    """`nexus-ttx ARGS` with at most `memory` bytes of address space and `cpu` CPU seconds;
    `obey_modes`: run as root without root's power to open any file (for permission tests)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEXUS_TTX_")}
    full_env["PYTHONPATH"] = str(ROOT)
    full_env["NO_COLOR"] = "1"
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: _limits(memory, cpu, obey_modes),
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
