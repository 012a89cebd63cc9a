"""Settings driven with Pilot on a database file: saved, applied at once, kept across a restart,
refused with a one-line message when wrong; and snapshots of the form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from tui_support import (
    START,
    FakeClock,
    dashboard_ready,
    make_app,
    open_study,
    shown,
    still_cursor,
    until,
)

from quizapp.settings import Settings
from quizapp.tui.screens.dashboard import DashboardScreen
from quizapp.tui.screens.settings import FormError, SettingsScreen, form_values, parse_form

TODAY = START.date()


async def open_settings(pilot: Pilot) -> SettingsScreen:
    await dashboard_ready(pilot)
    await pilot.press("o")
    await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.settings is not None)
    await pilot.pause()
    return screen


async def type_into(pilot: Pilot, field: str, text: str) -> None:
    """Focus the box, clear it and type, as a learner would."""
    box = pilot.app.screen.query_one(f"#{field}", Input)
    box.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)


def message(pilot: Pilot) -> str:
    return shown(pilot.app.screen.query_one("#settings-message", Static))


async def test_settings_are_saved_applied_and_kept_across_a_restart(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app(tmp_path, clock=clock, new_card_order=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        assert app.screen.data.due.new == 20  # the default limit (4 cards + 63 skills)
        screen = await open_settings(pilot)
        await type_into(pilot, "retention", "0.85")
        await type_into(pilot, "new-per-day", "3")
        await type_into(pilot, "reviews-per-day", "150")
        await type_into(pilot, "rollover", "6")
        await type_into(pilot, "exam-date", "2026-05-20")
        screen.query_one("#leech-action", Select).value = "suspend"
        screen.query_one("#theme", Select).value = "textual-light"
        await pilot.pause()
        assert app.theme == "textual-light"  # switched as chosen, before saving
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Saved" in message(pilot))
        stored = open_study(tmp_path, clock=clock).settings.current()
        assert (stored.desired_retention, stored.new_per_day, stored.reviews_per_day) == (
            0.85,
            3,
            150,
        )
        assert (stored.rollover_hour, stored.exam_date) == (6, date(2026, 5, 20))
        assert (stored.leech_action, stored.theme) == ("suspend", "textual-light")
        # applied at once: the dashboard's count follows the new limit
        await pilot.press("escape")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, DashboardScreen)
                and app.screen.data is not None
                and app.screen.data.due.new == 3
            ),
        )
        assert app.screen.data.exam_date == date(2026, 5, 20)

    again = make_app(tmp_path, clock=clock, new_card_order=None)
    async with again.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        assert again.theme == "textual-light"
        assert again.screen.data.due.new == 3
        screen = await open_settings(pilot)
        values = {f: screen.query_one(f"#{f}").value for f in form_values(Settings())}
        assert values == {
            "retention": "0.85",
            "new-per-day": "3",
            "reviews-per-day": "150",
            "rollover": "6",
            "exam-date": "2026-05-20",
            "leech-action": "suspend",
            "new-order": "mixed",
            "theme": "textual-light",
            "study-minutes": "30",
            "missed-cards": "yes",
        }


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        ("retention", "1.5", "Desired retention must be from 0.70 to 0.99"),
        ("retention", "0.5", "Desired retention must be from 0.70 to 0.99"),
        ("retention", "high", "Desired retention must be a number from 0.70 to 0.99"),
        ("new-per-day", "-1", "New cards per day must be from 0 to 9999, not -1"),
        ("reviews-per-day", "lots", "Reviews per day must be a whole number from 0 to 9999"),
        ("rollover", "24", "The rollover hour must be from 0 to 23, not 24"),
        ("exam-date", "20/05/2026", "The exam date must be written YYYY-MM-DD"),
        ("exam-date", "2026-02-27", "The exam date cannot be in the past (today is 2026-03-02)"),
    ],
)
async def test_a_bad_value_is_refused_with_one_line(
    tmp_path: Path, field: str, text: str, says: str
) -> None:
    app = make_app(tmp_path, new_card_order=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, field, text)
        await pilot.press("enter")
        await pilot.pause()
        assert message(pilot).startswith(says) and "\n" not in message(pilot)
        assert screen.query_one(f"#row-{field}").has_class("invalid")
        assert screen.focused is screen.query_one(f"#{field}")
    assert open_study(tmp_path).settings.current() == Settings()  # nothing was saved


def test_parse_form_reads_percentages_and_keeps_a_past_exam_date() -> None:
    values = form_values(Settings())
    assert parse_form({**values, "retention": "87%"}, Settings(), TODAY).desired_retention == 0.87
    assert parse_form({**values, "retention": "92"}, Settings(), TODAY).desired_retention == 0.92
    assert parse_form({**values, "exam-date": ""}, Settings(), TODAY).exam_date is None
    past = Settings(exam_date=date(2026, 1, 10))  # set earlier and now behind us: still saves
    assert parse_form(form_values(past), past, TODAY).exam_date == date(2026, 1, 10)
    with pytest.raises(FormError) as caught:
        parse_form({**values, "leech-action": "delete"}, Settings(), TODAY)
    assert caught.value.field == "leech-action"


async def test_escape_with_unsaved_changes_asks_once(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, "new-per-day", "7")
        await pilot.press("escape")
        assert app.screen is screen and "Not saved yet" in message(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    assert open_study(tmp_path).settings.current().new_per_day == 20


async def test_up_and_down_move_between_every_field(tmp_path: Path) -> None:
    """On the drop-downs too (they opened their list), both ways; enter still opens one."""
    from quizapp.tui.screens.settings import FIELDS

    app = make_app(tmp_path, new_card_order=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        order = [field.id for field in FIELDS]
        assert app.focused is not None and app.focused.id == order[0]
        for field in order[1:]:
            await pilot.press("down")
            assert app.focused is not None and app.focused.id == field
        for field in reversed(order[:-1]):
            await pilot.press("up")
            assert app.focused is not None and app.focused.id == field
        assert not any(select.expanded for select in screen.query(Select))
        screen.query_one("#leech-action", Select).focus()
        await pilot.press("enter")
        assert screen.query_one("#leech-action", Select).expanded
        await pilot.press("down", "enter")  # inside the list, down picks the next choice
        assert screen.query_one("#leech-action", Select).value == "suspend"


async def test_a_focused_drop_down_looks_focused(tmp_path: Path) -> None:
    from textual.widgets._select import SelectCurrent

    app = make_app(tmp_path, new_card_order=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)

        def look(field: str) -> tuple[object, object]:
            current = screen.query_one(f"#{field}", Select).query_one(SelectCurrent)
            return current.styles.background, current.styles.color

        unfocused = look("leech-action")
        assert look("theme") == unfocused
        screen.query_one("#leech-action", Select).focus()
        await pilot.pause()
        assert look("leech-action") != unfocused and look("theme") == unfocused


async def test_leaving_without_saving_undoes_a_previewed_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        before = app.theme
        screen.query_one("#theme", Select).value = "textual-light"
        await pilot.pause()
        assert app.theme == "textual-light"  # previewed
        await pilot.press("escape")
        assert app.screen is screen and "Not saved yet" in message(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.theme == before
        await pilot.pause(0.2)
    assert open_study(tmp_path).settings.current().theme == before


class TestSnapshots:
    def test_form(self, snap_compare, tmp_path: Path) -> None:
        """Every setting with its box and hint; the exam date set."""

        async def run_before(pilot: Pilot) -> None:
            await open_settings(pilot)
            still_cursor(pilot)

        assert snap_compare(
            make_app(tmp_path, exam=date(2026, 4, 15), new_card_order=None), run_before=run_before
        )

    def test_focused_drop_down(self, snap_compare, tmp_path: Path) -> None:
        """Down from the exam date: the leech action's drop-down focused (and closed)."""

        async def run_before(pilot: Pilot) -> None:
            await open_settings(pilot)
            pilot.app.screen.query_one("#exam-date", Input).focus()
            await pilot.press("down")
            await pilot.pause()
            still_cursor(pilot)

        assert snap_compare(
            make_app(tmp_path, new_card_order=None), run_before=run_before, terminal_size=(80, 24)
        )

    def test_refused_value(self, snap_compare, tmp_path: Path) -> None:
        """A retention out of range: the row marked, one line saying why."""

        async def run_before(pilot: Pilot) -> None:
            await open_settings(pilot)
            await type_into(pilot, "retention", "0.5")
            await pilot.press("enter")
            await pilot.pause()
            still_cursor(pilot)

        assert snap_compare(make_app(tmp_path, new_card_order=None), run_before=run_before)
