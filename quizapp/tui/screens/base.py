"""What every screen of the app shares: the app, typed, and one way to ask the study.

`on_study` is the only place the UI waits for the core: it runs a function on the study
thread (`StudyRunner.call`) from an async worker, then hands the result to a callback run as
a message of the screen (so it may touch widgets, and what it changes is painted at once), or
shows the error dialog with a retry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

if TYPE_CHECKING:
    from quizapp.collection import Collection
    from quizapp.tui.app import QuizApp

T = TypeVar("T")  # what the study call returns
R = TypeVar("R")  # what a screen dismisses with


def on_study(
    node: DOMNode,
    what: str,
    fn: Callable[[Collection], T],
    then: Callable[[T], object],
    *,
    retry: bool | Callable[[], object] = True,
    failed: Callable[[Exception], object] | None = None,
    group: str | None = None,
    exclusive: bool = False,
) -> Worker[None]:
    """Run `fn(study)` on the study thread, then `then(result)` on the UI.

    If the call fails, `failed(error)` runs instead when given (it says what went wrong
    itself); otherwise the error dialog says "Could not <what>" and offers a retry: the same
    call again (`retry=True`), the given function, or none (`retry=False`). The worker belongs
    to `node` (cancelled with it), in `group` (`exclusive` cancels the group's others).
    """
    app = cast("QuizApp", node.app)

    async def run() -> None:
        try:
            result = await app.runner.call(fn)
        except Exception as err:
            if failed is not None:
                failed(err)
            elif retry is True:
                app.study_failed(
                    what,
                    err,
                    retry=lambda: on_study(node, what, fn, then, group=group, exclusive=exclusive),
                )
            else:
                app.study_failed(what, err, retry=retry or None)
            return
        # through the node's message queue, not from this task: handled as a message, the
        # change is painted as soon as the queue is idle, not at the next timed frame
        node.call_later(then, result)

    return node.run_worker(
        run, name=what, group=group or "default", exclusive=exclusive, exit_on_error=False
    )


class QuizAppScreen(Screen[R]):
    """A screen of `QuizApp`: `quiz_app` is the app, typed; `on_study` asks the study."""

    @property
    def quiz_app(self) -> QuizApp:
        return cast("QuizApp", self.app)

    def on_study(
        self,
        what: str,
        fn: Callable[[Collection], T],
        then: Callable[[T], object],
        *,
        retry: bool | Callable[[], object] = True,
        failed: Callable[[Exception], object] | None = None,
        group: str | None = None,
        exclusive: bool = False,
    ) -> Worker[None]:
        """See the module's `on_study`: run `fn` on the study thread, then `then(result)`."""
        return on_study(
            self,
            what,
            fn,
            then,
            retry=retry,
            failed=failed,
            group=group,
            exclusive=exclusive,
        )


class QuizAppModal(ModalScreen[R]):
    """A modal screen (dialog) of `QuizApp`: `quiz_app` is the app, typed."""

    @property
    def quiz_app(self) -> QuizApp:
        return cast("QuizApp", self.app)
