"""Content sync: added items become cards, removed ones retire with their history, edited
ones keep their progress; nothing changes (and nothing is written) when the banks did not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.catalog import DIFFICULTIES, FAMILIES
from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, build_collection, open_collection
from quizapp.store.models import Card, ReviewLog

SKILLS = len(FAMILIES) * len(DIFFICULTIES)
SRC = Source("lecture-deep-learning-intro.txt", "training", "forward-pass")


def item(i: int, **kw) -> Item:
    base = Item(f"sync-{i}", "flashcard", "b", SRC, "learning", "Modeling", "medium", f"q{i}", "a")
    return replace(base, **kw)


def cards(study: Collection) -> dict[str, Card]:
    with Session(study.store.engine) as s:
        return {c.key: c for c in s.execute(select(Card)).scalars()}


def test_sync_adds_retires_restores_and_keeps_progress(db_url: str) -> None:
    clock = FakeClock(datetime(2026, 1, 1, 12, tzinfo=UTC))
    bank = [item(1), item(2), item(3), item(9, kind="single_choice", prompt="p")]
    study = open_collection(db_url, bank, clock=clock)
    study.settings.save(replace(study.settings.current(), new_card_order="bank"))
    found = cards(study)
    assert set(found) >= {"sync-1", "sync-2", "sync-3"}
    assert "sync-9" not in found  # questions are quiz items, not cards
    assert len(found) == 3 + SKILLS
    assert {c.topic for c in found.values() if c.kind == "skill"} <= {
        "neurons", "activations", "losses", "learning", "architecture", "training-config",
        "algorithms",
    }  # fmt: skip

    # study item 1 and item 2
    for _ in range(2):
        card = study.reviews.next_card()
        assert card is not None
        study.reviews.answer(card, 4)
    progress = {i.key: i for i in study.browse.card_infos()}
    assert progress["sync-1"].reps == 1 and progress["sync-2"].reps == 1

    # edit 1 (text and topic), remove 2, add 4, reorder
    edited = [item(4), item(3), item(1, front="reworded", topic="neurons")]
    report = study.content.sync(edited)
    assert (report.added, report.retired, report.restored) == (1, 1, 0)
    assert report.updated >= 2 and not report.skipped
    now = {i.key: i for i in study.browse.card_infos()}
    assert "sync-2" not in now
    assert now["sync-1"].reps == 1 and now["sync-1"].topic == "neurons"
    assert now["sync-1"].due == progress["sync-1"].due
    retired = {i.key: i for i in study.browse.card_infos(include_retired=True)}["sync-2"]
    assert retired.retired and retired.state == "retired" and retired.reps == 1
    with Session(study.store.engine) as s:
        assert s.execute(select(func.count()).select_from(ReviewLog)).scalar_one() == 2
    # new cards come in the new bank order: 4 before 3
    first_new = study.reviews.next_card()
    assert first_new is not None and first_new.item is not None
    assert first_new.item.id == "sync-4"
    assert first_new.item.front == "q4"
    # the edited item's text is what the card shows
    reworded = study.content.item("sync-1")
    assert reworded is not None and reworded.front == "reworded"

    # a retired item that comes back resumes its progress
    report = study.content.sync([*edited, item(2)])
    assert (report.added, report.retired, report.restored) == (0, 0, 1)
    back = {i.key: i for i in study.browse.card_infos()}["sync-2"]
    assert not back.retired and back.state == "review" and back.reps == 1
    study.close()


def test_unchanged_banks_skip_the_sync(db_url: str) -> None:
    bank = [item(i) for i in range(50)]
    study = open_collection(db_url, bank)
    assert study.content.sync(bank).skipped
    # a restart with the same banks skips too
    again = build_collection(study.store, bank)
    assert again.content.sync(bank).skipped
    # editing only the wording of an item leaves the cards as they are: skipped as well
    reworded = [replace(bank[0], back="clearer answer"), *bank[1:]]
    assert study.content.sync(reworded).skipped
    # a change that matters to cards is seen
    assert not study.content.sync([replace(bank[0], topic="losses"), *bank[1:]]).skipped
    study.close()
