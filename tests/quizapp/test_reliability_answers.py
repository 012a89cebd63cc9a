"""Nothing answered is lost, nothing is answered twice: an answer counts only once stored,
carries the state the learner saw, and never revives a card another window retired."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.bank.loader import load_shipped
from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import CardChanged, QuizappError, StoreError
from quizapp.quiz import MemoryRecorder, QuizSession, QuizSetup, custom_exam
from quizapp.quiz.record import Progress
from quizapp.scheduling.memory import Q_RETIRED
from quizapp.store.database import make_engine
from quizapp.store.models import Card, CardMemory

NOW = datetime(2026, 5, 4, 10, tzinfo=UTC)
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")


def bank(prefix: str, n: int) -> list[Item]:
    return [
        Item(
            f"{prefix}-{i}", "flashcard", prefix, SRC, "weights-bias", "Modeling", "easy", "q", "a"
        )
        for i in range(n)
    ]


def open_study(url: str, items: list[Item], clock: FakeClock) -> Collection:
    study = open_collection(url, items, clock=clock)
    study.settings.save(replace(study.settings.current(), new_per_day=1000, reviews_per_day=1000))
    return study


def sql(url: str, statement: str) -> list[tuple[object, ...]]:
    """Run one statement on its own connection (committed); its rows, if any."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.exec_driver_sql(statement)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def log_rows(url: str) -> list[tuple[object, ...]]:
    return sql(url, "select card_id, grade from review_log order by id")


def card_row(study: Collection, key: str) -> tuple[bool, int]:
    with Session(study.store.engine) as s:
        row = s.execute(
            select(Card.retired, CardMemory.queue)
            .join(CardMemory, CardMemory.card_id == Card.id)
            .where(Card.key == key)
        ).one()
    return bool(row[0]), int(row[1])


# -- two windows on one collection ----------------------------------------------------------


def test_a_card_answered_in_another_window_since_it_was_shown_is_refused(db_url: str) -> None:
    clock = FakeClock(NOW)
    a = open_study(db_url, bank("x", 3), clock)
    b = open_study(db_url, bank("x", 3), clock)
    shown_a, shown_b = a.reviews.next_card(), b.reviews.next_card()
    assert shown_a is not None and shown_b is not None
    assert shown_a.card_id == shown_b.card_id  # both windows show the same card
    a.reviews.answer(shown_a, 3)
    with pytest.raises(CardChanged, match="another window"):
        b.reviews.answer(shown_b, 1)
    assert log_rows(db_url) == [(shown_a.card_id, 3)]  # graded once, by the first answer
    following = b.reviews.next_card()
    assert following is not None and following.card_id != shown_a.card_id
    b.reviews.answer(following, 4)  # the next card is answered normally
    assert len(log_rows(db_url)) == 2
    a.close()
    b.close()


def test_a_practice_attempt_on_a_changed_skill_card_stores_nothing(db_url: str) -> None:
    from quizapp.practice import PracticeAttempt

    clock = FakeClock(NOW)
    a = open_study(db_url, [], clock)  # only skill cards
    b = open_study(db_url, [], clock)
    card_a, card_b = a.reviews.next_card(), b.reviews.next_card()
    assert card_a is not None and card_b is not None and card_a.card_id == card_b.card_id
    attempt = PracticeAttempt(
        variant_id="loss@1", family=card_a.family or "", difficulty=card_a.difficulty or "",
        typed="0.5", value=0.5, correct=True, misconception=None, hinted=False,
        elapsed_s=20.0, card_id=card_a.card_id,
    )  # fmt: skip
    a.practice.record(attempt, card_a)
    with pytest.raises(CardChanged):
        b.practice.record(attempt, card_b)
    assert len(log_rows(db_url)) == 1
    assert sum(r.attempts for r in b.practice.records()) == 1  # the refused one left no row
    a.close()
    b.close()


# -- two windows on different bank sets ------------------------------------------------------


def test_answering_a_card_retired_elsewhere_does_not_revive_it(db_url: str) -> None:
    clock = FakeClock(NOW)
    both = open_study(db_url, bank("x", 2) + bank("y", 2), clock)
    card = both.reviews.next_card()
    assert card is not None and card.item is not None and card.item.id == "x-0"
    only_y = open_study(db_url, bank("y", 2), clock)  # its sync retires x-0 and x-1
    assert card_row(only_y, "x-0") == (True, Q_RETIRED)
    with pytest.raises(CardChanged):
        both.reviews.answer(card, 1)
    assert card_row(only_y, "x-0") == (True, Q_RETIRED)  # still retired, not learning
    seen = []
    while (shown := only_y.reviews.next_card()) is not None:  # never "needs bank item x-0"
        assert shown.item is None or shown.item.id.startswith("y-")
        seen.append(shown.card_id)
        only_y.reviews.answer(shown, 4)
        if len(seen) == 3:
            break
    assert len(seen) == 3
    only_y.close()
    again = open_study(db_url, bank("y", 2), clock)  # a restart is not blocked either
    assert again.reviews.next_card() is not None
    again.close()
    back = open_study(db_url, bank("x", 2) + bank("y", 2), clock)  # the bank comes back
    assert card_row(back, "x-0") == (False, 0)
    back.close()
    both.close()


