"""Analysis benchmark: `analyze` on generated scenarios of 1k, 10k and 100k scenes.

For each size it reports, in the same run and on the same text: the bare parse with PyYAML's
C loader (`yaml.load(text, Loader=CSafeLoader)`), the analysis proper (state-space exploration,
exact best/worst and per-area bounds, findings) on the built model, the whole `analyze` command
path (load + schema + semantic checks + analysis pass + bounds), and the states explored.
Goal (issue 4): at 10k scenes the analysis within 5x of the bare parse, and time growing about
linearly with states explored. The analysis time includes the guessability part (chance level,
outcomes at chance, blind strategies, harmful success), which is also timed on its own ("guess
s", "harm s") with the chance level it found.

Two generators:
* `shared` — `bench.generate.make_scenario`, the project's benchmark generator;
* `reachable` — the same ingredients (three bounded variables read by conditions, effects,
  `set`, branch lists, `visited()`, harmful choices, an ending every 25 scenes), but every scene
  reachable: each scene's first move goes on to the next non-ending scene, so the state space
  grows with the document (the shared generator's paths all stop at an early ending wall).

Run: `python -m bench analyze` or `python -m bench.bench_analyze [SIZES...]`.
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import header, key_actions

SIZES = (1_000, 10_000, 100_000)
MAX_STATES = 1_500_000  # 10k scenes fit; at 100k scenes the analysis stops here (incomplete)
LEAD_RATE = 0.0  # > 0: choices also raise `leads`, multiplying the states per scene by ~4

_CONDITIONS = (
    "trust >= 4",
    "heat < 3",
    "leads > 0",
    "trust > 2 and heat <= 4",
    "not (leads == 3)",
    'visited("s{v}")',
    "trust + leads >= 6",
)


def make_reachable(n_scenes: int, seed: int = 0) -> str:
    """YAML of a valid acyclic scenario of `n_scenes` scenes, all reachable."""
    n = max(8, n_scenes)
    rng = random.Random(seed)
    actions = list(key_actions())
    practices: set[str] = set()

    def is_ending(i: int) -> bool:
        return i >= n - 3 or i % 25 == 24

    def next_open(i: int) -> int:
        j = i + 1
        while j < n - 3 and is_ending(j):
            j += 1
        return j

    out: list[str] = []
    for i in range(n):
        sid = f"s{i}"
        if is_ending(i):
            out.append(
                f"  {sid}:\n    kind: ending\n    title: End {i}\n    text: Over ({i}).\n"
                f"    outcome: {('success', 'partial', 'failure')[i % 3]}\n"
            )
            continue
        go = next_open(i)
        near = sorted({next_open(min(n - 4, i + rng.randint(0, 2))) for _ in range(2)} | {go})
        ending_ahead = next((j for j in range(i + 1, i + 4) if j < n and is_ending(j)), None)
        cond = rng.choice(_CONDITIONS).replace("{v}", str(max(0, i - 1)))
        if i % 5 in (0, 1):
            kind = "narrative" if i % 5 == 0 else "inject"
            if rng.random() < 0.4 and near[-1] != go:
                nxt = f"\n      - {{if: '{cond}', goto: s{near[-1]}}}\n      - {{goto: s{go}}}"
            else:
                nxt = f" s{go}"
            out.append(
                f"  {sid}:\n    kind: {kind}\n    title: Scene {i}\n"
                f"    text: Something happens ({i}).\n    next:{nxt}\n"
            )
            continue
        rec = rng.sample(actions, 2)
        practices.update(a.split(".")[0] for a in rec)
        parts = [
            f"  {sid}:\n    kind: decision\n    title: Decision {i}\n"
            f"    text: What now ({i})?\n    recommended: [{', '.join(rec)}]\n"
            "    choices:\n"
        ]
        for c in range(rng.randint(2, 3)):
            target = go if c == 0 else rng.choice(near)
            if c == 2 and ending_ahead is not None:
                target = ending_ahead  # the harmful option may end the exercise early
            enacts = rec[: 2 - c] if c < 2 else rec[:1]
            lines = [f"      - id: c{c}\n        text: Option {c} ({i})\n"]
            if enacts:
                lines.append(f"        enacts: [{', '.join(enacts)}]\n")
            lead = ", leads: 1" if c == 1 and rng.random() < LEAD_RATE else ""
            lines.append(
                f"        effects: {{trust: {rng.randint(-2, 2)}, "
                f"heat: {rng.randint(-1, 1)}{lead}}}\n"
            )
            if c == 2:
                lines.append(
                    "        harmful: true\n        feedback: This harms people.\n"
                    "        set: {leads: 0}\n"
                )
            if c > 0 and rng.random() < 0.5:
                lines.append(
                    f"        if: '{rng.choice(_CONDITIONS)}'\n".replace("{v}", str(max(0, i - 1)))
                )
            if c > 0 and rng.random() < 0.3:
                lines.append(
                    f"        next:\n          - {{if: 'leads >= 1', goto: s{near[-1]}}}"
                    f"\n          - {{goto: s{target}}}\n"
                )
            else:
                lines.append(f"        next: s{target}\n")
            parts.append("".join(lines))
        out.append("".join(parts))
    listed = ", ".join(sorted(practices or {"GP21"}, key=lambda p: int(p[2:])))
    return header(
        f"reachable-{n}",
        f"Reachable generated scenario with {n} scenes",
        "A machine-generated branching exercise where every scene can be reached.",
        listed,
    ) + "".join(out)


def _shared(n: int, seed: int = 0) -> str:
    from bench.generate import make_scenario

    return make_scenario(n, seed)


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def measure(text: str, folder: Path, name: str) -> dict[str, object]:
    import yaml

    from engine.analysis.statespace import Explorer
    from engine.analysis.summary import analyze
    from engine.check.validate import validate_file
    from engine.core.model import scenario_from_dict

    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    repeats = 3 if len(text) < 2_000_000 else 1
    parse = min(_timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader))[0] for _ in range(repeats))
    # The same parse with the cyclic GC paused: a big document's many containers make the
    # collector run again and again over a growing heap, which is most of the time above.
    gc.disable()
    try:
        parse_nogc = min(
            _timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader))[0] for _ in range(repeats)
        )
    finally:
        gc.enable()
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    scenario = scenario_from_dict(data)
    t_analysis = float("inf")
    for _ in range(repeats):  # each analyze() explores afresh (cold)
        t, result = _timed(lambda: analyze(scenario, MAX_STATES))
        t_analysis = min(t_analysis, t)

    def command() -> str:  # as `analyze` runs: one explorer for validation and analysis
        explorer = Explorer(MAX_STATES)
        checked = validate_file(path, explorer=explorer)
        if checked.scenario is None:  # refused: say why instead of timing nothing
            return checked.errors[0].code if checked.errors else "not a scenario"
        analyze(checked.scenario, MAX_STATES, explorer=explorer)
        return ""

    t_command, refused = _timed(command)
    a = result
    # The guessability part on its own (chance level, outcomes at chance, blind strategies,
    # and the harmful-success search of NTX313), on the space the analysis explored.
    from engine.analysis.guessability import compute, harmful_success_path

    t_guess, guess = _timed(lambda: compute(a.space))
    harmful = [c.harmful for _, _, c in a.space.choices]
    t_harm, _ = _timed(lambda: harmful_success_path(a.space, lambda x: harmful[x]))
    return {
        "bytes": len(text.encode("utf-8")),
        "parse": parse,
        "parse_nogc": parse_nogc,
        "analysis": t_analysis,
        "command": t_command,
        "refused": refused,
        "states": a.states_explored,
        "complete": a.complete,
        "reached": len(a.space.scenes_reached),
        "guess": t_guess,
        "harm": t_harm,
        "chance": None if guess is None else guess.to_json()["chance_alignment"],
        "chance_note": None if guess is None else guess.note,
        "best": a.to_json()["best_alignment"],
        "worst": a.to_json()["worst_alignment"],
    }


def main(sizes: tuple[int, ...] | None = None) -> int:
    sizes = sizes or SIZES
    print(
        "analyze: bare CSafeLoader parse vs analysis (explore + bounds + findings on the "
        "model) vs the whole command (load, validate, analyse)"
    )
    header = (
        f"{'generator':<10} {'scenes':>7} {'MB':>5} {'parse s':>8} {'no-gc s':>8} "
        f"{'analysis s':>10} {'x parse':>7} {'x no-gc':>7} {'command s':>9} "
        f"{'states':>9} {'us/state':>8} {'reached':>7} {'best':>6} {'worst':>6} "
        f"{'guess s':>8} {'harm s':>7} {'chance':>7}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for gen_name, gen in (("shared", _shared), ("reachable", make_reachable)):
            for n in sizes:
                m = measure(gen(n), Path(tmp), f"{gen_name}-{n}")
                per_state = 1e6 * m["analysis"] / max(1, m["states"])
                print(
                    f"{gen_name:<10} {n:>7} {m['bytes'] / 1e6:>5.1f} {m['parse']:>8.3f} "
                    f"{m['parse_nogc']:>8.3f} {m['analysis']:>10.3f} "
                    f"{m['analysis'] / m['parse']:>7.2f} "
                    f"{m['analysis'] / m['parse_nogc']:>7.2f} "
                    + (f"{m['command']:>9.2f} " if not m["refused"] else f"{m['refused']:>9} ")
                    + f"{m['states']:>9} {per_state:>8.1f} "
                    f"{m['reached']:>7} {m['best']!s:>6} {m['worst']!s:>6} "
                    f"{m['guess']:>8.3f} {m['harm']:>7.3f} {m['chance']!s:>7}"
                    + ("" if m["complete"] else "  (incomplete)")
                    + (f"  ({m['chance_note']})" if m["chance_note"] else ""),
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(tuple(int(a) for a in sys.argv[1:]) or None))
