"""Recorded codes and the words a reader sees for them, in the interface language.

The codes stay as they are in every report's data (JSON keys and values are never
translated); the renderers call these functions where a person reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from engine.core.i18n import N_, _

HOW_WORDS: Mapping[str, str] = {
    "majority": N_("majority"),
    "tie-break": N_("tie-break"),
    "override": N_("override"),
    "solo": N_("solo"),
}
DELIVERY_WORDS: Mapping[str, str] = {
    "solo": N_("Solo"),
    "facilitated": N_("Facilitated"),
    "hybrid": N_("Hybrid"),
}
MODE_WORDS: Mapping[str, str] = {"solo": N_("solo"), "facilitated": N_("facilitated")}
KIND_WORDS: Mapping[str, str] = {
    "narrative": N_("narrative"),
    "decision": N_("decision"),
    "identify": N_("identification drill"),
    "inject": N_("inject"),
    "ending": N_("ending"),
}
STATUS_WORDS: Mapping[str, str] = {
    "in progress": N_("in progress"),
    "completed": N_("completed"),
    "abandoned": N_("abandoned"),
}
SESSION_STATUS_WORDS: Mapping[str, str] = {  # a stored session's status (engine.store)
    "active": N_("active"),
    "ended": N_("ended"),
    "abandoned": N_("abandoned"),
}


def joined(items: Iterable[str]) -> str:
    """Items listed in a sentence, separated as the language does ("a; b" / "a ; b")."""
    return _("; ").join(items)


def labelled(label: str, text: str) -> str:
    """A label and what follows it ("GP21: text" / "GP21 : text")."""
    return _("{label}: {text}").format(label=label, text=text)


def introducing(label: str) -> str:
    """A label before the list it introduces ("Not taken:" / "Non retenues :")."""
    return _("{label}:").format(label=label)


def quoted(text: str) -> str:
    """Someone's words in the language's quotation marks (“…” / « … »)."""
    return _("“{text}”").format(text=text)


def moment_words(stamp: str | None) -> str:
    """A recorded ISO 8601 time for a reader, e.g. "30 novembre 2026, 10:23 UTC"; a value that
    is not such a time as it is."""
    from datetime import datetime

    from engine.core.formats import long_datetime

    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    zone = " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
    return long_datetime(moment) + zone


def how_words(how: str) -> str:
    """How the room followed, in the reader's language ("majority", "override", ...)."""
    return _(HOW_WORDS[how]) if how in HOW_WORDS else how


def words(table: Mapping[str, str], code: str) -> str:
    """A recorded code's words from `table`, translated; an unknown code as it is."""
    return _(table[code]) if code in table else code


def session_status_words(status: str) -> str:
    """A session's status ("active", "ended", "abandoned") in the reader's language."""
    return words(SESSION_STATUS_WORDS, status)


OUTCOME_WORDS: Mapping[str, str] = {
    "success": N_("success"),
    "partial": N_("partial"),
    "failure": N_("failure"),
}


def outcome_words(outcome: str | None) -> str:
    """An ending's outcome in words ("success", "partial", "failure")."""
    return words(OUTCOME_WORDS, str(outcome)) if outcome else ""
