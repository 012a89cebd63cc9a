"""Progress brought in from another app (an Anki package's review log): each card's
replayed answers written as review-log rows and its memory set to the last one, in the
caller's write transaction (one for the whole import)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy import bindparam, func, select

from quizapp.scheduling.memory import NEW, Memory
from quizapp.store.cards import load_memory, update_memory
from quizapp.store.review_log import insert_log
from quizapp.store.tables import CARDS, LOG, mine
from quizapp.store.transaction import Tx

CARD_OF_KEY = select(CARDS.c.id).where(mine(CARDS), CARDS.c.key == bindparam("key"))
LOG_COUNT_OF_CARD = (
    select(func.count()).select_from(LOG).where(mine(LOG), LOG.c.card_id == bindparam("card_id"))
)


class Answer(Protocol):
    """One replayed answer (quizapp.interop.anki_import.ReplayedAnswer)."""

    @property
    def before(self) -> Memory: ...
    @property
    def after(self) -> Memory: ...
    @property
    def grade(self) -> int: ...
    @property
    def at(self) -> float: ...
    @property
    def day(self) -> int: ...
    @property
    def duration_ms(self) -> int | None: ...


def card_ids(tx: Tx, keys: Iterable[str]) -> dict[str, int]:
    """Our card id of each card key that has a card."""
    out = {}
    for key in keys:
        card_id = tx.scalar(CARD_OF_KEY, {"key": key})
        if card_id is not None:
            out[key] = int(card_id)
    return out


def fresh_memory(tx: Tx, card_id: int) -> Memory | None:
    """The card's memory if it was never answered here (state new, no log rows), else
    None: its own progress is kept, not overwritten by an import."""
    memory = load_memory(tx, card_id)
    if memory is None or memory.state != NEW or memory.reps:
        return None
    if int(tx.scalar(LOG_COUNT_OF_CARD, {"card_id": card_id}) or 0):
        return None
    return memory


def write_history(tx: Tx, answers: Sequence[Answer]) -> None:
    """One card's replayed answers as review-log rows (oldest first), and its memory set
    to the last one's."""
    for answer in answers:
        insert_log(
            tx,
            answer.before,
            answer.after,
            answer.grade,
            at=answer.at,
            day=answer.day,
            duration_ms=answer.duration_ms,
        )
    if answers:
        update_memory(tx, answers[-1].after)
