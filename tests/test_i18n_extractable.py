"""Every translatable string can be extracted. Babel reads a Python f-string as one token, so a
`_()` call inside an f-string is never extracted: its text would stay English in every language
and the catalog-completeness test (tests/test_i18n.py) could not notice."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CALL = re.compile(r"(?<![\w.])(_|N_|ngettext|pgettext|gettext)\(\s*[rRuU]?[\"']")


def _calls_inside_fstrings(path: Path) -> list[str]:
    found = []
    source = path.read_text(encoding="utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING:
            continue
        prefix = re.match(r"[A-Za-z]*", tok.string)
        if prefix and "f" in prefix.group().lower() and CALL.search(tok.string):
            found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}")
    return found


def test_no_translation_call_hides_inside_an_fstring() -> None:
    found = [
        where
        for package in ("engine", "cli", "tui", "web")
        for path in sorted((ROOT / package).rglob("*.py"))
        for where in _calls_inside_fstrings(path)
    ]
    assert not found, "move the _() call out of the f-string: " + ", ".join(found)


def test_the_check_sees_a_hidden_call(tmp_path: Path) -> None:
    probe = ROOT / "tests" / "_probe_fstring.py"
    probe.write_text("x = f\"{_('Hidden')}\"\n", encoding="utf-8")
    try:
        assert _calls_inside_fstrings(probe) == ["tests/_probe_fstring.py:1"]
    finally:
        probe.unlink()
