"""Ordering and matching questions played by keyboard (Pilot, on a database file): typed as
letters into one box, with a live preview and a one-line status; practice feedback, an exam's
answer changed before submit (checked in the store), the results review, browse; typing is
typing in the letters box; snapshots at 80x24 and 60x20.

Update the snapshots with `pytest tests/tui/test_tui_sequences.py --snapshot-update`, then
look at every SVG.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tui_quiz_bank as qs
import tui_sequence_bank as sb
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_support import open_study, shown, still_cursor, until

from quizapp.quiz import Question
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.quiz_dialogs import ConfirmDialog
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.quiz_question import FeedbackView
from quizapp.tui.widgets.sequence_answer import SequencePanel, read_entry

BANK = sb.SEQUENCE_BANK
PRINTABLE = "".join(chr(c) for c in range(32, 127))  # a space first: not typed in an empty box
BOTH = pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])


def stored_answers(tmp_path: Path, finished: bool = False):
    """The attempt's header and its answers by position, read back by a second Collection."""
    study = open_study(tmp_path, BANK)
    try:
        recorder = study.quizzes.recorder()
        headers = recorder.finished_attempts() if finished else recorder.unfinished_attempts()
        (header,) = headers
        answers = recorder.load_attempt(header.attempt_id).answers
        return header, {a.position: a for a in answers}
    finally:
        study.close()


def status(screen: QuizScreen) -> str:
    return shown(screen.query_one("#seq-status", Static))


def preview(screen: QuizScreen) -> str:
    return shown(screen.query_one("#seq-preview", Static))


def feedback_text(screen) -> str:
    """Everything the judged answer shows, as plain text."""
    view = screen.query_one(FeedbackView)
    return "\n".join(shown(s) for s in view.query(Static))


def order_of(question: Question, letters: str) -> tuple[int, ...]:
    """The original indexes a string of letters stands for."""
    return tuple(question.options["ABCDEF".index(c)].index for c in letters)


# -- reading what is typed -------------------------------------------------------------------


def test_the_box_is_read_as_letters_each_once() -> None:
    assert read_entry("CADB", 4).positions == (2, 0, 3, 1)
    entry = read_entry("c, a - d b", 4)  # any case; spaces, commas, hyphens between letters
    assert entry.complete and entry.letters == "CADB"
    entry = read_entry("CA", 4)
    assert not entry.complete and not entry.problem and entry.missing() == "B, D"
    assert "C is typed twice" in read_entry("CAC", 4).problem
    assert "“E” is not a letter of this question: type A–D." in read_entry("CAE", 4).problem
    assert "“[” is not a letter" in read_entry("[b]", 4).problem
    assert read_entry("", 4).positions == () and not read_entry("", 4).complete


# -- practice --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ordering", "matching"])
async def test_practice_right_answer_is_correct_and_saved(tmp_path: Path, kind: str) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.practice(kind))
        question = screen.view.question
        assert question.kind == kind and screen.view.total == 1
        box = screen.query_one("#seq-box", Input)
        assert app.focused is box  # the letters box takes the keys at once
        assert not screen.query_one("#options").display
        right = sb.right_letters(question)
        await sb.type_in(pilot, right.lower(), enter=False)  # lower case is fine
        assert box.value == right.lower()
        assert status(screen).startswith(f"All {len(right)}") and "enter checks" in status(screen)
        first = question.options["ABCDEF".index(right[0])].text
        assert first in preview(screen).splitlines()[0]
        await pilot.press("enter")
        await sb.settled(pilot)
        feedback = screen.view.feedback
        assert feedback is not None and feedback.correct
        text = feedback_text(screen)
        assert "✓ Right." in text
        for option in question.options:  # every step's or pair's explanation
            assert option.explanation in text
        assert not screen.query_one(SequencePanel).display
    _, answers = stored_answers(tmp_path)
    assert answers[0].correct is True and answers[0].chosen == question.key


