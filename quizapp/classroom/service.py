"""The class report as a use case: read every learner's rows the connection may see (one read
transaction), then compute (`quizapp.classroom.report`). Read-only: it syncs nothing, so an
instructor's role that may only read can run it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from quizapp.bank.model import Item
from quizapp.classroom.report import WEEK_S, ClassReport, build_class_report
from quizapp.clock import Clock
from quizapp.store.database import Store


def computed_families(items: Iterable[Item]) -> dict[str, str]:
    """Computed item id -> its engine family (a quiz answer's misconception is filed there)."""
    return {i.id: i.family for i in items if i.kind == "computed" and i.family}


class ClassReporter:
    """The instructor's report over one store."""

    def __init__(
        self, store: Store, clock: Clock, items: Callable[[], Iterable[Item]] = tuple
    ) -> None:
        self._store = store
        self._clock = clock
        self._items = items  # the loaded bank items (a computed item names its family)

    def report(self) -> ClassReport:
        from quizapp.store.class_report import class_rows

        now = self._clock.now().timestamp()
        with self._store.read() as tx:
            rows = class_rows(tx, since=now - WEEK_S)
        return build_class_report(rows, now, computed_families(self._items()))
