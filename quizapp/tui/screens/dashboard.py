"""The first screen: what is due today, streak, exam countdown, mastery, and the ways in."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from quizapp.tui.format import bar, clock_text, exam_line, percent, plural, until, when
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.text import literal, markup
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.mastery import MasteryBars

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from quizapp.collection import Collection
    from quizapp.plan.model import ExamPlan
    from quizapp.quiz.record import AttemptHeader
    from quizapp.reviews.model import StudyChoice
    from quizapp.stats import Dashboard
    from quizapp.tui.screens.quiz import QuizView


WIDE = 120  # columns from which the dashboard shows the week ahead in a third column
WEEK_BAR = 12


def scope_label(choice: StudyChoice, topic_labels: dict[str, str]) -> str:
    """What review studies, in a few words: "all banks", "bank neurons", "topic Loss functions"."""
    if choice.kind == "all":
        return "all banks"
    if choice.kind == "bank":
        return f"bank {choice.name}"
    return f"topic {topic_labels.get(choice.name, choice.name)}"


def week_ahead(forecast: tuple[int, ...], now: datetime, tz: tzinfo | None) -> Content:
    """Cards due on each of the next seven days, as a day name, a count and a short bar."""
    from datetime import timedelta

    if not forecast:
        return Content.styled("Nothing scheduled yet.", "$text-muted")
    most = max(forecast) or 1
    local = now.astimezone(tz)
    rows = []
    for offset, count in enumerate(forecast):
        name = "Today" if offset == 0 else (local + timedelta(days=offset)).strftime("%a %d")
        filled, _ = bar(count / most, WEEK_BAR)
        rows.append(Content.assemble(f"{name:<7}", (f"{count:>5} ", "bold"), (filled, "$primary")))
    total = sum(forecast)
    rows.append(Content.styled(f"\n{total} due in 7 days", "$text-muted"))
    return Content("\n").join(rows)


def study_choices(study: Collection) -> tuple[list[StudyChoice], StudyChoice, dict[str, str]]:
    """(what can be studied, what is studied now, topic labels), on the study thread."""
    from quizapp.bank.taxonomy import topic_labels

    reviews = study.reviews
    choices = reviews.study_choices()
    return choices, reviews.studying, topic_labels(c.name for c in choices if c.kind == "topic")


def escape_markup(text: str) -> str:
    from textual.markup import escape

    return escape(text)


def plan_lines(plan: ExamPlan, pull_in_key: str) -> list[str]:
    """The exam panel's plan lines (at most 26 cells): recall on exam day with the plan, with
    10 minutes a day more or less, whether the budget covers it and the new cards a day that
    fit, and the after-exam warning with its key."""
    m = plan.minutes_per_day
    fits = "[$success]Fits[/]" if plan.fits_budget else "[$warning]Over budget[/]"
    lines = [
        f"Recall [b]{percent(plan.predicted_recall)}[/b] · {m}m/day",
        f"+10m: {percent(plan.recall_if_more)}  -10m: {percent(plan.recall_if_less)}",
        f"{fits} · {plan.new_per_day:.1f} new/day",
    ]
    if plan.after_exam:
        fix = (
            " pulls in"
            if len(f"{plan.after_exam} after exam: {pull_in_key} pulls in") <= 24
            else ""
        )
        lines.append(f"[$warning]{plan.after_exam} after exam:[/] [b]{pull_in_key}[/b]{fix}")
    return lines


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
        Binding(
            "c",
            "resume",
            "Resume",
            id="dashboard.resume",
            tooltip="Resume the unfinished exam or quiz (its clock starts again)",
        ),
        Binding(
            "d",
            "study",
            "Study…",
            id="dashboard.study",
            tooltip="Choose what to review: all banks, one bank or one topic",
        ),
        Binding(
            "u",
            "pull_in",
            "Pull in",
            id="dashboard.pull_in",
            tooltip="Bring the cards next due after the exam into the final stretch before it",
        ),
        Binding(
            "x",
            "mistakes",
            "Mistakes",
            id="dashboard.mistakes",
            tooltip="The named mistakes you make most, and practice on them",
        ),
        Binding(
            "i",
            "class_report",
            "Class",
            show=False,
            id="dashboard.class_report",
            tooltip="For the instructor: the class's questions, misconceptions and learners",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Dashboard | None = None
        self.unfinished: tuple[AttemptHeader, ...] = ()  # newest first
        self.plan: ExamPlan | None = None  # the exam plan, once computed
        self._plan_progress: float | None = None  # 0..1 while the plan is computed
        self._plan_lines: list[str] = []  # the exam panel's lines before the plan's

    def compose(self) -> ComposeResult:
        with Horizontal(id="dash-top"):
            with Vertical(id="dash-left"):
                today = Static("Opening your progress…", id="today", classes="panel")
                today.border_title = "Today"
                yield today
                exam = Static("", id="exam", classes="panel")
                exam.border_title = "Exam"
                yield exam
                unfinished = Static("", id="unfinished", classes="panel")
                unfinished.border_title = "Unfinished"
                unfinished.display = False
                yield unfinished
            with Vertical(id="mastery-panel", classes="panel") as panel:
                panel.border_title = "Mastery by topic"
                yield MasteryBars(id="mastery")
            coming = Static("", id="coming", classes="panel")
            coming.border_title = "Coming up"
            yield coming
        yield Static("", id="ways-in")
        yield AppFooter(compact=True, show_command_palette=False)

    def action_mistakes(self) -> None:
        from quizapp.tui.screens.mistakes import MistakesScreen

        self.app.push_screen(MistakesScreen())

    def action_class_report(self) -> None:
        from quizapp.tui.screens.class_report import ClassReportScreen

        self.app.push_screen(ClassReportScreen())

    def action_study(self) -> None:
        """Choose what review studies (all banks, a bank, a topic), then review it."""
        self.on_study("list what you can study", study_choices, self._choose_study)

    def _choose_study(self, found: tuple[list[StudyChoice], StudyChoice, dict[str, str]]) -> None:
        from quizapp.tui.screens.study_dialog import StudyDialog

        def chosen(choice: StudyChoice | None) -> None:
            if choice is not None:
                self.on_study(
                    "choose what to study",
                    lambda study: study.reviews.study(choice),
                    lambda _: self.quiz_app.action_review(),
                )

        self.app.push_screen(StudyDialog(*found), chosen)

    def on_screen_resume(self) -> None:
        self.load()

    def on_resize(self) -> None:
        """A wide terminal gets a third column (the week ahead) instead of longer bars."""
        self.set_class(self.size.width >= WIDE, "-wide")

    def load(self) -> None:
        self.on_study(
            "load your dashboard",
            lambda study: study.stats.dashboard(),
            self.show,
            retry=self.load,
            group="dashboard",
            exclusive=True,
        )
        self.on_study(
            "read your unfinished attempts",
            lambda study: study.quizzes.unfinished(),
            self.show_unfinished,
            retry=self.load,
            group="dashboard-attempts",
            exclusive=True,
        )

    def show_unfinished(self, unfinished: tuple[AttemptHeader, ...]) -> None:
        """The newest unfinished exam or quiz: answered / total and time left, and its key."""
        self.unfinished = unfinished
        panel = self.query_one("#unfinished", Static)
        panel.display = bool(unfinished)
        self.refresh_bindings()
        if not unfinished:
            return
        header = unfinished[0]
        kind = "Exam" if header.mode == "exam" else "Quiz"
        lines = [f"{kind} [b]{header.answered}/{header.question_count}[/b] answered"]
        if header.remaining_s is not None:
            lines.append(f"[b]{clock_text(header.remaining_s)}[/b] left")
        more = len(unfinished) - 1
        key = f"[b]{self.key('dashboard.resume')}[/b] resumes"
        lines.append(key + (f" [dim](+{more} more)[/dim]" if more else ""))
        panel.update("\n".join(lines))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return bool(self.unfinished)
        if action == "pull_in":
            return self.plan is not None and self.plan.after_exam > 0
        return True

    # -- the exam plan (computed in a worker; the panel shows its progress) -----------------

    @property
    def planning(self) -> bool:
        """True while the exam plan is being computed."""
        return self._plan_progress is not None

    def start_plan(self) -> None:
        """Compute the exam plan on the study thread; the panel shows how far it got."""
        self._plan_progress = 0.0

        def report(fraction: float) -> None:  # on the study thread: only a number is set
            self._plan_progress = fraction

        def compute(study: Collection) -> ExamPlan | None:
            from quizapp.plan.model import NoExamDate

            try:
                return study.plan.plan(progress=report)
            except NoExamDate:
                return None

        def failed(err: Exception) -> None:
            self._plan_progress = None
            self._show_exam([*self._plan_lines, f"[dim]No plan: {escape_markup(str(err))}[/dim]"])

        self.on_study(
            "plan for exam day",
            compute,
            self.show_plan,
            failed=failed,
            group="dashboard-plan",
            exclusive=True,
        )
        self.set_timer(0.2, self._tick_plan)

    def _tick_plan(self) -> None:
        if self._plan_progress is None or not self.is_attached:
            return
        self._show_exam([*self._plan_lines, f"[dim]Planning… {self._plan_progress:.0%}[/dim]"])
        self.set_timer(0.2, self._tick_plan)

    def show_plan(self, plan: ExamPlan | None) -> None:
        self._plan_progress = None
        self.plan = plan
        self.refresh_bindings()
        if plan is None:
            self._show_exam(self._plan_lines)
            return
        lines = [self._plan_lines[0], *plan_lines(plan, self.key("dashboard.pull_in"))]
        self._show_exam(lines)

    def _show_exam(self, lines: list[str]) -> None:
        self.query_one("#exam", Static).update("\n".join(lines))

    def action_pull_in(self) -> None:
        """Move the cards due after the exam into the final stretch, then plan again."""

        def done(moved: int) -> None:
            self.notify(f"{plural(moved, 'card')} moved into the final stretch before the exam")
            self.load()

        self.on_study(
            "move cards into the final stretch",
            lambda study: study.plan.pull_in(),
            done,
            group="dashboard-go",
        )

    def action_resume(self) -> None:
        """Reopen the newest unfinished attempt where it was left."""
        if not self.unfinished:
            return
        attempt_id = self.unfinished[0].attempt_id
        from quizapp.tui.screens.quiz import QuizScreen, read_view  # off the start-up path

        def reopen(study: Collection) -> QuizView:
            return read_view(study.quizzes.resume(attempt_id))

        def resumed(view: QuizView) -> None:
            if view.results is not None:  # its time had run out: it was submitted
                from quizapp.tui.screens.results import ResultsScreen

                self.app.push_screen(ResultsScreen(view.results))
            else:
                self.app.push_screen(QuizScreen(attempt_id, view))

        self.on_study(
            "resume the attempt", reopen, resumed, retry=self.action_resume, group="dashboard-go"
        )

    def show(self, dashboard: Dashboard) -> None:
        app = self.quiz_app
        data = self.data = dashboard
        now = app.clock()
        due = data.due
        first_run = (
            data.reviews_today == 0 and data.streak_days == 0 and due.learning + due.review == 0
        )
        start = f"Press {self.key('dashboard.review')} to start."
        lines = ["[b $text-accent]Welcome![/]", start, ""] if first_run else []
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
        topic_labels = {t.topic: t.label for t in data.topics}
        studying = Content.assemble(
            markup(f"\n\nStudying [dim]([b]{self.key('dashboard.study')}[/b] changes)[/dim]\n  "),
            literal(scope_label(data.studying, topic_labels)),
        )
        self.query_one("#today", Static).update(markup("\n".join(lines)) + studying)
        self.query_one("#coming", Static).update(week_ahead(data.forecast, now, app.tz))

        if data.exam_date is None or data.days_to_exam is None:
            self._plan_lines = ["[dim]No exam date set.[/dim]"]
            self.plan = None
            self._show_exam(self._plan_lines)
            self.refresh_bindings()
        else:
            recall = percent(data.exam_day_recall)
            self._plan_lines = [
                exam_line(data.exam_date, data.days_to_exam),
                f"Recall on exam day: {recall}",
            ]
            if data.days_to_exam > 0:
                self.start_plan()
            else:
                self._show_exam(self._plan_lines)

        self.query_one(MasteryBars).show(data.topics)
        review = f"{due.total} due" if due.total else "nothing due"
        self.query_one("#ways-in", Static).update(
            f" [b]{self.key('dashboard.review')}[/b] Review ({review})"
            f"  [b]{self.key('dashboard.practice')}[/b] Practice"
            f"  [b]{self.key('dashboard.quiz')}[/b] Quiz  [b]{self.key('dashboard.exam')}[/b] Exam"
            f"  [b]{self.key('app.help')}[/b] Help"
        )

    def key(self, binding_id: str) -> str:
        """The key of a binding of this screen (or the app's) by id, the learner's if
        rebound, as markup: "r", or "v" after `"dashboard.review" = "v"`."""
        from textual.markup import escape

        from quizapp.tui.keys import APP_BINDINGS, shown_keys

        bindings = Binding.make_bindings([*self.BINDINGS, *APP_BINDINGS])
        binding = next(b for b in bindings if b.id == binding_id)
        return escape(shown_keys(self.app, binding))
