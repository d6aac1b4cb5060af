"""JSON Schema checking with messages an author is glad to receive, at the offending line.

Valid documents take a fast path (fastjsonschema's code for the schema, generated once into
`engine/load/_generated`, see `engine.load.validators`). Only when that fails does jsonschema's Draft 2020-12 validator run, because it
reports *every* error with its path; each error is then translated: located through the
`SourceMap` at the offending key or value, phrased for a person, with "did you mean" where a
near miss is likely. `anyOf` failures are resolved to the one alternative the value was
evidently meant for, so one problem gives one diagnostic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import cache, partial
from typing import Any, NamedTuple

from engine.core.diagnostics import (
    MAX_PER_CODE,
    Collector,
    Diagnostic,
    closest,
    did_you_mean,
    make,
    suggestion,
)
from engine.core.i18n import N_, _, ngettext
from engine.core.resources import schema_path
from engine.load import validators
from engine.load.schema_form import for_validation
from engine.load.validators import SCHEMAS
from engine.load.yamlload import SourceMap, value_at

PathT = tuple[str | int, ...]
# Schema problems translated per file. jsonschema builds each error for a fraction of a
# millisecond, so a list of a million bad items would take minutes; past this the check stops.
MAX_ISSUES = 1000


class Issue(NamedTuple):
    """A translated schema error before it is located: code, where, how to say it."""

    code: str
    path: PathT
    message: str
    at_key: bool = False  # point at the key of `path` rather than its value
    name: str | None = None  # NTX101: the missing key


def _read_schema(kind: str) -> dict[str, Any]:
    """The schema file in the form the validators run (see `engine.load.schema_form`)."""
    with open(schema_path(SCHEMAS[kind]), encoding="utf-8") as fh:
        schema: dict[str, Any] = for_validation(json.load(fh))
    return schema


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The schema as validated (shared; do not modify)."""
    return _read_schema(kind)


@cache
def _fast_validator(kind: str) -> Callable[[Any], Any]:
    return validators.validator(kind)


@cache
def _full_validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(kind))


def is_valid(data: Any, kind: str) -> bool:
    """The fast path alone: True when the document conforms (used before the full check)."""
    try:
        _fast_validator(kind)(data)
    except validators.SchemaMismatch:
        return False
    return True


def issues_for(data: Any, kind: str) -> list[Issue]:
    """Every schema problem of `data`, translated but not yet located (empty when it conforms).

    The semantic pass reads the issues' paths to stay quiet where the schema already spoke.
    """
    if is_valid(data, kind):
        return []
    issues: list[Issue] = []
    for error in _full_validator(kind).iter_errors(data):
        if len(issues) >= MAX_ISSUES:
            return _prune(issues) + [_stopped()]
        issues.extend(_translate(error, data, kind))
    return _prune(issues)


def _stopped() -> Issue:
    from engine.core.formats import number

    return Issue(
        "NTX019",
        (),
        _(
            "schema checking stopped after {count} problems, and reference checks were "
            "not made; fix the problems above and validate again"
        ).format(count=number(MAX_ISSUES)),
    )


def locate(issues: list[Issue], source: SourceMap, file: str) -> list[Diagnostic]:
    """Diagnostics for `issues`, each at its key or value in the source (at most MAX_PER_CODE
    per code; the rest counted, without locating each)."""
    out = Collector()
    for issue in issues:
        if not out.room(issue.code, file):
            out.count(issue.code, file, partial(_where, source, issue))
            continue
        line, column = _where(source, issue)
        out.add(make(issue.code, file, line, column, issue.message))
    return out.diagnostics()


def _where(source: SourceMap, issue: Issue) -> tuple[int, int]:
    pos = source.locate(issue.path, prefer_key=issue.at_key)
    return pos.line, pos.column


def check(data: Any, kind: str, source: SourceMap, file: str) -> list[Diagnostic]:
    """Every schema problem of `data` as located diagnostics."""
    return locate(issues_for(data, kind), source, file)


