"""Review as Anki users expect (issue 11): bury, suspend, flag and card info from the review
screen, each undone by `u`; a skill card's earned grade is shown and overridden with 1-4, and
undo brings back the same variant."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.store.models import ReviewLog
from quizapp.tui.screens.review import CardInfoDialog, ReviewScreen
from tests.tui.tui_support import card_ready, make_app, open_review, open_study, until


async def test_flag_bury_suspend_info_keys_each_undone(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_card_order="bank")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        first = screen.card.card_id
        await pilot.press("f")
        await until(pilot, lambda: screen.card is not None and screen.card.flag == 1)
        assert "red" in str(screen.query_one("#card").border_subtitle)
        assert open_study(tmp_path).reviews.card(first).flag == 1
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, CardInfoDialog))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("minus")
        await card_ready(pilot)
        assert screen.card is not None and screen.card.card_id != first
        assert open_study(tmp_path).browse.card_info(first).buried
        second = screen.card.card_id
        await pilot.press("exclamation_mark")
        await card_ready(pilot)
        assert open_study(tmp_path).browse.card_info(second).suspended
        await pilot.press("u")  # the suspend
        await card_ready(pilot)
        assert screen.card is not None and screen.card.card_id == second
        assert not open_study(tmp_path).browse.card_info(second).suspended
        await pilot.press("u")  # the bury
        await card_ready(pilot)
        assert screen.card is not None and screen.card.card_id == first
        assert not open_study(tmp_path).browse.card_info(first).buried
        await pilot.press("u")  # the flag
        await card_ready(pilot)
        assert open_study(tmp_path).reviews.card(first).flag == 0


def only_skill_cards(study) -> None:
    for info in study.browse.card_infos():
        if info.kind != "skill":
            study.browse.suspend(info.card_id)


async def test_skill_card_grade_is_shown_overridden_and_undo_keeps_the_variant(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, prepare=only_skill_cards)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.solver is not None
        variant = screen.solver.problem.id
        card_id = screen.card.card_id
        await pilot.press("minus", "9", "9", "9", "enter")  # '-' is text in the answer box
        await until(pilot, lambda: screen.outcome is not None)
        assert not open_study(tmp_path).browse.card_info(card_id).buried
        earned = screen.outcome.grade
        assert "Graded" in str(screen.query_one("#skill-grade").render())
        new = 4 if earned != 4 else 2
        await pilot.press(str(new))
        await until(pilot, lambda: screen.outcome is not None and screen.outcome.grade == new)
        with Session(open_study(tmp_path).store.engine) as s:
            assert [r.grade for r in s.execute(select(ReviewLog)).scalars()] == [new]
        await pilot.press("u")
        await card_ready(pilot)
        assert screen.solver is not None and screen.solver.problem.id == variant
        assert screen.card.card_id == card_id
