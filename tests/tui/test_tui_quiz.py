"""Quiz sessions and the exam simulation driven with Pilot on a database file; every test
checks what was stored (through the store's recorder, read back by a second Collection)."""

from __future__ import annotations

from pathlib import Path

import tui_quiz_bank as qs
from textual.widgets import Input, OptionList, Static
from tui_support import START, FakeClock, FlakyQuizStudy, db_url, open_study, shown, until

from quizapp.collection import open_collection
from quizapp.quiz import AttemptPlan, Tally, custom_exam, load_results, scaled_score
from quizapp.tui.app import QuizApp
from quizapp.tui.format import clock_text
from quizapp.tui.screens.dialogs import ErrorDialog
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.quiz_dialogs import ConfirmDialog, JumpDialog
from quizapp.tui.screens.quiz_setup import QuizSetupScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.quiz_navigator import Navigator
from quizapp.tui.widgets.quiz_question import FeedbackView, domain_label

QUIZ_BANK = qs.QUIZ_BANK


def stored(tmp_path: Path, clock: FakeClock | None = None):
    """A second Collection on the app's database, and its quiz recorder."""
    study = open_study(tmp_path, QUIZ_BANK, clock)
    return study, study.quizzes.recorder()


def unscored_of(tmp_path: Path, attempt_id: int, clock: FakeClock | None = None) -> set[int]:
    """The positions the attempt does not count (its plan, read back from the database)."""
    study, recorder = stored(tmp_path, clock)
    plan = AttemptPlan.from_json(recorder.load_attempt(attempt_id).plan_json)
    study.close()
    return set(plan.unscored)


def domain_row(by_domain: str, domain: str) -> str:
    """An exam's report row of a domain: the line after its name."""
    lines = by_domain.splitlines()
    return lines[next(i for i, x in enumerate(lines) if x.strip() == domain_label(domain)) + 1]


async def pick_attempt(pilot, prefix: str) -> None:
    """Highlight the first attempt whose option id starts with `prefix`, then enter."""
    setup = pilot.app.screen
    attempts = setup.query_one("#attempts", OptionList)
    await pilot.press("r")
    ids = [attempts.get_option_at_index(i).id or "" for i in range(attempts.option_count)]
    attempts.highlighted = next(i for i, oid in enumerate(ids) if oid.startswith(prefix))
    await pilot.press("enter")


