"""Interval text as Anki shows it on the answer buttons."""

from __future__ import annotations

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
MONTH, YEAR = 30.0 * DAY, 365.0 * DAY


def _short(value: float, unit: str) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text}{unit}"


def interval_text(seconds: float) -> str:
    """ "<1m", "10m", "1.5h", "3d", "1.2mo", "2.1y" for an interval in seconds."""
    if seconds < MINUTE:
        return "<1m"
    if seconds < HOUR:
        return f"{round(seconds / MINUTE)}m"
    if seconds < DAY:
        return _short(seconds / HOUR, "h")
    if seconds < MONTH:
        return f"{round(seconds / DAY)}d"
    if seconds < YEAR:
        return _short(seconds / MONTH, "mo")
    return _short(seconds / YEAR, "y")
