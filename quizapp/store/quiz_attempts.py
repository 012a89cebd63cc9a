"""Quiz attempts and their answers in the progress database.

`StoreRecorder` is the quiz core's `QuizRecorder` on the `quiz_attempts` / `quiz_answers`
tables: the attempt row keeps the plan JSON and the progress (question on screen, time used,
time left); each answer row is inserted or replaced at its position together with the
progress, in one commit. Every call opens its own transaction and commits before it returns;
the recorder holds no connection or thread-bound state, so any thread may call it.

This is the one write path for attempts: a `QuizSession` calls its recorder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, select, update

from quizapp.errors import QuizappError
from quizapp.quiz.record import AttemptHeader, Progress, QuizAnswer, StoredAttempt
from quizapp.quiz.sources import AnswerFact, QuizRecord
from quizapp.store.cards import QUESTION_CARD_KINDS, add_question_card, drop_fresh_question_card
from quizapp.store.database import Store
from quizapp.store.settings import load_settings
from quizapp.store.tables import QUIZ_ANSWERS as ANSWERS
from quizapp.store.tables import QUIZ_ATTEMPTS as ATTEMPTS
from quizapp.store.tables import me, mine
from quizapp.store.transaction import Tx

MODES = ("practice", "exam")
NO_PLAN = "{}"  # attempts made before plans were kept (schema 0003)

_BY_ID = and_(ATTEMPTS.c.id == bindparam("b_id"), mine(ATTEMPTS))
_AT = and_(
    ANSWERS.c.attempt_id == bindparam("b_id"),
    ANSWERS.c.position == bindparam("b_pos"),
    mine(ANSWERS),
)
ADD_ATTEMPT = insert(ATTEMPTS).values(
    {
        "learner": me(),
        **{
            name: bindparam(f"v_{name}")
            for name in (
                "mode", "profile", "started_at", "time_limit_s", "remaining_s",
                "question_count", "plan", "current_position", "elapsed_s", "saved_at",
            )
        },
    }
)  # fmt: skip
FINISHED_AT = select(ATTEMPTS.c.finished_at).where(_BY_ID)
SET_PROGRESS = (
    update(ATTEMPTS)
    .where(_BY_ID)
    .values(
        current_position=bindparam("v_current"),
        elapsed_s=bindparam("v_elapsed"),
        remaining_s=bindparam("v_remaining"),
        saved_at=bindparam("v_saved_at"),
    )
)
ADD_PAUSE = (
    update(ATTEMPTS)
    .where(_BY_ID)
    .values(
        pauses=ATTEMPTS.c.pauses + 1,
        paused_s=ATTEMPTS.c.paused_s + bindparam("v_paused_s"),
        saved_at=bindparam("v_saved_at"),
    )
)
FINISH = (
    update(ATTEMPTS)
    .where(_BY_ID)
    .values(finished_at=bindparam("v_finished_at"), score=bindparam("v_score"))
)
_ANSWER_FIELDS = (
    "item_id", "topic", "domain", "chosen", "typed", "correct", "flagged", "answered_at",
    "study_day", "misconception",
)  # fmt: skip
SET_ANSWER = update(ANSWERS).where(_AT).values({n: bindparam(f"v_{n}") for n in _ANSWER_FIELDS})
ADD_ANSWER = insert(ANSWERS).values(
    learner=me(),
    attempt_id=bindparam("b_id"),
    position=bindparam("b_pos"),
    **{n: bindparam(f"v_{n}") for n in _ANSWER_FIELDS},
)
RECENT_OF_ITEM = (
    select(ANSWERS.c.answered_at, ANSWERS.c.correct, ATTEMPTS.c.mode)
    .join_from(ANSWERS, ATTEMPTS, ANSWERS.c.attempt_id == ATTEMPTS.c.id)
    .where(
        ANSWERS.c.item_id == bindparam("item_id"),
        ANSWERS.c.correct.is_not(None),
        mine(ANSWERS),
        mine(ATTEMPTS),
    )
    .order_by(ANSWERS.c.answered_at.desc())
    .limit(bindparam("limit"))
)
_ANSWERED = (
    select(func.count())
    .where(ANSWERS.c.attempt_id == ATTEMPTS.c.id, ANSWERS.c.correct.is_not(None), mine(ANSWERS))
    .correlate(ATTEMPTS)
    .scalar_subquery()
)
_HEADER = select(
    ATTEMPTS.c.id,
    ATTEMPTS.c.mode,
    ATTEMPTS.c.profile,
    ATTEMPTS.c.question_count,
    ATTEMPTS.c.started_at,
    ATTEMPTS.c.finished_at,
    ATTEMPTS.c.time_limit_s,
    ATTEMPTS.c.remaining_s,
    ATTEMPTS.c.score,
    _ANSWERED,
    ATTEMPTS.c.pauses,
    ATTEMPTS.c.paused_s,
    ATTEMPTS.c.saved_at,
).where(mine(ATTEMPTS))
FINISHED = _HEADER.where(ATTEMPTS.c.finished_at.is_not(None)).order_by(ATTEMPTS.c.id.desc())
UNFINISHED = _HEADER.where(ATTEMPTS.c.finished_at.is_(None)).order_by(ATTEMPTS.c.id.desc())
ONE_HEADER = _HEADER.where(ATTEMPTS.c.id == bindparam("b_id"))
ATTEMPT_STATE = select(
    ATTEMPTS.c.plan, ATTEMPTS.c.current_position, ATTEMPTS.c.elapsed_s, ATTEMPTS.c.remaining_s
).where(_BY_ID)
ANSWERS_OF = (
    select(
        ANSWERS.c.position,
        ANSWERS.c.item_id,
        ANSWERS.c.topic,
        ANSWERS.c.domain,
        ANSWERS.c.chosen,
        ANSWERS.c.typed,
        ANSWERS.c.correct,
        ANSWERS.c.flagged,
        ANSWERS.c.misconception,
    )
    .where(ANSWERS.c.attempt_id == bindparam("b_id"), mine(ANSWERS))
    .order_by(ANSWERS.c.position)
)


ANSWER_FACTS = select(
    ANSWERS.c.attempt_id, ANSWERS.c.item_id, ANSWERS.c.correct, ANSWERS.c.flagged
).where(mine(ANSWERS))


def quiz_record(tx: Tx) -> QuizRecord:
    """Every quiz answer row of the learner: which attempt, which item, right or wrong,
    flagged."""
    return QuizRecord(
        tuple(
            AnswerFact(int(a), str(i), None if c is None else bool(c), bool(f))
            for a, i, c, f in tx.all(ANSWER_FACTS)
        )
    )


def start_attempt(
    tx: Tx,
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
    return tx.insert(
        ADD_ATTEMPT,
        {
            "v_mode": mode,
            "v_profile": profile,
            "v_started_at": now,
            "v_time_limit_s": time_limit_s,
            "v_remaining_s": time_limit_s,
            "v_question_count": question_count,
            "v_plan": plan_json,
            "v_current_position": 0,
            "v_elapsed_s": 0.0,
            "v_saved_at": now,
        },
    )


def recent_of_item(tx: Tx, item_id: str, limit: int) -> list[tuple[float, bool, str]]:
    """(answered at, correct, mode) of the item's latest answered quiz questions."""
    rows = tx.all(RECENT_OF_ITEM, {"item_id": item_id, "limit": limit})
    return [(float(at), bool(correct), str(mode)) for at, correct, mode in rows]


