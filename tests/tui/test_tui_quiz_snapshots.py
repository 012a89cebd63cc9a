"""Snapshots of the quiz screens at 80x24: set-up, each kind of question, the navigator of a
full 65-question exam, go-to, practice feedback, the submit warning, results and the review.
Exams are MLA-C01's (the default profile) unless said; an exam holds only its profile's
kinds, so true/false and computed questions are shown in practice quizzes.

Deterministic: a FakeClock that only moves when told, fixed seeds for the draws (the app's
seed for sessions started on screen, explicit seeds for attempts made beforehand). Update with
`pytest tests/tui/test_tui_quiz_snapshots.py --snapshot-update`, then look at every SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import tui_quiz_bank as qs
from textual.pilot import Pilot
from textual.widgets import OptionList
from tui_support import START, FakeClock, make_app, still_cursor, until

from quizapp.quiz import QuizSession, QuizSetup, custom_exam
from quizapp.quiz.profiles import MLA_C01, MLS_C01
from quizapp.tui.screens.quiz_dialogs import ConfirmDialog, JumpDialog
from quizapp.tui.screens.results import ResultsScreen

QUIZ_BANK = qs.QUIZ_BANK

# A full-length MLA-C01 exam needs 18 / 17 / 14 / 16 questions in its four domains.
FULL_SHARES = {
    (qs.PREP, qs.DE): 18,
    (qs.DEV, qs.MOD): 17,
    (qs.DEPLOY, qs.OPS): 14,
    (qs.MONITOR, qs.OPS): 16,
}
FULL_BANK = tuple(
    qs.single(
        f"full-{n}-{k:02}",
        d,
        "ml-basics",
        f"Question {k + 1} about {d[0]}: a stand-in for a real question.",
        *((f"Choice {c}", i == k % 4, "A stand-in.") for i, c in enumerate("ABCD")),
    )
    for n, (d, count) in enumerate(FULL_SHARES.items())
    for k in range(count)
)


def answer_right(session: QuizSession, position: int, right: bool = True) -> None:
    question = session.question(position)
    if right:
        session.answer(position, question.correct_indexes)
    else:
        wrong = next(o.index for o in question.options if not o.correct)
        session.answer(position, [wrong])


def past_attempts(clock: FakeClock) -> Callable:
    """A passed 10-question exam, a failed 15-question one (flags, time used, the short-pool
    note), and a full MLS-C01 exam (the retired profile: 15 questions of this bank) left
    half-way with 41 minutes used."""

    def prepare(study) -> None:
        recorder = study.quizzes.recorder()
        clock.set(START - timedelta(days=2, hours=3))
        passed = QuizSession.start(
            QuizSetup.exam(custom_exam(10), seed=11), QUIZ_BANK, recorder, clock=clock
        )
        for p in range(10):
            answer_right(passed, p, p < 9)
        clock.advance(minutes=21, seconds=5)
        passed.submit()

        clock.set(START - timedelta(days=1, hours=1))
        failed = QuizSession.start(
            QuizSetup.exam(custom_exam(15), seed=12), QUIZ_BANK, recorder, clock=clock
        )
        for p in range(13):
            answer_right(failed, p, p % 3 != 1)
        for p in (1, 4, 12):
            failed.set_flag(p)
        clock.advance(minutes=33, seconds=40)
        failed.submit()

        clock.set(START - timedelta(hours=2))
        left = QuizSession.start(QuizSetup.exam(MLS_C01, seed=13), QUIZ_BANK, recorder, clock=clock)
        assert len(left) == len(qs.EXAM_BANK)
        for p in range(6):
            answer_right(left, p)
        left.set_flag(2)
        left.goto(6)
        clock.advance(minutes=41, seconds=7)
        left.save_progress()
        clock.set(START)

    return prepare


def full_exam_left(clock: FakeClock) -> Callable:
    """A 65-question exam, 30 answered, 5 flagged, left at question 37."""

    def prepare(study) -> None:
        recorder = study.quizzes.recorder()
        session = QuizSession.start(
            QuizSetup.exam(MLA_C01, seed=21), FULL_BANK, recorder, clock=clock
        )
        for p in range(30):
            answer_right(session, p)
        for p in (4, 17, 29, 33, 51):
            session.set_flag(p)
        session.goto(36)
        clock.advance(hours=1, minutes=12)
        session.save_progress()
        clock.set(START)

    return prepare


async def open_attempt(pilot: Pilot, prefix: str, nth: int = 0) -> None:
    """From the dashboard to the exam set-up, then open the nth attempt with `prefix`."""
    setup = await qs.open_setup(pilot, "e")
    attempts = setup.query_one("#attempts", OptionList)
    ids = [attempts.get_option_at_index(i).id or "" for i in range(attempts.option_count)]
    await pilot.press("r")
    attempts.highlighted = [i for i, oid in enumerate(ids) if oid.startswith(prefix)][nth]
    await pilot.press("enter")


async def exam_of_all(pilot: Pilot):
    """An exam of every question it can hold (every kind of MLA-C01's that the bank has), its
    note toast gone."""
    screen = await qs.start_exam(pilot)
    assert screen.view.total == len(qs.EXAM_BANK) and screen.view.notes
    pilot.app.clear_notifications()
    return screen


class TestSetup:
    def test_practice(self, snap_compare, tmp_path: Path) -> None:
        """Practice: mode, number of questions, kinds, domains then topics, no attempts."""

        async def run_before(pilot: Pilot) -> None:
            await qs.open_setup(pilot, "q")
            still_cursor(pilot)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)

    def test_exam_with_attempts(self, snap_compare, tmp_path: Path) -> None:
        """Exam: lengths (custom chosen), one attempt to resume with its time, two scores."""
        clock = FakeClock(START)
        app = make_app(tmp_path, QUIZ_BANK, clock=clock, prepare=past_attempts(clock))

        async def run_before(pilot: Pilot) -> None:
            setup = await qs.open_setup(pilot, "e")
            await qs.choose_length(pilot, setup, 12)
            still_cursor(pilot)

        assert snap_compare(app, run_before=run_before)


class TestQuestions:
    def test_single_choice(self, snap_compare, tmp_path: Path) -> None:
        """An exam question: the clock, the navigator, lettered options."""

        async def run_before(pilot: Pilot) -> None:
            screen = await exam_of_all(pilot)
            await qs.to_kind(pilot, screen, "single_choice")

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)

    def test_choose_two_one_picked(self, snap_compare, tmp_path: Path) -> None:
        """Choose two: check boxes, one picked so far."""

        async def run_before(pilot: Pilot) -> None:
            screen = await exam_of_all(pilot)
            await qs.to_kind(pilot, screen, "multiple_response")
            await qs.answer(pilot, qs.right_keys(screen.view.question)[:1])

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)

    def test_true_false_flagged(self, snap_compare, tmp_path: Path) -> None:
        """True or false (practice: exams hold none), flagged for review, then answered."""

        async def run_before(pilot: Pilot) -> None:
            screen = await qs.start_practice(pilot, len(QUIZ_BANK))
            await qs.to_kind(pilot, screen, "true_false")
            await qs.answer(pilot, ["f", "1"])
            await pilot.pause(0.1)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)

    def test_computed_as_choices(self, snap_compare, tmp_path: Path) -> None:
        """A computed problem as multiple choice (practice, `m`; exams hold none): aligned
        numbers, four choices."""

        async def run_before(pilot: Pilot) -> None:
            screen = await qs.start_practice(pilot, len(QUIZ_BANK))
            await qs.to_kind(pilot, screen, "computed")
            await pilot.press("escape", "m")
            await pilot.pause(0.1)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)

    def test_computed_typed_in_practice(self, snap_compare, tmp_path: Path) -> None:
        """Practice: a computed problem takes a typed number (m switches to choices)."""

        async def run_before(pilot: Pilot) -> None:
            screen = await qs.start_practice(pilot, len(QUIZ_BANK))
            await qs.to_kind(pilot, screen, "computed")
            still_cursor(pilot)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)


class TestNavigator:
    def test_full_exam_resumed(self, snap_compare, tmp_path: Path) -> None:
        """65 questions on one line: answered, flagged, unanswered; resumed at question 37
        with the time it had left."""
        clock = FakeClock(START)
        app = make_app(tmp_path, FULL_BANK, clock=clock, prepare=full_exam_left(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "resume:")
            await qs.settled(pilot)

        assert snap_compare(app, run_before=run_before)

    def test_go_to_flagged(self, snap_compare, tmp_path: Path) -> None:
        """The go-to list, only the flagged questions."""
        clock = FakeClock(START)
        app = make_app(tmp_path, FULL_BANK, clock=clock, prepare=full_exam_left(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "resume:")
            await qs.settled(pilot)
            await pilot.press("g")
            await until(pilot, lambda: isinstance(pilot.app.screen, JumpDialog))
            await pilot.press("f")

        assert snap_compare(app, run_before=run_before)


class TestPracticeFeedback:
    def test_wrong_choice_explains_every_option(self, snap_compare, tmp_path: Path) -> None:
        """A wrong single choice: the verdict, the right option, each option's explanation."""

        async def run_before(pilot: Pilot) -> None:
            screen = await qs.start_practice(pilot, len(QUIZ_BANK))
            await qs.to_kind(pilot, screen, "single_choice")
            await qs.answer(pilot, qs.wrong_keys(screen.view.question))
            await pilot.pause(0.1)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)

    def test_computed_names_the_misconception(self, snap_compare, tmp_path: Path) -> None:
        """A typed answer matching a known mistake: named, with its hint and the solution."""

        async def run_before(pilot: Pilot) -> None:
            screen = await qs.start_practice(pilot, len(QUIZ_BANK))
            await qs.to_kind(pilot, screen, "computed")
            problem = screen.view.question.problem
            await pilot.press(*problem.show(problem.misconceptions[0].answer), "enter")
            await qs.settled(pilot)
            await pilot.pause(0.1)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before)


