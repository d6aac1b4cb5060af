"""When feedback shows is one rule (engine.play.events.FeedbackTiming): the TUI, the web page
and the command line read a session's timing from it, old sessions included."""

from __future__ import annotations

import pytest

from engine.play.events import FeedbackTiming


@pytest.mark.parametrize(
    ("options", "facilitated", "expected"),
    [
        ({"feedback": "immediate"}, True, FeedbackTiming.IMMEDIATE),
        ({"feedback": "debrief"}, False, FeedbackTiming.DEBRIEF),
        ({}, False, FeedbackTiming.IMMEDIATE),  # recorded before the option existed
        ({}, True, FeedbackTiming.DEBRIEF),
        ({"feedback": "later"}, False, FeedbackTiming.IMMEDIATE),  # unknown: the mode's default
        ({"feedback": None}, True, FeedbackTiming.DEBRIEF),
    ],
)
def test_a_sessions_timing_is_recorded_or_its_modes_default(
    options: dict[str, object], facilitated: bool, expected: FeedbackTiming
) -> None:
    assert FeedbackTiming.of(options, facilitated) is expected


def test_the_command_line_offers_exactly_the_timings(cli) -> None:
    usage = cli("run", "sahel-gold-and-fuel", "--feedback", "sometimes")
    assert usage.returncode == 2
    assert "choose from 'immediate', 'debrief'" in usage.stderr
