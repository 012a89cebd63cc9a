"""Practice tests from the record: missed in the last N attempts, never seen, flagged, the
weakest topic or domain; each picks exactly the right questions on a hand-built record."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.bank.model import Choice, Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import QuizappError
from quizapp.quiz.plan import QuizSetup
from quizapp.quiz.record import Progress, QuizAnswer

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
SOURCE = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")
D1 = "Data Preparation for ML"
D2 = "Deployment and Orchestration of ML Workflows"  # not the skill cards' domain
# id -> (topic, domain)
BANK = {
    "q1": ("topic-a", D1),
    "q2": ("topic-a", D1),
    "q3": ("topic-a", D2),
    "q4": ("topic-b", D1),
    "q5": ("topic-b", D2),
    "q6": ("topic-b", D2),
}


def item(item_id: str) -> Item:
    topic, domain = BANK[item_id]
    choices = tuple(Choice(f"option {k}", k == 0, f"why {k}") for k in range(4))
    return Item(
        item_id, "single_choice", "test", SOURCE, topic, domain, "easy",
        prompt=f"Question {item_id}?", choices=choices, choose=1,
    )  # fmt: skip


def attempt(study: Collection, clock: FakeClock, answers: list[tuple[str, bool | None, bool]]):
    """One attempt: (item, correct or None for only flagged, flagged) per position."""
    rec = study.quizzes.recorder()
    aid = rec.start_attempt(
        mode="practice",
        profile="practice",
        question_count=len(answers),
        time_limit_s=None,
        plan_json='{"version":1}',
        at=clock.now(),
    )
    for pos, (item_id, correct, flagged) in enumerate(answers):
        topic, domain = BANK[item_id]
        chosen = () if correct is None else ((0,) if correct else (1,))
        answer = QuizAnswer(pos, item_id, topic, domain, chosen, None, correct, flagged)
        rec.save_answer(aid, answer, Progress(pos, 0.0, None), at=clock.now())
    return aid


@pytest.fixture
def study(tmp_path: Path):
    clock = FakeClock(NOW)
    study = open_collection(f"sqlite:///{tmp_path / 'p.db'}", [item(i) for i in BANK], clock=clock)
    # the record, oldest attempt first (all at the same moment: equal weights in mastery)
    attempt(study, clock, [("q1", False, False), ("q2", True, False), ("q3", False, True)])
    attempt(study, clock, [("q2", False, False), ("q3", True, False)])
    attempt(study, clock, [("q4", True, True), ("q1", True, False)])
    attempt(study, clock, [("q5", None, True)])  # only flagged: no answered question
    yield study
    study.close()


def picked(study: Collection, source: str, last: int | None = None, **kw) -> set[str]:
    chosen = study.quizzes.pick(QuizSetup.practice(10, source=source, last=last, **kw))
    assert chosen.ids is not None
    return set(chosen.ids)


def test_missed_in_the_last_n_attempts(study: Collection) -> None:
    # answered attempts, newest first: 3 (nothing wrong), 2 (q2 wrong), 1 (q1, q3 wrong);
    # attempt 4 has only a flag and does not count as one of the last N
    assert picked(study, "missed", 1) == set()
    assert picked(study, "missed", 2) == {"q2"}
    assert picked(study, "missed", 3) == {"q1", "q2", "q3"}
    assert picked(study, "missed", 5) == {"q1", "q2", "q3"}
    assert picked(study, "missed", None) == {"q1", "q2", "q3"}


def test_never_seen_flagged(study: Collection) -> None:
    assert picked(study, "unseen") == {"q5", "q6"}  # q5 was only flagged, never answered
    # q3 was flagged, then answered unflagged later: off the list; q4 and q5 are on it
    assert picked(study, "flagged") == {"q4", "q5"}
    assert picked(study, "unseen", topics=["topic-a"]) == set()


def test_weakest_topic_and_domain(study: Collection) -> None:
    # by hand, equal weights: topic-a 3 right of 6 = 0.5, topic-b 1 of 1;
    # D1 (q1, q2, q4) 3 of 5 = 0.6, D2 (q3) 1 of 2 = 0.5. The skill cards' topics (new
    # cards: mastery 0) have no question here, so they are not candidates.
    summary = study.stats.summary()
    assert summary.topics["topic-a"] == pytest.approx(0.5)
    assert summary.topics["topic-b"] == pytest.approx(1.0)
    assert summary.domains[D1] == pytest.approx(0.6)
    assert summary.domains[D2] == pytest.approx(0.5)
    assert min(summary.topics.values()) == 0.0  # weaker topics exist, without questions
    assert picked(study, "weak_topic") == {"q1", "q2", "q3"}
    assert picked(study, "weak_domain") == {"q3", "q5", "q6"}
    # the weakest among the topics the set-up allows
    assert picked(study, "weak_topic", topics=["topic-b"]) == {"q4", "q5", "q6"}
    pick = study.quizzes.pick(QuizSetup.practice(3, source="weak_topic"))
    assert pick.what == "of the weakest topic, topic-a (50%)"


def test_a_short_source_says_how_many_and_uses_them(study: Collection) -> None:
    session = study.quizzes.start(QuizSetup.practice(10, source="missed", last=3, seed=4))
    assert {q.item_id for q in session.plan.questions} == {"q1", "q2", "q3"}
    assert session.plan.notes == (
        "only 3 questions match this set-up (missed lately), so the session has 3 instead of 10",
    )
    session = study.quizzes.start(QuizSetup.practice(1, source="unseen", seed=4))
    assert {q.item_id for q in session.plan.questions} <= {"q5", "q6"}
    assert len(session.plan.questions) == 1 and session.plan.notes == ()


def test_an_empty_source_is_one_clear_line(study: Collection) -> None:
    with pytest.raises(QuizappError) as err:
        study.quizzes.start(QuizSetup.practice(10, source="missed", last=1))
    assert str(err.value) == "no questions missed in the last attempt match this set-up"


def test_bad_sources_are_refused() -> None:
    with pytest.raises(QuizappError, match="question source must be one of"):
        QuizSetup.practice(5, source="hardest")
    with pytest.raises(QuizappError, match="N of 1 or more"):
        QuizSetup.practice(5, source="missed", last=0)
    with pytest.raises(QuizappError, match="an exam simulation draws from the whole bank"):
        from quizapp.quiz.profiles import default_profile

        profile = default_profile()
        QuizSetup("exam", profile.questions, profile, source="flagged")
