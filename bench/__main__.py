"""Run every `bench/bench_*.py` module's `main()`, or only those named: `python -m bench validate`."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(
        m.name[len("bench_") :]
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )


def main(argv: list[str]) -> int:
    """`python -m bench [NAME...] [-- or --options for a single NAME]`: options after a
    benchmark's name (`python -m bench fuzz --count 5000`) go to that benchmark's main()."""
    names = available()
    first_option = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    argv, options = argv[:first_option], argv[first_option:]
    wanted = [a.removeprefix("bench_").removesuffix(".py") for a in argv] or names
    unknown = [w for w in wanted if w not in names]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}",
            file=sys.stderr,
        )
        return 2
    for name in wanted:
        print(f"== bench_{name}")
        module = importlib.import_module(f"bench.bench_{name}")
        status = module.main(options) if options else module.main()
        if status:
            return int(status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
