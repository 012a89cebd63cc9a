"""Cram (reviewing ahead, Anki's filtered deck with rescheduling off): which studied cards
to cram, and the cram log. Nothing here reads or writes a card's memory or the review log."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, func, insert, select

from quizapp.scheduling.memory import NEW, Q_LEARN, Q_REVIEW
from quizapp.store.tables import CARDS, CRAM, MEM, me, mine
from quizapp.store.transaction import Tx

# studied cards (not new) in a learning or review queue (not suspended, buried or retired),
# but no skill card, soonest due first
_CRAMMABLE = (
    select(MEM.c.card_id)
    .join_from(MEM, CARDS, MEM.c.card_id == CARDS.c.id)
    .where(
        mine(MEM),
        mine(CARDS),
        MEM.c.state != NEW,
        MEM.c.queue.between(Q_LEARN, Q_REVIEW),
        CARDS.c.retired.is_(False),
        CARDS.c.kind != "skill",  # a skill card is graded by practice, which reschedules
    )
    .order_by(MEM.c.due, MEM.c.card_id)
)
BY_TOPIC = _CRAMMABLE.where(CARDS.c.topic == bindparam("topic"))
DUE_BEFORE = _CRAMMABLE.where(MEM.c.due < bindparam("before"))
BY_TOPIC_DUE_BEFORE = BY_TOPIC.where(MEM.c.due < bindparam("before"))
INSERT_CRAM = insert(CRAM).values(
    learner=me(),
    card_id=bindparam("v_card_id"),
    grade=bindparam("v_grade"),
    reviewed_at=bindparam("v_at"),
    study_day=bindparam("v_day"),
    duration_ms=bindparam("v_duration_ms"),
)
_MY_ROW = (CRAM.c.id == bindparam("b_id"), mine(CRAM))
DELETE_CRAM = delete(CRAM).where(*_MY_ROW)
CRAM_ROW = select(CRAM.c.card_id).where(*_MY_ROW)
COUNT_CRAM = select(func.count()).select_from(CRAM).where(mine(CRAM))
CRAM_ROWS = (
    select(CRAM.c.card_id, CRAM.c.grade, CRAM.c.reviewed_at, CRAM.c.study_day)
    .where(mine(CRAM))
    .order_by(CRAM.c.id)
)


def cram_cards(tx: Tx, *, topic: str | None, before: float | None) -> list[int]:
    """The studied cards to cram, soonest due first: one topic's, those due before `before`
    (epoch s), or both limits at once; every studied card when neither is given."""
    if topic is not None and before is not None:
        rows = tx.all(BY_TOPIC_DUE_BEFORE, {"topic": topic, "before": before})
    elif topic is not None:
        rows = tx.all(BY_TOPIC, {"topic": topic})
    elif before is not None:
        rows = tx.all(DUE_BEFORE, {"before": before})
    else:
        rows = tx.all(_CRAMMABLE)
    return [int(r[0]) for r in rows]


def insert_cram(
    tx: Tx, card_id: int, grade: int, *, at: float, day: int, duration_ms: int | None
) -> int:
    """Log one cram answer; its row id."""
    return tx.insert(
        INSERT_CRAM,
        {"v_card_id": card_id, "v_grade": grade, "v_at": at, "v_day": day,
         "v_duration_ms": duration_ms},
    )  # fmt: skip


def delete_cram(tx: Tx, row_id: int) -> int | None:
    """Take one cram answer back; its card id, or None if the row is gone."""
    card_id = tx.scalar(CRAM_ROW, {"b_id": row_id})
    if card_id is None:
        return None
    tx.run(DELETE_CRAM, {"b_id": row_id})
    return int(card_id)


def cram_rows(tx: Tx) -> list[tuple[int, int, float, int]]:
    """(card id, grade, answered at, study day) of every cram answer, oldest first."""
    return [(int(c), int(g), float(a), int(d)) for c, g, a, d in tx.all(CRAM_ROWS)]
