"""The time model every use case shares: now, and the study day it falls in.

A study day starts at the rollover hour in the clock's local zone (Anki's 4:00 by default);
every call takes one `Moment` so the day, its bounds and "now" agree within that call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from quizapp.clock import Clock, day_start, study_date, study_day


@dataclass(frozen=True, slots=True)
class Moment:
    """One call's view of time: now, the study day and its bounds (epoch seconds)."""

    now: datetime
    ts: float
    today: int  # the study day's ordinal
    day_start: float
    day_end: float


class StudyTime:
    """Study days on `clock`, with the rollover hour the settings hold at each call."""

    def __init__(self, clock: Clock, rollover_hour: Callable[[], int]) -> None:
        self.clock = clock
        self._rollover_hour = rollover_hour

    def moment(self) -> Moment:
        now = self.clock.now().astimezone(UTC)
        zone = self.clock.local_zone()
        hour = self._rollover_hour()
        today = study_date(now, zone, hour).toordinal()
        start = day_start(today, zone, hour).timestamp()
        end = day_start(today + 1, zone, hour).timestamp()
        return Moment(now, now.timestamp(), today, start, end)

    def day_of(self, at: datetime) -> int:
        """The study day `at` belongs to."""
        return study_day(at, self.clock.local_zone(), self._rollover_hour())

    def start_of(self, day: date | int) -> datetime:
        """When study day `day` begins, as UTC."""
        return day_start(day, self.clock.local_zone(), self._rollover_hour())


def utc(ts: float | None) -> datetime | None:
    """An epoch timestamp as an aware UTC datetime (None stays None)."""
    return None if ts is None else datetime.fromtimestamp(ts, UTC)
