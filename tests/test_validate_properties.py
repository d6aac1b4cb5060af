"""Property: whatever an author's editor (or a cat on the keyboard) does to a valid scenario,
`validate_file` returns located diagnostics and never raises, and the schema's fast validator
(fastjsonschema) and full one (jsonschema) give the same verdict on the mutated document."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.check.validate import validate_file
from engine.core.diagnostics import CODES
from engine.load.schema_check import is_valid, load_schema
from engine.load.yamlload import load_bytes

VALID = Path(__file__).resolve().parent / "fixtures" / "valid" / "complete.yaml"
TEXT = VALID.read_text(encoding="utf-8")
DATA = yaml.load(TEXT, Loader=yaml.CSafeLoader)
LINES = TEXT.split("\n")

SCENE_IDS = list(DATA["scenes"])
ODD_VALUES = [
    None,
    True,
    0,
    -3,
    1.5,
    "",
    "x",
    "Bad Id",
    "GP99.S1",
    "corruption.9",
    [],
    {},
    ["a", 1],
    {"a": {"b": None}},
    "trust >= ",
    'visited("nowhere")',
    "<<",
    "~",
]


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, prefix + (key,)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, prefix + (index,)))
    return out


PATHS = _paths(DATA)
FULL = jsonschema.Draft202012Validator(load_schema("scenario"))


def _set(data: Any, path: tuple, value: Any) -> None:
    node = data
    for elem in path[:-1]:
        node = node[elem]
    node[path[-1]] = value


def _delete(data: Any, path: tuple) -> None:
    node = data
    for elem in path[:-1]:
        node = node[elem]
    del node[path[-1]]


@st.composite
def mutated(draw) -> bytes:
    kind = draw(
        st.sampled_from(
            [
                "delete-key",
                "change-type",
                "rename-reference",
                "insert-tab",
                "truncate",
                "random-bytes",
                "delete-line",
                "duplicate-line",
                "swap-lines",
                "several",
            ]
        )
    )
    text = TEXT
    if kind in ("delete-key", "change-type", "rename-reference", "several"):
        data = copy.deepcopy(DATA)
        for _ in range(draw(st.integers(1, 4)) if kind == "several" else 1):
            paths = _paths(data)
            if not paths:
                break
            path = draw(st.sampled_from(paths))
            action = (
                kind
                if kind != "several"
                else draw(st.sampled_from(["delete-key", "change-type", "rename-reference"]))
            )
            if action == "delete-key":
                _delete(data, path)
            elif action == "change-type":
                _set(data, path, draw(st.sampled_from(ODD_VALUES)))
            else:
                _set(data, path, draw(st.sampled_from(SCENE_IDS + ["nowhere", "briefng"])))
        text = yaml.safe_dump(
            data,
            sort_keys=draw(st.booleans()),
            default_flow_style=draw(st.sampled_from([False, None])),
            allow_unicode=True,
        )
        return text.encode("utf-8")
    raw = text.encode("utf-8")
    if kind == "insert-tab":
        line = draw(st.integers(0, len(LINES) - 1))
        lines = list(LINES)
        lines[line] = "\t" + lines[line]
        return "\n".join(lines).encode("utf-8")
    if kind == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    if kind == "random-bytes":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(min_size=1, max_size=12)) + raw[at:]
    lines = list(LINES)
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete-line":
        del lines[i]
    elif kind == "duplicate-line":
        lines.insert(i, lines[i])
    else:
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=mutated())
def test_mutations_never_crash_and_every_diagnostic_is_located(
    tmp_path_factory, content: bytes
) -> None:
    path = tmp_path_factory.getbasetemp() / "mutated.yaml"
    path.write_bytes(content)
    result = validate_file(path)  # must not raise
    n_lines = content.count(b"\n") + 1
    for d in result.diagnostics:
        assert d.code in CODES
        assert d.severity in ("error", "warning")
        assert d.file == str(path)
        assert 1 <= d.line <= n_lines + 1, d
        assert d.column >= 1, d
        assert d.message
    if not result.errors and result.kind == "scenario":
        assert result.scenario is not None  # a clean document always builds the model
    loaded = load_bytes(content, str(path))
    if loaded.ok:  # the validators see what the loader read: they must agree on it
        fast, full = is_valid(loaded.data, "scenario"), FULL.is_valid(loaded.data)
        assert fast == full, (fast, full, [e.message for e in FULL.iter_errors(loaded.data)])


def test_the_unmutated_fixture_is_clean() -> None:
    assert validate_file(VALID).errors == ()
