"""The named misconceptions in the learner's record: practice attempts (skill cards among
them, with card_id set) and wrong quiz answers, tallied per name, source and practice family."""

from __future__ import annotations

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    bindparam,
    case,
    func,
    literal_column,
    select,
)

from quizapp.mistakes.model import MistakeCount
from quizapp.store.tables import PRACTICE, mine
from quizapp.store.tables import QUIZ_ANSWERS as ANSWERS
from quizapp.store.transaction import Tx


def _window(day_column: ColumnElement[int]) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Counts in the recent window (study day after `recent_after`) and the window before
    (after `before_after`, up to `recent_after`)."""
    recent_after: BindParameter[int] = bindparam("recent_after", type_=Integer())
    recent = func.sum(case((day_column > recent_after, 1), else_=0))
    before = func.sum(
        case(
            (
                (day_column <= recent_after)
                & (day_column > bindparam("before_after", type_=Integer())),
                1,
            ),
            else_=0,
        )
    )
    return recent, before


# the names written into the SQL, not bound: SELECT and GROUP BY hold the very same CASE
_SOURCE = case(
    (PRACTICE.c.card_id.is_(None), literal_column("'practice'")), else_=literal_column("'card'")
)
PRACTICE_MISTAKES = (
    select(
        PRACTICE.c.misconception,
        _SOURCE,
        PRACTICE.c.family,
        func.count(),
        func.max(PRACTICE.c.attempted_at),
        *_window(PRACTICE.c.study_day),
    )
    .where(mine(PRACTICE), PRACTICE.c.misconception.is_not(None), PRACTICE.c.correct.is_(False))
    .group_by(PRACTICE.c.misconception, _SOURCE, PRACTICE.c.family)
)
QUIZ_MISTAKES = (
    select(
        ANSWERS.c.misconception,
        func.count(),
        func.max(ANSWERS.c.answered_at),
        *_window(ANSWERS.c.study_day),
    )
    .where(mine(ANSWERS), ANSWERS.c.misconception.is_not(None), ANSWERS.c.correct.is_(False))
    .group_by(ANSWERS.c.misconception)
)


def mistake_counts(tx: Tx, *, today: int, window: int) -> list[MistakeCount]:
    """Per (misconception, source, family): count, latest time, and the counts in the last
    `window` study days (today included) and the `window` days before."""
    days = {"recent_after": today - window, "before_after": today - 2 * window}
    out = [
        MistakeCount(str(n), str(s), f, int(c), float(at), int(r or 0), int(b or 0))
        for n, s, f, c, at, r, b in tx.all(PRACTICE_MISTAKES, days)
    ]
    out += [
        MistakeCount(str(n), "quiz", None, int(c), float(at or 0.0), int(r or 0), int(b or 0))
        for n, c, at, r, b in tx.all(QUIZ_MISTAKES, days)
    ]
    return out
