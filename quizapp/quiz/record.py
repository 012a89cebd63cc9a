"""Persistence of quiz attempts as a narrow interface (`QuizRecorder`) and an in-memory one.

The session calls the recorder as things happen: once when the attempt starts (with the plan
as JSON text), on every answer and flag (with the progress: position, time used, time left),
periodically while the clock runs, once per resume (the pause: how long it was left), and
once at the end (with the scaled score). The store
implements the protocol against its `quiz_attempts` / `quiz_answers` tables; `MemoryRecorder`
is the reference implementation the tests use. Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from quizapp.errors import QuizappError
from quizapp.quiz.profiles import PASS_SCORE, profile_by_name


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    """One answer in a quiz attempt, saved as soon as it is given."""

    position: int
    item_id: str
    topic: str
    domain: str
    chosen: tuple[int, ...] = ()  # choice indexes (single/multiple response, true/false as 0/1)
    typed: str | None = None  # computed questions
    correct: bool | None = None  # None until answered
    flagged: bool = False
    misconception: str | None = None  # the named mistake a wrong answer matches
    # the item's kind, for the recorder (a missed question may become a review card); not
    # stored with the answer, so not compared
    kind: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Progress:
    """Where an attempt stands: the question on screen and the clock."""

    current: int  # position of the question on screen (0-based)
    elapsed_s: float  # time spent in the attempt so far (closed app time not counted)
    remaining_s: float | None  # time left; None when untimed


@dataclass(frozen=True, slots=True)
class AttemptHeader:
    """One attempt as a list shows it (the `quiz_attempts` row, plus its answered count)."""

    attempt_id: int
    mode: str  # practice | exam
    profile: str
    question_count: int
    started_at: datetime
    finished_at: datetime | None
    time_limit_s: float | None
    remaining_s: float | None
    score: float | None  # scaled 100..1000 once finished
    answered: int = 0
    pauses: int = 0  # times the attempt was left and resumed
    paused_s: float = 0.0  # wall-clock time it spent left (its clock does not run then)
    saved_at: datetime | None = None  # its last save (None: saved before quizapp kept it)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def pass_score(self) -> int:
        profile = profile_by_name(self.profile)
        return profile.pass_score if profile else PASS_SCORE

    @property
    def passed(self) -> bool | None:
        return None if self.score is None else self.score >= self.pass_score


@dataclass(frozen=True, slots=True)
class StoredAttempt:
    """Everything needed to resume or review an attempt."""

    header: AttemptHeader
    plan_json: str  # AttemptPlan.to_json(), as given to start_attempt
    progress: Progress
    answers: tuple[QuizAnswer, ...]  # one per position answered or flagged, any order


class QuizRecorder(Protocol):
    """Where quiz attempts are saved. Every call is durable (committed) when it returns."""

    def start_attempt(
        self,
        *,
        mode: str,
        profile: str,
        question_count: int,
        time_limit_s: float | None,
        plan_json: str,
        at: datetime,
    ) -> int:
        """Create the attempt (progress: question 0, nothing elapsed); return its id."""
        ...

    def save_answer(
        self, attempt_id: int, answer: QuizAnswer, progress: Progress, *, at: datetime
    ) -> None:
        """Insert or replace the answer at `answer.position` and save the progress with it.

        `answer.correct` is None for a question that is only flagged (or whose answer was
        cleared); `at` is when it was given.
        """
        ...

    def save_progress(self, attempt_id: int, progress: Progress, *, at: datetime) -> None:
        """Save the position and the clock (periodically, on navigation and on quit), and
        `at` as the time of the last save."""
        ...

    def finish(self, attempt_id: int, score: int, progress: Progress, *, at: datetime) -> None:
        """Mark the attempt finished with its scaled score and final progress."""
        ...

    def record_pause(self, attempt_id: int, paused_s: float, *, at: datetime) -> None:
        """Count one pause (the attempt was left and is resumed at `at`) of `paused_s`
        seconds; `at` becomes the time of the last save."""
        ...

    def load_attempt(self, attempt_id: int) -> StoredAttempt:
        """The attempt with its plan, progress and answers; QuizappError if there is none."""
        ...

    def unfinished_attempts(self) -> tuple[AttemptHeader, ...]:
        """Attempts not finished, newest first."""
        ...

    def finished_attempts(self) -> tuple[AttemptHeader, ...]:
        """Finished attempts with their scores, newest first."""
        ...


@dataclass(slots=True)
class _Row:
    header: AttemptHeader
    plan_json: str
    progress: Progress
    answers: dict[int, QuizAnswer]


class MemoryRecorder:
    """A QuizRecorder in a dict (tests, or a session that must not touch the database).

    `calls` logs each write as (method, attempt_id) so tests can see what was saved when.
    """

    def __init__(self) -> None:
        self._rows: dict[int, _Row] = {}
        self.calls: list[tuple[str, int]] = []

    def start_attempt(
        self,
        *,
        mode: str,
        profile: str,
        question_count: int,
        time_limit_s: float | None,
        plan_json: str,
        at: datetime,
    ) -> int:
        attempt_id = len(self._rows) + 1
        header = AttemptHeader(
            attempt_id, mode, profile, question_count, at, None, time_limit_s, time_limit_s, None
        )
        header = replace(header, saved_at=at)
        self._rows[attempt_id] = _Row(header, plan_json, Progress(0, 0.0, time_limit_s), {})
        self.calls.append(("start_attempt", attempt_id))
        return attempt_id

    def _row(self, attempt_id: int) -> _Row:
        row = self._rows.get(attempt_id)
        if row is None:
            raise QuizappError(f"no quiz attempt {attempt_id}")
        return row

    def _set_progress(self, row: _Row, progress: Progress, at: datetime) -> None:
        row.progress = progress
        row.header = replace(row.header, remaining_s=progress.remaining_s, saved_at=at)

    def save_answer(
        self, attempt_id: int, answer: QuizAnswer, progress: Progress, *, at: datetime
    ) -> None:
        row = self._row(attempt_id)
        row.answers[answer.position] = answer
        self._set_progress(row, progress, at)
        answered = sum(a.correct is not None for a in row.answers.values())
        row.header = replace(row.header, answered=answered)
        self.calls.append(("save_answer", attempt_id))

    def save_progress(self, attempt_id: int, progress: Progress, *, at: datetime) -> None:
        self._set_progress(self._row(attempt_id), progress, at)
        self.calls.append(("save_progress", attempt_id))

    def finish(self, attempt_id: int, score: int, progress: Progress, *, at: datetime) -> None:
        row = self._row(attempt_id)
        self._set_progress(row, progress, at)
        row.header = replace(row.header, finished_at=at, score=float(score))
        self.calls.append(("finish", attempt_id))

    def record_pause(self, attempt_id: int, paused_s: float, *, at: datetime) -> None:
        row = self._row(attempt_id)
        if row.header.finished:
            raise QuizappError(f"quiz attempt {attempt_id} is finished: it cannot change")
        h = row.header
        row.header = replace(
            h, pauses=h.pauses + 1, paused_s=h.paused_s + max(0.0, paused_s), saved_at=at
        )
        self.calls.append(("record_pause", attempt_id))

    def load_attempt(self, attempt_id: int) -> StoredAttempt:
        row = self._row(attempt_id)
        return StoredAttempt(row.header, row.plan_json, row.progress, tuple(row.answers.values()))

    def unfinished_attempts(self) -> tuple[AttemptHeader, ...]:
        return tuple(r.header for r in reversed(self._rows.values()) if not r.header.finished)

    def finished_attempts(self) -> tuple[AttemptHeader, ...]:
        return tuple(r.header for r in reversed(self._rows.values()) if r.header.finished)
