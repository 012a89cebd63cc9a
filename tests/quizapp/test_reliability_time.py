"""Time: an exam's clock ignores wall-clock jumps, saves itself every few seconds (a SIGKILL
loses at most that), and the study day turns at the rollover hour in local time on every
day, daylight saving or not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock, SystemClock, day_start, study_date
from quizapp.collection import open_collection
from quizapp.quiz import MemoryRecorder, QuizSession, QuizSetup, custom_exam
from quizapp.quiz.session import AUTOSAVE_S

SHIPPED = load_shipped().items
START = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)


def test_a_wall_clock_jump_changes_nothing_in_an_exam() -> None:
    clock = FakeClock(START)
    session = QuizSession.start(
        QuizSetup.exam(custom_exam(5), seed=1), SHIPPED, MemoryRecorder(), clock=clock
    )
    clock.advance(seconds=90)
    assert session.elapsed() == 90
    clock.set(START + timedelta(hours=3))  # the system clock jumps forward
    assert not session.tick() and not session.finished  # not submitted at once
    assert session.elapsed() == 90
    clock.set(START - timedelta(hours=2))  # and back
    session.tick()
    assert session.elapsed() == 90  # not reset to 0
    clock.advance(seconds=10)
    assert session.elapsed() == 100


@pytest.fixture(params=["Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"])
def berlin(request: pytest.FixtureRequest) -> Iterator[None]:
    """The machine's local zone is Berlin's for the test: by its tz database name, or as a
    POSIX rule (no tz database entry: the C library's rules are used)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.mark.parametrize(
    "day",
    [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30), date(2026, 10, 25), date(2026, 7, 1)],
)
def test_the_rollover_is_four_in_the_morning_local_time_on_every_day(berlin, day: date) -> None:
    zone = SystemClock().local_zone()
    expected = datetime(day.year, day.month, day.day, 4, tzinfo=ZoneInfo("Europe/Berlin"))
    assert day_start(day, zone, 4) == expected.astimezone(UTC)
    just_before = expected.astimezone(UTC) - timedelta(minutes=1)
    assert study_date(just_before, zone, 4) == day - timedelta(days=1)
    assert study_date(expected.astimezone(UTC), zone, 4) == day


def test_a_study_across_the_spring_change_ends_the_day_at_local_four(berlin) -> None:
    """Saturday evening before the change: today's study day ends at Sunday 4:00 summer
    time (02:00 UTC), not at 4:00 winter time (03:00 UTC)."""

    class SystemZoneFakeClock(FakeClock):
        def local_zone(self):
            return SystemClock().local_zone()

    clock = SystemZoneFakeClock(datetime(2026, 3, 28, 21, 0, tzinfo=UTC))
    study = open_collection(f"sqlite:///{Path(os.environ['QUIZAPP_HOME']) / 'p.db'}", clock=clock)
    moment = study.time.moment()
    assert datetime.fromtimestamp(moment.day_end, UTC) == datetime(2026, 3, 29, 2, tzinfo=UTC)
    study.close()


EXAM_CHILD = r"""
import sys
from datetime import UTC, datetime
from quizapp.bank.loader import load_shipped
from quizapp.clock import FakeClock
from quizapp.quiz import QuizSession, QuizSetup, custom_exam
from quizapp.collection import Collection, build_collection, open_collection

url = sys.argv[1]
study = open_collection(url)
clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
items = load_shipped().items
session = QuizSession.start(
    QuizSetup.exam(custom_exam(10), seed=5), items, study.quizzes.recorder(), clock=clock
)
print("attempt", session.attempt_id, flush=True)
for position in range(10):
    question = session.question(position)
    if question.sequence:  # ordering, matching: the right order
        session.answer(position, list(range(len(question.options))))
    else:
        session.answer(position, sorted(question.correct_indexes))
    if position % 3 == 0:
        session.set_flag(position)
    print("answered", position, flush=True)  # printed only after the answer was stored
for second in range(1, 10**6):
    clock.advance(seconds=1)
    session.tick()
    print("tick", second, flush=True)
"""


def test_an_exam_killed_with_sigkill_resumes_with_its_answers_and_time(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    proc = subprocess.Popen(
        [sys.executable, "-c", EXAM_CHILD, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    ticks = 0
    while ticks < 23:  # kill it mid-tick, after 23 simulated seconds
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        lines.append(line)
        if line.startswith("tick"):
            ticks = int(line.split()[1])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    lines += proc.stdout.readlines()  # what it printed before it died
    ticks = max(int(x.split()[1]) for x in lines if x.startswith("tick") and x.endswith("\n"))
    attempt_id = int(lines[0].split()[1])
    answered = {int(x.split()[1]) for x in lines if x.startswith("answered")}
    assert answered == set(range(10))

    study = open_collection(url)
    clock = FakeClock(datetime(2026, 3, 5, 9, tzinfo=UTC))
    resumed = QuizSession.resume(attempt_id, SHIPPED, study.quizzes.recorder(), clock=clock)
    assert all(resumed.is_answered(p) for p in range(10))
    assert [p for p in range(10) if resumed.is_flagged(p)] == [0, 3, 6, 9]
    # at most one autosave period is lost, and never more time than was really used (the
    # kill may land between a tick's save and its printed line: one tick more than printed)
    assert ticks - AUTOSAVE_S <= resumed.elapsed() <= ticks + 1
    assert AUTOSAVE_S <= 5
    results = resumed.submit()
    assert results.answered == 10
    study.close()
