"""The review loop: the next card with its previews, the answer, and undo.

An answer is saved when it is given, as in Anki's `answer_card`: `answer` takes the card as
it was shown (its memory, when, the interval cap then) and the grade, applies the grade to
that state so the interval matches the button, and commits only if the card is still what
was shown; otherwise nothing is saved and `CardChanged` says so (another window answered,
suspended or retired it). It returns the outcome before the next card is asked for.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from quizapp.content_sync import ContentSync
from quizapp.errors import CardChanged, QuizappError
from quizapp.reviews.model import DueCounts, ReviewCard, ReviewOutcome
from quizapp.scheduling.memory import Q_RETIRED, STATE_NAMES, Memory
from quizapp.scheduling.review import grade_card, interval_cap, previews
from quizapp.settings.service import SettingsService
from quizapp.store import cards, review_log
from quizapp.store.database import Store
from quizapp.store.transaction import Tx
from quizapp.study_time import Moment, StudyTime, utc


class Reviews:
    """Flashcard and skill-card review over one store (any thread; one call, one commit)."""

    def __init__(
        self, store: Store, time: StudyTime, settings: SettingsService, content: ContentSync
    ) -> None:
        self._store = store
        self._time = time
        self._settings = settings
        self._content = content
        # this window's answers are logged under this token: undo takes back the newest
        self.window = secrets.token_hex(8)
        self._unburied_day: int | None = None

    # -- the queue ---------------------------------------------------------------------------

    def limits(self, m: Moment) -> cards.Limits:
        s = self._settings.current()
        return cards.Limits(m.ts, m.day_end, m.today, s.new_per_day, s.reviews_per_day)

    def cap(self, m: Moment) -> int:
        """The longest interval allowed today (the exam date caps it)."""
        exam = self._settings.current().exam_date
        return interval_cap(self._settings.policy, m.today, exam.toordinal() if exam else None)

    def unbury_if_new_day(self, m: Moment) -> None:
        if self._unburied_day == m.today:
            return
        with self._store.write() as tx:
            cards.unbury(tx, m.today)
        self._unburied_day = m.today

    def due_counts(self) -> DueCounts:
        m = self._time.moment()
        self.unbury_if_new_day(m)
        with self._store.read() as tx:
            learning, review, new = cards.due_counts(tx, self.limits(m))
        return DueCounts(learning=learning, review=review, new=new)

    def next_card(self) -> ReviewCard | None:
        m = self._time.moment()
        self.unbury_if_new_day(m)
        while True:
            with self._store.read() as tx:
                row = cards.pick_next(tx, self.limits(m))
            if row is None:
                return None
            if row.kind == "skill" or (row.item_id and self._content.has(row.item_id)):
                return self._shown(row, m)
            # its bank is not loaded here (another window may have brought it back): retire
            # it as this window's sync would have, so it never blocks the queue
            with self._store.write() as tx:
                cards.retire_card(tx, row.card_id)

    def card(self, card_id: int) -> ReviewCard:
        """The card as `next_card` would show it now, with its previews (e.g. the card an
        undo restored); answering it then grades exactly what the previews promised."""
        m = self._time.moment()
        with self._store.read() as tx:
            row = cards.load_card(tx, card_id)
        if row is None:
            raise QuizappError(f"no card {card_id}")
        return self._shown(row, m)

    def _shown(self, row: cards.CardRow, m: Moment) -> ReviewCard:
        memory = row.memory
        cap = self.cap(m)
        skill = row.kind == "skill"
        item = None
        if not skill:
            item = self._content.item(row.item_id or "")
            if item is None:
                raise QuizappError(
                    f"card {memory.card_id} needs bank item {row.item_id!r}: sync the banks first"
                )
        return ReviewCard(
            card_id=memory.card_id,
            state=STATE_NAMES[memory.state],  # type: ignore[arg-type]
            item=item,
            family=row.family if skill else None,
            difficulty=row.difficulty if skill else None,
            previews=previews(memory, m.now, self._settings.policy, cap),
            lapses=memory.lapses,
            leech=memory.leech,
            shown=memory,
            shown_at=m.now,
            cap_days=cap,
        )

    # -- answering ---------------------------------------------------------------------------

    def answer(self, card: ReviewCard, grade: int, elapsed_s: float | None = None) -> ReviewOutcome:
        """Grade the card as it was shown and commit; `CardChanged` if it changed since."""
        m = self._time.moment()
        with self._store.write() as tx:
            outcome, _log_id = self.grade_shown(tx, card, grade, m, elapsed_s)
        return outcome

    def grade_shown(
        self,
        tx: Tx,
        card: ReviewCard,
        grade: int,
        m: Moment,
        elapsed_s: float | None,
    ) -> tuple[ReviewOutcome, int]:
        """Inside the caller's write transaction: store the card's new memory and its log
        row; (outcome, log id). The memory math runs at the moment the previews were
        computed, so the answer gives exactly the interval its button showed."""
        before: Memory = card.shown
        if before.queue == Q_RETIRED:
            raise CardChanged(
                f"card {card.card_id} is retired (its bank is not loaded); answer not saved"
            )
        at_shown = grade_card(before, grade, card.shown_at, self._settings.policy, card.cap_days)
        late = m.ts - card.shown_at.timestamp()
        memory = replace(at_shown.memory, due=at_shown.memory.due + late, last_review=m.ts)
        if not cards.update_memory_if_unchanged(tx, before, memory):
            # answered, retired, suspended or reset elsewhere since it was shown: the
            # learner graded a state that no longer exists, so nothing is saved
            raise CardChanged(
                "this card was answered or changed in another window since it was shown; "
                "your answer was not saved"
            )
        duration = None if elapsed_s is None else round(elapsed_s * 1000)
        log_id = review_log.insert_log(
            tx,
            before,
            memory,
            grade,
            at=m.ts,
            day=m.today,
            duration_ms=duration,
            undo_by=self.window,
        )
        due = utc(memory.due)
        assert due is not None
        return ReviewOutcome(card.card_id, grade, due, at_shown.became_leech), log_id

    # -- undo --------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        with self._store.read() as tx:
            return review_log.can_undo(tx, self.window)

    def undo(self) -> int | None:
        """Undo this window's last answer that can still be undone (restores the card,
        deletes its log row); the card id, or None when there is nothing to undo. The undo
        history is stored: it does not depend on which screen is open."""
        with self._store.write() as tx:
            return review_log.undo_last(tx, self.window)
