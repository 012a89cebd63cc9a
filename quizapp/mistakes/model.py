"""What the mistakes view shows: each named misconception with its count, last time, trend,
hint and the practice families whose problems invite it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SOURCES: tuple[str, ...] = ("practice", "card", "quiz")  # computed practice, skill cards, quizzes


@dataclass(frozen=True, slots=True)
class MistakeCount:
    """One misconception's tally in one source, as the store aggregates it."""

    name: str
    source: str  # practice | card | quiz
    family: str | None  # the practice family (quiz rows: None)
    count: int
    last_at: float  # timestamp of the latest
    recent: int  # in the last `window` study days (today included)
    before: int  # in the `window` study days before those


@dataclass(frozen=True, slots=True)
class Mistake:
    """A named misconception across practice, skill cards and quizzes."""

    name: str  # engine (or bank) id, e.g. "forgot_bias"
    count: int
    last_seen: datetime  # UTC
    recent: int
    before: int
    by_source: tuple[tuple[str, int], ...]  # (source, count) for each source with some
    hint: str  # "" when unknown
    families: tuple[str, ...]  # practice families whose problems can carry it
    difficulty: str  # a difficulty at which the first of them does ("" without families)

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def trend(self) -> str:
        """ "up", "down" or "steady": the last window against the one before."""
        if self.recent > self.before:
            return "up"
        return "down" if self.recent < self.before else "steady"

    @property
    def practisable(self) -> bool:
        return bool(self.families)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "count": self.count,
            "last_seen": self.last_seen.isoformat(),
            "recent": self.recent,
            "before": self.before,
            "trend": self.trend,
            "by_source": dict(self.by_source),
            "hint": self.hint,
            "families": list(self.families),
            "difficulty": self.difficulty or None,
        }


@dataclass(frozen=True, slots=True)
class MistakesReport:
    """The misconceptions made, most frequent first (then latest, then by name)."""

    window_days: int  # the trend compares the last window with the one before
    mistakes: tuple[Mistake, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "window_days": self.window_days,
            "total": sum(m.count for m in self.mistakes),
            "mistakes": [m.to_json() for m in self.mistakes],
        }


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
