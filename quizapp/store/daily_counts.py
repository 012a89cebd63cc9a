"""Answers per study day (`daily_counts`), kept with each answer: what the daily limits
and the streak read without scanning the review log."""

from __future__ import annotations

from sqlalchemy import bindparam, case, delete, func, insert, select, update

from quizapp.scheduling.memory import NEW, REVIEW
from quizapp.store.tables import DAYS, LOG, me, mine
from quizapp.store.transaction import Tx

_MY_DAY = (mine(DAYS), DAYS.c.study_day == bindparam("day"))  # the primary key
DONE_TODAY = select(DAYS.c.new_done, DAYS.c.reviews_done).where(*_MY_DAY)
COUNT_DAY = (
    update(DAYS)
    .where(*_MY_DAY)
    .values(
        answers=DAYS.c.answers + bindparam("d_answers"),
        new_done=DAYS.c.new_done + bindparam("d_new"),
        reviews_done=DAYS.c.reviews_done + bindparam("d_reviews"),
    )
)
INSERT_DAY = insert(DAYS).values(
    learner=me(),
    study_day=bindparam("v_day"),
    answers=bindparam("v_answers"),
    new_done=bindparam("v_new"),
    reviews_done=bindparam("v_reviews"),
)


def done_today(tx: Tx, today: int) -> tuple[int, int]:
    """(new cards introduced, review-state cards answered) on study day `today`."""
    row = tx.first(DONE_TODAY, {"day": today})
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


# the learner's days only: other learners' counts stay as they are
_PER_DAY = (
    select(
        LOG.c.learner,
        LOG.c.study_day,
        func.count(),
        func.sum(case((LOG.c.state_before == NEW, 1), else_=0)),
        func.sum(case((LOG.c.state_before == REVIEW, 1), else_=0)),
    )
    .where(mine(LOG))
    .group_by(LOG.c.learner, LOG.c.study_day)
)
CLEAR_DAYS = delete(DAYS).where(mine(DAYS))
RECOUNT_DAYS = insert(DAYS).from_select(
    ["learner", "study_day", "answers", "new_done", "reviews_done"], _PER_DAY
)


def rebuild_daily_counts(tx: Tx) -> None:
    """Recount the learner's `daily_counts` from their review log (after rows were
    bulk-loaded around it)."""
    tx.run(CLEAR_DAYS)
    tx.run(RECOUNT_DAYS)


def count_answer(tx: Tx, day: int, state_before: int, delta: int) -> None:
    """Add (or, for an undo, remove) one answer to the day's counts."""
    new, review = int(state_before == NEW) * delta, int(state_before == REVIEW) * delta
    params = {"day": day, "d_answers": delta, "d_new": new, "d_reviews": review}
    if tx.run(COUNT_DAY, params) == 0 and delta > 0:
        tx.run(INSERT_DAY, {"v_day": day, "v_answers": 1, "v_new": new, "v_reviews": review})
