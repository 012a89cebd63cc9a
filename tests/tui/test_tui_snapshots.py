"""Snapshots of every screen at 80x24 (and the dashboard wider), one class per feature.

Deterministic by construction: a FakeClock for every time the study or the screen uses,
UTC as the local zone, fixed practice seeds, a fake timer. Update with
`pytest tests/tui/test_tui_snapshots.py --snapshot-update`, then look at every SVG.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from tui_support import (
    BANK,
    EXAM,
    START,
    FakeClock,
    dashboard_ready,
    grade,
    make_app,
    open_review,
    still_cursor,
    until,
)

from quizapp.practice import MODES, PracticeAttempt
from quizapp.tui.screens.dialogs import ErrorDialog
from quizapp.tui.screens.practice import PracticeScreen


def with_progress(clock: FakeClock):
    """Three days of study before START: a streak, reviews, practice, mastery."""

    def prepare(study) -> None:
        for days_ago in (3, 2, 1):
            clock.set(START - timedelta(days=days_ago))
            for _ in range(3):
                card = study.reviews.next_card()
                if card is None or card.is_skill:
                    break
                study.reviews.answer(card, 3, 8.0)
            study.practice.record(
                PracticeAttempt(
                    f"softmax@{days_ago}",
                    "softmax",
                    "medium",
                    "0.5",
                    0.5,
                    days_ago != 2,
                    None if days_ago != 2 else "no_exponentials",
                    False,
                    20.0,
                )
            )
        clock.set(START)

    return prepare


async def open_practice(pilot: Pilot) -> PracticeScreen:
    await dashboard_ready(pilot)
    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PracticeScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.records is not None)
    await pilot.pause(0.1)
    return screen


async def practise(pilot: Pilot, family: str) -> PracticeScreen:
    screen = await open_practice(pilot)
    from engine.catalog import FAMILIES

    await pilot.press(*["down"] * (len(MODES) + FAMILIES.index(family)), "enter")
    await until(pilot, lambda: screen.solver is not None and screen.solver.is_mounted)
    still_cursor(pilot)
    return screen


class TestDashboard:
    def test_first_run(self, snap_compare, tmp_path: Path) -> None:
        """No progress yet: a welcome, 20 new cards, empty mastery, no exam date."""
        assert snap_compare(make_app(tmp_path), run_before=dashboard_ready)

    def test_with_progress_and_exam(self, snap_compare, tmp_path: Path) -> None:
        """A streak, due reviews, exam countdown with predicted recall, mastery bars."""
        clock = FakeClock(START)
        app = make_app(tmp_path, clock=clock, exam=EXAM, prepare=with_progress(clock))
        assert snap_compare(app, run_before=dashboard_ready)

    def test_light_theme_wide(self, snap_compare, tmp_path: Path) -> None:
        """The light theme, and the layout growing with a 120x32 terminal."""
        clock = FakeClock(START)
        app = make_app(tmp_path, clock=clock, exam=EXAM, prepare=with_progress(clock))

        async def run_before(pilot: Pilot) -> None:
            await dashboard_ready(pilot)
            pilot.app.action_toggle_theme()
            await pilot.pause(0.1)

        assert snap_compare(app, run_before=run_before, terminal_size=(120, 32))

    def test_small_terminal(self, snap_compare, tmp_path: Path) -> None:
        """60x20: the footer whole, topic names as long as there is room for."""
        clock = FakeClock(START)
        app = make_app(tmp_path, clock=clock, exam=EXAM, prepare=with_progress(clock))
        assert snap_compare(app, run_before=dashboard_ready, terminal_size=(60, 20))

    def test_wide_terminal(self, snap_compare, tmp_path: Path) -> None:
        """160x48: the panels use the space, the text keeps a readable measure."""
        clock = FakeClock(START)
        app = make_app(tmp_path, clock=clock, exam=EXAM, prepare=with_progress(clock))
        assert snap_compare(app, run_before=dashboard_ready, terminal_size=(160, 48))


class TestReview:
    def test_front(self, snap_compare, tmp_path: Path) -> None:
        """The first new card's front, progress and counts."""
        assert snap_compare(make_app(tmp_path), run_before=open_review)

    def test_back_with_eli5_technical_and_previews(self, snap_compare, tmp_path: Path) -> None:
        """After space: the back, its ELI5 and technical lines, intervals per grade."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            await pilot.press("space")

        assert snap_compare(make_app(tmp_path), run_before=run_before)

    def test_cloze_front(self, snap_compare, tmp_path: Path) -> None:
        """A cloze with its gaps hidden; one card done, so undo is offered."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            await grade(pilot, "3")

        assert snap_compare(make_app(tmp_path), run_before=run_before)

    def test_cloze_back(self, snap_compare, tmp_path: Path) -> None:
        """The cloze revealed: gaps filled in and highlighted, with its note."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            await grade(pilot, "3")
            await pilot.press("space")

        assert snap_compare(make_app(tmp_path), run_before=run_before)

    def test_skill_card(self, snap_compare, tmp_path: Path) -> None:
        """A computed skill card: a fresh variant with an answer box."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            still_cursor(pilot)

        assert snap_compare(make_app(tmp_path, items=()), run_before=run_before)

    def test_all_done(self, snap_compare, tmp_path: Path) -> None:
        """The empty queue: all done for today, and when the next card is due."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            await grade(pilot, "4")
            await grade(pilot, "4")

        app = make_app(tmp_path, BANK[:2], new_per_day=2)
        assert snap_compare(app, run_before=run_before)


class TestPractice:
    def test_chooser(self, snap_compare, tmp_path: Path) -> None:
        """Families with the learner's record, mixed / weakest first, the difficulty."""
        clock = FakeClock(START)
        app = make_app(tmp_path, clock=clock, prepare=with_progress(clock))
        assert snap_compare(app, run_before=open_practice)

    def test_problem(self, snap_compare, tmp_path: Path) -> None:
        """A softmax variant: story, aligned parameters, variant id, the answer box."""

        async def run_before(pilot: Pilot) -> None:
            await practise(pilot, "softmax")

        assert snap_compare(make_app(tmp_path), run_before=run_before)

    def test_wrong_answer_names_the_misconception(self, snap_compare, tmp_path: Path) -> None:
        """A wrong answer that matches a misconception: its name and its hint."""

        async def run_before(pilot: Pilot) -> None:
            screen = await practise(pilot, "weighted_sum")
            problem = screen.solver.problem
            await pilot.press(*problem.show(problem.misconceptions[0].answer), "enter")
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path), run_before=run_before)

    def test_unreadable_answer(self, snap_compare, tmp_path: Path) -> None:
        """Junk typed: the app says it could not read it and how to type a number."""

        async def run_before(pilot: Pilot) -> None:
            await practise(pilot, "loss")
            await pilot.press(*"0,5", "enter")
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path), run_before=run_before)

    def test_choices_and_steps(self, snap_compare, tmp_path: Path) -> None:
        """Multiple choice, and two steps of the worked solution opened."""

        async def run_before(pilot: Pilot) -> None:
            await practise(pilot, "activation_derivative")
            await pilot.press("escape", "m", "s", "s")  # out of the answer box first
            await pilot.pause(0.1)

        assert snap_compare(make_app(tmp_path), run_before=run_before)


class TestHelpAndErrors:
    def test_help(self, snap_compare, tmp_path: Path) -> None:
        """Every key, per screen, the current screen's first."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            await pilot.press("question_mark")

        assert snap_compare(make_app(tmp_path), run_before=run_before)

    def test_error_dialog(self, snap_compare, tmp_path: Path) -> None:
        """A failed save: what failed, why, and that the answer does not count yet."""

        async def run_before(pilot: Pilot) -> None:
            await open_review(pilot)
            app = pilot.app
            app.screen.answer(lambda study: study.reviews.answer(study.reviews.card(10_000), 3))
            await until(pilot, lambda: isinstance(app.screen, ErrorDialog))

        assert snap_compare(make_app(tmp_path), run_before=run_before)
