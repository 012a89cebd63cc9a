"""Dialogs: a failed call to the core is shown here, never as a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.tui.screens.base import QuizAppModal
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter


def describe(error: BaseException) -> str:
    """The error's own one-line message (its class name if it has none)."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


class ErrorDialog(QuizAppModal[None]):
    """'Could not <what>: <error>', with a retry when the action can be run again."""

    CSS_PATH = styles(["dialogs.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", id="error.retry"),
        Binding("escape,enter", "dismiss_dialog", "Close", id="error.close"),
    ]

    def __init__(
        self,
        what: str,
        error: BaseException,
        *,
        kept: str = "",
        retry: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.what = what
        self.error = error
        self.kept = kept  # what became of the learner's work
        self.retry = retry

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box") as box:
            box.border_title = "Something went wrong"
            yield Static(f"Could not {self.what}.", id="error-what")
            yield Static(describe(self.error), id="error-detail", markup=False)
            if self.kept:
                yield Static(self.kept, id="error-kept", markup=False)
        yield AppFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.retry is not None
        return True

    def action_retry(self) -> None:
        retry = self.retry
        self.dismiss()
        if retry is not None:
            retry()

    def action_dismiss_dialog(self) -> None:
        self.dismiss()
