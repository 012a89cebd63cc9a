"""The tables as SQLAlchemy Core `Table` objects, named once for every store module."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

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
