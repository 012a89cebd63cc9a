"""The first screen: what is due today, streak, exam countdown, mastery, and the ways in."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from quizapp.tui.format import exam_line, percent, plural, until, when
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.widgets.mastery import MasteryBars

if TYPE_CHECKING:
    from quizapp.stats import Dashboard


class DashboardScreen(QuizAppScreen[None]):
    """Today at a glance. Filled from a worker once the database is open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "app.review",
            "Review",
            id="dashboard.review",
            tooltip="Flashcard review: today's due cards",
        ),
        Binding(
            "p",
            "app.practice",
            "Practice",
            id="dashboard.practice",
            tooltip="Computed practice problems",
        ),
        Binding("q", "app.quiz", "Quiz", id="dashboard.quiz", tooltip="A quiz with feedback"),
        Binding(
            "e",
            "app.exam",
            "Exam",
            id="dashboard.exam",
            tooltip="Timed exam simulation; resume or review past attempts",
        ),
        Binding("s", "app.stats", "Stats", id="dashboard.stats", tooltip="Charts of your progress"),
        Binding(
            "b", "app.browse", "Browse", id="dashboard.browse", tooltip="Search the question banks"
        ),
        Binding("o", "app.settings", "Options", id="dashboard.settings", tooltip="Settings"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Dashboard | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="dash-top"):
            with Vertical(id="dash-left"):
                today = Static("Opening your progress…", id="today", classes="panel")
                today.border_title = "Today"
                yield today
                exam = Static("", id="exam", classes="panel")
                exam.border_title = "Exam"
                yield exam
            with Vertical(id="mastery-panel", classes="panel") as panel:
                panel.border_title = "Mastery by topic"
                yield MasteryBars(id="mastery")
        yield Static("", id="ways-in")
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        self.on_study(
            "load your dashboard",
            lambda study: study.stats.dashboard(),
            self.show,
            retry=self.load,
            group="dashboard",
            exclusive=True,
        )

    def show(self, dashboard: Dashboard) -> None:
        app = self.quiz_app
        data = self.data = dashboard
        now = app.clock()
        due = data.due
        first_run = (
            data.reviews_today == 0 and data.streak_days == 0 and due.learning + due.review == 0
        )
        lines = ["[b $text-accent]Welcome![/]", "Press r to start.", ""] if first_run else []
        lines += [
            f"[b]{due.total}[/b] due today",
            f"  learning [b]{due.learning:>4}[/b]",
            f"  review   [b]{due.review:>4}[/b]",
            f"  new      [b]{due.new:>4}[/b]",
            "",
            f"Streak   {plural(data.streak_days, 'day')}",
            f"Reviewed {data.reviews_today} today",
        ]
        if due.total == 0 and data.next_due is not None:
            lines.append(
                f"Next due {until(data.next_due, now)} ({when(data.next_due, now, app.tz)})"
            )
        self.query_one("#today", Static).update("\n".join(lines))

        exam = self.query_one("#exam", Static)
        if data.exam_date is None or data.days_to_exam is None:
            exam.update("[dim]No exam date set.[/dim]")
        else:
            recall = percent(data.exam_day_recall)
            exam.update(
                f"{exam_line(data.exam_date, data.days_to_exam)}\nRecall on exam day: {recall}"
            )

        self.query_one(MasteryBars).show(data.topics)
        review = f"{due.total} due" if due.total else "nothing due"
        self.query_one("#ways-in", Static).update(
            f" [b]r[/b] Review ({review})  [b]p[/b] Practice  [b]q[/b] Quiz  [b]e[/b] Exam"
            "  [b]?[/b] Help"
        )
