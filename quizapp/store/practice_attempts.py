"""Computed-practice attempts of the transaction's learner: saving one, and reading them back
per family or newest first."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Integer, bindparam, cast, func, insert, select, update

from quizapp.practice.model import PracticeAttempt, PracticeRecord, StepAnswer
from quizapp.store.tables import PRACTICE, me, mine
from quizapp.store.transaction import Tx

PRACTICE_FIELDS = tuple(c.name for c in PRACTICE.columns if c.name not in ("id", "learner"))
INSERT_PRACTICE = insert(PRACTICE).values(
    {"learner": me(), **{name: bindparam(f"v_{name}") for name in PRACTICE_FIELDS}}
)


def steps_json(steps: tuple[StepAnswer, ...]) -> str | None:
    """The stages of a step-by-step attempt as stored (None when answered in one go)."""
    if not steps:
        return None
    return json.dumps(
        [
            {"key": s.key, "typed": s.typed, "value": s.value, "expected": s.expected,
             "correct": s.correct}
            for s in steps
        ]
    )  # fmt: skip


def read_steps(text: str | None) -> tuple[StepAnswer, ...]:
    """Stored stages back (an unreadable value reads as none: the attempt itself stands)."""
    if not text:
        return ()
    try:
        return tuple(
            StepAnswer(str(s["key"]), str(s["typed"]), float(s["value"]),
                       float(s["expected"]), bool(s["correct"]))
            for s in json.loads(text)
        )  # fmt: skip
    except (ValueError, TypeError, KeyError):
        return ()


def insert_practice(tx: Tx, values: dict[str, Any]) -> int:
    return tx.insert(INSERT_PRACTICE, {f"v_{k}": v for k, v in values.items()})


LATEST_OF_CARD = (
    select(PRACTICE.c.id, PRACTICE.c.review_log_id, PRACTICE.c.variant_id)
    .where(PRACTICE.c.card_id == bindparam("card_id"), mine(PRACTICE))
    .order_by(PRACTICE.c.id.desc())
    .limit(1)
)
SET_LOG = (
    update(PRACTICE)
    .where(PRACTICE.c.id == bindparam("b_id"), mine(PRACTICE))
    .values(review_log_id=bindparam("v_log"))
)


def latest_of_card(tx: Tx, card_id: int) -> tuple[int, int | None, str] | None:
    """(attempt id, its review log id, its variant id) of the skill card's newest attempt."""
    row = tx.first(LATEST_OF_CARD, {"card_id": card_id})
    if row is None:
        return None
    attempt_id, log_id, variant_id = row
    return int(attempt_id), None if log_id is None else int(log_id), str(variant_id)


def set_review_log(tx: Tx, attempt_id: int, log_id: int) -> None:
    tx.run(SET_LOG, {"b_id": attempt_id, "v_log": log_id})


RECORDS = (
    select(PRACTICE.c.family, func.count(), func.sum(cast(PRACTICE.c.correct, Integer)))
    .where(mine(PRACTICE))
    .group_by(PRACTICE.c.family)
    .order_by(PRACTICE.c.family)
)
_ATTEMPT_COLUMNS = (
    PRACTICE.c.variant_id,
    PRACTICE.c.family,
    PRACTICE.c.difficulty,
    PRACTICE.c.typed,
    PRACTICE.c.value,
    PRACTICE.c.correct,
    PRACTICE.c.misconception,
    PRACTICE.c.hinted,
    PRACTICE.c.elapsed_s,
    PRACTICE.c.card_id,
    PRACTICE.c.steps,
)
NEWEST = select(*_ATTEMPT_COLUMNS).where(mine(PRACTICE)).order_by(PRACTICE.c.id.desc())
NEWEST_LIMITED = NEWEST.limit(bindparam("limit"))


def records(tx: Tx) -> tuple[PracticeRecord, ...]:
    """Attempts and right answers per family."""
    return tuple(PracticeRecord(f, int(n), int(c or 0)) for f, n, c in tx.all(RECORDS))


def newest(tx: Tx, limit: int | None = None) -> tuple[PracticeAttempt, ...]:
    """Saved attempts, newest first (all of them without a limit)."""
    limited = limit is not None
    rows = tx.all(NEWEST_LIMITED, {"limit": max(0, limit or 0)}) if limited else tx.all(NEWEST)
    return tuple(
        PracticeAttempt(
            variant_id=variant_id,
            family=family,
            difficulty=difficulty,
            typed=typed,
            value=value,
            correct=bool(correct),
            misconception=misconception,
            hinted=bool(hinted),
            elapsed_s=elapsed_s,
            card_id=card_id,
            steps=read_steps(steps),
        )
        for (variant_id, family, difficulty, typed, value, correct, misconception, hinted,
             elapsed_s, card_id, steps) in rows
    )  # fmt: skip
