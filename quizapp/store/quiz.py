"""Quiz attempts and their answers (ORM): create an attempt, save each answer as it is
given, finish it. The quiz screens come later; this is the core they will call."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from quizapp.api import QuizAnswer
from quizapp.errors import QuizappError
from quizapp.store.models import QuizAnswerRow, QuizAttempt

MODES = ("practice", "exam")


def start_attempt(
    session: Session,
    *,
    mode: str,
    profile: str,
    question_count: int,
    time_limit_s: float | None,
    now: float,
) -> int:
    if mode not in MODES:
        raise QuizappError(f"quiz mode must be one of {', '.join(MODES)}, not {mode!r}")
    attempt = QuizAttempt(
        mode=mode,
        profile=profile,
        started_at=now,
        time_limit_s=time_limit_s,
        remaining_s=time_limit_s,
        question_count=question_count,
    )
    session.add(attempt)
    session.flush()
    return attempt.id


def _attempt(session: Session, attempt_id: int) -> QuizAttempt:
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None:
        raise QuizappError(f"no quiz attempt {attempt_id}")
    return attempt


def save_answer(
    session: Session, attempt_id: int, answer: QuizAnswer, *, now: float, day: int
) -> None:
    """Insert or replace the answer at `answer.position` of the attempt."""
    _attempt(session, attempt_id)
    row = session.get(QuizAnswerRow, (attempt_id, answer.position))
    if row is None:
        row = QuizAnswerRow(attempt_id=attempt_id, position=answer.position)
        session.add(row)
    answered = answer.correct is not None
    row.item_id = answer.item_id
    row.topic = answer.topic
    row.domain = answer.domain
    row.chosen = json.dumps(list(answer.chosen)) if answer.chosen else None
    row.typed = answer.typed
    row.correct = answer.correct
    row.flagged = answer.flagged
    row.answered_at = now if answered else None
    row.study_day = day if answered else None


def finish_attempt(
    session: Session, attempt_id: int, *, score: float, remaining_s: float | None, now: float
) -> None:
    attempt = _attempt(session, attempt_id)
    attempt.finished_at = now
    attempt.score = score
    attempt.remaining_s = remaining_s
