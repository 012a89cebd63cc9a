"""Saving computed-practice attempts, and reading the record back.

An attempt that answers a skill card also grades that card (from its outcome) in the same
transaction, through the review loop's `grade_shown`: both are stored, or neither.
"""

from __future__ import annotations

from quizapp.errors import CardChanged
from quizapp.practice.model import PracticeAttempt, PracticeRecord
from quizapp.reviews import ReviewCard, ReviewOutcome
from quizapp.reviews.service import Reviews
from quizapp.scheduling.skills import practice_grade
from quizapp.store import practice_attempts
from quizapp.store.database import Store
from quizapp.store.practice_attempts import steps_json
from quizapp.store.review_log import undo_answer
from quizapp.study_time import StudyTime


class Practice:
    """Computed practice over one store."""

    def __init__(self, store: Store, time: StudyTime, reviews: Reviews) -> None:
        self._store = store
        self._time = time
        self._reviews = reviews

    def record(
        self, attempt: PracticeAttempt, card: ReviewCard | None = None
    ) -> ReviewOutcome | None:
        """Store the attempt; with `card` (the skill card as shown) grade it too. Raises
        `CardChanged` (nothing stored) if the card changed since it was shown."""
        if attempt.card_id is not None and (card is None or card.card_id != attempt.card_id):
            raise ValueError("an attempt on a skill card needs that card as it was shown")
        m = self._time.moment()
        outcome: ReviewOutcome | None = None
        log_id: int | None = None
        with self._store.write() as tx:
            if card is not None and attempt.card_id is not None:
                grade = practice_grade(
                    attempt.correct,
                    hinted=attempt.hinted,
                    elapsed_s=attempt.elapsed_s,
                    difficulty=attempt.difficulty,
                    slips=attempt.slips if attempt.steps else None,
                )
                outcome, log_id = self._reviews.grade_shown(tx, card, grade, m, attempt.elapsed_s)
            practice_attempts.insert_practice(
                tx,
                {
                    "attempted_at": m.ts,
                    "study_day": m.today,
                    "variant_id": attempt.variant_id,
                    "family": attempt.family,
                    "difficulty": attempt.difficulty,
                    "typed": attempt.typed,
                    "value": attempt.value,
                    "correct": attempt.correct,
                    "misconception": attempt.misconception,
                    "hinted": attempt.hinted,
                    "elapsed_s": attempt.elapsed_s,
                    "card_id": attempt.card_id,
                    "review_log_id": log_id,
                    "steps": steps_json(attempt.steps),
                },
            )
        return outcome

    def regrade(
        self, card: ReviewCard, grade: int, elapsed_s: float | None = None
    ) -> ReviewOutcome:
        """Override the grade the skill card's last attempt gave it (the learner knows
        better): take that answer back and grade the card as it was shown with `grade`, in
        one transaction. `CardChanged` (nothing stored) if the card was answered or changed
        since."""
        m = self._time.moment()
        with self._store.write() as tx:
            latest = practice_attempts.latest_of_card(tx, card.card_id)
            log_id = None if latest is None else latest[1]
            if latest is None or log_id is None or undo_answer(tx, log_id) is None:
                raise CardChanged(
                    "this card was answered or changed since; the grade was not changed"
                )
            outcome, new_log = self._reviews.grade_shown(tx, card, grade, m, elapsed_s)
            practice_attempts.set_review_log(tx, latest[0], new_log)
        return outcome

    def variant_of(self, card_id: int) -> str | None:
        """The variant (`family@seed`) of the skill card's newest attempt, if any (undo
        shows that problem again)."""
        with self._store.read() as tx:
            latest = practice_attempts.latest_of_card(tx, card_id)
        return None if latest is None else latest[2]

    def records(self) -> tuple[PracticeRecord, ...]:
        """Attempts and right answers per family."""
        with self._store.read() as tx:
            return practice_attempts.records(tx)

    def attempts(self, limit: int | None = None) -> tuple[PracticeAttempt, ...]:
        """Saved attempts, newest first (all of them without a limit)."""
        with self._store.read() as tx:
            return practice_attempts.newest(tx, limit)
