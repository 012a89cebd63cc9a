"""Two learners in one progress database: quiz attempts, quiz history, practice attempts,
statistics, the exam plan and mistakes of one are invisible to the other, and each one's
statistics count only their own answers. Also: every statement of the quiz, practice,
statistics, plan and mistakes store modules names the learner on every learner table it
reads or writes (not only on one of them, which is all the transaction's check sees).

Runs on SQLite and, with a server configured, on PostgreSQL (`db_url`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from types import ModuleType

import pytest
from quiz_records import record_quiz
from sqlalchemy import Insert, TextClause, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Executable

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import QuizappError
from quizapp.practice import PracticeAttempt
from quizapp.quiz import Progress, QuizAnswer, QuizSetup
from quizapp.store import mistakes, plan, practice_attempts, quiz_attempts, statistics
from quizapp.store.tables import CARDS, LEARNED, LEARNER_KEY, QUIZ_ANSWERS, mine

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)  # study day T (rollover 4:00, UTC)
SOURCE = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")
DOMAIN = "ML Model Development"
MODULES = (quiz_attempts, practice_attempts, statistics, plan, mistakes)


def bank() -> list[Item]:
    cards = [
        Item(f"lq-{i}", "flashcard", "b", SOURCE, "neurons", DOMAIN, "easy", f"q{i}", "a")
        for i in range(4)
    ]
    computed = Item(
        "c-ws", "computed", "test", SOURCE, "neurons", DOMAIN, "medium", family="weighted_sum"
    )
    return [*cards, computed]


@dataclass
class Two:
    ada: Collection
    bo: Collection
    clock: FakeClock


@pytest.fixture
def two(db_url: str) -> Iterator[Two]:
    clock = FakeClock(NOW)
    ada = open_collection(db_url, bank(), clock=clock, learner="ada")
    bo = open_collection(db_url, bank(), clock=clock, learner="bo")
    try:
        yield Two(ada, bo, clock)
    finally:
        ada.close()
        bo.close()


def review(col: Collection, grades: list[int]) -> int:
    """Answer the next due cards with `grades`; how many were answered."""
    done = 0
    for grade in grades:
        card = col.reviews.next_card()
        if card is None:
            break
        col.reviews.answer(card, grade, 8.0)
        done += 1
    return done


def practise(col: Collection, mistake: str | None, *, correct: bool = False) -> None:
    col.practice.record(
        PracticeAttempt(
            "weighted_sum@1", "weighted_sum", "medium", "1", 1.0, correct, mistake, False, 5.0
        )
    )


def wrong(position: int, mistake: str | None = None) -> QuizAnswer:
    return QuizAnswer(position, "c-ws", "neurons", DOMAIN, (1,), None, False, False, mistake)


def right(position: int) -> QuizAnswer:
    return QuizAnswer(position, "c-ws", "neurons", DOMAIN, (0,), None, True)


def test_quiz_attempts_and_resume_are_the_learners_own(two: Two) -> None:
    ada_session = two.ada.quizzes.start(QuizSetup.practice(1, kinds=["computed"], seed=3))
    two.ada.quizzes.close(ada_session.attempt_id)
    done = record_quiz(two.ada, "exam", "mls-c01", 2, [right(0), wrong(1)], score=700.0)

    assert [h.attempt_id for h in two.ada.quizzes.unfinished()] == [ada_session.attempt_id]
    assert [h.attempt_id for h in two.ada.quizzes.finished()] == [done]
    assert two.bo.quizzes.unfinished() == ()
    assert two.bo.quizzes.finished() == ()
    assert two.bo.quizzes.record().facts == ()
    assert len(two.ada.quizzes.record().facts) == 2

    # bo can neither resume, review, change nor finish ada's attempts (ids are shared)
    with pytest.raises(QuizappError, match=f"no quiz attempt {ada_session.attempt_id}"):
        two.bo.quizzes.resume(ada_session.attempt_id)
    with pytest.raises(QuizappError, match=f"no quiz attempt {done}"):
        two.bo.quizzes.results(done)
    recorder = two.bo.quizzes.recorder()
    with pytest.raises(QuizappError, match="no quiz attempt"):
        recorder.save_answer(ada_session.attempt_id, wrong(0), Progress(0, 1.0, None), at=NOW)
    with pytest.raises(QuizappError, match="no quiz attempt"):
        recorder.finish(ada_session.attempt_id, 0, Progress(0, 1.0, None), at=NOW)
    with pytest.raises(QuizappError, match="no quiz attempt"):
        recorder.record_pause(ada_session.attempt_id, 60.0, at=NOW)

    # ada's attempt is as she left it (no pause, no answer), and she resumes it
    header = two.ada.quizzes.unfinished()[0]
    assert (header.pauses, header.answered, header.finished_at) == (0, 0, None)
    resumed = two.ada.quizzes.resume(ada_session.attempt_id)
    assert not resumed.finished and not resumed.is_answered(0)

    # bo's own attempt gets its own id and is his alone
    bo_done = record_quiz(two.bo, "practice", "practice", 1, [wrong(0)], score=100.0)
    assert bo_done not in (done, ada_session.attempt_id)
    assert [h.attempt_id for h in two.bo.quizzes.finished()] == [bo_done]
    assert [h.attempt_id for h in two.ada.quizzes.finished()] == [done]
    assert [h.answered for h in two.ada.quizzes.finished()] == [2]


def test_past_quiz_answers_of_an_item_are_the_learners_own(two: Two) -> None:
    record_quiz(two.ada, "exam", "mls-c01", 2, [right(0), wrong(1)], score=700.0)
    assert len(two.ada.browse.recent_answers(item_id="c-ws")) == 2
    assert two.bo.browse.recent_answers(item_id="c-ws") == ()
    with two.bo.store.read() as tx:
        assert quiz_attempts.recent_of_item(tx, "c-ws", 10) == []


def test_practice_attempts_are_the_learners_own(two: Two) -> None:
    practise(two.ada, "forgot_bias")
    practise(two.ada, None, correct=True)
    practise(two.bo, None, correct=True)

    assert [(r.family, r.attempts, r.correct) for r in two.ada.practice.records()] == [
        ("weighted_sum", 2, 1)
    ]
    assert [(r.family, r.attempts, r.correct) for r in two.bo.practice.records()] == [
        ("weighted_sum", 1, 1)
    ]
    assert [a.correct for a in two.ada.practice.attempts()] == [True, False]
    assert [a.correct for a in two.bo.practice.attempts()] == [True]
    assert [a.correct for a in two.bo.practice.attempts(limit=5)] == [True]


def test_a_practice_attempt_on_anothers_card_is_not_found(two: Two) -> None:
    card = two.ada.reviews.next_card()
    assert card is not None
    with two.ada.store.write() as tx:
        ada_card = tx.scalar(select(CARDS.c.id).where(mine(CARDS)).order_by(CARDS.c.id).limit(1))
        practice_attempts.insert_practice(
            tx,
            {
                "attempted_at": NOW.timestamp(), "study_day": two.ada.time.day_of(NOW),
                "variant_id": "weighted_sum@1", "family": "weighted_sum",
                "difficulty": "medium", "typed": "1", "value": 1.0, "correct": True,
                "misconception": None, "hinted": False, "elapsed_s": 5.0, "card_id": ada_card,
                "review_log_id": None, "steps": None,
            },
        )  # fmt: skip
    assert two.ada.practice.variant_of(ada_card) == "weighted_sum@1"
    assert two.bo.practice.variant_of(ada_card) is None
    with two.bo.store.write() as tx:
        assert practice_attempts.latest_of_card(tx, ada_card) is None


def test_statistics_count_only_the_learners_own_answers(two: Two) -> None:
    assert review(two.ada, [3, 1, 3]) == 3
    assert review(two.bo, [4]) == 1
    practise(two.ada, None, correct=True)
    practise(two.ada, None)
    record_quiz(two.ada, "exam", "mls-c01", 2, [right(0), wrong(1)], score=700.0)

    ada, bo = two.ada.stats.summary(), two.bo.stats.summary()
    assert (ada.reviews_total, ada.reviews_today) == (3, 3)
    assert (bo.reviews_total, bo.reviews_today) == (1, 1)
    assert (ada.quiz_attempts, ada.practice_attempts) == (1, 2)
    assert (bo.quiz_attempts, bo.practice_attempts) == (0, 0)
    # the bank's 4 flashcards and the one skill card each; 3 and 1 of them answered
    assert ada.cards.new + ada.cards.learning + ada.cards.review == bo.cards.new + (
        bo.cards.learning + bo.cards.review
    )
    assert bo.cards.new - ada.cards.new == 2
    assert (ada.streak_days, bo.streak_days) == (1, 1)
    # quiz answers (one right of two) are ada's evidence only: bo's mastery rests on cards
    assert ada.topics != bo.topics

    ada_h, bo_h = two.ada.stats.history(7), two.bo.stats.history(7)
    assert (ada_h.answers[-1], bo_h.answers[-1]) == (3, 1)
    assert (ada_h.new_cards[-1], bo_h.new_cards[-1]) == (3, 1)
    assert (ada_h.practice[-1], bo_h.practice[-1]) == (2, 0)
    assert (ada_h.quiz_answers[-1], bo_h.quiz_answers[-1]) == (2, 0)
    assert (ada_h.calendar[-1], bo_h.calendar[-1]) == (3 + 2 + 2, 1)
    assert len(ada_h.scores) == 1 and bo_h.scores == ()


def test_streak_retention_and_forecast_are_the_learners_own(two: Two) -> None:
    # ada studies ten days running (cards reach review and come back); bo only today
    for day in range(9, -1, -1):
        two.clock.set(NOW - timedelta(days=day))
        review(two.ada, [3] * 30)
    review(two.bo, [3])
    ada, bo = two.ada.stats.summary(), two.bo.stats.summary()
    assert ada.streak_days == 10 and bo.streak_days == 1
    assert ada.retention_30d is not None and bo.retention_30d is None
    assert sum(ada.forecast) > sum(bo.forecast)
    ada_h, bo_h = two.ada.stats.history(7), two.bo.stats.history(7)
    assert sum(ada_h.review_answers) > 0 and sum(bo_h.review_answers) == 0
    assert ada_h.true_retention is not None and bo_h.true_retention is None
    assert sum(1 for n in bo_h.calendar if n) == 1
    assert sum(1 for n in ada_h.calendar if n) == 10  # the calendar spans a year


def test_a_card_due_late_today_is_forecast_for_today(two: Two) -> None:
    # answered at 20:00, due again 10 minutes later: 0.67 of the study day (from 4:00) in,
    # which is still today (a rounding CAST would put it on tomorrow)
    two.clock.set(NOW + timedelta(hours=10))
    assert review(two.ada, [1, 1]) == 2
    stats = two.ada.stats.summary()
    assert stats.due_today == 2
    assert stats.forecast[:2] == (2, 0)


def test_the_plans_inputs_are_the_learners_own(two: Two) -> None:
    assert review(two.ada, [3, 3, 3]) == 3
    with two.ada.store.read() as tx:
        ada_counts, ada_log, ada_rows = (
            plan.card_counts(tx),
            plan.log_summary(tx),
            plan.card_rows(tx),
        )
        ada_version = plan.version(tx)
    with two.bo.store.read() as tx:
        bo_counts, bo_log, bo_rows = plan.card_counts(tx), plan.log_summary(tx), plan.card_rows(tx)
        bo_version = plan.version(tx)
    assert ada_counts[0] == 3 and bo_counts[0] == 0
    assert sum(ada_counts) == sum(bo_counts) == len(ada_rows) == len(bo_rows)
    assert not {r[0] for r in ada_rows} & {r[0] for r in bo_rows}  # each their own cards
    assert sum(ada_log.first_ratings) == 3 and ada_log.new_cards == 3
    assert bo_log.first_ratings == (0, 0, 0, 0) and bo_log.new_cards == 0
    assert ada_version != bo_version and bo_version[-1] is None

    # bo cannot move ada's cards
    studied = [r[0] for r in ada_rows if r[4] != 0]
    with two.bo.store.write() as tx:
        assert plan.set_due(tx, [(c, NOW.timestamp() + 1e6) for c in studied], exam_from=0) == 0
    with two.ada.store.write() as tx:
        assert plan.set_due(tx, [(studied[0], NOW.timestamp() + 1e6)], exam_from=0) == 1

    two.ada.settings.save(replace(two.ada.settings.current(), exam_date=date(2026, 4, 1)))
    ada_plan = two.ada.plan.plan()
    assert ada_plan.cards == len(ada_rows)
    assert two.bo.settings.current().exam_date is None


def test_mistakes_are_the_learners_own(two: Two) -> None:
    practise(two.ada, "forgot_bias")
    practise(two.ada, "forgot_bias")
    record_quiz(two.ada, "practice", "practice", 1, [wrong(0, "percent")], score=100.0)
    practise(two.bo, "made_up_slip")

    ada = {m.name: (m.count, dict(m.by_source)) for m in two.ada.mistakes.report().mistakes}
    bo = {m.name: (m.count, dict(m.by_source)) for m in two.bo.mistakes.report().mistakes}
    assert ada == {"forgot_bias": (2, {"practice": 2}), "percent": (1, {"quiz": 1})}
    assert bo == {"made_up_slip": (1, {"practice": 1})}


def test_quiz_answers_carry_their_learner(two: Two) -> None:
    ada_id = record_quiz(two.ada, "exam", "mls-c01", 2, [right(0), wrong(1)], score=700.0)
    bo_id = record_quiz(two.bo, "exam", "mls-c01", 1, [wrong(0)], score=100.0)
    with two.ada.store.read() as tx:
        mine_ = tx.all(select(QUIZ_ANSWERS.c.attempt_id).where(mine(QUIZ_ANSWERS)))
    with two.bo.store.read() as tx:
        his = tx.all(select(QUIZ_ANSWERS.c.attempt_id).where(mine(QUIZ_ANSWERS)))
    assert [r[0] for r in mine_] == [ada_id, ada_id]
    assert [r[0] for r in his] == [bo_id]


# --- every statement names the learner on every learner table ---------------------------

_NAMES = "|".join(t.name for t in LEARNED)
_USED = re.compile(rf"\b(?:FROM|JOIN|UPDATE|INTO)\s+({_NAMES})\b")
_TEXT_FROM = re.compile(rf"\bFROM\s+({_NAMES})\b(\s+WHERE\s+learner\s*=\s*:{LEARNER_KEY}\b)?")


def _statements(module: ModuleType) -> list[tuple[str, Executable]]:
    return [
        (f"{module.__name__}.{name}", value)
        for name, value in vars(module).items()
        if isinstance(value, Executable)
    ]


def _unlimited(stmt: Executable, dialect: object) -> list[str]:
    """The learner tables the statement uses without naming the learner for them."""
    if isinstance(stmt, TextClause):
        return [m[1] for m in _TEXT_FROM.finditer(stmt.text) if not m[2]]
    sql = str(stmt.compile(dialect=dialect))  # type: ignore[attr-defined]
    tables = set(_USED.findall(sql))
    if isinstance(stmt, Insert):
        columns = sql.split("(", 1)[1].split(")", 1)[0]
        return [] if re.search(r"\blearner\b", columns) else sorted(tables)
    return sorted(t for t in tables if not re.search(rf"\b{t}\.learner\s*=", sql))


@pytest.mark.parametrize(
    "dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"]
)
def test_every_statement_names_the_learner_on_every_table(dialect: object) -> None:
    statements = [s for m in MODULES for s in _statements(m)]
    assert len(statements) > 40  # the modules' statements are found at all
    missing = {name: t for name, stmt in statements if (t := _unlimited(stmt, dialect))}
    assert missing == {}


def test_the_statement_check_sees_a_missing_learner() -> None:
    unlimited = select(QUIZ_ANSWERS.c.item_id).join_from(
        QUIZ_ANSWERS, CARDS, CARDS.c.item_id == QUIZ_ANSWERS.c.item_id
    )
    dialect = sqlite.dialect()
    assert _unlimited(unlimited, dialect) == ["cards", "quiz_answers"]
    assert _unlimited(unlimited.where(mine(CARDS)), dialect) == ["quiz_answers"]
    assert _unlimited(statistics._STREAK, dialect) == []
    assert _unlimited(TextClause("SELECT 1 FROM quiz_answers WHERE 1"), dialect) == ["quiz_answers"]
