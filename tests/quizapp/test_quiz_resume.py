"""Interrupted attempts resume exactly; finished ones are listed and reviewed again.

Every scenario runs twice: on the in-memory reference recorder and on the progress
database (`Collection.quiz_recorder()` on a temporary file).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock
from quizapp.errors import QuizappError
from quizapp.quiz import (
    Question,
    QuizRecorder,
    QuizSession,
    QuizSetup,
    custom_exam,
    load_results,
)

SHIPPED = load_shipped().items
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def right(q: Question) -> list[int]:
    """The right answer: the right choices, or (ordering, matching) the right order."""
    if q.sequence:
        return list(range(len(q.options)))
    return sorted(q.correct_indexes)


def wrong(q: Question) -> list[int]:
    """A wrong answer with as many picks as the question asks for (a sequence: reversed)."""
    if q.sequence:
        return right(q)[::-1]
    wrong_first = sorted(set(range(len(q.options))) - q.correct_indexes) + right(q)
    return sorted(wrong_first[: q.picks_needed])


def shown(q: Question) -> tuple[object, ...]:
    """Everything the learner sees of a question."""
    return (q.item_id, q.prompt, tuple((o.label, o.index, o.text) for o in q.options), q.variant_id)


def test_an_interrupted_exam_resumes_with_answers_flags_position_and_time(
    recorder: QuizRecorder,
) -> None:
    """The default exam (MLA-C01): 65 questions, 50 scored, 130 minutes."""
    clock = FakeClock(START)
    session = QuizSession.start(QuizSetup.exam(seed=21), SHIPPED, recorder, clock=clock)
    assert session.plan.profile == "mla-c01" and session.time_limit_s == 130 * 60
    unscored = set(session.plan.unscored)
    assert len(unscored) == 15
    for i in range(12):
        clock.advance(seconds=50)
        q = session.question(i)
        session.answer(i, right(q) if i % 3 else wrong(q))
    session.set_flag(4)
    session.set_flag(30)  # flagged, never answered
    session.goto(7)
    clock.advance(seconds=4)
    session.tick()  # under the autosave period: nothing new saved
    before = [shown(session.question(i)) for i in range(len(session))]
    nav = session.navigator()
    chosen = [session.chosen(i) for i in range(12)]
    session_unscored = session.plan.unscored
    elapsed_at_last_save = 12 * 50
    del session  # the app is killed: only the recorder survives

    later = FakeClock(START + timedelta(days=2))
    resumed = QuizSession.resume(1, SHIPPED, recorder, clock=later)
    assert resumed.attempt_id == 1 and not resumed.finished
    assert resumed.current == 7
    assert resumed.remaining() == 7800 - elapsed_at_last_save
    assert resumed.plan.unscored == session_unscored
    assert [shown(resumed.question(i)) for i in range(len(resumed))] == before
    assert resumed.navigator() == nav
    assert [resumed.chosen(i) for i in range(12)] == chosen  # sequences keep their order
    assert resumed.is_flagged(4) and resumed.is_answered(4)
    assert resumed.is_flagged(30) and not resumed.is_answered(30)
    later.advance(seconds=100)
    assert resumed.remaining() == 7800 - elapsed_at_last_save - 100
    results = resumed.submit()
    assert results.answered == 12
    assert [e.correct for e in results.entries[:12]] == [bool(i % 3) for i in range(12)]
    # only the scored questions count
    assert results.correct == sum(1 for i in range(12) if i % 3 and i not in unscored)
    assert (results.total, results.questions, results.unscored) == (50, 65, 15)
    assert results.time_used_s == elapsed_at_last_save + 100


def test_periodic_save_keeps_the_clock_between_answers(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    session = QuizSession.start(
        QuizSetup.exam(custom_exam(10), seed=2), SHIPPED, recorder, clock=clock
    )
    for _ in range(39):
        clock.advance(seconds=1)
        session.tick()
    resumed = QuizSession.resume(session.attempt_id, SHIPPED, recorder, clock=FakeClock(START))
    # saved every 5 s, last at 35 s; the last 4 s before the crash are lost, never more than 5 s
    assert resumed.elapsed() == 35
    assert resumed.remaining() == custom_exam(10).time_limit_s - 35


def test_resuming_an_exam_whose_time_ran_out_submits_it(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    session = QuizSession.start(
        QuizSetup.exam(custom_exam(5), seed=3), SHIPPED, recorder, clock=clock
    )
    session.answer(0, right(session.question(0)))
    limit = custom_exam(5).time_limit_s
    clock.advance(seconds=limit + 5)
    session.save_progress()  # the app was left open past the deadline, then killed
    resumed = QuizSession.resume(session.attempt_id, SHIPPED, recorder, clock=clock)
    assert resumed.finished and resumed.results().timed_out
    assert resumed.results().correct == 1
    assert recorder.unfinished_attempts() == ()


def test_practice_with_typed_answers_resumes_and_reviews_exactly(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    setup = QuizSetup.practice(4, kinds={"computed"}, seed=5)
    session = QuizSession.start(setup, SHIPPED, recorder, clock=clock)
    typed = session.answer_typed(0, session.question(0).problem.display)
    mc = session.answer(1, wrong(session.question(1)))
    resumed = QuizSession.resume(session.attempt_id, SHIPPED, recorder, clock=clock)
    assert resumed.feedback(0) == typed
    assert resumed.feedback(1) == mc
    assert resumed.time_limit_s is None and resumed.remaining() is None


def test_finished_attempts_are_listed_and_review_is_exact(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    first = QuizSession.start(
        QuizSetup.exam(custom_exam(10), seed=8), SHIPPED, recorder, clock=clock
    )
    for i in range(10):
        q = first.question(i)
        if i != 6:
            first.answer(i, right(q) if i < 8 else wrong(q))
    first.set_flag(2)
    clock.advance(minutes=20)
    done = first.submit()
    second = QuizSession.start(QuizSetup.practice(3, seed=1), SHIPPED, recorder, clock=clock)
    second.answer(0, right(second.question(0)))

    [header] = recorder.finished_attempts()
    assert header.attempt_id == first.attempt_id and header.score == done.score
    assert header.passed == done.passed and header.profile == "mla-c01-10"
    assert header.pass_score == done.pass_score == 720
    scored = [i for i in range(10) if i not in first.plan.unscored]
    assert (done.total, done.unscored) == (len(scored), 10 - len(scored)) == (8, 2)
    assert done.correct == sum(1 for i in scored if i < 8 and i != 6)
    assert header.finished_at == START + timedelta(minutes=20)
    assert [h.attempt_id for h in recorder.unfinished_attempts()] == [second.attempt_id]
    assert recorder.unfinished_attempts()[0].answered == 1

    again = load_results(first.attempt_id, SHIPPED, recorder)
    assert again == done
    assert [e.position for e in again.review("flagged")] == [2]
    assert {e.position for e in again.review("wrong")} == {6, 8, 9}
    for entry in again.review():
        assert entry.question.options == first.question(entry.position).options
        if entry.answered:
            assert entry.chosen == first.chosen(entry.position)

    with pytest.raises(QuizappError, match="finished"):
        QuizSession.resume(first.attempt_id, SHIPPED, recorder)
    with pytest.raises(QuizappError, match="not finished"):
        load_results(second.attempt_id, SHIPPED, recorder)
    with pytest.raises(QuizappError, match="no quiz attempt"):
        recorder.load_attempt(99)


def test_an_attempt_whose_items_left_the_banks_cannot_resume(recorder: QuizRecorder) -> None:
    session = QuizSession.start(
        QuizSetup.practice(5, seed=4), SHIPPED, recorder, clock=FakeClock(START)
    )
    gone = session.question(0).item_id
    rest = [i for i in SHIPPED if i.id != gone]
    with pytest.raises(QuizappError, match="left the banks"):
        QuizSession.resume(session.attempt_id, rest, recorder)


def test_the_recorder_sees_every_answer_as_it_is_given(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    session = QuizSession.start(
        QuizSetup.exam(custom_exam(5), seed=6), SHIPPED, recorder, clock=clock
    )
    snapshots = []
    for i in range(5):
        session.answer(i, right(session.question(i)))
        snapshots.append(copy.deepcopy(recorder.load_attempt(session.attempt_id)))
    assert [len(s.answers) for s in snapshots] == [1, 2, 3, 4, 5]
    assert all(a.correct for a in snapshots[-1].answers)


def test_results_carry_how_each_domain_was_filled(recorder: QuizRecorder) -> None:
    """An exam whose pool is short in one domain: its results keep the draw's quotas (target,
    available, drawn: what the domain borrowed from the others), at submit and read back."""
    profile = custom_exam(15)
    short = profile.domain_weights[-1][0]
    kept = [i for i in SHIPPED if i.domain_in("mla-c01") == short][:1]
    items = [i for i in SHIPPED if i.domain_in("mla-c01") != short] + kept
    session = QuizSession.start(
        QuizSetup.exam(profile, seed=5), items, recorder, clock=FakeClock(START)
    )
    done = session.submit()
    assert done.quotas == session.plan.quotas and len(done.quotas) == 4
    assert [q.domain for q in done.quotas] == [d for d, _ in profile.domain_weights]
    (lacking,) = [q for q in done.quotas if q.short]
    assert (lacking.domain, lacking.available, lacking.drawn) == (short, 1, 1)
    assert lacking.short == lacking.target - 1 == sum(q.extra for q in done.quotas)
    assert load_results(session.attempt_id, items, recorder).quotas == done.quotas
    practice = QuizSession.start(QuizSetup.practice(3, seed=2), items, recorder)
    assert practice.submit().quotas == ()
