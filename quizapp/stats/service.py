"""Statistics of one store: the summary `quizapp stats` prints, the per-day history the
stats screen charts, and the dashboard."""

from __future__ import annotations

from quizapp.errors import QuizappError
from quizapp.reviews.service import Reviews
from quizapp.settings.service import SettingsService
from quizapp.stats.model import Dashboard, History, StudyStats, TopicMastery
from quizapp.store import cards
from quizapp.store.database import Store
from quizapp.study_time import Moment, StudyTime, utc

MAX_HISTORY_DAYS = 3660


class Stats:
    """Counts, mastery and history, computed from the store's aggregates (NumPy)."""

    def __init__(
        self, store: Store, time: StudyTime, settings: SettingsService, reviews: Reviews
    ) -> None:
        self._store = store
        self._time = time
        self._settings = settings
        self._reviews = reviews

    def _exam_ts(self, m: Moment) -> float | None:
        exam = self._settings.current().exam_date
        if exam is None or exam.toordinal() < m.today:
            return None
        return max(self._time.start_of(exam).timestamp(), m.ts)

    def summary(self) -> StudyStats:
        from quizapp.stats.build import build_stats
        from quizapp.store.statistics import collect

        m = self._time.moment()
        with self._store.read() as tx:
            raw = collect(tx, now=m.ts, today=m.today, day_start=m.day_start, day_end=m.day_end)
        return build_stats(
            raw,
            now_ts=m.ts,
            exam_date=self._settings.current().exam_date,
            exam_ts=self._exam_ts(m),
        )

    def history(self, days: int = 30) -> History:
        """Per-day series for the last `days` study days (today included), the calendar of
        the last year (or of `days`, if longer) and the attempts finished in the window."""
        from quizapp.stats.build import build_history
        from quizapp.store.statistics import CALENDAR_DAYS, collect_history

        if not 1 <= days <= MAX_HISTORY_DAYS:
            raise QuizappError(f"history covers 1 to {MAX_HISTORY_DAYS} days, not {days}")
        m = self._time.moment()
        first = m.today - days + 1
        with self._store.read() as tx:
            raw = collect_history(
                tx,
                first=first,
                today=m.today,
                calendar_first=m.today - max(days, CALENDAR_DAYS) + 1,
                since=self._time.start_of(first).timestamp(),
            )
        return build_history(raw, desired_retention=self._settings.current().desired_retention)

    def dashboard(self) -> Dashboard:
        from quizapp.bank.taxonomy import load_taxonomy

        m = self._time.moment()
        due = self._reviews.due_counts()
        stats = self.summary()
        with self._store.read() as tx:
            upcoming = cards.next_due(tx, m.ts)
            if cards.has_new_cards(tx) and (upcoming is None or upcoming > m.day_end):
                upcoming = m.day_end  # new cards open up at the next rollover
        labels = load_taxonomy().topics
        exam = self._settings.current().exam_date
        return Dashboard(
            due=due,
            reviews_today=stats.reviews_today,
            streak_days=stats.streak_days,
            exam_date=exam,
            days_to_exam=(exam.toordinal() - m.today) if exam else None,
            exam_day_recall=stats.exam_day_recall,
            topics=tuple(
                TopicMastery(topic, labels.get(topic, topic), value)
                for topic, value in stats.topics.items()
            ),
            next_due=utc(upcoming),
            studying=self._reviews.studying,
            forecast=stats.forecast[:7],
        )
