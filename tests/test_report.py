"""After-action reports: four formats, solo and three teams, deterministic and escaped."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable

import pytest
import yaml

from engine.core.model import scenario_from_dict
from engine.exercise.exercise import Exercise
from engine.report.document import CSV_COLUMNS, exercise_report, render
from engine.store.sqlite import Store
from tests.scenarios.hand import convoy, harbour


def three_team_session(store: Store, doc: dict, path: str | None = None) -> Exercise:
    """harbour()'s facilitated session (see its docstring for the figures)."""
    ex = Exercise.start(
        store,
        scenario_from_dict(doc),
        scenario_path=path,
        mode="facilitated",
        teams=("A", "B", "C"),
        seed=2026,  # the choice order is part of what the report shows
    )
    ex.acknowledge()
    ex.acknowledge()
    for team, choice in zip("ABC", ("share", "legal-review", "leak"), strict=False):
        ex.record_choice(team, choice)
    ex.add_note("Split three ways <script>alert(1)</script> | pipes")
    ex.follow("share")
    for team, choice in zip("ABC", ("brief", "brief", "silence"), strict=False):
        ex.record_choice(team, choice)
    ex.follow()
    for team, choice in zip("ABC", ("outreach", "outreach", "curfew"), strict=False):
        ex.record_choice(team, choice)
    ex.follow()
    return ex


def solo_session(store: Store, doc: dict, path: str | None = None) -> Exercise:
    ex = Exercise.start(store, scenario_from_dict(doc), scenario_path=path, teams=("Ada",))
    ex.acknowledge()
    ex.choose("raid")
    return ex


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


def report_of(store: Store, ex: Exercise) -> dict:
    return exercise_report(ex, info=store.session(ex.session_id))


def test_three_team_report_content(store) -> None:
    ex = three_team_session(store, harbour())
    report = report_of(store, ex)
    teams = {t["team"]: t for t in report["teams"]}
    assert {
        k: (t["points"], t["possible"], t["alignment"], t["harmful"]) for k, t in teams.items()
    } == {"A": (4, 5, 80.0, 0), "B": (3, 5, 60.0, 0), "C": (0, 5, 0.0, 2)}
    assert teams["A"]["strengths"] == ["GP3.S1", "GP21.S4", "GP13.S1", "GP14.S1"]
    assert teams["A"]["improvements"] == ["GP1.S1"]
    # C's harmful leak enacted GP21.S4: not a strength, an area for improvement
    assert teams["C"]["strengths"] == []
    assert "GP21.S4" in teams["C"]["improvements"]
    assert [d["followed"]["how"] for d in report["decisions"]] == [
        "tie-break",
        "majority",
        "majority",
    ]
    assert report["ending"]["outcome"] == "success"
    ka = report["key_actions"]["GP21.S4"]
    assert ka["key_actors"] and ka["standards"] and ka["practice"] == "GP21"
    assert report["session"]["status"] == "ended"


def test_four_formats_for_solo_and_three_teams(store) -> None:
    for ex in (solo_session(store, convoy()), three_team_session(store, harbour())):
        report = report_of(store, ex)
        md = render(report, "md")
        assert "## Executive summary" in md and "## Facilitator notes" in md
        html = render(report, "html")
        assert html.startswith("<!DOCTYPE html>") and "@media print" in html
        assert "<link" not in html and "<script" not in html  # self-contained, escaped
        data = json.loads(render(report, "json"))
        assert data == json.loads(json.dumps(report))
        rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
        assert tuple(rows[0].keys()) == CSV_COLUMNS
        assert len(rows) == len(ex.teams) * len(ex.session.decisions)


def test_html_escapes_scenario_and_notes(store) -> None:
    doc = harbour()
    doc["scenes"]["tip-off"]["title"] = "Tip <b>off</b> & more"
    doc["scenes"]["tip-off"]["text"] = "Raw <img src=x onerror=alert(1)> and **bold**"
    html = render(report_of(store, three_team_session(store, doc)), "html")
    assert "<img" not in html and "<b>off</b>" not in html
    assert "Tip &lt;b&gt;off&lt;/b&gt; &amp; more" in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html  # Markdown still renders


