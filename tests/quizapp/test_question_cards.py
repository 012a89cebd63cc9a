"""Missed quiz and exam questions become review cards, spaced by FSRS, reshuffled each time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import QuizappError
from quizapp.quiz import QuizSession, QuizSetup
from quizapp.reviews.questions import shuffled_order
from quizapp.scheduling.memory import NEW, Q_RETIRED
from quizapp.store.models import Card, CardMemory, ReviewLog

SHIPPED = load_shipped().items
NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)


def make(db_url: str, **settings: object) -> tuple[Collection, FakeClock]:
    clock = FakeClock(NOW)
    study = open_collection(db_url, SHIPPED, clock=clock)
    if settings:
        study.settings.save(replace(study.settings.current(), **settings))
    return study, clock


def question_cards(study: Collection) -> list[tuple[int, str, str, str, bool, int, int]]:
    """(id, key, topic, domain, retired, state, queue) of every card of kind "question"."""
    with study.store.engine.connect() as conn:
        rows = conn.execute(
            select(
                Card.id, Card.key, Card.topic, Card.domain, Card.retired,
                CardMemory.state, CardMemory.queue,
            )
            .join(CardMemory, CardMemory.card_id == Card.id)
            .where(Card.kind == "question")
            .order_by(Card.id)
        )  # fmt: skip
        return [tuple(r) for r in rows]  # type: ignore[misc]


def first_of(session: QuizSession, kinds: set[str], skip: set[str] = frozenset()) -> int:  # type: ignore[assignment]
    return next(
        p
        for p in range(len(session))
        if session.question(p).kind in kinds and session.question(p).item_id not in skip
    )


def wrong_pick(session: QuizSession, p: int) -> list[int]:
    q = session.question(p)
    wrong = sorted({o.index for o in q.options} - q.correct_indexes)
    if q.multiple:  # one right and one wrong: still wrong
        return (
            [min(q.correct_indexes), wrong[0]][: q.picks_needed]
            if q.picks_needed > 1
            else wrong[:1]
        )
    return wrong[:1]


def exam(study: Collection, seed: int = 5) -> QuizSession:
    return study.quizzes.start(QuizSetup.exam(seed=seed))


def test_a_wrong_exam_answer_creates_one_card_a_right_one_none(db_url: str) -> None:
    study, clock = make(db_url)
    session = exam(study)
    p = first_of(session, {"single_choice"})
    q = session.question(p)
    session.answer(p, wrong_pick(session, p))
    cards = question_cards(study)
    assert [(c[1], c[2], c[3], c[4], c[5]) for c in cards] == [
        (f"quiz:{q.item_id}", q.topic, q.domain, False, NEW)
    ]
    clock.advance(seconds=10)
    session.answer(
        p, [min(set(range(len(q.options))) - q.correct_indexes - {wrong_pick(session, p)[0]})]
    )
    assert len(question_cards(study)) == 1  # a second miss: still one card
    r = first_of(session, {"single_choice", "true_false"}, {q.item_id})
    session.answer(r, sorted(session.question(r).correct_indexes))
    assert len(question_cards(study)) == 1  # a right answer makes none
    # another attempt missing the same question: still one card
    session.submit()
    again = exam(study, seed=5)
    again.answer(p, wrong_pick(again, p))
    assert len(question_cards(study)) == 1


def test_each_kind_that_review_can_show_becomes_a_card(db_url: str) -> None:
    study, _clock = make(db_url)
    session = exam(study)
    made = []
    for kind in ("single_choice", "multiple_response"):
        p = first_of(session, {kind})
        session.answer(p, wrong_pick(session, p))
        made.append(f"quiz:{session.question(p).item_id}")
    for kind in ("ordering", "matching"):  # not reviewed as cards
        p = first_of(session, {kind})
        n = len(session.question(p).options)
        session.answer(p, list(range(n))[::-1])
    practice = study.quizzes.start(QuizSetup.practice(3, kinds=["true_false"], seed=1))
    practice.answer(0, wrong_pick(practice, 0))
    made.append(f"quiz:{practice.question(0).item_id}")
    assert sorted(c[1] for c in question_cards(study)) == sorted(made)


def test_the_setting_off_creates_none(db_url: str) -> None:
    study, _clock = make(db_url, missed_questions_become_cards=False)
    session = exam(study)
    p = first_of(session, {"single_choice"})
    session.answer(p, wrong_pick(session, p))
    assert question_cards(study) == []


def test_a_practice_miss_counts_too(db_url: str) -> None:
    study, _clock = make(db_url)
    session = study.quizzes.start(QuizSetup.practice(5, kinds=["true_false"], seed=3))
    feedback = session.answer(0, wrong_pick(session, 0))
    assert feedback is not None and feedback.correct is False
    assert [c[1] for c in question_cards(study)] == [f"quiz:{session.question(0).item_id}"]


def missed_card(db_url: str, kind: str = "single_choice") -> tuple[Collection, FakeClock, int]:
    study, clock = make(db_url)
    session = exam(study)
    p = first_of(session, {kind})
    session.answer(p, wrong_pick(session, p))
    (card,) = question_cards(study)
    return study, clock, card[0]


def test_the_card_reviews_with_reshuffled_choices_and_a_wrong_pick_grades_again(
    db_url: str,
) -> None:
    study, clock, card_id = missed_card(db_url)
    card = study.reviews.next_card()  # a missed question comes first among new cards
    assert card is not None and card.card_id == card_id and card.is_question
    assert card.item is not None and card.item.kind == "single_choice"
    n = len(card.item.choices)
    assert sorted(card.order) == list(range(n))
    assert study.reviews.card(card_id).order == card.order  # a preview and the answer agree
    wrong = next(i for i, c in enumerate(card.item.choices) if not c.correct)
    outcome = study.reviews.answer_question(card, [wrong], elapsed_s=5.0)
    assert outcome.grade == 1
    with study.store.engine.connect() as conn:
        logged = conn.execute(select(ReviewLog.card_id, ReviewLog.grade)).all()
    assert [tuple(r) for r in logged] == [(card_id, 1)]
    # each review shows a fresh order: over ten reviews the orders are not all the same
    orders = {shuffled_order(card.item, card_id, reps) for reps in range(10)}
    assert len(orders) > 1
    clock.advance(minutes=2)
    later = study.reviews.card(card_id)
    assert later.order == shuffled_order(card.item, card_id, 1)


@pytest.mark.parametrize(("elapsed", "grade"), [(1.0, 4), (10_000.0, 2)])
def test_a_right_pick_grades_by_time(db_url: str, elapsed: float, grade: int) -> None:
    study, _clock, card_id = missed_card(db_url)
    card = study.reviews.card(card_id)
    assert card.item is not None
    right = [i for i, c in enumerate(card.item.choices) if c.correct]
    assert study.reviews.answer_question(card, right, elapsed_s=elapsed).grade == grade


def test_a_choose_two_card_needs_both_right(db_url: str) -> None:
    study, _clock, card_id = missed_card(db_url, "multiple_response")
    card = study.reviews.card(card_id)
    assert card.item is not None
    right = [i for i, c in enumerate(card.item.choices) if c.correct]
    wrong = [i for i, c in enumerate(card.item.choices) if not c.correct]
    assert len(right) >= 2
    with pytest.raises(QuizappError, match="takes"):
        study.reviews.answer_question(card, right[:1], elapsed_s=20.0)
    half = [right[0], wrong[0], *right[2:]]
    assert study.reviews.answer_question(card, half, elapsed_s=20.0).grade == 1


def test_sync_keeps_the_card_while_its_item_exists_and_retires_it_when_it_goes(
    db_url: str,
) -> None:
    study, _clock, card_id = missed_card(db_url)
    (card,) = question_cards(study)
    item_id = card[1].removeprefix("quiz:")
    others = [i for i in SHIPPED if i.id != item_id]
    # the banks change elsewhere (one flashcard gone): the question card stays
    flash = next(i for i in others if i.kind == "flashcard")
    report = study.content.sync([i for i in SHIPPED if i.id != flash.id])
    assert not report.skipped
    assert question_cards(study)[0][4] is False
    # its item leaves the banks: retired (memory and history kept)
    study.content.sync(others)
    (gone,) = question_cards(study)
    assert gone[4] is True and gone[6] == Q_RETIRED
    # it comes back: restored, still new
    study.content.sync(SHIPPED)
    (back,) = question_cards(study)
    assert back[4] is False and back[6] == 0 and back[0] == card_id
    # its item's topic changes: the card follows
    moved = [replace(i, topic="losses") if i.id == item_id else i for i in SHIPPED]
    study.content.sync(moved)
    assert question_cards(study)[0][2] == "losses"


def test_an_exam_answer_corrected_before_submitting_leaves_no_card(db_url: str) -> None:
    study, clock = make(db_url)
    session = exam(study)
    p = first_of(session, {"single_choice"})
    q = session.question(p)
    session.answer(p, wrong_pick(session, p))
    assert len(question_cards(study)) == 1
    clock.advance(seconds=5)
    session.answer(p, sorted(q.correct_indexes))  # changed to right: the card goes
    assert question_cards(study) == []
    session.answer(p, wrong_pick(session, p))
    session.clear(p)  # cleared: not a wrong answer any more
    assert question_cards(study) == []
    session.answer(p, wrong_pick(session, p))
    session.submit()
    (kept,) = question_cards(study)
    # a later attempt answering it right leaves the card of the earlier miss alone
    clock.advance(minutes=5)
    again = exam(study, seed=5)
    again.answer(p, sorted(again.question(p).correct_indexes))
    assert question_cards(study) == [kept]
