"""The exam plan: simulate the learner's own cards day by day until the exam at the daily
time budget (quizapp.scheduling.simulate), and read off the predicted recall on exam day.

- Recall on exam day is each card's FSRS retrievability that morning; a card still unseen
  by then counts 0 (not studied is not remembered), so more minutes a day that let more new
  cards in raise it. Overall, per topic and per domain of the default exam profile.
- The daily budget: due reviews first (oldest first), new cards only in what is left.
  `fits_budget`: no due review is ever left undone and no new card is held back by it.
- The answer times and rating mix are the learner's (review log), defaults below
  `MIN_SAMPLES` answers; the FSRS parameters are the adopted set (settings service).
- The final stretch (quizapp.scheduling.review.interval_cap): the last K days before the
  exam, K = the days needed to see every studied card once at the budgeted pace. A card
  answered before the stretch comes back inside it at the latest; `after_exam()` counts the
  cards that would still not be seen (due after the exam, last seen before the stretch:
  answered before the exam date was set) and `pull_in()` moves them into the stretch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from quizapp.errors import QuizappError
from quizapp.plan.model import AfterExam, ExamPlan, NoExamDate, PlanDay
from quizapp.scheduling.memory import NEW
from quizapp.scheduling.review import exam_target_day, final_stretch_days
from quizapp.settings.service import SettingsService
from quizapp.store.database import Store
from quizapp.study_time import Moment, StudyTime

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from quizapp.scheduling.simulate import AnswerTimes, CardArrays, Ratings, SimSettings
    from quizapp.store.plan import LogSummary

MIN_SAMPLES = 20  # answers needed before the learner's own times / ratings replace defaults
DEFAULT_REVIEW_SECONDS = 12.0
DEFAULT_NEW_SECONDS = 30.0
MORE_OR_LESS_MINUTES = 10
DAY = 86400.0

Progress = Callable[[float], None]  # fraction done, 0..1


def answer_times(log: LogSummary) -> AnswerTimes:
    from quizapp.scheduling.simulate import AnswerTimes

    review = (
        log.review_ms / log.review_answers / 1000.0
        if log.review_answers >= MIN_SAMPLES
        else DEFAULT_REVIEW_SECONDS
    )
    new = (
        log.new_ms / log.new_cards / 1000.0 if log.new_cards >= MIN_SAMPLES else DEFAULT_NEW_SECONDS
    )
    return AnswerTimes(review_seconds=max(0.5, review), new_seconds=max(0.5, new))


def rating_mix(log: LogSummary) -> Ratings:
    from quizapp.scheduling.simulate import Ratings

    first = Ratings().first
    if sum(log.first_ratings) >= MIN_SAMPLES:
        a, h, g, e = log.first_ratings
        first = (float(a), float(h), float(g), float(e))
    review = Ratings().review
    if sum(log.review_ratings[1:]) >= MIN_SAMPLES:
        _a, h, g, e = log.review_ratings
        review = (float(h), float(g), float(e))
    return Ratings(first=first, review=review)


class Plan:
    """The exam plan over one store (any thread)."""

    def __init__(self, store: Store, time: StudyTime, settings: SettingsService) -> None:
        self._store = store
        self._time = time
        self._settings = settings
        self._stretch_cache: tuple[tuple[int, int, int, int], int] | None = None
        self._plan_cache: tuple[tuple[object, ...], ExamPlan] | None = None

    # -- the final stretch (used by the review loop's interval cap) ------------------------

    def stretch_days(self, today: int) -> int | None:
        """K, the final stretch's length in days, or None without an exam ahead. Computed
        once a study day (studied cards and answer times change slowly)."""
        s = self._settings.current()
        if s.exam_date is None or s.exam_date.toordinal() <= today:
            return None
        days_left = s.exam_date.toordinal() - today
        key = (today, s.exam_date.toordinal(), s.study_minutes_per_day, s.new_per_day)
        if self._stretch_cache is not None and self._stretch_cache[0] == key:
            return self._stretch_cache[1]
        from quizapp.store.plan import card_counts, log_summary

        with self._store.read() as tx:
            (studied, new), log = card_counts(tx), log_summary(tx)
        expected = studied + min(new, s.new_per_day * days_left)
        k = self._stretch_for(expected, log, s.study_minutes_per_day, days_left)
        self._stretch_cache = (key, k)
        return k

    @staticmethod
    def _stretch_for(cards: int, log: LogSummary, minutes: int, days_left: int) -> int:
        """K for `cards` studied by the exam (those studied now and the new ones the daily
        limit lets in before it) at the learner's review pace."""
        k = final_stretch_days(cards, answer_times(log).review_seconds, minutes)
        return max(1, min(k, days_left))

    # -- the cards due after the exam --------------------------------------------------------

    def _late_cards(self, m: Moment, exam_day: int, k: int) -> list[tuple[int, float]]:
        """(card id, last review ts) of studied cards due after the exam, last seen before the
        stretch."""
        from quizapp.store.plan import card_rows

        stretch_start_ts = m.day_start + (exam_day - k - m.today) * DAY
        exam_ts = m.day_start + (exam_day - m.today) * DAY
        with self._store.read() as tx:
            rows = card_rows(tx)
        return [
            (int(r[0]), float(r[8]))
            for r in rows
            if r[4] != NEW
            and r[8] is not None
            and float(r[7]) >= exam_ts
            and float(r[8]) < stretch_start_ts
        ]

    def after_exam(self) -> AfterExam | None:
        """The warning: None without an exam ahead."""
        m = self._time.moment()
        k = self.stretch_days(m.today)
        exam = self._settings.current().exam_date
        if k is None or exam is None:
            return None
        late = self._late_cards(m, exam.toordinal(), k)
        return AfterExam(exam, len(late), date.fromordinal(exam.toordinal() - k))

    def pull_in(self) -> int:
        """Move the cards `after_exam` counts into the final stretch (each to its target day,
        today at the earliest); the number moved."""
        m = self._time.moment()
        k = self.stretch_days(m.today)
        exam = self._settings.current().exam_date
        if k is None or exam is None:
            return 0
        exam_day = exam.toordinal()
        late = self._late_cards(m, exam_day, k)
        if not late:
            return 0
        from quizapp.store.plan import set_due

        days_left = max(1, exam_day - m.today)
        moves = []
        for card_id, _last in late:
            target = exam_target_day(card_id, exam_day, k)
            if target < m.today:
                target = m.today + card_id % days_left
            moves.append((card_id, m.day_start + (target - m.today) * DAY))
        with self._store.write() as tx:
            return set_due(tx, moves, exam_from=m.day_start + (exam_day - m.today) * DAY)

    # -- the plan ----------------------------------------------------------------------------

    def plan(
        self,
        exam_date: date | None = None,
        minutes: int | None = None,
        *,
        progress: Progress | None = None,
        seed: int = 0,
    ) -> ExamPlan:
        """Simulate until `exam_date` (default: the settings') at `minutes` a day (default:
        the settings' study_minutes_per_day). NoExamDate without a date; QuizappError for a
        date not after today or minutes out of 1..1440."""
        import numpy as np

        from quizapp.scheduling.simulate import SimSettings, simulate
        from quizapp.store.plan import card_rows, log_summary, version

        s = self._settings.current()
        exam = exam_date or s.exam_date
        if exam is None:
            raise NoExamDate("no exam date: set one in the settings or pass --exam-date YYYY-MM-DD")
        budget = s.study_minutes_per_day if minutes is None else minutes
        if not 1 <= budget <= 1440:
            raise QuizappError(f"minutes per day must be 1..1440, not {budget}")
        m = self._time.moment()
        exam_day = exam.toordinal()
        if exam_day <= m.today:
            raise QuizappError(f"exam date {exam.isoformat()} is not after today")
        with self._store.read() as tx:
            key = (m.today, exam, budget, seed, s, self._settings.policy, version(tx))
            if self._plan_cache is not None and self._plan_cache[0] == key:
                if progress is not None:
                    progress(1.0)
                return self._plan_cache[1]
            rows = card_rows(tx)
            log = log_summary(tx)
        times, ratings = answer_times(log), rating_mix(log)
        cards, topics, domains = _arrays(rows, m)
        studied_now = int(cards.studied.sum())
        days = exam_day - m.today
        new_now = len(cards) - studied_now
        expected = studied_now + min(new_now, s.new_per_day * days)
        k = self._stretch_for(expected, log, budget, days)
        policy = self._settings.policy

        def settings_for(mins: int) -> SimSettings:
            return SimSettings(
                desired_retention=policy.desired_retention,
                parameters=tuple(policy.parameters),
                new_per_day=s.new_per_day,
                reviews_per_day=s.reviews_per_day,
                maximum_interval=s.maximum_interval_days,
                learning_steps=len(s.learning_steps_min),
                relearning_steps=len(s.relearning_steps_min),
                minutes_per_day=float(mins),
                exam_day=exam_day,
                stretch_days=self._stretch_for(expected, log, mins, days),
                fuzz=s.fuzz,
            )

        runs = [budget, budget + MORE_OR_LESS_MINUTES, max(1, budget - MORE_OR_LESS_MINUTES)]
        results = []
        for i, mins in enumerate(runs):

            def step(done: int, total: int, i: int = i) -> None:
                if progress is not None:
                    progress((i + done / total) / len(runs))

            results.append(
                simulate(
                    cards,
                    m.today,
                    days,
                    settings_for(mins),
                    times,
                    ratings,
                    seed=seed,
                    recall_days=(exam_day,),
                    progress=step,
                )
            )
        main = results[0]
        recall = np.nan_to_num(main.recall[exam_day], nan=0.0)
        late = self._late_cards(m, exam_day, k)

        def mean(r: NDArray[np.float64]) -> float:
            return round(float(r.mean()), 4) if r.size else 0.0

        def by_group(names: list[str], codes: NDArray[np.int64]) -> dict[str, float]:
            sums = np.bincount(codes, weights=recall, minlength=len(names))
            counts = np.bincount(codes, minlength=len(names))
            return {
                name: round(float(sums[j] / counts[j]), 4)
                for j, name in enumerate(names)
                if counts[j] > 0
            }

        by_topic = dict(sorted(by_group(topics[0], topics[1]).items()))
        all_domains = by_group(domains[0], domains[1])
        from quizapp.bank.profiles import app_profiles

        order = [d for d, _ in app_profiles().default.domain_weights]
        start = date.fromordinal(m.today)
        plan = ExamPlan(
            exam_date=exam,
            minutes_per_day=budget,
            predicted_recall=mean(recall),
            by_topic=by_topic,
            by_domain={d: all_domains[d] for d in order if d in all_domains},
            daily=tuple(
                PlanDay(
                    start + timedelta(days=i),
                    int(main.reviews[i]),
                    int(main.new[i]),
                    round(float(main.minutes[i]), 1),
                )
                for i in range(days)
            ),
            fits_budget=bool(main.backlog.sum() == 0 and main.new_cut.sum() == 0),
            reviews_behind=int(main.backlog.max(initial=0)),
            new_held_back=int(main.new_cut.sum()),
            recall_if_more=mean(np.nan_to_num(results[1].recall[exam_day], nan=0.0)),
            recall_if_less=mean(np.nan_to_num(results[2].recall[exam_day], nan=0.0)),
            cards=len(cards),
            studied_by_exam=int(np.isfinite(main.recall[exam_day]).sum()),
            new_left=main.new_left,
            stretch_days=k,
            after_exam=len(late),
            review_seconds=round(times.review_seconds, 2),
            new_seconds=round(times.new_seconds, 2),
        )
        self._plan_cache = (key, plan)
        return plan


