"""Choose what to study (Anki's decks): every card, one bank's, or one topic's; or cram
(review ahead without rescheduling: one topic's studied cards, or those due before a date)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.reviews.cram import CramChoice
from quizapp.reviews.model import StudyChoice
from quizapp.tui.screens.base import QuizAppModal, on_study
from quizapp.tui.widgets.app_footer import AppFooter


def choice_label(choice: StudyChoice, topic_labels: dict[str, str]) -> str:
    if choice.kind == "all":
        return "All banks"
    if choice.kind == "bank":
        return f"Bank   {choice.name}"
    label = topic_labels.get(choice.name, choice.name)
    return f"Topic  {label}" + (f" ({choice.name})" if label != choice.name else "")


CRAM_ID = "cram"  # the study list's last option: cram (review ahead)
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
                None,
                Option(Text("Cram: review ahead (a topic, or due before a date)…"), id=CRAM_ID),
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
        if event.option_id == CRAM_ID:
            topics = [c.name for c in self.choices if c.kind == "topic"]
            self.app.push_screen(CramDialog(topics, self.topic_labels), self._cram)
            return
        self.dismiss(self.choices[int(event.option_id or 0)])

    def _cram(self, choice: CramChoice | None) -> None:
        """Start the cram session, then go through it on the review screen in cram mode."""
        if choice is None:
            return
        from quizapp.errors import QuizappError
        from quizapp.tui.screens.review import ReviewScreen

        app = self.app

        def started(_count: int) -> None:
            self.dismiss(None)
            app.push_screen(ReviewScreen(cram=True))

        def failed(err: Exception) -> None:
            if isinstance(err, QuizappError):  # e.g. nothing to cram: one line, stay here
                app.notify(str(err), severity="warning", markup=False)
            else:
                self.quiz_app.study_failed("start cramming", err)

        on_study(self, "start cramming", lambda s: s.cram.start(choice), started, failed=failed)

    def action_close(self) -> None:
        self.dismiss(None)


def parse_day(text: str) -> date | None:
    """The date typed in the cram dialog (YYYY-MM-DD); None when empty; ValueError if bad."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"cram: due before {text!r} is not a date (YYYY-MM-DD)") from None


class CramDialog(QuizAppModal[CramChoice | None]):
    """Cram: every studied card, or one topic's; optionally only those due before a date.
    Nothing is rescheduled: the answers go to the cram log."""

    DEFAULT_CSS = """
    CramDialog { align: center middle; }
    CramDialog #cram-box {
        width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    CramDialog #cram-list { height: auto; max-height: 20; border: none; }
    CramDialog #cram-date { margin: 0 0 1 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="cram.close"),
    ]

    def __init__(self, topics: Sequence[str], topic_labels: dict[str, str] | None = None) -> None:
        super().__init__()
        self.topics = tuple(topics)
        self.topic_labels = topic_labels or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="cram-box") as box:
            box.border_title = "Cram: review ahead"
            box.border_subtitle = "nothing is rescheduled"
            yield Static("Only cards due before (YYYY-MM-DD, empty for all):", markup=False)
            yield Input(placeholder="YYYY-MM-DD", id="cram-date")
            yield OptionList(
                Option(Text("Every studied card"), id="all"),
                *(
                    Option(choice_prompt(StudyChoice("topic", t), self.topic_labels), id=f"t{i}")
                    for i, t in enumerate(self.topics)
                ),
                id="cram-list",
            )
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        found = self.query_one("#cram-list", OptionList)
        found.highlighted = 0
        found.focus()

    @on(Input.Submitted, "#cram-date")
    def _date_entered(self, event: Input.Submitted) -> None:
        event.stop()
        found = self.query_one("#cram-list", OptionList)
        self._choose(found.highlighted or 0)

    @on(OptionList.OptionSelected, "#cram-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        try:
            due = parse_day(self.query_one("#cram-date", Input).value)
        except ValueError as err:
            self.notify(str(err), severity="error", markup=False)
            self.query_one("#cram-date", Input).focus()
            return
        topic = self.topics[index - 1] if index > 0 else None
        self.dismiss(CramChoice(topic=topic, due_before=due))

    def action_close(self) -> None:
        self.dismiss(None)
