"""Start-up cost of `nexus-ttx validate` on a built-in scenario, as a whole process, against
`python -c "import yaml, jsonschema"` (the floor any YAML + JSON Schema tool pays).

Both commands run alternately in fresh interpreters with the tree first on the path and
bytecode caches warm; the ratio of the medians is printed for wall time and for CPU time
(user + system of the child), which is steadier on a busy machine. The goal is a ratio of at
most 1.5. `python -m bench startup` (BENCH_RUNS=N for another number of runs than 21).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"
GOAL = 1.5
COMMANDS = {
    "validate": [sys.executable, "-m", "cli", "validate", str(SCENARIO)],
    "import yaml, jsonschema": [sys.executable, "-c", "import yaml, jsonschema"],
}


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(runs: int = 21) -> dict[str, dict[str, float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():  # warm the bytecode caches
        _run(argv, env)
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            samples[name].append(_run(argv, env))
    return {
        name: {
            "wall": statistics.median(w for w, _ in runs_),
            "cpu": statistics.median(c for _, c in runs_),
        }
        for name, runs_ in samples.items()
    }


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "21"))
    result = measure(runs)
    ours, floor = result["validate"], result["import yaml, jsonschema"]
    print(f"{'':28}{'wall s':>9}{'cpu s':>9}   (median of {runs} runs)")
    for name, m in result.items():
        print(f"{name:28}{m['wall']:9.3f}{m['cpu']:9.3f}")
    wall_ratio, cpu_ratio = ours["wall"] / floor["wall"], ours["cpu"] / floor["cpu"]
    verdicts = ", ".join(
        f"{kind} {'ok' if r <= GOAL else 'over'}"
        for kind, r in (("wall", wall_ratio), ("cpu", cpu_ratio))
    )
    print(f"{'ratio':28}{wall_ratio:9.2f}{cpu_ratio:9.2f}   goal <= {GOAL}: {verdicts}")


if __name__ == "__main__":
    main()