def ticking_clock() -> Callable[[], str]:
    """A fake clock for the store: 09:00:00 on a fixed day, one second later at each event."""
    seconds = itertools.count()

    def now() -> str:
        n = next(seconds)
        return f"2026-01-31T09:{n // 60:02d}:{n % 60:02d}.000Z"

    return now


def test_report_is_deterministic(tmp_path) -> None:
    """The same moves (and choice-order seed) give the same report in every format, whenever
    they are played: its dates are the events', stamped by the store's (here injected) clock."""
    reports = []
    for name in ("first", "second"):
        with Store(tmp_path / f"{name}.sqlite3", clock=ticking_clock()) as store:
            ex = three_team_session(store, harbour())
            again = Exercise.resume(store, ex.session_id, ex.scenario)
            rendered = {}
            for fmt in ("md", "html", "json", "csv"):
                text = render(report_of(store, ex), fmt)
                assert text == render(report_of(store, again), fmt)  # folded afresh: the same
                rendered[fmt] = text.replace(ex.session_id, "<session>")
            reports.append(rendered)
            events = ex.events()
    assert reports[0] == reports[1]
    session = json.loads(reports[0]["json"])["session"]
    assert session["started"] == "2026-01-31T09:00:00.000Z"
    assert session["updated"] == events[-1].at == f"2026-01-31T09:00:{len(events) - 1:02d}.000Z"
    assert "2026-01-31" in reports[0]["md"] and "2026-01-31" in reports[0]["html"]


def test_csv_marks_no_choice_and_harmful(store) -> None:
    ex = Exercise.start(store, scenario_from_dict(convoy()), mode="facilitated", teams=("A", "B"))
    ex.acknowledge()
    ex.record_choice("A", "raid")
    ex.follow("raid", override=True)
    rows = list(csv.DictReader(io.StringIO(render(report_of(store, ex), "csv"))))
    assert [(r["team"], r["choice"], r["harmful"], r["points"], r["possible"]) for r in rows] == [
        ("A", "raid", "yes", "0", "2"),
        ("B", "", "no", "0", "2"),
    ]


def test_report_cli_writes_all_formats(cli, tmp_path) -> None:
    db = tmp_path / "sessions.sqlite3"
    paths = {}
    for name, doc in (("convoy", convoy()), ("harbour", harbour())):
        paths[name] = tmp_path / f"{name}.yaml"
        paths[name].write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    with Store(db) as store:
        solo = solo_session(store, convoy(), str(paths["convoy"]))
        teams = three_team_session(store, harbour(), str(paths["harbour"]))
    for ex in (solo, teams):
        with Store(db) as store:  # what the command must write: the report built here
            expected = report_of(store, Exercise.resume(store, ex.session_id, ex.scenario))
        for fmt in ("md", "html", "json", "csv"):
            out = tmp_path / "out" / f"{ex.session_id}.{fmt}"
            result = cli("report", ex.session_id, "--format", fmt, "--output", str(out))
            assert result.returncode == 0, result.stderr
            assert str(out) in result.stdout
            written = out.read_bytes().decode("utf-8")
            assert written == render(expected, fmt)
            assert ex.scenario.title in written or fmt == "csv"
        rows = list(csv.DictReader(io.StringIO(render(expected, "csv"))))
        assert {r["team"] for r in rows if r["who"] == "team"} == set(ex.teams)
        result = cli("report", ex.session_id[:6], "--format", "json")
        assert json.loads(result.stdout)["session"]["id"] == ex.session_id
    result = cli("report", "zzzzzzzz")
    assert result.returncode == 1 and "no session 'zzzzzzzz'" in result.stderr


def test_report_cli_refuses_changed_scenario(cli, tmp_path) -> None:
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(convoy(), sort_keys=False), encoding="utf-8")
    with Store(tmp_path / "sessions.sqlite3") as store:
        ex = solo_session(store, convoy(), str(path))
    doc = convoy()
    doc["title"] = "Convoy, revised"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = cli("report", ex.session_id)
    assert result.returncode == 1
    assert "convoy" in result.stderr and str(path) in result.stderr
    assert "restore" in result.stderr.lower() and "Traceback" not in result.stderr


