"""Time `validate_file` against the bare C-loader parse of the same generated file.

For 1k, 10k and 100k scenes: write a scenario with `bench.generate`, then time (median of
several runs; one for 100k) `yaml.load(text, CSafeLoader)` — reading the file included — and
`validate_file` (every pass, the state-space analysis included), and `validate_file` without
the passes that need the built model (YAML + schema + references + building the model: issue
2's scope; the analysis pass explores states and costs what it costs). Prints the ratios to the bare
parse and how each grows from size to size (10x scenes should cost about 10x).

    python -m bench validate            # or: make bench
    NEXUS_TTX_BENCH_SIZES=1000,10000 python -m bench validate
"""

from __future__ import annotations

import itertools
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SIZES = (1_000, 10_000, 100_000)


def _median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _runs(n: int) -> int:
    return 5 if n <= 1_000 else 3 if n <= 10_000 else 1


def main() -> None:
    import yaml

    from bench.generate import make_scenario
    from engine.check import validate
    from engine.toolkit.catalog import load_catalog

    sizes = (
        tuple(int(s) for s in os.environ.get("NEXUS_TTX_BENCH_SIZES", "").split(",") if s) or SIZES
    )
    load_catalog()
    header = (
        f"{'scenes':>8} {'MB':>6} {'C parse s':>10} {'validate s':>11} {'ratio':>6} "
        f"{'no-analysis s':>13} {'ratio':>6}  diagnostics"
    )
    print(header)
    rows = []
    base_passes = tuple(p for p in validate.PIPELINE if not p.needs_model)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"generated-{n}.yaml"
            path.write_text(make_scenario(n), encoding="utf-8")
            runs = _runs(n)
            # warm up once (compiled schema, catalog) before timing
            result = validate.validate_file(path)
            parse = _median_time(
                lambda p=path: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader),
                runs,
            )
            full = _median_time(lambda p=path: validate.validate_file(p), runs)
            partial = _median_time(
                lambda p=path: validate.validate_file(p, passes=base_passes), runs
            )
            errors = len(result.errors)
            warnings = len(result.warnings)
            mb = path.stat().st_size / 1e6
            rows.append((n, parse, full, partial))
            print(
                f"{n:>8} {mb:>6.1f} {parse:>10.3f} {full:>11.3f} {full / parse:>6.2f} "
                f"{partial:>13.3f} {partial / parse:>6.2f}  {errors} errors, "
                f"{warnings} warnings",
                flush=True,
            )
    for (n1, p1, f1, q1), (n2, p2, f2, q2) in itertools.pairwise(rows):
        print(
            f"growth {n1} -> {n2} scenes (x{n2 / n1:.0f}): C parse x{p2 / p1:.1f}, "
            f"validate x{f2 / f1:.1f}, without analysis x{q2 / q1:.1f}"
        )


if __name__ == "__main__":
    main()
