"""Cards and their memory: the study queue (Anki's order, daily limits), due counts, one
card's memory read and written, retiring and unburying.

Every function takes a `Tx` already inside a transaction; the caller commits. On SQLite
the statements run compiled once, straight on the DBAPI cursor: the review loop needs no ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, case, func, literal, or_, select, update
from sqlalchemy.sql.expression import Executable

from quizapp.scheduling.memory import (
    NEW,
    Q_BURIED,
    Q_LEARN,
    Q_NEW,
    Q_RETIRED,
    Q_REVIEW,
    REVIEW,
    Memory,
)
from quizapp.store.daily_counts import done_today
from quizapp.store.tables import CARDS, MEM, me, mine
from quizapp.store.transaction import NO_PARAMS, Params, Tx

MEMORY_COLUMNS = (
    MEM.c.card_id,
    MEM.c.state,
    MEM.c.step,
    MEM.c.stability,
    MEM.c.difficulty,
    MEM.c.due,
    MEM.c.last_review,
    MEM.c.reps,
    MEM.c.lapses,
    MEM.c.queue,
    MEM.c.suspended,
    MEM.c.leech,
    MEM.c.buried_until,
)
N_MEMORY = len(MEMORY_COLUMNS)
CARD_COLUMNS = (
    CARDS.c.kind,
    CARDS.c.item_id,
    CARDS.c.family,
    CARDS.c.difficulty,
    CARDS.c.key,
    CARDS.c.topic,
    CARDS.c.retired,
    MEM.c.flag,
)
# every statement reads and writes the transaction's learner's rows only (`mine`): the queue
# walks card_memory's (learner, queue, due) index; the card joined is checked too
_MY_MEM = mine(MEM)
_MY_CARDS = mine(CARDS)
_WITH_CARD = (
    select(*MEMORY_COLUMNS, *CARD_COLUMNS)
    .join_from(MEM, CARDS, MEM.c.card_id == CARDS.c.id)
    .where(_MY_MEM, _MY_CARDS)
)
# the study scope (Anki's deck): one bank's or one topic's cards. The queue's statements come
# in two versions: as written below (every card: the fast path, on the indexes), and limited
# to a scope (`SCOPED`), which `scoped(tx, ...)` runs in their place.
IN_SCOPE = or_(
    and_(bindparam("s_kind") == "bank", CARDS.c.bank == bindparam("s_name")),
    and_(bindparam("s_kind") == "topic", CARDS.c.topic == bindparam("s_name")),
)
_MEM_IN_SCOPE = MEM.c.card_id.in_(select(CARDS.c.id).where(_MY_CARDS, IN_SCOPE))
ONE_CARD = _WITH_CARD.where(MEM.c.card_id == bindparam("card_id"))
ALL_CARDS = _WITH_CARD.order_by(CARDS.c.position)
ACTIVE_CARDS = ALL_CARDS.where(CARDS.c.retired.is_(False))
POSITION = select(CARDS.c.position).where(CARDS.c.id == bindparam("card_id"), _MY_CARDS)
NEXT_LEARNING = (
    _WITH_CARD.where(
        MEM.c.queue == Q_LEARN,
        MEM.c.due <= bindparam("until"),
        MEM.c.card_id != bindparam("skip"),
    )
    .order_by(MEM.c.due)
    .limit(1)
)
NEXT_REVIEW = (
    _WITH_CARD.where(MEM.c.queue == Q_REVIEW, MEM.c.due < bindparam("until"))
    .order_by(MEM.c.due)
    .limit(1)
)
NEXT_NEW = _WITH_CARD.where(MEM.c.queue == Q_NEW).order_by(MEM.c.due).limit(1)


def _counts(extra: Any = None) -> tuple[Any, Any, Any]:
    """The three due-count statements, limited by `extra` (a condition on card_memory)."""
    more = (_MY_MEM,) if extra is None else (_MY_MEM, extra)
    learning = (
        select(func.count())
        .select_from(MEM)
        .where(MEM.c.queue == Q_LEARN, MEM.c.due <= bindparam("until"), *more)
    )
    review = select(func.count()).select_from(
        select(literal(1).label("one"))
        .where(MEM.c.queue == Q_REVIEW, MEM.c.due < bindparam("until"), *more)
        .limit(bindparam("cap"))
        .subquery()
    )
    new = select(func.count()).select_from(
        select(literal(1).label("one"))
        .where(MEM.c.queue == Q_NEW, *more)
        .limit(bindparam("cap"))
        .subquery()
    )
    return learning, review, new


COUNT_LEARNING, COUNT_REVIEW_CAPPED, COUNT_NEW_CAPPED = _counts()
_SCOPED_COUNTS = _counts(_MEM_IN_SCOPE)
SCOPED: dict[Any, Any] = {  # each queue statement -> the same limited to the study scope
    NEXT_LEARNING: NEXT_LEARNING.where(IN_SCOPE),
    NEXT_REVIEW: NEXT_REVIEW.where(IN_SCOPE),
    NEXT_NEW: NEXT_NEW.where(IN_SCOPE),
    COUNT_LEARNING: _SCOPED_COUNTS[0],
    COUNT_REVIEW_CAPPED: _SCOPED_COUNTS[1],
    COUNT_NEW_CAPPED: _SCOPED_COUNTS[2],
}
NEXT_DUE = select(func.min(MEM.c.due)).where(
    _MY_MEM, MEM.c.queue.between(Q_LEARN, Q_REVIEW), MEM.c.due > bindparam("after")
)
ANY_NEW = select(MEM.c.card_id).where(_MY_MEM, MEM.c.queue == Q_NEW).limit(1)
MEMORY_FIELDS = tuple(c.name for c in MEMORY_COLUMNS[1:])  # all but card_id
LOAD_MEMORY = select(*MEMORY_COLUMNS).where(MEM.c.card_id == bindparam("card_id"), _MY_MEM)
_SET_MEMORY: dict[str, BindParameter[Any]] = {
    name: bindparam(f"v_{name}") for name in MEMORY_FIELDS
}
_MY_MEMORY_ROW = and_(MEM.c.card_id == bindparam("b_card_id"), _MY_MEM)
UPDATE_MEMORY = update(MEM).where(_MY_MEMORY_ROW).values(_SET_MEMORY)


# the same, only if the row is still what the caller read (another instance may have
# answered, suspended, buried, reset or retired the card since)
UPDATE_MEMORY_IF_UNCHANGED = (
    update(MEM)
    .where(
        and_(
            _MY_MEMORY_ROW,
            MEM.c.reps == bindparam("b_reps"),
            MEM.c.due == bindparam("b_due"),
            MEM.c.queue == bindparam("b_queue"),
            MEM.c.lapses == bindparam("b_lapses"),
            MEM.c.suspended == bindparam("b_suspended"),
        )
    )
    .values(_SET_MEMORY)
)
RETIRE_CARD = (
    update(CARDS).where(CARDS.c.id == bindparam("b_card_id"), _MY_CARDS).values(retired=True)
)
RETIRE_MEMORY = update(MEM).where(_MY_MEMORY_ROW).values(queue=Q_RETIRED)
UNBURY = (
    update(MEM)
    .where(_MY_MEM, MEM.c.queue == Q_BURIED, MEM.c.buried_until <= bindparam("today"))
    .values(
        queue=case((MEM.c.state == NEW, Q_NEW), (MEM.c.state == REVIEW, Q_REVIEW), else_=Q_LEARN),
        buried_until=None,
    )
)


@dataclass(frozen=True, slots=True)
class CardRow:
    """A card with its memory, as the queue and browse read it."""

    memory: Memory
    kind: str  # flashcard | cloze | skill
    item_id: str | None
    family: str | None
    difficulty: str
    key: str  # the item id, or "skill:<family>:<difficulty>"
    topic: str
    retired: bool
    flag: int = 0  # 0 none, 1-4 the flag colours

    @property
    def card_id(self) -> int:
        return self.memory.card_id


def card_from_row(row: tuple[Any, ...]) -> CardRow:
    kind, item_id, family, difficulty, key, topic, retired, flag = row[N_MEMORY:]
    return CardRow(
        memory_from_row(row),
        kind,
        item_id,
        family,
        difficulty,
        key,
        topic,
        bool(retired),
        int(flag or 0),
    )


@dataclass(frozen=True, slots=True)
class Limits:
    """Today's study window and what the daily limits still allow."""

    now: float  # epoch s
    day_end: float  # next rollover, epoch s
    today: int  # study day
    new_per_day: int
    reviews_per_day: int
    learn_ahead_s: float = 20 * 60.0  # Anki's default: show learning cards early when idle


