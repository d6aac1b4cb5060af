"""Where a cohort's sessions come from: a store, each session's scenario, the catalog's words.

Shared by `nexus-ttx cohort` and the TUI's cohort view. Each scenario is loaded once (where it
was played from, else by id in the libraries); a session whose scenario is missing, invalid or
changed since it was played is left out and named with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from engine.core.i18n import _
from engine.core.model import Scenario
from engine.play.machine import PlayError
from engine.play.scoring import catalog_area_of
from engine.report.cohort import Cohort, Played, build_cohort, played
from engine.store.base import SessionFilter, SessionInfo, SessionStore


def chance_level(scenario: Scenario) -> float | None:
    """The exact expected alignment of uniform random play (the analysis' chance level), or
    None where it is not defined (too large to explore, loops, dead ends)."""
    from engine.analysis.guessability import compute
    from engine.analysis.statespace import Explorer

    try:
        found = compute(Explorer().space(scenario))
    except Exception:  # charts simply go without a chance line
        return None
    return None if found is None else found.chance_percent


def catalog_words() -> dict[str, str]:
    """Area names, practice titles and key-action texts by id (empty without a catalog)."""
    try:
        from engine.core.i18n import current_language
        from engine.toolkit.catalog import load_catalog

        catalog = load_catalog(lang=current_language())
    except Exception:  # words are a nicety: ids stand in for them
        return {}
    words = {a.id: a.name for a in catalog.areas}
    for gp in catalog.good_practices:
        words[gp.id] = gp.short_title or gp.title
        words.update({k.id: k.text for k in gp.key_actions})
    return words


class Sources:
    """Scenarios, chance levels and catalog words, each loaded once."""

    def __init__(self, library_dirs: Sequence[Path], load: Callable[[Path], Scenario]) -> None:
        """`load` reads and validates a scenario file (engine.check.validate.load_scenario;
        anything it raises leaves the session out as 'no longer valid')."""
        self.library_dirs = list(library_dirs)
        self._read = load
        self.area_of = catalog_area_of()
        self.words = catalog_words()
        self._scenarios: dict[tuple[str, str], Scenario | str] = {}
        self._chance: dict[str, float | None] = {}

    def _load(self, info: SessionInfo) -> Scenario | str:
        from engine.load.library import find_scenario

        path = Path(info.scenario_path) if info.scenario_path else None
        if path is None or not path.is_file():
            try:
                path = Path(find_scenario(info.scenario_id, self.library_dirs))
            except (LookupError, OSError, ValueError):
                return _(
                    "the scenario '{id}' was not found (played from {path}); add its folder "
                    "with --library"
                ).format(id=info.scenario_id, path=info.scenario_path or _("an unknown file"))
        try:
            return self._read(path)
        except Exception:  # invalid or unreadable: the session is left out, with the reason
            return _("the scenario '{id}' in {path} is no longer valid").format(
                id=info.scenario_id, path=path
            )

    def scenario(self, info: SessionInfo) -> Scenario:
        """The session's scenario, or a ValueError saying why it cannot be used."""
        key = (info.scenario_path or "", info.scenario_id)
        if key not in self._scenarios:
            self._scenarios[key] = self._load(info)
        found = self._scenarios[key]
        if isinstance(found, str):
            raise ValueError(found)
        if found.content_hash != info.content_hash:
            raise ValueError(
                _("the scenario '{id}' has changed since it was played").format(id=info.scenario_id)
            )
        return found

    def chance(self, scenario: Scenario) -> float | None:
        if scenario.id not in self._chance:
            self._chance[scenario.id] = chance_level(scenario)
        return self._chance[scenario.id]

    def word(self, key: str) -> str:
        return self.words.get(key, key)


def collect(store: SessionStore, where: SessionFilter, title: str, sources: Sources) -> Cohort:
    """The cohort of the sessions `where` selects in `store`."""
    sessions: list[Played] = []
    skipped: list[tuple[str, str]] = []
    for info in store.sessions(where):
        try:
            scenario = sources.scenario(info)
            sessions.append(
                played(
                    scenario,
                    store.events(info.id),
                    label=info.label,
                    chance=sources.chance(scenario),
                    area_of=sources.area_of,
                )
            )
        except (ValueError, PlayError) as exc:
            skipped.append((info.id, str(exc)))
    return build_cohort(
        title,
        sessions,
        area_name=sources.word,
        practice_name=sources.word,
        action_text=sources.word,
        skipped=skipped,
    )
