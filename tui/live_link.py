"""The TUI's link to a live session: `nexus-ttx serve` started as its own process, the join
QR code drawn in text, and the hybrid tally in words. Plain Python (no Textual): the play
screen shows what this returns.

The TUI never imports the web server: it starts it (`python -m cli serve ... --json`) and reads
the one line it prints when it listens (join URL, code, projector link). The store is the only
state they share.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.core.i18n import _

PREFERRED_PORT = 8765


class LiveError(Exception):
    """The server could not be started; the message says why."""


@dataclass
class LiveServer:
    """A running `nexus-ttx serve` for one session."""

    proc: subprocess.Popen[str]
    url: str
    code: str
    screen: str

    @classmethod
    def start(cls, session_id: str, db: str | Path, *, port: int = PREFERRED_PORT) -> LiveServer:
        """Start the server and wait for its ready line (blocking: call it from a worker).
        The preferred port first, then any free one."""
        failure = ""
        for attempt in (port, 0):
            proc = subprocess.Popen(
                [sys.executable, "-m", "cli", "serve", session_id, "--db", str(db)]
                + ["--port", str(attempt), "--json"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert proc.stdout is not None and proc.stderr is not None
            line = proc.stdout.readline()
            if line:
                info: dict[str, Any] = json.loads(line)
                return cls(proc, info["url"], info["code"], info["screen"])
            failure = proc.stderr.read().strip()
            proc.wait()
        raise LiveError(failure or _("the live-session server did not start"))

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def qr_text(url: str) -> str:
    """The join URL as a QR code in half-block characters (two modules a character cell, dark
    on light with a quiet zone) for the terminal."""
    import segno

    rows = [list(row) for row in segno.make(url, error="l").matrix_iter(border=2)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    glyph = {(0, 0): "█", (1, 0): "▄", (0, 1): "▀", (1, 1): " "}
    return "\n".join(
        "".join(glyph[(bool(top), bool(bottom))] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    )


def tally_lines(session: Any, offered: tuple[Any, ...]) -> list[str]:
    """Per team (its choice's number and where it came from) and per head, for the facilitator."""
    tally = session.live_tally()
    number = {c.id: i + 1 for i, c in enumerate(offered)}
    lines = []
    for team in session.teams:
        choice = tally.team_choice.get(team)
        online = sum(tally.team_heads.get(team, {}).values())
        shown = f"#{number[choice]}" if choice in number else "-"
        how = tally.team_source[team]
        if how == "recorded":
            lines.append(_("{team}: {choice} recorded").format(team=team, choice=shown))
        elif how == "none":
            lines.append(f"{team}: -")
        else:  # devices, or split evenly
            lines.append(
                _("{team}: {choice} ({n} online)").format(
                    team=team, choice=shown if how == "devices" else _("split"), n=online
                )
            )
    heads = ", ".join(f"#{number[c]}: {n}" for c, n in tally.heads.items() if c in number)
    lines.append(
        _("Heads {voted}/{joined}: {votes}").format(
            voted=len(session.pvotes), joined=len(session.participants), votes=heads or _("none")
        )
    )
    return lines
