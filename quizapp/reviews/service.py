"""The review loop: the next card with its previews, the answer, and undo.

An answer is saved when it is given, as in Anki's `answer_card`: `answer` takes the card as
it was shown (its memory, when, the interval cap then) and the grade, applies the grade to
that state so the interval matches the button, and commits only if the card is still what
was shown; otherwise nothing is saved and `CardChanged` says so (another window answered,
suspended or retired it). It returns the outcome before the next card is asked for.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from quizapp.bank.model import gap_of_key
from quizapp.content_sync import ContentSync
from quizapp.errors import CardChanged, QuizappError
from quizapp.reviews.model import DueCounts, ReviewCard, ReviewOutcome, StudyChoice, find_choice
from quizapp.reviews.questions import QUESTION_KIND, question_grade, shuffled_order
from quizapp.scheduling.memory import Q_RETIRED, STATE_NAMES, Memory, queue_for
from quizapp.scheduling.review import grade_card, interval_cap, previews
from quizapp.settings.service import SettingsService
from quizapp.store import cards, review_log
from quizapp.store.database import Store
from quizapp.store.transaction import Tx
from quizapp.study_time import Moment, StudyTime, utc


@dataclass(frozen=True, slots=True)
class SetAside:
    """A bury, suspend or flag change from review, kept so that undo can take it back:
    the card's memory and flag before it, and the newest log row then (answers after it
    have higher ids, so undo takes them back first)."""

    card_id: int
    after_log: int
    memory: Memory | None  # before a bury or suspend
    flag: int | None  # before a flag change


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
        # what is studied (Anki's deck): every card, one bank's or one topic's
        self.scope: cards.Scope = cards.ALL_SCOPE
        # the card answered last: it waits while other cards are due (Anki's rule)
        self.last_answered: int | None = None
        # this window's bury/suspend/flag changes, newest last; undo interleaves them with
        # the stored answers by log id
        self._set_aside: list[SetAside] = []
        # the final stretch's length before the exam (set by the collection: Plan.stretch_days)
        self.stretch_days: Callable[[int], int | None] = lambda today: None

    # -- what to study -----------------------------------------------------------------------

    def study_choices(self) -> list[StudyChoice]:
        """Everything, then each bank (the skill cards are the bank "skills"), then each topic."""
        with self._store.read() as tx:
            banks, topics = cards.study_banks(tx), cards.study_topics(tx)
        return [
            StudyChoice("all", ""),
            *(StudyChoice("bank", b) for b in banks),
            *(StudyChoice("topic", t) for t in topics),
        ]

    def find_study(self, name: str) -> StudyChoice | None:
        """The bank or topic called `name` (a bank first; case ignored when not exact)."""
        return find_choice(self.study_choices(), name)

    def study(self, choice: StudyChoice) -> None:
        """Study only `choice` from now on (next_card and due_counts see only its cards)."""
        self.scope = (choice.kind, choice.name)

    @property
    def studying(self) -> StudyChoice:
        kind, name = self.scope
        return StudyChoice(kind, name)  # type: ignore[arg-type]

    # -- the queue ---------------------------------------------------------------------------

    def limits(self, m: Moment) -> cards.Limits:
        s = self._settings.current()
        return cards.Limits(m.ts, m.day_end, m.today, s.new_per_day, s.reviews_per_day)

    def cap(self, m: Moment, card_id: int = 0) -> int:
        """The longest interval allowed today for `card_id` (the exam date caps it; with the
        final stretch, see quizapp.plan, a card comes back inside the stretch)."""
        exam = self._settings.current().exam_date
        exam_day = exam.toordinal() if exam else None
        stretch = self.stretch_days(m.today) if exam_day is not None else None
        return interval_cap(
            self._settings.policy, m.today, exam_day, card_id=card_id, stretch_days=stretch
        )

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
            learning, review, new = cards.due_counts(cards.scoped(tx, self.scope), self.limits(m))
        return DueCounts(learning=learning, review=review, new=new)

    def next_card(self) -> ReviewCard | None:
        m = self._time.moment()
        self.unbury_if_new_day(m)
        while True:
            with self._store.read() as tx:
                row = cards.pick_next(
                    cards.scoped(tx, self.scope), self.limits(m), skip=self.last_answered
                )
            if row is None:
                return None
            if row.kind == "skill" or (row.item_id and self._content.has(row.item_id)):
                return self._shown(row, m, row.flag)
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
        return self._shown(row, m, row.flag)

    def _shown(self, row: cards.CardRow, m: Moment, flag: int = 0) -> ReviewCard:
        memory = row.memory
        cap = self.cap(m, memory.card_id)
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
            flag=flag,
            gap=gap_of_key(row.key) if row.kind == "cloze" else None,
            order=(
                shuffled_order(item, memory.card_id, memory.reps)
                if item is not None and row.kind == QUESTION_KIND
                else ()
            ),
        )

    # -- answering ---------------------------------------------------------------------------

    def answer(self, card: ReviewCard, grade: int, elapsed_s: float | None = None) -> ReviewOutcome:
        """Grade the card as it was shown and commit; `CardChanged` if it changed since."""
        m = self._time.moment()
        with self._store.write() as tx:
            outcome, _log_id = self.grade_shown(tx, card, grade, m, elapsed_s)
        return outcome

    def answer_question(
        self, card: ReviewCard, picked: Iterable[int], elapsed_s: float
    ) -> ReviewOutcome:
        """Grade a question card from the learner's pick (original choice indexes): wrong
        is Again; right is Good, Easy when fast, Hard when slow (the skill cards' rule)."""
        if card.item is None or not card.is_question:
            raise QuizappError(f"card {card.card_id} is not a question card")
        return self.answer(card, question_grade(card.item, picked, elapsed_s), elapsed_s)

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
        # Again puts it back in learning: it waits while other cards are due (Anki)
        self.last_answered = card.card_id if grade == 1 else None
        return ReviewOutcome(card.card_id, grade, due, at_shown.became_leech), log_id

    # -- undo --------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        if self._set_aside:
            return True
        with self._store.read() as tx:
            return review_log.can_undo(tx, self.window)

    def undo(self) -> int | None:
        """Undo this window's last answer that can still be undone (restores the card,
        deletes its log row), or its last bury, suspend or flag change if that came later;
        the card id, or None when there is nothing to undo. The answers' undo history is
        stored: it does not depend on which screen is open."""
        self.last_answered = None
        with self._store.write() as tx:
            top = self._set_aside[-1] if self._set_aside else None
            newest = review_log.newest_undoable(tx, self.window)
            if top is None or (newest is not None and newest > top.after_log):
                return review_log.undo_last(tx, self.window)
            self._take_back(tx, top)
        self._set_aside.pop()
        return top.card_id

    # -- setting a card aside from review (each undoable) -----------------------------------

    def bury(self, card_id: int) -> None:
        """Hide the card until the next study day."""
        self._change(card_id, buried_until=self._time.moment().today + 1)

    def suspend(self, card_id: int) -> None:
        """Take the card out of review until it is unsuspended (in browse)."""
        self._change(card_id, suspended=True)

    def set_flag(self, card_id: int, flag: int) -> None:
        """Flag the card (0 none, 1 red, 2 orange, 3 green, 4 blue)."""
        if flag not in range(5):
            raise ValueError(f"no flag {flag}")
        with self._store.write() as tx:
            before = cards.load_flag(tx, card_id)
            cards.set_flag(tx, card_id, flag)
            after_log = review_log.newest_log_id(tx)
        self._set_aside.append(SetAside(card_id, after_log, None, before))

    def _change(self, card_id: int, **changes: object) -> None:
        today = self._time.moment().today
        with self._store.write() as tx:
            before = cards.load_memory(tx, card_id)
            if before is None:
                raise QuizappError(f"no card {card_id}")
            if before.queue == Q_RETIRED:
                raise CardChanged(f"card {card_id} is retired (its bank is not loaded)")
            mem = replace(before, **changes)  # type: ignore[arg-type]
            buried = mem.buried_until is not None and mem.buried_until > today
            mem = replace(mem, queue=queue_for(mem.state, suspended=mem.suspended, buried=buried))
            cards.update_memory(tx, mem)
            after_log = review_log.newest_log_id(tx)
        self._set_aside.append(SetAside(card_id, after_log, before, None))

    def _take_back(self, tx: Tx, change: SetAside) -> None:
        if change.flag is not None:
            cards.set_flag(tx, change.card_id, change.flag)
        was = change.memory
        if was is None:
            return
        now = cards.load_memory(tx, change.card_id)
        if now is None or now.queue == Q_RETIRED:
            return
        today = self._time.moment().today
        buried = was.buried_until is not None and was.buried_until > today
        cards.update_memory(
            tx,
            replace(
                now,
                suspended=was.suspended,
                buried_until=was.buried_until,
                queue=queue_for(now.state, suspended=was.suspended, buried=buried),
            ),
        )