def memory_from_row(row: tuple[Any, ...]) -> Memory:
    (card_id, state, step, stab, diff, due, last, reps, lapses, queue, susp, leech, buried) = row[
        :N_MEMORY
    ]
    return Memory(
        card_id, state, step, stab, diff, due, last, reps, lapses, queue, bool(susp),
        bool(leech), buried,
    )  # fmt: skip


def memory_params(m: Memory) -> dict[str, Any]:
    """Bind values for UPDATE_MEMORY (and its checked variant) setting the row to `m`."""
    return {
        "b_card_id": m.card_id,
        "v_state": m.state,
        "v_step": m.step,
        "v_stability": m.stability,
        "v_difficulty": m.difficulty,
        "v_due": m.due,
        "v_last_review": m.last_review,
        "v_reps": m.reps,
        "v_lapses": m.lapses,
        "v_queue": m.queue,
        "v_suspended": m.suspended,
        "v_leech": m.leech,
        "v_buried_until": m.buried_until,
    }


def pick_next(tx: Tx, lim: Limits, skip: int | None = None) -> CardRow | None:
    """Anki's queue order: learning cards due now, then reviews due today (oldest due first,
    within the review limit), then new cards in bank order (within the new limit); when
    nothing else is left, learning cards due within the learn-ahead window. `skip` (the card
    just answered) comes back only when no other card is waiting, as in Anki."""
    row = tx.first(NEXT_LEARNING, {"until": lim.now, "skip": -1 if skip is None else skip})
    if row is None:
        new_done, reviews_done = done_today(tx, lim.today)
        if lim.reviews_per_day - reviews_done > 0:
            row = tx.first(NEXT_REVIEW, {"until": lim.day_end})
        if row is None and lim.new_per_day - new_done > 0:
            row = tx.first(NEXT_NEW)
        ahead = lim.now + lim.learn_ahead_s
        if row is None and skip is not None:
            row = tx.first(NEXT_LEARNING, {"until": ahead, "skip": skip})
        if row is None:
            row = tx.first(NEXT_LEARNING, {"until": ahead, "skip": -1})
    return None if row is None else card_from_row(row)


