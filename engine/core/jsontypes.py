"""JSON as a type: what `json.loads` returns and `json.dumps` accepts.

Data that is genuinely JSON (stored event payloads, xAPI statements, a document's free-form
parts) is typed `JSON` instead of `Any`, so a reader must narrow it (`isinstance`) before use.
Documents with a fixed shape are TypedDicts (engine/report/*_types.py), not `JSON`.
"""

from __future__ import annotations

from collections.abc import Mapping

JSON = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
JSONObject = dict[str, JSON]
# JSON made read-only (engine.play.events.freeze): what a stored event's data holds
FrozenJSON = Mapping[str, "FrozenJSON"] | tuple["FrozenJSON", ...] | str | int | float | bool | None


def int_in(data: Mapping[str, object], key: str) -> int:
    """`data[key]` when it is a whole number (a bool is not), else 0: stored data read back."""
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def text_in(data: Mapping[str, object], key: str) -> str | None:
    """`data[key]` when it is a string, else None: stored data read back."""
    value = data.get(key)
    return value if isinstance(value, str) else None
