"""Issue 11: r, enter resumes the first unfinished attempt; the dashboard shows it and c resumes
it; the results say how often and how long the attempt was paused."""

from __future__ import annotations

from pathlib import Path

import tui_quiz_bank as qs
from textual.widgets import Static
from tui_support import START, FakeClock, shown, until

from quizapp.tui.screens.dashboard import DashboardScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.quiz_dialogs import ConfirmDialog
from quizapp.tui.screens.quiz_setup import QuizSetupScreen
from quizapp.tui.screens.results import ResultsScreen, pause_text


async def leave(pilot, app) -> None:
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    await pilot.press("enter")


async def test_r_enter_and_the_dashboard_resume_the_unfinished_exam(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = qs.quiz_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot, 15)
        await qs.answer(pilot, qs.right_keys(screen.view.question))
        await qs.settled(pilot)
        attempt_id = screen.attempt_id
        await leave(pilot, app)
        await until(pilot, lambda: isinstance(app.screen, QuizSetupScreen))
        await until(pilot, lambda: app.screen.data is not None and app.screen.data.unfinished)
        clock.advance(hours=1)
        await pilot.press("r", "enter")  # no Down needed
        await until(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert app.screen.attempt_id == attempt_id
        await leave(pilot, app)
        await until(pilot, lambda: isinstance(app.screen, QuizSetupScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        dash = app.screen
        await until(pilot, lambda: dash.query_one("#unfinished", Static).display)
        text = shown(dash.query_one("#unfinished", Static))
        assert "Exam 1/15 answered" in text and "left" in text and "c resumes" in text
        clock.advance(minutes=12)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert app.screen.attempt_id == attempt_id
        await pilot.press("ctrl+q")


def test_pause_text() -> None:
    assert pause_text(0, 0.0) == ""
    assert pause_text(1, 720) == "Paused once, 12 min"
    assert pause_text(2, 4320) == "Paused twice, 1 h 12 min in all"
    assert pause_text(3, 40) == "Paused 3 times, 40 s in all"


async def test_the_results_say_how_often_and_long_the_exam_was_paused(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = qs.quiz_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await qs.start_exam(pilot, 15)
        for minutes in (60, 12):
            await leave(pilot, app)
            await until(pilot, lambda: isinstance(app.screen, QuizSetupScreen))
            await until(pilot, lambda: app.screen.data is not None and app.screen.data.unfinished)
            clock.advance(minutes=minutes)
            await pilot.press("r", "enter")
            await until(pilot, lambda: isinstance(app.screen, QuizScreen))
            await qs.settled(pilot)
        app.screen.action_submit()
        await until(pilot, lambda: isinstance(app.screen, (ConfirmDialog, ResultsScreen)))
        if isinstance(app.screen, ConfirmDialog):
            await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        text = " ".join(shown(s) for s in app.screen.query(Static))
        assert "Paused twice, 1 h 12 min in all" in text
        await pilot.press("ctrl+q")