def load_card(tx: Tx, card_id: int) -> CardRow | None:
    row = tx.first(ONE_CARD, {"card_id": card_id})
    return None if row is None else card_from_row(row)


def all_cards(tx: Tx, *, include_retired: bool = False) -> list[CardRow]:
    """Every card in bank order (retired ones too, if asked)."""
    rows = tx.all(ALL_CARDS if include_retired else ACTIVE_CARDS)
    return [card_from_row(r) for r in rows]


def position(tx: Tx, card_id: int) -> int | None:
    """The card's place in bank order (where a reset card goes back in the new queue)."""
    found = tx.scalar(POSITION, {"card_id": card_id})
    return None if found is None else int(found)


def due_counts(tx: Tx, lim: Limits) -> tuple[int, int, int]:
    """(learning, review, new) still to study today, with the daily limits applied."""
    new_done, reviews_done = done_today(tx, lim.today)
    learning = tx.scalar(COUNT_LEARNING, {"until": lim.now + lim.learn_ahead_s})
    review_cap = max(0, lim.reviews_per_day - reviews_done)
    new_cap = max(0, lim.new_per_day - new_done)
    review = tx.scalar(COUNT_REVIEW_CAPPED, {"until": lim.day_end, "cap": review_cap})
    new = tx.scalar(COUNT_NEW_CAPPED, {"cap": new_cap})
    return int(learning), int(review), int(new)


