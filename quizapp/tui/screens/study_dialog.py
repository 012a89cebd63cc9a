"""Choose what to study (Anki's decks): every card, one bank's, or one topic's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.reviews.model import StudyChoice
from quizapp.tui.screens.base import QuizAppModal
from quizapp.tui.widgets.app_footer import AppFooter


def choice_label(choice: StudyChoice, topic_labels: dict[str, str]) -> str:
    if choice.kind == "all":
        return "All banks"
    if choice.kind == "bank":
        return f"Bank   {choice.name}"
    label = topic_labels.get(choice.name, choice.name)
    return f"Topic  {label}" + (f" ({choice.name})" if label != choice.name else "")


KIND_WIDTH = 7  # "Topic  ": the names start in one column


def choice_prompt(choice: StudyChoice, topic_labels: dict[str, str]) -> Text | Table:
    """The option; a bank or topic as two columns, so a long topic name wraps under itself,
    not under "Topic" (the text is literal: bank and topic names are never markup)."""
    text = choice_label(choice, topic_labels)
    if choice.kind == "all":
        return Text(text)
    grid = Table.grid()
    grid.add_column(width=KIND_WIDTH, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(text[:KIND_WIDTH]), Text(text[KIND_WIDTH:]))
    return grid


class StudyDialog(QuizAppModal[StudyChoice | None]):
    """The list of what can be studied; enter studies it, escape keeps the current choice."""

    DEFAULT_CSS = """
    StudyDialog { align: center middle; }
    StudyDialog #study-box {
        width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    StudyDialog #study-list { height: auto; max-height: 30; border: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
    ]

    def __init__(
        self,
        choices: Sequence[StudyChoice],
        current: StudyChoice,
        topic_labels: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.current = current
        self.topic_labels = topic_labels or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="study-box") as box:
            box.border_title = "Study"
            box.border_subtitle = "enter studies it"
            yield OptionList(
                *(
                    Option(choice_prompt(c, self.topic_labels), id=str(i))
                    for i, c in enumerate(self.choices)
                ),
                id="study-list",
            )
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        study = self.query_one("#study-list", OptionList)
        if self.current in self.choices:
            study.highlighted = self.choices.index(self.current)
        elif self.choices:
            study.highlighted = 0
        study.focus()

    @on(OptionList.OptionSelected, "#study-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option_id or 0)])

    def action_close(self) -> None:
        self.dismiss(None)