def _check_open(tx: Tx, attempt_id: int) -> None:
    row = tx.first(FINISHED_AT, {"b_id": attempt_id})
    if row is None:
        raise QuizappError(f"no quiz attempt {attempt_id}")
    if row[0] is not None:
        raise QuizappError(f"quiz attempt {attempt_id} is finished: it cannot change")


def _put_answer(tx: Tx, attempt_id: int, answer: QuizAnswer, *, now: float, day: int) -> None:
    """Insert or replace the answer at its position."""
    answered = answer.correct is not None
    values = {
        "b_id": attempt_id,
        "b_pos": answer.position,
        "v_item_id": answer.item_id,
        "v_topic": answer.topic,
        "v_domain": answer.domain,
        "v_chosen": json.dumps(list(answer.chosen)) if answer.chosen else None,
        "v_typed": answer.typed,
        "v_correct": answer.correct,
        "v_flagged": answer.flagged,
        "v_answered_at": now if answered else None,
        "v_study_day": day if answered else None,
        "v_misconception": answer.misconception if answer.correct is False else None,
    }
    if tx.run(SET_ANSWER, values) == 0:
        tx.run(ADD_ANSWER, values)


def _set_progress(tx: Tx, attempt_id: int, progress: Progress, *, at: datetime) -> None:
    tx.run(
        SET_PROGRESS,
        {
            "b_id": attempt_id,
            "v_current": progress.current,
            "v_elapsed": progress.elapsed_s,
            "v_remaining": progress.remaining_s,
            "v_saved_at": at.timestamp(),
        },
    )


# --- reading back ---------------------------------------------------------------------


