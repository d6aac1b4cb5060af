"""Translation benchmark: reading PO files and loading a scenario in a language.

1. `read_translation` on the Sahel scenario's French file (129 texts) and on a generated file of
   20,000 entries (~6 MB): the syntax pass plus Babel's parser.
2. `load_scenario(SAHEL)` and `load_scenario(SAHEL, "fr")`: what a translation adds to opening
   a scenario (validation and analysis are the same; reading the PO and applying it are extra).
3. `i18n check` of the Sahel translation, in this process.

Run: `python -m bench translation`. Figures are medians of 5 runs, in milliseconds.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAHEL = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"
LARGE = 20_000


def median_ms(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    from engine.check.translations import check_translation_file
    from engine.check.validate import load_scenario
    from engine.load.translation import Entry, read_translation, render_translation

    po = SAHEL.with_name("sahel-gold-and-fuel.fr.po")
    print(
        f"read {po.name} ({po.stat().st_size:,} bytes): {median_ms(lambda: read_translation(po)):.1f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.fr.po"
        text = "A sentence of an ordinary scenario text, long enough to wrap. " * 4
        entries = [Entry(f"scene.s{i}.text", f"{i} {text}", f"{i} {text}") for i in range(LARGE)]
        big.write_bytes(render_translation(entries, "fr"))
        ms = median_ms(lambda: read_translation(big), runs=3)
        print(f"read {LARGE:,} entries ({big.stat().st_size / 1e6:.1f} MB): {ms:.0f} ms")
    base = median_ms(lambda: load_scenario(SAHEL))
    french = median_ms(lambda: load_scenario(SAHEL, "fr"))
    print(
        f"load_scenario(sahel): {base:.0f} ms; in French: {french:.0f} ms (+{french - base:.0f} ms)"
    )
    print(f"i18n check of the French file: {median_ms(lambda: check_translation_file(po)):.1f} ms")
    return 0
