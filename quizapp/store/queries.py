"""The study hot path as Core statements built once: picking the next card, due counts,
writing an answer and undoing it.

Every function takes a `Runner` (see `quizapp.store.runner`) already inside a transaction;
the caller commits. On SQLite the statements run compiled once, straight on the DBAPI
cursor; no ORM objects here: the identity map is overhead the review loop does not need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, case, delete, func, insert, literal, select, update

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
from quizapp.store.models import Card, CardMemory, DailyCount, PracticeAttemptRow, ReviewLog
from quizapp.store.runner import Runner

if TYPE_CHECKING:
    from sqlalchemy import Connection

MEM = CardMemory.__table__
CARDS = Card.__table__
LOG = ReviewLog.__table__
PRACTICE = PracticeAttemptRow.__table__
DAYS = DailyCount.__table__

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
CARD_COLUMNS = (CARDS.c.kind, CARDS.c.item_id, CARDS.c.family, CARDS.c.difficulty)

_WITH_CARD = select(*MEMORY_COLUMNS, *CARD_COLUMNS).join_from(
    MEM, CARDS, MEM.c.card_id == CARDS.c.id
)
NEXT_LEARNING = (
    _WITH_CARD.where(MEM.c.queue == Q_LEARN, MEM.c.due <= bindparam("until"))
    .order_by(MEM.c.due)
    .limit(1)
)
NEXT_REVIEW = (
    _WITH_CARD.where(MEM.c.queue == Q_REVIEW, MEM.c.due < bindparam("until"))
    .order_by(MEM.c.due)
    .limit(1)
)
NEXT_NEW = _WITH_CARD.where(MEM.c.queue == Q_NEW).order_by(MEM.c.due).limit(1)

DONE_TODAY = select(DAYS.c.new_done, DAYS.c.reviews_done).where(
    DAYS.c.study_day == bindparam("day")
)
COUNT_DAY = (
    update(DAYS)
    .where(DAYS.c.study_day == bindparam("day"))
    .values(
        answers=DAYS.c.answers + bindparam("d_answers"),
        new_done=DAYS.c.new_done + bindparam("d_new"),
        reviews_done=DAYS.c.reviews_done + bindparam("d_reviews"),
    )
)
INSERT_DAY = insert(DAYS).values(
    study_day=bindparam("v_day"),
    answers=bindparam("v_answers"),
    new_done=bindparam("v_new"),
    reviews_done=bindparam("v_reviews"),
)
COUNT_LEARNING = (
    select(func.count())
    .select_from(MEM)
    .where(MEM.c.queue == Q_LEARN, MEM.c.due <= bindparam("until"))
)
COUNT_REVIEW_CAPPED = select(func.count()).select_from(
    select(literal(1).label("one"))
    .where(MEM.c.queue == Q_REVIEW, MEM.c.due < bindparam("until"))
    .limit(bindparam("cap"))
    .subquery()
)
COUNT_NEW_CAPPED = select(func.count()).select_from(
    select(literal(1).label("one")).where(MEM.c.queue == Q_NEW).limit(bindparam("cap")).subquery()
)
NEXT_DUE = select(func.min(MEM.c.due)).where(
    MEM.c.queue.between(Q_LEARN, Q_REVIEW), MEM.c.due > bindparam("after")
)
ANY_NEW = select(MEM.c.card_id).where(MEM.c.queue == Q_NEW).limit(1)

MEMORY_FIELDS = tuple(c.name for c in MEMORY_COLUMNS[1:])  # all but card_id
LOAD_MEMORY = select(*MEMORY_COLUMNS).where(MEM.c.card_id == bindparam("card_id"))
_SET_MEMORY = {name: bindparam(f"v_{name}") for name in MEMORY_FIELDS}
UPDATE_MEMORY = update(MEM).where(MEM.c.card_id == bindparam("b_card_id")).values(_SET_MEMORY)
# the same, only if the row is still what the caller read (another instance may have
# answered, suspended, buried, reset or retired the card since)
UPDATE_MEMORY_IF_UNCHANGED = (
    update(MEM)
    .where(
        and_(
            MEM.c.card_id == bindparam("b_card_id"),
            MEM.c.reps == bindparam("b_reps"),
            MEM.c.due == bindparam("b_due"),
            MEM.c.queue == bindparam("b_queue"),
            MEM.c.lapses == bindparam("b_lapses"),
            MEM.c.suspended == bindparam("b_suspended"),
        )
    )
    .values(_SET_MEMORY)
)
LOG_FIELDS = tuple(c.name for c in LOG.columns if c.name != "id")
INSERT_LOG = insert(LOG).values({name: bindparam(f"v_{name}") for name in LOG_FIELDS})
LOG_UNDO_COLUMNS = (
    LOG.c.card_id,
    LOG.c.study_day,
    LOG.c.state_before,
    LOG.c.step_before,
    LOG.c.stability_before,
    LOG.c.difficulty_before,
    LOG.c.due_before,
    LOG.c.last_review_before,
    LOG.c.lapses_before,
    LOG.c.queue_before,
    LOG.c.suspended_before,
    LOG.c.leech_before,
    LOG.c.buried_until_before,
)
LOG_ROW = select(*LOG_UNDO_COLUMNS).where(LOG.c.id == bindparam("log_id"))
LATEST_LOG_OF_CARD = select(func.max(LOG.c.id)).where(LOG.c.card_id == bindparam("card_id"))
DELETE_LOG = delete(LOG).where(LOG.c.id == bindparam("log_id"))
PRACTICE_FIELDS = tuple(c.name for c in PRACTICE.columns if c.name != "id")
INSERT_PRACTICE = insert(PRACTICE).values(
    {name: bindparam(f"v_{name}") for name in PRACTICE_FIELDS}
)
RETIRE_CARD = update(CARDS).where(CARDS.c.id == bindparam("b_card_id")).values(retired=True)
RETIRE_MEMORY = update(MEM).where(MEM.c.card_id == bindparam("b_card_id")).values(queue=Q_RETIRED)
UNBURY = (
    update(MEM)
    .where(MEM.c.queue == Q_BURIED, MEM.c.buried_until <= bindparam("today"))
    .values(
        queue=case((MEM.c.state == NEW, Q_NEW), (MEM.c.state == REVIEW, Q_REVIEW), else_=Q_LEARN),
        buried_until=None,
    )
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


def done_today(run: Runner, today: int) -> tuple[int, int]:
    """(new cards introduced, review-state cards answered) on study day `today`."""
    row = run.first(DONE_TODAY, {"day": today})
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


def rebuild_daily_counts(conn: Connection) -> None:
    """Recount `daily_counts` from the review log (after rows were bulk-loaded around it)."""
    log = ReviewLog.__table__
    per_day = select(
        log.c.study_day,
        func.count(),
        func.sum(case((log.c.state_before == NEW, 1), else_=0)),
        func.sum(case((log.c.state_before == REVIEW, 1), else_=0)),
    ).group_by(log.c.study_day)
    conn.execute(delete(DailyCount))
    columns = ["study_day", "answers", "new_done", "reviews_done"]
    conn.execute(insert(DailyCount).from_select(columns, per_day))


def count_answer(run: Runner, day: int, state_before: int, delta: int) -> None:
    """Add (or, for an undo, remove) one answer to the day's counts."""
    new, review = int(state_before == NEW) * delta, int(state_before == REVIEW) * delta
    params = {"day": day, "d_answers": delta, "d_new": new, "d_reviews": review}
    if run.run(COUNT_DAY, params) == 0 and delta > 0:
        run.insert(INSERT_DAY, {"v_day": day, "v_answers": 1, "v_new": new, "v_reviews": review})


