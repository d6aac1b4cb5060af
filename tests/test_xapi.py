"""xAPI export: statements against the schema, their content, and a real LRS (Ralph) on
loopback that stores them and gives them back."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from base64 import b64encode
from pathlib import Path

import jsonschema
import pytest

from engine.report.xapi import registration, statements
from engine.store.sqlite import Store
from engine.toolkit.catalog import load_catalog
from tests.conftest import ROOT, run_cli
from tests.scenarios.aar_session import TEAMS, build

SCHEMA = json.loads((ROOT / "schemas" / "xapi-statement.schema.json").read_text("utf-8"))
RALPH = Path(sys.executable).with_name("ralph")
USER, PASSWORD = "nexus", "s3cret-for-tests"


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xapi")
    store = Store(folder / "s.sqlite3")
    ex = build(store, load_catalog(), folder)
    yield folder, ex
    store.close()


def test_every_statement_validates_and_says_what_happened(played) -> None:
    _, ex = played
    items = statements(ex.scenario, ex.session, ex.events(), ex.scores())
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for item in items:
        validator.validate(item)
    answered = [s for s in items if s["verb"]["id"].endswith("/answered")]
    completed = [s for s in items if s["verb"]["id"].endswith("/completed")]
    assert len(answered) == 9 * 3 and len(completed) == 3
    reg = registration(ex.session)
    assert uuid.UUID(reg).version == 5 and {s["context"]["registration"] for s in items} == {reg}
    assert len({s["id"] for s in items}) == len(items)
    first = answered[0]  # Table 1 chose the full answer at decision 1: 2 of 2
    assert first["result"]["response"] == "best" and first["result"]["score"]["scaled"] == 1.0
    definition = first["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert [c["id"] for c in definition["choices"]] == ["best", "partial", "harm"]
    assert definition["choices"][1]["description"]["en"].startswith("Take the first step")
    assert answered[2]["result"]["score"]["scaled"] == 0.5  # Table 3: partial, 1 of 2
    harm = next(s for s in answered if s["result"]["response"] == "harm")
    assert harm["result"]["score"]["scaled"] == 0.0 and harm["result"]["success"] is False
    by_group = {s["actor"]["account"]["name"]: s for s in completed}
    assert len(by_group) == 3 and all(s["actor"]["objectType"] == "Group" for s in completed)
    scores = ex.scores()
    expected = sorted(round(scores[t].points / scores[t].possible, 4) for t in TEAMS)
    assert sorted(s["result"]["score"]["scaled"] for s in completed) == expected
    text = json.dumps(items)
    assert not any(team in text for team in TEAMS)  # opaque accounts: no names
    assert statements(ex.scenario, ex.session, ex.events(), ex.scores()) == items


def test_export_writes_json_lines(played) -> None:
    folder, ex = played
    env = {"NEXUS_TTX_DB": str(folder / "s.sqlite3")}
    result = run_cli("export", ex.session_id, "--format", "xapi", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 30
    for line in lines:
        jsonschema.validate(json.loads(line), SCHEMA)
    bad = run_cli("export", ex.session_id, "--lrs", "ftp://x", "--lrs-user", "u", env=env)
    assert bad.returncode == 2 and "http://" in bad.stderr
    nouser = run_cli("export", ex.session_id, "--lrs", "http://127.0.0.1:9/xAPI", env=env)
    assert nouser.returncode == 2 and "--lrs-user" in nouser.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lrs(tmp_path):
    """Ralph, a real xAPI LRS, on loopback with its file-system backend and one user."""
    if not RALPH.exists():
        pytest.skip("ralph-malph (test extra) is not installed")
    app, data = tmp_path / "app", tmp_path / "data"
    app.mkdir()
    data.mkdir()
    env = {**os.environ, "RALPH_APP_DIR": str(app), "RALPH_RUNSERVER_BACKEND": "fs"}
    subprocess.run(
        [str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
         "-M", f"mailto:{USER}@example.org", "-w"],
        env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [str(RALPH), "runserver", "-b", "fs", "--fs-default-directory-path", str(data),
         "-h", "127.0.0.1", "-p", str(port)],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/xAPI"
    try:
        for _ in range(240):  # wait until it answers (no timing is asserted)
            try:
                _get(url + "/statements?limit=1")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("Ralph did not start")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _get(url: str) -> dict:
    token = b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        url, headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_statements_land_in_a_real_lrs_and_read_back(played, lrs) -> None:
    folder, ex = played
    env = {"NEXUS_TTX_DB": str(folder / "s.sqlite3"), "NEXUS_TTX_LRS_PASSWORD": PASSWORD}
    wrong = {**env, "NEXUS_TTX_LRS_PASSWORD": "nope"}
    refused = run_cli("export", ex.session_id, "--lrs", lrs, "--lrs-user", USER, env=wrong)
    assert refused.returncode == 1 and "401" in refused.stderr
    # Ralph's file-system backend (its only offline one) accepts one write per store, so the
    # whole session goes in one batch here; splitting into batches is tested below.
    sent = run_cli("export", ex.session_id, "--lrs", lrs + "/", "--lrs-user", USER, env=env)
    assert sent.returncode == 0, sent.stderr
    assert "posted 30 statements in 1 batch" in sent.stdout
    stored = _get(f"{lrs}/statements?limit=100&registration={registration(ex.session)}")
    back = {s["id"]: s for s in stored["statements"]}
    mine = statements(ex.scenario, ex.session, ex.events(), ex.scores())
    assert set(back) == {s["id"] for s in mine}
    for s in mine:
        got = back[s["id"]]
        for key in ("actor", "verb", "result", "timestamp"):
            assert got[key] == s[key] or key == "timestamp", key
        assert got["object"]["id"] == s["object"]["id"]
        assert got["context"]["registration"] == s["context"]["registration"]
    again = run_cli("export", ex.session_id, "--lrs", lrs, "--lrs-user", USER, env=env)
    assert again.returncode == 0, again.stderr  # the same ids again: nothing duplicated
    assert len(_get(f"{lrs}/statements?limit=100")["statements"]) == 30


def test_batches_split_the_statements(played, monkeypatch) -> None:
    """The batching loop of `export --lrs`, with the HTTP call recorded in process."""
    from cli.commands import export

    _, ex = played
    sent: list[int] = []
    monkeypatch.setattr(
        export, "post", lambda url, user, pw, batch: sent.append(len(batch)) or "stored"
    )
    monkeypatch.setenv(export.PASSWORD_ENV, "x")
    items = statements(ex.scenario, ex.session, ex.events(), ex.scores())
    args = type("A", (), {"lrs": "http://127.0.0.1:1/xAPI", "lrs_user": "u", "batch": 7})()
    assert export._send(args, items) == 0
    assert sent == [7, 7, 7, 7, 2]
    assert export.endpoint("http://h/xAPI/") == "http://h/xAPI/statements"
    assert export.endpoint("http://h/xAPI/statements") == "http://h/xAPI/statements"


def test_unreachable_lrs_is_a_message(played) -> None:
    folder, ex = played
    env = {"NEXUS_TTX_DB": str(folder / "s.sqlite3"), "NEXUS_TTX_LRS_PASSWORD": "x"}
    url = f"http://127.0.0.1:{_free_port()}/xAPI"
    result = run_cli("export", ex.session_id, "--lrs", url, "--lrs-user", "u", env=env)
    assert result.returncode == 1 and "cannot reach the LRS" in result.stderr
    assert "Traceback" not in result.stderr