async def test_an_exam_with_known_answers_is_scored_and_stored(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = qs.quiz_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot, 10)
        assert screen.view.total == 10 and screen.view.remaining == custom_exam(10).time_limit_s
        unscored = unscored_of(tmp_path, screen.attempt_id, clock)
        assert len(unscored) == 2  # MLA-C01's share: 8 of 10 scored
        expected_domain: dict[str, list[int]] = {}
        expected_topic: dict[str, list[int]] = {}
        # right for questions 1-6, wrong for 7-9, 10 left unanswered; 2 and 8 flagged
        for position in range(10):
            question = screen.view.question
            assert question.position == position
            right = position < 6
            if position < 9:
                keys = qs.right_keys(question) if right else qs.wrong_keys(question)
                await qs.answer(pilot, keys)
                assert screen.view.chosen  # saved: the session has it
            if position in (1, 7):
                await pilot.press("f")
                await qs.settled(pilot)
            tallies = ((question.domain, expected_domain), (question.topic, expected_topic))
            for key, table in () if position in unscored else tallies:  # scored ones count
                slot = table.setdefault(key, [0, 0])
                slot[0] += right
                slot[1] += 1
            if position < 9:
                await pilot.press("n")
                await qs.settled(pilot)
        clock.advance(minutes=12, seconds=30)

        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        warning = shown(app.screen.query_one("#confirm-text", Static))
        assert "9 of 10 answered" in warning
        assert "1 question unanswered" in warning and ": 10" in warning
        assert "2 flagged for review: 2, 8" in warning
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))

        results = app.screen.results
        right = 6 - len(unscored & set(range(6)))  # the right answers that count
        score = scaled_score(right, 8)  # 100 + 900 × right/8
        assert (results.correct, results.total, results.answered) == (right, 8, 9)
        assert (results.questions, results.unscored) == (10, 2)
        assert results.score == score and results.passed == (score >= 720)
        assert results.by_domain == {d: Tally(*v) for d, v in expected_domain.items()}
        assert results.by_topic == {t: Tally(*v) for t, v in expected_topic.items()}
        assert results.time_used_s == 750
        headline = shown(app.screen.query_one("#score", Static))
        verdict = "PASS" if score >= 720 else "FAIL"
        assert f"Score {score}" in headline and verdict in headline and "pass at 720" in headline
        detail = shown(app.screen.query_one("#score-detail", Static))
        assert "Scored on 8 of 10 questions (2 unscored, not shown which)" in detail
        assert "Time used 12:30 of 20:00" in detail
        by_domain = shown(app.screen.query_one("#by-domain", Static))
        for domain, (right_there, total) in expected_domain.items():
            assert f"{right_there}/{total}" in domain_row(by_domain, domain)

        await pilot.press("w")  # wrong only: the 3 wrong and the unanswered one
        review = app.screen.query_one("#review")
        assert review.border_title.endswith("1 of 4")
        await pilot.press("f")
        assert review.border_title.endswith("1 of 2")
        assert "Question 2" in shown(app.screen.query_one("#review-head", Static))
        await pilot.press("n")
        assert "Question 8" in shown(app.screen.query_one("#review-head", Static))
        assert "✗ wrong" in shown(app.screen.query_one("#review-head", Static))

        await pilot.press("escape")  # back to the set-up: the attempt is listed, finished
        await until(pilot, lambda: isinstance(app.screen, QuizSetupScreen))
        await until(pilot, lambda: app.screen.data is not None and app.screen.data.finished)
        await pick_attempt(pilot, "review:")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert app.screen.results.score == score

    study, recorder = stored(tmp_path, clock)
    (header,) = recorder.finished_attempts()
    assert header.score == score and header.mode == "exam" and header.profile == "mla-c01-10"
    assert header.answered == 9 and not recorder.unfinished_attempts()
    again = load_results(header.attempt_id, QUIZ_BANK, recorder)
    assert again.score == score and again.by_domain == results.by_domain
    assert again.time_used_s == 750
    answers = {a.position: a for a in recorder.load_attempt(header.attempt_id).answers}
    assert [answers[p].correct for p in range(9)] == [True] * 6 + [False] * 3
    assert 9 not in answers  # never answered, never flagged: no row
    assert {p for p, a in answers.items() if a.flagged} == {1, 7}
    study.close()


async def test_a_left_exam_resumes_with_its_answers_and_time(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = qs.quiz_app(tmp_path, clock)
    picked = {}
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot, 15)
        limit = screen.view.remaining
        for position in range(3):
            question = screen.view.question
            await qs.answer(pilot, qs.right_keys(question))
            picked[position] = screen.view.chosen
            await pilot.press("n")
            await qs.settled(pilot)
        await pilot.press("f")  # question 4 flagged, not answered
        await qs.settled(pilot)
        clock.advance(minutes=10)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        left = clock_text(limit - 600)
        assert f"{left} left" in shown(app.screen.query_one("#confirm-text", Static))
        await pilot.press("escape")  # stay
        assert app.screen is screen
        await pilot.press("escape", "enter")  # leave
        await until(pilot, lambda: isinstance(app.screen, QuizSetupScreen))
        await until(pilot, lambda: app.screen.data is not None and app.screen.data.unfinished)
        (header,) = app.screen.data.unfinished
        assert header.answered == 3 and header.remaining_s == limit - 600
        clock.advance(minutes=3)  # on the set-up screen: the exam's clock is not running
        await pilot.press("ctrl+q")

    clock.advance(days=1)  # a day later, in a new app on the same database
    again = qs.quiz_app(tmp_path, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await qs.open_setup(pilot, "e")
        await pick_attempt(pilot, "resume:")
        screen = await qs.settled(pilot)
        view = screen.view
        assert view.remaining == limit - 600
        assert view.position == 3 and view.flagged and not view.chosen
        study, recorder = stored(tmp_path, clock)
        saved = {a.position: a.chosen for a in recorder.load_attempt(screen.attempt_id).answers}
        study.close()
        assert [saved[p] for p in range(3)] == [picked[p] for p in range(3)]
        assert [e.status for e in view.nav[:5]] == ["answered"] * 3 + ["flagged", "unanswered"]
        clock.advance(seconds=42)
        screen.tick()
        left = clock_text(limit - 642)
        await until(pilot, lambda: left in shown(screen.query_one("#quiz-clock", Static)))
        await pilot.press("ctrl+q")

    study, recorder = stored(tmp_path, clock)
    (header,) = recorder.unfinished_attempts()
    assert header.remaining_s == limit - 642  # quitting saved the clock
    assert header.answered == 3
    study.close()


async def test_time_running_out_submits_the_exam(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = qs.quiz_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot, 10)
        counted = 2 - len(unscored_of(tmp_path, screen.attempt_id, clock) & {0, 1})
        for _ in range(2):
            await qs.answer(pilot, qs.right_keys(screen.view.question))
            await pilot.press("n")
            await qs.settled(pilot)
        clock.advance(seconds=custom_exam(10).time_limit_s - 1)
        screen.tick()
        await until(pilot, lambda: "0:01" in shown(screen.query_one("#quiz-clock", Static)))
        assert screen.query_one("#quiz-clock").has_class("-low")
        clock.advance(seconds=2)
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=5)  # the timer
        results = app.screen.results
        score = scaled_score(counted, 8)  # 100 + 900 × counted/8: 8 of the 10 are scored
        assert results.timed_out and results.score == score
        assert results.time_used_s == custom_exam(10).time_limit_s
        assert any("Time is up" in n.message for n in app._notifications)
        assert "time ran out" in shown(app.screen.query_one("#score-detail", Static))
    study, recorder = stored(tmp_path, clock)
    (header,) = recorder.finished_attempts()
    assert header.score == score and header.remaining_s == 0
    study.close()


