"""The SQL side of the statistics: aggregates, and the per-card arrays NumPy needs, never a
Python loop over review rows. `quizapp.stats` turns these into `StudyStats`. Every count is
the transaction's learner's alone (each statement names it: `mine`).

The one unavoidable per-row read is the (stability, last review) of every studied card, for
the forgetting curve. It is fetched group by group, (topic, domain) from the cards index, so
no string is read per card and no column the curve does not need.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import ColumnElement, Integer, bindparam, case, false, func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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
from quizapp.stats.model import CardCounts
from quizapp.store.tables import CARDS, DAYS, LOG, MEM, PRACTICE, mine
from quizapp.store.tables import QUIZ_ANSWERS as ANSWERS
from quizapp.store.tables import QUIZ_ATTEMPTS as ATTEMPTS
from quizapp.store.transaction import Tx

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


QUEUE_COUNTS = select(MEM.c.queue, func.count()).where(mine(MEM)).group_by(MEM.c.queue)
BURIED_STATES = (
    select(MEM.c.state, func.count())
    .where(mine(MEM), MEM.c.queue == Q_BURIED)
    .group_by(MEM.c.state)
)
GROUPS = (
    select(CARDS.c.topic, CARDS.c.domain, func.count())
    .where(mine(CARDS), CARDS.c.retired == false())
    .group_by(CARDS.c.topic, CARDS.c.domain)
    .order_by(CARDS.c.topic, CARDS.c.domain)
)
STUDIED_IN_GROUP = (
    select(MEM.c.stability, MEM.c.last_review)
    .select_from(CARDS.join(MEM, MEM.c.card_id == CARDS.c.id))
    .where(
        mine(CARDS),
        mine(MEM),
        CARDS.c.topic == bindparam("topic"),
        CARDS.c.domain == bindparam("domain"),
        CARDS.c.retired == false(),
        MEM.c.state != NEW,
    )
)
REVIEWS_TOTAL = select(func.count()).select_from(LOG).where(mine(LOG))
REVIEWS_ON_DAY = (
    select(func.count()).select_from(LOG).where(mine(LOG), LOG.c.study_day == bindparam("day"))
)
DUE_BEFORE = (
    select(func.count())
    .select_from(MEM)
    .where(mine(MEM), MEM.c.queue.between(Q_LEARN, Q_REVIEW), MEM.c.due < bindparam("end"))
)
RETENTION = select(func.count(), func.sum(case((LOG.c.grade > 1, 1), else_=0))).where(
    mine(LOG), LOG.c.study_day > bindparam("since"), LOG.c.state_before == REVIEW
)


class whole(FunctionElement[int]):  # lower case: it reads like func.*
    """A number truncated toward zero to an integer: SQLite's CAST does that, but
    PostgreSQL's rounds (0.6 days would count as 1), so there it truncates first."""

    type = Integer()
    inherit_cache = True