# -- phrasing ---------------------------------------------------------------------------------

# The tables below hold message ids (N_), translated where a message is built.

_TYPE_NAMES = {
    "string": N_("text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "array": N_("a list"),
    "object": N_("a mapping (indented 'key: value' lines)"),
    "null": N_("nothing"),
}

_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": N_(
        "an id of lower-case letters, digits and single hyphens (like first-call)"
    ),
    "^[a-z][a-z0-9_]*$": N_(
        "a name of lower-case letters, digits and underscores, starting with a letter (like trust)"
    ),
    "^GP([1-9]|1[0-9]|2[0-5])$": N_("a good practice id, GP1 to GP25"),
    "^[A-Z]{2}$": N_("a two-letter ISO 3166-1 country code in capitals (like ML)"),
}

_FORBIDDEN_HINTS = {
    ("decision", "next"): N_("a decision moves on through each choice's own 'next'"),
    ("decision", "outcome"): N_("only an ending scene has an outcome"),
    ("narrative", "choices"): N_(
        "only a decision scene has choices; change kind to decision or remove 'choices'"
    ),
    ("inject", "choices"): N_(
        "only a decision scene has choices; change kind to decision or remove 'choices'"
    ),
    ("narrative", "recommended"): N_("only a decision scene is scored"),
    ("inject", "recommended"): N_("only a decision scene is scored"),
    ("narrative", "outcome"): N_("only an ending scene has an outcome; change kind to ending"),
    ("inject", "outcome"): N_("only an ending scene has an outcome; change kind to ending"),
    ("ending", "next"): N_("an ending ends the exercise; change kind if it should continue"),
    ("ending", "choices"): N_("an ending ends the exercise; use kind: decision to offer choices"),
    ("ending", "recommended"): N_("only a decision scene is scored"),
}

_REQUIRED_HINTS = {
    "choices": N_("a decision scene offers at least one choice"),
    "next": N_("say which scene follows (a scene id or a branch list)"),
    "outcome": N_("an ending has an outcome: success, partial or failure"),
    "format": N_("the first line of a scenario is 'format: nexus-ttx/1'"),
}

#: The schemas' descriptions that messages quote ("expected {description}"), as message ids:
#: a description not listed here is quoted in English (tests/test_i18n_diagnostics.py keeps the
#: list in step with the descriptions on `pattern`, `anyOf` and `oneOf` nodes of the schemas).
SCHEMA_DESCRIPTIONS = frozenset(
    {
        N_("A good practice id, GP1 to GP25."),
        N_("Action id, GPn.Ak, numbered as in the toolkit."),
        N_(
            "GPn.Sk (step k), GPn.Ak (action k without steps) or GPn.Ak.Sj (step j of action "
            "k); numbering and gaps as in the toolkit."
        ),
        N_("For a step under an action: the id of that action (GPn.Ak)."),
        N_(
            "factor.k: the k-th indicator (1-based, toolkit order) of its factor, e.g. "
            "corruption.3."
        ),
        N_("The address the toolkit gives for it, rejoined where the PDF broke it across lines."),
        N_("A further address."),
        N_("Language of the texts as a BCP 47 tag (en, fr, ar, pt-BR). Default: en."),
        N_("ISO 3166-1 alpha-2 country code in capitals (ML, NE, DE)."),
        N_("An id: lower-case letters, digits and single hyphens (e.g. first-call)."),
        N_(
            "A variable name: a lower-case letter, then lower-case letters, digits or "
            "underscores (e.g. trust, raided_market). Not true, false, and, or, not, visited or "
            "chose."
        ),
        N_(
            "A key action of the toolkit, e.g. GP21.S4 (step 4 of GP21), GP24.A2 (action 2), "
            "GP22.A5.S1 (step 1 of action 5). `nexus-ttx toolkit GP21` lists them."
        ),
        N_("A watch-point factor (corruption) or one of its indicators (corruption.3)."),
        N_("An indicator id: a factor id, a dot and the indicator's number (e.g. corruption.3)."),
        N_(
            "Where to go next: a scene id, or a list of branches [{if: CONDITION, goto: "
            "SCENE}, ..., {goto: SCENE}] whose last entry has no `if`."
        ),
        N_("A good practice id (GP1 to GP25) whose recommended key actions show this objective."),
        N_(
            "A watch-point factor (corruption), an indicator (corruption.3) or a "
            "manifestation (alliances)."
        ),
    }
)


