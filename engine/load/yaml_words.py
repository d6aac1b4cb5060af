"""The YAML parser's own words (libyaml's and PyYAML's problem and context texts) in the
interface language.

An NTX005 message quotes what the parser found wrong ("did not find expected ',' or ']'") and
where it was ("while parsing a flow sequence"). Those texts are fixed strings inside libyaml and
PyYAML, so each is a message id here (English shows it unchanged, other languages translate it);
a text these tables do not know (a newer parser's wording) is shown as the parser wrote it,
quoted, rather than guessed at.
"""

from __future__ import annotations

import re

from engine.core.i18n import N_, _

#: libyaml's problem texts (scanner.c, parser.c, reader.c) and PyYAML's fixed ones.
PROBLEMS: frozenset[str] = frozenset(
    {
        N_("block sequence entries are not allowed in this context"),
        N_("control characters are not allowed"),
        N_("could not find expected ':'"),
        N_("could not find expected directive name"),
        N_("did not find URI escaped octet"),
        N_("did not find expected '!'"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected <document start>"),
        N_("did not find expected alphabetic or numeric character"),
        N_("did not find expected comment or line break"),
        N_("did not find expected digit or '.' character"),
        N_("did not find expected hexdecimal number"),
        N_("did not find expected key"),
        N_("did not find expected node content"),
        N_("did not find expected tag URI"),
        N_("did not find expected version number"),
        N_("did not find expected whitespace"),
        N_("did not find expected whitespace or line break"),
        N_("did not find the expected '>'"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("found an indentation indicator equal to 0"),
        N_("found character that cannot start any token"),
        N_("found duplicate %TAG directive"),
        N_("found duplicate %YAML directive"),
        N_("found extremely long version number"),
        N_("found incompatible YAML document"),
        N_("found invalid Unicode character escape code"),
        N_("found undefined tag handle"),
        N_("found unexpected ':'"),
        N_("found unexpected document indicator"),
        N_("found unexpected end of stream"),
        N_("found unexpected non-alphabetical character"),
        N_("found unknown directive name"),
        N_("found unknown escape character"),
        N_("incompatible %YAML directive"),
        N_("mapping keys are not allowed in this context"),
        N_("mapping values are not allowed in this context"),
        N_("mapping values are not allowed here"),
    }
)

#: libyaml's and PyYAML's context texts: what the parser was reading when it stopped.
CONTEXTS: frozenset[str] = frozenset(
    {
        N_("while constructing a mapping"),
        N_("while parsing a %TAG directive"),
        N_("while parsing a block collection"),
        N_("while parsing a block mapping"),
        N_("while parsing a block node"),
        N_("while parsing a flow mapping"),
        N_("while parsing a flow node"),
        N_("while parsing a flow sequence"),
        N_("while parsing a node"),
        N_("while parsing a quoted scalar"),
        N_("while parsing a tag"),
        N_("while parsing a tag directive"),
        N_("while scanning a %TAG directive"),
        N_("while scanning a %YAML directive"),
        N_("while scanning a block scalar"),
        N_("while scanning a directive"),
        N_("while scanning a double-quoted scalar"),
        N_("while scanning a plain scalar"),
        N_("while scanning a quoted scalar"),
        N_("while scanning a simple key"),
        N_("while scanning a single-quoted scalar"),
        N_("while scanning a tag"),
        N_("while scanning a tag directive"),
        N_("while scanning an alias"),
        N_("while scanning an anchor"),
        N_("while scanning for the next token"),
    }
)

# PyYAML's pure-Python parser (used when PyYAML is built without libyaml) puts the tokens it
# met into the text: "expected ',' or ']', but got '<scalar>'".
_EXPECTED = re.compile(r"expected (?P<expected>.+), but (?:found|got) (?P<found>.+)")
_CHARACTER = re.compile(r"found character (?P<char>.+) that cannot start any token")
_ALIAS = re.compile(r"found undefined alias (?P<name>.+)")


def _verbatim(text: str) -> str:
    return _("'{text}'").format(text=text)


def problem_text(problem: str) -> str:
    """The parser's problem in the interface language (a text we do not know: quoted as is)."""
    if problem in PROBLEMS:
        return _(problem)
    if m := _EXPECTED.fullmatch(problem):
        return _("expected {expected}, but found {found}").format(
            expected=m["expected"], found=m["found"]
        )
    if m := _CHARACTER.fullmatch(problem):
        return _("found character {char} that cannot start any token").format(char=m["char"])
    if m := _ALIAS.fullmatch(problem):
        return _("found undefined alias {name}").format(name=m["name"])
    return _verbatim(problem)


def context_text(context: str) -> str:
    """What the parser was reading, in the interface language (unknown: quoted as is)."""
    return _(context) if context in CONTEXTS else _verbatim(context)
