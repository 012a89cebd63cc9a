"""Learners sharing one database (issue 16): each opens the same progress database with their
own name and sees only their own cards, memory, due counts, review log, undo, daily counts,
settings and cram log; one learner's answers and content syncs never touch another's. A
statement that reads a learner's table without naming the learner is refused.

Runs on SQLite and PostgreSQL (`db_url`). The last tests check every statement of the store
modules here statically, so a statement no test happens to run is checked too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from types import ModuleType

import pytest
from sqlalchemy import Table, func, select, update
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnClause
from sqlalchemy.sql.expression import Executable
from sqlalchemy.sql.operators import eq

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.reviews.cram import CramChoice
from quizapp.reviews.model import StudyChoice
from quizapp.scheduling.memory import NEW
from quizapp.store import (
    cards,
    content,
    cram_log,
    daily_counts,
    imported,
    retention,
    review_history,
    review_log,
    settings,
)
from quizapp.store.tables import CARDS, LEARNED, LEARNER_KEY, MEM, mine
from quizapp.store.transaction import UnlimitedStatement, across_learners

NOW = datetime(2026, 2, 2, 10, tzinfo=UTC)
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "bias")


def card_item(i: int, bank: str = "shared") -> Item:
    return Item(f"{bank}-{i}", "flashcard", bank, SRC, "weights-bias", "Modeling", "easy", "q", "a")


SHARED = [card_item(i) for i in range(4)]
ADA_OWN = card_item(0, bank="ada-deck")  # a card from a bank only ada has


Pair = tuple[Collection, Collection, FakeClock]


@pytest.fixture
def pair(db_url: str) -> Iterator[Pair]:
    """ada and bo on the same database (and clock); ada also has a bank of her own."""
    clock = FakeClock(NOW)
    ada = open_collection(db_url, [*SHARED, ADA_OWN], clock=clock, learner="ada")
    bo = open_collection(db_url, SHARED, clock=clock, learner="bo")
    try:
        yield ada, bo, clock
    finally:
        ada.close()
        bo.close()


def ids_by_key(study: Collection, *, retired: bool = False) -> dict[str, int]:
    with study.store.read() as tx:
        return {r.key: r.card_id for r in cards.all_cards(tx, include_retired=retired)}


def answer_new(study: Collection, n: int, grade: int = 3) -> list[int]:
    done = []
    for _ in range(n):
        card = study.reviews.next_card()
        assert card is not None
        study.reviews.answer(card, grade, elapsed_s=4.0)
        done.append(card.card_id)
    return done


def test_each_learner_has_their_own_cards_and_a_learner_bank_stays_its_owner(pair: Pair) -> None:
    ada, bo, _ = pair
    ada_ids, bo_ids = ids_by_key(ada), ids_by_key(bo)
    assert set(ada_ids) - set(bo_ids) == {ADA_OWN.id}  # ada's own bank card: not bo's
    assert not set(ada_ids.values()) & set(bo_ids.values())  # each has their own card rows
    assert StudyChoice("bank", "ada-deck") in ada.reviews.study_choices()
    assert StudyChoice("bank", "ada-deck") not in bo.reviews.study_choices()
    with bo.store.read() as tx:
        assert "ada-deck" not in cards.study_banks(tx)
        assert cards.load_card(tx, ada_ids[ADA_OWN.id]) is None  # not even by id
        assert cards.load_memory(tx, ada_ids[ADA_OWN.id]) is None
        assert imported.card_ids(tx, [ADA_OWN.id, "shared-1"]) == {"shared-1": bo_ids["shared-1"]}
    assert bo.browse.card_infos(include_retired=True)  # bo's own cards are there
    assert ADA_OWN.id not in {i.key for i in bo.browse.card_infos(include_retired=True)}


def test_answers_change_only_the_learners_own_memory_queue_and_counts(pair: Pair) -> None:
    ada, bo, _ = pair
    bo_counts, bo_first = bo.reviews.due_counts(), bo.reviews.next_card()
    assert bo_first is not None
    answered = answer_new(ada, 3)
    ada_ids, bo_ids = ids_by_key(ada), ids_by_key(bo)
    ada_key_of = {v: k for k, v in ada_ids.items()}
    assert ada.reviews.due_counts() != bo.reviews.due_counts()
    assert bo.reviews.due_counts() == bo_counts  # ada's answers left bo's queue as it was
    again = bo.reviews.next_card()
    assert again is not None and again.card_id == bo_first.card_id
    with ada.store.read() as tx:
        assert daily_counts.done_today(tx, ada.time.moment().today) == (3, 0)
        assert review_history.review_count(tx) == 3
        assert retention.answer_times(tx)["new"][0] == 3
        assert review_log.newest_log_id(tx) > 0
    with bo.store.read() as tx:
        assert daily_counts.done_today(tx, bo.time.moment().today) == (0, 0)
        assert review_history.review_count(tx) == 0 and review_history.review_history(tx) == []
        assert retention.answer_times(tx) == {} and retention.grade_counts(tx) == ({}, {})
        assert review_log.newest_log_id(tx) == 0
        same = [bo_ids[ada_key_of[c]] for c in answered if ada_key_of[c] in bo_ids]
        assert len(same) >= 2
        for card_id in same:  # bo's card of the same item is still new
            memory = cards.load_memory(tx, card_id)
            assert memory is not None and memory.state == NEW and memory.reps == 0
        assert all(m[1] == NEW for m in retention.active_cards(tx))
    assert ada.browse.recent_answers(card_id=answered[0])
    assert bo.browse.recent_answers(card_id=answered[0]) == ()
    # bo cannot write ada's memory by its id either
    with ada.store.read() as tx:
        ada_memory = cards.load_memory(tx, answered[0])
    assert ada_memory is not None
    with bo.store.write() as tx:
        cards.update_memory(tx, replace(ada_memory, reps=99))
        cards.set_flag(tx, answered[0], 2)
    with ada.store.read() as tx:
        assert cards.load_memory(tx, answered[0]) == ada_memory
        assert cards.load_flag(tx, answered[0]) == 0


def test_study_scopes_reviews_and_retention_are_the_learners_own(pair: Pair) -> None:
    ada, bo, clock = pair
    assert bo.reviews.find_study("ada-deck") is None
    ada.reviews.study(StudyChoice("bank", "ada-deck"))
    assert ada.reviews.due_counts().new == 1
    [own] = answer_new(ada, 1, grade=4)  # Easy: in review, due in days
    bo.reviews.study(StudyChoice("bank", "shared"))
    assert bo.reviews.due_counts().new == len(SHARED)
    clock.advance(days=60)
    ada.reviews.study(StudyChoice("all", ""))
    assert ada.reviews.due_counts().review == 1 and bo.reviews.due_counts().review == 0
    card = ada.reviews.next_card()
    assert card is not None and card.card_id == own
    ada.reviews.answer(card, 1)  # a lapse: a review-state answer that failed
    today = ada.time.moment().today
    with ada.store.read() as tx:
        assert retention.retention_by_day(tx, today - 90, today) == [(today, True, 1, 0)]
        assert retention.grade_counts(tx) == ({4: 1}, {1: 1})
        assert daily_counts.done_today(tx, today) == (0, 1)
    with bo.store.read() as tx:
        assert retention.retention_by_day(tx, today - 90, today) == []
        assert cards.next_due(tx, 0.0) is None  # bo has studied nothing
        assert daily_counts.done_today(tx, today) == (0, 0)


def test_undo_takes_back_only_the_learners_own_answers(pair: Pair) -> None:
    ada, bo, _ = pair
    bo.reviews.window = ada.reviews.window  # even under the same window token
    [ada_card] = answer_new(ada, 1)
    assert not bo.reviews.can_undo()
    assert bo.reviews.undo() is None
    with ada.store.read() as tx:
        memory = cards.load_memory(tx, ada_card)
        assert memory is not None and memory.reps == 1
    [bo_card] = answer_new(bo, 1)
    assert ada.reviews.undo() == ada_card  # ada's own, not bo's newer answer
    with bo.store.read() as tx:
        assert review_history.review_count(tx) == 1
    with ada.store.read() as tx:
        assert review_history.review_count(tx) == 0
        memory = cards.load_memory(tx, ada_card)
        assert memory is not None and memory.reps == 0
    assert bo.reviews.can_undo() and not ada.reviews.can_undo()
    assert bo.reviews.undo() == bo_card and not bo.reviews.can_undo()


def test_rebuilding_daily_counts_keeps_the_other_learners_days(pair: Pair) -> None:
    ada, bo, _ = pair
    answer_new(ada, 2)
    answer_new(bo, 1)
    today = ada.time.moment().today
    with bo.store.write() as tx:
        daily_counts.rebuild_daily_counts(tx)
    with ada.store.read() as tx:
        assert daily_counts.done_today(tx, today) == (2, 0)
    with bo.store.read() as tx:
        assert daily_counts.done_today(tx, today) == (1, 0)
    with ada.store.write() as tx:
        daily_counts.rebuild_daily_counts(tx)
        assert daily_counts.done_today(tx, today) == (2, 0)


def test_settings_are_each_learners_own(pair: Pair) -> None:
    ada, bo, _ = pair
    default = bo.settings.current()
    ada.settings.save(replace(ada.settings.current(), new_per_day=1, desired_retention=0.8))
    assert bo.settings.current() == default
    with bo.store.read() as tx:
        assert settings.load_settings(tx).new_per_day == default.new_per_day != 1
    with ada.store.read() as tx:
        assert settings.load_settings(tx).new_per_day == 1
    answer_new(ada, 1)
    assert ada.reviews.due_counts().new == 0  # ada's limit of one new card a day
    assert bo.reviews.due_counts().new == min(default.new_per_day, len(ids_by_key(bo)))


def test_the_cram_log_is_each_learners_own(pair: Pair) -> None:
    ada, bo, clock = pair
    answer_new(ada, 2, grade=4)
    answer_new(bo, 1, grade=4)
    clock.advance(hours=1)
    assert ada.cram.start(CramChoice()) == 2  # only her studied cards
    assert bo.cram.start(CramChoice()) == 1
    card = ada.cram.next_card()
    assert card is not None
    row = ada.cram.answer(card, 3)
    with bo.store.write() as tx:
        assert cram_log.cram_rows(tx) == []
        assert cram_log.delete_cram(tx, row) is None  # not bo's to take back
    with ada.store.read() as tx:
        assert [r[0] for r in cram_log.cram_rows(tx)] == [card.card_id]
        assert tx.scalar(cram_log.COUNT_CRAM) == 1


def test_content_sync_adds_and_retires_only_the_learners_own_cards(pair: Pair) -> None:
    ada, bo, _ = pair
    before = ids_by_key(ada, retired=True)
    report = bo.content.sync([*SHARED[1:], card_item(9)])  # bo's banks: one gone, one new
    assert report.retired == 1 and report.added == 1
    assert ids_by_key(ada, retired=True) == before  # nothing added to ada's
    assert set(ids_by_key(ada)) == set(before)  # nor retired
    assert "shared-0" not in ids_by_key(bo) and "shared-9" in ids_by_key(bo)
    # ada's sync of her unchanged banks is no sync at all: her content hash is her own
    assert ada.content.sync([*SHARED, ADA_OWN]).skipped
    assert not ada.content.sync([*SHARED]).skipped
    assert "shared-0" in ids_by_key(bo, retired=True) and ADA_OWN.id not in ids_by_key(ada)


def test_question_cards_are_each_learners_own(pair: Pair) -> None:
    ada, bo, _ = pair
    n_ada, n_bo = len(ids_by_key(ada)), len(ids_by_key(bo))  # positions 0..n-1
    assert n_ada == n_bo + 1
    at = NOW.timestamp()
    with ada.store.write() as tx:
        first = cards.add_question_card(tx, "q-1", topic="t", domain="d", now=at)
        assert first is not None and cards.position(tx, first) == n_ada
    with bo.store.write() as tx:
        # the same item's card for bo too, after bo's own cards (not after ada's)
        bos = cards.add_question_card(tx, "q-1", topic="t", domain="d", now=at)
        assert bos is not None and bos != first
        assert cards.position(tx, bos) == n_bo
        assert cards.position(tx, first) is None
        assert cards.add_question_card(tx, "q-1", topic="t", domain="d", now=at) is None
    with bo.store.write() as tx:
        assert cards.drop_fresh_question_card(tx, "q-1", since=0.0)
        assert not cards.drop_fresh_question_card(tx, "q-1", since=0.0)
    with ada.store.read() as tx:
        assert cards.load_card(tx, first) is not None  # bo's drop left ada's card


# -- every statement names the learner -------------------------------------------------------


def test_a_statement_that_does_not_name_the_learner_is_refused(db_url: str) -> None:
    study = open_collection(db_url, SHARED, learner="ada")
    other = open_collection(db_url, SHARED, learner="bo")
    try:
        count = select(func.count()).select_from(CARDS)
        for _ in range(2):  # refused every time, not only the first
            with study.store.read() as tx, pytest.raises(UnlimitedStatement, match="cards"):
                tx.scalar(count)
        with study.store.write() as tx, pytest.raises(UnlimitedStatement):
            tx.run(update(CARDS).values(retired=True))
        with study.store.read() as tx:
            assert not any(r.retired for r in cards.all_cards(tx, include_retired=True))
            assert tx.scalar(count.where(mine(CARDS))) == len(ids_by_key(study))
            assert tx.scalar(across_learners(count)) == 2 * len(ids_by_key(study))
    finally:
        study.close()
        other.close()


MODULES = (
    cards,
    content,
    cram_log,
    daily_counts,
    imported,
    retention,
    review_history,
    review_log,
    settings,
)
_LEARNED = {t.name for t in LEARNED}


def statements(module: ModuleType) -> Iterator[tuple[str, Executable]]:
    for name, value in vars(module).items():
        if isinstance(value, Executable):
            yield name, value
        elif isinstance(value, dict | tuple):  # cards.SCOPED, cards._SCOPED_COUNTS
            found = value.values() if isinstance(value, dict) else value
            for i, v in enumerate(found):
                if isinstance(v, Executable):
                    yield f"{name}[{i}]", v


def _base(from_: object) -> str | None:
    """The learner table a FROM element reads (a table or an alias of one), or None."""
    table = getattr(from_, "element", from_)
    name = table.name if isinstance(table, Table) else None
    return name if name in _LEARNED else None


def unlimited(stmt: Executable) -> set[str]:
    """The learner tables (or aliases) `stmt` reads or writes without a `learner` term: one
    equal to the learner's bind, or to the learner column of a table that has one."""
    reads: set[object] = set()
    limited: set[object] = set()
    pairs: list[tuple[object, object]] = []
    target = stmt.table if isinstance(stmt, Insert) else None  # the insert test's business
    for el in visitors.iterate(stmt):
        if isinstance(el, UpdateBase) and not isinstance(el, Insert):
            reads.add(el.table)  # an UPDATE's or DELETE's table
        elif _base(el) and el is not target:
            reads.add(el)  # a table (or alias) in a FROM list
        elif isinstance(el, ColumnClause) and _base(el.table) and el.table is not target:
            reads.add(el.table)  # a FROM that SQLAlchemy takes from the columns
        if isinstance(el, BinaryExpression) and el.operator is eq:
            sides = [el.left, el.right]
            cols = [s for s in sides if isinstance(s, ColumnClause) and s.name == "learner"]
            binds = [s for s in sides if isinstance(s, BindParameter) and s.key == LEARNER_KEY]
            if len(cols) == 1 and binds:
                limited.add(cols[0].table)
            elif len(cols) == 2:
                pairs.append((cols[0].table, cols[1].table))
    for _ in pairs:  # a learner column equal to a limited one is limited
        for a, b in pairs:
            if a in limited or b in limited:
                limited.update((a, b))
    return {str(getattr(f, "name", f)) for f in reads if _base(f) and f not in limited}