def test_a_retired_card_left_in_a_queue_never_blocks_a_window_without_its_bank(
    db_url: str,
) -> None:
    """The damage older versions left behind: retired, yet in the learning queue."""
    clock = FakeClock(NOW)
    open_study(db_url, bank("x", 1) + bank("y", 1), clock).close()
    only_y = open_study(db_url, bank("y", 1), clock)
    sql(
        db_url,
        "update card_memory set queue = 1, state = 1, due = 0 where card_id = "
        "(select id from cards where key = 'x-0')",
    )
    shown = only_y.reviews.next_card()
    assert shown is not None and shown.item is not None and shown.item.id == "y-0"
    assert card_row(only_y, "x-0") == (True, Q_RETIRED)  # put back where it belongs
    only_y.close()
    sql(
        db_url,
        "update card_memory set queue = 1 where card_id = (select id from cards where key = 'x-0')",
    )
    repaired = open_study(db_url, bank("y", 2), clock)  # a sync repairs it too
    assert card_row(repaired, "x-0") == (True, Q_RETIRED)
    repaired.close()


TWO_BANKS_CHILD = r"""
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.errors import CardChanged
from quizapp.collection import Collection, build_collection, open_collection

url, which, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
src = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")
def bank(prefix, n):
    return [Item(f"{prefix}-{i}", "flashcard", prefix, src, "weights-bias", "Modeling", "easy",
                 "q", "a") for i in range(n)]
items = bank("y", 20) + (bank("x", 20) if which == "both" else [])
clock = FakeClock(datetime(2026, 5, 4, 10, tzinfo=UTC))
answered = refused = 0
for r in range(rounds):  # every round is a restart: a fresh sync of this window's banks
    study = open_collection(url, items, clock=clock)
    study.settings.save(replace(study.settings.current(), new_per_day=10**6, reviews_per_day=10**6))
    for _ in range(15):
        card = study.reviews.next_card()
        if card is None:
            break
        try:
            study.reviews.answer(card, 1 + (answered % 4))
            answered += 1
        except CardChanged:
            refused += 1
    study.close()
    clock.advance(timedelta(minutes=30))
print(which, answered, refused, flush=True)
"""


def test_two_processes_on_different_bank_sets_never_block_each_other(db_url: str) -> None:
    url = db_url
    open_study(url, bank("y", 20), FakeClock(NOW)).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", TWO_BANKS_CHILD, url, which, "8"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for which in ("both", "y-only")
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err  # no "needs bank item ...: sync the banks first"
        assert int(out.split()[1]) > 0
    rows = sql(
        url, "select c.key, c.retired, m.queue from cards c join card_memory m on m.card_id = c.id"
    )
    if url.startswith("sqlite"):
        assert sql(url, "pragma integrity_check") == [("ok",)]
    # retired exactly when set aside: no retired card sits in a study queue
    assert all((queue == Q_RETIRED) == bool(retired) for _key, retired, queue in rows), rows
    assert not any(retired for key, retired, _q in rows if key.startswith("y-"))


# -- quizzes: an answer counts once stored -------------------------------------------------


class FailingRecorder(MemoryRecorder):
    """The reference recorder, whose next `save_answer` fails as a locked database would."""

    fail = False

    def save_answer(self, attempt_id, answer, progress: Progress, *, at: datetime) -> None:
        if self.fail:
            self.fail = False
            raise StoreError("cannot write the progress database p.db: database is locked")
        super().save_answer(attempt_id, answer, progress, at=at)


SHIPPED = load_shipped().items


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_a_quiz_answer_whose_save_fails_stays_unanswered_and_can_be_retried(mode: str) -> None:
    recorder = FailingRecorder()
    clock = FakeClock(NOW)
    setup = (
        QuizSetup.exam(custom_exam(5), seed=4)
        if mode == "exam"
        else QuizSetup.practice(count=5, seed=4, kinds=("true_false",))
    )
    session = QuizSession.start(setup, SHIPPED, recorder, clock=clock)
    question = session.question(0)
    # the right answer (ordering, matching: the right order, 0..n-1)
    n = len(question.options)
    right = list(range(n)) if question.sequence else sorted(question.correct_indexes)
    recorder.fail = True
    with pytest.raises(StoreError):
        session.answer(0, right)
    assert not session.is_answered(0) and session.chosen(0) == ()
    assert not session.navigator()[0].answered
    assert session.submit_check().unanswered_count == 5
    feedback = session.answer(0, right)  # the retry is accepted
    assert session.is_answered(0)
    if mode == "practice":
        assert feedback is not None and feedback.correct
    stored = recorder.load_attempt(session.attempt_id).answers
    assert [a.position for a in stored] == [0] and stored[0].correct
    recorder.fail = True
    with pytest.raises(StoreError):
        session.set_flag(1)
    assert not session.is_flagged(1)


def test_a_typed_answer_whose_save_fails_can_be_typed_again() -> None:
    recorder = FailingRecorder()
    clock = FakeClock(NOW)
    setup = QuizSetup.practice(count=3, seed=9, kinds=("computed",))
    session = QuizSession.start(setup, SHIPPED, recorder, clock=clock)
    problem = session.question(0).problem
    assert problem is not None
    recorder.fail = True
    with pytest.raises(StoreError):
        session.answer_typed(0, problem.display)
    assert session.typed(0) is None and not session.is_answered(0)
    assert session.answer_typed(0, problem.display).correct
    with pytest.raises(QuizappError, match="already answered"):  # practice: one answer
        session.answer_typed(0, problem.display)
