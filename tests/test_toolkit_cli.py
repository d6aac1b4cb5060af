"""`nexus-ttx toolkit` as a user runs it: a subprocess from an unrelated directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

GP21_IDS = [f"GP21.S{k}" for k in range(1, 8)]


def toolkit(
    *args: str, cwd: Path, columns: int | None = None, python_flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run `python -m cli toolkit ARGS` from `cwd` with the source tree on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXUS_TTX_")}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "cli", "toolkit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_practice_in_full(tmp_path):
    proc = toolkit("GP21", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "GP21  Increase financial investigative capacities." in out
    positions = [out.index(ka) for ka in GP21_IDS]
    assert positions == sorted(positions)
    for heading in ("Key actions", "Key actors", "Relevant international standards", "Examples"):
        assert heading in out
    assert "Financial police" in out
    assert "http://www.unicri.it/topics/asset_recovery/" in out
    assert "Capacity building and law enforcement" in out
    assert proc.stderr == ""


def test_grouped_practice_shows_steps_under_their_actions(tmp_path):
    out = toolkit("gp22", cwd=tmp_path).stdout
    lines = out.splitlines()
    a5 = next(i for i, line in enumerate(lines) if line.lstrip().startswith("GP22.A5 "))
    s1 = next(i for i, line in enumerate(lines) if line.lstrip().startswith("GP22.A5.S1 "))
    assert a5 < s1
    indent = lambda line: len(line) - len(line.lstrip())  # noqa: E731
    assert indent(lines[s1]) > indent(lines[a5])
    assert "Adapt national legislation and organizational structures" in lines[a5]
    assert any(line.lstrip().startswith("GP22.A2 ") for line in lines)


def test_key_action_with_context(tmp_path):
    proc = toolkit("GP21.S4", cwd=tmp_path)
    assert proc.returncode == 0
    assert "step 4 of GP21" in proc.stdout
    assert "fusion centres" in proc.stdout
    assert "Increase financial investigative capacities." in proc.stdout
    assert "Financial police" in proc.stdout  # the practice's key actors

    nested = toolkit("GP22.A5.S1", cwd=tmp_path).stdout
    assert "step 1 of action 5 of GP22" in nested
    assert "Action: GP22.A5" in nested


def test_watch_point_and_indicator(tmp_path):
    factor = toolkit("corruption", cwd=tmp_path).stdout
    assert all(f"corruption.{k}" in factor for k in range(1, 6))
    assert "corruption.6" not in factor
    indicator = toolkit("corruption.3", cwd=tmp_path).stdout
    assert indicator.startswith("corruption.3")
    assert "systemic" in indicator
    assert "corruption.4" not in indicator


def test_word_search_lists_matches_one_per_line(tmp_path):
    proc = toolkit("prison", cwd=tmp_path)
    assert proc.returncode == 0
    rows = [line.split() for line in proc.stdout.splitlines() if line.startswith("  ")]
    found = {row[0]: row[1] for row in rows}
    assert found["GP24"] == "practice"
    assert found["GP24.A1"] == "key"  # "key action"
    assert found["recruitment.5"] == "indicator"
    assert found["appropriation-of-tactics"] == "manifestation"
    assert "matches for 'prison'" in proc.stdout


def test_unquoted_words_are_one_query(tmp_path):
    proc = toolkit("fusion", "centre", cwd=tmp_path)
    assert proc.returncode == 0
    assert "GP21.S4" in proc.stdout and "GP8.S4" in proc.stdout


def test_overview(tmp_path):
    proc = toolkit(cwd=tmp_path)
    assert proc.returncode == 0
    out = proc.stdout
    for name in (
        "Legal considerations",
        "Research and information sharing",
        "Local engagement",
        "Capacity building and law enforcement",
    ):
        assert name in out
    for n in range(1, 26):
        assert f"GP{n} " in out
    for wid in ("geography-of-operations", "external-support", "black-hole", "post-conflict"):
        assert wid in out
    assert "105 key actions" in out and "35 indicators" in out


def test_json_whole_catalog(tmp_path):
    proc = toolkit("--json", cwd=tmp_path)
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["format"] == "nexus-ttx-toolkit/1"
    assert {k: len(v) for k, v in data.items() if k != "format"} == {
        "areas": 4,
        "good_practices": 25,
        "watch_points": 11,
        "manifestations": 6,
        "environments": 3,
    }
    gp21 = data["good_practices"][20]
    assert [k["id"] for k in gp21["key_actions"]] == GP21_IDS


def test_json_query_returns_matched_items(tmp_path):
    items = json.loads(toolkit("GP21.S4", "--json", cwd=tmp_path).stdout)
    assert items == [
        {
            "kind": "key_action",
            "id": "GP21.S4",
            "text": items[0]["text"],
            "practice": "GP21",
            "area": "capacity-building-law-enforcement",
        }
    ]
    found = json.loads(toolkit("--json", "prison", cwd=tmp_path).stdout)
    assert {i["kind"] for i in found} >= {"practice", "key_action", "indicator", "manifestation"}


@pytest.mark.parametrize("query,suggestion", [("GP99", "GP9"), ("corupton", "corruption")])
def test_no_match_suggests_and_exits_1(tmp_path, query, suggestion):
    proc = toolkit(query, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "did you mean" in proc.stderr and suggestion in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_match_json_prints_empty_list(tmp_path):
    proc = toolkit("--json", "zzqqxx", cwd=tmp_path)
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == []
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("columns,limit", [(60, 60), (200, 100)])
def test_text_is_wrapped_to_terminal_width_max_100(tmp_path, columns, limit):
    out = toolkit("GP13", cwd=tmp_path, columns=columns).stdout
    long_lines = [line for line in out.splitlines() if len(line) > limit and "://" not in line]
    assert not long_lines
    if columns > 100:
        assert max(len(line) for line in out.splitlines() if "://" not in line) > 80


def test_toolkit_never_imports_textual(tmp_path):
    proc = toolkit("GP1", cwd=tmp_path, python_flags=("-X", "importtime"))
    assert proc.returncode == 0
    assert "engine.toolkit.catalog" in proc.stderr  # the import log is really there
    assert "textual" not in proc.stderr


def test_word_search_lists_the_most_relevant_first(tmp_path):
    proc = toolkit("prison", cwd=tmp_path)
    rows = [line.split()[0] for line in proc.stdout.splitlines() if line.startswith("  ")]
    assert rows[0] == "GP24"  # "Prisons and probation services"
    assert rows.index("GP24.A1") < rows.index("GP10")  # a key action about prisons first
