"""Nothing answered is lost, in the app: an answer whose save fails does not count and can be
given again; a card answered in another window is refused with a note; a multi-line paste
is refused; quitting stops the study thread before it reports what was not saved."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import tui_quiz_bank as qs
from textual.widgets import Static
from tui_support import (
    BANK,
    START,
    FakeClock,
    FlakyQuizStudy,
    card_ready,
    dashboard_ready,
    db_url,
    open_review,
    open_study,
    shown,
    until,
)

from quizapp.collection import Collection, open_collection
from quizapp.errors import StoreError
from quizapp.tui.app import QuizApp
from quizapp.tui.runner import StudyRunner
from quizapp.tui.screens.dialogs import ErrorDialog
from quizapp.tui.screens.practice import PracticeScreen


async def test_a_practice_quiz_answer_whose_save_fails_stays_unanswered(tmp_path: Path) -> None:
    clock = FakeClock(START)
    url = db_url(tmp_path)
    app = QuizApp(
        lambda: FlakyQuizStudy(open_collection(url, qs.QUIZ_BANK, clock=clock)),
        clock=clock,
        seed=7,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await qs.start_practice(pilot, kinds=["choice"])
        while screen.view.question.kind != "single_choice":  # one key answers it
            await pilot.press("n")
            await qs.settled(pilot)
        position = screen.position
        question = screen.view.question
        keys = qs.right_keys(question)
        await pilot.press(*keys)
        await until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert "not saved" in shown(app.screen.query_one("#error-kept", Static))
        await pilot.press("escape")  # no retry: the question must still take an answer
        await qs.settled(pilot)
        assert not screen.view.nav[position].answered and screen.view.feedback is None
        await qs.answer(pilot, keys)  # answering again is accepted, not "already answered"
        assert screen.view.feedback is not None and screen.view.feedback.correct
        assert not isinstance(app.screen, ErrorDialog)
    study = open_study(tmp_path, qs.QUIZ_BANK, clock)
    (header,) = study.quizzes.recorder().unfinished_attempts()
    (saved,) = study.quizzes.recorder().load_attempt(header.attempt_id).answers
    assert saved.position == position and saved.correct is True
    study.close()


class FlakyPractice:
    """The real practice use case, whose next `record` fails once (a locked database)."""

    def __init__(self, practice) -> None:
        self._practice = practice
        self.fail_next = True

    def record(self, *args, **kwargs):
        if self.fail_next:
            self.fail_next = False
            raise StoreError("cannot write the progress database: database is locked")
        return self._practice.record(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._practice, name)


def FlakyPracticeStudy(col: Collection) -> Collection:
    return replace(col, practice=FlakyPractice(col.practice))


async def start_practice_family(pilot, index: int = 0) -> PracticeScreen:
    from quizapp.practice import MODES

    await dashboard_ready(pilot)
    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PracticeScreen))
    await pilot.press(*["down"] * (len(MODES) + index), "enter")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.solver is not None and screen.solver.is_mounted)
    return screen


async def test_a_practice_attempt_whose_save_fails_shows_no_verdict_until_stored(
    tmp_path: Path,
) -> None:
    clock = FakeClock(START)
    url = db_url(tmp_path)
    app = QuizApp(
        lambda: FlakyPracticeStudy(open_collection(url, BANK, clock=clock)), clock=clock, seed=3
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_practice_family(pilot)
        solver = screen.solver
        await pilot.press(*solver.problem.display, "enter")
        await until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert not solver.answered and screen.tried == 0
        assert not solver.query_one("#feedback").display  # no verdict for an unsaved answer
        await pilot.press("r")  # retry saves the same answer
        await until(pilot, lambda: solver.answered)
        assert screen.tried == 1 and "Right" in shown(solver.query_one("#feedback", Static))
    study = open_study(tmp_path, BANK, clock)
    (saved,) = study.practice.attempts()
    assert saved.correct and saved.typed == solver.problem.display
    study.close()


async def test_a_card_answered_in_another_window_is_refused_with_a_note(tmp_path: Path) -> None:
    clock = FakeClock(START)
    url = db_url(tmp_path)
    app = QuizApp(lambda: open_collection(url, BANK, clock=clock), clock=clock, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        review = app.screen
        card = review.card
        other = open_study(tmp_path, BANK, clock)  # a second window shows the same card
        assert other.reviews.next_card().card_id == card.card_id
        other.reviews.answer(card, 4)
        await pilot.press("space", "1")
        await card_ready(pilot)
        assert review.card is not None and review.card.card_id != card.card_id
        assert review.done == 0  # the refused answer did not count
        notes = [n.message for n in app._notifications]
        assert any("another window" in note for note in notes)
        assert other.stats.summary().reviews_total == 1  # graded once, by the other window
        other.close()


async def test_a_multi_line_paste_into_an_answer_box_is_refused(tmp_path: Path) -> None:
    from textual import events

    clock = FakeClock(START)
    app = QuizApp(lambda: open_collection(db_url(tmp_path), BANK, clock=clock), clock=clock, seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_practice_family(pilot)
        box = screen.solver.query_one("#answer")
        box.post_message(events.Paste("0.5\n0.75"))
        await pilot.pause(0.1)
        assert box.value == ""  # not the first line alone
        assert any("2 lines" in n.message for n in app._notifications)
        box.post_message(events.Paste("0.5"))
        await pilot.pause(0.1)
        assert box.value == "0.5"
        await pilot.press("enter")
        await until(pilot, lambda: screen.solver.answered)
    study = open_study(tmp_path, BANK, clock)
    assert [a.typed for a in study.practice.attempts()] == ["0.5"]
    study.close()


def test_closing_waits_for_the_study_thread_and_reports_what_was_not_saved() -> None:
    """Nothing is written after close() returns: what it reports as unsaved really is."""
    writes: list[str] = []

    class SlowLockedStudy:
        def apply(self) -> None:
            time.sleep(0.3)  # the busy timeout running out
            raise StoreError("cannot write the progress database p.db: database is locked")

        def close(self) -> None:
            writes.append("closed")

    runner = StudyRunner(SlowLockedStudy)  # type: ignore[arg-type]
    import asyncio

    async def open_it() -> None:
        await runner.call(lambda study: None)

    asyncio.run(open_it())
    runner.queue("save your place in the quiz", lambda study: study.apply())
    unsaved = runner.close()
    assert [w.what for w in unsaved] == ["save your place in the quiz"]
    assert "database is locked" in unsaved[0].error
    assert writes == ["closed"]
    assert not any(t.name.startswith("quizapp-study") for t in threading.enumerate())
