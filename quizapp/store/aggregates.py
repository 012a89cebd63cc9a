"""The SQL side of the statistics: aggregates, and the per-card arrays NumPy needs, never a
Python loop over review rows. `quizapp.stats` turns these into `StudyStats`.

The one unavoidable per-row read is the (stability, last review) of every studied card, for
the forgetting curve. It is fetched group by group, (topic, domain) from the cards index, so
no string is read per card and no column the curve does not need.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Integer, bindparam, case, cast, false, func, select, text

from quizapp.api import CardCounts
from quizapp.scheduling.memory import (
    LEARNING,
    NEW,
    Q_BURIED,
    Q_LEARN,
    Q_NEW,
    Q_REVIEW,
    Q_SUSPENDED,
    RELEARNING,
    REVIEW,
)
from quizapp.store.models import (
    Card,
    CardMemory,
    PracticeAttemptRow,
    QuizAnswerRow,
    QuizAttempt,
    ReviewLog,
)
from quizapp.store.runner import Runner

MEM = CardMemory.__table__
CARDS = Card.__table__
LOG = ReviewLog.__table__
PRACTICE = PracticeAttemptRow.__table__
ANSWERS = QuizAnswerRow.__table__
ATTEMPTS = QuizAttempt.__table__

HALF_WEIGHT_DAYS = 30.0  # an answer this old counts half in mastery (weight 1 / (1 + age/30d))
FORECAST_DAYS = 30
DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """Weighted right answers per group: group keys and (weighted right, weight) arrays."""

    groups: tuple[tuple[str, str], ...]  # (topic, domain) for quizzes, (family, "") practice
    right: NDArray[np.float64]
    weight: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RawStats:
    cards: CardCounts
    reviews_total: int
    reviews_today: int
    due_today: int
    streak_days: int
    retention_answers: int  # review-state answers in the last 30 days
    retention_recalled: int  # ... of which not graded Again
    groups: tuple[tuple[str, str], ...]  # (topic, domain) of the active cards
    group_cards: NDArray[np.int64]  # active (not retired) cards per group
    studied_group: NDArray[np.int64]  # per studied card: index into groups
    studied_stability: NDArray[np.float64]
    studied_last_review: NDArray[np.float64]
    forecast: NDArray[np.int64]  # FORECAST_DAYS due counts from today
    quiz: Evidence
    practice: Evidence
    quiz_attempts: int
    practice_attempts: int


QUEUE_COUNTS = select(MEM.c.queue, func.count()).group_by(MEM.c.queue)
BURIED_STATES = (
    select(MEM.c.state, func.count()).where(MEM.c.queue == Q_BURIED).group_by(MEM.c.state)
)
GROUPS = (
    select(CARDS.c.topic, CARDS.c.domain, func.count())
    .where(CARDS.c.retired == false())
    .group_by(CARDS.c.topic, CARDS.c.domain)
    .order_by(CARDS.c.topic, CARDS.c.domain)
)
STUDIED_IN_GROUP = (
    select(MEM.c.stability, MEM.c.last_review)
    .select_from(CARDS.join(MEM, MEM.c.card_id == CARDS.c.id))
    .where(
        CARDS.c.topic == bindparam("topic"),
        CARDS.c.domain == bindparam("domain"),
        CARDS.c.retired == false(),
        MEM.c.state != NEW,
    )
)
REVIEWS_TOTAL = select(func.count()).select_from(LOG)
REVIEWS_ON_DAY = select(func.count()).select_from(LOG).where(LOG.c.study_day == bindparam("day"))
DUE_BEFORE = (
    select(func.count())
    .select_from(MEM)
    .where(MEM.c.queue.between(Q_LEARN, Q_REVIEW), MEM.c.due < bindparam("end"))
)
RETENTION = select(func.count(), func.sum(case((LOG.c.grade > 1, 1), else_=0))).where(
    LOG.c.study_day > bindparam("since"), LOG.c.state_before == REVIEW
)
_DAY_OFFSET = cast((MEM.c.due - bindparam("start")) / DAY, Integer).label("d")
FORECAST = (
    select(_DAY_OFFSET, func.count())
    .where(MEM.c.queue.between(Q_LEARN, Q_REVIEW), MEM.c.due < bindparam("end"))
    .group_by(_DAY_OFFSET)
)


def _weight(col_time):  # type: ignore[no-untyped-def]
    return 1.0 / (1.0 + (bindparam("now") - col_time) / (HALF_WEIGHT_DAYS * DAY))


QUIZ_EVIDENCE = (
    select(
        ANSWERS.c.topic,
        ANSWERS.c.domain,
        func.sum(case((ANSWERS.c.correct, _weight(ANSWERS.c.answered_at)), else_=0.0)),
        func.sum(_weight(ANSWERS.c.answered_at)),
    )
    .where(ANSWERS.c.correct.is_not(None), ANSWERS.c.answered_at.is_not(None))
    .group_by(ANSWERS.c.topic, ANSWERS.c.domain)
)
PRACTICE_EVIDENCE = select(
    PRACTICE.c.family,
    func.sum(case((PRACTICE.c.correct, _weight(PRACTICE.c.attempted_at)), else_=0.0)),
    func.sum(_weight(PRACTICE.c.attempted_at)),
).group_by(PRACTICE.c.family)
QUIZ_ATTEMPTS = select(func.count()).select_from(ATTEMPTS)
PRACTICE_ATTEMPTS = select(func.count()).select_from(PRACTICE)

_STREAK = text(
    """
    WITH RECURSIVE streak(day) AS (
        SELECT :start WHERE EXISTS (
            SELECT 1 FROM daily_counts WHERE study_day = :start AND answers > 0
        )
            OR EXISTS (SELECT 1 FROM practice_attempts WHERE study_day = :start)
            OR EXISTS (SELECT 1 FROM quiz_answers WHERE study_day = :start)
        UNION ALL
        SELECT day - 1 FROM streak
        WHERE EXISTS (SELECT 1 FROM daily_counts WHERE study_day = day - 1 AND answers > 0)
            OR EXISTS (SELECT 1 FROM practice_attempts WHERE study_day = day - 1)
            OR EXISTS (SELECT 1 FROM quiz_answers WHERE study_day = day - 1)
    )
    SELECT count(*) FROM streak
    """
)


def streak_days(run: Runner, today: int) -> int:
    """Consecutive study days with any review, practice or quiz answer, ending today (or
    yesterday, while today has nothing yet: the streak is not broken before the day ends)."""
    n = run.scalar(_STREAK, {"start": today})
    if n == 0:
        n = run.scalar(_STREAK, {"start": today - 1})
    return int(n)


def card_counts(run: Runner) -> CardCounts:
    """Cards by state from the queue index; buried cards count in their state."""
    queues = dict(run.all(QUEUE_COUNTS))
    buried = dict(run.all(BURIED_STATES))
    return CardCounts(
        new=int(queues.get(Q_NEW, 0) + buried.get(NEW, 0)),
        learning=int(queues.get(Q_LEARN, 0) + buried.get(LEARNING, 0) + buried.get(RELEARNING, 0)),
        review=int(queues.get(Q_REVIEW, 0) + buried.get(REVIEW, 0)),
        suspended=int(queues.get(Q_SUSPENDED, 0)),
    )


def _pairs(rows: list[tuple[float, float]]) -> NDArray[np.float64]:
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=2 * len(rows))
    return flat.reshape(-1, 2)


def _evidence(rows: list[tuple], with_domain: bool) -> Evidence:
    keys = tuple((r[0], r[1] if with_domain else "") for r in rows)
    values = [r[2:] if with_domain else r[1:] for r in rows]
    return Evidence(
        groups=keys,
        right=np.array([v[0] or 0.0 for v in values], dtype=np.float64),
        weight=np.array([v[1] or 0.0 for v in values], dtype=np.float64),
    )


def collect(run: Runner, *, now: float, today: int, day_start: float, day_end: float) -> RawStats:
    """Everything `quizapp stats` needs, in a handful of indexed queries."""
    groups = run.all(GROUPS)
    studied = [run.all(STUDIED_IN_GROUP, {"topic": t, "domain": d}) for t, d, _n in groups]
    arrays = [_pairs(rows) for rows in studied]
    memory = np.concatenate(arrays) if arrays else np.empty((0, 2))
    studied_group = np.repeat(
        np.arange(len(groups), dtype=np.int64), [len(rows) for rows in studied]
    )

    forecast = np.zeros(FORECAST_DAYS, dtype=np.int64)
    rows = run.all(FORECAST, {"start": day_start, "end": day_start + FORECAST_DAYS * DAY})
    if rows:
        days = np.clip(np.array([r[0] for r in rows], dtype=np.int64), 0, FORECAST_DAYS - 1)
        np.add.at(forecast, days, np.array([r[1] for r in rows], dtype=np.int64))

    answers, recalled = run.first(RETENTION, {"since": today - 30}) or (0, 0)
    return RawStats(
        cards=card_counts(run),
        reviews_total=int(run.scalar(REVIEWS_TOTAL)),
        reviews_today=int(run.scalar(REVIEWS_ON_DAY, {"day": today})),
        due_today=int(run.scalar(DUE_BEFORE, {"end": day_end})),
        streak_days=streak_days(run, today),
        retention_answers=int(answers or 0),
        retention_recalled=int(recalled or 0),
        groups=tuple((t, d) for t, d, _n in groups),
        group_cards=np.array([n for _t, _d, n in groups], dtype=np.int64),
        studied_group=studied_group,
        studied_stability=memory[:, 0],
        studied_last_review=memory[:, 1],
        forecast=forecast,
        quiz=_evidence(run.all(QUIZ_EVIDENCE, {"now": now}), with_domain=True),
        practice=_evidence(run.all(PRACTICE_EVIDENCE, {"now": now}), with_domain=False),
        quiz_attempts=int(run.scalar(QUIZ_ATTEMPTS)),
        practice_attempts=int(run.scalar(PRACTICE_ATTEMPTS)),
    )
