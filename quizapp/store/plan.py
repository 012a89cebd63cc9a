"""The SQL side of the exam plan: every active card's memory with its topic and domain, and
the learner's answer times and rating mix from the review log (aggregates only), all of the
transaction's learner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, update

from quizapp.scheduling.memory import LEARNING, NEW, Q_RETIRED, Q_SUSPENDED, REVIEW
from quizapp.store.tables import CARDS, LOG, MEM, mine
from quizapp.store.transaction import Tx

# an answer longer than this is a learner away from the keyboard: capped, as Anki does
MAX_ANSWER_MS = 60_000

_ACTIVE = (  # the learner's cards neither suspended nor retired, memory joined
    mine(MEM),
    mine(CARDS),
    MEM.c.queue != Q_SUSPENDED,
    MEM.c.queue != Q_RETIRED,
    CARDS.c.retired.is_(False),
)
CARD_ROWS = (
    select(
        CARDS.c.id,
        CARDS.c.topic,
        CARDS.c.domain,
        CARDS.c.position,
        MEM.c.state,
        MEM.c.stability,
        MEM.c.difficulty,
        MEM.c.due,
        MEM.c.last_review,
    )
    .join(MEM, MEM.c.card_id == CARDS.c.id)
    .where(*_ACTIVE)
    .order_by(CARDS.c.id)
)

# min(duration, cap) that PostgreSQL also runs (it has no two-argument min)
_MS = case((LOG.c.duration_ms > MAX_ANSWER_MS, MAX_ANSWER_MS), else_=LOG.c.duration_ms)
REVIEW_TIME = select(func.count(LOG.c.duration_ms), func.sum(_MS)).where(
    mine(LOG), LOG.c.state_before == REVIEW, LOG.c.duration_ms.is_not(None)
)
# a new card's cost: all its answers while new or learning, over the cards first answered
NEW_TIME = select(
    func.sum(case((LOG.c.duration_ms.is_not(None), _MS), else_=0)),
    func.count(func.distinct(case((LOG.c.state_before == NEW, LOG.c.card_id), else_=None))),
    func.count(case((and_(LOG.c.state_before == NEW, LOG.c.duration_ms.is_(None)), 1))),
).where(mine(LOG), or_(LOG.c.state_before == NEW, LOG.c.state_before == LEARNING))
RATINGS = (
    select(LOG.c.state_before, LOG.c.grade, func.count())
    .where(mine(LOG), or_(LOG.c.state_before == NEW, LOG.c.state_before == REVIEW))
    .group_by(LOG.c.state_before, LOG.c.grade)
)
COUNTS = (
    select(func.count(), func.count(case((MEM.c.state == NEW, 1))))
    .select_from(MEM.join(CARDS, CARDS.c.id == MEM.c.card_id))
    .where(*_ACTIVE)
)


@dataclass(frozen=True, slots=True)
class LogSummary:
    """What the review log says about the learner's pace and answers."""

    review_answers: int  # review-state answers with a duration
    review_ms: float  # their summed duration (each capped at MAX_ANSWER_MS)
    new_cards: int  # cards first answered (with a duration on that answer)
    new_ms: float  # summed duration of the answers while new or learning
    first_ratings: tuple[int, int, int, int]  # counts of Again..Easy on a new card
    review_ratings: tuple[int, int, int, int]  # counts of Again..Easy in review


def card_rows(tx: Tx) -> list[tuple[Any, ...]]:
    """(id, topic, domain, position, state, stability, difficulty, due, last_review) of every
    card that is neither suspended nor retired, by id."""
    return tx.all(CARD_ROWS)


def card_counts(tx: Tx) -> tuple[int, int]:
    """(studied, new) active cards (neither suspended nor retired)."""
    total, new = tx.first(COUNTS) or (0, 0)
    return int(total or 0) - int(new or 0), int(new or 0)


def log_summary(tx: Tx) -> LogSummary:
    count, total = tx.first(REVIEW_TIME) or (0, 0)
    new_ms, new_cards, untimed = tx.first(NEW_TIME) or (0, 0, 0)
    first = [0, 0, 0, 0]
    review = [0, 0, 0, 0]
    for state, grade, n in tx.all(RATINGS):
        if 1 <= int(grade) <= 4:
            (first if state == NEW else review)[int(grade) - 1] += int(n)
    return LogSummary(
        review_answers=int(count or 0),
        review_ms=float(total or 0.0),
        new_cards=max(0, int(new_cards or 0) - int(untimed or 0)),
        new_ms=float(new_ms or 0.0),
        first_ratings=(first[0], first[1], first[2], first[3]),
        review_ratings=(review[0], review[1], review[2], review[3]),
    )


SET_DUE = (
    update(MEM)
    .where(mine(MEM), MEM.c.card_id == bindparam("cid"), MEM.c.due >= bindparam("exam_from"))
    .values(due=bindparam("new_due"))
)


def set_due(tx: Tx, moves: list[tuple[int, float]], *, exam_from: float) -> int:
    """Set each (card id, due ts) whose card is still due at or after `exam_from` (a card
    answered meanwhile is left alone); the number changed."""
    changed = 0
    for card_id, due in moves:
        changed += tx.run(SET_DUE, {"cid": card_id, "new_due": due, "exam_from": exam_from})
    return changed


VERSION = (
    select(
        func.count(),
        func.coalesce(func.sum(MEM.c.reps), 0),
        func.coalesce(func.sum(MEM.c.due), 0.0),
    )
    .select_from(MEM.join(CARDS, CARDS.c.id == MEM.c.card_id))
    .where(*_ACTIVE)
)
LAST_LOG = select(func.max(LOG.c.id)).where(mine(LOG))


def version(tx: Tx) -> tuple[Any, ...]:
    """Changes whenever the cards the plan reads change (answers, suspends, resets, moves)."""
    return (*(tx.first(VERSION) or ()), tx.scalar(LAST_LOG))