def _arrays(
    rows: list[tuple[object, ...]], m: Moment
) -> tuple[CardArrays, tuple[list[str], NDArray[np.int64]], tuple[list[str], NDArray[np.int64]]]:
    """The simulator's arrays from the store rows (days counted from today's start), and
    topic and domain codes."""
    import numpy as np

    from quizapp.scheduling.simulate import CardArrays

    n = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    state = np.fromiter((r[4] for r in rows), dtype=np.int64, count=n)
    stab = np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=np.float64)
    diff = np.array([np.nan if r[6] is None else r[6] for r in rows], dtype=np.float64)
    due = np.fromiter((r[7] for r in rows), dtype=np.float64, count=n)
    last = np.array([np.nan if r[8] is None else r[8] for r in rows], dtype=np.float64)
    position = np.fromiter((r[3] for r in rows), dtype=np.float64, count=n)
    studied = (state != NEW) & np.isfinite(stab) & np.isfinite(diff) & np.isfinite(last)

    def day(ts: NDArray[np.float64]) -> NDArray[np.int64]:
        out = m.today + np.floor((np.nan_to_num(ts, nan=m.day_start) - m.day_start) / DAY)
        return out.astype(np.int64)

    cards = CardArrays(
        card_id=ids,
        studied=studied,
        stability=np.where(studied, stab, 1.0),
        difficulty=np.where(studied, diff, 5.0),
        due_day=np.where(studied, day(due), 0),
        last_day=np.where(studied, day(last), 0),
        order=position,
    )

    def codes(col: int) -> tuple[list[str], NDArray[np.int64]]:
        names = sorted({str(r[col]) for r in rows})
        index = {name: j for j, name in enumerate(names)}
        return names, np.fromiter((index[str(r[col])] for r in rows), dtype=np.int64, count=n)

    return cards, codes(1), codes(2)
