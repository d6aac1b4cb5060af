"""Session management from the command line: labels, filters, delete, and `store copy`
between a SQLite file and a real PostgreSQL server (byte-identical after the round trip)."""

from __future__ import annotations

import json
import sqlite3

import pytest

SAHEL = "sahel-gold-and-fuel"


def _run(cli, label: str, env=None) -> str:
    result = cli("run", SAHEL, "--choices", "desk-review", "--save", "--label", label, env=env)
    assert "Session:" in result.stdout, result.stderr
    return result.stdout.split("Session: ")[1].split()[0]


def _listed(cli, *filters: str, env=None) -> list[str]:
    result = cli("sessions", *filters, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return sorted(s["id"] for s in json.loads(result.stdout))


def test_label_filter_and_delete(cli) -> None:
    a = _run(cli, "Nairobi course, day 1")
    b = _run(cli, "Tirana course")
    assert _listed(cli, "--label", "nairobi*") == [a]
    assert _listed(cli, "--scenario", SAHEL, "--status", "active") == sorted([a, b])
    assert _listed(cli, "--since", "1d") == sorted([a, b])
    assert _listed(cli, "--since", "2999-01-01") == []
    assert cli("sessions", "--since", "soon").returncode == 2
    done = cli("sessions", "label", b[:6], "Nairobi course, day 2")
    assert done.returncode == 0 and "Nairobi course, day 2" in done.stdout
    assert _listed(cli, "--label", "Nairobi*") == sorted([a, b])
    table = cli("sessions").stdout
    assert "LABEL" in table and "Nairobi course, day 2" in table
    bad = cli("sessions", "label", a, "bell\x07")
    assert bad.returncode == 1 and "control characters" in bad.stderr
    refused = cli("sessions", "delete", a)  # no terminal to ask: refuses without --yes
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert cli("sessions", "delete", a, "--yes").returncode == 0
    assert _listed(cli) == [b]
    gone = cli("sessions", "delete", a, "--yes")
    assert gone.returncode == 1 and "no session" in gone.stderr


def _rows(path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return (
            conn.execute(
                "SELECT session_id, seq, kind, CAST(data AS BLOB), at FROM events "
                "ORDER BY session_id, seq"
            ).fetchall()
            + conn.execute("SELECT * FROM sessions ORDER BY id").fetchall()
        )


def test_store_copy_round_trip_through_postgresql(cli, tmp_path, pg_cluster) -> None:
    first = tmp_path / "sessions.sqlite3"  # the `cli` fixture's store
    ids = [_run(cli, "Nairobi"), _run(cli, "Tirana ü")]
    cli("sessions", "label", ids[1], "Tirana ü, day 2")
    url = pg_cluster.database()
    try:
        there = cli("store", "copy", str(first), url)
        assert there.returncode == 0, there.stderr
        assert "copied 2 sessions" in there.stdout
        assert _listed(cli, "--label", "nairobi*", env={"NEXUS_TTX_DB": url}) == [ids[0]]
        again = cli("store", "copy", str(first), url)
        assert "copied 0 sessions" in again.stdout and "2 already there" in again.stdout
        back = tmp_path / "back.sqlite3"
        home = cli("store", "copy", url, str(back))
        assert home.returncode == 0, home.stderr
        assert _rows(first) == _rows(back)
        report = cli("report", ids[1], "--format", "json", env={"NEXUS_TTX_DB": url})
        assert report.returncode == 0, report.stderr
    finally:
        pg_cluster.drop(url)


def test_store_copy_refuses_clashing_ids(cli, tmp_path) -> None:
    first = tmp_path / "sessions.sqlite3"
    sid = _run(cli, "one")
    other = tmp_path / "other.sqlite3"
    assert cli("store", "copy", str(first), str(other)).returncode == 0
    cli("sessions", "label", sid, "changed")
    clash = cli("store", "copy", str(first), str(other))
    assert clash.returncode == 1 and sid in clash.stderr and "left alone" in clash.stderr


@pytest.mark.parametrize("target", ["postgresql://nexus:secret@127.0.0.1:1/none"])
def test_unreachable_server_in_db(cli, target) -> None:
    result = cli("sessions", env={"NEXUS_TTX_DB": target})
    assert result.returncode == 1 and "cannot connect" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr
