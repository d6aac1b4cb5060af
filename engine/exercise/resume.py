"""Resuming a recorded session: find its scenario, load it, fold the session (the TUI and
`nexus-ttx resume` both call `resume`).

Loading is passed in (`load`): validation lives in a later stage than the exercise, and each
caller reports an invalid scenario its own way (the CLI prints the diagnostics, the TUI shows
its diagnostics screen).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

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


class Loader(Protocol):
    """Loads and validates a scenario file, in a language when one is given (its NAME.LANG.po
    texts; engine.check.validate.load_scenario)."""

    def __call__(self, path: Path, language: str | None = None) -> Scenario: ...


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
    load: Loader,
    library_dirs: Sequence[Path | str] = (),
    language: str | None = None,
) -> Exercise:
    """Reopen session `ref` (an id or a unique prefix) on its scenario, loaded by `load`, with
    the scenario's texts in `language`, else in the language the session was played in.

    Raises the store's UnknownSession, SessionScenarioMissing, whatever `load` raises for an invalid
    file, or ContentChanged (its `path` is the file that was loaded) when the scenario is not
    the one the session played.
    """
    info = store.session(ref)
    path = scenario_file(info, library_dirs)
    scenario = load(path)
    try:
        exercise = Exercise.resume(store, info.id, scenario)
    except ContentChanged as exc:
        raise ContentChanged(
            exc.scenario_id, exc.stored_hash, exc.current_hash, str(path)
        ) from None
    wanted = language or exercise.language
    if wanted != scenario.language:
        spoken = load(path, wanted)
        if spoken is not scenario:  # a translation was applied: same content hash, its texts
            exercise = Exercise.resume(store, info.id, spoken)
    return exercise
