"""Quizzes and exams over one store: start (weak topics drawn more often), resume, results,
and the attempt lists. The one write path for attempts is the session and its recorder.

The service keeps the sessions it opened: the UI holds only an attempt id and reaches the
session through the collection (on the study thread, the only one that has it)."""

from __future__ import annotations

from quizapp.bank.model import QUESTION_KINDS, Item
from quizapp.content_sync import ContentSync
from quizapp.errors import QuizappError
from quizapp.quiz.draw import eligible
from quizapp.quiz.plan import QuizSetup
from quizapp.quiz.record import AttemptHeader, QuizRecorder
from quizapp.quiz.results import Results
from quizapp.quiz.session import QuizSession, load_results
from quizapp.quiz.sources import Pick, QuizRecord, pick
from quizapp.stats.model import StudyStats
from quizapp.stats.service import Stats
from quizapp.store.database import Store
from quizapp.study_time import StudyTime


class Quizzes:
    """Quiz sessions on the store's `quiz_attempts` and `quiz_answers` tables."""

    def __init__(self, store: Store, time: StudyTime, content: ContentSync, stats: Stats) -> None:
        self._store = store
        self._time = time
        self._content = content
        self._stats = stats
        self._open: dict[int, QuizSession] = {}

    def recorder(self) -> QuizRecorder:
        """Where sessions save: each call commits in its own transaction (any thread), and
        answers are dated on the study days of this store's settings."""
        from quizapp.store.quiz_attempts import StoreRecorder

        return StoreRecorder(self._store, self._time.day_of)

    def questions(self) -> tuple[Item, ...]:
        """The quiz questions among the loaded bank items."""
        return tuple(i for i in self._content.items() if i.kind in QUESTION_KINDS)

    def record(self) -> QuizRecord:
        """Every quiz answer (which attempt, item, right or wrong, flagged): the sources'."""
        from quizapp.store.quiz_attempts import quiz_record

        with self._store.read() as tx:
            return quiz_record(tx)

    def pick(
        self,
        setup: QuizSetup,
        record: QuizRecord | None = None,
        summary: StudyStats | None = None,
    ) -> Pick:
        """The questions the set-up's source allows (see `quizapp.quiz.sources`)."""
        if setup.source == "all":
            return pick("all", (), QuizRecord())
        summary = summary or self._stats.summary()
        return pick(
            setup.source,
            eligible(self.questions(), setup),
            record if record is not None else self.record(),
            last=setup.last,
            topic_mastery=summary.topics,
            domain_mastery=summary.domains,
        )

    def start(self, setup: QuizSetup) -> QuizSession:
        """Draw and record a new attempt; weak topics (by mastery now) come up more often.
        A set-up with a source draws only from that part of the record (QuizappError, one
        line, when it holds no question)."""
        summary = self._stats.summary()
        items = self.questions()
        if setup.source != "all":
            chosen = self.pick(setup, summary=summary)
            items = tuple(chosen.restrict(items))
            if not eligible(items, setup):
                raise QuizappError(f"no questions {chosen.what} match this set-up")
        session = QuizSession.start(
            setup, items, self.recorder(), clock=self._time.clock, mastery=summary.topics
        )
        self._open[session.attempt_id] = session
        return session

    def resume(self, attempt_id: int) -> QuizSession:
        """Reopen an unfinished attempt (submitted at once if its time ran out)."""
        session = QuizSession.resume(
            attempt_id, self.questions(), self.recorder(), clock=self._time.clock
        )
        if not session.finished:
            self._open[attempt_id] = session
        return session

    def session(self, attempt_id: int) -> QuizSession:
        """The open session of the attempt (started or resumed here, not closed yet)."""
        session = self._open.get(attempt_id)
        if session is None:
            raise QuizappError(f"quiz attempt {attempt_id} is not open: resume it first")
        return session

    def close(self, attempt_id: int) -> None:
        """Save the attempt's place and clock, and let its session go (it stays resumable)."""
        session = self._open.get(attempt_id)
        if session is not None:
            session.save_progress()
            del self._open[attempt_id]

    def results(self, attempt_id: int) -> Results:
        """The results and review of a finished attempt."""
        return load_results(attempt_id, self.questions(), self.recorder())

    def unfinished(self) -> tuple[AttemptHeader, ...]:
        return self.recorder().unfinished_attempts()

    def finished(self) -> tuple[AttemptHeader, ...]:
        return self.recorder().finished_attempts()
