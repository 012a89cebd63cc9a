"""A quiz session (practice or exam simulation) without any UI.

The screens drive a `QuizSession`: start one from a set-up (or resume one from the recorder),
show `question(i)`, record answers with `answer(...)` / `answer_typed(...)`, flag, navigate,
call `tick()` about once a second, then `submit_check()` and `submit()`.

Every answer, flag and navigation is saved through the recorder as it happens, with the
progress (position, time used, time left), and `tick()` saves the clock every
`AUTOSAVE_S` seconds, so an interrupted attempt resumes where it was with the time it had.
Time used is measured on the clock's monotonic time and stored as elapsed seconds, so a jump
of the wall clock changes nothing; time while the app is closed does not count (resuming
records it as a pause, shown with the results). An answer
counts as given only once the recorder has stored it: if saving fails, the error propagates
and the question stays as it was, so the learner can answer again. When an exam's time runs
out, `tick()` (or the next action) submits it; after that, actions raise `TimeUp`.

Practice mode gives feedback after each answer and an answer cannot be changed; exam mode
gives none until the end, answers can be changed or cleared until submit, and computed
questions are answered in their multiple-choice form only.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from quizapp.bank.model import Item
from quizapp.clock import Clock, SystemClock
from quizapp.errors import QuizappError
from quizapp.quiz.draw import WEAK_BOOST, draw_plan
from quizapp.quiz.plan import AttemptPlan, DomainQuota, QuizSetup
from quizapp.quiz.questions import Question, build_question
from quizapp.quiz.record import AttemptHeader, Progress, QuizAnswer, QuizRecorder
from quizapp.quiz.results import Results, build_results
from quizapp.quiz.scoring import Feedback, complete_sequence, judge

AUTOSAVE_S = 5.0
SEED_SPACE = 2**31


class QuizClosed(QuizappError):
    """The attempt is finished: nothing can be answered any more."""


class TimeUp(QuizClosed):
    """The exam's time ran out; it has been submitted."""


class UnreadableAnswer(QuizappError):
    """A typed answer that is not a number; nothing was recorded (str(err) says how to type)."""


@dataclass(frozen=True, slots=True)
class NavEntry:
    """One question in the navigator."""

    position: int
    answered: bool
    flagged: bool
    current: bool

    @property
    def status(self) -> str:
        """flagged (whether answered or not), answered or unanswered."""
        if self.flagged:
            return "flagged"
        return "answered" if self.answered else "unanswered"


@dataclass(frozen=True, slots=True)
class SubmitCheck:
    """What to warn about before submitting."""

    total: int
    unanswered: tuple[int, ...]  # positions
    flagged: tuple[int, ...]  # positions

    @property
    def answered_count(self) -> int:
        return self.total - len(self.unanswered)

    @property
    def unanswered_count(self) -> int:
        return len(self.unanswered)

    @property
    def flagged_count(self) -> int:
        return len(self.flagged)

    @property
    def needs_warning(self) -> bool:
        return bool(self.unanswered or self.flagged)


@dataclass(slots=True)
class _Response:
    chosen: tuple[int, ...] = ()
    typed: str | None = None
    flagged: bool = False

    @property
    def answered(self) -> bool:
        return bool(self.chosen) or self.typed is not None


def _items_for(plan: AttemptPlan, items: Iterable[Item]) -> dict[str, Item]:
    by_id = {item.id: item for item in items}
    missing = [q.item_id for q in plan.questions if q.item_id not in by_id]
    if missing:
        shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
        raise QuizappError(f"{len(missing)} question(s) of this attempt left the banks: {shown}")
    return by_id