def _utc(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _answer(row: tuple[Any, ...]) -> QuizAnswer:
    position, item_id, topic, domain, chosen, typed, correct, flagged, misconception = row
    return QuizAnswer(
        position=int(position),
        item_id=item_id,
        topic=topic,
        domain=domain,
        chosen=tuple(int(i) for i in json.loads(chosen)) if chosen else (),
        typed=typed,
        correct=None if correct is None else bool(correct),
        flagged=bool(flagged),
        misconception=misconception,
    )


def _header(row: tuple[Any, ...]) -> AttemptHeader:
    attempt_id, mode, profile, count, started, finished, limit, remaining, score, answered = row[
        :10
    ]
    pauses, paused_s, saved_at = row[10:]
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
        pauses=int(pauses or 0),
        paused_s=float(paused_s or 0.0),
        saved_at=_utc(saved_at),
    )


def list_attempts(tx: Tx, *, finished: bool) -> tuple[AttemptHeader, ...]:
    """Finished or unfinished attempts, newest (last started) first, without their plans."""
    return tuple(_header(r) for r in tx.all(FINISHED if finished else UNFINISHED))


def load_attempt(tx: Tx, attempt_id: int) -> StoredAttempt:
    """The attempt to resume or review; QuizappError if missing or saved without a plan."""
    header_row = tx.first(ONE_HEADER, {"b_id": attempt_id})
    state = tx.first(ATTEMPT_STATE, {"b_id": attempt_id})
    if header_row is None or state is None:
        raise QuizappError(f"no quiz attempt {attempt_id}")
    plan, current, elapsed, remaining = state
    if plan == NO_PLAN:
        raise QuizappError(
            f"quiz attempt {attempt_id} was saved before quizapp kept quiz plans: "
            "it cannot be resumed or reviewed"
        )
    answers = tuple(_answer(r) for r in tx.all(ANSWERS_OF, {"b_id": attempt_id}))
    progress = Progress(int(current), float(elapsed), remaining)
    return StoredAttempt(_header(header_row), plan, progress, answers)


STARTED_AT = select(ATTEMPTS.c.started_at).where(_BY_ID)


def _question_card(tx: Tx, attempt_id: int, answer: QuizAnswer, now: float) -> None:
    """A wrong answer to a question review can show becomes a card (with the setting on;
    one card per item, however often it is missed). An exam answer changed from wrong to
    right (or cleared) before submitting takes back the card it made, if never reviewed."""
    if answer.kind not in QUESTION_CARD_KINDS:
        return
    if answer.correct is False:
        if load_settings(tx).missed_questions_become_cards:
            add_question_card(tx, answer.item_id, topic=answer.topic, domain=answer.domain, now=now)
        return
    started = tx.scalar(STARTED_AT, {"b_id": attempt_id})
    if started is not None:
        drop_fresh_question_card(tx, answer.item_id, since=float(started))


# --- the recorder ---------------------------------------------------------------------


class StoreRecorder:
    """`quizapp.quiz.QuizRecorder` on the progress database (see the module docstring).

    `study_day` maps an answer's time to its study day (the store's zone and rollover hour);
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
        with self._store.write() as tx:
            return start_attempt(
                tx,
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
        with self._store.write() as tx:
            _check_open(tx, attempt_id)
            _put_answer(tx, attempt_id, answer, now=at.timestamp(), day=day)
            _set_progress(tx, attempt_id, progress, at=at)
            _question_card(tx, attempt_id, answer, at.timestamp())  # in the same commit

    def save_progress(self, attempt_id: int, progress: Progress, *, at: datetime) -> None:
        with self._store.write() as tx:
            _check_open(tx, attempt_id)
            _set_progress(tx, attempt_id, progress, at=at)

    def finish(self, attempt_id: int, score: int, progress: Progress, *, at: datetime) -> None:
        with self._store.write() as tx:
            _check_open(tx, attempt_id)
            _set_progress(tx, attempt_id, progress, at=at)
            tx.run(
                FINISH,
                {"b_id": attempt_id, "v_finished_at": at.timestamp(), "v_score": float(score)},
            )

    def record_pause(self, attempt_id: int, paused_s: float, *, at: datetime) -> None:
        with self._store.write() as tx:
            _check_open(tx, attempt_id)
            tx.run(
                ADD_PAUSE,
                {
                    "b_id": attempt_id,
                    "v_paused_s": max(0.0, paused_s),
                    "v_saved_at": at.timestamp(),
                },
            )

    def load_attempt(self, attempt_id: int) -> StoredAttempt:
        with self._store.read() as tx:
            return load_attempt(tx, attempt_id)

    def unfinished_attempts(self) -> tuple[AttemptHeader, ...]:
        with self._store.read() as tx:
            return list_attempts(tx, finished=False)

    def finished_attempts(self) -> tuple[AttemptHeader, ...]:
        with self._store.read() as tx:
            return list_attempts(tx, finished=True)