def pick_next(run: Runner, lim: Limits) -> tuple[Any, ...] | None:
    """Anki's queue order: learning cards due now, then reviews due today (oldest due first,
    within the review limit), then new cards in bank order (within the new limit); when
    nothing else is left, learning cards due within the learn-ahead window."""
    row = run.first(NEXT_LEARNING, {"until": lim.now})
    if row is not None:
        return row
    new_done, reviews_done = done_today(run, lim.today)
    if lim.reviews_per_day - reviews_done > 0:
        row = run.first(NEXT_REVIEW, {"until": lim.day_end})
        if row is not None:
            return row
    if lim.new_per_day - new_done > 0:
        row = run.first(NEXT_NEW)
        if row is not None:
            return row
    return run.first(NEXT_LEARNING, {"until": lim.now + lim.learn_ahead_s})


def due_counts(run: Runner, lim: Limits) -> tuple[int, int, int]:
    """(learning, review, new) still to study today, with the daily limits applied."""
    new_done, reviews_done = done_today(run, lim.today)
    learning = run.scalar(COUNT_LEARNING, {"until": lim.now + lim.learn_ahead_s})
    review_cap = max(0, lim.reviews_per_day - reviews_done)
    new_cap = max(0, lim.new_per_day - new_done)
    review = run.scalar(COUNT_REVIEW_CAPPED, {"until": lim.day_end, "cap": review_cap})
    new = run.scalar(COUNT_NEW_CAPPED, {"cap": new_cap})
    return int(learning), int(review), int(new)