@pytest.mark.parametrize("kind", ["ordering", "matching"])
async def test_practice_wrong_answer_names_the_right_one(tmp_path: Path, kind: str) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.practice(kind))
        question = screen.view.question
        wrong = sb.wrong_letters(question)
        await sb.type_in(pilot, wrong)
        feedback = screen.view.feedback
        assert feedback is not None and not feedback.correct
        assert feedback.chosen == order_of(question, wrong)  # kept in the learner's order
        text = feedback_text(screen)
        right = sb.right_letters(question)
        if kind == "ordering":
            assert f"✗ Wrong. The right order: {' → '.join(right)}" in text
            assert f"Your order: {' → '.join(wrong)}" in text
            assert "You put it 2nd." in text and "You put it 1st." in text
            steps = [s.text for s in question.item.steps]
            assert text.index(steps[0]) < text.index(steps[1]) < text.index(steps[-1])
        else:
            pairs = " · ".join(f"{n} {c}" for n, c in enumerate(right, 1))
            assert f"✗ Wrong. The right pairs: {pairs}" in text
            had = question.options["ABCDEF".index(wrong[0])]
            assert f"You matched {had.label}: {had.text}" in text
            for left in question.lefts:
                assert left in text
        for option in question.options:
            assert option.explanation in text
        await pilot.press("enter")  # the last question: the quiz ends
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
    _, answers = stored_answers(tmp_path, finished=True)
    assert answers[0].correct is False and answers[0].chosen == order_of(question, wrong)


async def test_an_incomplete_or_repeated_entry_is_named_not_saved(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.practice("ordering"))
        assert status(screen) == "Type 5 letters, A–E, each once."
        await sb.type_in(pilot, "")  # enter on an empty box
        assert status(screen).startswith("Not answered yet: type 5 letters")
        await sb.type_in(pilot, "BA", enter=False)
        assert status(screen) == "2 of 5 placed · left: C, D, E."
        assert [line[:5] for line in preview(screen).splitlines()] == ["1. B ", "2. A "]
        await sb.type_in(pilot, "")
        assert status(screen) == "Not answered yet: 2 of 5 placed · left: C, D, E."
        await sb.type_in(pilot, "B", enter=False)
        assert status(screen) == "B is typed twice: each letter once."
        await sb.type_in(pilot, "")
        assert "-problem" in screen.query_one("#seq-status").classes
        await pilot.press("backspace")
        await sb.type_in(pilot, "CDEF")  # one letter too many (F is no step)
        assert status(screen).startswith("“F” is not a letter")
        assert screen.view.feedback is None and not screen.closed
    study = open_study(tmp_path, BANK)
    (header,) = study.quizzes.recorder().unfinished_attempts()
    assert study.quizzes.recorder().load_attempt(header.attempt_id).answers == ()
    study.close()


async def test_every_printable_key_is_text_in_the_letters_box(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.practice("ordering", "matching", "choice"))
        await qs.to_kind(pilot, screen, "matching")
        box = screen.query_one("#seq-box", Input)
        assert app.focused is box and box.value == ""
        position, total = screen.position, screen.view.total
        for char in PRINTABLE:
            await pilot.press(char)
        await pilot.pause(0.2)
        screen = await sb.settled(pilot)
        assert box.value == PRINTABLE[1:]
        assert app.screen is screen and not screen.closed
        assert (screen.position, screen.view.total) == (position, total)
        assert not screen.view.flagged and screen.view.feedback is None
        assert not any(e.answered or e.flagged for e in screen.view.nav)
        assert status(screen).startswith("“!” is not a letter")
        # the footer names what works in the box: enter, escape (no letter commands)
        keys = {b.binding.description for b in screen.active_bindings.values() if b.binding.show}
        assert {"Check", "Leave box"} <= keys and not {"Next", "Flag", "Submit", "Save"} & keys
        await pilot.press("escape")  # leaves the box, not the quiz
        assert app.screen is screen and app.focused is screen.query_one("#question")
        await pilot.press("a", "1")  # pick keys do nothing on a letters question
        await pilot.pause(0.1)
        assert box.value == PRINTABLE[1:] and screen.view.feedback is None
        await pilot.press("f")
        await sb.settled(pilot)
        assert screen.view.flagged
        assert app.focused is screen.query_one("#question")  # not pulled back into the box
        await pilot.press("tab")
        assert app.focused is box
    _, answers = stored_answers(tmp_path)
    assert [(a.flagged, a.chosen) for a in answers.values()] == [(True, ())]


async def test_the_other_kinds_still_play_beside_them(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.practice("ordering", "matching", "choice"))
        await qs.to_kind(pilot, screen, "single_choice")
        assert screen.query_one("#options").display
        assert not screen.query_one(SequencePanel).display
        assert not screen.query_one("#seq-list").display
        right = next(d for d, o in enumerate(screen.view.question.options) if o.correct)
        await pilot.press(str(right + 1))
        await sb.settled(pilot)
        assert screen.view.feedback is not None and screen.view.feedback.correct


