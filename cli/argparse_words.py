"""argparse's own words (usage, section titles, its error messages) in the interface language.

argparse asks the standard `gettext` module for them (domain "argparse"), which knows nothing of
our catalogs; `install()` points argparse's lookups at engine.core.i18n instead. The sentences
are listed here with `N_()` so that extraction puts them in our catalog. The `error:` word of
the error line stays English, like every diagnostic's severity: scripts and editors match it.
"""

from __future__ import annotations

import argparse

from engine.core import i18n
from engine.core.i18n import N_

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def install() -> None:
    """Make argparse translate through our catalogs (call before building a parser)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