def test_every_statement_here_names_the_learner_for_every_table_it_reads() -> None:
    found = {
        f"{m.__name__}.{name}": sorted(unlimited(stmt))
        for m in MODULES
        for name, stmt in statements(m)
    }
    assert len(found) > 70  # the walk found the statements
    assert {k: v for k, v in found.items() if v} == {}


def test_every_insert_here_gives_the_row_its_learner() -> None:
    inserts = [
        (f"{m.__name__}.{name}", stmt)
        for m in MODULES
        for name, stmt in statements(m)
        if isinstance(stmt, Insert)
    ]
    assert len(inserts) >= 8
    for name, stmt in inserts:
        compiled = stmt.compile()
        assert "learner" in compiled.string.split("VALUES")[0].split("SELECT")[0], name
        assert LEARNER_KEY in compiled.binds, name


def test_the_checks_catch_what_they_are_for() -> None:
    assert unlimited(select(CARDS.c.id).where(CARDS.c.id.in_(select(MEM.c.card_id)))) == {
        "cards",
        "card_memory",
    }
    sub = select(MEM.c.card_id).where(mine(MEM))
    assert unlimited(select(CARDS.c.id).where(CARDS.c.id.in_(sub))) == {"cards"}
    assert unlimited(update(CARDS).values(retired=True)) == {"cards"}
    later = MEM.alias("later")
    joined = select(MEM.c.card_id).where(mine(MEM), later.c.learner == MEM.c.learner)
    assert unlimited(joined.where(later.c.card_id == MEM.c.card_id)) == set()
