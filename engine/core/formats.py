"""Dates and numbers in the interface language's conventions (Babel's CLDR data).

Babel is imported inside each function: `validate` and the other headless commands that print
no date or figure never pay for loading it (start-up: `python -m bench startup`). The patterns
are CLDR patterns, so "30 November 2026, 09:10" in English is "30 novembre 2026, 09:10" in
French, and 42.5 % is "42.5%" or "42,5 %".
"""

from __future__ import annotations

from datetime import date, datetime

from engine.core.i18n import current_language


def _locale() -> str:
    return current_language()


def long_datetime(moment: datetime) -> str:
    """Day, month name, year and time, e.g. "30 November 2026, 09:10" / "30 novembre 2026, 09:10"."""
    from babel.dates import format_datetime

    return format_datetime(moment, "d MMMM y, HH:mm", tzinfo=moment.tzinfo, locale=_locale())


def long_date(day: date) -> str:
    """Day, month name and year, e.g. "30 November 2026" / "30 novembre 2026"."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=_locale())


def short_time(moment: datetime) -> str:
    """Hours and minutes on a 24-hour clock, e.g. "09:10" (French uses the same)."""
    from babel.dates import format_time

    return format_time(moment, "HH:mm", tzinfo=moment.tzinfo, locale=_locale())


def number(value: float, digits: int = 0) -> str:
    """A number with the language's separators, `digits` after the decimal sign."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=_locale())


def percent(value: float, digits: int = 0) -> str:
    """A percentage given on 0-100, e.g. "42%" / "42 %" (French spaces it, unbreakably)."""
    from babel import Locale
    from babel.numbers import format_percent

    pattern = Locale.parse(_locale()).percent_formats[None].pattern  # "#,##0%", "#,##0\u202f%"
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return format_percent(value / 100, pattern, locale=_locale())
