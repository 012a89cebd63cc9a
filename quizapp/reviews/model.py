"""What the review loop shows and gives back: the card as shown, its previews, the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from quizapp.bank.model import Item
from quizapp.scheduling.memory import Memory

Grade = Literal[1, 2, 3, 4]  # Again, Hard, Good, Easy
GRADE_LABELS: dict[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
FLAG_NAMES: dict[int, str] = {0: "none", 1: "red", 2: "orange", 3: "green", 4: "blue"}
CardState = Literal["new", "learning", "review", "relearning", "suspended", "retired"]


@dataclass(frozen=True, slots=True)
class DueCounts:
    learning: int
    review: int
    new: int

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new


@dataclass(frozen=True, slots=True)
class GradePreview:
    grade: int
    label: str  # "Again" ...
    interval: timedelta
    text: str  # Anki style: "<1m", "10m", "3d", "2.1mo"


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """The next card to study. Skill cards have item None and a family/difficulty."""

    card_id: int
    state: CardState
    item: Item | None
    family: str | None
    difficulty: str | None
    previews: tuple[GradePreview, ...]  # one per grade 1..4, computed before answering
    lapses: int
    leech: bool
    # the state the learner saw, which the answer carries back (as Anki's answer_card does):
    # the grade is applied to it, and refused if the card has changed since
    shown: Memory = field(repr=False, compare=False)
    shown_at: datetime = field(repr=False, compare=False)
    cap_days: int = field(repr=False, compare=False)
    flag: int = 0  # 0 none, 1 red, 2 orange, 3 green, 4 blue (FLAG_NAMES)
    gap: int | None = None  # a cloze gap's card: which gap (1-based) it asks for
    # a question card's choices in display order (original indexes), fresh each review
    order: tuple[int, ...] = ()

    @property
    def is_skill(self) -> bool:
        return self.item is None

    @property
    def is_question(self) -> bool:
        """A missed quiz question, answered by picking choices (`order`)."""
        return bool(self.order)


@dataclass(frozen=True, slots=True)
class StudyChoice:
    """What review studies, like Anki's deck: every card, one bank's, or one topic's."""

    kind: Literal["all", "bank", "topic"]
    name: str  # the bank name or topic id; "" for all

    @property
    def label(self) -> str:
        return "All cards" if self.kind == "all" else f"{self.kind} {self.name}"


def find_choice(choices: Sequence[StudyChoice], name: str) -> StudyChoice | None:
    """The bank or topic called `name` among `choices`: exact first (a bank before a topic),
    then ignoring case; None if there is none."""
    choices = [c for c in choices if c.kind != "all"]
    found = [c for c in choices if c.name == name] or [
        c for c in choices if c.name.casefold() == name.casefold()
    ]
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    card_id: int
    grade: int
    due: datetime
    became_leech: bool
