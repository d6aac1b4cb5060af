"""The wheel ships schemas, scenarios and the catalog, and works from any directory.

`pip install .` (non-editable) must give a working `nexus-ttx`: data folders sit outside the
packages in the source tree, so this builds the real wheel, installs it into a scratch target
and runs the CLI from an unrelated directory against that install only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("nexus_ttx-*.whl")
    return path


def test_wheel_contains_data_and_code(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "engine/_data/schemas/scenario.schema.json",
        "engine/_data/schemas/toolkit.schema.json",
        "engine/_data/scenarios/toolkit.yaml",
        "engine/play/machine.py",
        "cli/main.py",
    }
    expected |= {f"engine/_data/scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml")}
    expected |= {f"tui/styles/{p.name}" for p in (ROOT / "tui" / "styles").glob("*.tcss")}
    expected |= {"web/server.py", "cli/commands/serve.py", "engine/core/i18n.py"}
    expected |= {  # the compiled interface catalogs
        f"engine/locale/{p.parent.parent.name}/LC_MESSAGES/nexus-ttx.mo"
        for p in (ROOT / "engine" / "locale").glob("*/LC_MESSAGES/nexus-ttx.po")
    }
    assert any(n.startswith("engine/locale/fr/") for n in expected)
    for folder in ("templates", "static"):
        expected |= {f"web/{folder}/{p.name}" for p in (ROOT / "web" / folder).iterdir()}
    assert expected <= names, sorted(expected - names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "nexus-ttx = cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_works_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXUS_TTX_")}
    env["PYTHONPATH"] = str(target)  # before the editable checkout on sys.path
    env["NEXUS_TTX_DB"] = str(tmp_path / "s.sqlite3")

    def nexus(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cli", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import engine.core.resources as r; print(r.__file__); print(r.data_dir('schemas'))",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    module_file, schemas = where.stdout.splitlines()
    assert module_file.startswith(str(target)), where.stdout
    assert schemas.startswith(str(target)), where.stdout

    toolkit = nexus("toolkit", "GP21")
    assert toolkit.returncode == 0, toolkit.stderr
    assert "GP21" in toolkit.stdout
    french = nexus("--lang", "fr", "validate", "--help")  # the catalog found in the install
    assert french.returncode == 0, french.stderr
    assert "langue de l’interface" in french.stdout
    listing = nexus("list")
    assert listing.returncode == 0, listing.stderr
    scenario = next(p for p in (ROOT / "scenarios").glob("*.yaml") if p.name != "toolkit.yaml")
    assert scenario.stem in listing.stdout
    validate = nexus("validate", str(target / "engine" / "_data" / "scenarios"))
    assert validate.returncode == 0, validate.stdout + validate.stderr
