"""`engine.analysis.graph`: Mermaid and DOT output structure, escaping, and the `graph` command."""

from __future__ import annotations

import re

import pytest
import yaml

from engine.analysis.graph import mermaid_text, to_dot, to_mermaid
from engine.core.model import scenario_from_dict
from tests.scenarios.hand import convoy, harmful_shortcut


def _tricky() -> dict:
    doc = convoy()
    doc["scenes"]["call"]["title"] = 'The "first" call [urgent] {x} (a|b) #1; <b>`md`</b>'
    doc["scenes"]["call"]["choices"][0]["text"] = 'Say "yes" -> [now]'
    return doc


def _mermaid_ok(text: str) -> None:
    """Structural checks standing in for a Mermaid parser: every label quoted and free of
    characters that could end it; node ids safe; arrows well formed."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    node = re.compile(
        r'^    (s\d+)(\["[^"]*"\]|\[\["[^"]*"\]\]|\[/"[^"]*"/\]|\{\{"[^"]*"\}\}|\(\["[^"]*"\]\))'
        r":::[a-z_]+$"
    )
    edge = re.compile(r'^    (s\d+) (-->|-\.->)(\|"[^"|]*"\|)? (s\d+)$')
    other = re.compile(r"^    (%%.*|classDef [a-z_]+ [^ ]+|linkStyle [\d,]+ [^ ]+)$")
    for line in lines[1:]:
        assert node.match(line) or edge.match(line) or other.match(line), line
        for label in re.findall(r'"([^"]*)"', line):
            assert not set(label) & set("[]{}()<>|`"), label


def test_mermaid_structure_convoy() -> None:
    text = to_mermaid(scenario_from_dict(convoy()))
    _mermaid_ok(text)
    assert 's0["▶ Briefing"]:::narrative' in text
    assert 's1{{"First call"}}:::decision' in text
    assert 's3(["Riot #40;failure#41;"]):::ending_failure' in text
    # the harmful raid's two branches: marked and coloured; conditional one dashed
    assert 's1 -.->|"⚠ Raid · → if trust #lt; 30"| s3' in text
    assert 's1 -->|"⚠ Raid · → otherwise"| s2' in text
    assert "linkStyle 2,3 stroke:#c53030" in text
    assert 's2 -.->|"Community watch · if trust #gt;= 50"| s4' in text
    assert "classDef ending_success" in text and "classDef ending_failure" in text


def test_mermaid_escapes_labels() -> None:
    text = to_mermaid(scenario_from_dict(_tricky()))
    _mermaid_ok(text)
    assert "#quot;first#quot;" in text and "#91;urgent#93;" in text
    assert mermaid_text('a"b') == "a#quot;b"
    assert mermaid_text("x#y") == "x#35;y"


def _dot_ok(text: str) -> None:
    """Balanced braces and brackets outside strings; strings closed; statements end in ';'."""
    depth = brackets = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            assert depth >= 0
        elif ch == "[":
            brackets += 1
        elif ch == "]":
            brackets -= 1
            assert brackets >= 0
    assert not in_string and depth == 0 and brackets == 0
    body = text.strip().splitlines()[1:-1]
    assert all(line.rstrip().endswith(";") for line in body)


def test_dot_structure_and_escaping() -> None:
    text = to_dot(scenario_from_dict(_tricky()))
    _dot_ok(text)
    assert text.startswith('digraph "convoy" {')
    assert '"call" [label="▶' not in text
    assert r'label="The \"first\" call [urgent] {x} (a|b) #1; <b>`md`' in text
    assert (
        '"call" -> "riot" [label="⚠ Raid · → if trust < 30", style="dashed", '
        'color="#c53030"' in text
    )
    assert '"riot" [label="Riot (failure)", shape=box, fillcolor="#fde2e1"' in text
    assert '"call" [label="The' in text and "shape=hexagon" in text


def test_every_edge_is_drawn() -> None:
    scenario = scenario_from_dict(harmful_shortcut())
    mer = to_mermaid(scenario)
    dot = to_dot(scenario)
    n_edges = sum(len(c.next) for s in scenario.scenes.values() for c in s.choices) + sum(
        len(s.next) for s in scenario.scenes.values()
    )
    assert len(re.findall(r" (-->|-\.->)", mer)) == n_edges
    assert dot.count(" -> ") == n_edges
    assert "linkStyle 1,5 " in mer  # raid and shortcut (links 0..5 in document order)


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_graph_command(cli, tmp_path, fmt) -> None:
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(convoy(), sort_keys=False), encoding="utf-8")
    r = cli("graph", str(path), "--format", fmt)
    assert r.returncode == 0, r.stderr
    if fmt == "mermaid":
        _mermaid_ok(r.stdout)
    else:
        _dot_ok(r.stdout)


def test_graph_command_bad_file(cli, tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("format: nexus-ttx/1\nid: [\n", encoding="utf-8")
    r = cli("graph", str(path), "--format", "mermaid")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "bad.yaml:" in r.stderr


def _library() -> list:
    from engine.core.resources import builtin_library

    return sorted(p for p in builtin_library().glob("*.yaml") if p.name != "toolkit.yaml")


@pytest.mark.parametrize("path", _library(), ids=lambda p: p.stem)
def test_library_scenarios_draw(path) -> None:
    from engine.check.validate import validate_file

    result = validate_file(path)
    if result.scenario is None:
        pytest.skip(f"{path.name} does not validate (its own tests say why)")
    _mermaid_ok(to_mermaid(result.scenario))
    _dot_ok(to_dot(result.scenario))
