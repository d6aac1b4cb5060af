"""`validate` checks a scenario's ids against a generated index of the built-in catalog, used
only while the toolkit file is the one it came from (else built from the catalog)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.core.resources import catalog_path
from engine.toolkit import _index_data, index
from engine.toolkit.catalog import load_catalog


def test_the_generated_index_is_current() -> None:
    path = catalog_path()
    expected = index.generated_source(index.index_of(load_catalog(path)), index._sha256(path))
    assert index.GENERATED.read_text(encoding="utf-8") == expected, (
        "the toolkit catalog changed: run `make generate`"
    )


def test_the_index_holds_the_catalogs_ids() -> None:
    catalog = load_catalog()
    built = index.builtin_index()
    assert built.key_actions == catalog.key_action_ids
    assert built.practices == catalog.practice_ids
    assert built.tags == catalog.factor_ids | catalog.indicator_ids | catalog.manifestation_ids
    assert built.practice_of["GP21.S4"] == "GP21"


def test_a_stale_index_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    edited = tmp_path / "toolkit.yaml"
    text = catalog_path().read_text(encoding="utf-8")
    edited.write_text(text.replace("id: GP21.S4\n", "id: GP21.S9\n", 1), encoding="utf-8")
    monkeypatch.setattr(index, "catalog_path", lambda: edited)
    import engine.toolkit.catalog as catalog_module

    monkeypatch.setattr(catalog_module, "catalog_path", lambda: edited)
    monkeypatch.setattr(
        catalog_module, "_default_catalog", catalog_module._default_catalog.__wrapped__
    )
    index.builtin_index.cache_clear()
    try:
        fresh = index.builtin_index()
    finally:
        index.builtin_index.cache_clear()
    assert index._sha256(edited) != _index_data.SOURCE_SHA256
    assert "GP21.S9" in fresh.key_actions and "GP21.S4" not in fresh.key_actions


def test_validate_does_not_build_the_catalog(cli) -> None:
    code = (
        "import sys; from engine.check.validate import validate_file; "
        "r = validate_file('scenarios/sahel-gold-and-fuel.yaml'); "
        "print(r.ok, 'engine.toolkit.catalog' in sys.modules)"
    )
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.split() == ["True", "False"], done.stdout + done.stderr
