"""One locator for the data folders, so editable and wheel installs behave alike.

In a wheel, `schemas/` and `scenarios/` are shipped inside the package as `engine/_data/...`
(see pyproject's force-include); in a source checkout or editable install they sit at the
repository root beside `engine/`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # engine/


@cache
def data_dir(name: str) -> Path:
    """Return the folder `schemas` or `scenarios`, wherever this install keeps it."""
    if name not in ("schemas", "scenarios"):
        raise ValueError(f"unknown data folder {name!r}")
    packaged = _PACKAGE_DIR / "_data" / name  # engine/ is a folder on disk in both installs
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name


def schema_path(name: str) -> Path:
    """Path of a JSON Schema by file name, e.g. `scenario.schema.json`."""
    return data_dir("schemas") / name


def builtin_library() -> Path:
    """The built-in scenario library folder."""
    return data_dir("scenarios")


def catalog_path() -> Path:
    """The toolkit catalog YAML file."""
    return data_dir("scenarios") / "toolkit.yaml"
