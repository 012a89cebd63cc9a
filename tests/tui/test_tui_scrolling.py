"""Every screen whose content can overflow scrolls by keyboard at small sizes (80x24, 60x20):
pageup/pagedown, home/end, and the arrows or j/k where nothing else takes them; it opens at
its top and keeps the focused row or field in view; and the help lists those keys.

Covers the screens test_tui_typing.py does not: browse (the list and an item whole), the
results and their review, stats (each tab), settings and the help itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import tui_quiz_bank as qs
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, TabbedContent
from tui_support import START, FakeClock, dashboard_ready, make_app, until

from quizapp.bank.model import Choice, Item, Source
from quizapp.quiz import QuizSession, QuizSetup, custom_exam
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.help import HelpScreen, help_sections
from quizapp.tui.screens.settings import FIELDS, SettingsScreen
from quizapp.tui.screens.stats import TABS, StatsScreen

SIZES = pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])

TOPICS = (  # with a domain of MLA-C01 (the default exam profile)
    ("neurons", "ML Model Development"),
    ("weights-bias", "ML Model Development"),
    ("learning", "ML Model Development"),
    ("activations", "ML Model Development"),
    ("losses", "ML Model Development"),
    ("architecture", "ML Model Development"),
    ("training-config", "ML Model Development"),
    ("frameworks", "Deployment and Orchestration of ML Workflows"),
    ("aws", "Deployment and Orchestration of ML Workflows"),
    ("exam", "ML Solution Monitoring, Maintenance, and Security"),
    ("ml-basics", "Data Preparation for ML"),
    ("algorithms", "Data Preparation for ML"),
)
SRC = Source("lecture-deep-learning-intro.txt", "1", "scrolling")
WORDY = (
    "A question long enough to wrap over several lines on a small terminal, so that with "
    "its four options and their explanations it is taller than the screen it is shown on."
)


def _question(n: int, topic: str, domain: str) -> Item:
    return Item(
        id=f"sc-{n:02d}",
        kind="single_choice",
        bank="tui-scroll",
        source=SRC,
        topic=topic,
        domain=domain,
        domains=(("mla-c01", domain),),
        difficulty="medium",
        prompt=f"Question {n}: {WORDY}",
        choices=tuple(
            Choice(
                f"Option {c} of question {n}, worded at some length to take a line or two",
                c == 1,
                f"Why option {c} is {'right' if c == 1 else 'wrong'}: {WORDY}",
            )
            for c in range(1, 5)
        ),
        choose=1,
        eli5=f"The simple version of question {n}. {WORDY}",
        technical=f"The technical version of question {n}. {WORDY}",
    )


def _card(n: int, topic: str, domain: str) -> Item:
    return Item(
        id=f"fc-{n:02d}",
        kind="flashcard",
        bank="tui-scroll",
        source=SRC,
        topic=topic,
        domain=domain,
        domains=(("mla-c01", domain),),
        difficulty="easy",
        front=f"Front of card {n}",
        back=f"Back of card {n}",
    )


# one question and one flashcard in each of the 12 topics (so mastery lists all of them)
ITEMS: tuple[Item, ...] = tuple(_question(n, *td) for n, td in enumerate(TOPICS, 1)) + tuple(
    _card(n, *td) for n, td in enumerate(TOPICS, 1)
)


def overflowing(box: Widget) -> Widget:
    assert box.max_scroll_y > 2, f"{box} should overflow well at this size"
    return box


async def keys(pilot: Pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await pilot.pause()


async def pages_and_ends(pilot: Pilot, box: Widget, lines: tuple[str, ...] = ()) -> None:
    """From the top of `box`: pagedown, home, end, pageup; then each line-down key and its
    line-up key (`lines`: ("j", "k"), ("down", "up"))."""
    assert box.scroll_y == 0, "opens at its top"
    await keys(pilot, "pagedown")
    assert 0 < box.scroll_y <= box.max_scroll_y
    first_page = box.scroll_y
    await keys(pilot, "home")
    assert box.scroll_y == 0
    await keys(pilot, "end")
    assert box.scroll_y == box.max_scroll_y
    await keys(pilot, "pageup")
    assert box.scroll_y == max(0, box.max_scroll_y - first_page)
    await keys(pilot, "home")
    for down, up in zip(lines[::2], lines[1::2], strict=True):
        await keys(pilot, down)
        assert box.scroll_y == 1, f"{down} scrolls a line down"
        await keys(pilot, down)
        assert box.scroll_y == 2
        await keys(pilot, up, up)
        assert box.scroll_y == 0, f"{up} scrolls a line up"


def in_view(widget: Widget, box: Widget) -> bool:
    """`widget` is shown whole inside `box`'s scrolled area."""
    area = box.scrollable_content_region
    return area.y <= widget.region.y and widget.region.bottom <= area.bottom


