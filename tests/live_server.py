"""Helpers for live-session tests: a stored facilitated session, `nexus-ttx serve` as a real
subprocess on an ephemeral loopback port, and a small HTTP client."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.exercise.exercise import Exercise
from engine.store.sqlite import Store
from tests.conftest import ROOT


def harbour_file(folder: Path) -> Path:
    """The hand-made harbour scenario written as a file (serve resumes from a file)."""
    import yaml

    from tests.scenarios.hand import harbour

    path = folder / "harbour.yaml"
    path.write_text(yaml.safe_dump(harbour(), sort_keys=False), encoding="utf-8")
    return path


def start_session(db: Path, scenario_path: Path, teams=("A", "B", "C"), **options) -> str:
    """A facilitated session at its first decision; returns its id."""
    from engine.check.validate import load_scenario

    scenario = load_scenario(scenario_path)
    with Store(db) as store:
        ex = Exercise.start(
            store,
            scenario,
            scenario_path=str(scenario_path),
            mode="facilitated",
            teams=teams,
            options={"order": "file", **options},  # the tests name choices by file position
        )
        while ex.scene.kind != "decision":
            ex.acknowledge()
        return ex.session_id


def facilitator(db: Path, session_id: str, scenario_path: Path) -> tuple[Store, Exercise]:
    from engine.check.validate import load_scenario

    store = Store(db)
    return store, Exercise.resume(store, session_id, load_scenario(scenario_path))


@dataclass
class Server:
    """`nexus-ttx serve` running as its own process."""

    proc: subprocess.Popen[str]
    info: dict[str, Any]
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.info["url"]

    @property
    def port(self) -> int:
        return int(self.info["port"])

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=30)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        origin: str | None = "same",
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        if origin == "same":
            sent["Origin"] = self.origin
        elif origin is not None:
            sent["Origin"] = origin
        if token:
            sent["Authorization"] = f"Bearer {token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        head = {k.lower(): v for k, v in response.getheaders()}
        head["set-cookie"] = "\n".join(response.headers.get_all("Set-Cookie") or [])
        conn.close()
        return response.status, head, text

    def join(self, name: str, team: str) -> tuple[str, str]:
        status, _, text = self.request(
            "POST", "/api/join", {"code": self.info["code"], "name": name, "team": team}
        )
        assert status == 200, text
        data = json.loads(text)
        return data["participant"], data["token"]

    def state(self, token: str) -> dict[str, Any]:
        status, _, text = self.request("GET", "/api/state", token=token)
        assert status == 200, text
        return json.loads(text)

    def vote(self, token: str, scene: str, choice: str) -> int:
        status, _, _ = self.request(
            "POST", "/api/vote", {"scene": scene, "choice": choice}, token=token
        )
        return status


def serve(db: Path, session_id: str, *extra: str, timeout: float = 60) -> Server:
    """Start the server as a subprocess and wait for its ready line."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", session_id, "--db", str(db), "--port", "0"]
        + ["--json", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    line = proc.stdout.readline()
    if not line:
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"serve exited ({proc.wait()}): {err}")
    assert time.monotonic() < deadline
    return Server(proc, json.loads(line))
