"""Flashcard review driven with Pilot; the database is checked afterwards through Collection."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from tui_support import (
    BANK,
    START,
    FakeClock,
    card_ready,
    grade,
    make_app,
    open_review,
    open_study,
    shown,
    until,
)

from quizapp.tui.screens.review import ReviewScreen


def card_key(study, card_id: int) -> str:
    return study.browse.card_info(card_id).key


async def test_grading_three_cards_writes_three_logs_and_moves_them(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order="bank")
    graded: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for key in ("3", "1", "4"):
            assert screen.card is not None
            graded.append(screen.card.card_id)
            await grade(pilot, key)
        assert screen.done == 3
        assert "3 done" in shown(screen.query_one("#progress-text", Static))

    study = open_study(tmp_path)
    assert study.stats.summary().reviews_total == 3
    infos = {i.card_id: i for i in study.browse.card_infos()}
    assert [infos[c].key for c in graded] == ["tt-bias", "tt-relu#c1", "tt-relu#c2"]
    assert all(infos[c].reps == 1 and infos[c].state != "new" for c in graded)
    # Again keeps the card in learning, Easy sends it days away: the cards really moved
    assert infos[graded[1]].due < infos[graded[2]].due
    assert infos[graded[2]].state == "review"
    assert infos[graded[2]].due.date() > START.date()


async def test_undo_removes_the_log_row_and_shows_the_card_again(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order="bank")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        first = screen.card.card_id
        await grade(pilot, "3")
        await grade(pilot, "3")
        assert open_study(tmp_path).stats.summary().reviews_total == 2
        await pilot.press("u")
        await card_ready(pilot)
        assert open_study(tmp_path).stats.summary().reviews_total == 1
        await pilot.press("ctrl+z")
        await card_ready(pilot)
        assert screen.card.card_id == first
        assert screen.done == 0
        assert not screen.can_undo

    study = open_study(tmp_path)
    assert study.stats.summary().reviews_total == 0
    assert all(i.state == "new" and i.reps == 0 for i in study.browse.card_infos() if i.item_id)


async def test_previews_label_each_grade_with_its_interval(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        assert not screen.query_one("#grades").display  # hidden until the back is shown
        await pilot.press("3")  # grading before seeing the back does nothing
        assert screen.done == 0
        await pilot.press("space")
        for preview in screen.card.previews:
            text = shown(screen.query_one(f"#grade-{preview.grade}", Static))
            assert preview.label in text and preview.text in text
        back = shown(screen.query_one("#back", Static))
        assert "ELI5" in back and "Technical" in back


async def test_cloze_hides_its_gaps_until_revealed(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order="bank")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await grade(pilot, "3")  # the flashcard; the cloze comes next
        screen = app.screen
        front = shown(screen.query_one("#front", Static))
        # the gap 1 card (c1): only its gap hidden, the other shown
        assert "max(0, z)" not in front and front.count("[…]") == 1
        await pilot.press("space")
        back = shown(screen.query_one("#back", Static))
        assert "max(0, z)" in back and "{{" not in back


async def test_empty_queue_says_all_done_with_the_next_due_time(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app(tmp_path, BANK[:1], clock=clock, new_per_day=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await grade(pilot, "4")  # Easy: the only card goes days away
        screen = app.screen
        assert screen.card is None
        assert screen.query_one("#all-done").display
        text = shown(screen.query_one("#done-text", Static))
        assert "All done for today" in text
        assert "Next card due" in text
        await pilot.press("space", "3")  # nothing to grade: nothing happens
    assert open_study(tmp_path, BANK[:1], clock).stats.summary().reviews_total == 1


async def test_escape_goes_back_to_a_refreshed_dashboard(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await grade(pilot, "3")
        await pilot.press("escape")
        await until(
            pilot,
            lambda: (
                type(app.screen).__name__ == "DashboardScreen"
                and app.screen.data is not None
                and app.screen.data.reviews_today == 1
            ),
        )
