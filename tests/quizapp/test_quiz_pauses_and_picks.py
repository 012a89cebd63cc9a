"""Issue 11, exams and quizzes: a "choose two" with one pick is unanswered; resuming records a
pause (how often, how long) that the results show; a short exam charts as practice.

The recorder scenarios run on the in-memory reference recorder and on the progress database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock
from quizapp.collection import open_collection
from quizapp.errors import QuizappError
from quizapp.quiz import (
    MemoryRecorder,
    Question,
    QuizRecorder,
    QuizSession,
    QuizSetup,
    custom_exam,
    default_profile,
    load_results,
)
from quizapp.quiz.record import AttemptHeader, Progress
from quizapp.quiz.session import time_left_away
from quizapp.stats.model import ScorePoint

SHIPPED = load_shipped().items
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
# three "choose two" items the default exam (MLA-C01) can draw: they have a domain in it
CHOOSE_TWO = [
    i
    for i in SHIPPED
    if i.kind == "multiple_response" and i.choose == 2 and i.domain_in(default_profile().id)
][:3]


def right(q: Question) -> list[int]:
    """The right answer: the right choices, or (ordering, matching) the right order."""
    return list(range(len(q.options))) if q.sequence else sorted(q.correct_indexes)


def choose_two_exam(recorder: QuizRecorder, clock: FakeClock) -> QuizSession:
    setup = QuizSetup.exam(custom_exam(3), kinds={"choice"}, seed=3)
    return QuizSession.start(setup, CHOOSE_TWO, recorder, clock=clock)


# --- a "choose two" with one pick -------------------------------------------------------


def test_choose_two_with_one_pick_is_unanswered_in_navigator_submit_and_results(
    recorder: QuizRecorder,
) -> None:
    session = choose_two_exam(recorder, FakeClock(START))
    assert len(session) == 3 and all(q.choose == 2 for q in session.questions())
    # custom_exam(3) keeps MLA-C01's share of scored questions: 2 of the 3 count
    scored = [i for i in range(3) if i not in session.plan.unscored]
    assert len(scored) == 2
    half, full = scored  # one pick at `half`, both at `full`; the unscored one is left alone
    other = next(i for i in range(3) if i not in scored)
    first, second = right(session.question(half))
    session.answer(half, [first])
    session.answer(full, right(session.question(full)))
    assert session.chosen(half) == (first,)  # the pick is kept ...
    assert not session.is_answered(half)  # ... but it is not an answer yet
    assert session.nav(half).status == "unanswered" and session.nav(full).status == "answered"
    check = session.submit_check()
    assert check.unanswered == tuple(sorted((half, other))) and check.needs_warning
    assert recorder.unfinished_attempts()[0].answered == 1  # the list counts it unanswered too
    session.answer(half, [first, second])
    assert session.is_answered(half) and session.submit_check().unanswered == (other,)
    session.answer(half, [second])  # back to one pick
    results = session.submit()
    assert (results.answered, results.correct, results.total) == (1, 1, 2)
    assert results.score == 550  # 1 of the 2 scored questions right
    assert results.entries[half].status == "unanswered"
    assert results.entries[full].status == "correct"
    again = load_results(session.attempt_id, CHOOSE_TWO, recorder)
    assert again.answered == 1 and again == results


def test_choose_two_practice_takes_both_picks() -> None:
    setup = QuizSetup.practice(3, kinds={"choice"}, seed=3)
    session = QuizSession.start(setup, CHOOSE_TWO, MemoryRecorder(), clock=FakeClock(START))
    q = session.question(0)
    with pytest.raises(QuizappError, match="takes 2 answers"):
        session.answer(0, right(q)[:1])
    feedback = session.answer(0, right(q))
    assert feedback is not None and feedback.answered and feedback.correct


# --- pauses -----------------------------------------------------------------------------


def test_resuming_records_each_pause_and_the_results_show_them(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    session = choose_two_exam(recorder, clock)
    clock.advance(seconds=90)
    session.answer(0, right(session.question(0)))  # saved at 90 s used
    clock.advance(seconds=30)
    session.save_progress()  # leaving: 120 s used
    assert session.pauses == 0 and recorder.load_attempt(1).header.pauses == 0

    clock.advance(hours=1)  # the app is closed for an hour
    again = QuizSession.resume(1, CHOOSE_TWO, recorder, clock=clock)
    assert (again.pauses, again.paused_s) == (1, 3600.0)
    assert again.elapsed() == 120  # the pause does not count as time used
    header = recorder.load_attempt(1).header
    assert (header.pauses, header.paused_s) == (1, 3600.0)

    clock.advance(seconds=10)
    again.save_progress()
    clock.advance(minutes=12)
    last = QuizSession.resume(1, CHOOSE_TWO, recorder, clock=clock)
    assert (last.pauses, last.paused_s) == (2, 3600.0 + 720)
    results = last.submit()
    assert (results.pauses, results.paused_s) == (2, 4320.0)
    assert results.time_used_s == 130
    reread = load_results(1, CHOOSE_TWO, recorder)
    assert (reread.pauses, reread.paused_s) == (2, 4320.0)


def test_a_pause_runs_from_the_last_save_not_from_the_wall_clock(
    recorder: QuizRecorder,
) -> None:
    """The wall clock set an hour forward while the attempt was open (its own clock does not
    jump): only the ten minutes it was closed count as a pause, not the jump."""
    clock = FakeClock(START)
    session = choose_two_exam(recorder, clock)
    clock.advance(seconds=60)
    session.answer(0, right(session.question(0)))
    clock.set(clock.now() + timedelta(hours=1))  # wall clock corrected while open
    clock.advance(seconds=20)
    session.save_progress()  # leaving: 80 s used
    clock.advance(minutes=10)
    again = QuizSession.resume(1, CHOOSE_TWO, recorder, clock=clock)
    assert (again.pauses, again.paused_s) == (1, 600.0)
    assert again.elapsed() == 80
    header = recorder.load_attempt(1).header
    assert header.saved_at == clock.now() and header.paused_s == 600.0


def test_an_attempt_saved_before_its_last_save_was_kept_derives_its_pause() -> None:
    """Attempts from schema 0006 have no stored last save: the pause is the time since the
    start less the time used and the earlier pauses."""
    started = START
    header = AttemptHeader(1, "exam", "mls-c01", 3, started, None, 600.0, 500.0, None)
    header = replace(header, paused_s=100.0)
    away = time_left_away(header, Progress(0, 100.0, 500.0), started + timedelta(seconds=500))
    assert away == 300.0


def test_an_attempt_never_left_has_no_pause(recorder: QuizRecorder) -> None:
    clock = FakeClock(START)
    session = choose_two_exam(recorder, clock)
    clock.advance(seconds=40)
    results = session.submit()
    assert (results.pauses, results.paused_s) == (0, 0.0)


# --- a short exam in the scores chart -------------------------------------------------


def _point(mode: str, profile: str, total: int) -> ScorePoint:
    return ScorePoint(1, START, mode, profile, 1000.0, total, total)


def test_an_exam_shorter_than_its_profile_charts_as_practice() -> None:
    assert _point("exam", "mls-c01", 65).chart_mode == "exam"
    assert _point("exam", "mls-c01-15", 15).chart_mode == "exam"
    assert _point("exam", "mls-c01", 12).chart_mode == "practice"
    assert _point("exam", "mls-c01-30", 3).chart_mode == "practice"
    assert _point("practice", "practice", 10).chart_mode == "practice"


def test_a_short_exam_is_practice_in_the_stats_history(tmp_path: Path) -> None:
    clock = FakeClock(START)
    study = open_collection(f"sqlite:///{tmp_path / 'progress.db'}", SHIPPED, clock=clock)
    try:
        setup = QuizSetup.exam(custom_exam(30), kinds={"choice"}, seed=5)
        session = QuizSession.start(setup, CHOOSE_TWO, study.quizzes.recorder(), clock=clock)
        assert len(session) == 3  # the pool ran short: 3 of 30
        for i in range(3):
            session.answer(i, right(session.question(i)))
        assert session.submit().score == 1000
        (point,) = study.stats.history(7).scores
        assert point.mode == "exam" and point.chart_mode == "practice"
    finally:
        study.close()
