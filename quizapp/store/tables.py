"""The tables as SQLAlchemy Core `Table` objects, named once for every store module, and the
learner every statement is limited to.

Every table is keyed by learner. A statement names its learner with `mine(TABLE)` (a WHERE
term) or `me()` (an inserted value); both read the bind parameter `LEARNER_KEY`, which the
transaction (`Tx`) fills with its store's learner on every statement, so no caller passes it
and none can forget it (a test compiles every statement and checks).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import BindParameter, ColumnElement, String, Table, bindparam

from quizapp.store.models import (
    Card,
    CardMemory,
    CramLog,
    DailyCount,
    PracticeAttemptRow,
    QuizAnswerRow,
    QuizAttempt,
    ReviewLog,
    SettingRow,
)

CARDS = cast(Table, Card.__table__)
MEM = cast(Table, CardMemory.__table__)
LOG = cast(Table, ReviewLog.__table__)
PRACTICE = cast(Table, PracticeAttemptRow.__table__)
DAYS = cast(Table, DailyCount.__table__)
SETTINGS = cast(Table, SettingRow.__table__)
QUIZ_ATTEMPTS = cast(Table, QuizAttempt.__table__)
QUIZ_ANSWERS = cast(Table, QuizAnswerRow.__table__)
CRAM = cast(Table, CramLog.__table__)

LEARNED = (CARDS, MEM, LOG, PRACTICE, DAYS, SETTINGS, QUIZ_ATTEMPTS, QUIZ_ANSWERS, CRAM)
LEARNER_KEY = "q_learner"  # not a column name: SQLAlchemy never mistakes it for a SET value


def mine(table: Table) -> ColumnElement[bool]:
    """WHERE term: the rows of the transaction's learner."""
    return table.c.learner == bindparam(LEARNER_KEY, type_=String())


def me() -> BindParameter[str]:
    """The transaction's learner, as an inserted value."""
    return bindparam(LEARNER_KEY, type_=String())
