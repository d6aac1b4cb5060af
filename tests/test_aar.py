"""The after-action report: section by section for a hand-built 9-decision, 3-team session,
escaping, local times, the CLI, and the printed page budget through headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.report.aar import build_aar
from engine.report.aar_html import SECTIONS, render_aar_html
from engine.report.aar_md import md, render_aar_md
from engine.report.charts import bar_chart, grouped_bars
from engine.store.sqlite import Store
from engine.toolkit.catalog import load_catalog
from tests.browser import CHROMIUM, print_to_pdf
from tests.scenarios.aar_session import TEAMS, build

PAGE_BUDGET = 10


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def played(tmp_path_factory, catalog):
    folder = tmp_path_factory.mktemp("aar")
    store = Store(folder / "s.sqlite3")
    ex = build(store, catalog, folder)
    yield folder, store, ex
    store.close()


def aar_of(ex, catalog, **kw):
    cover = {"location": "Bamako, Mali", "sponsor": "UNICRI", "handling": "OFFICIAL"}
    return build_aar(
        ex.scenario, ex.session, ex.events(), ex.scores(), ex.room_score(), catalog=catalog,
        cover=cover, chance=33.3, **kw,
    )  # fmt: skip


def test_cover(played, catalog) -> None:
    _, _, ex = played
    cover = aar_of(ex, catalog, tz=timezone(timedelta(hours=1), "WAT"))["cover"]
    assert cover["title"] == "Corridor TTX 2026"  # the session's name, not the scenario id
    assert cover["scenario"] == "Nine Decisions on the Corridor"
    assert cover["format"] == "facilitated" and cover["teams"] == list(TEAMS)
    assert (cover["location"], cover["sponsor"], cover["handling"]) == (
        "Bamako, Mali",
        "UNICRI",
        "OFFICIAL",
    )
    started = ex.session.started_at  # UTC; the cover shows it an hour later, in WAT
    hour = (int(started[11:13]) + 1) % 24
    assert f", {hour:02d}:{started[14:16]} (WAT)" in cover["start"]
    assert cover["status"] == "completed" and cover["duration_minutes"] >= 0


def test_objectives_rated_from_evaluators_then_alignment(played, catalog) -> None:
    _, _, ex = played
    objectives = {o["id"]: o for o in aar_of(ex, catalog)["objectives"]}
    share, communities = objectives["share"], objectives["communities"]
    money, justice = objectives["money"], objectives["justice"]
    assert (share["rating"], share["rated_by"]) == ("P", "evaluators")
    assert share["decisions"] == [1, 2] and (share["points"], share["possible"]) == (4, 4)
    assert communities["rating"] == "M"  # evaluator's M although the room scored 3/4
    assert money["rating"] == "U" and money["observations"][0]["team"] == TEAMS[1]
    assert justice["rating"] == "S" and (justice["points"], justice["possible"]) == (4, 6)
    assert share["feedback_mean"] == 4.0 and communities["feedback_mean"] == 2.5
    assert share["practices"][1] == "GP8 Interagency intelligence sharing"


def test_strengths_and_improvements_backed_by_decisions_and_observations(played, catalog):
    _, _, ex = played
    aar = aar_of(ex, catalog)
    strengths = {f["practice_id"]: f for f in aar["strengths"]}
    improvements = {f["practice_id"]: f for f in aar["improvements"]}
    assert set(improvements) == {"GP13", "GP21"}  # a missed key action + M, and a U
    assert improvements["GP13"]["decisions"] == [3] and improvements["GP13"]["missed"]
    assert improvements["GP21"]["observations"][0]["rating"] == "U"
    assert "GP8" in strengths and strengths["GP8"]["observations"][0]["rating"] == "P"
    assert not set(strengths) & set(improvements)
    assert aar["summary"]["improvements"] == [
        "GP13 Dialogue with local communities",
        "GP21 Financial investigation capacity",
    ]


def test_results_per_team_and_room(played, catalog) -> None:
    _, _, ex = played
    results = aar_of(ex, catalog)["results"]
    room = results["room"]
    assert (room["points"], room["possible"], room["alignment"]) == (14, 18, 77.78)
    assert [t["name"] for t in results["teams"]] == list(TEAMS)
    # Table 3's vote at decision 5 was corrected from the full answer to the partial one
    assert [t["points"] for t in results["teams"]] == [12, 11, 12]
    assert results["chance"] == 33.3


def test_timeline_shows_choices_teams_reasons_timer_and_corrections(played, catalog) -> None:
    _, _, ex = played
    timeline = aar_of(ex, catalog)["timeline"]
    assert len(timeline) == 9
    assert [d["how"] for d in timeline][:4] == ["majority", "tie-break", "majority", "override"]
    second = timeline[1]
    assert second["decision"] == "Decision 2: Interagency intelligence sharing"
    followed = [c for c in second["choices"] if c["followed"]]
    assert len(followed) == 1 and followed[0]["teams"] == [TEAMS[1]]
    texts = [n["text"] for n in second["notes"]]
    assert "Three-way split; the ministry's protocol decides." in texts
    assert {n["label"] for n in timeline[2]["notes"]} == {"Timer"}
    assert timeline[2]["notes"][0]["text"] == "time ran out (5:00)"
    correction = timeline[4]["notes"]
    assert [n["label"] for n in correction] == ["Correction"]
    assert correction[0]["text"] == (
        "Table 3 (Ouagadougou)'s vote was corrected to 'Take the first step now and leave the "
        "rest to the next meeting of the coordination committee' (Table 3 meant the committee "
        "option)"
    )
    assert [n["label"] for n in second["notes"]] == ["Reason (tie-break)"]
    assert [n["label"] for n in timeline[3]["notes"]] == ["Reason (override)"]


def test_feedback_and_plan(played, catalog) -> None:
    _, _, ex = played
    aar = aar_of(ex, catalog)
    feedback = aar["feedback"]
    assert feedback["responses"] == 3
    communities = feedback["objectives"][1]
    assert communities["mean"] == 2.5 and communities["distribution"] == [0, 1, 1, 0, 0]
    assert [w["text"] for w in feedback["change"]] == [
        "More time for the money-laundering decision.",
        "A map of the corridor.",
    ]
    plan = aar["plan"]
    assert [p["item"] for p in plan] == ["1", "2", "3"]
    assert plan[0]["practice"] == "GP8 Interagency intelligence sharing"
    assert plan[0]["objective"] == "Share intelligence across agencies and borders."


def test_html_has_every_section_titles_not_ids_and_actors_once(played, catalog) -> None:
    _, _, ex = played
    aar = aar_of(ex, catalog)
    html = render_aar_html(aar)
    for key, title in SECTIONS:
        assert f'<section id="{key}"' in html and title in html
    assert "@page" in html and "size: A4" in html and "<svg" in html
    body = html.split("</style>", 1)[1]
    words = set(re.sub(r"<[^>]+>", " ", body).split())
    ids = {"nine-decisions", "d1", "d3", "end-good", "best", "harm"}  # scene and choice ids
    assert not ids & words
    assert not re.search(r">\s*(share|communities|money|justice|partial)\s*<", body)
    assert html.count("<b>Key actors:</b>") == len(aar["practices"])
    for practice in aar["practices"]:
        assert html.count(f"<b>{practice['title']}</b> <span class=muted>") == 1
    markdown = render_aar_md(aar)
    for _, title in SECTIONS:
        assert f"## {title}" in markdown


def test_content_is_escaped(tmp_path, catalog) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        ex = build(store, catalog)
        ex.add_observation("<script>alert(1)</script> | *bold*", rating="M", practice="GP13")
        ex.add_plan_item("<img src=x onerror=alert(1)>", organisation="A & B")
        aar = aar_of(ex, catalog)
    html = render_aar_html(aar)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "A &amp; B" in html
    markdown = render_aar_md(aar)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "\\| \\*bold\\*" in markdown
    assert md("# not a heading") == "\\# not a heading" and md("1. x") == "1\\. x"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=40), st.one_of(st.none(), st.floats(0, 100))),
        min_size=1,
        max_size=7,
    ),
    st.one_of(st.none(), st.floats(0, 100)),
)
def test_charts_are_well_formed_svg_with_one_bar_per_value(items, chance) -> None:
    svg = bar_chart(items, title="<T&>", chance=chance)
    root = ET.fromstring(svg)  # well-formed: every label escaped
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == sum(1 for _, v in items if v is not None)
    categories = [name or "x" for name, _ in items]
    series = [("Room", {c: v for c, (_, v) in zip(categories, items, strict=True)})]
    ET.fromstring(grouped_bars(categories, series, title="t", chance=chance))


def test_cli_writes_the_aar_as_html_and_markdown(played) -> None:
    from tests.conftest import run_cli

    folder, _, ex = played
    env = {"NEXUS_TTX_DB": str(folder / "s.sqlite3")}
    out = folder / "cli-aar.html"
    result = run_cli(
        "report", ex.session_id, "--format", "aar", "--handling", "RESTRICTED",
        "--delivery", "hybrid", "-o", str(out), env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count("RESTRICTED") == 2 and "<td>Hybrid</td>" in html
    # the analysis' chance level: 1 of 3 choices takes 2/2, 1 takes 1/2, 1 is harmful -> 50 %
    assert "chance 50%" in html and "choosing at random (50%)" in html
    md_out = run_cli("report", ex.session_id, "--format", "aar-md", env=env)
    assert md_out.returncode == 0 and "## Appendix A: Improvement plan" in md_out.stdout
    as_json = run_cli("report", ex.session_id, "--format", "json", env=env)
    assert json.loads(as_json.stdout)["session"]["id"] == ex.session_id


def _pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")
def test_printed_aar_fits_the_page_budget_with_every_section(played, catalog, tmp_path):
    _, _, ex = played
    page = tmp_path / "aar.html"
    page.write_text(render_aar_html(aar_of(ex, catalog)), encoding="utf-8")
    pdf = tmp_path / "aar.pdf"
    print_to_pdf(page, pdf)
    pages = _pdf_pages(pdf)
    assert 3 <= pages <= PAGE_BUDGET
    if not shutil.which("pdftotext"):
        return
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]  # fmt: skip
    found = {t: [n for n, x in enumerate(texts, 1) if t in x and n > 1] for _, t in SECTIONS}
    assert all(found.values()), found
    # the cover is page 1 on its own; the executive summary fits on page 2
    assert "Corridor TTX 2026" in texts[0] and "Main areas for improvement" not in texts[0]
    assert 2 in found["Executive summary"] and "Main areas for improvement" in texts[1]
