"""The store's quiz recorder: attempts persist in the progress database (a temporary file).

The quiz core's own resume and scoring scenarios also run on it: see test_quiz_resume.py,
parametrized over the in-memory reference recorder and this one.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from quiz_records import record_quiz

from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock, study_day
from quizapp.collection import Collection, open_collection
from quizapp.errors import QuizappError
from quizapp.quiz import (
    AttemptPlan,
    MemoryRecorder,
    Progress,
    Question,
    QuizAnswer,
    QuizRecorder,
    QuizSession,
    QuizSetup,
    StoredAttempt,
    custom_exam,
    load_results,
)
from quizapp.store import quiz_attempts
from quizapp.store.database import Store, make_engine

SHIPPED = load_shipped().items
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
EXAM_SEED = 21
STEP_S = 3

# The learner's script, run by the child process that gets killed and replayed here: step k
# moves to question k mod 65, then answers it (right or wrong, changing earlier answers on
# later laps), flags or unflags it, or clears its answer. An ordering or matching question is
# answered with the right order or the reversed one.
SCRIPT = r"""
def step(session, clock, k):
    clock.advance(seconds=STEP_S)
    p = k % len(session)
    session.goto(p)
    q = session.question(p)
    if k % 7 == 3:
        session.toggle_flag(p)
    elif k % 11 == 5:
        session.clear(p)
    elif q.sequence:
        order = list(range(len(q.options)))
        session.answer(p, order if (p + k // len(session)) % 3 else order[::-1])
    elif (p + k // len(session)) % 3:
        session.answer(p, sorted(q.correct_indexes))
    else:
        session.answer(p, [min(set(range(len(q.options))) - q.correct_indexes)])
"""
CHILD = (
    r"""
import sys, time
from datetime import UTC, datetime
from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock
from quizapp.quiz import QuizSession, QuizSetup
from quizapp.collection import Collection, build_collection, open_collection

STEP_S = 3
"""
    + SCRIPT
    + r"""
study = open_collection(sys.argv[1])
clock = FakeClock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
setup = QuizSetup.exam(seed=int(sys.argv[2]))
session = QuizSession.start(setup, load_shipped().items, study.quizzes.recorder(), clock=clock)
print("ready", session.attempt_id, flush=True)
for k in range(2500):  # 7500 s of the exam's 7800 (MLA-C01): the clock never runs out
    step(session, clock, k)
    print(k, flush=True)  # printed only once the step's saves have committed
time.sleep(120)  # never reached in the test: it is killed long before
"""
)
_script: dict[str, Any] = {"STEP_S": STEP_S}
exec(SCRIPT, _script)
step: Callable[[QuizSession, FakeClock, int], None] = _script["step"]


def right(q: Question) -> list[int]:
    """The right answer: the right choices, or (ordering, matching) the right order."""
    return list(range(len(q.options))) if q.sequence else sorted(q.correct_indexes)


def wrong(q: Question) -> list[int]:
    """A wrong answer with as many picks as the question asks for (a sequence: reversed)."""
    if q.sequence:
        return right(q)[::-1]
    wrong_first = sorted(set(range(len(q.options))) - q.correct_indexes) + right(q)
    return sorted(wrong_first[: q.picks_needed])


@pytest.fixture
def study(db_url: str) -> Iterator[Collection]:
    study = open_collection(db_url)
    try:
        yield study
    finally:
        study.close()


def normal(stored: StoredAttempt) -> tuple[object, ...]:
    """A stored attempt with its answers in position order (recorders may keep any order)."""
    answers = tuple(sorted(stored.answers, key=lambda a: a.position))
    return stored.header, stored.plan_json, stored.progress, answers


WRITES = ("start_attempt", "save_answer", "save_progress", "finish")


class _Enough(Exception):
    pass


class Snapshots:
    """A MemoryRecorder that keeps the stored attempt after every write (and can stop)."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.inner = MemoryRecorder()
        self.states: list[tuple[object, ...]] = []
        self._stop_after = stop_after

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)
        if name not in WRITES:
            return method

        def write(*args: Any, **kwargs: Any) -> Any:
            if self._stop_after is not None and len(self.states) == self._stop_after:
                raise _Enough
            out = method(*args, **kwargs)
            self.states.append(normal(self.inner.load_attempt(1)))
            return out

        return write


def replay(steps: int, stop_after: int | None = None) -> Snapshots:
    """The child's script in memory: every state the recorder went through."""
    recorder = Snapshots(stop_after)
    clock = FakeClock(START)
    try:
        session = QuizSession.start(QuizSetup.exam(seed=EXAM_SEED), SHIPPED, recorder, clock=clock)
        for k in range(steps):
            step(session, clock, k)
    except _Enough:
        pass
    return recorder


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("pragma integrity_check").fetchone()[0]


@pytest.mark.sqlite_only  # a WAL file's recovery after SIGKILL
def test_an_exam_killed_mid_way_resumes_in_a_fresh_process(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    url = f"sqlite:///{path}"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(EXAM_SEED)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        first = proc.stdout.readline()
        assert first.startswith("ready"), proc.stderr.read()
        attempt_id = int(first.split()[1])
        lines = [proc.stdout.readline() for _ in range(40)]
        os.kill(proc.pid, signal.SIGKILL)  # while it answers as fast as it can
        proc.wait(timeout=30)
        lines += proc.stdout.readlines()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    promised = max(int(line) for line in lines if line.endswith("\n"))  # cut lines promise nothing
    assert 39 <= promised < 2499  # killed mid-exam

    study = open_collection(url)  # a fresh process opens it: health check and WAL recovery pass
    try:
        recorder = study.quizzes.recorder()
        stored = recorder.load_attempt(attempt_id)
        [header] = recorder.unfinished_attempts()
        assert header == stored.header and not header.finished

        # the database holds exactly the state after some save of the script, and that save
        # comes after every step the child reported done (at most one more step got in)
        states = replay(promised + 3).states
        matches = [i for i, s in enumerate(states) if s == normal(stored)]
        assert len(matches) == 1
        saves = matches[0] + 1
        steps_begun = stored.progress.elapsed_s / STEP_S
        assert steps_begun == int(steps_begun) and promised + 1 <= steps_begun <= promised + 2
        assert stored.progress.current == (int(steps_begun) - 1) % 65
        assert stored.progress.remaining_s == 130 * 60 - stored.progress.elapsed_s
        plan = AttemptPlan.from_json(stored.plan_json)
        assert plan.profile == "mla-c01" and len(plan.unscored) == 15

        # resume it from the database and from the reference recorder at the same state
        later = START + timedelta(days=2)
        resumed = QuizSession.resume(attempt_id, SHIPPED, recorder, clock=FakeClock(later))
        ref = replay(promised + 3, stop_after=saves).inner
        expected = QuizSession.resume(1, SHIPPED, ref, clock=FakeClock(later))
        assert resumed.current == expected.current == stored.progress.current
        assert resumed.remaining() == expected.remaining() == stored.progress.remaining_s
        assert resumed.navigator() == expected.navigator()
        for p in range(len(resumed)):
            assert resumed.chosen(p) == expected.chosen(p)
            assert resumed.is_flagged(p) == expected.is_flagged(p)
        flagged = sum(n.flagged for n in resumed.navigator())
        answered = sum(n.answered for n in resumed.navigator())
        assert flagged > 0 and answered > 20
        assert header.answered == answered

        results = resumed.submit()
        assert results == expected.submit()
        assert (results.questions, results.total, results.unscored) == (65, 50, 15)
        assert results.correct == sum(
            e.correct for e in results.entries if e.position not in plan.unscored
        )
        [done] = recorder.finished_attempts()
        assert done.score == results.score and recorder.unfinished_attempts() == ()
    finally:
        study.close()
    assert integrity(path) == "ok"


def test_answer_and_progress_are_saved_in_one_commit(
    study: Collection, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = study.quizzes.recorder()
    clock = FakeClock(START)
    session = QuizSession.start(
        QuizSetup.exam(custom_exam(5), seed=3), SHIPPED, recorder, clock=clock
    )
    commits: list[int] = []  # write transactions: each commits once when it ends
    opened = Store._transaction

    def counted(self: Store, *, write: bool):  # type: ignore[no-untyped-def]
        if write:
            commits.append(1)
        return opened(self, write=write)

    monkeypatch.setattr(Store, "_transaction", counted)
    clock.advance(seconds=42)
    session.goto(2)  # one save_progress
    assert len(commits) == 1
    clock.advance(seconds=8)
    session.answer(2, right(session.question(2)))  # one save_answer
    assert len(commits) == 2
    stored = recorder.load_attempt(session.attempt_id)
    assert stored.progress == Progress(2, 50.0, custom_exam(5).time_limit_s - 50)
    assert [a.position for a in stored.answers] == [2]


def test_a_failed_save_keeps_neither_the_answer_nor_the_progress(
    study: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:

    recorder = study.quizzes.recorder()
    attempt = recorder.start_attempt(
        mode="exam", profile="mls-c01", question_count=3, time_limit_s=600.0, plan_json="[]",
        at=START,
    )  # fmt: skip

    def broken(_tx: object, _attempt: int, _progress: Progress, *, at: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(quiz_attempts, "_set_progress", broken)
    answer = QuizAnswer(1, "q-1", "losses", "Modeling", (0,), None, True)
    with pytest.raises(RuntimeError):
        recorder.save_answer(attempt, answer, Progress(1, 30.0, 570.0), at=START)
    stored = recorder.load_attempt(attempt)
    assert stored.answers == () and stored.progress == Progress(0, 0.0, 600.0)


def test_answers_are_inserted_or_replaced_and_counted_when_answered(study: Collection) -> None:
    recorder = study.quizzes.recorder()
    attempt = recorder.start_attempt(
        mode="practice", profile="practice", question_count=4, time_limit_s=None,
        plan_json='{"x": 1}', at=START,
    )  # fmt: skip
    a = QuizAnswer(0, "q-a", "losses", "Modeling", (2,), None, False)
    b = QuizAnswer(1, "q-b", "aws", "Data Engineering", flagged=True)  # flagged only
    c = QuizAnswer(2, "q-c", "softmax", "Modeling", (), "0.25", True)  # typed
    for i, answer in enumerate((a, b, c)):
        recorder.save_answer(attempt, answer, Progress(i, 10.0 * i, None), at=START)
    recorder.save_answer(
        attempt, replace(a, chosen=(1, 3), correct=True), Progress(0, 40.0, None), at=START
    )
    stored = recorder.load_attempt(attempt)
    assert stored.plan_json == '{"x": 1}'
    assert stored.progress == Progress(0, 40.0, None)
    assert sorted(stored.answers, key=lambda x: x.position) == [
        replace(a, chosen=(1, 3), correct=True),
        b,
        c,
    ]
    assert stored.header.answered == 2
    assert recorder.unfinished_attempts()[0].answered == 2
    with pytest.raises(QuizappError, match="no quiz attempt 77"):
        recorder.save_answer(77, a, Progress(0, 0.0, None), at=START)
    with pytest.raises(QuizappError, match="no quiz attempt 77"):
        recorder.load_attempt(77)


def test_answers_are_dated_on_the_study_day(db_url: str) -> None:
    late = datetime(2025, 3, 2, 2, 30, tzinfo=UTC)  # before the 4:00 rollover: March 1st
    study = open_collection(db_url, clock=FakeClock(late))
    try:
        recorder = study.quizzes.recorder()
        attempt = recorder.start_attempt(
            mode="practice", profile="practice", question_count=2, time_limit_s=None,
            plan_json="[]", at=late,
        )  # fmt: skip
        recorder.save_answer(
            attempt, QuizAnswer(0, "q-a", "losses", "Modeling", (1,), None, True),
            Progress(0, 5.0, None), at=late,
        )  # fmt: skip
        recorder.save_answer(
            attempt, QuizAnswer(1, "q-b", "losses", "Modeling", flagged=True),
            Progress(1, 9.0, None), at=late,
        )  # fmt: skip
    finally:
        study.close()
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = [
            tuple(row)
            for row in conn.exec_driver_sql(
                "select position, study_day, answered_at from quiz_answers order by position"
            )
        ]
    engine.dispose()
    march_1st = study_day(late, UTC, 4)
    assert march_1st == datetime(2025, 3, 1).toordinal()
    assert rows == [(0, march_1st, late.timestamp()), (1, None, None)]


def test_finished_attempts_are_listed_newest_first_and_rebuilt_exactly(db_url: str) -> None:
    clock = FakeClock(START)
    study = open_collection(db_url)
    recorder = study.quizzes.recorder()
    done = {}
    # seed -> (questions, the SCORED questions answered wrong, by their rank among the scored);
    # the exams' unscored questions are answered right and do not lift the score
    patterns = {4: (10, {3}), 5: (5, {0, 2, 3}), 6: (3, set())}
    for seed, (n, wrong_ranks) in patterns.items():
        exam = QuizSetup.exam(custom_exam(n), seed=seed)
        setup = exam if n != 3 else QuizSetup.practice(3, seed=seed)
        session = QuizSession.start(setup, SHIPPED, recorder, clock=clock)
        scored = [i for i in range(n) if i not in session.plan.unscored]
        missed = {scored[r] for r in wrong_ranks}
        for i in range(n):
            q = session.question(i)
            session.answer(i, wrong(q) if i in missed else right(q))
            clock.advance(seconds=61)
        session.set_flag(0)
        done[session.attempt_id] = session.submit()
        clock.advance(hours=1)
    unfinished = QuizSession.start(QuizSetup.practice(2, seed=9), SHIPPED, recorder, clock=clock)
    study.close()

    again = open_collection(db_url)  # a new engine and pool: nothing cached survives
    try:
        recorder = again.quizzes.recorder()
        headers = recorder.finished_attempts()
        assert [h.attempt_id for h in headers] == sorted(done, reverse=True)
        for h in headers:
            results = done[h.attempt_id]
            assert h.score == results.score and h.passed == results.passed
            assert h.answered == results.answered == h.question_count
            assert h.finished_at is not None and h.finished_at > h.started_at
            assert load_results(h.attempt_id, SHIPPED, recorder) == results
        # practice 3/3; 1 of custom_exam(5)'s 4 scored; 7 of custom_exam(10)'s 8 scored
        assert [done[h.attempt_id].score for h in headers] == [1000, 325, 888]
        assert [(done[h.attempt_id].total, done[h.attempt_id].unscored) for h in headers] == [
            (3, 0),
            (4, 1),
            (8, 2),
        ]
        [open_one] = recorder.unfinished_attempts()
        assert open_one.attempt_id == unfinished.attempt_id and open_one.answered == 0
        with pytest.raises(QuizappError, match="finished"):
            recorder.save_answer(
                headers[0].attempt_id, QuizAnswer(0, "x", "t", "d", (0,), None, True),
                Progress(0, 1.0, None), at=START,
            )  # fmt: skip
    finally:
        again.close()


def test_the_recorder_works_from_worker_threads(study: Collection) -> None:
    """Sessions built on one thread, each save made on whichever worker thread runs it."""
    recorder: QuizRecorder = study.quizzes.recorder()
    clocks = [FakeClock(START), FakeClock(START)]
    sessions = [
        QuizSession.start(QuizSetup.exam(custom_exam(10), seed=s), SHIPPED, recorder, clock=c)
        for s, c in zip((11, 12), clocks, strict=True)
    ]

    def run(which: int) -> None:
        session, clock = sessions[which], clocks[which]
        for i in range(len(session)):
            clock.advance(seconds=10)
            session.answer(i, right(session.question(i)))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(run, [0, 1]))
        loaded = list(pool.map(recorder.load_attempt, [s.attempt_id for s in sessions]))
    for stored in loaded:
        assert len(stored.answers) == 10 and all(a.correct for a in stored.answers)
        assert stored.progress.elapsed_s == 100.0
    with ThreadPoolExecutor(max_workers=2) as pool:
        scores = list(pool.map(lambda s: s.submit().score, sessions))
    assert scores == [1000, 1000]
    assert len(recorder.finished_attempts()) == 2


def test_attempts_from_the_older_quiz_calls_are_listed_but_cannot_resume(study: Collection) -> None:
    answer = QuizAnswer(0, "q-a", "losses", "Modeling", (1,), None, True)
    attempt = record_quiz(study, "exam", "mls-c01", 3, [answer], time_limit_s=600)
    recorder = study.quizzes.recorder()
    [header] = recorder.unfinished_attempts()
    assert header.attempt_id == attempt and header.answered == 1
    with pytest.raises(QuizappError, match="before quizapp kept quiz plans"):
        QuizSession.resume(attempt, SHIPPED, recorder)


def test_the_quizzes_use_case_keeps_its_open_sessions(study: Collection) -> None:
    """The UI holds an attempt id; the session is reached through the core, and closing it
    saves its place (it stays resumable)."""
    study.content.sync(SHIPPED)
    quizzes = study.quizzes
    session = quizzes.start(QuizSetup.exam(custom_exam(5), seed=8))
    assert quizzes.session(session.attempt_id) is session
    session.goto(3)
    quizzes.close(session.attempt_id)
    with pytest.raises(QuizappError, match="not open"):
        quizzes.session(session.attempt_id)
    again = quizzes.resume(session.attempt_id)
    assert again.current == 3 and quizzes.session(session.attempt_id) is again
