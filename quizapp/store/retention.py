"""The SQL side of "see the memory": true retention counts per study day, and the inputs of
the workload simulation (the studied cards' memory, the answer times per kind of answer).

True retention (as Anki's table): every answer to a card in the review state counts; it
passed when graded Hard, Good or Easy (grade >= 2); the card was young when its interval
before the answer (due before - last review before, whole days) was under 21 days, mature
otherwise. One GROUP BY over the study days of the window: a row per (day, young) pair.
"""

from __future__ import annotations

from sqlalchemy import Integer, and_, bindparam, case, cast, false, func, or_, select

from quizapp.scheduling.memory import LEARNING, NEW, RELEARNING, REVIEW
from quizapp.store.tables import CARDS, LOG, MEM, mine
from quizapp.store.transaction import Tx

DAY = 86400.0
MATURE_DAYS = 21  # Anki's: a card is mature once its interval reaches 21 days

# the interval the card had before this answer, in whole days (NULL last review: 0)
_INTERVAL_BEFORE = cast(
    func.round(
        (LOG.c.due_before - func.coalesce(LOG.c.last_review_before, LOG.c.due_before)) / DAY
    ),
    Integer,
)
_YOUNG = case((_INTERVAL_BEFORE < MATURE_DAYS, 1), else_=0).label("young")
RETENTION_BY_DAY = (
    select(
        LOG.c.study_day,
        _YOUNG,
        func.count(),
        func.sum(case((LOG.c.grade >= 2, 1), else_=0)),
    )
    .where(
        mine(LOG),
        LOG.c.study_day.between(bindparam("first"), bindparam("last")),
        LOG.c.state_before == REVIEW,
    )
    .group_by(LOG.c.study_day, _YOUNG)
)


def retention_by_day(tx: Tx, first: int, last: int) -> list[tuple[int, bool, int, int]]:
    """(study day, young, review-state answers, passed) for the days `first`..`last`."""
    return [
        (int(day), bool(young), int(n), int(passed or 0))
        for day, young, n, passed in tx.all(RETENTION_BY_DAY, {"first": first, "last": last})
    ]


# --- workload inputs ------------------------------------------------------------------------

# the cards the learner studies or will: not retired, not suspended (buried ones come back)
ACTIVE_CARDS = (
    select(
        MEM.c.card_id, MEM.c.state, MEM.c.stability, MEM.c.difficulty, MEM.c.due, MEM.c.last_review
    )
    .select_from(MEM.join(CARDS, CARDS.c.id == MEM.c.card_id))
    .where(mine(MEM), mine(CARDS), CARDS.c.retired == false(), MEM.c.suspended == false())
)
ANSWER_CAP_MS = 300_000  # an answer left open longer counts as 5 minutes
_KIND = case(
    (LOG.c.state_before == NEW, "new"),
    (LOG.c.state_before == LEARNING, "learning"),
    (LOG.c.state_before == RELEARNING, "relearning"),
    (LOG.c.grade == 1, "review_again"),
    else_="review_pass",
).label("kind")
_TIMED = (LOG.c.duration_ms.is_not(None), LOG.c.duration_ms > 0)
# not two-argument MIN(): SQLite has it, PostgreSQL spells it LEAST
_CAPPED_MS = case((LOG.c.duration_ms > ANSWER_CAP_MS, ANSWER_CAP_MS), else_=LOG.c.duration_ms)
# (kind, timed answers, summed milliseconds) with the kind's answers in all
ANSWER_TIMES = (
    select(
        _KIND,
        func.count(),
        func.sum(case((and_(*_TIMED), 1), else_=0)),
        func.sum(case((and_(*_TIMED), _CAPPED_MS), else_=0)),
    )
    .where(mine(LOG))
    .group_by(_KIND)
)
GRADES = (
    select(LOG.c.state_before, LOG.c.grade, func.count())
    .where(mine(LOG), or_(LOG.c.state_before == NEW, LOG.c.state_before == REVIEW))
    .group_by(LOG.c.state_before, LOG.c.grade)
)


def active_cards(tx: Tx) -> list[tuple[int, int, float | None, float | None, float, float | None]]:
    """(card id, state, stability, difficulty, due, last review) of every card not retired
    or suspended (for a new card `due` is its place in the new queue)."""
    return [
        (int(cid), int(state), s, d, float(due), last)
        for cid, state, s, d, due, last in tx.all(ACTIVE_CARDS)
    ]


def answer_times(tx: Tx) -> dict[str, tuple[int, int, float]]:
    """Per kind of answer (new, learning, relearning, review_pass, review_again): (answers,
    answers with a recorded time, their summed seconds, each capped at 5 minutes)."""
    return {
        str(kind): (int(n), int(timed or 0), float(total_ms or 0) / 1000.0)
        for kind, n, timed, total_ms in tx.all(ANSWER_TIMES)
    }


def grade_counts(tx: Tx) -> tuple[dict[int, int], dict[int, int]]:
    """How often each grade was given to new cards (first answers) and to review cards."""
    first: dict[int, int] = {}
    review: dict[int, int] = {}
    for state, grade, n in tx.all(GRADES):
        (first if state == NEW else review)[int(grade)] = int(n)
    return first, review
