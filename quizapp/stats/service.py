"""Statistics of one store: the summary `quizapp stats` prints, the per-day history the
stats screen charts, and the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from quizapp.errors import QuizappError
from quizapp.reviews.service import Reviews
from quizapp.settings.service import SettingsService
from quizapp.stats.model import Dashboard, History, StudyStats, TopicMastery
from quizapp.stats.retention import TrueRetention
from quizapp.store import cards
from quizapp.store.database import Store
from quizapp.study_time import Moment, StudyTime, utc

if TYPE_CHECKING:  # NumPy and the simulator load only when the workload is asked for
    from quizapp.stats.workload import Workload, WorkloadInputs

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
            decay=self._settings.policy.decay,
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
                decay=self._settings.policy.decay,
            )
        return build_history(raw, desired_retention=self._settings.current().desired_retention)

    def true_retention(self) -> TrueRetention:
        """Anki's true retention table: today, yesterday, the last week, month and year;
        young and mature cards (see `quizapp.stats.retention`)."""
        from quizapp.stats.retention import SPAN_DAYS, true_retention
        from quizapp.store.retention import retention_by_day

        m = self._time.moment()
        with self._store.read() as tx:
            rows = retention_by_day(tx, m.today - SPAN_DAYS + 1, m.today)
        return true_retention(
            rows, today=m.today, desired_retention=self._settings.current().desired_retention
        )

    def workload_inputs(self) -> WorkloadInputs:
        """What the workload simulation starts from: the learner's cards today, answer
        times, grades and scheduling settings (SQL only; the simulation is
        `quizapp.stats.workload.simulate_workload`, run off the study thread by the app)."""
        from quizapp.scheduling.simulate import SimSettings
        from quizapp.stats.workload import (
            UNCAPPED_REVIEWS,
            WorkloadInputs,
            answer_times,
            card_arrays,
            ratings,
        )
        from quizapp.store import retention as store

        m = self._time.moment()
        s = self._settings.current()
        with self._store.read() as tx:
            rows = store.active_cards(tx)
            raw_times = store.answer_times(tx)
            first, review = store.grade_counts(tx)
        times, from_log = answer_times(raw_times, len(s.relearning_steps_min))
        return WorkloadInputs(
            start_day=m.today,
            cards=card_arrays(rows, today=m.today, day_start=m.day_start),
            times=times,
            times_from_log=from_log,
            ratings=ratings(first, review),
            settings=SimSettings(
                desired_retention=s.desired_retention,
                parameters=tuple(self._settings.policy.parameters),
                new_per_day=s.new_per_day,
                reviews_per_day=UNCAPPED_REVIEWS,
                maximum_interval=s.maximum_interval_days,
                learning_steps=len(s.learning_steps_min),
                relearning_steps=len(s.relearning_steps_min),
                fuzz=s.fuzz,
            ),
        )

    def workload(self, progress: Callable[[int, int], None] | None = None) -> Workload:
        """Reviews and minutes a day ahead at the desired retention and a few others."""
        from quizapp.stats.workload import simulate_workload

        return simulate_workload(self.workload_inputs(), progress=progress)

    def dashboard(self) -> Dashboard:
        from quizapp.bank.taxonomy import topic_label

        m = self._time.moment()
        due = self._reviews.due_counts()
        stats = self.summary()
        with self._store.read() as tx:
            upcoming = cards.next_due(tx, m.ts)
            if cards.has_new_cards(tx) and (upcoming is None or upcoming > m.day_end):
                upcoming = m.day_end  # new cards open up at the next rollover
        exam = self._settings.current().exam_date
        return Dashboard(
            due=due,
            reviews_today=stats.reviews_today,
            streak_days=stats.streak_days,
            exam_date=exam,
            days_to_exam=(exam.toordinal() - m.today) if exam else None,
            exam_day_recall=stats.exam_day_recall,
            topics=tuple(
                TopicMastery(topic, topic_label(topic), value)
                for topic, value in stats.topics.items()
            ),
            next_due=utc(upcoming),
            studying=self._reviews.studying,
            forecast=stats.forecast[:7],
        )
