"""What browsing shows about a card: its memory now, and its earlier answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from quizapp.reviews.model import CardState


@dataclass(frozen=True, slots=True)
class CardInfo:
    """One card for browsing: what it is and where its memory stands."""

    card_id: int
    key: str  # item id, or "skill:<family>:<difficulty>"
    kind: str  # flashcard | cloze | skill
    item_id: str | None
    family: str | None
    difficulty: str
    topic: str
    state: CardState
    due: datetime | None  # None while new
    stability_days: float | None
    fsrs_difficulty: float | None
    reps: int
    lapses: int
    suspended: bool
    buried: bool
    leech: bool
    retired: bool
    recall_now: float | None  # FSRS retrievability now; None while new


@dataclass(frozen=True, slots=True)
class PastAnswer:
    """One earlier answer about a card or a bank item: a review grade or a quiz answer."""

    at: datetime
    source: Literal["review", "quiz"]
    correct: bool  # review: not graded Again
    grade: int | None = None  # review grade 1..4
    state_before: CardState | None = None  # review: the card's state when answered
    interval_days: float | None = None  # review: days until the card was due again
    mode: str | None = None  # quiz: practice | exam