def test_reports_show_the_choices_as_shown_and_chance_level(store) -> None:
    """Every format lists a decision's choices in the session's display order, numbers each
    team's choice as shown, and prints the chance level beside the alignment."""
    from fractions import Fraction

    from engine.analysis.guessability import chance_level
    from engine.play.order import displayed

    ex = three_team_session(store, harbour())
    report = report_of(store, ex)
    scenario = ex.scenario
    chance = chance_level(scenario)
    assert chance is not None and 0 < chance < 1
    assert report["chance_alignment"] == round(float(chance * Fraction(100)), 2)
    first = report["decisions"][0]
    scene = scenario.scenes[first["scene"]]
    order = [c.id for c in displayed(2026, scene)]
    assert [o["choice"] for o in first["options"]] == order
    assert [o["number"] for o in first["options"]] == list(range(1, len(order) + 1))
    for t in first["teams"]:
        assert t["number"] == order.index(t["choice"]) + 1
    md = render(report, "md")
    line = " · ".join(f"{i}. {scene.choice(c).text}" for i, c in enumerate(order, start=1))
    assert f"Choices as shown: {line}" in md
    pct = f"{report['chance_alignment']:.2f}%"
    assert f"(chance level {pct})" in md and f"| Chance level | {pct} |" in md
    assert f"chance level {pct}" in render(report, "html")
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert {r["chance_alignment"] for r in rows} == {str(report["chance_alignment"])}
    assert rows[0]["choice_number"] == str(first["teams"][0]["number"])


def _twice_gp21() -> dict:
    """convoy(), its second decision also recommending a GP21 key action (GP21 twice)."""
    doc = convoy()
    border = doc["scenes"]["border"]
    border["recommended"] = ["GP25.S1", "GP21.S1"]
    border["choices"][1]["enacts"] = ["GP21.S1"]
    return doc


def test_key_actors_and_standards_once_per_practice(store) -> None:
    from engine.report.text import render_text
    from engine.toolkit.catalog import load_catalog

    ex = Exercise.start(store, scenario_from_dict(_twice_gp21()), teams=("Ada",))
    ex.acknowledge()
    ex.choose("task-force")
    ex.choose("checkpoint")
    report = report_of(store, ex)
    assert [p["id"] for p in report["practices"]] == ["GP21", "GP8", "GP25"]
    catalog = load_catalog()
    gp21 = catalog.practice("GP21")
    actors = ", ".join(gp21.key_actors)
    for standard in gp21.standards:
        standard = " ".join(standard.split())[:60]
        sharing = sum(  # practices citing the same standard list it each
            any(standard in " ".join(x.split()) for x in catalog.practice(p["id"]).standards)
            for p in report["practices"]
        )
        for name, text in (
            ("md", render(report, "md")),
            ("html", render(report, "html")),
            ("text", render_text(report)),
        ):
            flat = " ".join(text.split())
            assert flat.count(standard) == sharing, (name, standard)
            assert flat.count(actors[:40]) == 1, name


def test_areas_with_nothing_possible_are_not_listed(store) -> None:
    from engine.report.text import render_text

    ex = solo_session(store, convoy())  # raid: harmful, GP21.S4 only; riot
    report = report_of(store, ex)
    for name, text in (
        ("md", render(report, "md")),
        ("html", render(report, "html")),
        ("text", render_text(report)),
    ):
        assert "0/0" not in text and "n/a" not in text, name


def test_harmful_choices_are_counted_with_proper_plurals(store) -> None:
    report = report_of(store, solo_session(store, convoy()))  # one harmful raid
    for fmt in ("md", "html"):
        text = render(report, fmt)
        assert "(s)" not in text, fmt
        assert "1 harmful choice" in text and "1 harmful choices" not in text, fmt


def test_session_options_with_role_cards_come_out_as_plain_json(store) -> None:
    """Nested session options (the role cards' {team: role}) are stored read-only; the report
    gives them back as plain JSON (`report --format json` raised a TypeError on them)."""
    from engine.check.validate import load_scenario
    from tests.conftest import FIXTURES

    scenario = load_scenario(FIXTURES / "valid" / "layers.yaml")
    ex = Exercise.start(store, scenario, options={"roles": {"Solo": "fiu"}, "timing": "short"})
    data = json.loads(render(report_of(store, ex), "json"))
    assert data["session"]["options"]["roles"] == {"Solo": "fiu"}
    assert data["session"]["options"]["timing"] == "short"