@compiles(whole)
def _whole(element: whole, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


@compiles(whole, "postgresql")
def _whole_postgresql(element: whole, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(trunc({compiler.process(element.clauses, **kw)}) AS INTEGER)"


_DAY_OFFSET = whole((MEM.c.due - bindparam("start")) / DAY).label("d")
FORECAST = (
    select(_DAY_OFFSET, func.count())
    .where(mine(MEM), MEM.c.queue.between(Q_LEARN, Q_REVIEW), MEM.c.due < bindparam("end"))
    .group_by(_DAY_OFFSET)
)


def _weight(col_time: ColumnElement[Any]) -> ColumnElement[Any]:
    return 1.0 / (1.0 + (bindparam("now") - col_time) / (HALF_WEIGHT_DAYS * DAY))


QUIZ_EVIDENCE = (
    select(
        ANSWERS.c.topic,
        ANSWERS.c.domain,
        func.sum(case((ANSWERS.c.correct, _weight(ANSWERS.c.answered_at)), else_=0.0)),
        func.sum(_weight(ANSWERS.c.answered_at)),
    )
    .where(mine(ANSWERS), ANSWERS.c.correct.is_not(None), ANSWERS.c.answered_at.is_not(None))
    .group_by(ANSWERS.c.topic, ANSWERS.c.domain)
)
PRACTICE_EVIDENCE = (
    select(
        PRACTICE.c.family,
        func.sum(case((PRACTICE.c.correct, _weight(PRACTICE.c.attempted_at)), else_=0.0)),
        func.sum(_weight(PRACTICE.c.attempted_at)),
    )
    .where(mine(PRACTICE))
    .group_by(PRACTICE.c.family)
)
QUIZ_ATTEMPTS = select(func.count()).select_from(ATTEMPTS).where(mine(ATTEMPTS))
PRACTICE_ATTEMPTS = select(func.count()).select_from(PRACTICE).where(mine(PRACTICE))

# CAST: PostgreSQL types the recursive column from the first SELECT (a small bound int
# would be smallint, and `day - 1` integer); :q_learner is what `mine` binds
_STREAK = text(
    """
    WITH RECURSIVE streak(day) AS (
        SELECT CAST(:start AS INTEGER) WHERE EXISTS (
            SELECT 1 FROM daily_counts
            WHERE learner = :q_learner AND study_day = :start AND answers > 0
        )
            OR EXISTS (
                SELECT 1 FROM practice_attempts WHERE learner = :q_learner AND study_day = :start
            )
            OR EXISTS (
                SELECT 1 FROM quiz_answers WHERE learner = :q_learner AND study_day = :start
            )
        UNION ALL
        SELECT day - 1 FROM streak
        WHERE EXISTS (
            SELECT 1 FROM daily_counts
            WHERE learner = :q_learner AND study_day = day - 1 AND answers > 0
        )
            OR EXISTS (
                SELECT 1 FROM practice_attempts
                WHERE learner = :q_learner AND study_day = day - 1
            )
            OR EXISTS (
                SELECT 1 FROM quiz_answers WHERE learner = :q_learner AND study_day = day - 1
            )
    )
    SELECT count(*) FROM streak
    """
)


def streak_days(tx: Tx, today: int) -> int:
    """Consecutive study days with any review, practice or quiz answer, ending today (or
    yesterday, while today has nothing yet: the streak is not broken before the day ends)."""
    n = tx.scalar(_STREAK, {"start": today})
    if n == 0:
        n = tx.scalar(_STREAK, {"start": today - 1})
    return int(n)


def card_counts(tx: Tx) -> CardCounts:
    """Cards by state from the queue index; buried cards count in their state."""
    queues = dict(tx.all(QUEUE_COUNTS))
    buried = dict(tx.all(BURIED_STATES))
    return CardCounts(
        new=int(queues.get(Q_NEW, 0) + buried.get(NEW, 0)),
        learning=int(queues.get(Q_LEARN, 0) + buried.get(LEARNING, 0) + buried.get(RELEARNING, 0)),
        review=int(queues.get(Q_REVIEW, 0) + buried.get(REVIEW, 0)),
        suspended=int(queues.get(Q_SUSPENDED, 0)),
    )


def _pairs(rows: list[tuple[float, float]]) -> NDArray[np.float64]:
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=2 * len(rows))
    return flat.reshape(-1, 2)


def _evidence(rows: list[tuple[Any, ...]], with_domain: bool) -> Evidence:
    keys = tuple((r[0], r[1] if with_domain else "") for r in rows)
    values = [r[2:] if with_domain else r[1:] for r in rows]
    return Evidence(
        groups=keys,
        right=np.array([v[0] or 0.0 for v in values], dtype=np.float64),
        weight=np.array([v[1] or 0.0 for v in values], dtype=np.float64),
    )


def collect(tx: Tx, *, now: float, today: int, day_start: float, day_end: float) -> RawStats:
    """Everything `quizapp stats` needs, in a handful of indexed queries."""
    groups = tx.all(GROUPS)
    studied = [tx.all(STUDIED_IN_GROUP, {"topic": t, "domain": d}) for t, d, _n in groups]
    arrays = [_pairs(rows) for rows in studied]
    memory = np.concatenate(arrays) if arrays else np.empty((0, 2))
    studied_group = np.repeat(
        np.arange(len(groups), dtype=np.int64), [len(rows) for rows in studied]
    )

    forecast = np.zeros(FORECAST_DAYS, dtype=np.int64)
    rows = tx.all(FORECAST, {"start": day_start, "end": day_start + FORECAST_DAYS * DAY})
    if rows:
        days = np.clip(np.array([r[0] for r in rows], dtype=np.int64), 0, FORECAST_DAYS - 1)
        np.add.at(forecast, days, np.array([r[1] for r in rows], dtype=np.int64))

    answers, recalled = tx.first(RETENTION, {"since": today - 30}) or (0, 0)
    return RawStats(
        cards=card_counts(tx),
        reviews_total=int(tx.scalar(REVIEWS_TOTAL)),
        reviews_today=int(tx.scalar(REVIEWS_ON_DAY, {"day": today})),
        due_today=int(tx.scalar(DUE_BEFORE, {"end": day_end})),
        streak_days=streak_days(tx, today),
        retention_answers=int(answers or 0),
        retention_recalled=int(recalled or 0),
        groups=tuple((t, d) for t, d, _n in groups),
        group_cards=np.array([n for _t, _d, n in groups], dtype=np.int64),
        studied_group=studied_group,
        studied_stability=memory[:, 0],
        studied_last_review=memory[:, 1],
        forecast=forecast,
        quiz=_evidence(tx.all(QUIZ_EVIDENCE, {"now": now}), with_domain=True),
        practice=_evidence(tx.all(PRACTICE_EVIDENCE, {"now": now}), with_domain=False),
        quiz_attempts=int(tx.scalar(QUIZ_ATTEMPTS)),
        practice_attempts=int(tx.scalar(PRACTICE_ATTEMPTS)),
    )


# --- history: per-day series for the stats screen -------------------------------------------

DAYS_TABLE = DAYS
CALENDAR_DAYS = 365

_IN_WINDOW = LOG.c.study_day.between(bindparam("first"), bindparam("last"))
# covered by ix_review_log_learner_study_day_state_before: no table row is read
ANSWERS_BY_DAY = (
    select(LOG.c.study_day, LOG.c.state_before, func.count())
    .where(mine(LOG), _IN_WINDOW)
    .group_by(LOG.c.study_day, LOG.c.state_before)
)
_ELAPSED = whole(
    (LOG.c.reviewed_at - func.coalesce(LOG.c.last_review_before, LOG.c.reviewed_at)) / DAY
)
# whole days since the previous review, floored, >= 0 (as fsrs); SQLite's max(0, x) as CASE,
# which PostgreSQL also runs
_ELAPSED_DAYS = case((_ELAPSED < 0, 0), else_=_ELAPSED)
_RECALLED = case((LOG.c.grade > 1, 1), else_=0)
_REVIEW_IN_WINDOW = (mine(LOG), _IN_WINDOW, LOG.c.state_before == REVIEW)
# true and predicted retention per day; needs SQLite's math functions (pow)
RETENTION_BY_DAY = (
    select(
        LOG.c.study_day,
        func.count(),
        func.sum(_RECALLED),
        func.sum(
            func.pow(
                1.0 + bindparam("factor") * _ELAPSED_DAYS / LOG.c.stability_before,
                bindparam("neg_decay"),
            )
        ),
    )
    .where(*_REVIEW_IN_WINDOW)
    .group_by(LOG.c.study_day)
)
# the same inputs row by row, for a SQLite built without math functions
RETENTION_ROWS = select(LOG.c.study_day, _RECALLED, _ELAPSED_DAYS, LOG.c.stability_before).where(
    *_REVIEW_IN_WINDOW
)
PRACTICE_BY_DAY = (
    select(
        PRACTICE.c.study_day,
        func.count(),
        func.sum(case((PRACTICE.c.card_id.is_(None), 1), else_=0)),
    )
    .where(mine(PRACTICE), PRACTICE.c.study_day.between(bindparam("first"), bindparam("last")))
    .group_by(PRACTICE.c.study_day)
)
QUIZ_BY_DAY = (
    select(ANSWERS.c.study_day, func.count())
    .where(mine(ANSWERS), ANSWERS.c.study_day.between(bindparam("first"), bindparam("last")))
    .group_by(ANSWERS.c.study_day)
)
CARD_ANSWERS_BY_DAY = select(DAYS_TABLE.c.study_day, DAYS_TABLE.c.answers).where(
    mine(DAYS_TABLE), DAYS_TABLE.c.study_day.between(bindparam("first"), bindparam("last"))
)
_RIGHT_IN_ATTEMPT = (
    select(func.count())
    .where(mine(ANSWERS), ANSWERS.c.attempt_id == ATTEMPTS.c.id, ANSWERS.c.correct.is_(True))
    .correlate(ATTEMPTS)
    .scalar_subquery()
)
SCORES_SINCE = (
    select(
        ATTEMPTS.c.id,
        ATTEMPTS.c.finished_at,
        ATTEMPTS.c.mode,
        ATTEMPTS.c.profile,
        ATTEMPTS.c.score,
        _RIGHT_IN_ATTEMPT,
        ATTEMPTS.c.question_count,
    )
    .where(mine(ATTEMPTS), ATTEMPTS.c.finished_at >= bindparam("since"))
    .order_by(ATTEMPTS.c.finished_at, ATTEMPTS.c.id)
)
POW_PROBE = select(func.pow(2.0, 0.5))


@dataclass(frozen=True, slots=True)
class RawHistory:
    first: int  # study day of index 0 of the series
    today: int
    calendar_first: int  # study day of index 0 of the calendar
    answers: NDArray[np.int64]  # [state_before, day]: card answers per FSRS state before
    review_recalled: NDArray[np.int64]
    review_predicted: NDArray[np.float64]
    practice: NDArray[np.int64]  # every practice attempt
    quiz: NDArray[np.int64]  # quiz and exam answers
    calendar: NDArray[np.int64]  # card answers + practice without a card + quiz answers
    streak_days: int
    scores: list[tuple[Any, ...]]  # SCORES_SINCE rows


_math_functions: bool | None = None  # whether this SQLite has pow(): probed once


def use_math_functions(value: bool | None) -> bool | None:
    """Force the SQL (True) or the NumPy (False) path for predicted recall, or None to probe
    again; returns the previous setting (for tests and the benchmark)."""
    global _math_functions
    previous, _math_functions = _math_functions, value
    return previous


def has_math_functions(tx: Tx) -> bool:
    """Whether the database offers pow() (SQLite needs SQLITE_ENABLE_MATH_FUNCTIONS)."""
    global _math_functions
    if _math_functions is None:
        try:
            _math_functions = tx.scalar(POW_PROBE) is not None
        except Exception:  # "no such function: pow"; the transaction stays usable
            _math_functions = False
    return _math_functions


def _per_day(
    rows: list[tuple[Any, ...]],
    first: int,
    n: int,
    column: int = 1,
    dtype: type[np.int64] | type[np.float64] = np.int64,
) -> NDArray[Any]:
    """Scatter (day, value...) aggregate rows into a dense array of `n` days from `first`."""
    out = np.zeros(n, dtype=dtype)
    if rows:
        days = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)) - first
        values = np.fromiter((r[column] or 0 for r in rows), dtype=dtype, count=len(rows))
        keep = (days >= 0) & (days < n)
        np.add.at(out, days[keep], values[keep])
    return out


