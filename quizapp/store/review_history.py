"""The review history the FSRS optimizer learns from: every answer the learner logged, card
by card in the order given (cram answers live in their own table and are not part of it)."""

from __future__ import annotations

from sqlalchemy import func, select

from quizapp.store.tables import LOG, mine
from quizapp.store.transaction import Tx

HISTORY = (
    select(LOG.c.card_id, LOG.c.study_day, LOG.c.grade, LOG.c.state_before)
    .where(mine(LOG))
    .order_by(LOG.c.card_id, LOG.c.id)
)
COUNT = select(func.count()).select_from(LOG).where(mine(LOG))


def review_history(tx: Tx) -> list[tuple[int, int, int, int]]:
    """(card id, study day, grade, state before) of every answer, by card, oldest first."""
    return tx.all(HISTORY)  # rows are plain tuples


def review_count(tx: Tx) -> int:
    """How many answers the log holds."""
    return int(tx.scalar(COUNT) or 0)
