"""The Collection calls the browse, practice and review screens lean on: `items()`,
`recent_answers()`, `practice_attempts()` and `card()` (the card an undo restored)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from quiz_records import record_quiz

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import QuizappError
from quizapp.practice import PracticeAttempt
from quizapp.quiz import QuizAnswer

NOW = datetime(2026, 4, 6, 9, tzinfo=UTC)
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")


def items(n: int = 5) -> list[Item]:
    return [
        Item(f"br-{i}", "flashcard", "b", SRC, "weights-bias", "Modeling", "easy", f"q{i}", "a")
        for i in range(n)
    ]


def make(db_url: str, n: int = 5) -> tuple[Collection, FakeClock]:
    clock = FakeClock(NOW)
    return open_collection(db_url, items(n), clock=clock), clock


def attempt(i: int, correct: bool, card_id: int | None = None) -> PracticeAttempt:
    return PracticeAttempt(
        variant_id=f"softmax@{i}",
        family="softmax",
        difficulty="medium",
        typed=str(i),
        value=float(i),
        correct=correct,
        misconception=None if correct else "no_exponentials",
        hinted=i % 2 == 1,
        elapsed_s=10.0 + i,
        card_id=card_id,
    )


def test_items_are_the_synced_bank_in_order(db_url: str) -> None:
    study, _ = make(db_url)
    assert [i.id for i in study.browse.items()] == [f"br-{i}" for i in range(5)]
    study.content.sync(items(3))
    assert [i.id for i in study.browse.items()] == ["br-0", "br-1", "br-2"]
    study.close()


def test_practice_attempts_newest_first_with_a_limit(db_url: str) -> None:
    study, _ = make(db_url)
    assert study.practice.attempts() == ()
    skill = next(i for i in study.browse.card_infos() if i.key == "skill:softmax:medium")
    saved = [attempt(0, True), attempt(1, False), attempt(2, True, skill.card_id)]
    for a in saved:
        study.practice.record(a, study.reviews.card(skill.card_id) if a.card_id else None)
    assert study.practice.attempts() == tuple(reversed(saved))
    assert study.practice.attempts(limit=2) == (saved[2], saved[1])
    assert study.practice.attempts(limit=0) == ()
    study.close()


def test_card_shows_what_an_undo_restored_with_its_previews(db_url: str) -> None:
    study, clock = make(db_url)
    first = study.reviews.next_card()
    assert first is not None
    study.reviews.answer(first, 1)  # Again: back in a minute, in learning
    second = study.reviews.next_card()
    assert second is not None and second.card_id != first.card_id
    study.reviews.answer(second, 3)
    clock.advance(minutes=2)
    queue_first = study.reviews.next_card()  # the learning card comes first now
    assert queue_first is not None and queue_first.card_id == first.card_id

    restored = study.reviews.undo()
    assert restored == second.card_id
    card = study.reviews.card(restored)
    assert (card.card_id, card.state, card.item) == (second.card_id, "new", second.item)
    # the same memory as when it was first shown: the same intervals on the buttons
    assert [p.interval for p in card.previews] == [p.interval for p in second.previews]
    good = next(p for p in card.previews if p.grade == 3)
    outcome = study.reviews.answer(card, 3)
    assert outcome.due - clock.now() == good.interval

    skill = next(i for i in study.browse.card_infos() if i.kind == "skill")
    shown = study.reviews.card(skill.card_id)
    assert shown.is_skill and shown.family == skill.family and len(shown.previews) == 4
    with pytest.raises(QuizappError, match="no card 9999"):
        study.reviews.card(9999)
    study.close()


def test_recent_answers_merge_reviews_and_quiz_answers_newest_first(db_url: str) -> None:
    study, clock = make(db_url, 2)
    card = study.reviews.next_card()
    assert card is not None and card.item is not None
    for grade in (1, 3, 3):
        clock.advance(minutes=15)
        # the card as review shows it (after Again, other cards come first: ask for it)
        study.reviews.answer(study.reviews.card(card.card_id), grade)
    clock.advance(hours=1)
    answer = QuizAnswer(0, card.item.id, "weights-bias", "Modeling", (1,), None, False)
    record_quiz(study, "practice", "practice", 1, [answer])
    clock.advance(days=3)
    shown = study.reviews.next_card()
    assert shown is not None and shown.card_id == card.card_id
    study.reviews.answer(shown, 4)

    found = study.browse.recent_answers(card_id=card.card_id, item_id=card.item.id, limit=10)
    assert [a.at for a in found] == sorted((a.at for a in found), reverse=True)
    assert found[0].source == "review" and found[0].grade == 4 and found[0].correct
    assert found[0].state_before in ("review", "learning") and found[0].interval_days > 0
    quiz_answers = [a for a in found if a.source == "quiz"]
    assert len(quiz_answers) == 1 and not quiz_answers[0].correct
    assert quiz_answers[0].mode == "practice"
    reviews = [a for a in found if a.source == "review"]
    assert reviews[-1].grade == 1 and not reviews[-1].correct
    assert reviews[-1].state_before == "new"
    assert (
        len(study.browse.recent_answers(card_id=card.card_id, item_id=card.item.id, limit=2)) == 2
    )
    assert study.browse.recent_answers(card_id=None, item_id="nothing") == ()
    # every review answer is in the log, each once
    assert len(reviews) == study.stats.summary().reviews_total
    assert all(a.at <= clock.now() for a in found)
    assert found[-1].at >= NOW - timedelta(seconds=1)
    study.close()
