"""Participant feedback at the end of a live session: what a form or JSON body may carry.

A participant rates each of the scenario's objectives 1 to 5 (any may be left out) and says
what worked and what to change. Texts are bounded and stripped of control characters (line
breaks kept) before they are stored as a `feedback_given` event with the participant's team
and without their id: feedback is anonymous. Escaping is each output's job.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from engine.core.i18n import _

TEXT_MAX: Final = 1000
RATE_PREFIX: Final = "rate-"  # form field of an objective's rating: rate-<objective id>


class BadFeedback(ValueError):
    """Feedback that cannot be stored as sent (answered with 422)."""


@dataclass(frozen=True)
class Answer:
    ratings: dict[str, int]
    worked: str
    change: str


def clean_text(raw: str) -> str:
    """Control and format characters dropped (a line break kept), trimmed."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C").strip()


def _text(data: Mapping[str, Any], key: str) -> str:
    raw = data.get(key) or ""
    if not isinstance(raw, str):
        raise BadFeedback(f"'{key}' must be text.")
    text = clean_text(raw)
    if len(text) > TEXT_MAX:
        raise BadFeedback(f"'{key}' is longer than {TEXT_MAX} characters.")
    return text


def _rating(objective: str, value: Any, from_form: bool) -> int | None:
    if from_form and isinstance(value, str):
        if value == "":
            return None
        value = int(value) if value.isdigit() and len(value) == 1 else value
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise BadFeedback(
            _("The rating of '{objective}' must be 1 to 5.").format(objective=objective)
        )
    return value


def parse(data: Mapping[str, Any], objectives: Sequence[str], *, from_form: bool) -> Answer:
    """The feedback in a JSON body (`ratings`: {objective id: 1-5}) or a form (`rate-<id>`)."""
    if from_form:
        raw = {k[len(RATE_PREFIX) :]: v for k, v in data.items() if k.startswith(RATE_PREFIX)}
    else:
        raw = data.get("ratings") or {}
        if not isinstance(raw, Mapping):
            raise BadFeedback("'ratings' must map objective ids to 1-5.")
    ratings: dict[str, int] = {}
    for objective, value in raw.items():
        if objective not in objectives:
            raise BadFeedback(
                _("The scenario has no objective '{objective}'.").format(objective=objective)
            )
        rating = _rating(objective, value, from_form)
        if rating is not None:
            ratings[objective] = rating
    answer = Answer(ratings, _text(data, "worked"), _text(data, "change"))
    if not (answer.ratings or answer.worked or answer.change):
        raise BadFeedback(_("Give at least one rating or a few words."))
    return answer