def next_due(run: Runner, after: float) -> float | None:
    """The earliest due time of a learning or review card after `after`."""
    return run.scalar(NEXT_DUE, {"after": after})


def has_new_cards(run: Runner) -> bool:
    return run.first(ANY_NEW) is not None


def load_memory(run: Runner, card_id: int) -> Memory | None:
    row = run.first(LOAD_MEMORY, {"card_id": card_id})
    return memory_from_row(row) if row is not None else None


def update_memory(run: Runner, m: Memory) -> None:
    run.run(UPDATE_MEMORY, memory_params(m))


def update_memory_if_unchanged(run: Runner, was: Memory, m: Memory) -> bool:
    """Set the row to `m` only if it still holds `was`; whether it did."""
    params = memory_params(m)
    params.update(
        b_reps=was.reps,
        b_due=was.due,
        b_queue=was.queue,
        b_lapses=was.lapses,
        b_suspended=was.suspended,
    )
    return run.run(UPDATE_MEMORY_IF_UNCHANGED, params) == 1


def insert_log(
    run: Runner,
    before: Memory,
    after: Memory,
    grade: int,
    *,
    at: float,
    day: int,
    duration_ms: int | None,
) -> int:
    """The answer's log row, with the memory before it (for undo), counted in its day."""
    count_answer(run, day, before.state, 1)
    return run.insert(
        INSERT_LOG,
        {
            "v_card_id": before.card_id,
            "v_grade": grade,
            "v_reviewed_at": at,
            "v_study_day": day,
            "v_duration_ms": duration_ms,
            "v_state": after.state,
            "v_stability": after.stability,
            "v_difficulty": after.difficulty,
            "v_due": after.due,
            "v_state_before": before.state,
            "v_step_before": before.step,
            "v_stability_before": before.stability,
            "v_difficulty_before": before.difficulty,
            "v_due_before": before.due,
            "v_last_review_before": before.last_review,
            "v_lapses_before": before.lapses,
            "v_queue_before": before.queue,
            "v_suspended_before": before.suspended,
            "v_leech_before": before.leech,
            "v_buried_until_before": before.buried_until,
        },
    )


def undo_answer(run: Runner, log_id: int) -> int | None:
    """Restore the card to its memory before answer `log_id` and delete that log row.

    Refuses (None) if the row is gone or the card was answered again since (e.g. by another
    instance): undoing it then would throw away a later answer.
    """
    log = run.first(LOG_ROW, {"log_id": log_id})
    if log is None:
        return None
    card_id, day = int(log[0]), int(log[1])
    if run.scalar(LATEST_LOG_OF_CARD, {"card_id": card_id}) != log_id:
        return None
    current = load_memory(run, card_id)
    assert current is not None
    state, step, stab, diff, due, last, lapses, queue, susp, leech, buried = log[2:]
    if current.queue == Q_RETIRED:
        queue = Q_RETIRED  # retired since: undo restores the memory, not the queue
    restored = Memory(
        card_id, state, step, stab, diff, due, last, max(0, current.reps - 1), lapses, queue,
        bool(susp), bool(leech), buried,
    )  # fmt: skip
    update_memory(run, restored)
    run.run(DELETE_LOG, {"log_id": log_id})
    count_answer(run, day, state, -1)
    return card_id


def retire_card(run: Runner, card_id: int) -> None:
    """Set a card aside whose bank item is not loaded (its memory and history stay)."""
    run.run(RETIRE_CARD, {"b_card_id": card_id})
    run.run(RETIRE_MEMORY, {"b_card_id": card_id})


def unbury(run: Runner, today: int) -> int:
    """Return cards buried until `today` (or earlier) to their queues."""
    return run.run(UNBURY, {"today": today})


def insert_practice(run: Runner, values: dict[str, Any]) -> int:
    return run.insert(INSERT_PRACTICE, {f"v_{k}": v for k, v in values.items()})
