"""Issue 11: choose what to study from the dashboard (all, a bank, a topic), and a cloze
gap's card (c2) shows only its own gap hidden."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static
from tui_support import card_ready, dashboard_ready, grade, make_app, open_review, shown

from quizapp.bank.taxonomy import load_taxonomy
from quizapp.tui.screens.review import ReviewScreen


async def test_dashboard_study_key_chooses_a_topic_and_reviews_only_it(tmp_path: Path) -> None:
    from quizapp.reviews.model import StudyChoice
    from quizapp.tui.screens.study_dialog import StudyDialog

    app = make_app(tmp_path, new_card_order="bank")
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("d")
        await pilot.pause()
        for _ in range(100):
            if isinstance(app.screen, StudyDialog):
                break
            await pilot.pause(0.02)
        dialog = app.screen
        assert isinstance(dialog, StudyDialog)
        assert dialog.choices[0] == StudyChoice("all", "")
        assert StudyChoice("bank", "tui-test") in dialog.choices
        listing = dialog.query_one("#study-list", OptionList)
        assert app.focused is listing
        target = dialog.choices.index(StudyChoice("topic", "learning"))
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        await card_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        # bank order puts tt-bias first; studying "learning" skips to its cards
        seen = []
        for _ in range(3):
            assert screen.card is not None
            card = screen.card
            seen.append(card.item.topic if card.item is not None else "skill")
            assert card.item is None or card.item.topic == "learning"
            await grade(pilot, "4")
            if screen.card is None:
                break
        assert seen[0] == "learning"
        for _ in range(3):  # the first escape may leave a skill card's answer box
            if not isinstance(app.screen, ReviewScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        await dashboard_ready(pilot)
        for _ in range(100):
            if "topic" in shown(app.screen.query_one("#today", Static)):
                break
            await pilot.pause(0.02)
        today = shown(app.screen.query_one("#today", Static))
        label = dict(load_taxonomy().topics)["learning"]
        assert "Studying" in today and f"topic {label}" in today.replace("\n", " ")


async def test_the_dashboard_says_all_banks_are_studied_by_default(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        assert "Studying (d changes)\n  all banks" in shown(app.screen.query_one("#today", Static))


async def test_a_wide_dashboard_shows_the_week_ahead(tmp_path: Path) -> None:
    """From 120 columns a third column lists the cards due on each of the next seven days."""
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await dashboard_ready(pilot)
        coming = app.screen.query_one("#coming", Static)
        assert coming.display and coming.region.width >= 30
        rows = shown(coming).splitlines()
        assert rows[0].startswith("Today") and len([r for r in rows if r.strip()]) == 8
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not coming.display and coming.region.width == 0


async def test_escape_keeps_studying_everything(tmp_path: Path) -> None:
    from quizapp.tui.screens.study_dialog import StudyDialog

    app = make_app(tmp_path, new_card_order="bank")
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("d")
        for _ in range(100):
            if isinstance(app.screen, StudyDialog):
                break
            await pilot.pause(0.02)
        await pilot.press("escape")
        await dashboard_ready(pilot)
        await pilot.press("r")
        await card_ready(pilot)
        card = app.screen.card
        assert card is not None and card.item is not None and card.item.id == "tt-bias"


async def test_the_second_gap_card_hides_only_the_second_gap(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order="bank")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await grade(pilot, "4")  # tt-bias
        screen = app.screen
        assert screen.card is not None and screen.card.gap == 1
        front = shown(screen.query_one("#front", Static))
        assert front == "ReLU outputs […], so a negative input gives 0."
        await grade(pilot, "4")  # c1
        card = screen.card
        assert card is not None and card.item is not None
        assert card.item.id == "tt-relu" and card.gap == 2
        front = shown(screen.query_one("#front", Static))
        assert front == "ReLU outputs max(0, z), so a negative input gives […]."
        await pilot.press("space")
        back = shown(screen.query_one("#back", Static))
        assert "a negative input gives 0." in back and "{{" not in back and "[…]" not in back


async def test_study_option_opens_straight_into_review_of_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order="bank")
    app.study_name = "Learning"  # as `quizapp --study Learning` passes it
    async with app.run_test(size=(80, 24)) as pilot:
        await card_ready(pilot)
        card = app.screen.card
        assert card is not None and card.item is not None and card.item.topic == "learning"
