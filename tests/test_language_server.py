"""The real YAML language server (the one behind VS Code's YAML extension, Neovim, Helix, Zed)
on a scenario made by `nexus-ttx new`: the modeline resolves, completion inside `recommended:`
offers the toolkit's key actions with their words, and a misspelt id gets the schema's sentence.

A small LSP client: the server runs as a subprocess over stdio with Content-Length framing.
`.ci/run` installs the pinned npm package into `.ci/node` (and sets NEXUS_TTX_REQUIRE_LSP=1, so
that CI fails rather than skips when it is missing); elsewhere the test is skipped only where
Node.js is absent or the server was not installed.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from engine.toolkit.catalog import load_catalog
from tests.conftest import ROOT

SERVER = (
    ROOT / ".ci" / "node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
)
WAIT = 60.0  # a guard against a hung server, not a speed assertion


def _server() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    if SERVER.is_file():
        return [node, str(SERVER), "--stdio"]
    if os.environ.get("NEXUS_TTX_REQUIRE_LSP"):
        pytest.fail("yaml-language-server is not installed in .ci/node: run .ci/run")
    pytest.skip("yaml-language-server not installed (.ci/run installs it into .ci/node)")


class Client:
    """Just enough of an LSP client: requests, notifications, answers to server requests."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length is not None:
                self.messages.put(json.loads(out.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, wanted: Any) -> dict[str, Any]:
        while True:
            try:
                message = self.messages.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError("the language server did not answer") from None
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": self._answer(message)})
            if wanted(message):
                return message

    @staticmethod
    def _answer(message: dict[str, Any]) -> Any:
        if message["method"] == "workspace/configuration":
            return [SETTINGS["yaml"] for _ in message["params"]["items"]]
        return None

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        found = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return found["params"]["diagnostics"]

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


SETTINGS = {
    "yaml": {
        "validate": True,
        "completion": True,
        "hover": True,
        "schemaStore": {"enable": False},  # no network: only the file's own modeline
        "schemas": {},
    }
}


@pytest.fixture
def server(cli, tmp_path: Path):
    made = cli("new", "coastal-fuel", "--environment", "transitional", "--region", "Gulf")
    assert made.returncode == 0, made.stderr
    client = Client(_server(), tmp_path)
    client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": tmp_path.as_uri(),
            "capabilities": {
                "textDocument": {
                    "completion": {
                        "completionItem": {
                            "documentationFormat": ["markdown", "plaintext"],
                            "snippetSupport": True,
                        }
                    },
                    "publishDiagnostics": {},
                },
                "workspace": {"configuration": True},
            },
        },
    )
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
    yield client, tmp_path / "coastal-fuel.yaml"
    client.close()


def _open(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    return uri


def test_the_modeline_new_writes_resolves_and_the_scenario_is_clean(server) -> None:
    client, path = server
    uri = _open(client, path, path.read_text(encoding="utf-8"))
    assert client.diagnostics(uri) == []  # no "Unable to load schema", nothing flagged


def test_a_misspelt_key_action_gets_the_schemas_sentence(server) -> None:
    client, path = server
    text = path.read_text(encoding="utf-8").replace(
        "recommended: [GP13.S1, GP21.S4]", "recommended: [GP13.S1, GP21.S44]"
    )
    uri = _open(client, path, text)
    found = client.diagnostics(uri)
    assert [d["message"] for d in found] == [
        "Not a key action of the toolkit. Key actions are numbered as in the toolkit "
        "(GP21.S4, GP24.A2, GP22.A5.S1): type GP and the practice's number to pick one from "
        "the list, or run `nexus-ttx toolkit GP21`."
    ]
    (line,) = [i for i, x in enumerate(text.splitlines()) if "GP21.S44" in x]
    assert found[0]["range"]["start"]["line"] == line


def test_completion_in_recommended_offers_the_toolkits_key_actions(server) -> None:
    client, path = server
    lines = path.read_text(encoding="utf-8").splitlines()
    (at,) = [i for i, x in enumerate(lines) if x.strip().startswith("recommended:")]
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at : at + 1] = [f"{indent}recommended:", f"{indent}  - GP2"]
    uri = _open(client, path, "\n".join(lines) + "\n")
    result = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": at + 1, "character": len(indent) + 7}},
    )
    items = result["items"] if isinstance(result, dict) else result
    by_label = {item["label"]: item for item in items}
    catalog = load_catalog()
    assert "GP21.S4" in by_label and "GP25.S5" in by_label
    assert set(by_label) >= {k for k in catalog.key_action_ids if k.startswith("GP2")}
    doc = by_label["GP21.S4"]["documentation"]
    words = doc["value"] if isinstance(doc, dict) else doc
    assert words.startswith("**GP21.S4** — ")
    assert " ".join(catalog.key_action("GP21.S4").text.split()) in words