async def test_flags_the_navigator_going_to_a_question_and_the_submit_warning(
    tmp_path: Path,
) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot, 10)
        await pilot.press("f")
        await qs.settled(pilot)
        assert "⚑ flagged" in screen.query_one("#question").border_title
        await pilot.press("n")
        await qs.settled(pilot)
        await qs.answer(pilot, qs.right_keys(screen.view.question))
        await pilot.press("n")
        await qs.settled(pilot)
        await qs.answer(pilot, qs.wrong_keys(screen.view.question))
        await pilot.press("x")  # take it back
        await qs.settled(pilot)
        assert not screen.view.chosen
        statuses = [e.status for e in screen.view.nav]
        assert statuses == ["flagged", "answered"] + ["unanswered"] * 8
        cells = shown(screen.query_one(Navigator)).splitlines()
        assert cells[0] == "⚑●○○○○○○○○" and cells[1].startswith("1")
        assert "1/10 answered · ⚑ 1" in shown(screen.query_one("#quiz-counts", Static))

        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, JumpDialog))
        jump = app.screen.query_one("#jump-list", OptionList)
        assert jump.option_count == 10
        await pilot.press("f")
        assert jump.option_count == 1 and jump.get_option_at_index(0).id == "0"
        await pilot.press("u")
        assert jump.option_count == 9
        await pilot.press("down", "down", "down", "enter")  # from question 3 to question 6
        screen = await qs.settled(pilot)
        assert screen.view.position == 5
        assert screen.query_one(Navigator).entries[5].current

        await pilot.press("p")
        await qs.settled(pilot)
        assert screen.view.position == 4

        await pilot.press("s")  # the warning, declined
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        text = shown(app.screen.query_one("#confirm-text", Static))
        assert "1 of 10 answered" in text and "9 questions unanswered" in text
        assert "1 flagged for review: 1" in text
        await pilot.press("escape")
        assert app.screen is screen and not screen.closed

    study, recorder = stored(tmp_path)
    (header,) = recorder.unfinished_attempts()  # still open: the warning was declined
    assert not recorder.finished_attempts()
    answers = {a.position: a for a in recorder.load_attempt(header.attempt_id).answers}
    assert answers[0].flagged and answers[0].correct is None
    assert answers[1].correct is True
    assert answers[2].correct is None and answers[2].chosen == ()  # cleared
    study.close()


async def goto_kind(pilot, screen: QuizScreen, kind: str) -> None:
    for _ in range(screen.view.total):
        if screen.view.question.kind == kind and screen.view.feedback is None:
            return
        if isinstance(pilot.app.focused, Input):
            await pilot.press("escape")  # out of the answer box: letters are keys again
        await pilot.press("n")
        await qs.settled(pilot)
    raise AssertionError(f"no unanswered {kind} question")


def feedback_texts(screen: QuizScreen) -> dict[str, list[str]]:
    view = screen.query_one(FeedbackView)
    return {
        name: [shown(s) for s in view.query(f".{name}")]
        for name in ("verdict", "option-text", "option-why", "explanation", "misconception")
    } | {"steps": [shown(s) for s in view.query(".steps")]}


