"""The instructor's class report (dashboard `i`): three tabs of tables from
`Collection.class_report.report()`, read on the study thread.

Questions: answers, facility, discrimination and discriminative efficiency, flagged ones
(strong learners miss them) first and marked "!". Misconceptions: per practice family, most
common first, with how many learners made each. Learners: reviews in the last 7 days, last
activity, best exam, mastery per domain; the highlighted learner's mastery by topic below.
Which learners appear is the database's business (row-level security on PostgreSQL: a
learner's role sees only themself). Bank and learner text is never markup (rich Text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from quizapp.tui.format import percent, plural, when
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter

if TYPE_CHECKING:
    from quizapp.classroom.report import ClassReport, ItemStats, LearnerStats
    from quizapp.collection import Collection

TABS = (("questions", "Questions"), ("misconceptions", "Misconceptions"), ("learners", "Learners"))
FLAG = "!"


def read_class_report(study: Collection) -> tuple[ClassReport, dict[str, str]]:
    """The report, and the labels of the topics it names (on the study thread: a file read)."""
    from quizapp.bank.taxonomy import topic_labels

    report = study.class_report.report()
    topics = {i.topic for i in report.items} | {t for x in report.learners for t, _ in x.topics}
    return report, topic_labels(topics)


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def item_cells(item: ItemStats, labels: dict[str, str]) -> list[Text]:
    flag = Text(FLAG, "bold red") if item.flagged else Text("?" if item.dubious else "", "dim")
    return [
        flag,
        Text(item.id),
        Text(str(item.answers), justify="right"),
        Text(percent(item.facility), justify="right"),
        Text(_signed(item.discrimination), "red" if item.flagged else "", justify="right"),
        Text(percent(item.efficiency), justify="right"),
        Text(labels.get(item.topic, item.topic)),
    ]


def mastery_text(learner: LearnerStats, labels: dict[str, str]) -> Text:
    text = Text()
    text.append(learner.name, "bold")
    text.append("  mastery by topic (mean recall now, never studied = 0)\n", "dim")
    if not learner.topics:
        text.append("No cards yet.", "dim")
    for n, (topic, value) in enumerate(learner.topics):
        text.append(("  " if n else "") + labels.get(topic, topic))
        text.append(f" {percent(value)}", "bold")
    return text


class ClassReportScreen(QuizAppScreen[None]):
    """Questions, misconceptions and learners of every learner the database shows."""

    CSS_PATH = styles(["class_report.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                str(n),
                f"show_tab('{tab}')",
                label,
                show=False,
                id=f"class.{tab}",
                tooltip=f"Show the {label.lower()} tab",
            )
            for n, (tab, label) in enumerate(TABS, start=1)
        ),
        Binding("f5", "reload", "Reload", id="class.reload", tooltip="Read the report again"),
        Binding("escape", "app.back", "Back", id="class.back", tooltip="Back to the dashboard"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: ClassReport | None = None
        self.labels: dict[str, str] = {}  # topic id -> label

    def compose(self) -> ComposeResult:
        yield Static("Reading the class…", id="class-summary")
        with TabbedContent(id="class-tabs"):
            for n, (tab, label) in enumerate(TABS, start=1):
                with TabPane(f"{n} {label}", id=tab):
                    yield DataTable(id=f"{tab}-table", cursor_type="row", zebra_stripes=True)
                    if tab == "learners":
                        yield Static("", id="learner-detail", classes="panel")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        self.on_study(
            "read the class report",
            read_class_report,
            self._loaded,
            retry=self.load,
            group="class-report",
            exclusive=True,
        )

    def action_reload(self) -> None:
        self.load()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-table", DataTable).focus()

    def _loaded(self, read: tuple[ClassReport, dict[str, str]]) -> None:
        report, self.labels = read
        self.report = report
        flagged = sum(i.flagged for i in report.items)
        summary = Text()
        learners, items = plural(len(report.learners), "learner"), len(report.items)
        summary.append(f"{learners} · {plural(items, 'question')} answered")
        if flagged:
            summary.append(f" · {flagged} flagged {FLAG} (strong learners miss them)", "bold red")
        self.query_one("#class-summary", Static).update(summary)
        self._questions(report)
        self._misconceptions(report)
        self._learners(report)

    def _questions(self, report: ClassReport) -> None:
        table = self.query_one("#questions-table", DataTable)
        table.clear(columns=True)
        for label in ("", "Question", "Answers", "Facility", "Discrim.", "Efficiency", "Topic"):
            table.add_column(label, key=label or "flag")
        for item in report.items:
            table.add_row(*item_cells(item, self.labels), key=item.id)
        if not report.items:
            table.add_row(Text(""), Text("No quiz answers yet.", "dim"), *[Text("")] * 5)

    def _misconceptions(self, report: ClassReport) -> None:
        table = self.query_one("#misconceptions-table", DataTable)
        table.clear(columns=True)
        for label in ("Family", "Misconception", "Count", "Learners"):
            table.add_column(label, key=label.lower())
        for m in report.misconceptions:
            table.add_row(
                Text(m.family or "(bank question)", "" if m.family else "dim"),
                Text(m.name),
                Text(str(m.count), justify="right"),
                Text(str(m.learners), justify="right"),
            )
        if not report.misconceptions:
            table.add_row(Text("No named misconceptions yet.", "dim"), *[Text("")] * 3)

    def _learners(self, report: ClassReport) -> None:
        table = self.query_one("#learners-table", DataTable)
        table.clear(columns=True)
        domains = sorted({d for x in report.learners for d, _ in x.domains})
        for label in ("Learner", "Reviews 7d", "Last active", "Best exam", *domains):
            table.add_column(Text(label), key=label)
        now, tz = self.quiz_app.clock(), self.quiz_app.tz
        for x in report.learners:
            mastery = dict(x.domains)
            table.add_row(
                Text(x.name),
                Text(str(x.reviews_7d), justify="right"),
                Text("never" if x.last_active is None else when(x.last_active, now, tz)),
                Text(percent(x.best_exam), justify="right"),
                *(Text(percent(mastery.get(d)), justify="right") for d in domains),
                key=x.name,
            )
        detail = self.query_one("#learner-detail", Static)
        if report.learners:
            detail.update(mastery_text(report.learners[0], self.labels))
        else:
            table.add_row(Text("No learners yet.", "dim"), *[Text("")] * 3)
            detail.update("")

    @on(DataTable.RowHighlighted, "#learners-table")
    def _learner_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.report is None or not self.report.learners:
            return
        learner = next((x for x in self.report.learners if x.name == event.row_key.value), None)
        if learner is not None:
            self.query_one("#learner-detail", Static).update(mastery_text(learner, self.labels))
