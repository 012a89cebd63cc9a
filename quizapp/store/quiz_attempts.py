"""Quiz attempts and their answers in the progress database.

`StoreRecorder` is the quiz core's `QuizRecorder` on the `quiz_attempts` / `quiz_answers`
tables: the attempt row keeps the plan JSON and the progress (question on screen, time used,
time left); each answer row is inserted or replaced at its position together with the
progress, in one commit. Every call opens its own session from the store's factories and
commits before it returns; the recorder holds no session, connection or thread-bound state,
so any thread may call it (e.g. a Textual thread worker).

This is the one write path for attempts: a `QuizSession` calls its recorder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.errors import QuizappError
from quizapp.quiz.record import AttemptHeader, Progress, QuizAnswer, StoredAttempt
from quizapp.store.database import Store
from quizapp.store.models import QuizAnswerRow, QuizAttempt

MODES = ("practice", "exam")
NO_PLAN = "{}"  # attempts made before plans were kept (schema 0003)


def start_attempt(
    session: Session,
    *,
    mode: str,
    profile: str,
    question_count: int,
    time_limit_s: float | None,
    now: float,
    plan_json: str = NO_PLAN,
) -> int:
    """Add the attempt (question 0, nothing elapsed, the whole time left); its id."""
    if mode not in MODES:
        raise QuizappError(f"quiz mode must be one of {', '.join(MODES)}, not {mode!r}")
    attempt = QuizAttempt(
        mode=mode,
        profile=profile,
        started_at=now,
        time_limit_s=time_limit_s,
        remaining_s=time_limit_s,
        question_count=question_count,
        plan=plan_json,
        current_position=0,
        elapsed_s=0.0,
    )
    session.add(attempt)
    session.flush()
    return attempt.id


def recent_of_item(session: Session, item_id: str, limit: int) -> list[tuple[float, bool, str]]:
    """(answered at, correct, mode) of the item's latest answered quiz questions."""
    rows = session.execute(
        select(QuizAnswerRow.answered_at, QuizAnswerRow.correct, QuizAttempt.mode)
        .join(QuizAttempt, QuizAnswerRow.attempt_id == QuizAttempt.id)
        .where(QuizAnswerRow.item_id == item_id, QuizAnswerRow.correct.is_not(None))
        .order_by(QuizAnswerRow.answered_at.desc())
        .limit(limit)
    ).all()
    # an answered question (correct set) has its answered_at
    return [(float(cast(float, at)), bool(correct), str(mode)) for at, correct, mode in rows]


def _attempt(session: Session, attempt_id: int) -> QuizAttempt:
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None:
        raise QuizappError(f"no quiz attempt {attempt_id}")
    return attempt


def _open_attempt(session: Session, attempt_id: int) -> QuizAttempt:
    attempt = _attempt(session, attempt_id)
    if attempt.finished_at is not None:
        raise QuizappError(f"quiz attempt {attempt_id} is finished: it cannot change")
    return attempt


def _put_answer(
    session: Session, attempt_id: int, answer: QuizAnswer, *, now: float, day: int
) -> None:
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


def _set_progress(attempt: QuizAttempt, progress: Progress) -> None:
    attempt.current_position = progress.current
    attempt.elapsed_s = progress.elapsed_s
    attempt.remaining_s = progress.remaining_s


# --- reading back ---------------------------------------------------------------------


