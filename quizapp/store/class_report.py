"""What the instructor's class report reads: every learner's rows, in one read transaction.

Each statement is marked `across_learners`: it names no learner on purpose. Which rows come
back is the database's business: on PostgreSQL with row-level security the instructor's
role sees every learner and a learner's role only their own (so a learner running the report
gets a report of one); on SQLite, every learner in the file.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, func, select

from quizapp.classroom.report import AnswerRow, CardRow, ClassRows
from quizapp.scheduling.optimize import PARAMETERS_KEY, Fitted
from quizapp.store.tables import CARDS, CRAM, LOG, MEM, PRACTICE, SETTINGS
from quizapp.store.tables import QUIZ_ANSWERS as ANSWERS
from quizapp.store.tables import QUIZ_ATTEMPTS as ATTEMPTS
from quizapp.store.transaction import Tx, across_learners

ALL_ANSWERS = across_learners(
    select(
        ANSWERS.c.learner,
        ANSWERS.c.attempt_id,
        ANSWERS.c.item_id,
        ANSWERS.c.topic,
        ANSWERS.c.domain,
        ANSWERS.c.correct,
        ANSWERS.c.misconception,
        ATTEMPTS.c.mode,
        ATTEMPTS.c.finished_at,
    )
    .join_from(ANSWERS, ATTEMPTS, ANSWERS.c.attempt_id == ATTEMPTS.c.id)
    .order_by(ANSWERS.c.attempt_id, ANSWERS.c.position)
)
PRACTICE_MISTAKES = across_learners(
    select(PRACTICE.c.learner, PRACTICE.c.family, PRACTICE.c.misconception).where(
        PRACTICE.c.misconception.is_not(None), PRACTICE.c.correct.is_(False)
    )
)
CARD_MEMORY = across_learners(
    select(
        CARDS.c.learner,
        CARDS.c.topic,
        CARDS.c.domain,
        MEM.c.state,
        MEM.c.stability,
        MEM.c.last_review,
    )
    .join_from(CARDS, MEM, MEM.c.card_id == CARDS.c.id)
    .where(CARDS.c.retired.is_(False))
)
REVIEWS_SINCE = across_learners(
    select(LOG.c.learner, func.count())
    .where(LOG.c.reviewed_at >= bindparam("b_since"))
    .group_by(LOG.c.learner)
)
LAST_ACTIVE = tuple(
    across_learners(select(table.c.learner, func.max(column)).group_by(table.c.learner))
    for table, column in (
        (LOG, LOG.c.reviewed_at),
        (CRAM, CRAM.c.reviewed_at),
        (ANSWERS, ANSWERS.c.answered_at),
        (PRACTICE, PRACTICE.c.attempted_at),
    )
)
BEST_EXAM = across_learners(
    select(ATTEMPTS.c.learner, func.max(ATTEMPTS.c.score))
    .where(
        ATTEMPTS.c.mode == "exam",
        ATTEMPTS.c.finished_at.is_not(None),
        ATTEMPTS.c.score.is_not(None),
    )
    .group_by(ATTEMPTS.c.learner)
)
FITTED = across_learners(
    select(SETTINGS.c.learner, SETTINGS.c.value).where(SETTINGS.c.key == bindparam("b_key"))
)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)  # SQLite gives 0/1


def class_rows(tx: Tx, *, since: float) -> ClassRows:
    """Every row the report needs; `since`: the start of the review window (epoch s)."""
    answers = tuple(
        AnswerRow(
            str(learner),
            int(attempt),
            str(item),
            str(topic),
            str(domain),
            _bool(correct),
            misconception or None,
            str(mode),
            finished is not None,
        )
        for learner, attempt, item, topic, domain, correct, misconception, mode, finished in (
            tx.all(ALL_ANSWERS)
        )
    )
    cards = tuple(
        CardRow(str(learner), str(topic), str(domain), int(state), stability, last)
        for learner, topic, domain, state, stability, last in tx.all(CARD_MEMORY)
    )
    last_active: dict[str, float] = {}
    for statement in LAST_ACTIVE:
        for learner, at in tx.all(statement):
            if at is not None:
                last_active[learner] = max(float(at), last_active.get(learner, float(at)))
    decay = {}
    for learner, raw in tx.all(FITTED, {"b_key": PARAMETERS_KEY}):
        try:
            fitted = Fitted.from_json(json.loads(raw))
        except ValueError:
            fitted = None
        if fitted is not None:
            decay[str(learner)] = fitted.parameters[20]
    return ClassRows(
        answers=answers,
        practice_mistakes=tuple(
            (str(learner), str(family), str(name))
            for learner, family, name in tx.all(PRACTICE_MISTAKES)
        ),
        cards=cards,
        reviews_7d={str(k): int(n) for k, n in tx.all(REVIEWS_SINCE, {"b_since": since})},
        last_active=last_active,
        best_exam={str(k): float(s) for k, s in tx.all(BEST_EXAM)},
        decay=decay,
    )
