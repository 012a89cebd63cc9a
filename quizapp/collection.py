"""The composition root: one store and one clock, wired to one service per use case.

    col = open_collection(url, items)          # open (migrate, sync the banks)
    card = col.reviews.next_card()
    col.reviews.answer(card, 3)                # saved when given
    col.practice.record(attempt), col.quizzes.start(setup), col.stats.summary(),
    col.browse.card_infos(), col.settings.save(...), col.content.sync(items)
    col.close()

Each service owns its use case and its plain data types and calls the store; none does
another's work. A `Collection` may be used from any thread (the app runs it on one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.bank.model import Item
from quizapp.browse.service import Browse
from quizapp.classroom.service import ClassReporter
from quizapp.clock import Clock, SystemClock
from quizapp.content_sync import ContentSync
from quizapp.mistakes.service import Mistakes
from quizapp.plan.service import Plan
from quizapp.practice.service import Practice
from quizapp.quiz.service import Quizzes
from quizapp.reviews.cram import Cram
from quizapp.reviews.service import Reviews
from quizapp.scheduling.optimize import Optimizer
from quizapp.settings.service import SettingsService
from quizapp.stats.service import Stats
from quizapp.store.database import Store, open_store
from quizapp.study_time import StudyTime


@dataclass(frozen=True, slots=True, eq=False)
class Collection:
    """A learner's progress in one store: the use cases, wired together."""

    store: Store
    time: StudyTime
    settings: SettingsService
    content: ContentSync
    reviews: Reviews
    practice: Practice
    quizzes: Quizzes
    stats: Stats
    browse: Browse
    optimizer: Optimizer
    plan: Plan
    cram: Cram
    mistakes: Mistakes
    class_report: ClassReporter  # the instructor's report across learners

    def close(self) -> None:
        self.store.dispose()


def build_collection(
    store: Store,
    items: Iterable[Item] | None = None,
    *,
    clock: Clock | None = None,
    read_only: bool = False,
) -> Collection:
    """Wire the use cases to `store`; sync `items` into it when given (`read_only`: only
    remember them, for a role that may not write, such as a class's instructor)."""
    settings = SettingsService(store)
    time = StudyTime(clock or SystemClock(), lambda: settings.current().rollover_hour)
    content = ContentSync(store, time.clock)
    settings.on_saved(
        lambda before, after: (
            content.resync() if before.new_card_order != after.new_card_order else None
        )
    )
    reviews = Reviews(store, time, settings, content)
    plan = Plan(store, time, settings)
    reviews.stretch_days = plan.stretch_days
    stats = Stats(store, time, settings, reviews)
    col = Collection(
        store=store,
        time=time,
        settings=settings,
        content=content,
        reviews=reviews,
        practice=Practice(store, time, reviews),
        quizzes=Quizzes(store, time, content, stats),
        stats=stats,
        browse=Browse(store, time, content, lambda: settings.policy.decay),
        optimizer=Optimizer(store, time, settings),
        plan=plan,
        cram=Cram(store, time, reviews),
        mistakes=Mistakes(store, time, content.items),
        class_report=ClassReporter(store, time.clock, content.items),
    )
    if items is not None and read_only:
        content.remember(items)
    elif items is not None:
        content.sync(items)
    return col


def open_collection(
    url: str | None = None,
    items: Iterable[Item] | None = None,
    *,
    clock: Clock | None = None,
    learner: str | None = None,
    read_only: bool = False,
) -> Collection:
    """Open `learner`'s progress in the database at `url` (default: $QUIZAPP_DB or the data
    dir; the learner: see `quizapp.store.learner`), migrate, sync."""
    store = open_store(url, learner=learner)
    try:
        return build_collection(store, items, clock=clock, read_only=read_only)
    except BaseException:
        store.dispose()  # leave no connection (and no -wal/-shm) behind a failed open
        raise
