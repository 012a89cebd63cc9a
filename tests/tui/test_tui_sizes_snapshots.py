"""Snapshots of the screens issue 11 changed, at 80x24 and at 60x20 (a small terminal):
review actions (a flag shown, a suspended card's toast), the card-info dialog, a skill card's
earned grade with its override keys, the footer while an answer box has focus (practice and a
quiz), an exam's "choose two" with one pick, results with the pauses, the set-up's attempts
list with its first row highlighted, the study-choice dialog and a focused drop-down in the
settings. A state that already has its 80x24 snapshot elsewhere is taken here at 60x20 only.

Deterministic: a FakeClock that moves only when told, fixed seeds, a fake timer, no cursor
blink. Update with `pytest tests/tui/test_tui_sizes_snapshots.py --snapshot-update`, then look
at every SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import tui_quiz_bank as qs
from textual.pilot import Pilot
from textual.widgets import Input, OptionList
from tui_support import (
    START,
    FakeClock,
    card_ready,
    dashboard_ready,
    make_app,
    open_review,
    still_cursor,
    until,
)

from engine.catalog import FAMILIES
from quizapp.practice import MODES
from quizapp.quiz import QuizSession, QuizSetup, custom_exam
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.screens.review import CardInfoDialog, ReviewScreen
from quizapp.tui.screens.settings import SettingsScreen
from quizapp.tui.screens.study_dialog import StudyDialog

SMALL = (60, 20)
BOTH = pytest.mark.parametrize("size", [(80, 24), SMALL], ids=["80x24", "60x20"])
SMALL_ONLY = pytest.mark.parametrize("size", [SMALL], ids=["60x20"])


# -- preparing the study -------------------------------------------------------------------


def reviewed_history(clock: FakeClock) -> Callable:
    """tt-bias learnt nine days ago, lapsed six days ago, reviewed three days ago: due now."""
    steps = ((9, 0, 3), (9, 10, 3), (6, 0, 1), (6, 10, 3), (3, 0, 3))

    def prepare(study) -> None:
        card = study.reviews.next_card()
        for days, minutes, grade in steps:
            clock.set(START - timedelta(days=days) + timedelta(minutes=minutes))
            study.reviews.answer(study.reviews.card(card.card_id), grade, 7.0)
        clock.set(START)

    return prepare


def answer_right(session: QuizSession, position: int, right: bool = True) -> None:
    question = session.question(position)
    if right:
        session.answer(position, question.correct_indexes)
    else:
        wrong = next(o.index for o in question.options if not o.correct)
        session.answer(position, [wrong])


def attempts(clock: FakeClock, paused: bool) -> Callable:
    """A 10-question exam finished yesterday (left twice on the way when `paused`), and a
    15-question one left half-way two hours ago."""

    def prepare(study) -> None:
        recorder = study.quizzes.recorder()
        clock.set(START - timedelta(days=1, hours=3))
        done = QuizSession.start(
            QuizSetup.exam(custom_exam(10), seed=11), qs.QUIZ_BANK, recorder, clock=clock
        )
        for p in range(10):
            answer_right(done, p, p not in (3, 7))
            clock.advance(minutes=2)
            if paused and p in (3, 6):
                done.save_progress()
                clock.advance(minutes=50 if p == 3 else 22)  # left, then resumed
                done = QuizSession.resume(done.attempt_id, qs.QUIZ_BANK, recorder, clock=clock)
        done.submit()

        clock.set(START - timedelta(hours=2))
        left = QuizSession.start(
            QuizSetup.exam(custom_exam(15), seed=12), qs.QUIZ_BANK, recorder, clock=clock
        )
        for p in range(7):
            answer_right(left, p)
        left.goto(7)
        clock.advance(minutes=17, seconds=30)
        left.save_progress()
        clock.set(START)

    return prepare


# -- driving the screens -------------------------------------------------------------------


async def open_attempt(pilot: Pilot, prefix: str) -> None:
    """The exam set-up, then the first attempt whose id starts with `prefix`."""
    setup = await qs.open_setup(pilot, "e")
    listing = setup.query_one("#attempts", OptionList)
    ids = [listing.get_option_at_index(i).id or "" for i in range(listing.option_count)]
    await pilot.press("r")
    listing.highlighted = next(i for i, oid in enumerate(ids) if oid.startswith(prefix))
    await pilot.press("enter")


# -- review ----------------------------------------------------------------------------------


class TestReviewActions:
    @BOTH
    def test_flagged(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """`f` twice: the card's orange flag in its subtitle, undo offered."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            screen = pilot.app.screen
            for flag in (1, 2):
                await pilot.press("f")
                await until(pilot, lambda f=flag: screen.card.flag == f and screen.can_undo)
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path), run_before=run_before, terminal_size=size)

    @BOTH
    def test_suspended(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """`!`: the next card, the toast saying u undoes it."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            await pilot.press("exclamation_mark")
            await card_ready(pilot)
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path), run_before=run_before, terminal_size=size)

    @BOTH
    def test_card_info(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """`i` on a reviewed card: state, due, stability, difficulty, recall, the history."""
        clock = FakeClock(START)
        app = make_app(tmp_path, clock=clock, prepare=reviewed_history(clock))

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            await pilot.press("i")
            await until(pilot, lambda: isinstance(pilot.app.screen, CardInfoDialog))
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before, terminal_size=size)

    @BOTH
    def test_skill_card_earned_grade(
        self, snap_compare, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        """A skill card answered wrong: graded Again with its interval, 2-4 to change it."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, ReviewScreen) and screen.solver is not None
            still_cursor(pilot)
            await pilot.press("minus", "9", "9", "9", "enter")
            await until(pilot, lambda: screen.outcome is not None and not screen.busy)
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path, items=()), run_before=run_before, terminal_size=size)


