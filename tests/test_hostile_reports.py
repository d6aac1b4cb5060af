"""Hostile text in reports: a session whose scenario and team carry HTML, script, javascript:
links and spreadsheet formulas. The CSV never starts a cell with a formula character, and the
Markdown (rendered by a CommonMark renderer with HTML on) and HTML reports run no script in a
real Chromium."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from engine.core.safe_text import CSV_FORMULA_START, for_csv_cell, for_markdown
from tests.browser import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parents[1]
COMPLETE = ROOT / "tests" / "fixtures" / "valid" / "complete.yaml"
PWN = "window.__pwned=1"


def hostile_scenario(folder: Path) -> Path:
    text = COMPLETE.read_text(encoding="utf-8")
    swaps = {
        "title: Gold, Fuel and a Convoy": f'title: "<script>{PWN}</script>Gold"',
        "    title: The first call": '    title: "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"',
        "text: Convene a task force with the FIU and customs": (
            f'text: "+cmd|\' /C calc\'!A0 <img src=x onerror=\\"{PWN}\\">"'
        ),
        "feedback: Joint work lets the money be followed across agencies.": (
            f'feedback: "@SUM(1+1) [click](javascript:{PWN}) [ok](https://example.org) '
            f"<a href='javascript:{PWN}'>a</a> [j]( JaVaScRiPt:{PWN}) <svg onload={PWN}>\""
        ),
        "    title: A convoy is stopped": '    title: "-2+3 <iframe src=javascript:alert(1)>"',
    }
    for old, new in swaps.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def hostile_session(cli, tmp_path: Path) -> tuple[str, object]:
    path = hostile_scenario(tmp_path)
    ran = cli(
        "run", str(path), "--choices", "task-force", "--team", "=1+2 <b onmouseover=x>", "--save"
    )
    assert ran.returncode == 0, ran.stderr
    listed = json.loads(cli("sessions", "--json").stdout)
    return listed[0]["id"], cli


def test_csv_cells_never_start_a_formula(hostile_session) -> None:
    session, cli = hostile_session
    result = cli("report", session, "--format", "csv")
    assert result.returncode == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(CSV_FORMULA_START)]
    assert "'=1+2 <b onmouseover=x>" in cells
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert any(c.startswith("'+cmd|") for c in cells)
    assert any(c.startswith("'@SUM(1+1)") for c in cells)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("ok", "ok"),
        (5, 5),
        ("", ""),
    ],
)
def test_csv_cell(value: object, shown: object) -> None:
    assert for_csv_cell(value) == shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("[a](javascript:alert(1))", "\\[a\\](javascript:alert(1))"),  # text, not a link
        ("[a](javascript:void)", "a"),
        ("[a](https://e.org/x)", "[a](https://e.org/x)"),
        ("[a](mailto:x@e.org)", "[a](mailto:x@e.org)"),
        ("[a]: javascript:alert(1)", "\\[a\\]: javascript:alert(1)"),
        ("[a](data:text/html,x)", "a"),
        ("&#106;", "&amp;#106;"),
    ],
)
def test_markdown_text(text: str, expected: str) -> None:
    assert for_markdown(text) == expected


def _chromium_run(html: str) -> tuple[object, list[str], list[str]]:
    """Load `html` in headless Chromium; (window.__pwned, dialogs, script-bearing nodes)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=ARGS,
        )
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.route("**/*", lambda route: route.abort())  # no network at all
            page.set_content(html, wait_until="load")
            page.wait_for_timeout(300)  # let onerror / onload handlers fire if any exist
            for link in page.query_selector_all("a"):  # click what is not a web link
                href = (link.get_attribute("href") or "").strip().lower()
                if not href.startswith(("http://", "https://", "mailto:")):
                    link.click(no_wait_after=True, timeout=2000)
            for node in page.query_selector_all("b, img, svg"):
                node.hover(timeout=2000)
            pwned = page.evaluate("window.__pwned")
            risky = page.evaluate(
                """() => [...document.querySelectorAll('*')].flatMap(el =>
                    [...el.attributes].filter(a => a.name.startsWith('on')
                      || (a.name === 'href' && !/^(https?|mailto):/i.test(a.value.trim())))
                    .map(a => el.tagName + ' ' + a.name)
                  ).concat([...document.querySelectorAll('script, iframe')].map(e => e.tagName))"""
            )
        finally:
            browser.close()
    return pwned, dialogs, risky


def test_the_markdown_report_runs_no_script_in_chromium(hostile_session) -> None:
    session, cli = hostile_session
    md = cli("report", session, "--format", "md")
    assert md.returncode == 0
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md.stdout)
    assert "https://example.org" in html  # http(s) links survive
    pwned, dialogs, risky = _chromium_run(f"<!doctype html><html><body>{html}</body></html>")
    assert pwned is None
    assert dialogs == []
    assert risky == []


def test_the_html_report_runs_no_script_in_chromium(hostile_session) -> None:
    session, cli = hostile_session
    page = cli("report", session, "--format", "html")
    assert page.returncode == 0
    pwned, dialogs, risky = _chromium_run(page.stdout)
    assert pwned is None
    assert dialogs == []
    assert [r for r in risky if r != "SCRIPT"] == []
    assert PWN not in "".join(risky)
