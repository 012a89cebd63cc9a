"""Issue 14: cram from the study dialog (nothing rescheduled), and a missed quiz question
reviewed as a card (choices picked with a-e, graded from the pick)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from textual.widgets import OptionList, Static
from tui_support import BANK, START, card_ready, dashboard_ready, make_app, open_study, shown, until

from quizapp.bank.model import Choice, Item, Source
from quizapp.collection import Collection
from quizapp.store.cards import add_question_card
from quizapp.store.models import CardMemory, CramLog, ReviewLog
from quizapp.tui.screens.review import ReviewScreen

QUESTION = Item(
    id="tt-choice",
    kind="single_choice",
    bank="tui-test",
    source=Source("eli5-ch1-neural-networks.txt", "1.2", "bias"),
    topic="weights-bias",
    domain="Modeling",
    difficulty="easy",
    prompt="Which term shifts a neuron's threshold?",
    choices=(
        Choice("The bias", True, "b moves the threshold."),
        Choice("The learning rate", False, "It scales updates."),
        Choice("The loss", False, "It measures error."),
        Choice("The epoch", False, "A pass over the data."),
    ),
)
ITEMS = (*BANK, QUESTION)


def rows(study: Collection, model: type) -> list[tuple[object, ...]]:
    all_cols = model.__table__.columns  # type: ignore[attr-defined]
    cols = [c for c in all_cols if c.name != "learner"]  # the column positions read below
    with study.store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*cols).order_by(cols[0]))]


def study_two(study: Collection) -> None:
    """tt-bias and tt-rate answered Easy: studied, due in some days."""
    for card in list(study.browse.card_infos()):
        if card.key in ("tt-bias", "tt-rate"):
            study.reviews.answer(study.reviews.card(card.card_id), 4)


async def test_cram_from_the_study_dialog_logs_answers_and_reschedules_nothing(
    tmp_path: Path,
) -> None:
    from quizapp.tui.screens.study_dialog import CramDialog, StudyDialog

    app = make_app(tmp_path, prepare=study_two)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        before = open_study(tmp_path)
        memory, log = rows(before, CardMemory), rows(before, ReviewLog)
        before.close()
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, StudyDialog))
        listing = app.screen.query_one("#study-list", OptionList)
        listing.highlighted = listing.option_count - 1  # the last option: cram
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CramDialog))
        await pilot.press("enter")  # every studied card
        await card_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.cram
        assert "Cram" in str(screen.query_one("#card").border_title)
        crammed = []
        while screen.card is not None:
            crammed.append(screen.card.card_id)
            await pilot.press("space")
            await pilot.pause()
            grade_text = shown(screen.query_one("#grade-3", Static))
            assert grade_text.strip().endswith("Good")  # no interval: nothing is rescheduled
            await pilot.press("3")
            await card_ready(pilot)
        assert len(crammed) == 2
        assert "Cram done" in shown(screen.query_one("#done-text", Static))
        after = open_study(tmp_path)
        assert rows(after, CardMemory) == memory and rows(after, ReviewLog) == log
        assert [(r[1], r[2]) for r in rows(after, CramLog)] == [(c, 3) for c in crammed]
        after.close()


def missed(study: Collection) -> None:
    with study.store.write() as tx:
        add_question_card(
            tx, QUESTION.id, topic=QUESTION.topic, domain=QUESTION.domain,
            now=START.timestamp(),
        )  # fmt: skip


async def test_a_missed_question_card_is_answered_by_picking(tmp_path: Path) -> None:
    app = make_app(tmp_path, ITEMS, prepare=missed)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("r")
        await card_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        card = screen.card
        assert card is not None and card.is_question
        front = shown(screen.query_one("#front", Static))
        assert QUESTION.prompt in front and "The learning rate" in front
        wrong_display = next(d for d, i in enumerate(card.order) if i != 0)
        await pilot.press("abcde"[wrong_display])
        await until(pilot, lambda: screen.verdict is not None)
        assert screen.verdict == (False, 1)
        assert "Wrong" in shown(screen.query_one("#back", Static))
        assert "Again" in shown(screen.query_one("#skill-grade", Static))
        await pilot.press("enter")
        await card_ready(pilot)
        assert screen.card is None or screen.card.card_id != card.card_id
        study = open_study(tmp_path, ITEMS)
        assert [(r[1], r[2]) for r in rows(study, ReviewLog)] == [(card.card_id, 1)]
        study.close()
