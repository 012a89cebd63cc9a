"""Undo of the last answer: the card's memory comes back exactly and its log row is gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, build_collection, open_collection
from quizapp.practice import PracticeAttempt
from quizapp.scheduling.memory import REVIEW
from quizapp.store.cards import load_memory
from quizapp.store.daily_counts import rebuild_daily_counts
from quizapp.store.models import CardMemory, DailyCount, PracticeAttemptRow, ReviewLog

NOW = datetime(2026, 2, 2, 10, tzinfo=UTC)


def items(n: int) -> list[Item]:
    src = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")
    return [
        Item(f"undo-{i}", "flashcard", "b", src, "weights-bias", "Modeling", "easy", "q", "a")
        for i in range(n)
    ]


def memory(study: Collection, card_id: int):
    with study.store.read() as run:
        return load_memory(run, card_id)


def log_count(study: Collection) -> int:
    with Session(study.store.engine) as s:
        return s.execute(select(func.count()).select_from(ReviewLog)).scalar_one()


def make(db_url: str, n: int = 4, **settings) -> tuple[Collection, FakeClock]:
    clock = FakeClock(NOW)
    study = open_collection(db_url, items(n), clock=clock)
    if settings:
        study.settings.save(replace(study.settings.current(), **settings))
    return study, clock


def test_undo_restores_memory_and_removes_the_log_row(db_url: str) -> None:
    study, clock = make(db_url)
    assert not study.reviews.can_undo() and study.reviews.undo() is None
    card = study.reviews.next_card()
    assert card is not None
    before = memory(study, card.card_id)
    counts = study.reviews.due_counts()
    study.reviews.answer(card, 3)
    clock.advance(minutes=11)
    again = study.reviews.next_card()
    assert again is not None and again.card_id == card.card_id  # the learning step
    middle = memory(study, card.card_id)
    study.reviews.answer(again, 3)
    assert memory(study, card.card_id).state == REVIEW
    assert log_count(study) == 2

    assert study.reviews.can_undo()
    assert study.reviews.undo() == card.card_id
    assert memory(study, card.card_id) == middle
    assert log_count(study) == 1
    assert study.reviews.undo() == card.card_id
    assert memory(study, card.card_id) == before
    assert log_count(study) == 0
    assert not study.reviews.can_undo() and study.reviews.undo() is None
    clock.set(NOW)
    assert study.reviews.due_counts() == counts
    study.close()


def test_undo_lifts_a_leech_suspension(db_url: str) -> None:
    study, _clock = make(db_url, leech_action="suspend")
    card = study.reviews.next_card()
    assert card is not None
    ts = NOW.timestamp()
    with Session(study.store.engine) as s, s.begin():
        s.execute(
            update(CardMemory)
            .where(CardMemory.card_id == card.card_id)
            .values(
                state=REVIEW, queue=2, stability=3.0, difficulty=6.0, due=ts - 10,
                last_review=ts - 3 * 86400, reps=9, lapses=7,
            )
        )  # fmt: skip
    card = study.reviews.card(
        card.card_id
    )  # shown again as it now is (an answer carries what it saw)
    before = memory(study, card.card_id)
    outcome = study.reviews.answer(card, 1)
    assert outcome.became_leech
    info = study.browse.card_info(card.card_id)
    assert info.leech and info.suspended and info.lapses == 8
    assert study.reviews.undo() == card.card_id
    assert memory(study, card.card_id) == before
    info = study.browse.card_info(card.card_id)
    assert not info.leech and not info.suspended
    study.close()


def test_undo_of_a_practice_grade_keeps_the_attempt(db_url: str) -> None:
    study, _clock = make(db_url, n=0)
    card = study.reviews.next_card()
    assert card is not None and card.is_skill
    before = memory(study, card.card_id)
    attempt = PracticeAttempt(
        variant_id=f"{card.family}@1", family=card.family or "", difficulty="easy",
        typed="0.5", value=0.5, correct=False, misconception="forgot-bias", hinted=False,
        elapsed_s=12.0, card_id=card.card_id,
    )  # fmt: skip
    outcome = study.practice.record(attempt, card)
    assert outcome is not None and outcome.grade == 1
    assert study.reviews.undo() == card.card_id
    assert memory(study, card.card_id) == before
    with Session(study.store.engine) as s:
        row = s.execute(select(PracticeAttemptRow)).scalar_one()
    assert row.misconception == "forgot-bias" and row.review_log_id is None
    assert study.practice.records()[0].attempts == 1
    study.close()


def test_undo_never_discards_a_later_answer_from_another_instance(db_url: str) -> None:
    study, clock = make(db_url)
    other = build_collection(study.store, items(4), clock=clock)
    card = study.reviews.next_card()
    assert card is not None
    study.reviews.answer(card, 4)
    clock.advance(days=30)
    other.reviews.answer(other.reviews.card(card.card_id), 3)  # answered again elsewhere
    after_other = memory(study, card.card_id)
    assert study.reviews.undo() is None
    assert memory(study, card.card_id) == after_other
    assert log_count(study) == 2
    assert other.reviews.undo() == card.card_id
    study.close()


def daily_counts(study: Collection) -> list[tuple[int, int, int, int]]:
    with Session(study.store.engine) as s:
        rows = s.execute(
            select(
                DailyCount.study_day,
                DailyCount.answers,
                DailyCount.new_done,
                DailyCount.reviews_done,
            ).order_by(DailyCount.study_day)
        ).all()
    return [tuple(r) for r in rows if r[1]]  # an undone day may keep a zero row


def test_rebuilt_daily_counts_match_the_ones_kept_with_each_answer(db_url: str) -> None:
    study, clock = make(db_url, n=6)
    for day in range(3):
        for _ in range(4):
            card = study.reviews.next_card()
            if card is None:
                break
            study.reviews.answer(card, 3 if day else 1)
        clock.advance(timedelta(days=1))
    study.reviews.undo()
    kept = daily_counts(study)
    assert sum(answers for _, answers, _, _ in kept) == log_count(study) > 0
    with study.store.write() as tx:
        rebuild_daily_counts(tx)
    assert daily_counts(study) == kept
    study.close()


def test_the_undo_history_is_stored_per_window(db_url: str) -> None:
    """Undo reads the review log, not process memory: the window that answered can take it
    back through any handle on the same collection; another window cannot."""
    study, _clock = make(db_url)
    card = study.reviews.next_card()
    assert card is not None
    study.reviews.answer(card, 3)
    other = build_collection(study.store, items(4), clock=_clock)
    assert not other.reviews.can_undo() and other.reviews.undo() is None
    with Session(study.store.engine) as s:
        owners = s.execute(select(ReviewLog.undo_by)).scalars().all()
    assert owners == [study.reviews.window]
    again = replace(study, reviews=study.reviews)  # e.g. the screen was left and re-entered
    assert again.reviews.can_undo() and again.reviews.undo() == card.card_id
    assert log_count(study) == 0
    study.close()


def test_a_reset_card_cannot_be_undone_to_its_old_memory(db_url: str) -> None:
    study, _ = make(db_url)
    card = study.reviews.next_card()
    assert card is not None
    study.reviews.answer(card, 4)
    study.browse.reset_card(card.card_id)
    assert not study.reviews.can_undo() and study.reviews.undo() is None
    assert study.browse.card_info(card.card_id).state == "new"
    study.close()
