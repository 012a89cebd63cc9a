"""The stats screen with Pilot on a seeded database file: what it shows is what the study's
aggregates say, the window and tab keys, a failure as a dialog; and snapshots of the tabs."""

from __future__ import annotations

import io
import random
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from quiz_records import record_quiz
from textual.pilot import Pilot
from textual.widgets import Static, TabbedContent
from textual_plotext import PlotextPlot
from tui_support import START, FakeClock, db_url, make_app, open_study, shown, until

from quizapp.bank.model import Item, Source
from quizapp.collection import open_collection
from quizapp.errors import StoreError
from quizapp.practice import PracticeAttempt
from quizapp.quiz import QuizAnswer
from quizapp.stats.service import Stats
from quizapp.tui.screens.dialogs import ErrorDialog
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.chart_calendar import CalendarHeatmap, levels
from quizapp.tui.widgets.memory_tables import amount

TOPICS = (  # with their MLA-C01 domains (the default exam's: the mastery tab's domains)
    ("neurons", "ML Model Development"),
    ("activations", "ML Model Development"),
    ("losses", "ML Model Development"),
    ("aws", "Deployment and Orchestration of ML Workflows"),
    ("ml-basics", "Data Preparation for ML"),
)
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "weights")
ITEMS: tuple[Item, ...] = tuple(
    Item(f"st-{i:02d}", "flashcard", "stats", SRC, *TOPICS[i % len(TOPICS)], "easy", f"q{i}", "a")
    for i in range(40)
)
DAYS = 45
SKIPPED = {5, 6, 13, 20, 21, 22, 30}
EXAM_DAYS = {36: "mla-c01", 18: "mla-c01", 12: "mls-c01"}  # days before START: full exams


def seed_history(path: Path) -> None:
    """45 days of study before START (a few days off), with quizzes and full-length exams of
    both profiles (MLA-C01 passes at 720, the chart's line; MLS-C01 at 750)."""
    rng = random.Random(11)
    clock = FakeClock(START - timedelta(days=DAYS))
    study = open_collection(f"sqlite:///{path}", ITEMS, clock=clock)
    study.settings.save(replace(study.settings.current(), new_card_order="bank"))
    for day in range(DAYS, 0, -1):
        if DAYS - day in SKIPPED:
            continue
        clock.set(START - timedelta(days=day) + timedelta(hours=rng.randint(0, 8)))
        for _ in range(rng.randint(6, 16)):
            card = study.reviews.next_card()
            if card is None:
                break
            clock.advance(seconds=25)
            if card.is_skill:
                right = rng.random() < 0.7
                study.practice.record(
                    PracticeAttempt(f"{card.family}@{day}", card.family or "",
                                    card.difficulty or "easy", "1", 1.0, right, None, False,
                                    30.0, card.card_id),
                    card,
                )  # fmt: skip
            else:
                study.reviews.answer(card, rng.choices([1, 2, 3, 4], [12, 13, 60, 15])[0], 7.0)
        if day % 6 == 0:
            mode = "exam" if day in EXAM_DAYS else "practice"
            answers = []
            for pos in range(10):
                ok = rng.random() < 0.5 + 0.4 * (DAYS - day) / DAYS
                topic, domain = TOPICS[pos % len(TOPICS)]
                answers.append(QuizAnswer(pos, f"q-{pos}", topic, domain, (0,), None, ok))
            right = sum(bool(a.correct) for a in answers)
            profile = EXAM_DAYS.get(day, "practice")
            count = 65 if mode == "exam" else 10
            record_quiz(study, mode, profile, count, answers, score=100 + round(900 * right / 10))
    study.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeded")
    seed_history(folder / "progress.db")
    return folder / "progress.db"


def app_on(seeded: Path, tmp_path: Path, clock: FakeClock | None = None):
    """The app on a copy of the seeded database."""
    for suffix in ("", "-wal"):
        source = seeded.with_name(seeded.name + suffix)
        if source.exists():
            shutil.copy(source, tmp_path / f"progress.db{suffix}")
    return make_app(tmp_path, ITEMS, clock=clock or FakeClock(START))


async def open_stats(pilot: Pilot, tab: str | None = None) -> StatsScreen:
    from tui_support import dashboard_ready

    await dashboard_ready(pilot)
    await pilot.press("s")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.history is not None)
    if tab is not None:
        await pilot.press(tab)
    await pilot.pause(0.2)
    return screen


def note(screen: StatsScreen, name: str) -> str:
    return shown(screen.query_one(f"#{name}-note", Static))