def _described(schema: dict[str, Any], default: str) -> str:
    """The schema node's description as a phrase ("a good practice id, GP1 to GP25"), in the
    interface language when it is one of SCHEMA_DESCRIPTIONS."""
    text = schema.get("description")
    if not isinstance(text, str):
        return default
    return _lower_first(_(text) if text in SCHEMA_DESCRIPTIONS else text)


def show_path(path: PathT) -> str:
    """`scenes.first-call.choices[1].next`, or `(top level)`."""
    out = ""
    for elem in path:
        if isinstance(elem, int):
            out += f"[{elem}]"
        else:
            out += ("." if out else "") + str(elem)
    return out or _("(top level)")


def _describe_value(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, str):
        return _("the text '{text}'").format(text=_clip(value))
    if isinstance(value, list):
        return _("a list")
    return _("a mapping")


def _clip(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug


def _pattern_suggestion(pattern: str, value: str) -> str:
    """A corrected value that matches `pattern`, if an obvious one exists."""
    candidates = [
        _slugify(value),
        value.upper(),
        re.sub(r"[^a-z0-9_]+", "_", value.casefold()).strip("_"),
    ]
    for candidate in candidates:
        if candidate and candidate != value and re.search(pattern, candidate):
            return suggestion(candidate)
    return ""


# -- translation ------------------------------------------------------------------------------


def _translate(error: Any, data: Any, kind: str = "scenario") -> list[Issue]:
    path: PathT = tuple(error.absolute_path)
    where = show_path(path)
    validator = error.validator
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    in_property_names = "propertyNames" in error.absolute_schema_path

    if error.schema is False or validator is None:
        return _forbidden(error, data, kind)
    if validator == "required":
        return _required(error, path, instance)
    if validator == "additionalProperties" and isinstance(instance, dict):
        return _unknown_keys(path, instance, list(schema.get("properties", {})))
    if validator in ("anyOf", "oneOf"):
        return _alternatives(error, path, data, kind)
    if in_property_names and isinstance(instance, str):
        return [_bad_name(error, path, instance)]
    if validator == "type":
        return [_type_issue(path, instance, error.validator_value)]
    if validator == "enum":
        options = [str(o) for o in error.validator_value]
        return [
            Issue(
                "NTX104",
                path,
                _("{where}: {value} is not one of {options}").format(
                    where=where, value=_shown(instance), options=", ".join(options)
                )
                + did_you_mean(instance, options),
            )
        ]
    if validator == "const":
        return [
            Issue(
                "NTX104",
                path,
                _("{where}: expected '{expected}', found {value}").format(
                    where=where,
                    expected=error.validator_value,
                    value=_describe_value(instance),
                ),
            )
        ]
    if validator == "pattern":
        hinted = _PATTERN_HINTS.get(error.validator_value)
        what = _(hinted) if hinted else _described(schema, _("a valid value"))
        hint = (
            _pattern_suggestion(error.validator_value, instance)
            if isinstance(instance, str)
            else ""
        )
        message = _("{where}: '{value}' is not {what}").format(
            where=where, value=_clip(str(instance)), what=what
        )
        return [Issue("NTX105", path, message + hint)]
    if validator in _SIZES:
        return [_size_issue(error, path)]
    if validator == "uniqueItems" and isinstance(instance, list):
        return _duplicates(path, instance)
    if validator in _BOUNDS:
        return [
            Issue(
                "NTX107",
                path,
                _(_BOUNDS[validator]).format(
                    where=where, value=instance, bound=error.validator_value
                ),
            )
        ]
    return [Issue("NTX199", path, f"{where}: {error.message}")]


_SIZES = frozenset(
    {"minItems", "minLength", "minProperties", "maxItems", "maxLength", "maxProperties"}
)
_BOUNDS = {
    "minimum": N_("{where}: {value} is out of range; it must be at least {bound}"),
    "maximum": N_("{where}: {value} is out of range; it must be at most {bound}"),
    "exclusiveMinimum": N_("{where}: {value} is out of range; it must be more than {bound}"),
    "exclusiveMaximum": N_("{where}: {value} is out of range; it must be less than {bound}"),
}


def _unknown_keys(path: PathT, instance: dict[Any, Any], allowed: list[str]) -> list[Issue]:
    issues: list[Issue] = []
    for key in instance:
        if key in allowed:
            continue
        if len(issues) >= MAX_PER_CODE:  # never shown (the file's cap): count, don't phrase
            issues.append(Issue("NTX102", path + (key,), "", at_key=True))
            continue
        if key == "<<":
            hint = _("; YAML merge keys are not supported, write the keys out")
        else:
            hint = did_you_mean(key, allowed) or _("; allowed here: {keys}").format(
                keys=", ".join(allowed)
            )
        message = _("{where}: unknown key '{key}'").format(where=show_path(path), key=key)
        issues.append(Issue("NTX102", path + (key,), message + hint, at_key=True))
    return issues


def _bad_name(error: Any, path: PathT, name: str) -> Issue:
    """A mapping key that breaks `propertyNames` (a scene id, a variable name)."""
    pattern = error.validator == "pattern"
    hinted = _PATTERN_HINTS.get(error.validator_value) if pattern else None
    what = _(hinted) if hinted else _("a valid name")
    hint = _pattern_suggestion(error.validator_value, name) if pattern else ""
    message = _("{where}: '{value}' is not {what}").format(
        where=show_path(path), value=_clip(name), what=what
    )
    return Issue("NTX105", path + (name,), message + hint, at_key=True)


def _size_issue(error: Any, path: PathT) -> Issue:
    n = error.validator_value
    where = show_path(path)
    if error.validator == "minLength":
        text = _("{where}: must not be empty").format(where=where)
    elif error.validator == "minItems":
        text = ngettext(
            "{where}: must list at least {n} item", "{where}: must list at least {n} items", n
        ).format(where=where, n=n)
    elif error.validator == "minProperties":
        text = ngettext(
            "{where}: must have at least {n} entry", "{where}: must have at least {n} entries", n
        ).format(where=where, n=n)
    elif error.validator == "maxLength":
        text = _("{where}: too long (at most {n} characters)").format(where=where, n=n)
    else:
        text = _("{where}: too many items (at most {n})").format(where=where, n=n)
    return Issue("NTX106", path, text)


def _lower_first(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:]


def _shown(value: Any) -> str:
    return (
        _("'{text}'").format(text=_clip(value))
        if isinstance(value, str)
        else _describe_value(value)
    )


def _type_issue(path: PathT, instance: Any, expected: Any) -> Issue:
    types: list[str] = [str(t) for t in expected] if isinstance(expected, list) else [str(expected)]
    wanted = _(" or ").join(_(_TYPE_NAMES[t]) if t in _TYPE_NAMES else t for t in types)
    got = _describe_value(instance)
    hint = ""
    if "string" in types:
        if isinstance(instance, bool):
            hint = _(
                " — YAML reads yes/no/on/off/true/false as true or false; put the text in quotes"
            )
        elif isinstance(instance, (int, float)):
            hint = _(" — put it in quotes to make it text")
        elif isinstance(instance, dict):
            hint = _(" — text that contains ': ' must be put in quotes")
        elif instance is None:
            got = _("nothing (the value is empty)")
    elif (
        "integer" in types and isinstance(instance, str) and re.fullmatch(r"\s*-?\d+\s*", instance)
    ):
        hint = _(" — remove the quotes")
    elif "array" in types and isinstance(instance, str):
        hint = _(" — write it as a list: [{text}]").format(text=_clip(instance))
    message = _("{where}: expected {wanted}, got {value}").format(
        where=show_path(path), wanted=wanted, value=got
    )
    return Issue("NTX103", path, message + hint)


def _required(error: Any, path: PathT, instance: Any) -> list[Issue]:
    if not isinstance(instance, dict):
        return []
    issues = []
    kind = instance.get("kind") if "then" in error.absolute_schema_path else None
    for name in error.validator_value:
        if name in instance:
            continue
        hint = _REQUIRED_HINTS.get(name)
        where = show_path(path)
        message = _("{where}: missing '{name}'").format(where=where, name=name)
        if isinstance(kind, str):
            needs = (
                _("{where}: an {kind} scene needs '{name}'")
                if _article(kind) == "an"
                else _("{where}: a {kind} scene needs '{name}'")
            )
            message = needs.format(where=where, kind=kind, name=name)
        if hint:
            message += _(" ({hint})").format(hint=_(hint))
        issues.append(Issue("NTX101", path, message, at_key=True, name=name))
    return issues


def _merge_missing(issues: list[Issue]) -> list[Issue]:
    """Several keys missing from one mapping make one diagnostic listing them all."""
    by_path: dict[PathT, list[Issue]] = {}
    for issue in issues:
        if issue.code == "NTX101":
            by_path.setdefault(issue.path, []).append(issue)
    out = []
    for issue in issues:
        group = by_path.get(issue.path) if issue.code == "NTX101" else None
        if not group or len(group) == 1:
            out.append(issue)
        elif group[0] is issue:
            names = ", ".join(_("'{text}'").format(text=i.name) for i in group)
            out.append(
                Issue(
                    "NTX101",
                    issue.path,
                    _("{where}: missing {names}").format(where=show_path(issue.path), names=names),
                    at_key=True,
                )
            )
    return out


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _schema_at(schema: Any, schema_path: Iterable[Any]) -> Any:
    """The subschema at an absolute schema path, following local `$ref`s that jsonschema
    leaves out of the path."""
    node = schema
    root = schema
    for elem in schema_path:
        while isinstance(node, dict) and elem not in node and "$ref" in node:
            ref = node["$ref"].partition("#")[2]
            if not ref.startswith("/"):
                return None
            node = root
            for part in ref[1:].split("/"):
                node = node.get(part) if isinstance(node, dict) else None
        try:
            node = node[elem]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _forbidden(error: Any, data: Any, kind_of_schema: str) -> list[Issue]:
    """Keys a `false` subschema forbids (e.g. `next` in a decision scene).

    jsonschema reports such an error at the owning mapping, without the key (its path stops at
    `properties`), so the forbidden keys present are found from the schema itself.
    """
    path: PathT = tuple(error.absolute_path)
    schema_path = list(error.absolute_schema_path)
    owner = value_at(data, path)
    keys: list[str] = []
    if schema_path and schema_path[-1] == "properties" and isinstance(owner, dict):
        props = _schema_at(load_schema(kind_of_schema), schema_path)
        if isinstance(props, dict):
            keys = [k for k, sub in props.items() if sub is False and k in owner]
    elif path and isinstance(value_at(data, path[:-1]), dict):
        keys, path, owner = [str(path[-1])], path[:-1], value_at(data, path[:-1])
    kind = owner.get("kind") if isinstance(owner, dict) else None
    issues = []
    for key in keys:
        hint = _FORBIDDEN_HINTS.get((kind, key)) if isinstance(kind, str) else None
        issues.append(
            Issue(
                "NTX109",
                path + (key,),
                _not_allowed(path, key, kind)
                + (_(" ({hint})").format(hint=_(hint)) if hint else ""),
                at_key=True,
            )
        )
    if not issues:
        issues.append(Issue("NTX109", path, f"{show_path(path)}: {error.message}"))
    return issues


def _not_allowed(path: PathT, key: str, kind: Any) -> str:
    """`scenes.x: 'next' is not allowed in a decision scene` (or `in scenes.x`)."""
    where = show_path(path)
    if not isinstance(kind, str):
        return _("{where}: '{key}' is not allowed in {place}").format(
            where=where, key=key, place=where
        )
    text = (
        _("{where}: '{key}' is not allowed in an {kind} scene")
        if _article(kind) == "an"
        else _("{where}: '{key}' is not allowed in a {kind} scene")
    )
    return text.format(where=where, key=key, kind=kind)


def _duplicates(path: PathT, items: list[Any]) -> list[Issue]:
    seen: list[Any] = []
    issues = []
    for index, item in enumerate(items):
        if item in seen:
            issues.append(
                Issue(
                    "NTX108",
                    path + (index,),
                    _("{where}: {value} is listed twice; remove one").format(
                        where=show_path(path), value=_shown(item)
                    ),
                )
            )
        else:
            seen.append(item)
    return issues


def _alternatives(error: Any, path: PathT, data: Any, kind: str) -> list[Issue]:
    """Resolve an anyOf/oneOf failure to the alternative the author evidently meant."""
    by_branch: dict[int, list[Any]] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    same_type = [
        errors
        for errors in by_branch.values()
        if not any(e.validator == "type" and not e.relative_path for e in errors)
        and not any(e.validator == "type" and not e.relative_path for e in _nested(errors))
    ]
    instance = error.instance
    if len(same_type) == 1:
        issues: list[Issue] = []
        for sub in same_type[0]:
            issues.extend(_translate(sub, data, kind))
        return issues
    if not same_type:
        expected: list[str] = []
        for errors in by_branch.values():
            for e in _nested(errors):
                if e.validator == "type" and not e.relative_path:
                    for t in (
                        e.validator_value
                        if isinstance(e.validator_value, list)
                        else [e.validator_value]
                    ):
                        if t not in expected:
                            expected.append(t)
        if expected:
            return [_type_issue(path, instance, expected)]
    # several alternatives of the right type all failed: name what was expected
    options: list[str] = []
    for e in _nested(error.context or ()):
        if e.validator == "enum":
            options.extend(str(o) for o in e.validator_value)
    schema = error.schema if isinstance(error.schema, dict) else {}
    expected_text = _described(schema, _("a valid value"))
    hint = ""
    if isinstance(instance, str) and options:
        head, dot, tail = instance.partition(".")
        close = closest(head, options) if dot else None
        # a misspelt factor in an indicator id: keep the indicator's number
        hint = suggestion(f"{close}.{tail}") if close else did_you_mean(instance, options)
    return [
        Issue(
            "NTX104",
            path,
            _("{where}: {value} is not allowed here; expected {expected}").format(
                where=show_path(path), value=_shown(instance), expected=expected_text
            )
            + hint,
        )
    ]


def _nested(errors: Iterable[Any]) -> list[Any]:
    """Errors and the errors inside their anyOf/oneOf/$ref branches, flattened."""
    out = []
    stack = list(errors)
    while stack:
        e = stack.pop()
        out.append(e)
        stack.extend(e.context or ())
    return out


def _prune(issues: list[Issue]) -> list[Issue]:
    """Drop exact repeats, and a missing key whose misspelling is already reported as unknown
    ("unknown key 'titel' — did you mean 'title'?" says it all)."""
    unknown: dict[PathT, list[str]] = {}
    for issue in issues:
        if issue.code == "NTX102" and issue.path:
            unknown.setdefault(issue.path[:-1], []).append(str(issue.path[-1]))
    seen: set[tuple[str, PathT, str]] = set()
    out = []
    for issue in issues:
        if (
            issue.code == "NTX101"
            and issue.name
            and did_you_mean(issue.name, unknown.get(issue.path, ()))
        ):
            continue
        key = (issue.code, issue.path, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return _merge_missing(out)
