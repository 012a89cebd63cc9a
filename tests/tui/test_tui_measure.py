"""Issue 11: on a wide terminal the text of a card, a question and a problem keeps a readable
measure (about 100 columns) instead of running across the whole screen."""

from __future__ import annotations

from pathlib import Path

import tui_quiz_bank as qs
from textual.widget import Widget
from tui_support import dashboard_ready, make_app, open_review, until

from engine.catalog import FAMILIES
from quizapp.practice import MODES
from quizapp.tui.screens.practice import PracticeScreen

MEASURE = 100


def widest(screen: Widget, selector: str) -> int:
    return max(w.region.width for w in screen.query(selector) if w.display)


async def test_a_review_card_keeps_its_measure_at_160_columns(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_review(pilot)
        front = app.screen.query_one("#front")
        assert 0 < front.region.width <= MEASURE


async def test_a_quiz_question_keeps_its_measure_at_160_columns(tmp_path: Path) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await qs.start_practice(pilot, 3)
        assert 0 < widest(screen, "#question > *") <= MEASURE


async def test_a_practice_problem_keeps_its_measure_at_160_columns(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        await pilot.press(*["down"] * (len(MODES) + FAMILIES.index("backprop")), "enter")
        screen = app.screen
        await until(pilot, lambda: screen.solver is not None and screen.solver.is_mounted)
        assert 0 < widest(screen, ".solver > *") <= MEASURE
