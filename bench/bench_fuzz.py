"""Mutation fuzzing of the built-in scenarios through the validator (and a sample through the CLI).

Each mutation applies one to three operators to a built-in scenario's text — huge integers,
long or deep conditions, control characters (raw and as YAML escapes), Unicode line separators,
big lists, tags, anchors and aliases, and plain byte damage — then validates it in-process and
checks that nothing crashes (no exception leaves `validate_file`), every diagnostic points inside
the file (1 <= line <= the number of lines counting only \\n), and no message carries a raw
control character. With `--cli N`, N of the mutations also go through `nexus-ttx validate` and
`nexus-ttx run` as subprocesses: exit 0 or 1 only, no traceback, no "internal error", no raw
ESC/BEL/C1 on either stream. The process runs under RLIMIT_AS (1 GiB by default), so a mutation
that needs more memory fails the run instead of going unnoticed.

    python -m bench fuzz                       # 500 mutations, seed 0
    python -m bench fuzz --count 5000 --seed 7 --cli 50
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if p.name != "toolkit.yaml")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

Mutator = Callable[[str, random.Random], str]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def huge_int(text: str, rng: random.Random) -> str:
    numbers = list(re.finditer(r"(?<=: )\d+\b", text))
    if not numbers:
        return text
    m = rng.choice(numbers)
    digits = rng.choice([16, 40, 4300, 4301, 10_000])
    big = rng.choice(["9" * digits, "0x" + "f" * digits, "-" + "1" * digits, "1_0" * digits])
    return text[: m.start()] + big + text[m.end() :]


def long_expression(text: str, rng: random.Random) -> str:
    conditions = list(re.finditer(r'if: "([^"\n]*)"', text))
    kind = rng.randrange(5)
    if kind == 0:
        expr = "+".join(["1"] * rng.choice([500, 990, 1200])) + " > 0"
    elif kind == 1:
        expr = " and ".join(["true"] * rng.choice([100, 300, 500]))
    elif kind == 2:
        depth = rng.choice([30, 59, 61, 200])
        expr = "(" * depth + "1" + ")" * depth + " > 0"
    elif kind == 3:
        expr = "not " * rng.choice([59, 61, 400]) + "true"
    else:
        expr = "- " * rng.choice([59, 61, 900]) + "1 < 0"
    if conditions:
        m = rng.choice(conditions)
        return text[: m.start(1)] + expr + text[m.end(1) :]
    return text.replace("        next:", f'        if: "{expr}"\n        next:', 1)


_ESCAPES = ["\\e", "\\a", "\\x1b[2J", "\\e]0;pwned\\a", "\\x9b31m", "\\r", "\\N", "\\0", "\\x7f"]
_RAW = ["\x1b", "\x07", "\x9b", "\x00", "\x7f", "\x0c"]


def control_chars(text: str, rng: random.Random) -> str:
    titles = list(re.finditer(r"(title|text|feedback): ([^\n\"'|>][^\n]*)", text))
    if titles and rng.random() < 0.7:
        m = rng.choice(titles)
        value = m.group(2).replace("\\", "\\\\").replace('"', '\\"')
        cut = rng.randrange(len(value) + 1)
        value = value[:cut] + rng.choice(_ESCAPES) + value[cut:]
        return f'{text[: m.start(2)]}"{value}"{text[m.end(2) :]}'
    pos = rng.randrange(len(text) + 1)
    return text[:pos] + rng.choice(_RAW) + text[pos:]


def line_separators(text: str, rng: random.Random) -> str:
    out = text
    for _ in range(rng.randint(1, 5)):
        pos = rng.randrange(len(out) + 1)
        out = out[:pos] + rng.choice(["\u2028", "\u2029", "\x85", "\r", "\r\n"]) + out[pos:]
    return out


def big_list(text: str, rng: random.Random) -> str:
    lists = list(re.finditer(r"(recommended|enacts|watch_points|audience): \[([^\]\n]*)\]", text))
    if not lists:
        return text
    m = rng.choice(lists)
    n = rng.choice([999, 1000, 1001, 5000, 100_000])
    item = rng.choice(["GP21.S4", "x", "GP21.S99", "corruption.99", "'a'"])
    items = (
        ", ".join([item] * n) if rng.random() < 0.5 else ", ".join(f"{item}{i}" for i in range(n))
    )
    return text[: m.start(2)] + items + text[m.end(2) :]


_TAGS = [
    "!!python/object/apply:os.system [echo]",
    "!custom x",
    "!!binary aGk=",
    "!!int 'x'",
    "!!float '1e999'",
    "!!timestamp 2001-12-14",
    "!!str 12",
    "!!set {a, b}",
    "!!omap []",
]


def tags(text: str, rng: random.Random) -> str:
    values = list(re.finditer(r"(?<=: )[^\n\[{|>]+$", text, flags=re.M))
    if not values:
        return text
    m = rng.choice(values)
    return text[: m.start()] + rng.choice(_TAGS) + text[m.end() :]


def anchors(text: str, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:  # alias bomb at the end
        bomb = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
        for i in range(1, 8):
            bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
        return text.rstrip("\n") + "\n" + "\n".join(bomb) + "\n"
    if kind == 1:  # self-reference
        return text.replace("variables:", "variables: &v\n  self: *v\nvariables_:", 1)
    if kind == 2:  # alias to an undefined anchor
        return text.replace("start: ", "start: *nowhere\nstart_: ", 1)
    lines = _lines(text)  # anchor a value and alias it elsewhere
    i = rng.randrange(len(lines))
    if ": " in lines[i]:
        key, _, value = lines[i].partition(": ")
        lines[i] = f"{key}: &here {value}"
        j = rng.randrange(len(lines))
        if ": " in lines[j] and j != i:
            key2, _, _ = lines[j].partition(": ")
            lines[j] = f"{key2}: *here"
    return "\n".join(lines)


def byte_damage(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    op = rng.randrange(4)
    i = rng.randrange(len(lines))
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif op == 2:
        lines[i] = "\t" + lines[i]
    else:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return "\n".join(lines)


OPERATORS: dict[str, Mutator] = {
    "huge_int": huge_int,
    "long_expression": long_expression,
    "control_chars": control_chars,
    "line_separators": line_separators,
    "big_list": big_list,
    "tags": tags,
    "anchors": anchors,
    "byte_damage": byte_damage,
}


@dataclass(frozen=True)
class Mutation:
    seed: int
    base: str
    operators: tuple[str, ...]
    text: str


def mutate(seed: int) -> Mutation:
    """The mutation numbered `seed` (deterministic)."""
    rng = random.Random(seed)
    base = rng.choice(SCENARIOS)
    text = base.read_text(encoding="utf-8")
    names = tuple(rng.sample(sorted(OPERATORS), rng.randint(1, 3)))
    for name in names:
        text = OPERATORS[name](text, rng)
    return Mutation(seed, base.name, names, text)


def real_line_count(text: str) -> int:
    return text.count("\n") + 1


def check_in_process(m: Mutation, folder: Path) -> list[str]:
    """Problems found when validating the mutation in this process ([] when all is well)."""
    from engine.check.validate import validate_file

    path = folder / f"m{m.seed}.yaml"
    path.write_text(m.text, encoding="utf-8", errors="surrogatepass", newline="")
    lines = real_line_count(path.read_bytes().decode("utf-8", "replace"))
    try:
        result = validate_file(path)
    except Exception as exc:  # any escape is the finding
        return [f"{type(exc).__name__}: {exc}"[:300]]
    problems = []
    for d in result.diagnostics:
        if not (1 <= d.line <= lines) or d.column < 1:
            problems.append(f"{d.code} at {d.line}:{d.column} outside {lines} lines")
        if RAW_CONTROL.search(d.format_text()):
            problems.append(f"{d.code} message carries a raw control character")
    return problems


def check_cli(m: Mutation, folder: Path, timeout: float = 20) -> list[str]:
    """Problems found running `validate` and `run` on the mutation as subprocesses."""
    path = folder / f"m{m.seed}.yaml"
    path.write_text(m.text, encoding="utf-8", errors="surrogatepass", newline="")
    problems = []
    env = {"PYTHONPATH": str(ROOT), "NEXUS_TTX_DB": str(folder / "s.sqlite3"), "NO_COLOR": "1"}
    for args in (["validate", str(path)], ["run", str(path), "--choices", ""]):
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "cli", *args],
                capture_output=True,
                timeout=timeout,
                env=env,
                stdin=subprocess.DEVNULL,
                cwd=folder,
            )
        except subprocess.TimeoutExpired:
            problems.append(f"{args[0]}: no answer in {timeout:.0f} s")
            continue
        out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        if proc.returncode not in (0, 1):
            problems.append(f"{args[0]}: exit {proc.returncode}")
        if "Traceback" in out or "internal error" in out:
            problems.append(f"{args[0]}: traceback or internal error")
        if RAW_CONTROL.search(out.replace("\t", "").replace("\n", "")):
            problems.append(f"{args[0]}: raw control character in the output")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fuzz")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0, help="first mutation number")
    parser.add_argument("--cli", type=int, default=0, help="also run N mutations through the CLI")
    parser.add_argument("--memory-mb", type=int, default=1024)
    args = parser.parse_args(argv or [])
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    failures: list[tuple[Mutation, list[str]]] = []
    by_operator: dict[str, int] = dict.fromkeys(OPERATORS, 0)
    slowest = (0.0, -1)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in range(args.seed, args.seed + args.count):
            m = mutate(seed)
            for name in m.operators:
                by_operator[name] += 1
            t0 = time.process_time()  # CPU, not wall: a busy machine must not fail a mutation
            problems = check_in_process(m, folder)
            spent = time.process_time() - t0
            slowest = max(slowest, (spent, seed))
            if spent > 10:
                problems.append(f"took {spent:.1f} s of CPU")
            if problems:
                failures.append((m, problems))
            (folder / f"m{seed}.yaml").unlink(missing_ok=True)
        step = max(1, args.count // max(1, args.cli)) if args.cli else 0
        cli_done = 0
        for seed in range(args.seed, args.seed + args.count, step or args.count + 1):
            if cli_done >= args.cli:
                break
            m = mutate(seed)
            problems = check_cli(m, folder)
            cli_done += 1
            if problems:
                failures.append((m, problems))
    elapsed = time.perf_counter() - started
    print(
        f"fuzz: {args.count} mutations (seeds {args.seed}..{args.seed + args.count - 1}) "
        f"in-process, {cli_done} through the CLI, {elapsed:.0f} s; slowest {slowest[0]:.2f} s CPU "
        f"(seed {slowest[1]}); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
    )
    print("operators applied: " + ", ".join(f"{k} {v}" for k, v in by_operator.items()))
    for m, problems in failures[:20]:
        print(f"  FAIL seed {m.seed} ({m.base}, {'+'.join(m.operators)}): {'; '.join(problems)}")
    print(f"{len(failures)} failing mutation(s)")
    return 1 if failures else 0
