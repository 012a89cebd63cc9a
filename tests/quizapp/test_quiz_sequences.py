"""Ordering and matching questions in quiz sessions, on synthetic items: answered by an order
(original indexes in the learner's order), right only in the one right order (all or
nothing), an incomplete or repeated order refused in one line, the order kept on resume, and
the review showing the learner's order.

The recorder scenarios run on the in-memory reference recorder and on the progress database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from quizapp.bank.model import Item, Pair, Source, Step
from quizapp.clock import FakeClock
from quizapp.errors import QuizappError
from quizapp.quiz import (
    MemoryRecorder,
    Question,
    QuizRecorder,
    QuizSession,
    QuizSetup,
    custom_exam,
    default_profile,
    load_results,
)

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
SOURCE = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")
DOMAIN = "ML Model Development"  # a domain of the default exam (MLA-C01)

ORDERING = Item(
    "seq-neuron-steps",
    "ordering",
    "test",
    SOURCE,
    "neurons",
    DOMAIN,
    "easy",
    prompt="Put the steps of a neuron's computation in order.",
    steps=(
        Step("Receive the inputs", "Nothing happens before the inputs arrive."),
        Step("Multiply each input by its weight", "Weighting acts on the inputs."),
        Step("Add the products and the bias", "The sum needs every product."),
        Step("Apply the activation", "The activation acts on the finished sum."),
    ),
    domains=(("mla-c01", DOMAIN), ("mls-c01", "Modeling")),
)
MATCHING = Item(
    "seq-neuron-parts",
    "matching",
    "test",
    SOURCE,
    "neurons",
    DOMAIN,
    "easy",
    prompt="Match each part of a neuron with what it does.",
    pairs=(
        Pair("Weight", "Scales one input", "Each connection has its own weight."),
        Pair("Bias", "Shifts the weighted sum", "It is added after the products."),
        Pair("Activation", "Turns the sum into the output", "It acts on the finished sum."),
    ),
    domains=(("mla-c01", DOMAIN), ("mls-c01", "Modeling")),
)
ITEMS = (ORDERING, MATCHING)
KIND_GROUP = {"ordering": "ordering", "matching": "matching"}


def right(q: Question) -> list[int]:
    """The right order: the steps in bank order, each item on the left with its own pair."""
    return list(range(len(q.options)))


def wrong(q: Question) -> list[int]:
    return right(q)[::-1]


def practice(item: Item, recorder: QuizRecorder, seed: int = 1) -> QuizSession:
    setup = QuizSetup.practice(1, kinds={KIND_GROUP[item.kind]}, seed=seed)
    return QuizSession.start(setup, [item], recorder, clock=FakeClock(START))


def exam(recorder: QuizRecorder, clock: FakeClock, seed: int = 1) -> QuizSession:
    """A two-question exam of the default profile (both scored) with both items."""
    session = QuizSession.start(
        QuizSetup.exam(custom_exam(2), seed=seed), ITEMS, recorder, clock=clock
    )
    assert session.plan.unscored == () and len(session) == 2
    return session


def position_of(session: QuizSession, kind: str) -> int:
    return next(i for i in range(len(session)) if session.question(i).kind == kind)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.kind)
def test_a_sequence_question_is_shown_shuffled_and_asks_for_every_element(item: Item) -> None:
    n = len(item.steps or item.pairs)
    for seed in range(30):
        q = practice(item, MemoryRecorder(), seed=seed).question(0)
        assert q.sequence and not q.multiple
        assert q.key == tuple(range(n)) and q.picks_needed == n
        assert sorted(o.index for o in q.options) == list(range(n))
        assert tuple(o.index for o in q.options) != q.key  # never shown in the right order
        assert [o.label for o in q.options] == list("ABCDEF"[:n])
    if item.kind == "ordering":
        assert q.answer_text == " → ".join(s.text for s in item.steps)
        assert {q.option(i).text for i in range(n)} == {s.text for s in item.steps}
    else:
        assert q.lefts == tuple(p.item for p in item.pairs)  # the left column, in bank order
        assert q.answer_text == "; ".join(f"{p.item}: {p.match}" for p in item.pairs)
        assert [q.option(i).text for i in range(n)] == [p.match for p in item.pairs]


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.kind)
def test_the_right_order_scores_in_practice(item: Item, recorder: QuizRecorder) -> None:
    session = practice(item, recorder)
    q = session.question(0)
    feedback = session.answer(0, right(q))
    assert feedback is not None and feedback.answered and feedback.correct
    assert feedback.status == "correct" and feedback.chosen == q.key
    [saved] = recorder.load_attempt(session.attempt_id).answers
    assert saved.chosen == q.key and saved.correct is True
    results = session.submit()
    assert (results.correct, results.total, results.score) == (1, 1, 1000)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.kind)
def test_every_other_permutation_is_wrong(item: Item, recorder: QuizRecorder) -> None:
    """All or nothing: in an exam (answers can change) each permutation is saved and judged;
    only the right one is correct, even one swap away from it is wrong."""
    setup = QuizSetup.exam(custom_exam(1), kinds={KIND_GROUP[item.kind]}, seed=2)
    session = QuizSession.start(setup, [item], recorder, clock=FakeClock(START))
    q = session.question(0)
    judged = {}
    for order in permutations(range(len(q.options))):
        assert session.answer(0, order) is None  # no feedback in an exam
        assert session.chosen(0) == order and session.is_answered(0)
        [saved] = recorder.load_attempt(session.attempt_id).answers
        assert saved.chosen == order
        judged[order] = saved.correct
    assert [o for o, ok in judged.items() if ok] == [q.key]
    assert all(ok is False for o, ok in judged.items() if o != q.key)
    swapped = (1, 0, *range(2, len(q.options)))  # the first two swapped: still all wrong
    session.answer(0, swapped)
    results = session.submit()
    assert (results.correct, results.answered, results.score) == (0, 1, 100)
    assert results.entries[0].status == "wrong"


BAD_ORDERS = {
    "empty": [],
    "incomplete": [0, 1],
    "repeated": [0, 0, 1, 2],
    "one repeated for another": [0, 1, 1],
    "out of range": [0, 1, 2, 9],
    "too long": [0, 1, 2, 0, 1],
    "negative": [-1, 0, 1],
}


@pytest.mark.parametrize("bad", list(BAD_ORDERS))
@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.kind)
def test_an_incomplete_or_repeated_order_is_refused_in_one_line(
    item: Item, bad: str, recorder: QuizRecorder
) -> None:
    session = practice(item, recorder)
    q = session.question(0)
    with pytest.raises(QuizappError) as caught:
        session.answer(0, BAD_ORDERS[bad])
    message = str(caught.value)
    what = "step" if item.kind == "ordering" else "description"
    assert message == f"question 1 takes every {what} once ({len(q.options)} in all)"
    assert "\n" not in message
    # nothing was recorded: still unanswered, and the right order is still accepted
    assert not session.is_answered(0) and session.chosen(0) == ()
    assert recorder.load_attempt(session.attempt_id).answers == ()
    feedback = session.answer(0, right(q))
    assert feedback is not None and feedback.correct


def test_an_exam_refuses_a_bad_order_too_and_keeps_the_last_good_one(
    recorder: QuizRecorder,
) -> None:
    session = exam(recorder, FakeClock(START))
    p = position_of(session, "ordering")
    q = session.question(p)
    session.answer(p, wrong(q))
    with pytest.raises(QuizappError, match="takes every step once"):
        session.answer(p, right(q)[:-1])
    assert session.chosen(p) == tuple(wrong(q)) and session.is_answered(p)


def test_a_practice_answer_is_final(recorder: QuizRecorder) -> None:
    session = practice(ORDERING, recorder)
    q = session.question(0)
    assert session.answer(0, wrong(q)) is not None
    with pytest.raises(QuizappError, match="already answered"):
        session.answer(0, right(q))
    assert session.chosen(0) == tuple(wrong(q))


def test_a_resumed_attempt_keeps_the_saved_order(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    session = exam(recorder, clock)
    o, m = position_of(session, "ordering"), position_of(session, "matching")
    ordering_answer = (2, 0, 3, 1)  # neither sorted nor reversed: the order itself is kept
    matching_answer = (0, 2, 1)
    clock.advance(seconds=30)
    session.answer(o, ordering_answer)
    session.answer(m, matching_answer)
    session.set_flag(m)
    session.goto(o)
    shown = [session.question(i).options for i in range(2)]
    del session  # the app is killed: only the recorder survives

    later = FakeClock(START + timedelta(hours=3))
    resumed = QuizSession.resume(1, ITEMS, recorder, clock=later)
    assert resumed.chosen(o) == ordering_answer and resumed.chosen(m) == matching_answer
    assert resumed.is_answered(o) and resumed.is_answered(m) and resumed.is_flagged(m)
    assert [resumed.question(i).options for i in range(2)] == shown  # same shuffled display
    assert resumed.current == o and resumed.elapsed() == 30
    # the saved answer can still be changed after resuming: the right order now at `m`
    resumed.answer(m, right(resumed.question(m)))
    results = resumed.submit()
    assert (results.correct, results.total, results.answered) == (1, 2, 2)
    assert results.entries[o].chosen == ordering_answer and not results.entries[o].correct
    assert results.entries[m].chosen == (0, 1, 2) and results.entries[m].correct
    assert load_results(1, ITEMS, recorder) == results


def test_the_review_shows_the_learners_order(recorder: QuizRecorder) -> None:
    session = exam(recorder, FakeClock(START))
    o, m = position_of(session, "ordering"), position_of(session, "matching")
    session.answer(o, (1, 0, 2, 3))  # the first two steps swapped
    session.answer(m, (2, 0, 1))  # every description on the wrong item
    session.submit()

    review = load_results(session.attempt_id, ITEMS, recorder).review()
    ordering, matching = review[o], review[m]
    assert ordering.status == matching.status == "wrong"
    assert ordering.question.kind == "ordering" and matching.question.kind == "matching"
    # the learner's order, as placed (not sorted), next to the right one
    learner_steps = [ordering.question.option(i).text for i in ordering.chosen]
    assert learner_steps == [ORDERING.steps[i].text for i in (1, 0, 2, 3)]
    assert ordering.answer_text == " → ".join(s.text for s in ORDERING.steps)
    learner_pairs = [
        (left, matching.question.option(i).text)
        for left, i in zip(matching.question.lefts, matching.chosen, strict=True)
    ]
    assert learner_pairs == [
        ("Weight", "Turns the sum into the output"),
        ("Bias", "Scales one input"),
        ("Activation", "Shifts the weighted sum"),
    ]
    assert matching.answer_text == (
        "Weight: Scales one input; Bias: Shifts the weighted sum; "
        "Activation: Turns the sum into the output"
    )
    # every element was placed; each keeps the explanation of where it belongs
    for entry, item_parts in ((ordering, ORDERING.steps), (matching, MATCHING.pairs)):
        assert all(opt.chosen for opt in entry.options)
        assert {opt.explanation for opt in entry.options} == {p.explanation for p in item_parts}
    wrong_ones = load_results(session.attempt_id, ITEMS, recorder).review("wrong")
    assert {e.position for e in wrong_ones} == {o, m}


def test_sequence_questions_are_exam_questions_of_the_default_profile() -> None:
    profile = default_profile()
    assert {"ordering", "matching"} <= set(profile.kinds)
    setup = QuizSetup.exam(custom_exam(2), seed=1)
    assert {"ordering", "matching"} <= setup.bank_kinds