def next_due(tx: Tx, after: float) -> float | None:
    """The earliest due time of a learning or review card after `after`."""
    due: float | None = tx.scalar(NEXT_DUE, {"after": after})
    return due


def has_new_cards(tx: Tx) -> bool:
    return tx.first(ANY_NEW) is not None


def load_memory(tx: Tx, card_id: int) -> Memory | None:
    row = tx.first(LOAD_MEMORY, {"card_id": card_id})
    return memory_from_row(row) if row is not None else None


def update_memory(tx: Tx, m: Memory) -> None:
    tx.run(UPDATE_MEMORY, memory_params(m))


def update_memory_if_unchanged(tx: Tx, was: Memory, m: Memory) -> bool:
    """Set the row to `m` only if it still holds `was`; whether it did."""
    params = memory_params(m)
    params.update(
        b_reps=was.reps,
        b_due=was.due,
        b_queue=was.queue,
        b_lapses=was.lapses,
        b_suspended=was.suspended,
    )
    return tx.run(UPDATE_MEMORY_IF_UNCHANGED, params) == 1


FLAG_OF = select(MEM.c.flag).where(MEM.c.card_id == bindparam("card_id"), _MY_MEM)
SET_FLAG = update(MEM).where(_MY_MEMORY_ROW).values(flag=bindparam("v_flag"))


def load_flag(tx: Tx, card_id: int) -> int:
    """The card's flag: 0 none, 1 red, 2 orange, 3 green, 4 blue."""
    found = tx.scalar(FLAG_OF, {"card_id": card_id})
    return int(found or 0)


def set_flag(tx: Tx, card_id: int, flag: int) -> None:
    tx.run(SET_FLAG, {"b_card_id": card_id, "v_flag": flag})


def retire_card(tx: Tx, card_id: int) -> None:
    """Set a card aside whose bank item is not loaded (its memory and history stay)."""
    tx.run(RETIRE_CARD, {"b_card_id": card_id})
    tx.run(RETIRE_MEMORY, {"b_card_id": card_id})


def unbury(tx: Tx, today: int) -> int:
    """Return cards buried until `today` (or earlier) to their queues."""
    return tx.run(UNBURY, {"today": today})


Scope = tuple[str, str]  # ("all", ""), ("bank", bank name) or ("topic", topic id)
ALL_SCOPE: Scope = ("all", "")


