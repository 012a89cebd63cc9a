"""Cram: review ahead without changing the schedule (Anki's filtered deck with rescheduling
off). A cram session takes the studied cards of one topic, or those due before a date (or
both limits), soonest due first, and shows each once. An answer is logged in the cram log
only: the card's memory (its FSRS state, due date, queue) and the review log stay exactly as
they were. Undo takes back the session's last cram answer and shows that card again. Skill
cards are left out (practice grades them, and that reschedules); question cards are graded
from the pick as in review, and logged as cram.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from quizapp.errors import QuizappError
from quizapp.reviews.model import GRADE_LABELS, ReviewCard
from quizapp.reviews.questions import question_grade
from quizapp.reviews.service import Reviews
from quizapp.store import cram_log
from quizapp.store.database import Store
from quizapp.study_time import StudyTime


@dataclass(frozen=True, slots=True)
class CramChoice:
    """What to cram: one topic's studied cards, those due before a study day, or both."""

    topic: str | None = None
    due_before: date | None = None

    @property
    def label(self) -> str:
        parts = [f"topic {self.topic}" if self.topic else ""]
        parts.append(f"due before {self.due_before.isoformat()}" if self.due_before else "")
        return "Cram: " + (", ".join(p for p in parts if p) or "every studied card")


@dataclass(frozen=True, slots=True)
class CramProgress:
    done: int
    total: int

    @property
    def left(self) -> int:
        return self.total - self.done


class Cram:
    """One window's cram session over the store (any thread; one call, one commit)."""

    def __init__(self, store: Store, time: StudyTime, reviews: Reviews) -> None:
        self._store = store
        self._time = time
        self._reviews = reviews
        self.choice: CramChoice | None = None
        self._queue: list[int] = []  # card ids still to show, next first
        self._answered: list[tuple[int, int]] = []  # (cram log id, card id), newest last
        self._total = 0

    def start(self, choice: CramChoice) -> int:
        """Begin cramming `choice`; how many cards it takes (QuizappError when none)."""
        before = None
        if choice.due_before is not None:
            before = self._time.start_of(choice.due_before).timestamp()
        with self._store.read() as tx:
            found = cram_log.cram_cards(tx, topic=choice.topic, before=before)
        if not found:
            raise QuizappError(f"nothing to cram: no studied card for {choice.label[6:]}")
        self.choice = choice
        self._queue = found
        self._answered = []
        self._total = len(found)
        return len(found)

    @property
    def active(self) -> bool:
        return self.choice is not None

    def stop(self) -> None:
        self.choice = None
        self._queue = []
        self._answered = []
        self._total = 0

    def progress(self) -> CramProgress:
        return CramProgress(self._total - len(self._queue), self._total)

    def next_card(self) -> ReviewCard | None:
        """The next card to cram, as review shows it (its previews are not used: nothing is
        rescheduled); None when the session is through. Cards gone since are passed over."""
        while self._queue:
            try:
                return self._reviews.card(self._queue[0])
            except QuizappError:
                self._queue.pop(0)
                self._total -= 1
        return None

    def answer(self, card: ReviewCard, grade: int, elapsed_s: float | None = None) -> int:
        """Log the cram answer (nothing else changes); the cram log row's id."""
        if grade not in GRADE_LABELS:
            raise QuizappError(f"no grade {grade} (1 Again, 2 Hard, 3 Good, 4 Easy)")
        if not self._queue or self._queue[0] != card.card_id:
            raise QuizappError(f"card {card.card_id} is not the card being crammed")
        m = self._time.moment()
        duration = None if elapsed_s is None else round(elapsed_s * 1000)
        with self._store.write() as tx:
            row_id = cram_log.insert_cram(
                tx, card.card_id, grade, at=m.ts, day=m.today, duration_ms=duration
            )
        self._queue.pop(0)
        self._answered.append((row_id, card.card_id))
        return row_id

    def answer_question(
        self, card: ReviewCard, picked: Iterable[int], elapsed_s: float
    ) -> tuple[int, int]:
        """A question card crammed: graded from the pick as in review, logged as cram only;
        (the grade, the cram log row's id)."""
        if card.item is None or not card.is_question:
            raise QuizappError(f"card {card.card_id} is not a question card")
        grade = question_grade(card.item, picked, elapsed_s)
        return grade, self.answer(card, grade, elapsed_s)

    def can_undo(self) -> bool:
        return bool(self._answered)

    def undo(self) -> int | None:
        """Take back the session's last cram answer (its log row) and show its card next;
        the card id, or None when there is nothing to undo."""
        if not self._answered:
            return None
        row_id, card_id = self._answered.pop()
        with self._store.write() as tx:
            cram_log.delete_cram(tx, row_id)
        self._queue.insert(0, card_id)
        return card_id
