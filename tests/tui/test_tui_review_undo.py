"""Undo on the review screen shows exactly the card it restored (`Reviews.card`), even when
the queue would put another card first."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tui_support import START, FakeClock, card_ready, grade, make_app, open_review, open_study


async def test_undo_shows_the_restored_card_not_the_queue_head(tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        screen = app.screen
        first = screen.card
        await grade(pilot, "1")  # Again: the first card comes back in a minute
        second = screen.card
        assert second.card_id != first.card_id and second.state == "new"
        await grade(pilot, "3")
        clock.advance(timedelta(minutes=2))  # now the first card heads the queue
        assert open_study(tmp_path, clock=clock).reviews.next_card().card_id == first.card_id
        await pilot.press("u")
        await card_ready(pilot)
        assert screen.card.card_id == second.card_id
        assert screen.card.state == "new" and screen.card.item == second.item
        assert screen.done == 1
        await pilot.press("space")
        good = next(p for p in screen.card.previews if p.grade == 3)
        await grade(pilot, "3")  # answering it again gives what its button showed
    info = next(i for i in open_study(tmp_path, clock=clock).browse.card_infos()
                if i.card_id == second.card_id)  # fmt: skip
    assert info.reps == 1
    assert abs((info.due - clock.now()) - good.interval) < timedelta(seconds=1)
