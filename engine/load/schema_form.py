"""The schema as the validator runs it: the file without what only editors need.

Catalog-derived definitions in `scenario.schema.json` list every id (`enum`) for editor
completion. Those marked `x-enum-checked-by` keep their `pattern` for the validator, which then
checks membership against the catalog it loads (NTX204 key actions, NTX205 indicators; practice
ids are exactly the pattern), naming the nearest id instead of listing a hundred. Both the fast
and the full validator run this form, so they always agree.
"""

from __future__ import annotations

from typing import Any

MARK = "x-enum-checked-by"
EDITOR_ONLY = frozenset({"enum", "markdownEnumDescriptions", "enumDescriptions"})


def for_validation(schema: Any) -> Any:
    """A copy of `schema` without the editor-only keywords of subschemas marked with MARK."""
    if isinstance(schema, dict):
        marked = MARK in schema
        return {
            k: for_validation(v) for k, v in schema.items() if not (marked and k in EDITOR_ONLY)
        }
    if isinstance(schema, list):
        return [for_validation(v) for v in schema]
    return schema
