"""One place that makes untrusted text safe for where it goes: a terminal, a spreadsheet cell,
a Markdown page.

Content reaches the outputs from scenario files (which the loader already keeps free of control
characters), from file names, from command-line arguments and from session stores (which may
have been written by anything). Each output has its own danger:

- a terminal obeys ESC, CSI (U+009B) and other C0/C1 controls: a title can retitle the window,
  clear the screen or hide text. `for_terminal` writes every such character, and any lone
  surrogate left by undecodable bytes in a file name, as a visible `\\uXXXX` escape (valid inside
  a JSON string too, so JSON output stays JSON);
- a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula
  (OWASP's "CSV injection"): `for_csv_cell` puts a single quote before it;
- a Markdown renderer passes raw HTML through and follows any link: `for_markdown` escapes
  `&`, `<` and `>`, keeps `[text](url)` links only for http, https and mailto, and escapes every
  other square bracket so no link or link definition can be formed from content.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")

# C0 controls other than tab and line feed, DEL, C1 controls, and lone surrogates.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def for_terminal(text: str) -> str:
    """`text` with every control character (but tab and newline) written as `\\uXXXX`."""
    return _TERMINAL_UNSAFE.sub(_escape_char, text)


def one_line(text: str, limit: int = 80) -> str:
    """A value quoted inside a message: on one line (newlines shown as ⏎), clipped."""
    flat = for_terminal(text).replace("\r\n", "⏎").replace("\n", "⏎").replace("\t", " ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_csv_cell(value: T) -> T | str:
    """A cell value a spreadsheet will show as text, never run (numbers pass unchanged)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


_SAFE_SCHEMES = ("http", "https", "mailto")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*<?([^()<>\s]*)>?(?:\s+[^()]*)?\)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def safe_url(url: str) -> bool:
    """True for an absolute http(s) or mailto URL (controls and spaces already excluded)."""
    scheme = _SCHEME.match(url)
    return (
        scheme is not None
        and scheme.group(1).lower() in _SAFE_SCHEMES
        and not _TERMINAL_UNSAFE.search(url)
    )


def for_markdown(text: str) -> str:
    """Content for a Markdown document: no raw HTML, no link but http(s)/mailto ones."""
    out: list[str] = []
    last = 0
    for m in _LINK.finditer(text):
        out.append(_brackets(_html(text[last : m.start()])))
        label, url = m.group(1), m.group(2)
        if safe_url(url):
            quoted = url.replace("&", "&amp;").replace(")", "%29").replace("(", "%28")
            out.append(f"[{_brackets(_html(label))}]({quoted})")
        else:  # keep the words, drop the link
            out.append(_brackets(_html(label)))
        last = m.end()
    out.append(_brackets(_html(text[last:])))
    return "".join(out)


def deep_map(value: T, fn: Callable[[str], str]) -> T:
    """`value` with `fn` applied to every string in it (dict keys included), iteratively: the
    same shape of dicts, lists and strings (a tuple comes back as a list)."""
    if isinstance(value, str):
        return cast(T, fn(value))
    if not isinstance(value, dict | list | tuple):
        return value
    # the walk writes into dicts (by key) and lists (by index): untyped on purpose
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]  # (source, target, slot)
    while stack:
        src, target, slot = stack.pop()
        if isinstance(src, str):
            target[slot] = fn(src)
        elif isinstance(src, dict):
            new: dict[Any, Any] = {}
            target[slot] = new
            for k, v in src.items():
                key = fn(k) if isinstance(k, str) else k
                new[key] = None
                stack.append((v, new, key))
        elif isinstance(src, list | tuple):
            items: list[Any] = [None] * len(src)
            target[slot] = items
            stack.extend((v, items, i) for i, v in enumerate(src))
        else:
            target[slot] = src
    return cast(T, root[0])
