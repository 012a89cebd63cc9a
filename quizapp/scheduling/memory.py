"""A card's scheduling state (FSRS memory + queue flags) as a plain, immutable value."""

from __future__ import annotations

from dataclasses import dataclass

# FSRS states; 1..3 are fsrs.State's values, 0 is a card never answered.
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}

# Queues (what the study queue looks at): a card's state, unless it is set aside.
Q_NEW, Q_LEARN, Q_REVIEW = 0, 1, 2
Q_SUSPENDED, Q_BURIED, Q_RETIRED = -1, -2, -3


def queue_for(state: int, *, suspended: bool, buried: bool, retired: bool = False) -> int:
    """The queue a card sits in: retired > suspended > buried > its FSRS state."""
    if retired:
        return Q_RETIRED
    if suspended:
        return Q_SUSPENDED
    if buried:
        return Q_BURIED
    if state == NEW:
        return Q_NEW
    if state == REVIEW:
        return Q_REVIEW
    return Q_LEARN


@dataclass(frozen=True, slots=True)
class Memory:
    """One card's scheduling row. Times are UTC epoch seconds.

    For a new card `due` holds its position in bank order (the new queue sorts on it),
    as Anki does; once answered it is the due time.
    """

    card_id: int
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: float = 0.0
    last_review: float | None = None
    reps: int = 0
    lapses: int = 0
    queue: int = Q_NEW
    suspended: bool = False
    leech: bool = False
    buried_until: int | None = None  # study day the card comes back (exclusive of bury day)
