"""`Study`: the progress facade the UI and the CLI use (implements `quizapp.api.Study`).

Every call runs in its own transaction on a connection from the store's pool and commits
before it returns, so an answer is on disk before the next card is asked for. The object
can be used from any thread (e.g. a Textual thread worker): it holds no connection or
session, only immutable snapshots (settings, bank items), a lock-guarded undo stack of its
own answers and the memory of the last cards it showed (answering one of those needs no
read: the update checks the row is unchanged, else the answer is refused with `CardChanged`,
since the learner graded a state that no longer exists).
The review loop runs compiled Core statements (`Store.hot`); quizzes use ORM sessions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select

from quizapp.api import (
    CardInfo,
    Dashboard,
    DueCounts,
    History,
    PastAnswer,
    PracticeAttempt,
    PracticeRecord,
    QuizAnswer,
    ReviewCard,
    ReviewOutcome,
    Settings,
    StudyStats,
    SyncReport,
    TopicMastery,
)
from quizapp.bank.model import Item
from quizapp.clock import Clock, SystemClock, day_start, study_date, study_day
from quizapp.errors import CardChanged, QuizappError
from quizapp.scheduling.memory import NEW, Q_RETIRED, STATE_NAMES, Memory, queue_for
from quizapp.scheduling.review import Policy, grade_card, interval_cap, previews
from quizapp.scheduling.skills import practice_grade
from quizapp.store import queries
from quizapp.store.database import Store, open_store
from quizapp.store.runner import Runner

if TYPE_CHECKING:
    from quizapp.quiz.record import QuizRecorder

UNDO_DEPTH = 200
SHOWN_KEPT = 16  # memories of recently shown cards, kept to answer them without a read
MAX_HISTORY_DAYS = 3660
ONE_CARD = (  # a card with what `next_card` reads about it
    select(*queries.MEMORY_COLUMNS, *queries.CARD_COLUMNS)
    .join_from(queries.MEM, queries.CARDS, queries.MEM.c.card_id == queries.CARDS.c.id)
    .where(queries.MEM.c.card_id == bindparam("card_id"))
)


@dataclass(frozen=True, slots=True)
class _Moment:
    """One call's view of time: now, the study day and its bounds."""

    now: datetime
    ts: float
    today: int
    day_start: float
    day_end: float


@dataclass(frozen=True, slots=True)
class _Shown:
    """A card as `next_card` showed it: its memory, when, and the interval cap then."""

    memory: Memory
    at: datetime
    cap: int


