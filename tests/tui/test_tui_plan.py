"""The dashboard's exam plan: computed in a worker with its progress shown, the recall with
the plan and with 10 minutes more or less, and the after-exam warning with its fix."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from textual.widgets import Static
from tui_support import EXAM, START, FakeClock, dashboard_ready, make_app, shown, until

from quizapp.scheduling.memory import Q_REVIEW, REVIEW
from quizapp.store.models import Card, CardMemory
from quizapp.tui.screens.dashboard import DashboardScreen


def late_cards(study, n: int = 3) -> None:
    """n studied cards last seen before the exam date was set, next due after the exam."""
    with Session(study.store.engine) as s, s.begin():
        ids = s.execute(select(Card.id).where(Card.kind != "skill").limit(n)).scalars().all()
        last = (START - timedelta(days=5)).timestamp()
        due = (START + timedelta(days=400)).timestamp()
        s.execute(
            update(CardMemory)
            .where(CardMemory.card_id.in_(ids))
            .values(
                state=REVIEW,
                stability=300.0,
                difficulty=5.0,
                last_review=last,
                due=due,
                reps=1,
                queue=Q_REVIEW,
            )
        )


async def test_plan_panel_and_after_exam_warning(tmp_path: Path) -> None:
    app = make_app(tmp_path, clock=FakeClock(START), exam=EXAM, prepare=late_cards)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await until(pilot, lambda: screen.plan is not None)
        plan = screen.plan
        assert plan is not None and plan.exam_date == EXAM and plan.after_exam == 3
        text = shown(screen.query_one("#exam", Static))
        assert f"· {plan.minutes_per_day}m/day" in text and "+10m" in text
        assert "3 after exam: u pulls in" in text
        assert screen.check_action("pull_in", ()) is True
        await pilot.press("u")
        await until(pilot, lambda: screen.plan is not None and screen.plan.after_exam == 0)
        assert "after exam" not in shown(screen.query_one("#exam", Static))
        assert screen.check_action("pull_in", ()) is False


async def test_no_exam_date_no_plan(tmp_path: Path) -> None:
    app = make_app(tmp_path, clock=FakeClock(START))
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert "No exam date set." in shown(screen.query_one("#exam", Static))
        assert screen.plan is None and screen.check_action("pull_in", ()) is False
        await pilot.press("u")  # not offered: nothing happens
        await pilot.pause()
        assert screen.plan is None


async def test_progress_is_shown_while_the_plan_is_computed(tmp_path: Path, monkeypatch) -> None:
    import threading

    from quizapp.plan.service import Plan

    release = threading.Event()
    real = Plan.plan

    def slow(self, *args, progress=None, **kwargs):
        if progress is not None:
            progress(0.4)
        release.wait(10)
        return real(self, *args, progress=progress, **kwargs)

    monkeypatch.setattr(Plan, "plan", slow)
    app = make_app(tmp_path, clock=FakeClock(START), exam=EXAM)
    async with app.run_test(size=(80, 24)) as pilot:
        # not dashboard_ready: it waits for the plan, which is held back here
        await until(
            pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.data is not None
        )
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.planning
        exam = screen.query_one("#exam", Static)
        await until(pilot, lambda: "Planning… 40%" in shown(exam))
        assert screen.plan is None  # the UI went on meanwhile
        release.set()
        await until(pilot, lambda: screen.plan is not None)
        assert "Planning" not in shown(exam) and not screen.planning
