"""The mistakes view (dashboard `x`, `p` practises a family that invites the mistake) and the
quiz set-up's question sources, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import RadioSet, Static
from tui_quiz_bank import QUIZ_BANK, open_setup, quiz_app
from tui_support import dashboard_ready, make_app, shown, until

from quizapp.collection import Collection
from quizapp.mistakes.service import catalog
from quizapp.practice import PracticeAttempt
from quizapp.quiz.record import Progress, QuizAnswer
from quizapp.tui.screens.mistakes import MistakesScreen
from quizapp.tui.screens.practice import PracticeScreen


def made_mistakes(study: Collection) -> None:
    for name in ("forgot_bias", "forgot_bias", "percent"):
        study.practice.record(
            PracticeAttempt(
                "weighted_sum@1", "weighted_sum", "medium", "1", 1.0, False, name, False, 3.0
            )
        )


async def test_x_opens_mistakes_and_p_practises_a_family_inviting_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, prepare=made_mistakes)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("x")
        await until(
            pilot, lambda: isinstance(app.screen, MistakesScreen) and app.screen.report is not None
        )
        screen = app.screen
        assert [m.name for m in screen.report.mistakes] == ["forgot_bias", "percent"]
        detail = shown(screen.query_one("#mistake-detail", Static))
        assert "The bias is part of z" in detail and "2 in practice" in detail
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        practice = app.screen
        await until(pilot, lambda: practice.solver is not None and practice.solver.is_mounted)
        invited = catalog()["forgot_bias"].families
        assert practice.only == invited and practice.choice == "mixed"
        assert practice.solver.problem.family in invited
        assert practice.difficulty == catalog()["forgot_bias"].difficulty(invited[0])
        await pilot.press("n")  # another variant: still one of the inviting families
        assert practice.solver.problem.family in invited


async def test_no_mistakes_says_so_and_offers_no_practice(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("x")
        await until(
            pilot, lambda: isinstance(app.screen, MistakesScreen) and app.screen.report is not None
        )
        assert "gather here" in shown(app.screen.query_one("#mistake-detail", Static))
        await pilot.press("p")
        assert isinstance(app.screen, MistakesScreen)


def missed_one(study: Collection) -> None:
    """One finished-or-not attempt in which the first question was answered wrong."""
    item = next(i for i in QUIZ_BANK if i.kind == "single_choice")
    rec = study.quizzes.recorder()
    at = study.time.clock.now()
    aid = rec.start_attempt(
        mode="practice", profile="practice", question_count=1, time_limit_s=None,
        plan_json='{"version":1}', at=at,
    )  # fmt: skip
    wrong = next(k for k, c in enumerate(item.choices) if not c.correct)
    answer = QuizAnswer(0, item.id, item.topic, item.domain, (wrong,), None, False, False)
    rec.save_answer(aid, answer, Progress(0, 0.0, None), at=at)


async def test_setup_draws_the_questions_missed_lately(tmp_path: Path) -> None:
    from quizapp.tui.screens.quiz import QuizScreen

    app = make_app(tmp_path, QUIZ_BANK, prepare=missed_one)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        await pilot.press("f")
        assert app.focused is screen.query_one("#source", RadioSet)
        await pilot.press("down", "enter")  # "Missed lately"
        await until(pilot, lambda: screen.source == "missed")
        assert screen.query_one("#last-row").display
        matching = shown(screen.query_one("#matching", Static))
        assert matching == "Only 1 missed in the last 3 attempts: the quiz will have 1."
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen))
        item = next(i for i in QUIZ_BANK if i.kind == "single_choice")
        view = app.screen.view
        assert view.total == 1 and view.question.item_id == item.id


async def test_setup_an_empty_source_is_one_line(tmp_path: Path) -> None:
    app = quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        await pilot.press("f", "down", "down", "down", "enter")  # "Flagged"
        await until(pilot, lambda: screen.source == "flagged")
        assert not screen.query_one("#last-row").display
        assert shown(screen.query_one("#matching", Static)) == "No questions flagged match."
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is screen