async def test_the_screen_shows_the_study_history(seeded: Path, tmp_path: Path) -> None:
    app = app_on(seeded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        study = open_study(tmp_path, ITEMS)
        want, stats = study.stats.history(30), study.stats.summary()
        study.close()
        assert screen.history == want and screen.days == 30
        total = sum(want.answers)
        mean = total / 30
        daily = f"{mean:.1f}" if mean < 10 else f"{mean:.0f}"
        assert f"{total:,} reviews in 30 days, {daily} a day" in note(screen, "reviews")
        assert f"Studied on {want.active_days} of 30 days" in note(screen, "reviews")
        assert f"true {round(100 * want.true_retention)}%" in note(screen, "retention")
        assert f"predicted {round(100 * want.predicted_retention)}%" in note(screen, "retention")
        assert f"Due today {stats.due_today}" in note(screen, "forecast")
        assert f"next 30 days {sum(stats.forecast)}" in note(screen, "forecast")
        assert f"Streak {want.streak_days} day" in note(screen, "calendar")
        assert f"{len(want.scores)} attempts" in note(screen, "scores")
        # the line is the default exam's pass mark; each exam is judged by its own profile's
        assert "MLA-C01 pass mark 720" in note(screen, "scores")
        exams = [p for p in want.scores if p.chart_mode == "exam"]
        marks = {"mla-c01": 720, "mls-c01": 750}
        passes = sum(p.scaled >= marks[p.profile] for p in exams)
        assert f"exams passed: {passes} of {len(exams)}" in note(screen, "scores")
        chart = screen.query_one("#scores-chart", PlotextPlot).plt.build()
        assert "pass 750" in chart and "pass 720" not in chart  # only the other exam's mark
        heatmap = screen.query_one(CalendarHeatmap)
        assert heatmap.counts == want.calendar and heatmap.first_day == want.calendar_first_day
        bars = screen.query_one("#topic-bars")
        assert {t.topic: t.mastery for t in bars.topics} == stats.topics
        assert {t.topic: t.mastery for t in screen.query_one("#domain-bars").topics} == (
            stats.domains
        )


async def test_window_and_tab_keys(seeded: Path, tmp_path: Path) -> None:
    app = app_on(seeded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        tabs = screen.query_one(TabbedContent)
        for key, tab in zip("123456", ("reviews", "calendar", "retention", "forecast",
                                       "mastery", "scores"), strict=True):  # fmt: skip
            await pilot.press(key)
            assert tabs.active == tab
        for days in (90, 365, 30):
            await pilot.press("d")
            await until(pilot, lambda d=days: screen.history.days == d)
            assert screen.days == days
        await pilot.press("1")
        chart = screen.query_one("#reviews-chart", PlotextPlot)
        assert "last 30 days" in chart.plt.build()  # the title follows the window
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, StatsScreen))