# -- browse ---------------------------------------------------------------------------------


async def open_browse(pilot: Pilot) -> BrowseScreen:
    await dashboard_ready(pilot)
    await pilot.press("b")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.rows)
    await pilot.pause()
    assert isinstance(app.screen, BrowseScreen)
    return app.screen


def cursor_in_view(table: DataTable) -> bool:
    """The highlighted row is on screen (rows are one line; the header stays put)."""
    rows = table.scrollable_content_region.height - table.header_height
    return table.scroll_y <= table.cursor_row < table.scroll_y + rows


@SIZES
async def test_the_browse_list_pages_and_goes_to_its_ends(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """pagedown/pageup move the highlight a page, home/end to the first and last row (they
    scrolled sideways before), the highlight always in view; from the search box too."""
    app = make_app(tmp_path, ITEMS)
    async with app.run_test(size=size) as pilot:
        screen = await open_browse(pilot)
        table = screen.query_one(DataTable)
        overflowing(table)
        assert app.focused is table and table.cursor_row == 0 and table.scroll_y == 0
        await keys(pilot, "pagedown")
        assert table.cursor_row > 0 and table.scroll_y > 0 and cursor_in_view(table)
        await keys(pilot, "end")
        assert table.cursor_row == table.row_count - 1
        assert table.scroll_y == table.max_scroll_y and cursor_in_view(table)
        await keys(pilot, "pageup")
        assert table.cursor_row < table.row_count - 1 and table.scroll_y < table.max_scroll_y
        assert cursor_in_view(table)
        await keys(pilot, "home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await keys(pilot, "down")
        assert table.cursor_row == 1
        # typing a search, the arrows and page keys still walk the list (home/end: the box's)
        await keys(pilot, "slash")
        assert isinstance(app.focused, Input)
        await keys(pilot, "down", "down")
        assert table.cursor_row == 3
        await keys(pilot, "up")
        assert table.cursor_row == 2
        await keys(pilot, "pagedown")
        assert table.scroll_y > 0 and cursor_in_view(table)
        assert isinstance(app.focused, Input) and app.screen is screen


@SIZES
async def test_an_item_whole_scrolls_and_opens_at_its_top(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, ITEMS)
    async with app.run_test(size=size) as pilot:
        screen = await open_browse(pilot)
        await keys(pilot, "enter")  # the first row: a long question with its explanations
        await until(pilot, lambda: screen.detail is not None)
        box = overflowing(screen.query_one("#browse-detail"))
        assert app.focused is box
        await pages_and_ends(pilot, box, ("down", "up"))
        await keys(pilot, "end", "escape", "down", "enter")  # the next item opens at its top
        await until(pilot, lambda: screen.detail is not None)
        assert screen.detail.key == "sc-02" and box.scroll_y == 0


async def test_a_rebound_scroll_key_is_the_only_one(tmp_path: Path) -> None:
    """The scroll keys are the screen's (the list and the item bind none of their own): a
    keymap moves them, as the help lists them."""
    app = make_app(tmp_path, ITEMS)
    app.set_keymap({"browse.page_down": "f12", "browse.bottom": "ctrl+e"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        table = screen.query_one(DataTable)
        await keys(pilot, "pagedown", "end")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await keys(pilot, "f12")
        assert table.cursor_row > 0 and table.scroll_y > 0
        await keys(pilot, "ctrl+e")
        assert table.cursor_row == table.row_count - 1
        await keys(pilot, "home", "enter")
        await until(pilot, lambda: screen.detail is not None)
        box = overflowing(screen.query_one("#browse-detail"))
        await keys(pilot, "pagedown", "end")
        assert box.scroll_y == 0
        await keys(pilot, "f12")
        assert box.scroll_y > 0
        await keys(pilot, "ctrl+e")
        assert box.scroll_y == box.max_scroll_y


# -- results and their review ---------------------------------------------------------------


def finished_exam(clock: FakeClock) -> Callable:
    """A 12-question exam over the 12 topics: half right, two flagged, submitted."""

    def prepare(study) -> None:
        clock.set(START - timedelta(hours=2))
        session = QuizSession.start(
            QuizSetup.exam(custom_exam(12), seed=3), ITEMS, study.quizzes.recorder(), clock=clock
        )
        for position in range(12):
            question = session.question(position)
            right = question.correct_indexes if position % 2 else (question.options[-1].index,)
            session.answer(position, right)
        session.set_flag(0)
        session.set_flag(5)
        clock.advance(minutes=14)
        session.submit()
        clock.set(START)

    return prepare


@SIZES
async def test_the_results_and_the_review_scroll(tmp_path: Path, size: tuple[int, int]) -> None:
    clock = FakeClock(START)
    app = make_app(tmp_path, ITEMS, clock=clock, prepare=finished_exam(clock))
    async with app.run_test(size=size) as pilot:
        screen = await qs.open_results(pilot)
        summary = overflowing(screen.query_one("#summary"))
        assert app.focused is summary
        await pages_and_ends(pilot, summary, ("j", "k", "down", "up"))
        await keys(pilot, "a")  # the review of every question
        review = overflowing(screen.query_one("#review"))
        assert app.focused is review
        await pages_and_ends(pilot, review, ("j", "k", "down", "up"))
        await keys(pilot, "end", "n")  # the next question opens at its top
        assert review.border_title.endswith("2 of 12") and review.scroll_y == 0
        await keys(pilot, "pagedown", "right")  # right: the next question, not sideways
        assert review.border_title.endswith("3 of 12") and review.scroll_y == 0
        await keys(pilot, "end", "s")  # back to the score, where it was left (the top)
        assert app.focused is summary and summary.scroll_y == 0


# -- stats ----------------------------------------------------------------------------------


async def open_stats(pilot: Pilot) -> StatsScreen:
    await dashboard_ready(pilot)
    await pilot.press("s")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.history)
    await pilot.pause(0.1)
    assert isinstance(app.screen, StatsScreen)
    return app.screen


def clipped(pane: Widget) -> list[Widget]:
    """What the tab shows below its bottom edge, outside any scrolling box."""
    bottom = pane.region.bottom
    return [
        w
        for w in pane.query("*")
        if w.display
        and w.region.bottom > bottom
        and not any(isinstance(a, ScrollableContainer) for a in w.ancestors if a is not pane)
    ]


@SIZES
async def test_every_stats_tab_fits_or_scrolls(tmp_path: Path, size: tuple[int, int]) -> None:
    """The charts shrink to the tab (nothing cut off); mastery, 12 topics and 4 domains,
    scrolls when it is taller than the tab; the tab bar keeps left and right."""
    app = make_app(tmp_path, ITEMS)
    async with app.run_test(size=size) as pilot:
        screen = await open_stats(pilot)
        tabs = screen.query_one(TabbedContent)
        for n, (tab, _) in enumerate(TABS, start=1):
            await keys(pilot, str(n))
            assert tabs.active == tab
            pane = tabs.get_pane(tab)
            assert clipped(pane) == [], f"{tab}: cut off at {size}"
            for box in pane.query(ScrollableContainer):
                assert box.scroll_y == 0, f"{tab} opens at its top"
        await keys(pilot, "5")
        mastery = screen.query_one("#mastery-box")
        assert len(screen.query_one("#topic-bars").topics) == 12
        if mastery.max_scroll_y == 0:
            assert size == (80, 24)  # tall enough: nothing to scroll
            await keys(pilot, "pagedown", "j")
            assert mastery.scroll_y == 0 and tabs.active == "mastery"
            return
        assert app.focused is not mastery  # the tab bar has focus: the screen scrolls the tab
        await pages_and_ends(pilot, mastery, ("j", "k", "down", "up"))
        await keys(pilot, "left")
        assert tabs.active == "forecast"


@pytest.mark.parametrize("size", [(80, 14), (60, 12)], ids=["80x14", "60x12"])
async def test_short_stats_tabs_scroll(tmp_path: Path, size: tuple[int, int]) -> None:
    """Shorter still, the calendar is taller than its tab: it scrolls too, as mastery does."""
    app = make_app(tmp_path, ITEMS)
    async with app.run_test(size=size) as pilot:
        screen = await open_stats(pilot)
        for key, box_id in (("2", "#calendar-box"), ("5", "#mastery-box")):
            await keys(pilot, key)
            box = overflowing(screen.query_one(box_id))
            await pages_and_ends(pilot, box, ("j", "k"))
            assert clipped(screen.query_one(TabbedContent).get_pane(box.parent.id)) == []


# -- settings -------------------------------------------------------------------------------


async def open_settings(pilot: Pilot) -> SettingsScreen:
    await dashboard_ready(pilot)
    await pilot.press("o")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, SettingsScreen) and app.screen.settings)
    await pilot.pause()
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


@pytest.mark.parametrize("size", [(60, 20), (80, 18)], ids=["60x20", "80x18"])
async def test_the_settings_form_scrolls_and_follows_the_focused_field(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Where the form is taller than the screen: up and down still move between the fields
    (they scrolled the form instead, leaving the field out of view), each field comes into
    view as it is focused, and the page keys scroll the form (home/end too, outside a box)."""
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_settings(pilot)
        form = screen.query_one("#settings-form")
        assert form.max_scroll_y > 0 and form.scroll_y == 0
        order = [field.id for field in FIELDS]
        assert app.focused is not None and app.focused.id == order[0]
        for field in order[1:]:
            await keys(pilot, "down")
            await pilot.wait_for_scheduled_animations()  # focusing scrolls to the field
            assert app.focused is not None and app.focused.id == field
            assert in_view(app.focused, form), f"{field} is out of view"
        for field in reversed(order[:-1]):
            await keys(pilot, "up")
            await pilot.wait_for_scheduled_animations()
            assert app.focused is not None and app.focused.id == field
            assert in_view(app.focused, form), f"{field} is out of view"
        assert form.scroll_y == 0
        await keys(pilot, "pagedown")  # in a box: the page keys scroll the form
        assert form.scroll_y > 0 and isinstance(app.focused, Input)
        await keys(pilot, "pageup")
        assert form.scroll_y == 0
        await keys(pilot, "end")  # home/end stay the box's: the cursor moves
        assert form.scroll_y == 0 and app.focused.cursor_position == len(app.focused.value)
        screen.query_one("#theme", Select).focus()  # on a drop-down, home/end scroll
        await keys(pilot, "home")
        assert form.scroll_y == 0 and not screen.query_one("#theme", Select).expanded
        await keys(pilot, "end")
        assert form.scroll_y == form.max_scroll_y


# -- the help -------------------------------------------------------------------------------


@SIZES
async def test_the_help_scrolls_by_keyboard(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        box = overflowing(app.screen.query_one("#help-box"))
        assert app.focused is box
        await pages_and_ends(pilot, box, ("j", "k", "down", "up"))
        subtitle = str(box.border_subtitle)
        for key in ("pgup", "pgdn", "home", "end", "j", "k"):
            assert key in subtitle.split(), f"the help's own scroll keys: {key}"
        await keys(pilot, "question_mark")
        assert not isinstance(app.screen, HelpScreen)


SCROLLING_SCREENS = {
    "Browse": "list or the item",
    "Results and review": "score or the review",
    "Stats": "tab",
    "Settings": "form",
}


def test_the_help_lists_the_scroll_keys_of_every_scrolling_screen() -> None:
    app = QuizApp(lambda: None)  # type: ignore[arg-type,return-value]
    sections = dict(help_sections(app))
    for title, what in SCROLLING_SCREENS.items():
        rows = {row: keys for keys, row in sections[title]}
        assert rows.get(f"Scroll the {what} up a page") == "pgup", title
        assert rows.get(f"Scroll the {what} down a page") == "pgdn", title
        assert rows.get(f"Scroll to the top of the {what}") == "home", title
        assert rows.get(f"Scroll to the bottom of the {what}") == "end", title
    lines = {title: dict((row, keys) for keys, row in sections[title]) for title in sections}
    for title in ("Results and review", "Stats"):
        assert lines[title]["Scroll the " + SCROLLING_SCREENS[title] + " down a line"] == "j / ↓"
        assert lines[title]["Scroll the " + SCROLLING_SCREENS[title] + " up a line"] == "k / ↑"
    # browse: k is the kind filter, so the arrows; settings: they move between fields
    assert lines["Browse"]["Scroll the list or the item down a line"] == "↓"
    assert not any("a line" in row for row in lines["Settings"])
