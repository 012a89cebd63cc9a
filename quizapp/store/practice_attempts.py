"""Computed-practice attempts: saving one, and reading them back per family or newest
first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Integer, bindparam, cast, func, insert, select

from quizapp.practice.model import PracticeAttempt, PracticeRecord
from quizapp.store.runner import Runner
from quizapp.store.tables import PRACTICE

PRACTICE_FIELDS = tuple(c.name for c in PRACTICE.columns if c.name != "id")
INSERT_PRACTICE = insert(PRACTICE).values(
    {name: bindparam(f"v_{name}") for name in PRACTICE_FIELDS}
)


def insert_practice(run: Runner, values: dict[str, Any]) -> int:
    return run.insert(INSERT_PRACTICE, {f"v_{k}": v for k, v in values.items()})


def records(conn: Connection) -> tuple[PracticeRecord, ...]:
    """Attempts and right answers per family."""
    t = PRACTICE
    rows = conn.execute(
        select(t.c.family, func.count(), func.sum(cast(t.c.correct, Integer)))
        .group_by(t.c.family)
        .order_by(t.c.family)
    ).all()
    return tuple(PracticeRecord(f, int(n), int(c or 0)) for f, n, c in rows)


def newest(conn: Connection, limit: int | None = None) -> tuple[PracticeAttempt, ...]:
    """Saved attempts, newest first (all of them without a limit)."""
    t = PRACTICE
    stmt = select(
        t.c.variant_id,
        t.c.family,
        t.c.difficulty,
        t.c.typed,
        t.c.value,
        t.c.correct,
        t.c.misconception,
        t.c.hinted,
        t.c.elapsed_s,
        t.c.card_id,
    ).order_by(t.c.id.desc())
    if limit is not None:
        stmt = stmt.limit(max(0, limit))
    return tuple(
        PracticeAttempt(
            variant_id=r.variant_id,
            family=r.family,
            difficulty=r.difficulty,
            typed=r.typed,
            value=r.value,
            correct=bool(r.correct),
            misconception=r.misconception,
            hinted=bool(r.hinted),
            elapsed_s=r.elapsed_s,
            card_id=r.card_id,
        )
        for r in conn.execute(stmt)
    )