def _utc(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _answer(row: QuizAnswerRow) -> QuizAnswer:
    return QuizAnswer(
        position=row.position,
        item_id=row.item_id,
        topic=row.topic,
        domain=row.domain,
        chosen=tuple(int(i) for i in json.loads(row.chosen)) if row.chosen else (),
        typed=row.typed,
        correct=row.correct,
        flagged=bool(row.flagged),
    )


_ANSWERED = (
    select(func.count())
    .where(QuizAnswerRow.attempt_id == QuizAttempt.id, QuizAnswerRow.correct.is_not(None))
    .correlate(QuizAttempt)
    .scalar_subquery()
)
_HEADER_COLUMNS = (
    QuizAttempt.id,
    QuizAttempt.mode,
    QuizAttempt.profile,
    QuizAttempt.question_count,
    QuizAttempt.started_at,
    QuizAttempt.finished_at,
    QuizAttempt.time_limit_s,
    QuizAttempt.remaining_s,
    QuizAttempt.score,
    _ANSWERED,
)


def _header(row: tuple[Any, ...]) -> AttemptHeader:
    attempt_id, mode, profile, count, started, finished, limit, remaining, score, answered = row
    started_at = _utc(started)
    assert started_at is not None
    return AttemptHeader(
        attempt_id=attempt_id,
        mode=mode,
        profile=profile,
        question_count=count,
        started_at=started_at,
        finished_at=_utc(finished),
        time_limit_s=limit,
        remaining_s=remaining,
        score=score,
        answered=int(answered),
    )


def list_attempts(session: Session, *, finished: bool) -> tuple[AttemptHeader, ...]:
    """Finished or unfinished attempts, newest (last started) first, without their plans."""
    done = QuizAttempt.finished_at.is_not(None) if finished else QuizAttempt.finished_at.is_(None)
    stmt = select(*_HEADER_COLUMNS).where(done).order_by(QuizAttempt.id.desc())
    return tuple(_header(tuple(r)) for r in session.execute(stmt))


def load_attempt(session: Session, attempt_id: int) -> StoredAttempt:
    """The attempt to resume or review; QuizappError if missing or saved without a plan."""
    attempt = _attempt(session, attempt_id)
    if attempt.plan == NO_PLAN:
        raise QuizappError(
            f"quiz attempt {attempt_id} was saved before quizapp kept quiz plans: "
            "it cannot be resumed or reviewed"
        )
    rows = session.scalars(
        select(QuizAnswerRow)
        .where(QuizAnswerRow.attempt_id == attempt_id)
        .order_by(QuizAnswerRow.position)
    ).all()
    answers = tuple(_answer(r) for r in rows)
    header = _header(
        (
            attempt.id,
            attempt.mode,
            attempt.profile,
            attempt.question_count,
            attempt.started_at,
            attempt.finished_at,
            attempt.time_limit_s,
            attempt.remaining_s,
            attempt.score,
            sum(a.correct is not None for a in answers),
        )
    )
    progress = Progress(attempt.current_position, attempt.elapsed_s, attempt.remaining_s)
    return StoredAttempt(header, attempt.plan, progress, answers)


# --- the recorder ---------------------------------------------------------------------


class StoreRecorder:
    """`quizapp.quiz.QuizRecorder` on the progress database (see the module docstring).

    `study_day` maps an answer's time to its study day (the Study's zone and rollover hour);
    answers carry it so the streak and the daily statistics count quiz answers.
    """

    def __init__(self, store: Store, study_day: Callable[[datetime], int]) -> None:
        self._store = store
        self._study_day = study_day

    def start_attempt(
        self,
        *,
        mode: str,
        profile: str,
        question_count: int,
        time_limit_s: float | None,
        plan_json: str,
        at: datetime,
    ) -> int:
        with self._store.write() as session:
            return start_attempt(
                session,
                mode=mode,
                profile=profile,
                question_count=question_count,
                time_limit_s=time_limit_s,
                now=at.timestamp(),
                plan_json=plan_json,
            )

    def save_answer(
        self, attempt_id: int, answer: QuizAnswer, progress: Progress, *, at: datetime
    ) -> None:
        day = self._study_day(at)
        with self._store.write() as session:
            attempt = _open_attempt(session, attempt_id)
            _put_answer(session, attempt_id, answer, now=at.timestamp(), day=day)
            _set_progress(attempt, progress)

    def save_progress(self, attempt_id: int, progress: Progress) -> None:
        with self._store.write() as session:
            _set_progress(_open_attempt(session, attempt_id), progress)

    def finish(self, attempt_id: int, score: int, progress: Progress, *, at: datetime) -> None:
        with self._store.write() as session:
            attempt = _open_attempt(session, attempt_id)
            _set_progress(attempt, progress)
            attempt.finished_at = at.timestamp()
            attempt.score = float(score)

    def load_attempt(self, attempt_id: int) -> StoredAttempt:
        with self._store.read() as session:
            return load_attempt(session, attempt_id)

    def unfinished_attempts(self) -> tuple[AttemptHeader, ...]:
        with self._store.read() as session:
            return list_attempts(session, finished=False)

    def finished_attempts(self) -> tuple[AttemptHeader, ...]:
        with self._store.read() as session:
            return list_attempts(session, finished=True)
