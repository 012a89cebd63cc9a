"""Stats: reviews per day, retention, the due forecast, the streak calendar, mastery, scores,
and the memory tab (true retention beside desired retention; the workload at a few
retentions, "help me decide").

Everything but the workload comes from one call on the study thread (`read_stats`:
`Stats.summary()`, `Stats.history(days)` and `Stats.true_retention()`, SQL aggregates); `d`
switches the window between 30, 90 and 365 days and reloads. The charts are textual-plotext
plots coloured from the current theme. The workload is simulated when the memory tab is first
shown after a load: its inputs are read on the study thread, the simulation runs in a thread
worker of its own (the study thread stays free, the screen responsive) with a progress bar.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import ProgressBar, Static, TabbedContent, TabPane
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from quizapp.tui.format import percent, plural
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.chart_calendar import CalendarHeatmap
from quizapp.tui.widgets.chart_plots import (
    Palette,
    draw_forecast,
    draw_retention,
    draw_reviews,
    draw_scores,
)
from quizapp.tui.widgets.mastery import MasteryBars
from quizapp.tui.widgets.scrolling import ScrollBox, scroll_bindings, scroll_box

if TYPE_CHECKING:
    from quizapp.collection import Collection
    from quizapp.stats import History, ScorePoint, StudyStats
    from quizapp.stats.retention import TrueRetention
    from quizapp.stats.workload import Workload, WorkloadInputs

WINDOWS = (30, 90, 365)
TABS = (
    ("reviews", "Reviews"),
    ("calendar", "Calendar"),
    ("retention", "Retention"),
    ("forecast", "Forecast"),
    ("mastery", "Mastery"),
    ("scores", "Scores"),
    ("memory", "Memory"),
)


class _Cancelled(Exception):
    """The workload worker was cancelled (the screen reloaded or closed)."""


def read_stats(study: Collection, days: int) -> tuple[StudyStats, History, TrueRetention]:
    """Everything the stats screen shows but the workload, in one call on the study thread."""
    return study.stats.summary(), study.stats.history(days), study.stats.true_retention()


def per_day_text(total: int, days: int) -> str:
    """A daily mean: one decimal below 10 ('0.4', '3.5'), whole above ('14')."""
    mean = total / days
    return f"{mean:.1f}" if mean < 10 else f"{mean:.0f}"


def bin_size(days: int) -> int:
    """Days per bar: one a day for a month, weekly beyond."""
    return 1 if days <= 31 else 7


def retention_window(days: int) -> int:
    """Days behind each point of the retention lines: a week, four for a year."""
    return max(7, days // 13)


class StatsScreen(QuizAppScreen[None]):
    """Six tabs of charts over one window of days."""

    CSS_PATH = styles(["stats.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                str(n),
                f"show_tab('{tab}')",
                label,
                show=False,  # the tab bar shows the keys
                id=f"stats.{tab}",
                tooltip=f"Show the {label.lower()} tab",
            )
            for n, (tab, label) in enumerate(TABS, start=1)
        ),
        Binding(
            "d",
            "window",
            "Days",
            id="stats.window",
            tooltip="Last 30, 90 or 365 days",
        ),
        Binding("escape", "app.back", "Back", id="stats.back", tooltip="Back to the dashboard"),
        # the tab bar keeps focus (left and right switch tabs): these scroll the tab shown
        *scroll_bindings("stats", "tab"),
    ]

    def __init__(self, days: int = WINDOWS[0]) -> None:
        super().__init__()
        self.days = days
        self.stats: StudyStats | None = None
        self.history: History | None = None
        self.true_retention: TrueRetention | None = None
        self.workload: Workload | None = None
        self._workload_started = False  # since the screen was last shown
        self._workload_stale = True

    def compose(self) -> ComposeResult:
        with TabbedContent(id="stats-tabs"):
            with TabPane(self._tab_title("reviews"), id="reviews"):
                yield PlotextPlot(id="reviews-chart")
                yield Static("Loading…", id="reviews-note", classes="note")
            with TabPane(self._tab_title("calendar"), id="calendar"), ScrollBox(id="calendar-box"):
                yield Static("", id="calendar-title", classes="chart-title")
                yield CalendarHeatmap(id="heatmap")
                yield Static("", id="calendar-note", classes="note")
            with TabPane(self._tab_title("retention"), id="retention"):
                yield PlotextPlot(id="retention-chart")
                yield Static("", id="retention-note", classes="note")
            with TabPane(self._tab_title("forecast"), id="forecast"):
                yield PlotextPlot(id="forecast-chart")
                yield Static("", id="forecast-note", classes="note")
            with (
                TabPane(self._tab_title("mastery"), id="mastery"),
                ScrollBox(id="mastery-box"),
            ):
                yield Static("[b]By topic[/b]", classes="chart-title")
                yield MasteryBars(id="topic-bars")
                yield Static("[b]By exam domain[/b]", classes="chart-title")
                yield MasteryBars(id="domain-bars")
            with TabPane(self._tab_title("scores"), id="scores"):
                yield PlotextPlot(id="scores-chart")
                yield Static("", id="scores-note", classes="note")
            with TabPane(self._tab_title("memory"), id="memory"), ScrollBox(id="memory-box"):
                yield Static("", id="true-retention-title", classes="chart-title")
                yield Static("", id="true-retention-table")
                yield Static("", id="true-retention-note", classes="note")
                yield Static(
                    "[b]Workload[/b] · help me decide", id="workload-title", classes="chart-title"
                )
                yield ProgressBar(total=1, show_eta=False, id="workload-progress")
                yield Static("", id="workload-table")
                yield Static("", id="workload-note", classes="note")
        yield AppFooter(compact=True)

    def _tab_title(self, tab: str) -> str:
        """The tab's name after its key, the learner's if rebound: "1 Reviews"."""
        from textual.markup import escape

        from quizapp.tui.keys import shown_keys

        binding = next(b for b in Binding.make_bindings(self.BINDINGS) if b.id == f"stats.{tab}")
        return f"{escape(shown_keys(self.app, binding))} {dict(TABS)[tab]}"

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._draw())

    def on_screen_resume(self) -> None:
        self._workload_stale = True  # cards may have been studied since: simulate again
        self.load()

    # -- talking to the study --------------------------------------------------------------

    def load(self) -> None:
        days = self.days
        self.on_study(
            "load your statistics",
            lambda study: read_stats(study, days),
            self._loaded,
            retry=self.load,
            group="stats",
            exclusive=True,
        )

    def _loaded(self, read: tuple[StudyStats, History, TrueRetention]) -> None:
        self.stats, self.history, self.true_retention = read
        if self._workload_stale:  # (the window of days does not change the workload)
            self.workload, self._workload_started, self._workload_stale = None, False, False
        self._draw()
        self._maybe_workload()

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self._maybe_workload()

    def _maybe_workload(self) -> None:
        """Start the workload simulation once per load, when the memory tab is shown."""
        if self._workload_started or self.true_retention is None:
            return
        if self.query_one(TabbedContent).active != "memory":
            return
        self._workload_started = True
        bar = self.query_one("#workload-progress", ProgressBar)
        bar.update(total=1, progress=0)
        bar.display = True
        self.query_one("#workload-table", Static).update("")
        self._note("workload", "Simulating the next year of reviews…")
        self.on_study(
            "read your cards for the workload",
            lambda study: study.stats.workload_inputs(),
            self._simulate,
            retry=self._retry_workload,
            group="workload",
            exclusive=True,
        )

    def _retry_workload(self) -> None:
        self._workload_started = False
        self._maybe_workload()

    def _simulate(self, inputs: WorkloadInputs) -> None:
        """Run the simulation in a thread worker (CPU only: no store, no study thread)."""
        from quizapp.stats.workload import simulate_workload

        def progress(done: int, total: int) -> None:
            if get_current_worker().is_cancelled:
                raise _Cancelled
            if done % 15 == 0 or done == total:
                self.app.call_from_thread(self._progress, done, total)

        def work() -> None:
            try:
                result = simulate_workload(inputs, progress=progress)
            except _Cancelled:
                return
            except Exception as err:  # one line in the tab; the rest of the screen works
                self.app.call_from_thread(self._workload_failed, err)
                return
            self.app.call_from_thread(self._workload_done, result)

        self.run_worker(work, thread=True, group="workload", exclusive=True, exit_on_error=False)

    def _progress(self, done: int, total: int) -> None:
        if not self.is_mounted:  # left before the worker noticed
            return
        self.query_one("#workload-progress", ProgressBar).update(total=total, progress=done)

    def _workload_failed(self, err: Exception) -> None:
        if not self.is_mounted:
            return
        self.query_one("#workload-progress", ProgressBar).display = False
        self._note("workload", f"Could not simulate the workload: {escape(str(err))}")

    def _workload_done(self, workload: Workload) -> None:
        if not self.is_mounted:
            return
        self.workload = workload
        self.query_one("#workload-progress", ProgressBar).display = False
        self._draw_workload(workload)

    # -- keys ------------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_scroll_box(self, how: str) -> None:
        """Scroll the tab shown, if it scrolls (a chart fits its tab: it is drawn to size)."""
        tabs = self.query_one(TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        box = next(iter(pane.query(ScrollBox)), None) if pane is not None else None
        if box is not None:
            scroll_box(box, how)

    def action_window(self) -> None:
        self.days = WINDOWS[(WINDOWS.index(self.days) + 1) % len(WINDOWS)]
        self.load()

    # -- drawing ---------------------------------------------------------------------------

    def _draw(self) -> None:
        if self.stats is None or self.history is None or not self.is_mounted:
            return
        palette = Palette.from_theme(self.app.theme_variables)
        self._draw_reviews(self.history, palette)
        self._draw_calendar(self.history)
        self._draw_retention(self.history, palette)
        self._draw_forecast(self.stats, self.history, palette)
        self._draw_mastery(self.stats)
        self._draw_scores(self.history, palette)
        if self.true_retention is not None:
            self._draw_true_retention(self.true_retention, palette)
        if self.workload is not None:
            self._draw_workload(self.workload)

    def _note(self, name: str, text: str) -> None:
        self.query_one(f"#{name}-note", Static).update(text)

    def _plot(self, name: str) -> PlotextPlot:
        plot = self.query_one(f"#{name}-chart", PlotextPlot)
        plot.refresh()
        return plot

    def _draw_reviews(self, h: History, palette: Palette) -> None:
        draw_reviews(self._plot("reviews").plt, h, bin_size(h.days), palette)
        total = sum(h.answers)
        self._note(
            "reviews",
            f"[b]{total:,}[/b] reviews in {h.days} days, [b]{per_day_text(total, h.days)}[/b] "
            "a day · "
            f"{plural(sum(h.new_cards), 'new card')} seen\n"
            f"Studied on {h.active_days} of {h.days} days · "
            f"[dim]d shows the last {self._next_window()} days[/dim]",
        )

    def _next_window(self) -> int:
        return WINDOWS[(WINDOWS.index(self.days) + 1) % len(WINDOWS)]

    def _draw_calendar(self, h: History) -> None:
        active = plural(sum(1 for n in h.calendar if n), "active day")
        self.query_one("#calendar-title", Static).update(
            f"[b]Study days[/b] · the last year, {active}"
        )
        self.query_one(CalendarHeatmap).show(h.calendar_first_day, h.calendar)
        busiest = (
            max(range(len(h.calendar)), key=lambda i: h.calendar[i]) if any(h.calendar) else None
        )
        best = ""
        if busiest is not None:
            day = h.calendar_first_day + timedelta(days=busiest)
            best = f" · busiest day {day.day} {day:%b %Y} ({h.calendar[busiest]:,} answers)"
        self._note(
            "calendar",
            f"Streak [b]{plural(h.streak_days, 'day')}[/b] · longest "
            f"{plural(h.longest_streak, 'day')}{best}",
        )

    def _draw_retention(self, h: History, palette: Palette) -> None:
        draw_retention(self._plot("retention").plt, h, retention_window(h.days), palette)
        n = sum(h.review_answers)
        p = palette
        if n:
            text = (
                f"[{p.hex('review')}]•[/] true [b]{percent(h.true_retention)}[/b]  "
                f"[{p.hex('new')}]•[/] FSRS predicted [b]{percent(h.predicted_retention)}[/b]  "
                f"[{p.hex('muted')}]─[/] desired {percent(h.desired_retention)}\n"
                f"Over {plural(n, 'answer')} to review cards in {h.days} days"
            )
        else:
            text = f"No answers to review cards in the last {h.days} days yet."
        self._note("retention", text)

    def _draw_forecast(self, s: StudyStats, h: History, palette: Palette) -> None:
        draw_forecast(self._plot("forecast").plt, s.forecast, h.today, palette)
        week = sum(s.forecast[:7])
        self._note(
            "forecast",
            f"Due today [b]{s.due_today}[/b] · next 7 days [b]{week}[/b] · next 30 days "
            f"[b]{sum(s.forecast)}[/b] · predicted recall now {percent(s.predicted_retention)}",
        )

    def _draw_mastery(self, s: StudyStats) -> None:
        from quizapp.bank.taxonomy import topic_label
        from quizapp.stats import TopicMastery

        self.query_one("#topic-bars", MasteryBars).show(
            [TopicMastery(t, topic_label(t), v) for t, v in s.topics.items()]
        )
        self.query_one("#domain-bars", MasteryBars).show(
            [TopicMastery(d, d, v) for d, v in s.domains.items()]
        )

    def _draw_scores(self, h: History, palette: Palette) -> None:
        from quizapp.quiz import default_profile

        default = default_profile()
        line = default.pass_score
        draw_scores(self._plot("scores").plt, h, self.quiz_app.tz, line, palette, pass_mark)
        p = palette
        text = (
            f"[{p.hex('new')}]●[/] quiz  [{p.hex('review')}]●[/] exam pass  "
            f"[{p.hex('review')}]○[/] fail  "
            f"[{p.hex('muted')}]─[/] {escape(default.code)} pass mark {line} · scale 100-1000\n"
        )
        if not h.scores:
            text += f"No quiz or exam finished in the last {h.days} days."
        else:
            last = h.scores[-1]
            exams = [p for p in h.scores if p.chart_mode == "exam"]
            kind = "exam" if last.chart_mode == "exam" else "quiz"
            text += (
                f"{plural(len(h.scores), 'attempt')} · last: {kind} "
                f"{last.correct}/{last.total} right"
            )
            if exams:
                passed = sum(1 for p in exams if p.scaled >= pass_mark(p))
                text += f" · exams passed: {passed} of {len(exams)}"
        self._note("scores", text)

    def _draw_true_retention(self, t: TrueRetention, palette: Palette) -> None:
        from quizapp.stats.retention import MATURE_DAYS
        from quizapp.tui.widgets.memory_tables import retention_table

        self.query_one("#true-retention-title", Static).update(
            f"[b]True retention[/b] · desired [b]{percent(t.desired_retention)}[/b]"
        )
        self.query_one("#true-retention-table", Static).update(
            retention_table(t, below=f"bold {palette.hex('learning')}")
        )
        year = t.row("year").total
        text = (
            f"Answers to review cards that passed (Hard, Good or Easy) · young: interval under "
            f"{MATURE_DAYS} days · [{palette.hex('learning')}]below desired[/]"
        )
        if not year.count:
            text = "No answers to review cards in the last year yet. " + text
        self._note("true-retention", text)

    def _draw_workload(self, w: Workload) -> None:
        from quizapp.tui.widgets.memory_tables import workload_table

        self.query_one("#workload-table", Static).update(workload_table(w))
        source = "your answer times" if w.times_from_log else "typical answer times"
        self._note(
            "workload",
            f"Per day on average, simulated with FSRS from your {plural(w.studied_cards, 'card')} "
            f"studied and {w.new_cards:,} new · {source}: review "
            f"{w.times.review_seconds:.0f} s, new card {w.times.new_seconds:.0f} s",
        )


def pass_mark(point: ScorePoint) -> int:
    """The pass mark of the exam a score point is an attempt of: its profile's; for a
    profile no longer loaded, the core's stand-in (as the attempts list judges it)."""
    from quizapp.quiz import profile_by_name
    from quizapp.quiz.profiles import PASS_SCORE as UNKNOWN_PROFILE_PASS

    profile = profile_by_name(point.profile)
    return profile.pass_score if profile is not None else UNKNOWN_PROFILE_PASS
