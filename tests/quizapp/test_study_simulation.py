"""A simulated month of study on a temporary database file with an injected clock: day
rollover, daily limits, queue order, learning steps, leeches, the exam-date cap, bury,
suspend, skill cards graded from practice, and use from another thread."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock, study_date
from quizapp.collection import Collection, open_collection
from quizapp.practice import PracticeAttempt
from quizapp.reviews import DueCounts, ReviewCard
from quizapp.scheduling.memory import LEARNING, NEW, RELEARNING, REVIEW
from quizapp.scheduling.skills import skill_keys
from quizapp.store.models import CardMemory, ReviewLog

ZONE = timezone(timedelta(hours=-5))  # study days are local: rollover at 4:00 in this zone
ROLLOVER = 4


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def make_items(n: int, prefix: str = "sim") -> list[Item]:
    topics = ("neurons", "activations", "losses")
    return [
        Item(
            id=f"{prefix}-card-{i:03d}",
            kind="flashcard" if i % 4 else "cloze",
            bank="test-bank",
            source=Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron"),
            topic=topics[i % 3],
            domain="Modeling",
            difficulty="easy",
            front=f"question {i}",
            back=f"answer {i}",
            text=f"gap {{{{answer {i}}}}}",
        )
        for i in range(n)
    ]


def open_study(db_url: str, items: list[Item], clock: FakeClock, **settings) -> Collection:
    study = open_collection(db_url, items, clock=clock)
    study.settings.save(replace(study.settings.current(), **settings))
    return study


def logs(study: Collection) -> list:
    with Session(study.store.engine) as s:
        return list(s.execute(select(ReviewLog).order_by(ReviewLog.id)).scalars())


def test_simulated_month(db_url: str) -> None:
    start = date(2026, 3, 1)
    exam = date(2026, 3, 22)
    clock = FakeClock(local(start, 9), zone=ZONE)
    items = make_items(60)
    study = open_study(
        db_url,
        items,
        clock,
        new_per_day=8,
        reviews_per_day=14,
        leech_action="suspend",
        exam_date=exam,
    )
    rng = random.Random(7)
    leech_item, easy_items = items[0].id, {it.id for it in items[1:8]}
    leech_card: int | None = None
    leech_events = 0
    after_suspension: list[int] = []
    seen_skill = False

    def choose(card: ReviewCard) -> int:
        if card.item is None:
            return 0  # graded from practice below
        if card.item.id == leech_item:
            return 1 if card.state == "review" else 3
        if card.item.id in easy_items:
            return 4
        return 1 if rng.random() < 0.12 else 3

    for day_index in range(30):
        day = start + timedelta(days=day_index)
        clock.set(local(day, 9, rng.randrange(0, 50)))
        for _ in range(400):
            card = study.reviews.next_card()
            if card is None:
                break
            if leech_card is not None and card.card_id == leech_card and leech_events:
                after_suspension.append(card.card_id)
            grade = choose(card)
            clock.advance(seconds=rng.randrange(3, 15))
            answered_at = clock.now()
            if grade == 0:
                seen_skill = True
                correct = rng.random() < 0.8
                outcome = study.practice.record(
                    PracticeAttempt(
                        variant_id=f"{card.family}@{rng.randrange(10**6)}",
                        family=card.family or "",
                        difficulty=card.difficulty or "easy",
                        typed="1.0",
                        value=1.0,
                        correct=correct,
                        misconception=None,
                        hinted=False,
                        elapsed_s=20.0,
                        card_id=card.card_id,
                    ),
                    card,
                )
                assert outcome is not None
                grade = outcome.grade
            else:
                outcome = study.reviews.answer(card, grade, elapsed_s=5.0)
            # the button showed exactly what the answer gave (fuzz is on)
            assert outcome.due == answered_at + card.previews[grade - 1].interval
            if card.item is not None and card.item.id == leech_item:
                leech_card = card.card_id
                leech_events += outcome.became_leech
        else:
            pytest.fail("a study session never ran out of cards")
        # a finished session leaves nothing due today (limits applied)
        assert study.reviews.due_counts() == DueCounts(0, 0, 0)

    rows = logs(study)
    by_day: dict[int, list] = {}
    for r in rows:
        by_day.setdefault(r.study_day, []).append(r)
    assert len(by_day) == 30  # one study day per simulated day, none split by the rollover
    total_cards = 60 + len(skill_keys())  # items + skills
    introduced = 0
    for day_rows in by_day.values():
        new_today = sum(r.state_before == NEW for r in day_rows)
        assert new_today == min(8, total_cards - introduced)
        introduced += new_today
        assert sum(r.state_before == REVIEW for r in day_rows) <= 14
    assert any(sum(r.state_before == REVIEW for r in d) == 14 for d in by_day.values())
    # learning steps: new cards came back the same day, and lapses were relearned
    assert sum(r.state_before == LEARNING for r in rows) >= 50
    assert any(r.state_before == RELEARNING for r in rows)
    assert seen_skill

    # leech: suspended at the 8th lapse, tagged once, never shown again
    assert leech_card is not None
    info = study.browse.card_info(leech_card)
    assert info.lapses == 8 and info.leech and info.suspended
    assert leech_events == 1 and not after_suspension

    # exam cap: before the exam every card came back by the day before it; it bound often
    exam_day = exam.toordinal()

    def due_day(ts: float) -> int:
        return study_date(datetime.fromtimestamp(ts, UTC), ZONE, ROLLOVER).toordinal()

    before_exam = [r for r in rows if r.study_day <= exam_day - 2 and r.state == REVIEW]
    assert before_exam
    assert all(due_day(r.due) <= exam_day - 1 for r in before_exam)
    assert sum(due_day(r.due) == exam_day - 1 for r in before_exam) >= 5
    # after the exam the cap is gone: Easy cards get long intervals again
    after_exam = [r for r in rows if r.study_day > exam_day and r.state == REVIEW]
    assert any(due_day(r.due) - r.study_day > 9 for r in after_exam)

    stats = study.stats.summary()
    assert stats.reviews_total == len(rows)
    assert stats.streak_days == 30
    assert stats.cards.suspended == 1
    study.close()


def test_day_rolls_over_at_four_not_midnight(db_url: str) -> None:
    day = date(2026, 4, 10)
    clock = FakeClock(local(day, 23), zone=ZONE)
    study = open_study(db_url, make_items(12), clock, new_per_day=3)
    for _ in range(3):
        card = study.reviews.next_card()
        assert card is not None and card.state == "new"
        study.reviews.answer(card, 4)  # Easy: straight to review, days away
    assert study.reviews.due_counts() == DueCounts(0, 0, 0)
    clock.set(local(day + timedelta(days=1), 3, 59))  # after midnight, before the rollover
    assert study.reviews.next_card() is None
    clock.set(local(day + timedelta(days=1), 4, 1))
    assert study.reviews.due_counts() == DueCounts(0, 0, 3)
    card = study.reviews.next_card()
    assert card is not None
    study.reviews.answer(card, 4)
    days = [r.study_day for r in logs(study)]
    assert days == [day.toordinal()] * 3 + [day.toordinal() + 1]
    study.close()


def set_memory(study: Collection, card_id: int, **values) -> None:
    with Session(study.store.engine) as s, s.begin():
        s.execute(update(CardMemory).where(CardMemory.card_id == card_id).values(**values))


def test_queue_order_learning_then_reviews_by_due_then_new(db_url: str) -> None:
    now = datetime(2026, 5, 5, 15, tzinfo=UTC)
    clock = FakeClock(now)
    study = open_study(db_url, make_items(6), clock)
    ids = [i.card_id for i in study.browse.card_infos()][:6]
    ts = now.timestamp()
    memory = {"stability": 5.0, "difficulty": 5.0, "reps": 2}
    set_memory(
        study, ids[5], state=LEARNING, step=1, queue=1, due=ts - 60, last_review=ts - 700, **memory
    )
    set_memory(
        study, ids[3], state=REVIEW, queue=2, due=ts - 86400, last_review=ts - 6 * 86400, **memory
    )
    set_memory(
        study,
        ids[4],
        state=REVIEW,
        queue=2,
        due=ts - 3 * 86400,
        last_review=ts - 9 * 86400,
        **memory,
    )
    set_memory(
        study, ids[2], state=REVIEW, queue=2, due=ts + 3 * 86400, last_review=ts - 86400, **memory
    )
    order = []
    for _ in range(5):
        card = study.reviews.next_card()
        assert card is not None
        order.append(card.card_id)
        study.reviews.answer(card, 4)
    # learning due now, reviews oldest-due first (not the one due in 3 days), new in bank order
    assert order == [ids[5], ids[4], ids[3], ids[0], ids[1]]
    study.close()  # fmt: skip


def test_bury_until_tomorrow_and_suspend(db_url: str) -> None:
    day = date(2026, 6, 1)
    clock = FakeClock(local(day, 10), zone=ZONE)
    study = open_study(db_url, make_items(3), clock, new_per_day=100)
    first = study.reviews.next_card()
    assert first is not None
    study.browse.bury(first.card_id)
    second = study.reviews.next_card()
    assert second is not None and second.card_id != first.card_id
    study.browse.suspend(second.card_id)
    third = study.reviews.next_card()
    assert third is not None and third.card_id not in (first.card_id, second.card_id)
    assert study.browse.card_info(first.card_id).buried
    assert study.browse.card_info(second.card_id).state == "suspended"
    clock.set(local(day + timedelta(days=1), 4, 30))
    shown = set()
    while (card := study.reviews.next_card()) is not None and card.card_id not in shown:
        shown.add(card.card_id)
        study.reviews.answer(card, 4)
    assert first.card_id in shown and second.card_id not in shown
    study.browse.suspend(second.card_id, False)
    card = study.reviews.next_card()
    assert card is not None and card.card_id == second.card_id
    study.close()


def test_study_works_from_another_thread(db_url: str) -> None:
    clock = FakeClock(datetime(2026, 7, 1, 12, tzinfo=UTC))
    study = open_study(db_url, make_items(5), clock)

    def review_one() -> int:
        card = study.reviews.next_card()
        assert card is not None
        return study.reviews.answer(card, 3).card_id

    with ThreadPoolExecutor(max_workers=2) as pool:
        answered = [pool.submit(review_one).result() for _ in range(4)]
    assert len(set(answered)) == 4
    with Session(study.store.engine) as s:
        assert s.execute(text("select count(*) from review_log")).scalar_one() == 4
    study.close()


def test_the_button_holds_even_when_the_answer_comes_a_day_boundary_later(
    db_url: str,
) -> None:
    """Shown 9 days 23:59:50 after the last review, answered 30 s later: fsrs would now
    count 10 elapsed days, yet each answer gives exactly the interval its button showed."""
    from quizapp.scheduling.memory import Memory
    from quizapp.scheduling.review import Policy, grade_card

    now = datetime(2026, 8, 3, 12, tzinfo=UTC)
    clock = FakeClock(now)
    study = open_study(db_url, make_items(4), clock)
    ids = [i.card_id for i in study.browse.card_infos()][:4]
    last = now.timestamp() - (10 * 86400 - 10)
    for card_id in ids:
        set_memory(study, card_id, state=REVIEW, queue=2, stability=30.0, difficulty=4.0,
                   due=last + 9 * 86400, last_review=last, reps=3)  # fmt: skip
    differs = 0
    for grade in (1, 2, 3, 4):
        clock.set(now)
        card = study.reviews.next_card()
        assert card is not None
        clock.advance(seconds=30)
        outcome = study.reviews.answer(card, grade)
        shown = card.previews[grade - 1].interval
        assert outcome.due == clock.now() + shown
        before = Memory(card.card_id, REVIEW, None, 30.0, 4.0, last + 9 * 86400, last, 3,
                        queue=2)  # fmt: skip
        fresh = grade_card(before, grade, clock.now(), Policy(), 36500).interval
        differs += fresh != shown
    assert differs  # regrading at the answer time would have broken a promise
    study.close()
