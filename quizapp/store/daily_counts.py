"""Answers per study day (`daily_counts`), kept with each answer: what the daily limits
and the streak read without scanning the review log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import bindparam, case, delete, func, insert, select, update

from quizapp.scheduling.memory import NEW, REVIEW
from quizapp.store.runner import Runner
from quizapp.store.tables import DAYS, LOG

if TYPE_CHECKING:
    from sqlalchemy import Connection


DONE_TODAY = select(DAYS.c.new_done, DAYS.c.reviews_done).where(
    DAYS.c.study_day == bindparam("day")
)
COUNT_DAY = (
    update(DAYS)
    .where(DAYS.c.study_day == bindparam("day"))
    .values(
        answers=DAYS.c.answers + bindparam("d_answers"),
        new_done=DAYS.c.new_done + bindparam("d_new"),
        reviews_done=DAYS.c.reviews_done + bindparam("d_reviews"),
    )
)
INSERT_DAY = insert(DAYS).values(
    study_day=bindparam("v_day"),
    answers=bindparam("v_answers"),
    new_done=bindparam("v_new"),
    reviews_done=bindparam("v_reviews"),
)


def done_today(run: Runner, today: int) -> tuple[int, int]:
    """(new cards introduced, review-state cards answered) on study day `today`."""
    row = run.first(DONE_TODAY, {"day": today})
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


def rebuild_daily_counts(conn: Connection) -> None:
    """Recount `daily_counts` from the review log (after rows were bulk-loaded around it)."""
    per_day = select(
        LOG.c.study_day,
        func.count(),
        func.sum(case((LOG.c.state_before == NEW, 1), else_=0)),
        func.sum(case((LOG.c.state_before == REVIEW, 1), else_=0)),
    ).group_by(LOG.c.study_day)
    conn.execute(delete(DAYS))
    columns = ["study_day", "answers", "new_done", "reviews_done"]
    conn.execute(insert(DAYS).from_select(columns, per_day))


def count_answer(run: Runner, day: int, state_before: int, delta: int) -> None:
    """Add (or, for an undo, remove) one answer to the day's counts."""
    new, review = int(state_before == NEW) * delta, int(state_before == REVIEW) * delta
    params = {"day": day, "d_answers": delta, "d_new": new, "d_reviews": review}
    if run.run(COUNT_DAY, params) == 0 and delta > 0:
        run.insert(INSERT_DAY, {"v_day": day, "v_answers": 1, "v_new": new, "v_reviews": review})
