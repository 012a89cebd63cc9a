"""Typing is typing (every printable key in an answer box is text, never a command), and
every question scrolls by keyboard at 80x24."""

from __future__ import annotations

from pathlib import Path

import tui_quiz_bank as qs
from textual.containers import VerticalScroll
from textual.widgets import Input
from tui_support import card_ready, dashboard_ready, make_app, open_review, open_study, until

from engine.catalog import FAMILIES
from quizapp.practice import MODES
from quizapp.tui.screens.help import HelpScreen, help_sections
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.screens.quiz import QuizScreen

# every printable ASCII character, space first: a space in the empty box is not typed
PRINTABLE = "".join(chr(c) for c in range(32, 127))
TYPED = PRINTABLE[1:]


async def type_everything(pilot, box: Input) -> None:
    assert pilot.app.focused is box and box.value == ""
    for char in PRINTABLE:
        await pilot.press(char)
    await pilot.pause()
    assert box.value == TYPED


async def start_family(pilot, family: str) -> PracticeScreen:
    await dashboard_ready(pilot)
    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PracticeScreen))
    await pilot.press(*["down"] * (len(MODES) + FAMILIES.index(family)), "enter")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.solver is not None and screen.solver.is_mounted)
    return screen


async def test_every_printable_key_is_text_in_the_practice_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_family(pilot, "weighted_sum")
        solver, problem = screen.solver, screen.solver.problem
        await type_everything(pilot, solver.query_one("#answer", Input))
        await pilot.pause(0.2)
        assert app.screen is screen and screen.solver is solver and solver.problem is problem
        assert (screen.difficulty, screen.choice, screen.choosing) == (
            "medium",
            problem.family,
            False,
        )
        assert solver.steps_shown == 0 and not solver.choosing and not solver.answered
        assert not screen.round.hinted
        assert screen.query_one("#answer-row").display  # still typing, nothing else opened
        assert open_study(tmp_path).practice.attempts() == ()
        # the footer shows what works in the box; escape leaves it, then letters act
        keys = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert "another" not in keys and {"submit", "leave_box"} <= keys
        await pilot.press("escape")
        assert app.screen is screen and not isinstance(app.focused, Input)
        await pilot.press("s")
        assert solver.steps_shown == 1


async def test_every_printable_key_is_text_in_the_quiz_box(tmp_path: Path) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_practice(pilot, len(qs.QUIZ_BANK))
        for _ in range(screen.view.total):
            if screen.view.question.kind == "computed":
                break
            await pilot.press("n")
            await qs.settled(pilot)
        assert screen.view.question.kind == "computed"
        position, total = screen.position, screen.view.total
        await type_everything(pilot, screen.query_one("#typed", Input))
        await pilot.pause(0.2)
        screen = await qs.settled(pilot)
        assert app.screen is screen and isinstance(screen, QuizScreen) and not screen.closed
        assert (screen.position, screen.view.total) == (position, total)
        assert not screen.view.flagged and not screen.choosing and screen.view.feedback is None
        assert not any(e.answered or e.flagged for e in screen.view.nav)
        study = open_study(tmp_path, qs.QUIZ_BANK)
        recorder = study.quizzes.recorder()
        (header,) = recorder.unfinished_attempts()
        assert recorder.load_attempt(header.attempt_id).answers == ()
        study.close()
        await pilot.press("escape")  # leaves the box, not the quiz
        assert app.screen is screen and app.focused is screen.query_one("#question")
        await pilot.press("f")
        await qs.settled(pilot)
        assert screen.view.flagged
        assert app.focused is screen.query_one("#question")  # not pulled back into the box