def _utc(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


class Study:
    """Progress and scheduling over one store. See the module docstring."""

    def __init__(
        self, store: Store, items: Iterable[Item] | None = None, *, clock: Clock | None = None
    ) -> None:
        self._store = store
        self._clock: Clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._undo: list[int] = []
        self._shown: dict[int, _Shown] = {}
        self._items: dict[str, Item] = {}
        self._unburied_day: int | None = None
        from quizapp.store.settings import load_settings

        with store.reading() as conn:
            self._settings = load_settings(conn)
        self._policy = Policy.from_settings(self._settings)
        if items is not None:
            self.sync(items)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        items: Iterable[Item] | None = None,
        *,
        clock: Clock | None = None,
    ) -> Study:
        """Open the database at `url` (default: $QUIZAPP_DB or the data dir) and sync."""
        store = open_store(url)
        try:
            return cls(store, items, clock=clock)
        except BaseException:
            store.dispose()  # a failed sync (a lock, a full disk) leaves no connection open
            raise

    @property
    def store(self) -> Store:
        return self._store

    def close(self) -> None:
        self._store.dispose()

    # --- time ---------------------------------------------------------------------------

    def _moment(self) -> _Moment:
        now = self._clock.now().astimezone(UTC)
        zone = self._clock.local_zone()
        hour = self._settings.rollover_hour
        today = study_date(now, zone, hour).toordinal()
        start = day_start(today, zone, hour).timestamp()
        end = day_start(today + 1, zone, hour).timestamp()
        return _Moment(now, now.timestamp(), today, start, end)

    def _limits(self, m: _Moment) -> queries.Limits:
        s = self._settings
        return queries.Limits(m.ts, m.day_end, m.today, s.new_per_day, s.reviews_per_day)

    def _cap(self, m: _Moment) -> int:
        exam = self._settings.exam_date
        return interval_cap(self._policy, m.today, exam.toordinal() if exam else None)

    def _unbury_if_new_day(self, m: _Moment) -> None:
        if self._unburied_day == m.today:
            return
        with self._store.hot(write=True) as run:
            queries.unbury(run, m.today)
        self._unburied_day = m.today

    # --- content ------------------------------------------------------------------------

    def sync(self, items: Iterable[Item]) -> SyncReport:
        from quizapp.store.sync import sync_cards

        items = tuple(items)
        with self._store.writing() as conn:
            report = sync_cards(conn, items, self._clock.now().timestamp())
        self._items = {item.id: item for item in items}
        return report

    # --- the review loop ----------------------------------------------------------------

    def due_counts(self) -> DueCounts:
        m = self._moment()
        self._unbury_if_new_day(m)
        with self._store.hot() as run:
            learning, review, new = queries.due_counts(run, self._limits(m))
        return DueCounts(learning=learning, review=review, new=new)

    def next_card(self) -> ReviewCard | None:
        m = self._moment()
        self._unbury_if_new_day(m)
        while True:
            with self._store.hot() as run:
                row = queries.pick_next(run, self._limits(m))
            if row is None:
                return None
            kind, item_id = row[queries.N_MEMORY], row[queries.N_MEMORY + 1]
            if kind == "skill" or item_id in self._items:
                return self._review_card(row, m)
            # its bank is not loaded here (another window may have brought it back): retire
            # it as this window's sync would have, so it never blocks the queue
            with self._store.hot(write=True) as run:
                queries.retire_card(run, int(row[0]))

    def card(self, card_id: int) -> ReviewCard:
        """The card as `next_card` would show it now, with its previews (e.g. the card an
        undo restored); answering it then grades exactly what the previews promised."""
        m = self._moment()
        with self._store.hot() as run:
            row = run.first(ONE_CARD, {"card_id": card_id})
        if row is None:
            raise QuizappError(f"no card {card_id}")
        return self._review_card(row, m)

    def _review_card(self, row: tuple[Any, ...], m: _Moment) -> ReviewCard:
        memory = queries.memory_from_row(row)
        cap = self._cap(m)
        self._remember_shown(_Shown(memory, m.now, cap))
        kind, item_id, family, difficulty = row[queries.N_MEMORY :]
        item = None
        if kind != "skill":
            item = self._items.get(item_id)
            if item is None:
                raise QuizappError(
                    f"card {memory.card_id} needs bank item {item_id!r}: sync the banks first"
                )
        return ReviewCard(
            card_id=memory.card_id,
            state=STATE_NAMES[memory.state],  # type: ignore[arg-type]
            item=item,
            family=family if kind == "skill" else None,
            difficulty=difficulty if kind == "skill" else None,
            previews=previews(memory, m.now, self._policy, cap),
            lapses=memory.lapses,
            leech=memory.leech,
        )

    def _remember_shown(self, shown: _Shown) -> None:
        """Keep what a card was shown with: answering it then needs no read."""
        with self._lock:
            self._shown[shown.memory.card_id] = shown
            while len(self._shown) > SHOWN_KEPT:
                del self._shown[next(iter(self._shown))]

    def _take_shown(self, card_id: int) -> _Shown | None:
        with self._lock:
            return self._shown.pop(card_id, None)

    def _grade(
        self, run: Runner, card_id: int, grade: int, m: _Moment, elapsed_s: float | None
    ) -> tuple[ReviewOutcome, int]:
        """Grade the card, store its new memory and log row; (outcome, log id)."""
        shown = self._take_shown(card_id)
        if shown is not None:
            # the memory math at the moment the previews were computed, so the answer gives
            # exactly the interval its button showed; the times are the answer's own
            before = shown.memory
            at_shown = grade_card(before, grade, shown.at, self._policy, shown.cap)
            late = m.ts - shown.at.timestamp()
            memory = replace(at_shown.memory, due=at_shown.memory.due + late, last_review=m.ts)
            graded = replace(at_shown, memory=memory)
            if not queries.update_memory_if_unchanged(run, before, memory):
                # answered, retired, suspended or reset elsewhere since it was shown: the
                # learner graded a state that no longer exists, so nothing is saved
                raise CardChanged(
                    "this card was answered or changed in another window since it was shown; "
                    "your answer was not saved"
                )
        else:
            loaded = queries.load_memory(run, card_id)
            if loaded is None:
                raise QuizappError(f"no card {card_id}")
            before = loaded
            if before.queue == Q_RETIRED:
                raise CardChanged(
                    f"card {card_id} is retired (its bank is not loaded); answer not saved"
                )
            graded = grade_card(before, grade, m.now, self._policy, self._cap(m))
            queries.update_memory(run, graded.memory)
        duration = None if elapsed_s is None else round(elapsed_s * 1000)
        log_id = queries.insert_log(
            run, before, graded.memory, grade, at=m.ts, day=m.today, duration_ms=duration
        )
        due = _utc(graded.memory.due)
        assert due is not None
        return ReviewOutcome(card_id, grade, due, graded.became_leech), log_id

    def _push_undo(self, log_id: int) -> None:
        with self._lock:
            self._undo.append(log_id)
            del self._undo[:-UNDO_DEPTH]

    def answer(self, card_id: int, grade: int, elapsed_s: float | None = None) -> ReviewOutcome:
        m = self._moment()
        with self._store.hot(write=True) as run:
            outcome, log_id = self._grade(run, card_id, grade, m, elapsed_s)
        self._push_undo(log_id)
        return outcome

    def can_undo(self) -> bool:
        with self._lock:
            return bool(self._undo)

    def undo(self) -> int | None:
        """Undo this Study's last answer (restores the card, deletes its log row)."""
        while True:
            with self._lock:
                if not self._undo:
                    return None
                log_id = self._undo.pop()
            with self._store.hot(write=True) as run:
                card_id = queries.undo_answer(run, log_id)
            if card_id is not None:
                return card_id

    def record_practice(self, attempt: PracticeAttempt) -> ReviewOutcome | None:
        m = self._moment()
        outcome: ReviewOutcome | None = None
        log_id: int | None = None
        with self._store.hot(write=True) as run:
            if attempt.card_id is not None:
                grade = practice_grade(
                    attempt.correct,
                    hinted=attempt.hinted,
                    elapsed_s=attempt.elapsed_s,
                    difficulty=attempt.difficulty,
                )
                outcome, log_id = self._grade(run, attempt.card_id, grade, m, attempt.elapsed_s)
            queries.insert_practice(
                run,
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
                },
            )
        if log_id is not None:
            self._push_undo(log_id)
        return outcome

    def practice_records(self) -> tuple[PracticeRecord, ...]:
        from sqlalchemy import Integer, cast, func, select

        t = queries.PRACTICE
        with self._store.reading() as conn:
            rows = conn.execute(
                select(t.c.family, func.count(), func.sum(cast(t.c.correct, Integer)))
                .group_by(t.c.family)
                .order_by(t.c.family)
            ).all()
        return tuple(PracticeRecord(f, int(n), int(c or 0)) for f, n, c in rows)

    def practice_attempts(self, limit: int | None = None) -> tuple[PracticeAttempt, ...]:
        """Saved practice attempts, newest first (all of them without a limit)."""
        t = queries.PRACTICE
        stmt = select(
            t.c.variant_id,
            t.c.family,
            t.c.difficulty,
            t.c.typed,
            t.c.value,
            t.c.correct,
            t.c.misconception,
            t.c.hinted,
            t.c.elapsed_s,
            t.c.card_id,
        ).order_by(t.c.id.desc())
        if limit is not None:
            stmt = stmt.limit(max(0, limit))
        with self._store.reading() as conn:
            rows = conn.execute(stmt).all()
        return tuple(
            PracticeAttempt(
                variant_id=r.variant_id,
                family=r.family,
                difficulty=r.difficulty,
                typed=r.typed,
                value=r.value,
                correct=bool(r.correct),
                misconception=r.misconception,
                hinted=bool(r.hinted),
                elapsed_s=r.elapsed_s,
                card_id=r.card_id,
            )
            for r in rows
        )

    # --- card flags ---------------------------------------------------------------------

    def _set_flags(self, card_id: int, **changes: Any) -> None:
        m = self._moment()
        with self._store.hot(write=True) as run:
            mem = queries.load_memory(run, card_id)
            if mem is None:
                raise QuizappError(f"no card {card_id}")
            mem = replace(mem, **changes)
            if mem.queue != Q_RETIRED:
                buried = mem.buried_until is not None and mem.buried_until > m.today
                mem = replace(
                    mem, queue=queue_for(mem.state, suspended=mem.suspended, buried=buried)
                )
            queries.update_memory(run, mem)

    def suspend(self, card_id: int, suspended: bool = True) -> None:
        self._set_flags(card_id, suspended=suspended)

    def bury(self, card_id: int) -> None:
        """Hide the card until the next study day."""
        self._set_flags(card_id, buried_until=self._moment().today + 1)

    def reset_card(self, card_id: int) -> None:
        """Forget the card's progress (new again, in its bank position); history is kept."""
        from sqlalchemy import select

        with self._store.reading() as conn:
            position = conn.execute(
                select(queries.CARDS.c.position).where(queries.CARDS.c.id == card_id)
            ).scalar()
        if position is None:
            raise QuizappError(f"no card {card_id}")
        self._set_flags(
            card_id,
            state=NEW,
            step=None,
            stability=None,
            difficulty=None,
            due=float(position),
            last_review=None,
            reps=0,
            lapses=0,
            leech=False,
            buried_until=None,
        )
        with self._lock:
            self._undo.clear()  # earlier answers of this card can no longer be undone cleanly

    # --- settings -----------------------------------------------------------------------

    def settings(self) -> Settings:
        return self._settings

    def save_settings(self, settings: Settings) -> None:
        from quizapp.store.settings import save_settings

        with self._store.writing() as conn:
            save_settings(conn, settings)
        self._settings = settings
        self._policy = Policy.from_settings(settings)

    def set_exam_date(self, exam_date: date | None) -> None:
        self.save_settings(replace(self._settings, exam_date=exam_date))

    # --- statistics ---------------------------------------------------------------------

    def _exam_ts(self, m: _Moment) -> float | None:
        exam = self._settings.exam_date
        if exam is None or exam.toordinal() < m.today:
            return None
        start = day_start(exam, self._clock.local_zone(), self._settings.rollover_hour)
        return max(start.timestamp(), m.ts)

    def stats(self) -> StudyStats:
        from quizapp.stats import build_stats
        from quizapp.store.aggregates import collect

        m = self._moment()
        with self._store.hot() as run:
            raw = collect(run, now=m.ts, today=m.today, day_start=m.day_start, day_end=m.day_end)
        return build_stats(
            raw, now_ts=m.ts, exam_date=self._settings.exam_date, exam_ts=self._exam_ts(m)
        )

    def history(self, days: int = 30) -> History:
        """Per-day series for the last `days` study days (today included), the calendar of
        the last year (or of `days`, if longer) and the attempts finished in the window."""
        from quizapp.stats import build_history
        from quizapp.store.aggregates import CALENDAR_DAYS, collect_history

        if not 1 <= days <= MAX_HISTORY_DAYS:
            raise QuizappError(f"history covers 1 to {MAX_HISTORY_DAYS} days, not {days}")
        m = self._moment()
        first = m.today - days + 1
        since = day_start(first, self._clock.local_zone(), self._settings.rollover_hour)
        with self._store.hot() as run:
            raw = collect_history(
                run,
                first=first,
                today=m.today,
                calendar_first=m.today - max(days, CALENDAR_DAYS) + 1,
                since=since.timestamp(),
            )
        return build_history(raw, desired_retention=self._settings.desired_retention)

    def dashboard(self) -> Dashboard:
        from quizapp.bank.taxonomy import load_taxonomy

        m = self._moment()
        due = self.due_counts()
        stats = self.stats()
        with self._store.hot() as run:
            upcoming = queries.next_due(run, m.ts)
            if queries.has_new_cards(run) and (upcoming is None or upcoming > m.day_end):
                upcoming = m.day_end  # new cards open up at the next rollover
        labels = load_taxonomy().topics
        exam = self._settings.exam_date
        return Dashboard(
            due=due,
            reviews_today=stats.reviews_today,
            streak_days=stats.streak_days,
            exam_date=exam,
            days_to_exam=(exam.toordinal() - m.today) if exam else None,
            exam_day_recall=stats.exam_day_recall,
            topics=tuple(
                TopicMastery(topic, labels.get(topic, topic), value)
                for topic, value in stats.topics.items()
            ),
            next_due=_utc(upcoming),
        )

    # --- browsing -----------------------------------------------------------------------

    def items(self) -> tuple[Item, ...]:
        """The bank items of the last sync, in bank order."""
        return tuple(self._items.values())

    def recent_answers(
        self, *, card_id: int | None = None, item_id: str | None = None, limit: int = 5
    ) -> tuple[PastAnswer, ...]:
        """The card's review answers and the item's quiz answers, newest first."""
        from quizapp.store.models import QuizAnswerRow, QuizAttempt

        log, found = queries.LOG, []
        with self._store.reading() as conn:
            if card_id is not None:
                rows = conn.execute(
                    select(log.c.reviewed_at, log.c.grade, log.c.state_before, log.c.due)
                    .where(log.c.card_id == card_id)
                    .order_by(log.c.id.desc())
                    .limit(limit)
                ).all()
                found += [
                    PastAnswer(
                        at=datetime.fromtimestamp(at, UTC),
                        source="review",
                        correct=grade > 1,
                        grade=grade,
                        state_before=STATE_NAMES[state],  # type: ignore[arg-type]
                        interval_days=(due - at) / 86400.0,
                    )
                    for at, grade, state, due in rows
                ]
            if item_id is not None:
                a, t = QuizAnswerRow.__table__, QuizAttempt.__table__
                rows = conn.execute(
                    select(a.c.answered_at, a.c.correct, t.c.mode)
                    .join_from(a, t, a.c.attempt_id == t.c.id)
                    .where(a.c.item_id == item_id, a.c.correct.is_not(None))
                    .order_by(a.c.answered_at.desc())
                    .limit(limit)
                ).all()
                found += [
                    PastAnswer(
                        at=datetime.fromtimestamp(at, UTC),
                        source="quiz",
                        correct=bool(correct),
                        mode=mode,
                    )
                    for at, correct, mode in rows
                ]
        found.sort(key=lambda p: p.at, reverse=True)
        return tuple(found[:limit])

    def card_infos(self, *, include_retired: bool = False) -> tuple[CardInfo, ...]:
        from sqlalchemy import select

        from quizapp.scheduling.forgetting import retrievability_at

        c, mem = queries.CARDS, queries.MEM
        stmt = (
            select(
                *queries.MEMORY_COLUMNS,
                c.c.key,
                c.c.kind,
                c.c.item_id,
                c.c.family,
                c.c.difficulty,
                c.c.topic,
                c.c.retired,
            )
            .join_from(mem, c, mem.c.card_id == c.c.id)
            .order_by(c.c.position)
        )
        if not include_retired:
            stmt = stmt.where(c.c.retired.is_(False))
        m = self._moment()
        with self._store.reading() as conn:
            rows = conn.execute(stmt).all()
        memories = [queries.memory_from_row(r) for r in rows]
        studied = [x.state != NEW and x.stability is not None for x in memories]
        recall = retrievability_at(
            [x.stability if ok else 1.0 for x, ok in zip(memories, studied, strict=True)],
            [x.last_review or m.ts for x in memories],
            m.ts,
        )
        return tuple(
            self._info(x, r[queries.N_MEMORY :], float(rv) if ok else None, m)
            for x, r, rv, ok in zip(memories, rows, recall, studied, strict=True)
        )

    def card_info(self, card_id: int) -> CardInfo:
        for info in self.card_infos(include_retired=True):
            if info.card_id == card_id:
                return info
        raise QuizappError(f"no card {card_id}")

    @staticmethod
    def _info(x: Memory, rest: Any, recall: float | None, m: _Moment) -> CardInfo:
        key, kind, item_id, family, difficulty, topic, retired = rest
        state = "retired" if retired else ("suspended" if x.suspended else STATE_NAMES[x.state])
        return CardInfo(
            card_id=x.card_id,
            key=key,
            kind=kind,
            item_id=item_id,
            family=family,
            difficulty=difficulty,
            topic=topic,
            state=state,  # type: ignore[arg-type]
            due=None if x.state == NEW else _utc(x.due),
            stability_days=x.stability,
            fsrs_difficulty=x.difficulty,
            reps=x.reps,
            lapses=x.lapses,
            suspended=x.suspended,
            buried=x.buried_until is not None and x.buried_until > m.today,
            leech=x.leech,
            retired=bool(retired),
            recall_now=recall,
        )

    # --- quizzes ------------------------------------------------------------------------

    def quiz_recorder(self) -> QuizRecorder:
        """Where `quizapp.quiz.QuizSession` saves its attempts: this store's quiz tables.

        Each call of the recorder commits in its own transaction (any thread may make it);
        answers are dated on this Study's study days.
        """
        from quizapp.store.quiz import StoreRecorder

        return StoreRecorder(self._store, self._study_day_of)

    def _study_day_of(self, at: datetime) -> int:
        return study_day(at, self._clock.local_zone(), self._settings.rollover_hour)

    def start_quiz(
        self, mode: str, profile: str, question_count: int, time_limit_s: float | None = None
    ) -> int:
        from quizapp.store.quiz import start_attempt

        m = self._moment()
        with self._store.write() as session:
            return start_attempt(
                session,
                mode=mode,
                profile=profile,
                question_count=question_count,
                time_limit_s=time_limit_s,
                now=m.ts,
            )

    def save_quiz_answer(self, attempt_id: int, answer: QuizAnswer) -> None:
        from quizapp.store.quiz import save_answer

        m = self._moment()
        with self._store.write() as session:
            save_answer(session, attempt_id, answer, now=m.ts, day=m.today)

    def finish_quiz(self, attempt_id: int, score: float, remaining_s: float | None = None) -> None:
        from quizapp.store.quiz import finish_attempt

        m = self._moment()
        with self._store.write() as session:
            finish_attempt(session, attempt_id, score=score, remaining_s=remaining_s, now=m.ts)
