"""Cram: review ahead without touching the schedule; the answers go to the cram log only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import QuizappError
from quizapp.reviews.cram import CramChoice
from quizapp.store.cards import all_cards
from quizapp.store.models import CardMemory, CramLog, ReviewLog

NOW = datetime(2026, 2, 2, 10, tzinfo=UTC)
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")


def items() -> list[Item]:
    topics = ["weights-bias"] * 4 + ["losses"] * 3
    return [
        Item(f"cram-{i}", "flashcard", "b", SRC, t, "Modeling", "easy", f"q{i}", f"a{i}")
        for i, t in enumerate(topics)
    ]


def table(study: Collection, model: type) -> list[tuple[object, ...]]:
    all_cols = model.__table__.columns  # type: ignore[attr-defined]
    cols = [c for c in all_cols if c.name != "learner"]  # the column positions read below
    with study.store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*cols).order_by(cols[0]))]


def studied(db_url: str) -> tuple[Collection, FakeClock, dict[str, int]]:
    """Five of seven cards studied (graded Good/Easy, so each is in review and due later);
    two stay new. The card ids by item id."""
    clock = FakeClock(NOW)
    study = open_collection(db_url, items(), clock=clock)
    with study.store.read() as tx:
        ids = {r.key: r.card_id for r in all_cards(tx) if r.kind == "flashcard"}
    for name, grade in zip(
        ["cram-0", "cram-1", "cram-2", "cram-4", "cram-5"], (4, 3, 4, 4, 3), strict=False
    ):
        study.reviews.answer(study.reviews.card(ids[name]), grade)  # Easy: review; Good: learning
        clock.advance(hours=1)
    return study, clock, ids


def test_cram_leaves_memory_and_review_log_untouched_and_logs_each_answer(
    db_url: str,
) -> None:
    study, clock, ids = studied(db_url)
    memory_before, log_before = table(study, CardMemory), table(study, ReviewLog)
    # the independent pick: studied (state != 0) cards of the topic, by due
    by_id = {r[0]: r for r in memory_before}
    topic_ids = [ids[f"cram-{i}"] for i in range(4) if f"cram-{i}" in ids]
    expected = sorted((c for c in topic_ids if by_id[c][1] != 0), key=lambda c: (by_id[c][5], c))
    assert expected

    counts_before = study.reviews.due_counts()
    total = study.cram.start(CramChoice(topic="weights-bias"))
    assert total == len(expected)
    seen, grades = [], [1, 3, 2, 4, 1, 3]
    while (card := study.cram.next_card()) is not None:
        seen.append(card.card_id)
        clock.advance(seconds=7)
        study.cram.answer(card, grades[len(seen) - 1], elapsed_s=7.0)
    assert seen == expected
    assert study.cram.progress().left == 0

    assert table(study, CardMemory) == memory_before  # no FSRS state, due or queue changed
    assert table(study, ReviewLog) == log_before
    logged = table(study, CramLog)
    assert [(r[1], r[2], r[5]) for r in logged] == [
        (c, grades[i], 7000) for i, c in enumerate(expected)
    ]
    today = study.time.moment().today
    assert all(r[4] == today for r in logged)
    # the ordinary review queue does not see the crammed cards as answered
    assert study.reviews.due_counts() == counts_before


def test_cram_due_before_a_date_picks_only_those_cards(db_url: str) -> None:
    study, _clock, _ids = studied(db_url)
    memory = {r[0]: r for r in table(study, CardMemory)}
    dues = sorted((r[5], r[0]) for r in memory.values() if r[1] != 0)
    # a date between the earliest and the latest due
    cut_ts = (dues[0][0] + dues[-1][0]) / 2
    cut_day = datetime.fromtimestamp(cut_ts, UTC).date() + timedelta(days=1)
    start = study.time.start_of(cut_day).timestamp()
    expected = [c for due, c in dues if due < start]
    assert 0 < len(expected) <= len(dues)
    study.cram.start(CramChoice(due_before=cut_day))
    got = []
    while (card := study.cram.next_card()) is not None:
        got.append(card.card_id)
        study.cram.answer(card, 3)
    assert got == expected
    new_ids = [c for c, r in memory.items() if r[1] == 0]
    assert new_ids and not set(new_ids) & set(got)  # new cards are never crammed


def test_cram_undo_takes_back_the_last_answer_only(db_url: str) -> None:
    study, _clock, _ids = studied(db_url)
    assert not study.cram.can_undo() and study.cram.undo() is None
    study.cram.start(CramChoice())
    first = study.cram.next_card()
    assert first is not None
    study.cram.answer(first, 1)
    second = study.cram.next_card()
    assert second is not None and second.card_id != first.card_id
    study.cram.answer(second, 3)
    assert len(table(study, CramLog)) == 2
    assert study.cram.undo() == second.card_id
    rows = table(study, CramLog)
    assert [(r[1], r[2]) for r in rows] == [(first.card_id, 1)]
    again = study.cram.next_card()
    assert again is not None and again.card_id == second.card_id


def test_cram_with_nothing_to_cram_says_so(db_url: str) -> None:
    study, _clock, _ids = studied(db_url)
    with pytest.raises(QuizappError, match="nothing to cram"):
        study.cram.start(CramChoice(topic="no-such-topic"))
    study.cram.start(CramChoice(topic="losses"))
    card = study.cram.next_card()
    assert card is not None
    with pytest.raises(QuizappError, match="no grade"):
        study.cram.answer(card, 5)
