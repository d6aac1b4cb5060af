"""The generated fast validators stay in step with the schemas, and agree with a fresh compile."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.load import validators
from engine.load.yamlload import load_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", sorted(validators.SCHEMAS))
def test_generated_validator_is_current(kind: str) -> None:
    """After editing a schema, run `python -m engine.load.validators` (make generate)."""
    generated = (validators.GENERATED / f"{kind}.py").read_text(encoding="utf-8")
    assert f'SCHEMA_SHA256 = "{validators.schema_hash(kind)}"' in generated
    assert validators.generated(kind) is not None


def test_generated_source_is_what_the_generator_writes() -> None:
    for kind in validators.SCHEMAS:
        on_disk = (validators.GENERATED / f"{kind}.py").read_text(encoding="utf-8")
        assert on_disk.split("\n", 4)[3:] == validators.source(kind).split("\n", 4)[3:]


def _documents() -> list[tuple[str, object]]:
    docs = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = load_file(path).data
        kind = "toolkit" if path.name == "toolkit.yaml" else "scenario"
        docs.append((kind, data))
        if kind == "scenario":
            broken = dict(data)
            broken.pop("start")
            docs.append((kind, broken))
            docs.append((kind, {**data, "scenes": {"x": {"kind": "nowhere"}}}))
    return docs


def _verdict(validate: validators.Validate, data: object) -> bool:
    try:
        validate(data)
    except validators.SchemaMismatch:
        return False
    return True


def test_generated_and_compiled_validators_agree() -> None:
    verdicts = []
    for kind, data in _documents():
        generated = validators.generated(kind)
        assert generated is not None
        verdict = _verdict(generated, data)
        assert verdict == _verdict(validators.compiled(kind), data)
        verdicts.append(verdict)
    assert True in verdicts and False in verdicts


def test_a_stale_generated_validator_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validators, "schema_hash", lambda kind: "0" * 64)
    assert validators.generated("scenario") is None
    assert _verdict(validators.validator("scenario"), {"format": "nexus-ttx/1"}) is False
