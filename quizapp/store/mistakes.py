"""The named misconceptions in the record: practice attempts (skill cards among them, with
card_id set) and wrong quiz answers, tallied per name, source and practice family."""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, func, literal, select

from quizapp.mistakes.model import MistakeCount
from quizapp.store.tables import PRACTICE
from quizapp.store.tables import QUIZ_ANSWERS as ANSWERS
from quizapp.store.transaction import Tx


def _window(
    day_column: ColumnElement[int], today: int, window: int
) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Counts in the last `window` study days (today included) and the `window` before."""
    recent = func.sum(case((day_column > today - window, 1), else_=0))
    before = func.sum(
        case(((day_column <= today - window) & (day_column > today - 2 * window), 1), else_=0)
    )
    return recent, before


def mistake_counts(tx: Tx, *, today: int, window: int) -> list[MistakeCount]:
    """Per (misconception, source, family): count, latest time, and the counts in the last
    `window` study days (today included) and the `window` days before."""
    source = case((PRACTICE.c.card_id.is_(None), literal("practice")), else_=literal("card"))
    recent, before = _window(PRACTICE.c.study_day, today, window)
    practice = (
        select(
            PRACTICE.c.misconception,
            source,
            PRACTICE.c.family,
            func.count(),
            func.max(PRACTICE.c.attempted_at),
            recent,
            before,
        )
        .where(PRACTICE.c.misconception.is_not(None), PRACTICE.c.correct.is_(False))
        .group_by(PRACTICE.c.misconception, source, PRACTICE.c.family)
    )
    q_recent, q_before = _window(ANSWERS.c.study_day, today, window)
    quiz = (
        select(
            ANSWERS.c.misconception,
            func.count(),
            func.max(ANSWERS.c.answered_at),
            q_recent,
            q_before,
        )
        .where(ANSWERS.c.misconception.is_not(None), ANSWERS.c.correct.is_(False))
        .group_by(ANSWERS.c.misconception)
    )
    out = [
        MistakeCount(str(n), str(s), f, int(c), float(at), int(r or 0), int(b or 0))
        for n, s, f, c, at, r, b in tx.all(practice)
    ]
    out += [
        MistakeCount(str(n), "quiz", None, int(c), float(at or 0.0), int(r or 0), int(b or 0))
        for n, c, at, r, b in tx.all(quiz)
    ]
    return out