async def test_every_printable_key_is_text_on_a_skill_card(tmp_path: Path) -> None:
    app = make_app(tmp_path, items=())  # no bank: the first new card is a skill
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        card, solver = screen.card, screen.solver
        assert card.is_skill
        await type_everything(pilot, solver.query_one("#answer", Input))
        await pilot.pause(0.2)
        assert app.screen is screen and screen.card is card and screen.solver is solver
        assert solver.steps_shown == 0 and not solver.choosing and not solver.answered
        assert not screen.round.hinted and not screen.can_undo and screen.done == 0
        study = open_study(tmp_path, ())
        assert study.stats.summary().reviews_total == 0
        assert study.browse.card_info(card.card_id).state == "new"
        study.close()


async def test_space_first_on_a_skill_card_is_not_typed_and_leads_to_the_box(
    tmp_path: Path,
) -> None:
    """Space, the review's reveal habit: on a flashcard it shows the back; on a skill card it
    is never typed as a leading space, and from outside the box it goes back to the box."""
    app = make_app(tmp_path, items=())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        box = screen.solver.query_one("#answer", Input)
        await pilot.press("space", "space")
        assert box.value == "" and app.focused is box
        await pilot.press("1", "space", "5")
        assert box.value == "1 5"  # only a leading space is dropped
        await pilot.press("escape")
        assert app.focused is screen.query_one("#card")
        await pilot.press("space")
        assert app.focused is box and box.value == "1 5"
    app = make_app(tmp_path / "flash")
    (tmp_path / "flash").mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("space")
        await card_ready(pilot)
        assert app.screen.revealed


def tall_practice(pilot):
    """The practice screen on a problem taller than the 80x24 screen."""
    screen = pilot.app.screen
    box = screen.query_one("#problem", VerticalScroll)
    assert box.max_scroll_y > 0, "the problem should overflow at 80x24"
    return screen, box


async def test_a_tall_problem_scrolls_by_keyboard(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_family(pilot, "backprop")
        await pilot.press("escape", "d")  # a hard backward pass: taller than the screen
        await until(pilot, lambda: screen.solver.problem.difficulty == "hard")
        await pilot.pause(0.1)
        await pilot.press("escape")  # leave the box: j/k are keys now
        screen, box = tall_practice(pilot)
        assert box.scroll_y == 0  # opens at the top of the question
        await pilot.press("pagedown")
        assert box.scroll_y > 0
        await pilot.press("home")
        assert box.scroll_y == 0
        await pilot.press("end")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("pageup", "home", "j")
        assert box.scroll_y == 1
        await pilot.press("down")
        assert box.scroll_y == 2
        await pilot.press("k", "up")
        assert box.scroll_y == 0
        # multiple choice: the options come into view, and the page keys still scroll
        await pilot.press("m")
        await pilot.pause(0.1)
        choices = screen.solver.query_one("#choices")
        assert app.focused is choices
        assert box.scroll_y > 0 and choices.region.bottom <= box.region.bottom
        await pilot.press("home")
        assert box.scroll_y == 0 and app.focused is choices
        await pilot.press("down")  # the highlight moves, and the box follows it
        await pilot.pause(0.1)
        assert choices.highlighted == 0 and box.scroll_y > 0
        assert box.region.y <= choices.region.y < box.region.bottom
        await pilot.press("pagedown", "pageup")
        assert box.scroll_y == 0
        # in the answer box, page keys scroll too (home/end move the cursor there)
        await pilot.press("m")
        assert isinstance(app.focused, Input)
        await pilot.press("pagedown")
        assert box.scroll_y > 0


def test_help_lists_the_scroll_keys() -> None:
    from quizapp.tui.app import QuizApp

    app = QuizApp(lambda: None)  # type: ignore[arg-type,return-value]
    sections = dict(help_sections(app))
    for title in ("Flashcard review", "Computed practice", "Quiz and exam questions"):
        rows = dict((what, keys) for keys, what in sections[title])
        assert rows["Scroll the question down a page"] == "pgdn"
        assert rows["Scroll to the top of the question"] == "home"
        assert "j" in rows["Scroll down a line (down: where no list takes it)"]
    assert HelpScreen is not None