# -- typing in an answer box -------------------------------------------------------------------


class TestTypingFooter:
    @SMALL_ONLY
    def test_practice_problem(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """Practice, the answer box focused: the footer shows the box's keys."""

        async def run_before(pilot: Pilot) -> None:
            await dashboard_ready(pilot)
            await pilot.press("p")
            await until(pilot, lambda: isinstance(pilot.app.screen, PracticeScreen))
            screen = pilot.app.screen
            await until(pilot, lambda: screen.records is not None)
            steps = len(MODES) + FAMILIES.index("softmax")
            await pilot.press(*["down"] * steps, "enter")
            await until(pilot, lambda: screen.solver is not None and screen.solver.is_mounted)
            await until(pilot, lambda: isinstance(pilot.app.focused, Input))
            still_cursor(pilot)
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path), run_before=run_before, terminal_size=size)

    @SMALL_ONLY
    def test_quiz_typed_answer(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """A practice quiz's computed question, its answer box focused and partly typed."""

        async def run_before(pilot: Pilot) -> None:
            screen = await qs.start_practice(pilot, len(qs.QUIZ_BANK))
            await qs.to_kind(pilot, screen, "computed")
            await until(pilot, lambda: isinstance(pilot.app.focused, Input))
            still_cursor(pilot)
            await pilot.press(*"0.5")
            await pilot.pause(0.1)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before, terminal_size=size)


# -- quiz and exam ---------------------------------------------------------------------------


class TestQuizSmall:
    @SMALL_ONLY
    def test_choose_two_one_picked(
        self, snap_compare, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        """An exam's "choose two" with one pick: the navigator, the clock, the options."""

        async def run_before(pilot: Pilot) -> None:
            screen = await qs.start_exam(pilot)
            pilot.app.clear_notifications()
            await qs.to_kind(pilot, screen, "multiple_response")
            await qs.answer(pilot, qs.right_keys(screen.view.question)[:1])
            await pilot.pause(0.1)

        assert snap_compare(qs.quiz_app(tmp_path), run_before=run_before, terminal_size=size)

    @BOTH
    def test_results_with_pauses(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """An exam left twice on the way: its results say how often and how long."""
        clock = FakeClock(START)
        app = make_app(tmp_path, qs.QUIZ_BANK, clock=clock, prepare=attempts(clock, True))

        async def run_before(pilot: Pilot) -> None:
            await open_attempt(pilot, "review:")
            await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before, terminal_size=size)

    @BOTH
    def test_setup_attempts_first_highlighted(
        self, snap_compare, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        """Exam set-up, `r`: the attempts list focused, the unfinished exam highlighted."""
        clock = FakeClock(START)
        app = make_app(tmp_path, qs.QUIZ_BANK, clock=clock, prepare=attempts(clock, False))

        async def run_before(pilot: Pilot) -> None:
            setup = await qs.open_setup(pilot, "e")
            await pilot.press("r")
            listing = setup.query_one("#attempts", OptionList)
            await until(pilot, lambda: listing.has_focus and listing.highlighted is not None)
            still_cursor(pilot)
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before, terminal_size=size)


# -- dialogs and settings ------------------------------------------------------------------


class TestChoosingAndSettings:
    @BOTH
    def test_study_dialog(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """`d` on the dashboard: all banks, each bank, each topic; the current one highlighted."""

        async def run_before(pilot: Pilot) -> None:
            await dashboard_ready(pilot)
            await pilot.press("d")
            await until(pilot, lambda: isinstance(pilot.app.screen, StudyDialog))
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path), run_before=run_before, terminal_size=size)

    @SMALL_ONLY
    def test_focused_drop_down(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """Down from the exam date: the leech action's drop-down focused, and in view."""

        async def run_before(pilot: Pilot) -> None:
            await dashboard_ready(pilot)
            await pilot.press("o")
            await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
            screen = pilot.app.screen
            await until(pilot, lambda: screen.settings is not None)
            await pilot.pause()
            screen.query_one("#exam-date", Input).focus()
            await pilot.press("down")
            await pilot.pause(0.1)
            still_cursor(pilot)

        app = make_app(tmp_path, new_card_order=None)
        assert snap_compare(app, run_before=run_before, terminal_size=size)