def _retention(
    tx: Tx, first: int, today: int, decay: float
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Per day: review-state answers not graded Again, and their summed predicted recall
    (on the forgetting curve with `decay`, the parameters in use)."""
    from quizapp.scheduling.forgetting import curve_factor

    n = today - first + 1
    window = {"first": first, "last": today}
    if has_math_functions(tx):
        params = {**window, "factor": curve_factor(decay), "neg_decay": -decay}
        rows = tx.all(RETENTION_BY_DAY, params)
        recalled = _per_day(rows, first, n, column=2)
        predicted = _per_day(rows, first, n, column=3, dtype=np.float64)
        return recalled, predicted
    from quizapp.scheduling.forgetting import retrievability

    rows = tx.all(RETENTION_ROWS, window)
    table = np.array(rows, dtype=np.float64).reshape(-1, 4)
    days = table[:, 0].astype(np.int64) - first
    recall = retrievability(table[:, 3], table[:, 2], decay)
    recalled = np.bincount(days, weights=table[:, 1], minlength=n).astype(np.int64)
    predicted = np.bincount(days, weights=recall, minlength=n)
    # bincount with float weights returns float64; numpy's stub says intp
    return recalled, predicted  # type: ignore[return-value]


def collect_history(
    tx: Tx, *, first: int, today: int, calendar_first: int, since: float, decay: float | None = None
) -> RawHistory:
    """The per-day series from `first` to `today`, the calendar from `calendar_first`, and
    the attempts finished since epoch second `since`: GROUP BY queries on indexed days."""
    n = today - first + 1
    window = {"first": first, "last": today}
    by_state = tx.all(ANSWERS_BY_DAY, window)
    answers = np.zeros((4, n), dtype=np.int64)
    if by_state:
        table = np.array(by_state, dtype=np.int64).reshape(-1, 3)
        np.add.at(answers, (table[:, 1], table[:, 0] - first), table[:, 2])
    from quizapp.scheduling.review import DECAY

    recalled, predicted = _retention(tx, first, today, DECAY if decay is None else decay)

    n_cal = today - calendar_first + 1
    cal_window = {"first": calendar_first, "last": today}
    practice_rows = tx.all(PRACTICE_BY_DAY, cal_window)
    quiz = _per_day(tx.all(QUIZ_BY_DAY, cal_window), calendar_first, n_cal)
    calendar = (
        _per_day(tx.all(CARD_ANSWERS_BY_DAY, cal_window), calendar_first, n_cal)
        + _per_day(practice_rows, calendar_first, n_cal, column=2)  # practice without a card
        + quiz
    )
    return RawHistory(
        first=first,
        today=today,
        calendar_first=calendar_first,
        answers=answers,
        review_recalled=recalled,
        review_predicted=predicted,
        practice=_per_day(practice_rows, calendar_first, n_cal)[-n:],
        quiz=quiz[-n:],
        calendar=calendar,
        streak_days=streak_days(tx, today),
        scores=tx.all(SCORES_SINCE, {"since": since}),
    )