class ScopedTx:
    """`tx` with reads limited to a study scope: `pick_next(scoped(tx, s), lim)` and
    `due_counts(scoped(tx, s), lim)` see only that bank's or topic's cards."""

    __slots__ = ("_params", "_tx")

    def __init__(self, tx: Tx, scope: Scope) -> None:
        self._tx = tx
        self._params = {"s_kind": scope[0], "s_name": scope[1]}

    def _limited(self, stmt: Executable, params: Params) -> tuple[Executable, Params]:
        limited = SCOPED.get(stmt)
        return (stmt, params) if limited is None else (limited, {**self._params, **params})

    def first(self, stmt: Executable, params: Params = NO_PARAMS) -> tuple[Any, ...] | None:
        return self._tx.first(*self._limited(stmt, params))

    def all(self, stmt: Executable, params: Params = NO_PARAMS) -> list[tuple[Any, ...]]:
        return self._tx.all(*self._limited(stmt, params))

    def scalar(self, stmt: Executable, params: Params = NO_PARAMS) -> Any:
        return self._tx.scalar(*self._limited(stmt, params))

    def run(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        return self._tx.run(stmt, params)  # writes are never scoped

    def insert(self, stmt: Executable, params: Params = NO_PARAMS) -> int:
        return self._tx.insert(stmt, params)

    def many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        self._tx.many(stmt, rows)


def scoped(tx: Tx, scope: Scope) -> Tx:
    return tx if scope == ALL_SCOPE else ScopedTx(tx, scope)


STUDY_BANKS = select(CARDS.c.bank).where(_MY_CARDS, CARDS.c.retired.is_(False)).distinct()
STUDY_TOPICS = select(CARDS.c.topic).where(_MY_CARDS, CARDS.c.retired.is_(False)).distinct()


def study_banks(tx: Tx) -> list[str]:
    """The banks of the active cards (the skill cards' is "skills"), by name."""
    return sorted(str(b) for (b,) in tx.all(STUDY_BANKS) if b)


def study_topics(tx: Tx) -> list[str]:
    return sorted(str(t) for (t,) in tx.all(STUDY_TOPICS) if t)


# --- question cards: a quiz or exam question answered wrong, spaced like any card ---------

QUESTION_PREFIX = "quiz:"  # a question card's key: "quiz:<item id>" (item ids never hold ":")
QUESTION_CARD_KINDS = frozenset({"single_choice", "multiple_response", "true_false"})
CARD_WITH_KEY = select(CARDS.c.id).where(_MY_CARDS, CARDS.c.key == bindparam("key"))
MAX_POSITION = select(func.max(CARDS.c.position)).where(_MY_CARDS)
MIN_NEW_DUE = select(func.min(MEM.c.due)).where(_MY_MEM, MEM.c.queue == Q_NEW)
_ADD_QUESTION_CARD = CARDS.insert().values(
    learner=me(),
    key=bindparam("v_key"),
    kind="question",
    item_id=bindparam("v_item_id"),
    family=None,
    difficulty=bindparam("v_difficulty"),
    topic=bindparam("v_topic"),
    domain=bindparam("v_domain"),
    bank=bindparam("v_bank"),
    position=bindparam("v_position"),
    retired=False,
    created_at=bindparam("v_now"),
)
_ADD_QUESTION_MEMORY = MEM.insert().values(
    learner=me(), card_id=bindparam("v_card_id"), state=NEW, due=bindparam("v_due"), queue=Q_NEW
)


def question_key(item_id: str) -> str:
    return f"{QUESTION_PREFIX}{item_id}"


def add_question_card(
    tx: Tx,
    item_id: str,
    *,
    topic: str,
    domain: str,
    now: float,
    difficulty: str = "medium",
    bank: str | None = None,
) -> int | None:
    """The card of a missed quiz question, created new at the front of the new queue (it
    was just missed); None when the item has a card already, whatever its state (a
    suspended or retired one stays as the learner left it). Bank order: after every card."""
    if tx.scalar(CARD_WITH_KEY, {"key": question_key(item_id)}) is not None:
        return None
    position = int(tx.scalar(MAX_POSITION) or 0) + 1
    first_new = tx.scalar(MIN_NEW_DUE)
    due = min(0.0, float(first_new)) - 1.0 if first_new is not None else -1.0
    card_id = tx.insert(
        _ADD_QUESTION_CARD,
        {
            "v_key": question_key(item_id),
            "v_item_id": item_id,
            "v_difficulty": difficulty,
            "v_topic": topic,
            "v_domain": domain,
            "v_bank": bank,
            "v_position": position,
            "v_now": now,
        },
    )
    tx.run(_ADD_QUESTION_MEMORY, {"v_card_id": card_id, "v_due": due})  # its key is given
    return card_id


_FRESH_QUESTION_CARD = (
    select(CARDS.c.id)
    .join_from(CARDS, MEM, MEM.c.card_id == CARDS.c.id)
    .where(
        _MY_CARDS,
        _MY_MEM,
        CARDS.c.key == bindparam("key"),
        CARDS.c.created_at >= bindparam("since"),
        MEM.c.reps == 0,
        MEM.c.state == NEW,
    )
)
_DELETE_MEMORY = MEM.delete().where(MEM.c.card_id == bindparam("b_id"), _MY_MEM)
_DELETE_CARD = CARDS.delete().where(CARDS.c.id == bindparam("b_id"), _MY_CARDS)


def drop_fresh_question_card(tx: Tx, item_id: str, *, since: float) -> bool:
    """Delete the item's question card if it was made at `since` or later and never
    reviewed (an exam answer corrected before the exam was submitted); whether it was."""
    card_id = tx.scalar(_FRESH_QUESTION_CARD, {"key": question_key(item_id), "since": since})
    if card_id is None:
        return False
    tx.run(_DELETE_MEMORY, {"b_id": card_id})
    tx.run(_DELETE_CARD, {"b_id": card_id})
    return True
