"""An injectable clock, and study days with a rollover hour (as Anki counts them).

Everything that asks "what time is it" takes a `Clock`, so tests drive a simulated month with
`FakeClock`. Times are timezone-aware UTC datetimes; study days are counted in the clock's
local zone and start at the rollover hour (default 4:00): a review at 2:00 belongs to yesterday.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def local_zone(self) -> tzinfo:
        """The zone whose wall clock decides the study day."""
        ...


class SystemClock:
    """The real time; study days follow the machine's local zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_zone(self) -> tzinfo:
        zone = datetime.now().astimezone().tzinfo
        return zone if zone is not None else UTC


class FakeClock:
    """A clock that moves only when told to (thread-safe)."""

    def __init__(self, start: datetime, zone: tzinfo = UTC) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._zone = zone
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def local_zone(self) -> tzinfo:
        return self._zone

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by `delta` or by timedelta keyword arguments; returns the new time."""
        step = delta if delta is not None else timedelta(**kwargs)
        with self._lock:
            self._now += step
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when.astimezone(UTC)


def study_date(now: datetime, zone: tzinfo, rollover_hour: int) -> date:
    """The study day `now` belongs to: the local date, shifted back by the rollover hour."""
    return (now.astimezone(zone) - timedelta(hours=rollover_hour)).date()


def study_day(now: datetime, zone: tzinfo, rollover_hour: int) -> int:
    """The study day as an integer (the date's proleptic ordinal), as stored in the logs."""
    return study_date(now, zone, rollover_hour).toordinal()


def day_start(day: date | int, zone: tzinfo, rollover_hour: int) -> datetime:
    """When study day `day` begins (its rollover), as UTC."""
    if isinstance(day, int):
        day = date.fromordinal(day)
    return datetime.combine(day, time(rollover_hour), tzinfo=zone).astimezone(UTC)
