"""The settings screen's FSRS actions with Pilot on a database file: the suggestion after 1,000
new reviews, "optimize now" (progress, then one result line; the fitted set stored and in
use), back to the defaults; and the form rows for the study minutes and missed questions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import fsrs_rs_python as rs
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import insert
from textual.widgets import Input, ProgressBar, Select, Static
from tui_support import START, FakeClock, dashboard_ready, make_app, open_study, shown, until

from quizapp.collection import Collection
from quizapp.scheduling.synthetic import simulate_history
from quizapp.store.tables import CARDS, LOG
from quizapp.tui.screens.settings import SettingsScreen

KNOWN = list(rs.DEFAULT_PARAMETERS)
KNOWN[0:4] = [0.6, 2.5, 6.0, 20.0]
KNOWN[20] = 0.35


def write_history(study: Collection) -> int:
    """A year of answers simulated from KNOWN, written straight into the log."""
    history = simulate_history(KNOWN, cards=250, days=365, seed=4)
    day0 = date(2025, 1, 1)
    with study.store.engine.begin() as conn:
        ids = [
            conn.execute(
                insert(CARDS).values(
                    learner=study.store.learner, key=f"synthetic:{c}", kind="flashcard",
                    difficulty="easy", topic="t",
                    domain="d", bank="synthetic", position=c, created_at=0.0,
                )
            ).inserted_primary_key[0]
            for c in range(max(c for c, *_ in history) + 1)
        ]  # fmt: skip
        rows = []
        for c, day, grade, state_before in history:
            ts = (datetime(2025, 1, 1, 12, tzinfo=UTC) + timedelta(days=day)).timestamp()
            rows.append(
                {"learner": study.store.learner, "card_id": ids[c], "grade": grade,
                 "reviewed_at": ts,
                 "study_day": day0.toordinal() + day, "state": 2, "due": ts,
                 "state_before": state_before, "due_before": ts, "lapses_before": 0,
                 "queue_before": 2, "suspended_before": False, "leech_before": False}
            )  # fmt: skip
        conn.execute(insert(LOG), rows)
    return len(history)


async def open_settings(pilot) -> SettingsScreen:
    await dashboard_ready(pilot)
    await pilot.press("o")
    await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.settings is not None and screen.fsrs is not None)
    return screen


def text(pilot, selector: str) -> str:
    return shown(pilot.app.screen.query_one(selector, Static))


async def test_optimize_now_adopts_a_fit_and_reset_returns_to_defaults(tmp_path: Path) -> None:
    clock = FakeClock(START)
    written: list[int] = []
    app = make_app(tmp_path, clock=clock, prepare=lambda s: written.append(write_history(s)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        assert written[0] > 1000
        status = text(pilot, "#fsrs-status")
        assert "the defaults" in status
        assert f"{written[0]:,} new reviews since the last optimization" in status
        assert screen.query_one("#fsrs-status").has_class("suggest")
        # the footer offers optimize, not the reset (nothing to reset yet)
        assert screen.check_action("optimize", ()) and not screen.check_action(
            "reset_parameters", ()
        )
        bar = screen.query_one("#fsrs-progress", ProgressBar)
        assert not bar.display
        seen: list[tuple[str, float, bool]] = []
        ticks: list[int] = []  # the event loop's heartbeats
        timer = screen.set_interval(0.01, lambda: ticks.append(1))
        at: dict[str, int] = {}
        progress = screen._progress

        def spy(what: str, done: float) -> None:
            progress(what, done)
            seen.append((what, done, bar.display))
            at[what] = len(ticks)
            if what != "done":  # mid-run, the footer offers no second run
                assert screen.optimizing and not screen.check_action("optimize", ())

        screen._progress = spy  # type: ignore[method-assign]
        await pilot.press("ctrl+o")
        await until(
            pilot,
            lambda: not screen.optimizing and "Adopted" in text(pilot, "#fsrs-result"),
            timeout=60,  # a child process fits (it spawns a Python)
        )
        timer.stop()
        # the screen stayed live while the child process fitted (fsrs-rs holds the GIL: an
        # in-process fit would have stopped these heartbeats)
        assert at["comparing with the current set"] - at["fitting parameters"] >= 3
        # the bar showed while it ran, through every stage, from the study thread
        whats = [w for w, _d, _shown in seen]
        assert whats[:2] == ["starting", "reading the review history"]
        assert "fitting parameters" in whats and whats[-1] == "done"
        assert all(shown_ for _w, _d, shown_ in seen)
        assert [d for _w, d, _s in seen] == sorted(d for _w, d, _s in seen)
        result = text(pilot, "#fsrs-result")
        assert result.startswith("Adopted parameters fitted to") and "log loss" in result
        assert "\n" not in result.strip() and not bar.display
        await until(pilot, lambda: "fitted to your" in text(pilot, "#fsrs-status"))
        assert not screen.query_one("#fsrs-status").has_class("suggest")
        study = open_study(tmp_path, clock=clock)
        try:
            fitted = study.settings.fitted
            assert fitted is not None and fitted.parameters != tuple(DEFAULT_PARAMETERS)
            assert fitted.fitted_on == START.date()
        finally:
            study.close()
        # the app's own study schedules with it now
        assert app.runner is not None
        assert screen.check_action("reset_parameters", ())
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "default FSRS parameters" in text(pilot, "#fsrs-result"))
        await until(pilot, lambda: "the defaults" in text(pilot, "#fsrs-status"))
        study = open_study(tmp_path, clock=clock)
        try:
            assert study.settings.fitted is None
        finally:
            study.close()


async def test_too_little_history_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        assert "ctrl+o optimizes now" in text(pilot, "#fsrs-status")
        assert not screen.query_one("#fsrs-status").has_class("suggest")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: not screen.optimizing)
        assert text(pilot, "#fsrs-result").startswith("Not enough history: 0 reviews usable")


async def test_study_minutes_and_missed_questions_rows(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#study-minutes", Input).value == "30"
        assert screen.query_one("#missed-cards", Select).value == "yes"
        box = screen.query_one("#study-minutes", Input)
        box.focus()
        await pilot.pause()
        await pilot.press("end", "ctrl+u", "0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        msg = text(pilot, "#settings-message")
        assert "Study minutes a day must be from 1 to 1440, not 0." in msg
        assert screen.query_one("#row-study-minutes").has_class("invalid")
        await pilot.press("end", "ctrl+u", "4", "5")
        screen.query_one("#missed-cards", Select).value = "no"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Saved" in text(pilot, "#settings-message"))
        study = open_study(tmp_path, clock=clock)
        try:
            stored = study.settings.current()
            assert stored.study_minutes_per_day == 45
            assert stored.missed_questions_become_cards is False
        finally:
            study.close()
