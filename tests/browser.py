"""Debian's Chromium as every browser test drives it: one path, one set of flags (headless, no
sandbox, no network or updates of its own), and printing a page to PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def print_to_pdf(page: Path, pdf: Path) -> None:
    """Print an HTML file to PDF as a reader would from the browser (no header or footer)."""
    subprocess.run(
        [CHROMIUM, *ARGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True,
        check=True,
        timeout=120,
    )