class TestSubmitAndResults:
    def test_submit_warning(self, snap_compare, tmp_path: Path) -> None:
        """Submitting with questions unanswered and flagged: the counts and which ones."""
        clock = FakeClock(START)
        app = make_app(tmp_path, FULL_BANK, clock=clock, prepare=full_exam_left(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "resume:")
            await qs.settled(pilot)
            await pilot.press("s")
            await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))

        assert snap_compare(app, run_before=run_before)

    def test_exam_results(self, snap_compare, tmp_path: Path) -> None:
        """Scaled score, fail, time used, per-domain and per-topic tallies, the core's notes."""
        clock = FakeClock(START)
        app = make_app(tmp_path, QUIZ_BANK, clock=clock, prepare=past_attempts(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "review:", 0)
            await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))

        assert snap_compare(app, run_before=run_before)

    @pytest.mark.parametrize("size", [(60, 20), (160, 48)], ids=["60x20", "160x48"])
    def test_exam_results_sized(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """Small: the percentages on their rows; wide: a readable measure."""
        clock = FakeClock(START)
        app = make_app(tmp_path, QUIZ_BANK, clock=clock, prepare=past_attempts(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "review:", 0)
            await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))

        assert snap_compare(app, run_before=run_before, terminal_size=size)

    def test_review_wrong_only(self, snap_compare, tmp_path: Path) -> None:
        """The review, wrong only: the learner's choice, the right one, the explanations."""
        clock = FakeClock(START)
        app = make_app(tmp_path, QUIZ_BANK, clock=clock, prepare=past_attempts(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "review:", 0)
            await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))
            await pilot.press("w")

        assert snap_compare(app, run_before=run_before)

    def test_review_flagged_light(self, snap_compare, tmp_path: Path) -> None:
        """The review, flagged only, in the light theme."""
        clock = FakeClock(START)
        app = make_app(tmp_path, QUIZ_BANK, clock=clock, prepare=past_attempts(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "review:", 0)
            await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))
            pilot.app.action_toggle_theme()
            await pilot.press("f", "n")
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before)
