"""The learner's settings (scheduling, limits, exam date, theme) as one plain value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

NewCardOrder = Literal["mixed", "bank", "topic"]
NEW_CARD_ORDERS: tuple[str, ...] = ("mixed", "bank", "topic")


@dataclass(frozen=True, slots=True)
class Settings:
    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    exam_date: date | None = None
    leech_threshold: int = 8
    leech_action: Literal["tag", "suspend"] = "tag"
    theme: str = "textual-dark"
    learning_steps_min: tuple[int, ...] = (1, 10)
    relearning_steps_min: tuple[int, ...] = (10,)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    # the order new cards are met in: "mixed" interleaves banks and kinds (skill cards from
    # day one, like Anki's mix), "bank" keeps bank order, "topic" groups them by topic
    new_card_order: NewCardOrder = "mixed"
    # the daily study time the exam plan budgets for (minutes)
    study_minutes_per_day: int = 30
    # a quiz or exam question answered wrong becomes a review card (spaced by FSRS)
    missed_questions_become_cards: bool = True