async def test_a_failing_query_opens_the_error_dialog(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self, days: int = 30):
        raise StoreError("cannot read the progress database: disk I/O error")

    monkeypatch.setattr(Stats, "history", broken)
    app = app_on(seeded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        from tui_support import dashboard_ready

        await dashboard_ready(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert "disk I/O error" in shown(app.screen.query_one("#error-detail", Static))
        assert "load your statistics" in shown(app.screen.query_one("#error-what", Static))


def test_calendar_levels_are_quartiles_of_the_active_days() -> None:
    assert levels([0, 0]) == [0, 0]
    assert levels([0, *range(1, 9)]) == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert levels([0, 1, 2, 3, 4, 100]) == [0, 1, 1, 2, 3, 4]
    assert levels([5, 5, 5]) == [1, 1, 1]


class TestSnapshots:
    def test_reviews(self, snap_compare, seeded: Path, tmp_path: Path) -> None:
        """Reviews a day over the last 30 days, with the totals under the chart."""
        assert snap_compare(app_on(seeded, tmp_path), run_before=open_stats)

    def test_calendar(self, snap_compare, seeded: Path, tmp_path: Path) -> None:
        """A year of study days as a heat map, with the streak."""

        async def run_before(pilot: Pilot) -> None:
            await open_stats(pilot, "2")

        assert snap_compare(app_on(seeded, tmp_path), run_before=run_before)

    def test_retention_over_90_days(self, snap_compare, seeded: Path, tmp_path: Path) -> None:
        """True retention beside FSRS's prediction and the desired level, 90 days."""

        async def run_before(pilot: Pilot) -> None:
            screen = await open_stats(pilot, "3")
            await pilot.press("d")
            await until(pilot, lambda: screen.history.days == 90)
            await pilot.pause(0.2)

        assert snap_compare(app_on(seeded, tmp_path), run_before=run_before)

    def test_mastery(self, snap_compare, seeded: Path, tmp_path: Path) -> None:
        """Mastery per topic and per exam domain."""

        async def run_before(pilot: Pilot) -> None:
            await open_stats(pilot, "5")

        assert snap_compare(app_on(seeded, tmp_path), run_before=run_before)

    def test_scores_light_theme(self, snap_compare, seeded: Path, tmp_path: Path) -> None:
        """Quiz and exam scores over time with the pass mark, in the light theme."""

        async def run_before(pilot: Pilot) -> None:
            await open_stats(pilot, "6")
            pilot.app.action_toggle_theme()
            await pilot.pause(0.2)

        assert snap_compare(app_on(seeded, tmp_path), run_before=run_before)

    def test_forecast(self, snap_compare, seeded: Path, tmp_path: Path) -> None:
        """Cards due on each of the next 30 days."""

        async def run_before(pilot: Pilot) -> None:
            await open_stats(pilot, "4")

        assert snap_compare(app_on(seeded, tmp_path), run_before=run_before)


def test_the_seeded_history_has_what_the_snapshots_show(seeded: Path, tmp_path: Path) -> None:
    shutil.copy(seeded, tmp_path / "progress.db")
    study = open_collection(db_url(tmp_path), ITEMS, clock=FakeClock(START))
    history = study.stats.history(90)
    study.close()
    assert sum(history.answers) > 200 and 0 < history.true_retention < 1
    assert {p.mode for p in history.scores} == {"practice", "exam"}
    month = [p for p in history.scores if (START - p.finished_at).days < 30]
    assert {p.profile for p in month if p.chart_mode == "exam"} == {"mla-c01", "mls-c01"}
    assert history.longest_streak >= 5 and history.active_days == DAYS - len(SKIPPED)


def table_text(widget: Static, width: int = 78) -> str:
    """What a Static holding a Rich table shows, as plain text."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def test_the_memory_tab_shows_true_retention_and_the_workload(
    seeded: Path, tmp_path: Path
) -> None:
    app = app_on(seeded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        assert screen.workload is None  # simulated only once the memory tab is shown
        await pilot.press("7")
        assert screen.query_one(TabbedContent).active == "memory"
        await until(pilot, lambda: screen.workload is not None)
        study = open_study(tmp_path, ITEMS)
        want, workload = study.stats.true_retention(), study.stats.workload()
        study.close()
        assert screen.true_retention == want and screen.workload == workload
        assert not screen.query_one("#workload-progress").display
        assert "desired 90%" in shown(screen.query_one("#true-retention-title", Static))
        table = table_text(screen.query_one("#true-retention-table", Static))
        for row in want.rows:
            line = next(x for x in table.splitlines() if x.strip().startswith(row.label))
            counts = [row.young.count, row.mature.count, row.total.count]
            assert [int(c.replace(",", "")) for c in line.split()[-5::2]] == counts, line
            if row.total.rate is not None:
                assert f"{100 * row.total.rate:.1f}%" in line
        plan = table_text(screen.query_one("#workload-table", Static))
        now = next(x for x in plan.splitlines() if "(now)" in x)
        current = workload.current.load(30)
        assert now.split()[0] == "90%"
        assert f"{amount(current.reviews)} rev · {amount(current.minutes)} min" in now
        assert len([x for x in plan.splitlines() if "% " in x]) == 4  # 80, 85, 90, 95 %
        note_text = note(screen, "workload")
        assert f"{workload.studied_cards} cards studied" in note_text
        # another tab, or another window of days, does not simulate again
        shown_now = screen.workload
        await pilot.press("1")
        await pilot.press("d")
        await until(pilot, lambda: screen.history.days == 90)
        await pilot.press("7")
        await pilot.pause(0.2)
        assert screen.workload is shown_now


async def test_the_screen_stays_responsive_while_simulating(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow simulation: the progress bar moves, other tabs and keys work meanwhile, and
    leaving the screen cancels it."""
    import threading

    from quizapp.stats import workload as module

    release = threading.Event()
    real = module.simulate

    def slow(*args, progress=None, **kwargs):
        def step(done: int, total: int) -> None:
            if done == 30:
                release.wait(5)
            if progress is not None:
                progress(done, total)

        return real(*args, progress=step, **kwargs)

    monkeypatch.setattr(module, "simulate", slow)
    app = app_on(seeded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "7")
        bar = screen.query_one("#workload-progress")
        await until(pilot, lambda: bar.progress >= 15)
        assert bar.display and screen.workload is None
        await pilot.press("2")  # the screen answers while the worker waits
        assert screen.query_one(TabbedContent).active == "calendar"
        await pilot.press("7")
        release.set()
        await until(pilot, lambda: screen.workload is not None)
        assert not bar.display
        assert "(now)" in table_text(screen.query_one("#workload-table", Static))


async def test_leaving_the_screen_while_simulating(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from quizapp.stats import workload as module

    release, stopped = threading.Event(), threading.Event()
    real = module.simulate

    def slow(*args, progress=None, **kwargs):
        def step(done: int, total: int) -> None:
            if done == 30:
                release.wait(5)
            try:
                if progress is not None:
                    progress(done, total)
            except BaseException:
                stopped.set()
                raise

        return real(*args, progress=step, **kwargs)

    monkeypatch.setattr(module, "simulate", slow)
    app = app_on(seeded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "7")
        await until(pilot, lambda: screen.query_one("#workload-progress").progress >= 15)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, StatsScreen))
        release.set()
        await until(pilot, stopped.is_set)  # the worker was cancelled: it stops
        await pilot.pause(0.2)
        assert screen.workload is None and app.return_code is None
