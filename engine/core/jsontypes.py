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
