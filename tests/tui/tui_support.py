"""Building the app for Pilot and snapshot tests: a throw-away database FILE, a small bank,
a fake clock and timer, fixed seeds; and waiting for the study thread to answer."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import StoreError
from quizapp.quiz.service import Quizzes
from quizapp.tui.app import QuizApp

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
EXAM = date(2026, 4, 15)


def _source(section: str, point: str) -> Source:
    return Source("eli5-ch1-neural-networks.txt", section, point)


BANK: tuple[Item, ...] = (
    Item(
        id="tt-bias",
        kind="flashcard",
        bank="tui-test",
        source=_source("1.2", "bias"),
        topic="weights-bias",
        domain="Modeling",
        difficulty="easy",
        front="What does a neuron's bias let it do?",
        back="Give a non-zero weighted sum even when every input is zero.",
        eli5="A head start, so the neuron can fire on its own.",
        technical="z = w·x + b: b shifts the decision threshold.",
    ),
    Item(
        id="tt-relu",
        kind="cloze",
        bank="tui-test",
        source=_source("1.4", "relu"),
        topic="activations",
        domain="Modeling",
        difficulty="easy",
        text="ReLU outputs {{max(0, z)}}, so a negative input gives {{0}}.",
        back="Cheap to compute, and it does not saturate for positive z.",
    ),
    Item(
        id="tt-rate",
        kind="flashcard",
        bank="tui-test",
        source=_source("1.2", "update-rule"),
        topic="learning",
        domain="Modeling",
        difficulty="medium",
        front="What does the learning rate scale?",
        back="The size of each weight update: w ← w − η·∂L/∂w.",
    ),
    Item(
        id="tt-softmax",
        kind="flashcard",
        bank="tui-test",
        source=_source("1.4", "softmax"),
        topic="activations",
        domain="Modeling",
        difficulty="medium",
        front="What does softmax turn a layer's scores into?",
        back="Probabilities that are positive and add up to 1.",
    ),
)


class FakeTimer:
    """A monotonic clock that moves `step` seconds each time it is read."""

    def __init__(self, step: float = 4.0) -> None:
        self._ticks = itertools.count(step=step)

    def __call__(self) -> float:
        return float(next(self._ticks))


def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'progress.db'}"


def make_app(
    tmp_path: Path,
    items: Sequence[Item] = BANK,
    *,
    clock: FakeClock | None = None,
    new_per_day: int | None = None,
    exam: date | None = None,
    prepare: Callable[[Collection], Any] | None = None,
    seed: int = 7,
    new_card_order: str | None = "bank",
) -> QuizApp:
    """The app on `tmp_path/progress.db`; `prepare` runs on the study right after it opens.
    New cards come in bank order unless told otherwise: the tests know which comes next (the
    mixed order is tested in the core and in test_tui_study.py)."""
    clock = clock or FakeClock(START)
    url = db_url(tmp_path)

    def open_study() -> Collection:
        study = open_collection(url, items, clock=clock)
        if new_card_order is not None:  # "bank": the tests know which new card comes next
            order = replace(study.settings.current(), new_card_order=new_card_order)
            study.settings.save(order)
        if new_per_day is not None:
            study.settings.save(replace(study.settings.current(), new_per_day=new_per_day))
        if exam is not None:
            study.settings.set_exam_date(exam)
        if prepare is not None:
            prepare(study)
        return study

    return QuizApp(open_study, clock=clock, seed=seed, monotonic=FakeTimer())


def open_study(tmp_path: Path, items: Sequence[Item] = BANK, clock: FakeClock | None = None):
    """A second Collection on the same database file, to check what the app wrote."""
    return open_collection(db_url(tmp_path), items, clock=clock or FakeClock(START))


async def until(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (the study answers from its own thread)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            app = pilot.app
            raise AssertionError(
                f"timed out waiting for {condition}: screen {app.screen!r}, fatal {app.fatal!r}"
            )
        await pilot.pause(0.02)
    await pilot.pause()


async def dashboard_ready(pilot: Pilot) -> None:
    from quizapp.tui.screens.dashboard import DashboardScreen

    app = pilot.app
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, DashboardScreen)
            and app.screen.data is not None
            and app.settings is not None
            and not app.screen.planning  # the exam plan shown (snapshots stay stable)
        ),
    )


async def card_ready(pilot: Pilot) -> None:
    """The review screen shows a card (or 'all done') and takes keys."""
    from quizapp.tui.screens.review import ReviewScreen

    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and not app.screen.busy)


async def open_review(pilot: Pilot) -> None:
    await dashboard_ready(pilot)
    await pilot.press("r")
    await card_ready(pilot)


async def grade(pilot: Pilot, key: str) -> None:
    await pilot.press("space")
    await pilot.press(key)
    await card_ready(pilot)


def still_cursor(pilot: Pilot) -> None:
    """No blinking cursor in snapshots."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


def shown(widget: Any) -> str:
    """The text a Static shows, without markup."""
    return widget.render().plain


class FlakyRecorder:
    """The store's recorder, whose next `save_answer` fails once (a locked database)."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self.fail_next = True

    def save_answer(self, *args, **kwargs):
        if self.fail_next:
            self.fail_next = False
            raise StoreError("cannot write the progress database: database is locked")
        return self._inner.save_answer(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class FlakyQuizzes(Quizzes):
    """The real quizzes, whose recorder fails the next `save_answer` once."""

    def __init__(self, inner: Quizzes) -> None:
        self.__dict__.update(inner.__dict__)
        self._flaky = FlakyRecorder(inner.recorder())

    def recorder(self) -> FlakyRecorder:  # type: ignore[override]
        return self._flaky


def FlakyQuizStudy(col: Collection) -> Collection:
    return replace(col, quizzes=FlakyQuizzes(col.quizzes))
