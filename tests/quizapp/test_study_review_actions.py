"""Review as Anki users expect (issue 11): flags, bury and suspend from review with undo,
Again not straight back while other cards wait, and overriding a skill card's grade."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.collection import Collection
from quizapp.errors import CardChanged
from quizapp.practice import PracticeAttempt
from quizapp.reviews import ReviewCard
from quizapp.store.models import PracticeAttemptRow, ReviewLog
from tests.quizapp.test_study_undo import log_count, make, memory


def flashcard(study: Collection, n: int = 0) -> ReviewCard:
    ids = [i.card_id for i in study.browse.card_infos() if i.kind == "flashcard"]
    return study.reviews.card(ids[n])


def skill_card(study: Collection) -> ReviewCard:
    info = next(i for i in study.browse.card_infos() if i.kind == "skill")
    return study.reviews.card(info.card_id)


def test_flag_is_stored_shown_on_the_card_and_undone(db_url: str) -> None:
    study, _clock = make(db_url)
    card = flashcard(study)
    assert card.flag == 0
    study.reviews.set_flag(card.card_id, 1)
    study.reviews.set_flag(card.card_id, 3)
    assert study.reviews.card(card.card_id).flag == 3
    assert study.reviews.can_undo()
    assert study.reviews.undo() == card.card_id
    assert study.reviews.card(card.card_id).flag == 1
    assert study.reviews.undo() == card.card_id
    assert study.reviews.card(card.card_id).flag == 0
    assert not study.reviews.can_undo() and study.reviews.undo() is None
    with pytest.raises(ValueError):
        study.reviews.set_flag(card.card_id, 5)


def test_bury_and_suspend_from_review_are_undone_in_order_with_answers(db_url: str) -> None:
    study, _clock = make(db_url)
    first = flashcard(study, 0)
    second = flashcard(study, 1)
    third = flashcard(study, 2)
    was = [memory(study, c.card_id) for c in (first, second, third)]
    study.reviews.answer(first, 3)  # answer, then bury, then suspend
    study.reviews.bury(second.card_id)
    study.reviews.suspend(third.card_id)
    assert memory(study, third.card_id).suspended
    assert study.browse.card_info(second.card_id).buried
    nxt = study.reviews.next_card()
    assert nxt is not None and nxt.card_id not in (second.card_id, third.card_id)
    # u takes back the suspend, then the bury, then the answer
    assert study.reviews.undo() == third.card_id
    assert memory(study, third.card_id) == was[2]
    assert study.reviews.undo() == second.card_id
    assert memory(study, second.card_id) == was[1]
    assert log_count(study) == 1
    assert study.reviews.undo() == first.card_id
    assert memory(study, first.card_id) == was[0] and log_count(study) == 0
    assert not study.reviews.can_undo()


def test_an_answer_after_a_bury_is_undone_first(db_url: str) -> None:
    study, _clock = make(db_url)
    first, second = flashcard(study, 0), flashcard(study, 1)
    study.reviews.bury(first.card_id)
    study.reviews.answer(second, 3)
    assert study.reviews.undo() == second.card_id  # the answer was last
    assert study.browse.card_info(first.card_id).buried
    assert study.reviews.undo() == first.card_id
    assert not study.browse.card_info(first.card_id).buried


def test_a_card_answered_again_waits_while_other_cards_are_due(db_url: str) -> None:
    study, clock = make(db_url, 3, new_per_day=2)
    card = study.reviews.next_card()
    assert card is not None
    study.reviews.answer(card, 1)
    clock.advance(minutes=2)  # its Again step is due: still another new card comes first
    other = study.reviews.next_card()
    assert other is not None and other.card_id != card.card_id
    study.reviews.answer(other, 3)
    back = study.reviews.next_card()  # the new limit is reached: it is the one due now
    assert back is not None and back.card_id == card.card_id


def test_a_card_answered_again_comes_back_when_it_is_the_only_one(db_url: str) -> None:
    study, _clock = make(db_url, 1, new_per_day=1)
    card = study.reviews.next_card()
    assert card is not None
    study.reviews.answer(card, 1)
    back = study.reviews.next_card()  # within learn-ahead, nothing else is left
    assert back is not None and back.card_id == card.card_id


def attempt_on(card: ReviewCard, correct: bool) -> PracticeAttempt:
    return PracticeAttempt(
        variant_id=f"{card.family}@7", family=card.family or "", difficulty=card.difficulty or "",
        typed="0.5", value=0.5, correct=correct, misconception=None, hinted=False,
        elapsed_s=12.0, card_id=card.card_id,
    )  # fmt: skip


def test_regrade_overrides_a_skill_cards_grade_in_one_step(db_url: str) -> None:
    study, _clock = make(db_url)
    card = skill_card(study)
    before = memory(study, card.card_id)
    outcome = study.practice.record(attempt_on(card, False), card)
    assert outcome is not None and outcome.grade == 1
    again = study.practice.regrade(card, 4)
    assert again.grade == 4
    assert again.due - card.shown_at == card.previews[3].interval  # as its button promised
    with Session(study.store.engine) as s:
        logs = s.execute(select(ReviewLog)).scalars().all()
        row = s.execute(select(PracticeAttemptRow)).scalar_one()
    assert [log.grade for log in logs] == [4] and row.review_log_id == logs[0].id
    assert study.practice.regrade(card, 3).grade == 3 and log_count(study) == 1
    assert study.practice.variant_of(card.card_id) == f"{card.family}@7"
    # undo takes back the overridden grade: the card is as it was shown
    assert study.reviews.undo() == card.card_id
    assert memory(study, card.card_id) == before and log_count(study) == 0
    with pytest.raises(CardChanged):
        study.practice.regrade(card, 2)