async def test_practice_feedback_explains_every_choice(tmp_path: Path) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_practice(pilot, len(QUIZ_BANK))
        assert screen.view.total == len(QUIZ_BANK)

        await goto_kind(pilot, screen, "single_choice")
        question = screen.view.question
        await qs.answer(pilot, qs.wrong_keys(question))
        texts = feedback_texts(screen)
        assert texts["verdict"][0].startswith("✗ Wrong.")
        assert texts["option-why"] == [o.explanation for o in question.options]
        assert any("← your answer" in t for t in texts["option-text"])

        await goto_kind(pilot, screen, "multiple_response")
        question = screen.view.question
        first, second = qs.right_keys(question)
        await qs.answer(pilot, [first])  # one of two: not judged yet, nothing saved
        assert screen.view.feedback is None and screen.picked
        assert "1 picked" in shown(screen.query_one("#choose-hint", Static))
        await qs.answer(pilot, [second])
        assert feedback_texts(screen)["verdict"] == ["✓ Right."]

        await goto_kind(pilot, screen, "true_false")
        question = screen.view.question
        await qs.answer(pilot, qs.right_keys(question))
        assert feedback_texts(screen)["explanation"] == [question.explanation]

        await goto_kind(pilot, screen, "computed")
        problem = screen.view.question.problem
        typed_row, options = screen.query_one("#typed-row"), screen.query_one("#options")
        assert typed_row.display and not options.display
        await pilot.press("escape", "m")  # out of the box: multiple choice, and back to typing
        assert options.display and not typed_row.display and app.focused is options
        await pilot.press("m")
        assert typed_row.display and app.focused is screen.query_one("#typed")
        await pilot.press(*"twelve", "enter")
        await qs.settled(pilot)
        echo = shown(screen.query_one("#typed-echo", Static))
        assert echo.startswith("Could not read that (not counted).")
        assert screen.view.feedback is None and not screen.view.nav[screen.position].answered
        mistake = problem.misconceptions[0]
        await pilot.press(*["backspace"] * 6, *problem.show(mistake.answer), "enter")
        await qs.settled(pilot)
        texts = feedback_texts(screen)
        assert texts["verdict"][0].startswith("✗ Wrong.") and problem.display in texts["verdict"][0]
        label = mistake.name.replace("_", " ").capitalize()
        assert texts["misconception"] and label in texts["misconception"][0]
        assert texts["steps"][0].startswith("Worked solution")
        assert problem.steps[-1] in texts["steps"][0]
        computed_at = screen.position
        await pilot.press("enter")  # on to the next question
        await qs.settled(pilot)
        assert screen.position == computed_at + 1

    study, recorder = stored(tmp_path)
    (header,) = recorder.unfinished_attempts()
    answers = recorder.load_attempt(header.attempt_id).answers
    assert sorted(a.correct for a in answers) == [False, False, True, True]
    typed = [a for a in answers if a.typed is not None]
    assert len(typed) == 1 and typed[0].typed == problem.show(mistake.answer)
    study.close()


async def test_a_practice_quiz_ends_in_its_results(tmp_path: Path) -> None:
    app = qs.quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_practice(pilot, 3)
        for position in range(3):
            question = screen.view.question
            if question.kind == "computed":
                await pilot.press(*question.problem.display, "enter")
                await qs.settled(pilot)
            else:
                await qs.answer(pilot, qs.right_keys(question))
            await pilot.press("enter")
            if position < 2:
                await qs.settled(pilot)
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert app.screen.results.correct == 3
        assert "3 of 3 right (100%)" in shown(app.screen.query_one("#score", Static))
    study, recorder = stored(tmp_path)
    (header,) = recorder.finished_attempts()
    assert header.mode == "practice" and header.score == 1000
    study.close()


async def test_a_failed_save_shows_the_error_dialog_and_retries(tmp_path: Path) -> None:
    clock = FakeClock(START)
    url = db_url(tmp_path)
    app = QuizApp(
        lambda: FlakyQuizStudy(open_collection(url, QUIZ_BANK, clock=clock)), clock=clock, seed=7
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_exam(pilot, 10)
        question = screen.view.question
        await pilot.press(*qs.right_keys(question))
        await until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert "database is locked" in shown(app.screen.query_one("#error-detail", Static))
        await pilot.press("r")  # retry
        await qs.settled(pilot)
        assert screen.view.chosen == tuple(sorted(question.correct_indexes))
    study, recorder = stored(tmp_path, clock)
    (header,) = recorder.unfinished_attempts()
    (saved,) = recorder.load_attempt(header.attempt_id).answers
    assert saved.position == 0 and saved.correct is True
    study.close()