async def test_a_draft_is_kept_when_moving_away_and_back(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.practice())
        first = screen.view.question
        await sb.type_in(pilot, "CA", enter=False)
        await pilot.press("escape", "n")
        await sb.settled(pilot)
        box = screen.query_one("#seq-box", Input)
        assert screen.view.question.kind != first.kind and box.value == ""
        await pilot.press("escape", "p")
        await sb.settled(pilot)
        assert box.value == "CA" and status(screen).startswith("2 of")


# -- an exam ---------------------------------------------------------------------------------


async def test_an_exam_answer_is_saved_changed_and_submitted(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.exam())
        assert screen.view.exam and screen.view.total == 2
        keys = {b.binding.description for b in screen.active_bindings.values() if b.binding.show}
        assert "Save" in keys and "Check" not in keys  # enter saves an exam's answer
        questions = {}
        for _ in range(2):  # each question: a wrong answer, saved
            question = screen.view.question
            questions[question.kind] = (screen.position, question)
            wrong = sb.wrong_letters(question)
            await sb.type_in(pilot, wrong.lower())
            assert screen.view.chosen == order_of(question, wrong) and screen.view.feedback is None
            assert status(screen) in ("Saved. Enter again: the next question.", "Saved.")
            if screen.position == 0:
                await sb.type_in(pilot, "")  # enter again: the next question
                assert screen.position == 1
        assert set(questions) == {"ordering", "matching"}
        _, answers = stored_answers(tmp_path)
        for position, question in questions.values():
            assert answers[position].chosen == order_of(question, sb.wrong_letters(question))
            assert answers[position].correct is False

        # back to the ordering question: its saved letters are in the box; change them
        position, question = questions["ordering"]
        await pilot.press("escape")
        box = screen.query_one("#seq-box", Input)
        if screen.position != position:
            await pilot.press("p")  # a question moved to: its box has focus
            await sb.settled(pilot)
        else:
            await pilot.press("tab")  # back into the box
        assert app.focused is box and box.value == sb.wrong_letters(question)
        await pilot.press(*["backspace"] * 5)
        await sb.type_in(pilot, "AB", enter=False)
        wrong = sb.wrong_letters(question)
        assert status(screen).endswith(f"(saved: {wrong}).")  # not saved yet
        await pilot.press(*["backspace"] * 2)
        await sb.type_in(pilot, sb.right_letters(question))
        assert screen.view.chosen == question.key
        _, answers = stored_answers(tmp_path)
        assert answers[position].chosen == question.key and answers[position].correct is True

        # flag it, then take back the matching answer and give it again, right
        await pilot.press("escape", "f")
        await sb.settled(pilot)
        position, matching = questions["matching"]
        await pilot.press("n" if position > screen.position else "p")
        await sb.settled(pilot)
        await pilot.press("escape", "x")
        await sb.settled(pilot)
        assert screen.view.chosen == () and screen.query_one("#seq-box", Input).value == ""
        assert not screen.view.nav[position].answered
        if app.focused is not box:
            await pilot.press("tab")
        await sb.type_in(pilot, " ".join(sb.right_letters(matching)))
        assert screen.view.chosen == matching.key

        await pilot.press("escape", "s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        results = app.screen.results
        assert (results.correct, results.answered, results.flagged) == (2, 2, 1)

        # the review: the learner's order against the right one, with the explanations
        await pilot.press("a")
        await pilot.pause(0.1)
        shown_kinds = set()
        for _ in range(2):
            head = shown(app.screen.query_one("#review-head", Static))
            text = feedback_text(app.screen)
            assert "✓ right" in head and "✓ Right." in text
            if "put in order" in head:
                shown_kinds.add("ordering")
                assert f"Your order: {' → '.join(sb.right_letters(question))}" in text
                assert "See: Train a model with Amazon SageMaker — https://" in text
            else:
                assert "match up" in head
                shown_kinds.add("matching")
                assert "Your pairs: 1 " in text
            await pilot.press("n")
            await pilot.pause(0.1)
        assert shown_kinds == {"ordering", "matching"}

    header, answers = stored_answers(tmp_path, finished=True)
    assert header.answered == 2
    assert {a.chosen for a in answers.values()} == {question.key, matching.key}
    assert [a.flagged for a in sorted(answers.values(), key=lambda a: a.position)].count(True) == 1


async def test_the_review_shows_a_wrong_order_against_the_right_one(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.exam())
        question = screen.view.question
        wrong = sb.wrong_letters(question)
        await sb.type_in(pilot, wrong)
        await pilot.press("escape", "s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("w")
        await pilot.pause(0.1)
        head = shown(app.screen.query_one("#review-head", Static))
        text = feedback_text(app.screen)
        assert "✗ wrong" in head and "✗ Wrong." in text
        right = sb.right_letters(question)
        if question.kind == "ordering":
            assert f"The right order: {' → '.join(right)}" in text
            assert f"Your order: {' → '.join(wrong)}" in text
        else:
            assert "The right pairs: 1 " + right[0] in text
            assert "You matched " in text
        for option in question.options:
            assert option.explanation in text
        await pilot.press("n")  # the other question was not answered
        await pilot.pause(0.1)
        text = feedback_text(app.screen)
        assert "– Not answered. The right " in text and "Your " not in text


# -- browse ----------------------------------------------------------------------------------


async def open_in_browse(pilot: Pilot, key: str) -> str:
    from tui_support import dashboard_ready

    await dashboard_ready(pilot)
    await pilot.press("b")
    await until(pilot, lambda: isinstance(pilot.app.screen, BrowseScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.rows is not None)
    table = screen.query_one(DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.press("enter")
    await until(pilot, lambda: screen.detail is not None and screen.detail.key == key)
    await pilot.pause(0.1)
    return shown(screen.query_one("#detail-text", Static))


async def test_browse_shows_steps_in_order_and_pairs(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_in_browse(pilot, sb.ORDERING.id)
        flat = " ".join(detail.split())  # the text wraps at the screen's width
        assert "Steps (in the right order; shown shuffled)" in flat
        at = [flat.index(f"{n}. {s.text}") for n, s in enumerate(sb.ORDERING.steps, 1)]
        assert at == sorted(at)
        for step in sb.ORDERING.steps:
            assert step.explanation in flat
        assert "See: Train a model with Amazon SageMaker — https://docs.aws.amazon.com/" in flat
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.detail is None)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(sb.MATCHING.id))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.detail is not None)
        await pilot.pause(0.1)
        flat = " ".join(shown(app.screen.query_one("#detail-text", Static)).split())
        assert "Pairs (the descriptions are shown shuffled)" in flat
        for n, pair in enumerate(sb.MATCHING.pairs, 1):
            assert f"{n}. {pair.item} → {pair.match} {pair.explanation}" in flat
        assert (
            "See: Activation functions (Keras) — https://keras.io/api/layers/activations/" in flat
        )


# -- snapshots -------------------------------------------------------------------------------


def _snap_app(tmp_path: Path):
    return sb.sequence_app(tmp_path)


class TestSnapshots:
    @BOTH
    def test_ordering_typed_half(self, snap_compare, tmp_path: Path, size) -> None:
        """An ordering question: the steps lettered, two placed, the preview and status."""

        async def run_before(pilot: Pilot) -> None:
            screen = await sb.start_quiz(pilot, sb.practice("ordering"))
            await sb.type_in(pilot, sb.right_letters(screen.view.question)[:2], enter=False)
            still_cursor(pilot)
            await pilot.pause(0.1)

        assert snap_compare(_snap_app(tmp_path), run_before=run_before, terminal_size=size)

    @BOTH
    def test_matching_typed_half(self, snap_compare, tmp_path: Path, size) -> None:
        """A matching question: the descriptions lettered, every item under the box with the
        description typed for it so far."""

        async def run_before(pilot: Pilot) -> None:
            screen = await sb.start_quiz(pilot, sb.practice("matching"))
            await sb.type_in(pilot, sb.wrong_letters(screen.view.question)[:2], enter=False)
            still_cursor(pilot)
            await pilot.pause(0.1)

        assert snap_compare(_snap_app(tmp_path), run_before=run_before, terminal_size=size)

    @BOTH
    def test_ordering_wrong_feedback(self, snap_compare, tmp_path: Path, size) -> None:
        """Practice feedback on a wrong order: the right order, the learner's, each step with
        where the learner put it and why it goes where it does."""

        async def run_before(pilot: Pilot) -> None:
            screen = await sb.start_quiz(pilot, sb.practice("ordering"))
            await sb.type_in(pilot, sb.wrong_letters(screen.view.question))
            await pilot.pause(0.1)

        assert snap_compare(_snap_app(tmp_path), run_before=run_before, terminal_size=size)

    @BOTH
    def test_matching_wrong_feedback(self, snap_compare, tmp_path: Path, size) -> None:
        """Practice feedback on wrong pairs: the right pairs, what the learner matched
        instead, each pair's explanation."""

        async def run_before(pilot: Pilot) -> None:
            screen = await sb.start_quiz(pilot, sb.practice("matching"))
            await sb.type_in(pilot, sb.wrong_letters(screen.view.question))
            await pilot.pause(0.1)

        assert snap_compare(_snap_app(tmp_path), run_before=run_before, terminal_size=size)
