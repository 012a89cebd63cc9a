"""A one-line answer box that refuses a multi-line paste instead of cutting it, and the
answer box of a question, where typing is typing."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.widgets import Input


class OneLineInput(Input):
    """An answer box that refuses a paste of several lines (Input would keep the first line
    alone, and that line would then be graded as if it were the whole answer)."""

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line for line in event.text.splitlines() if line.strip()]
        if len(lines) > 1:
            event.stop()
            event.prevent_default()  # Input's own handler would insert the first line
            self.app.notify(
                f"The pasted text has {len(lines)} lines; paste or type one answer.",
                title="Paste refused",
                severity="warning",
                markup=False,
            )


class AnswerBox(OneLineInput):
    """The answer box of a question: every printable key is text here (no letter is a
    command while it has focus). `enter` checks the answer and `escape` leaves the box to the
    screen, whose letter keys then act; a space in the empty box is ignored (it is the
    review's "show" habit, and an answer never starts with one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check", tooltip="Check the typed answer"),
        Binding(
            "escape",
            "leave_box",
            "Leave box",
            tooltip="Leave the answer box: the screen's letter keys act again",
        ),
    ]

    async def _on_key(self, event: events.Key) -> None:
        if event.character == " " and not self.value:
            event.stop()
            event.prevent_default()  # not typed: nothing to show, nothing to type yet

    def action_leave_box(self) -> None:
        """Focus the scrolling question around the box (arrows and page keys scroll it)."""
        for ancestor in self.ancestors:
            if isinstance(ancestor, ScrollableContainer) and ancestor.focusable:
                ancestor.focus(scroll_visible=False)
                return
        self.screen.set_focus(None)
