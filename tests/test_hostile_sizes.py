"""Hostile sizes: lists of a million items, thousands of bad references, a hundred thousand
unknown keys. Messages are capped per code ("… and N more like this"), the work stays linear,
and each run stays within a memory and CPU bound (tests/bounded.py)."""

from __future__ import annotations

import re
from pathlib import Path

from engine.check.validate import validate_file
from engine.core.diagnostics import MAX_PER_CODE, MoreLikeThis, cap_per_code, make
from tests.bounded import run_bounded

ROOT = Path(__file__).resolve().parents[1]
BALKANS = ROOT / "scenarios" / "balkans-arms-pipeline.yaml"
MORE = re.compile(r"error: (NTX\d{3}) … and ([\d,]+) more like this")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _prefix_lists(key: str, items: list[str], count: int = 1) -> str:
    text = BALKANS.read_text(encoding="utf-8")
    joined = ", ".join(items)
    out = re.sub(rf"(\n\s+{key}: \[)", lambda m: m.group(1) + joined + ", ", text, count=count)
    assert out != text
    return out


def _assert_bounded(result) -> None:
    assert "Traceback" not in result.stderr
    assert "MemoryError" not in result.stderr
    assert result.returncode == 1, result.stderr[-2000:]


def test_a_list_of_a_million_items_stops_at_item_1001(tmp_path: Path) -> None:
    path = _write(tmp_path, _prefix_lists("recommended", ["x"] * 1_000_000))
    result = run_bounded("validate", str(path), cwd=tmp_path)
    _assert_bounded(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert re.match(
        r".*s\.yaml:\d+:\d+: error: NTX020 a list in a scenario holds at most", lines[0]
    )


def test_thousands_of_bad_key_actions_give_fifty_messages_and_a_count(tmp_path: Path) -> None:
    bad = [f"GP21.S{i + 100}" for i in range(990)]
    path = _write(tmp_path, _prefix_lists("recommended", bad, count=0))
    decisions = path.read_text().count("recommended: [GP21.S100,")
    result = run_bounded("validate", str(path), cwd=tmp_path)
    _assert_bounded(result)
    shown = [line for line in result.stdout.splitlines() if "error: NTX204 scenes." in line]
    assert len(shown) == MAX_PER_CODE
    (more,) = MORE.findall(result.stdout)
    assert more == ("NTX204", f"{990 * decisions - MAX_PER_CODE:,}")
    assert f"{990 * decisions} errors in 1 file" in result.stdout
    assert sum("did you mean" in line for line in shown) == MAX_PER_CODE


def test_a_hundred_thousand_unknown_keys(tmp_path: Path) -> None:
    text = BALKANS.read_text(encoding="utf-8")
    keys = "".join(f"k{i}: {i}\n" for i in range(100_000))
    path = _write(tmp_path, text.replace("\nstart:", "\n" + keys + "start:", 1))
    # the CPU and memory bounds are the test; the wall clock only guards against a hang, and
    # is generous because the machine may be shared
    result = run_bounded("validate", str(path), "--format", "json", cwd=tmp_path, timeout=120)
    _assert_bounded(result)
    import json

    found = json.loads(result.stdout)
    ntx102 = [d for d in found if d["code"] == "NTX102"]
    assert len(ntx102) == MAX_PER_CODE + 1
    assert ntx102[-1]["message"].startswith("… and 99,950 more like this")


def test_too_many_schema_problems_stop_the_check_with_ntx019(tmp_path: Path) -> None:
    text = BALKANS.read_text(encoding="utf-8")
    keys = "".join(f"k{i}: {i}\n" for i in range(1_001))
    text = text.replace("\nstart:", "\n" + keys + "start:", 1)
    text = text.replace("environment: transitional", "environment: 7", 1)
    result = validate_file(_write(tmp_path, text))
    codes = [d.code for d in result.diagnostics]
    assert "NTX019" in codes
    assert codes.count("NTX102") == MAX_PER_CODE + 1
    assert not [c for c in codes if c.startswith("NTX2")]  # reference checks not made


def test_the_cap_counts_summaries_it_is_given() -> None:
    diags = [make("NTX204", "f", i, 1, f"m{i}") for i in range(1, 61)]
    diags.append(MoreLikeThis("f", 99, 1, "error", "NTX204", "… and 500 more like this", 500))
    capped = cap_per_code(diags)
    assert len(capped) == MAX_PER_CODE + 1
    (summary,) = [d for d in capped if isinstance(d, MoreLikeThis)]
    assert summary.count == 510
    assert (summary.line, summary.message.startswith("… and 510 more")) == (51, True)


def _many_variables(n_variables: int = 3000, n_decisions: int = 18) -> str:
    """The shape that once took 28 s and 4.8 GB: thousands of variables, all read by a few
    conditions, and two-way decisions that each change some of them (2**18 value tuples)."""
    lines = [
        "format: nexus-ttx/1",
        "id: many-variables",
        "title: Many variables",
        "summary: Thousands of variables.",
        "region: Anywhere",
        "environment: politically-stable",
        "manifestations: [black-hole]",
        "watch_points: [governance]",
        "good_practices: [GP1]",
        "variables:",
        *(f"  x{i}: {{label: X{i}, initial: 0, min: 0, max: 9}}" for i in range(n_variables)),
        "start: d0",
        "scenes:",
    ]
    group = n_variables // n_decisions
    for k in range(n_decisions):
        nxt = f"d{k + 1}" if k + 1 < n_decisions else "last"
        effects = ", ".join(f"x{i}: 1" for i in range(k * group, (k + 1) * group))
        lines += [
            f"  d{k}:",
            "    kind: decision",
            f"    title: D{k}",
            "    text: Choose.",
            "    choices:",
            f"      - {{id: a, text: A, effects: {{{effects}}}, next: {nxt}}}",
            f"      - {{id: b, text: B, next: {nxt}}}",
        ]
    per = n_variables // 10
    conditions = [
        "+".join(f"x{i}" for i in range(c * per, (c + 1) * per)) + " >= 0" for c in range(10)
    ]
    lines += ["  last:", "    kind: decision", "    title: Last", "    text: End.", "    choices:"]
    lines += [
        f'      - {{id: c{c}, text: C{c}, if: "{cond}", next: end}}'
        for c, cond in enumerate(conditions)
    ]
    lines += ["      - {id: z, text: Z, next: end}"]
    lines += [
        "  end:",
        "    kind: ending",
        "    title: End",
        "    text: Done.",
        "    outcome: partial",
    ]
    return "\n".join(lines) + "\n"


def test_thousands_of_variables_keep_analysis_memory_bounded(tmp_path: Path) -> None:
    path = _write(tmp_path, _many_variables())
    result = run_bounded("validate", str(path), cwd=tmp_path)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "NTX309" in result.stdout + result.stderr
    assert "fewer variables" in result.stdout + result.stderr
