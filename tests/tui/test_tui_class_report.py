"""The instructor's class report screen (dashboard `i`), driven with Pilot: three learners'
quizzes in the app's database, the flagged question first and marked, the misconceptions and
the learners' tabs, a learner's mastery below, and names shown as text, never as markup."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static, TabbedContent
from tui_support import BANK, START, dashboard_ready, make_app, shown, until

from quizapp.clock import FakeClock
from quizapp.collection import Collection, build_collection, open_collection
from quizapp.practice import PracticeAttempt
from quizapp.quiz.record import Progress, QuizAnswer
from quizapp.store.cards import study_banks
from quizapp.store.database import open_store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.class_report import ClassReportScreen

ODD_NAME = "[bold]eve[/bold]"  # a learner's name is text, not markup
# each learner's finished quiz: q4 is got right only by the weakest (strong learners miss it)
MARKS = {
    "ann": {"q1": True, "q2": True, "q3": True, "q4": False, "q5": True},
    "bob": {"q1": True, "q2": True, "q3": False, "q4": False, "q5": True},
    ODD_NAME: {"q1": True, "q2": False, "q3": False, "q4": True, "q5": False},
}


def quiz(study: Collection, marks: dict[str, bool]) -> None:
    rec = study.quizzes.recorder()
    at = study.time.clock.now()
    aid = rec.start_attempt(
        mode="practice", profile="practice", question_count=len(marks), time_limit_s=None,
        plan_json='{"version":1}', at=at,
    )  # fmt: skip
    for pos, (item, right) in enumerate(marks.items()):
        note = None if right else "picked_wrong"
        answer = QuizAnswer(pos, item, "neurons", "D", (0,), None, right, False, note)
        rec.save_answer(aid, answer, Progress(pos, 1.0, None), at=at)
    rec.finish(aid, 500, Progress(len(marks) - 1, 5.0, None), at=at)


def a_class(study: Collection) -> None:
    """Three other learners in the app's own database (the app's learner has no quiz)."""
    for name, marks in MARKS.items():
        other = build_collection(open_store(study.store.url, learner=name), clock=study.time.clock)
        try:
            quiz(other, marks)
            other.practice.record(
                PracticeAttempt(
                    "weighted_sum@1",
                    "weighted_sum",
                    "medium",
                    "1",
                    1.0,
                    False,
                    "forgot_bias",
                    False,
                    3.0,
                )
            )
        finally:
            other.close()


def cells(table: DataTable, row: int) -> list[str]:
    return [getattr(c, "plain", str(c)) for c in table.get_row_at(row)]


async def open_report(pilot) -> ClassReportScreen:
    app = pilot.app
    await dashboard_ready(pilot)
    await pilot.press("i")
    await until(
        pilot, lambda: isinstance(app.screen, ClassReportScreen) and app.screen.report is not None
    )
    return app.screen


async def test_i_opens_the_class_report_with_the_flagged_question_first(tmp_path: Path) -> None:
    app = make_app(tmp_path, prepare=a_class)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_report(pilot)
        summary = shown(screen.query_one("#class-summary", Static))
        assert "5 questions answered" in summary and "1 flagged" in summary
        questions = screen.query_one("#questions-table", DataTable)
        assert questions.row_count == 5
        first = cells(questions, 0)
        assert first[:3] == ["!", "q4", "3"] and first[3] == "33%" and first[4].startswith("-")
        assert all(cells(questions, r)[0] != "!" for r in range(1, 5))

        await pilot.press("2")
        assert screen.query_one(TabbedContent).active == "misconceptions"
        mistakes = screen.query_one("#misconceptions-table", DataTable)
        top = cells(mistakes, 0)
        assert top[1:] == ["picked_wrong", "6", "3"]
        assert ["weighted_sum", "forgot_bias", "3", "3"] in [
            cells(mistakes, r) for r in range(mistakes.row_count)
        ]

        await pilot.press("3")
        assert screen.query_one(TabbedContent).active == "learners"
        learners = screen.query_one("#learners-table", DataTable)
        names = [cells(learners, r)[0] for r in range(learners.row_count)]
        assert {"ann", "bob", ODD_NAME} <= set(names)  # the markup shown as typed
        detail = shown(screen.query_one("#learner-detail", Static))
        assert names[0] in detail and "mastery by topic" in detail
        row = names.index(ODD_NAME)
        for _ in range(row):
            await pilot.press("down")
        await until(pilot, lambda: ODD_NAME in shown(screen.query_one("#learner-detail", Static)))

        await pilot.press("escape")
        await dashboard_ready(pilot)


async def test_an_empty_class_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(pilot)
        summary = shown(screen.query_one("#class-summary", Static))
        assert summary.startswith("1 learner · 0 questions answered")  # the app's own learner
        questions = screen.query_one("#questions-table", DataTable)
        assert "No quiz answers yet." in cells(questions, 0)
        await pilot.press("2")
        mistakes = screen.query_one("#misconceptions-table", DataTable)
        assert "No named misconceptions yet." in cells(mistakes, 0)


async def test_the_read_only_report_window_opens_on_the_report_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """`quizapp class report --tui`: the instructor's window syncs no bank (an instructor's
    role may only read) and opens straight on the report."""
    url = f"sqlite:///{tmp_path / 'class.db'}"
    other = build_collection(open_store(url, learner="ann"), clock=FakeClock(START))
    try:
        quiz(other, MARKS["ann"])
    finally:
        other.close()
    clock = FakeClock(START)

    def opener() -> Collection:
        return open_collection(url, BANK, clock=clock, learner="teacher", read_only=True)

    app = QuizApp(opener, clock=clock, start="class_report")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, ClassReportScreen) and app.screen.report is not None,
        )
        assert app.screen.query_one("#questions-table", DataTable).row_count == 5
    teacher = open_store(url, learner="teacher")
    try:
        with teacher.read() as tx:
            assert study_banks(tx) == []  # no card was made for the instructor
    finally:
        teacher.dispose()
