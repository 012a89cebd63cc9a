"""An injectable clock, and study days with a rollover hour (as Anki counts them).

Everything that asks "what time is it" takes a `Clock`, so tests drive a simulated month with
`FakeClock`. Times are timezone-aware UTC datetimes; study days are counted in the clock's
local zone and start at the rollover hour (default 4:00 local time on every day, daylight
saving or not): a review at 2:00 belongs to yesterday. Durations (an exam's time used) come
from `monotonic()`, so a wall-clock jump changes none of them.
"""

from __future__ import annotations

import os
import threading
import time as _time
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def local_zone(self) -> tzinfo:
        """The zone whose wall clock decides the study day."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (only differences mean anything)."""
        ...


class SystemClock:
    """The real time; study days follow the machine's local zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_zone(self) -> tzinfo:
        return local_zone()

    def monotonic(self) -> float:
        return _time.monotonic()


class _LocalZone(tzinfo):
    """The machine's local zone with its real rules: the UTC offset of each moment is the
    one in force then (a fixed offset read today would put a summer rollover an hour off)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(0)
        return self._local(dt).utcoffset() or timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None if dt is None else self._local(dt).dst()

    def tzname(self, dt: datetime | None) -> str | None:
        return None if dt is None else self._local(dt).tzname()

    def fromutc(self, dt: datetime) -> datetime:
        local = dt.replace(tzinfo=UTC).astimezone()
        return local.replace(tzinfo=self, fold=local.fold)

    @staticmethod
    def _local(dt: datetime) -> datetime:
        """`dt` (a wall time in this zone) as an aware local datetime."""
        naive = dt.replace(tzinfo=None)
        stamp = _time.mktime((*naive.timetuple()[:8], -1))  # the OS resolves DST
        return datetime.fromtimestamp(stamp + naive.microsecond / 1e6).astimezone()

    def __repr__(self) -> str:
        return "LocalZone()"


LOCAL_ZONE = _LocalZone()
_ZONES: dict[tuple[str | None, tuple[str, str]], tzinfo] = {}


def local_zone() -> tzinfo:
    """The machine's zone with its rules: the tz database's entry ($TZ, else /etc/localtime)
    when there is one, else the C library's view (`_LocalZone`). Looked up once per $TZ."""
    key = (os.environ.get("TZ"), _time.tzname)
    zone = _ZONES.get(key)
    if zone is None:
        zone = _ZONES[key] = _tz_database_zone(key[0]) or LOCAL_ZONE
    return zone


def _tz_database_zone(tz: str | None) -> tzinfo | None:
    from zoneinfo import ZoneInfo

    try:
        if tz:
            return ZoneInfo(tz.removeprefix(":"))
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError, KeyError):  # a POSIX TZ rule, no tz database, another OS
        return None


class FakeClock:
    """A clock that moves only when told to (thread-safe). `advance` moves the wall clock
    and the monotonic clock together; `set` jumps the wall clock alone, as a changed system
    time does."""

    def __init__(self, start: datetime, zone: tzinfo = UTC) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._zone = zone
        self._mono = 1000.0
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
            self._mono += step.total_seconds()
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

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
