"""The review log: one row per answer with the memory before it, so an answer can be
undone exactly (and only while it is the card's latest)."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, exists, func, insert, select, update

from quizapp.scheduling.memory import Q_RETIRED, Memory
from quizapp.store.cards import load_memory, update_memory
from quizapp.store.daily_counts import count_answer
from quizapp.store.tables import LOG, me, mine
from quizapp.store.transaction import Tx

LOG_FIELDS = tuple(c.name for c in LOG.columns if c.name not in ("id", "learner"))
INSERT_LOG = insert(LOG).values(
    learner=me(), **{name: bindparam(f"v_{name}") for name in LOG_FIELDS}
)
_MY_LOG = mine(LOG)
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
LOG_ROW = select(*LOG_UNDO_COLUMNS).where(LOG.c.id == bindparam("log_id"), _MY_LOG)
LATEST_LOG_OF_CARD = select(func.max(LOG.c.id)).where(
    LOG.c.card_id == bindparam("card_id"), _MY_LOG
)
DELETE_LOG = delete(LOG).where(LOG.c.id == bindparam("log_id"), _MY_LOG)


def insert_log(
    tx: Tx,
    before: Memory,
    after: Memory,
    grade: int,
    *,
    at: float,
    day: int,
    duration_ms: int | None,
    undo_by: str | None = None,
) -> int:
    """The answer's log row, with the memory before it (for undo), counted in its day;
    `undo_by` names the window that may undo it."""
    count_answer(tx, day, before.state, 1)
    return tx.insert(
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
            "v_undo_by": undo_by,
        },
    )


def undo_answer(tx: Tx, log_id: int) -> int | None:
    """Restore the card to its memory before answer `log_id` and delete that log row.

    Refuses (None) if the row is gone or the card was answered again since (e.g. by another
    instance): undoing it then would throw away a later answer.
    """
    log = tx.first(LOG_ROW, {"log_id": log_id})
    if log is None:
        return None
    card_id, day = int(log[0]), int(log[1])
    if tx.scalar(LATEST_LOG_OF_CARD, {"card_id": card_id}) != log_id:
        return None
    current = load_memory(tx, card_id)
    assert current is not None
    state, step, stab, diff, due, last, lapses, queue, susp, leech, buried = log[2:]
    if current.queue == Q_RETIRED:
        queue = Q_RETIRED  # retired since: undo restores the memory, not the queue
    restored = Memory(
        card_id, state, step, stab, diff, due, last, max(0, current.reps - 1), lapses, queue,
        bool(susp), bool(leech), buried,
    )  # fmt: skip
    update_memory(tx, restored)
    tx.run(DELETE_LOG, {"log_id": log_id})
    count_answer(tx, day, state, -1)
    return card_id


UNDO_DEPTH = 200  # how many of a window's latest answers undo can reach back through
UNDOABLE = (
    select(LOG.c.id)
    .where(_MY_LOG, LOG.c.undo_by == bindparam("window"))
    .order_by(LOG.c.id.desc())
    .limit(UNDO_DEPTH)
)
_LATER = LOG.alias("later")
_UNDOABLE_IDS = UNDOABLE.subquery("undoable")
# one of the window's latest answers that is still its card's latest (so undo would take it);
# a join from those ids, not `id IN (...)`: with the learner's term SQLite would then walk
# all the learner's answers instead of looking up the window's few
CAN_UNDO = (
    select(LOG.c.id)
    .select_from(_UNDOABLE_IDS.join(LOG, LOG.c.id == _UNDOABLE_IDS.c.id))
    .where(
        _MY_LOG,
        ~exists().where(
            _LATER.c.card_id == LOG.c.card_id,
            _LATER.c.learner == LOG.c.learner,
            _LATER.c.id > LOG.c.id,
        ),
    )
    .limit(1)
)
NOT_UNDOABLE = update(LOG).where(LOG.c.id == bindparam("log_id"), _MY_LOG).values(undo_by=None)
CARD_NOT_UNDOABLE = (
    update(LOG).where(LOG.c.card_id == bindparam("b_card_id"), _MY_LOG).values(undo_by=None)
)


def undo_last(tx: Tx, window: str) -> int | None:
    """Undo the window's latest answer that can still be undone (its card not answered
    again since); the card id, or None. Answers that can no longer be undone are marked so
    and passed over, newest first."""
    for (log_id,) in tx.all(UNDOABLE, {"window": window}):
        card_id = undo_answer(tx, int(log_id))
        if card_id is not None:
            return card_id
        tx.run(NOT_UNDOABLE, {"log_id": log_id})
    return None


def can_undo(tx: Tx, window: str) -> bool:
    """Whether `undo_last` would take an answer back."""
    return tx.first(CAN_UNDO, {"window": window}) is not None


NEWEST_UNDOABLE = CAN_UNDO.order_by(None).order_by(LOG.c.id.desc())
NEWEST_LOG = select(func.max(LOG.c.id)).where(_MY_LOG)


def newest_undoable(tx: Tx, window: str) -> int | None:
    """The log id of the answer `undo_last` would take back, or None."""
    row = tx.first(NEWEST_UNDOABLE, {"window": window})
    return None if row is None else int(row[0])


def newest_log_id(tx: Tx) -> int:
    """The learner's newest log row's id (0 when there is none): later answers have higher
    ids."""
    return int(tx.scalar(NEWEST_LOG) or 0)


def forget_undo_of_card(tx: Tx, card_id: int) -> None:
    """The card was reset: its earlier answers can no longer be undone cleanly."""
    tx.run(CARD_NOT_UNDOABLE, {"b_card_id": card_id})  # not "card_id": UPDATE reserves it


RECENT_OF_CARD = (
    select(LOG.c.reviewed_at, LOG.c.grade, LOG.c.state_before, LOG.c.due)
    .where(LOG.c.card_id == bindparam("card_id"), _MY_LOG)
    .order_by(LOG.c.id.desc())
    .limit(bindparam("limit"))
)


def recent_of_card(tx: Tx, card_id: int, limit: int) -> list[tuple[float, int, int, float]]:
    """(answered at, grade, state before, due after) of the card's latest answers."""
    return [
        (float(at), int(grade), int(state), float(due))
        for at, grade, state, due in tx.all(RECENT_OF_CARD, {"card_id": card_id, "limit": limit})
    ]
