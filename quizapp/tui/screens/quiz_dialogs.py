"""Dialogs of a quiz: confirm (submit with its warnings, leave mid-exam) and go to a question."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.quiz import NavEntry, SubmitCheck
from quizapp.tui.format import plural
from quizapp.tui.screens.base import QuizAppModal
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.quiz_navigator import GLYPHS


def numbers(positions: Sequence[int], shown: int = 12) -> str:
    """'4, 9, 22' (1-based), cut after `shown` with '…'."""
    text = ", ".join(str(p + 1) for p in positions[:shown])
    return text + (", …" if len(positions) > shown else "")


def submit_lines(check: SubmitCheck, *, exam: bool) -> list[str]:
    """What the submit dialog says: counts, then which questions are unanswered or flagged."""
    lines = [f"[b]{check.answered_count}[/b] of {check.total} answered."]
    if check.unanswered:
        lines.append(
            f"[b $text-warning]{plural(check.unanswered_count, 'question')} unanswered[/] "
            f"(count as wrong): {numbers(check.unanswered)}"
        )
    if check.flagged:
        lines.append(
            f"[b $text-warning]{check.flagged_count} flagged for review[/]: "
            f"{numbers(check.flagged)}"
        )
    if exam:
        lines += ["", "After submitting, answers cannot be changed."]
    return lines


class ConfirmDialog(QuizAppModal[bool]):
    """A question with yes (enter / y) and no (escape / n); dismisses with the answer."""

    CSS_PATH = styles(["quiz.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", "Yes", id="quiz.confirm.yes"),
        Binding("escape,n", "answer(False)", "No", id="quiz.confirm.no"),
    ]

    def __init__(
        self, title: str, lines: Sequence[str], *, yes: str = "Yes", no: str = "No"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = tuple(lines)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box") as box:
            box.border_title = self.title_text
            yield Static("\n".join(self.lines), id="confirm-text")
            yield Static(f"[b]enter[/b] {self.yes}    [b]esc[/b] {self.no}", id="confirm-keys")
        yield AppFooter(compact=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


@dataclass(frozen=True, slots=True)
class JumpEntry:
    """One question in the go-to list: where it is and the start of its prompt."""

    nav: NavEntry
    prompt: str


JUMP_FILTERS = {"all": "all", "unanswered": "unanswered", "flagged": "flagged"}


class JumpDialog(QuizAppModal[int | None]):
    """Every question with its state; enter goes there. u / f / a: unanswered, flagged, all."""

    CSS_PATH = styles(["quiz.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "only('unanswered')", "Unanswered", id="quiz.jump.unanswered"),
        Binding("f", "only('flagged')", "Flagged", id="quiz.jump.flagged"),
        Binding("a", "only('all')", "All", id="quiz.jump.all"),
        Binding("escape,g", "close", "Close", id="quiz.jump.close"),
    ]

    def __init__(self, entries: Sequence[JumpEntry], current: int) -> None:
        super().__init__()
        self.entries = tuple(entries)
        self.current = current
        self.only = "all"

    def compose(self) -> ComposeResult:
        with Vertical(id="jump-box") as box:
            box.border_title = "Go to question"
            yield OptionList(id="jump-list")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill)  # once the list knows its width

    def _fill(self) -> None:
        shown = [
            e
            for e in self.entries
            if self.only == "all"
            or (self.only == "flagged" and e.nav.flagged)
            or (self.only == "unanswered" and not e.nav.answered)
        ]
        width = len(str(len(self.entries)))
        jump = self.query_one("#jump-list", OptionList)
        room = max(10, (jump.scrollable_content_region.width or 70) - 1)
        options = []
        for e in shown:
            flag = GLYPHS["flagged"] if e.nav.flagged else " "
            state = GLYPHS["answered"] if e.nav.answered else GLYPHS["unanswered"]
            line = f"{e.nav.position + 1:>{width}} {state}{flag} {' '.join(e.prompt.split())}"
            if len(line) > room:
                line = line[: room - 1] + "…"
            options.append(Option(Text(line), id=str(e.nav.position)))
        jump.set_options(options)
        box = self.query_one("#jump-box")
        box.border_subtitle = f"{self.only} · {len(shown)}"
        if options:
            index = next((i for i, e in enumerate(shown) if e.nav.position >= self.current), 0)
            jump.highlighted = index
        jump.focus()

    def action_only(self, which: str) -> None:
        self.only = which
        self._fill()

    @on(OptionList.OptionSelected, "#jump-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option_id or 0))

    def action_close(self) -> None:
        self.dismiss(None)
