"""Issue 11: new cards mixed across banks and kinds (a setting), one card per cloze gap,
and studying one bank or one topic (`--study`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.bank.loader import load_all
from quizapp.bank.model import Item, Source
from quizapp.cli import main
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.reviews.model import StudyChoice
from quizapp.store.models import Card

START = datetime(2026, 3, 2, 12, tzinfo=UTC)
SRC = Source("lecture-deep-learning-intro.txt", "training", "forward-pass")


def card(i: int, bank: str = "b1", topic: str = "learning", **kw: object) -> Item:
    base = Item(f"{bank}-{i}", "flashcard", bank, SRC, topic, "Modeling", "medium", f"q{i}", "a")
    return replace(base, **kw)  # type: ignore[arg-type]


def cloze(item_id: str, text: str) -> Item:
    return replace(card(0), id=item_id, kind="cloze", front="", back="", text=text)


def new_order(study: Collection) -> list[str]:
    """The keys of the new cards in the order review meets them."""
    return [i.key for i in study.browse.card_infos() if i.state == "new"]


def first_new_cards(study: Collection, n: int) -> list[str]:
    """The first `n` new cards review shows (each answered Good)."""
    seen: list[str] = []
    keys = {i.card_id: i.key for i in study.browse.card_infos()}
    while len(seen) < n:
        shown = study.reviews.next_card()
        assert shown is not None
        if shown.state == "new":
            seen.append(keys[shown.card_id])
        study.reviews.answer(shown, 3)
    return seen


def open_at(db_url: str, items: list[Item], order: str | None = None) -> Collection:
    study = open_collection(db_url, items, clock=FakeClock(START))
    if order is not None:
        study.settings.save(replace(study.settings.current(), new_card_order=order))
    return study


# -- new-card order ---------------------------------------------------------------------------


def test_mixed_order_brings_skill_cards_into_the_first_day(db_url: str) -> None:
    shipped = list(load_all(include_user_dir=False).items)
    study = open_at(db_url, shipped)
    assert study.settings.current().new_card_order == "mixed"  # the default
    first = first_new_cards(study, 20)
    assert any(key.startswith("skill:") for key in first)
    kinds = {i.key: i.kind for i in study.browse.card_infos()}
    assert {kinds[k] for k in first} >= {"flashcard", "cloze", "skill"}
    banks = {i.bank for i in shipped if i.kind in ("flashcard", "cloze")}
    ids = {i.id: i.bank for i in shipped}
    seen_banks = {ids[k.split("#")[0]] for k in first if not k.startswith("skill:")}
    assert len(seen_banks) == min(len(banks), len(seen_banks)) and len(seen_banks) > 1
    study.close()


def test_bank_order_keeps_every_skill_card_last(db_url: str) -> None:
    shipped = list(load_all(include_user_dir=False).items)
    study = open_at(db_url, shipped, "bank")
    order = new_order(study)
    assert not any(k.startswith("skill:") for k in order[:20])
    assert all(k.startswith("skill:") for k in order[-30:])
    study.close()


def test_topic_order_groups_new_cards_by_topic(db_url: str) -> None:
    items = [card(1, topic="neurons"), card(2, topic="losses"), card(3, topic="neurons")]
    items += [card(4, bank="b2", topic="losses"), card(5, bank="b2", topic="neurons")]
    study = open_at(db_url, items, "topic")
    topics = {i.key: i.topic for i in study.browse.card_infos()}
    order = new_order(study)
    items_only = [k for k in order if not k.startswith("skill:")]
    assert items_only == ["b1-1", "b1-3", "b2-5", "b1-2", "b2-4"]  # neurons, then losses
    seen = [topics[k] for k in order]
    # every topic's cards together (skills land with their own topic)
    runs = [t for n, t in enumerate(seen) if n == 0 or seen[n - 1] != t]
    assert len(runs) == len(set(seen))
    study.close()


def test_changing_the_order_reorders_only_new_cards(db_url: str) -> None:
    items = [card(i) for i in range(1, 4)] + [card(i, bank="b2") for i in range(1, 4)]
    study = open_at(db_url, items, "bank")
    assert new_order(study)[:3] == ["b1-1", "b1-2", "b1-3"]
    first = study.reviews.next_card()
    assert first is not None and first.item is not None and first.item.id == "b1-1"
    study.reviews.answer(first, 4)  # Easy: a review card now, days away
    before = {i.key: i for i in study.browse.card_infos()}["b1-1"]

    study.settings.save(replace(study.settings.current(), new_card_order="mixed"))
    # round-robin over (bank, kind) groups, the skill cards one group: b1-1 (studied),
    # b2-1, a skill, b1-2, b2-2, a skill, ...
    mixed = new_order(study)
    assert mixed[0] == "b2-1" and mixed[1].startswith("skill:") and mixed[2:4] == ["b1-2", "b2-2"]
    after = {i.key: i for i in study.browse.card_infos()}["b1-1"]
    assert (after.state, after.due, after.reps) == (before.state, before.due, before.reps)
    nxt = study.reviews.next_card()
    assert nxt is not None and nxt.item is not None and nxt.item.id == "b2-1"
    study.reviews.answer(nxt, 3)
    assert study.reviews.next_card() is not None
    # back to bank order: the never-studied cards line up again, the studied ones stay
    study.settings.save(replace(study.settings.current(), new_card_order="bank"))
    assert new_order(study)[:4] == ["b1-2", "b1-3", "b2-2", "b2-3"]
    study.close()


def test_an_unknown_order_is_refused(db_url: str) -> None:
    from quizapp.errors import QuizappError

    study = open_at(db_url, [card(1)])
    with pytest.raises(QuizappError, match="new card order"):
        study.settings.save(replace(study.settings.current(), new_card_order="random"))  # type: ignore[arg-type]
    study.close()


# -- one card per cloze gap -------------------------------------------------------------------


def test_a_two_gap_cloze_makes_two_cards_with_their_own_progress(db_url: str) -> None:
    two = cloze("cz", "ReLU outputs {{max(0, z)}}, so a negative input gives {{0}}.")
    study = open_at(db_url, [two], "bank")
    infos = {i.key: i for i in study.browse.card_infos() if i.kind == "cloze"}
    assert set(infos) == {"cz#c1", "cz#c2"}
    c1 = study.reviews.next_card()
    assert c1 is not None and c1.gap == 1 and c1.item is not None and c1.item.id == "cz"
    study.reviews.answer(c1, 4)
    c2 = study.reviews.next_card()
    assert c2 is not None and c2.gap == 2
    infos = {i.key: i for i in study.browse.card_infos() if i.kind == "cloze"}
    assert infos["cz#c1"].reps == 1 and infos["cz#c1"].state == "review"
    assert infos["cz#c2"].reps == 0 and infos["cz#c2"].state == "new"
    study.close()


def test_an_old_single_cloze_card_keeps_its_progress_as_c1(db_url: str) -> None:
    two = cloze("cz", "ReLU outputs {{max(0, z)}}, so a negative input gives {{0}}.")
    study = open_at(db_url, [two], "bank")
    first = study.reviews.next_card()
    assert first is not None
    study.reviews.answer(first, 4)
    # as an older version stored it: one card keyed by the item id
    with study.store.write() as tx:
        from sqlalchemy import delete, update

        from quizapp.store.tables import CARDS, MEM, mine

        by_key = CARDS.select().with_only_columns(CARDS.c.id).where(mine(CARDS))
        c2 = tx.scalar(by_key.where(CARDS.c.key == "cz#c2"))
        tx.run(delete(MEM).where(mine(MEM), MEM.c.card_id == c2))
        tx.run(delete(CARDS).where(mine(CARDS), CARDS.c.id == c2))
        tx.run(update(CARDS).where(mine(CARDS), CARDS.c.key == "cz#c1").values(key="cz"))
        tx.run(update(CARDS).where(mine(CARDS)).values(bank=None))
        from quizapp.store.content import CONTENT_HASH_KEY
        from quizapp.store.settings import set_value

        set_value(tx, CONTENT_HASH_KEY, "old")
    report = study.content.sync([two])
    assert report.added == 1 and report.retired == 0
    infos = {i.key: i for i in study.browse.card_infos(include_retired=True) if i.kind == "cloze"}
    assert set(infos) == {"cz#c1", "cz#c2"}
    assert infos["cz#c1"].card_id == first.card_id
    assert infos["cz#c1"].reps == 1 and infos["cz#c1"].state == "review"
    assert infos["cz#c2"].state == "new"
    assert study.browse.recent_answers(card_id=first.card_id)  # its answer is still its own
    study.close()


# -- what to study ----------------------------------------------------------------------------


def scope_items() -> list[Item]:
    return [
        card(1, bank="alpha", topic="neurons"),
        card(2, bank="alpha", topic="losses"),
        card(3, bank="beta", topic="losses"),
        card(4, bank="beta", topic="neurons"),
    ]


def test_study_one_bank_or_one_topic_in_next_card_and_due_counts(db_url: str) -> None:
    study = open_at(db_url, scope_items(), "bank")
    skills_in_losses = sum(
        1 for i in study.browse.card_infos() if i.kind == "skill" and i.topic == "losses"
    )
    assert study.reviews.due_counts().new == 20  # the daily limit, over everything

    beta = study.reviews.find_study("beta")
    assert beta == StudyChoice("bank", "beta")
    study.reviews.study(beta)
    assert study.reviews.due_counts().new == 2
    shown = study.reviews.next_card()
    assert shown is not None and shown.item is not None and shown.item.bank == "beta"
    study.reviews.answer(shown, 1)  # Again: learning, due in a minute
    assert study.reviews.due_counts().new == 1

    losses = study.reviews.find_study("LOSSES")  # case is forgiven
    assert losses == StudyChoice("topic", "losses")
    study.reviews.study(losses)
    counts = study.reviews.due_counts()
    assert counts.new == 1 + skills_in_losses  # alpha-2 and the loss skills; beta-3 learning
    nxt = study.reviews.next_card()
    assert nxt is not None
    assert nxt.item is not None and nxt.item.id == "alpha-2"

    study.reviews.study(StudyChoice("bank", "skills"))
    skill = study.reviews.next_card()
    assert skill is not None and skill.is_skill

    study.reviews.study(StudyChoice("all", ""))
    assert study.reviews.due_counts().new == 19  # the daily limit is shared: one new done
    assert study.reviews.find_study("nope") is None
    choices = study.reviews.study_choices()
    assert choices[0] == StudyChoice("all", "")
    assert StudyChoice("bank", "alpha") in choices and StudyChoice("bank", "skills") in choices
    assert StudyChoice("topic", "neurons") in choices
    study.close()


def test_study_option_names_an_unknown_bank_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["--db", url, "--study", "no-such-bank"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-bank" in err and err.startswith("quizapp: ")
    assert not (tmp_path / "p.db").exists()  # refused before anything was opened


def test_migrated_cards_get_their_bank(db_url: str) -> None:
    study = open_at(db_url, scope_items())
    from sqlalchemy.orm import Session

    with Session(study.store.engine) as s:
        banks = {c.key: c.bank for c in s.query(Card)}
    assert banks["alpha-1"] == "alpha" and banks["skill:weighted_sum:easy"] == "skills"
    study.close()
