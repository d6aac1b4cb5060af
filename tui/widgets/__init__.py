"""Reusable widgets of the nexus-ttx UI (gauges, choices, timer, tally, area bars)."""
