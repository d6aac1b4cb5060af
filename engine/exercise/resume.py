"""Resuming a recorded session: find its scenario, load it, fold the session (the TUI and
`nexus-ttx resume` both call `resume`).

Loading is passed in (`load`): validation lives in a later stage than the exercise, and each
caller reports an invalid scenario its own way (the CLI prints the diagnostics, the TUI shows
its diagnostics screen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from engine.core.model import Scenario
from engine.exercise.exercise import ContentChanged, Exercise
from engine.load.library import find_scenario
from engine.store.base import SessionInfo, SessionStore


class SessionScenarioMissing(LookupError):
    """The session's scenario is neither where it was played from nor in the libraries."""

    def __init__(self, info: SessionInfo) -> None:
        super().__init__(
            f"the scenario '{info.scenario_id}' of session {info.id} was not found (it was "
            f"played from {info.scenario_path or 'an unknown file'}); restore that file, or "
            f"add its folder with --library DIR"
        )
        self.info = info

    def __str__(self) -> str:
        return str(self.args[0])


def scenario_file(info: SessionInfo, library_dirs: Sequence[Path | str] = ()) -> Path:
    """The session's scenario file: where it was played from, else its id in the libraries."""
    if info.scenario_path and Path(info.scenario_path).is_file():
        return Path(info.scenario_path)
    try:
        found = Path(find_scenario(info.scenario_id, library_dirs))
    except (LookupError, OSError, ValueError):
        raise SessionScenarioMissing(info) from None
    if not found.is_file():
        raise SessionScenarioMissing(info)
    return found


def resume(
    store: SessionStore,
    ref: str,
    load: Callable[[Path], Scenario],
    library_dirs: Sequence[Path | str] = (),
) -> Exercise:
    """Reopen session `ref` (an id or a unique prefix) on its scenario, loaded by `load`.

    Raises the store's UnknownSession, SessionScenarioMissing, whatever `load` raises for an invalid
    file, or ContentChanged (its `path` is the file that was loaded) when the scenario is not
    the one the session played.
    """
    info = store.session(ref)
    path = scenario_file(info, library_dirs)
    scenario = load(path)
    try:
        return Exercise.resume(store, info.id, scenario)
    except ContentChanged as exc:
        raise ContentChanged(
            exc.scenario_id, exc.stored_hash, exc.current_hash, str(path)
        ) from None
