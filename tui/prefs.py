"""The facilitator's preferences between launches: the theme, and the mode and feedback timing
last chosen at setup. A small JSON file in the user's config folder (platformdirs); a file that
cannot be read or holds unknown values gives a warning and the defaults, never a crash, and is
only replaced when a preference changes."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Final

from engine.core.i18n import _

FILE_NAME: Final = "preferences.json"
ALLOWED: Final = {
    "theme": ("default", "high-contrast"),
    "mode": ("solo", "facilitated"),
    "feedback": ("immediate", "debrief", None),
}


@dataclass(frozen=True)
class Preferences:
    theme: str = "default"
    mode: str = "solo"
    feedback: str | None = None  # None: the mode's own default (solo immediate, rooms debrief)


def default_path() -> Path:
    """preferences.json in the user's config folder (e.g. ~/.config/nexus-ttx)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("nexus-ttx", appauthor=False)) / FILE_NAME


def load(path: Path) -> tuple[Preferences, str | None]:
    """The preferences in `path` (defaults when there is no file), and a warning saying what
    was wrong with the file, if anything (the defaults then stand for what was wrong)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Preferences(), None
    except (OSError, UnicodeDecodeError) as exc:
        return Preferences(), _("cannot read {path} ({why}); using the defaults").format(
            path=path, why=_why(exc)
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{path}:{exc.lineno}:{exc.colno}"
        return Preferences(), _("{where}: not valid JSON ({why}); using the defaults").format(
            where=where, why=exc.msg
        )
    if not isinstance(data, dict):
        return Preferences(), _("{path}: expected a JSON object; using the defaults").format(
            path=path
        )
    return _checked(path, data)


def _checked(path: Path, data: dict[str, Any]) -> tuple[Preferences, str | None]:
    kept: dict[str, Any] = {}
    wrong = []
    for key, value in data.items():
        if key not in ALLOWED:
            wrong.append(_("unknown key {key}").format(key=repr(key)))
        elif value not in ALLOWED[key]:
            shown = ", ".join(json.dumps(v) for v in ALLOWED[key])
            wrong.append(
                _("{key} {value} is not one of {allowed}").format(
                    key=key, value=json.dumps(value), allowed=shown
                )
            )
        else:
            kept[key] = value
    prefs = Preferences(**kept)
    if not wrong:
        return prefs, None
    return prefs, _("{path}: {problems}; the default is used instead").format(
        path=path, problems="; ".join(wrong)
    )


def save(path: Path, prefs: Preferences) -> str | None:
    """Write the preferences (atomically: a crash leaves the old file or the new one); a
    message if it could not be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(asdict(prefs), indent=2) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:
        return _("cannot save the preferences in {path} ({why})").format(path=path, why=_why(exc))
    return None


def changed(prefs: Preferences, **values: Any) -> Preferences:
    return replace(prefs, **values)


def _why(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)
