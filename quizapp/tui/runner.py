"""One background thread that owns the Collection: every call to progress runs there, in order.

The UI never touches the database on its own thread. Answers are saved by a direct `call`
(they count only once stored). Bookkeeping writes that need no answer back (the place in a
quiz when its screen closes, burying a skill card) go through an outbox: a write that fails
stays queued and is retried before the next call, and `close` reports what never got in.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from quizapp.collection import Collection


T = TypeVar("T")


@dataclass(eq=False)
class Write:
    """A queued change to progress; `result` is set once it is committed."""

    what: str  # "your answer", for messages
    apply: Callable[[Collection], Any]
    done: bool = field(default=False)
    result: Any = field(default=None)
    error: str = field(default="")  # why the last try failed


class StudyRunner:
    """Opens the Collection lazily on its own thread and runs every call to it there."""

    def __init__(self, opener: Callable[[], Collection]) -> None:
        self._opener = opener
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizapp-study")
        self._study: Collection | None = None
        self._outbox: deque[Write] = deque()

    @property
    def opened(self) -> bool:
        """Whether the Collection has been opened (the first call opens it)."""
        return self._study is not None

    @property
    def unsaved(self) -> tuple[Write, ...]:
        """Writes that have not reached the database yet."""
        return tuple(self._outbox)

    def queue(self, what: str, apply: Callable[[Collection], Any]) -> Write:
        """Queue a write; it is committed by the next `call` (before that call's own work)."""
        write = Write(what, apply)
        self._outbox.append(write)
        return write

    async def call(self, fn: Callable[[Collection], T]) -> T:
        """Flush queued writes, then run `fn(study)` on the study thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, fn)

    def _run(self, fn: Callable[[Collection], T]) -> T:
        study = self._open()
        self._flush(study)
        return fn(study)

    def _open(self) -> Collection:
        if self._study is None:
            self._study = self._opener()
        return self._study

    def _flush(self, study: Collection) -> None:
        while self._outbox:
            write = self._outbox[0]
            try:
                write.result = write.apply(study)
            except Exception as err:  # the write stays queued
                write.error = " ".join(str(err).split()) or type(err).__name__
                raise
            write.done = True
            self._outbox.popleft()

    def close(self) -> tuple[Write, ...]:
        """Try once more to save what is queued, close the study and stop the thread; return
        what stayed unsaved. It waits for the thread (a call in flight, then this last try):
        every database call gives up after the busy timeout, so this ends, and nothing is
        written after it returns, so what it reports as unsaved really is."""

        def finish() -> None:
            if self._outbox and self._study is not None:
                with contextlib.suppress(Exception):  # what stays queued is reported
                    self._flush(self._study)
            close = getattr(self._study, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):
                    close()

        self._executor.submit(finish)
        self._executor.shutdown(wait=True, cancel_futures=False)
        return self.unsaved