class QuizSession:
    """One attempt in progress (or finished, for its results). Build with `start` or `resume`."""

    def __init__(
        self,
        attempt_id: int,
        plan: AttemptPlan,
        items: Mapping[str, Item],
        recorder: QuizRecorder,
        clock: Clock,
        *,
        elapsed_s: float = 0.0,
        current: int = 0,
        responses: Mapping[int, _Response] | None = None,
        pauses: int = 0,
        paused_s: float = 0.0,
    ) -> None:
        self.attempt_id = attempt_id
        self.pauses = pauses  # times left and resumed
        self.paused_s = paused_s  # wall-clock time spent left
        self.plan = plan
        self._items = {q.item_id: items[q.item_id] for q in plan.questions}
        self._recorder = recorder
        self._clock = clock
        self._questions: dict[int, Question] = {}
        self._responses = {i: _Response() for i in range(len(plan.questions))}
        self._responses.update(responses or {})
        self._current = min(max(0, current), len(plan.questions) - 1)
        self._base_elapsed = max(0.0, elapsed_s)
        self._segment_start = clock.monotonic()
        self._last_save = self._segment_start
        self._finished_elapsed: float | None = None
        self._results: Results | None = None

    # ----- building ---------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        setup: QuizSetup,
        items: Iterable[Item],
        recorder: QuizRecorder,
        *,
        clock: Clock | None = None,
        mastery: Mapping[str, float] | None = None,
        boost: float = WEAK_BOOST,
    ) -> QuizSession:
        """Draw a new attempt and record its start. `mastery`: topic id -> 0..1."""
        clock = clock or SystemClock()
        items = tuple(items)
        seed = setup.seed if setup.seed is not None else random.SystemRandom().randrange(SEED_SPACE)
        plan = draw_plan(setup, items, seed=seed, mastery=mastery, boost=boost)
        by_id = _items_for(plan, items)
        attempt_id = recorder.start_attempt(
            mode=plan.mode,
            profile=plan.profile,
            question_count=len(plan.questions),
            time_limit_s=plan.time_limit_s,
            plan_json=plan.to_json(),
            at=clock.now(),
        )
        return cls(attempt_id, plan, by_id, recorder, clock)

    @classmethod
    def resume(
        cls,
        attempt_id: int,
        items: Iterable[Item],
        recorder: QuizRecorder,
        *,
        clock: Clock | None = None,
    ) -> QuizSession:
        """Reopen an unfinished attempt with its answers, flags, position and time left.

        Records a pause: the wall-clock time since its last save (see `time_left_away`).
        If its time had already run out, it is submitted at once (check `finished`).
        """
        clock = clock or SystemClock()
        stored = recorder.load_attempt(attempt_id)
        header = stored.header
        if header.finished:
            raise QuizappError(f"quiz attempt {attempt_id} is finished: open its results")
        plan = AttemptPlan.from_json(stored.plan_json)
        by_id = _items_for(plan, items)
        responses = _responses(stored.answers, len(plan.questions))
        now = clock.now()
        away = time_left_away(header, stored.progress, now)
        recorder.record_pause(attempt_id, away, at=now)
        session = cls(
            attempt_id,
            plan,
            by_id,
            recorder,
            clock,
            elapsed_s=stored.progress.elapsed_s,
            current=stored.progress.current,
            responses=responses,
            pauses=header.pauses + 1,
            paused_s=header.paused_s + away,
        )
        if session.expired:
            session.submit()
        return session

    # ----- what it is -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.plan.questions)

    @property
    def mode(self) -> str:
        return self.plan.mode

    @property
    def is_exam(self) -> bool:
        return self.plan.mode == "exam"

    @property
    def profile(self) -> str:
        return self.plan.profile

    @property
    def time_limit_s(self) -> float | None:
        return self.plan.time_limit_s

    @property
    def notes(self) -> tuple[str, ...]:
        return self.plan.notes

    @property
    def quotas(self) -> tuple[DomainQuota, ...]:
        return self.plan.quotas

    @property
    def finished(self) -> bool:
        return self._results is not None

    @property
    def typed_allowed(self) -> bool:
        """Computed questions take a typed number in practice; exams are multiple choice."""
        return not self.is_exam

    def question(self, position: int) -> Question:
        self._check_position(position)
        question = self._questions.get(position)
        if question is None:
            planned = self.plan.questions[position]
            question = build_question(
                position, planned, self._items[planned.item_id], domain_profile(self.plan)
            )
            self._questions[position] = question
        return question

    def questions(self) -> tuple[Question, ...]:
        return tuple(self.question(i) for i in range(len(self)))

    # ----- navigation -------------------------------------------------------------------

    @property
    def current(self) -> int:
        return self._current

    def current_question(self) -> Question:
        return self.question(self._current)

    def goto(self, position: int) -> Question:
        """Move to a question (saves the position)."""
        self._check_position(position)
        self._current = position
        if not self.finished:
            self.save_progress()
        return self.question(position)

    def next(self) -> Question:
        return self.goto(min(self._current + 1, len(self) - 1))

    def previous(self) -> Question:
        return self.goto(max(self._current - 1, 0))

    def nav(self, position: int) -> NavEntry:
        self._check_position(position)
        r = self._responses[position]
        return NavEntry(position, self.is_answered(position), r.flagged, position == self._current)

    def navigator(self) -> tuple[NavEntry, ...]:
        return tuple(self.nav(i) for i in range(len(self)))

    def chosen(self, position: int) -> tuple[int, ...]:
        """The original choice indexes picked so far at `position` (sorted)."""
        self._check_position(position)
        return self._responses[position].chosen

    def typed(self, position: int) -> str | None:
        self._check_position(position)
        return self._responses[position].typed

    def is_flagged(self, position: int) -> bool:
        self._check_position(position)
        return self._responses[position].flagged

    def is_answered(self, position: int) -> bool:
        """Answered: a typed number, or as many picks as the question asks for (a "choose
        two" with one pick is not answered yet)."""
        self._check_position(position)
        return self._complete(self.question(position), self._responses[position])

    # ----- answering --------------------------------------------------------------------

    def answer(self, position: int, chosen: Iterable[int]) -> Feedback | None:
        """Pick choices by ORIGINAL index (`Option.index`). Returns the feedback in practice
        mode, None in exam mode. Single-answer questions take exactly one index; a "choose
        two" takes two in practice, and in an exam stays unanswered until it has two."""
        self._check_open()
        question = self.question(position)
        if question.sequence:
            return self._answer_sequence(position, question, tuple(chosen))
        picked = tuple(sorted(set(chosen)))
        valid = {o.index for o in question.options}
        if not picked or not set(picked) <= valid:
            raise QuizappError(f"choose among the options of question {position + 1}")
        if not question.multiple and len(picked) != 1:
            raise QuizappError(f"question {position + 1} takes one answer")
        if not self.is_exam and len(picked) < question.picks_needed:  # practice answers are final
            raise QuizappError(f"question {position + 1} takes {question.picks_needed} answers")
        response = self._responses[position]
        self._check_changeable(position, response)
        feedback = judge(question, picked, None, response.flagged)
        changed = replace(response, chosen=picked, typed=None)
        self._save(position, changed, feedback.correct if feedback.answered else None)
        return None if self.is_exam else feedback

    def _answer_sequence(
        self, position: int, question: Question, order: tuple[int, ...]
    ) -> Feedback | None:
        """An ordering or matching answer: every step or description once, in the learner's
        order (original indexes), all or nothing."""
        if not complete_sequence(question, order):
            what = "step" if question.kind == "ordering" else "description"
            raise QuizappError(
                f"question {position + 1} takes every {what} once ({len(question.options)} in all)"
            )
        response = self._responses[position]
        self._check_changeable(position, response)
        feedback = judge(question, order, None, response.flagged)
        self._save(position, replace(response, chosen=order, typed=None), feedback.correct)
        return None if self.is_exam else feedback

    def answer_typed(self, position: int, text: str) -> Feedback:
        """Practice only: answer a computed question with a typed number.

        Raises UnreadableAnswer (nothing recorded) when the text is not a number.
        """
        self._check_open()
        question = self.question(position)
        if question.problem is None:
            raise QuizappError(f"question {position + 1} is answered by choosing")
        if self.is_exam:
            raise QuizappError("in an exam, computed questions are answered by choosing")
        response = self._responses[position]
        self._check_changeable(position, response)
        feedback = judge(question, (), text, response.flagged)
        if not feedback.answered:
            raise UnreadableAnswer(feedback.echo)
        self._save(position, replace(response, chosen=(), typed=text), feedback.correct)
        return feedback

    def clear(self, position: int) -> None:
        """Exam only: take back an answer (the question becomes unanswered)."""
        self._check_open()
        self._check_position(position)
        if not self.is_exam:
            raise QuizappError("a practice answer cannot be taken back")
        response = self._responses[position]
        self._save(position, replace(response, chosen=(), typed=None), None)

    def set_flag(self, position: int, flagged: bool = True) -> None:
        """Flag a question for review (or unflag it); saved at once."""
        self._check_open()
        self._check_position(position)
        response = self._responses[position]
        if response.flagged == flagged:
            return
        changed = replace(response, flagged=flagged)
        correct = judge(self.question(position), changed.chosen, changed.typed, flagged).correct
        self._save(
            position, changed, correct if self._complete(self.question(position), changed) else None
        )

    def toggle_flag(self, position: int) -> bool:
        """Flip the flag; returns the new state."""
        flagged = not self.is_flagged(position)
        self.set_flag(position, flagged)
        return flagged

    def feedback(self, position: int) -> Feedback:
        """The judged answer: in practice once the question is answered; otherwise once the
        attempt is finished."""
        self._check_position(position)
        if not self.finished and (self.is_exam or not self.is_answered(position)):
            raise QuizappError("feedback comes after answering (exams: after submitting)")
        return self._judge(position)

    # ----- the clock --------------------------------------------------------------------

    def elapsed(self) -> float:
        """Seconds spent in the attempt (frozen once finished; capped at the time limit)."""
        if self._finished_elapsed is not None:
            return self._finished_elapsed
        running = self._clock.monotonic() - self._segment_start
        spent = self._base_elapsed + max(0.0, running)
        limit = self.plan.time_limit_s
        return min(spent, limit) if limit is not None else spent

    def remaining(self) -> float | None:
        """Seconds left, or None when untimed."""
        limit = self.plan.time_limit_s
        return None if limit is None else max(0.0, limit - self.elapsed())

    @property
    def expired(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0

    def tick(self) -> bool:
        """Call about once a second: submits when time is up (returns True then) and saves the
        clock every AUTOSAVE_S seconds."""
        if self.finished:
            return False
        if self.expired:
            self.submit()
            return True
        if self._clock.monotonic() - self._last_save >= AUTOSAVE_S:
            self.save_progress()
        return False

    def progress(self) -> Progress:
        return Progress(self._current, self.elapsed(), self.remaining())

    def save_progress(self) -> None:
        """Save position and clock now (also call it when the learner quits)."""
        if self.finished:
            return
        self._recorder.save_progress(self.attempt_id, self.progress(), at=self._clock.now())
        self._last_save = self._clock.monotonic()

    # ----- submitting -------------------------------------------------------------------

    def submit_check(self) -> SubmitCheck:
        return SubmitCheck(
            total=len(self),
            unanswered=tuple(i for i in range(len(self)) if not self.is_answered(i)),
            flagged=tuple(i for i, r in self._responses.items() if r.flagged),
        )

    def submit(self) -> Results:
        """Finish the attempt: score it, record it, return the results (idempotent)."""
        if self._results is not None:
            return self._results
        elapsed = self.elapsed()
        results = build_results(
            attempt_id=self.attempt_id,
            mode=self.plan.mode,
            profile=self.plan.profile,
            pass_score=self.plan.pass_score,
            entries=[self._judge(i) for i in range(len(self))],
            time_used_s=elapsed,
            time_limit_s=self.plan.time_limit_s,
            notes=self.plan.notes,
            pauses=self.pauses,
            paused_s=self.paused_s,
            unscored=self.plan.unscored,
            quotas=self.plan.quotas,
        )
        progress = Progress(self._current, elapsed, self.remaining())
        self._recorder.finish(self.attempt_id, results.score, progress, at=self._clock.now())
        self._finished_elapsed = elapsed
        self._results = results
        return results

    def results(self) -> Results:
        if self._results is None:
            raise QuizappError("the attempt is not submitted yet")
        return self._results

    # ----- internals --------------------------------------------------------------------

    def _check_position(self, position: int) -> None:
        if not 0 <= position < len(self):
            raise QuizappError(f"there is no question {position + 1} (1..{len(self)})")

    def _check_open(self) -> None:
        if self.finished:
            raise QuizClosed("this attempt is finished")
        if self.expired:
            self.submit()
            raise TimeUp("time is up: the exam has been submitted")

    def _check_changeable(self, position: int, response: _Response) -> None:
        if not self.is_exam and self._complete(self.question(position), response):
            raise QuizappError(f"question {position + 1} is already answered")

    @staticmethod
    def _complete(question: Question, r: _Response) -> bool:
        return r.typed is not None or len(r.chosen) >= question.picks_needed

    def _judge(self, position: int) -> Feedback:
        r = self._responses[position]
        return judge(self.question(position), r.chosen, r.typed, r.flagged)

    @staticmethod
    def _mistake(question: Question, r: _Response) -> str | None:
        """The named misconception a wrong answer matches (a computed question's, or the one
        a bank option names), if any."""
        note = judge(question, r.chosen, r.typed, r.flagged).misconception
        if note is None and r.chosen and not question.sequence:
            picked = (question.option(i) for i in r.chosen)
            note = next(
                (o.misconception for o in picked if not o.correct and o.misconception), None
            )
        return note.name if note is not None else None

    def _save(self, position: int, r: _Response, correct: bool | None) -> None:
        """Store `r` as the response at `position`; it takes effect only once stored."""
        question = self.question(position)
        answer = QuizAnswer(
            position=position,
            item_id=question.item_id,
            topic=question.topic,
            domain=question.domain,
            chosen=r.chosen,
            typed=r.typed,
            correct=correct,
            flagged=r.flagged,
            misconception=self._mistake(question, r) if correct is False else None,
            kind=question.kind,
        )
        self._recorder.save_answer(self.attempt_id, answer, self.progress(), at=self._clock.now())
        self._responses[position] = r
        self._last_save = self._clock.monotonic()


def domain_profile(plan: AttemptPlan) -> str:
    """The profile whose domains label an attempt's questions: its exam's full profile, or
    "" (the default profile) for practice."""
    from quizapp.quiz.profiles import profile_by_name

    profile = profile_by_name(plan.profile)
    return profile.full_id if profile is not None else ""


def time_left_away(header: AttemptHeader, progress: Progress, now: datetime) -> float:
    """Seconds since the attempt's last save, on the wall clock (a wall clock set back gives
    0, never a negative pause).

    An attempt saved before quizapp stored its last save has this derived instead: its clock
    runs whenever it is open and the time used is saved with every save, so the time since it
    started is its time used, its earlier pauses and this one.
    """
    if header.saved_at is not None:
        return max(0.0, (now - header.saved_at).total_seconds())
    since_start = (now - header.started_at).total_seconds()
    return max(0.0, since_start - progress.elapsed_s - header.paused_s)


def _responses(answers: Iterable[QuizAnswer], count: int) -> dict[int, _Response]:
    out: dict[int, _Response] = {}
    for a in answers:
        if not 0 <= a.position < count:
            raise QuizappError(f"a recorded answer is for question {a.position + 1} of {count}")
        out[a.position] = _Response(tuple(a.chosen), a.typed, a.flagged)  # as saved: in order
    return out


def load_results(attempt_id: int, items: Iterable[Item], recorder: QuizRecorder) -> Results:
    """The results and full review of a finished attempt, rebuilt exactly from the recorder."""
    stored = recorder.load_attempt(attempt_id)
    if not stored.header.finished:
        raise QuizappError(f"quiz attempt {attempt_id} is not finished: resume it")
    plan = AttemptPlan.from_json(stored.plan_json)
    by_id = _items_for(plan, items)
    responses = _responses(stored.answers, len(plan.questions))
    entries = []
    for i, planned in enumerate(plan.questions):
        r = responses.get(i, _Response())
        question = build_question(i, planned, by_id[planned.item_id], domain_profile(plan))
        entries.append(judge(question, r.chosen, r.typed, r.flagged))
    return build_results(
        attempt_id=attempt_id,
        mode=plan.mode,
        profile=plan.profile,
        pass_score=plan.pass_score,
        entries=entries,
        time_used_s=stored.progress.elapsed_s,
        time_limit_s=plan.time_limit_s,
        notes=plan.notes,
        pauses=stored.header.pauses,
        paused_s=stored.header.paused_s,
        unscored=plan.unscored,
        quotas=plan.quotas,
    )
