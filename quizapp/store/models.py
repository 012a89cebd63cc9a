"""The progress database as SQLAlchemy 2.0 typed ORM models.

Times are UTC epoch seconds (REAL): cheap to compare, index and load into NumPy. Study days
are integers (`date.toordinal()` of the study day, after the rollover hour). These rows never
leave the store: the store's functions return the use cases' plain dataclasses.

The schema is owned by the Alembic migrations in `quizapp/store/migrations/versions`; a test
checks that these models and the migrated database agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


ZERO = text("0")
LEARNER_LENGTH = 63  # PostgreSQL's longest role name: a class learner's role is their name


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def learner_column(*, primary_key: bool = False) -> Mapped[str]:
    """Whose row this is. Every table holds progress, attempts or settings of one learner
    (`quizapp --learner`); on PostgreSQL, row-level security limits a learner's role to the
    rows that carry its name. '' (no learner) is what a row inserted without one gets: it
    belongs to nobody, rather than silently to the first learner."""
    return mapped_column(String(LEARNER_LENGTH), primary_key=primary_key, server_default=text("''"))


class Card(Base):
    """One studiable card: a flashcard/cloze bank item, or a computed skill
    (engine family x difficulty; each review shows a fresh variant)."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("learner", "key"),
        Index("ix_cards_learner_topic_domain_retired", "learner", "topic", "domain", "retired"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = learner_column()
    key: Mapped[str] = mapped_column(String(200))  # item id, or skill:<fam>:<diff>
    kind: Mapped[str] = mapped_column(String(20))  # flashcard | cloze | skill
    item_id: Mapped[str | None] = mapped_column(String(200))
    family: Mapped[str | None] = mapped_column(String(40))
    difficulty: Mapped[str] = mapped_column(String(10))  # easy | medium | hard (content level)
    topic: Mapped[str] = mapped_column(String(40))
    domain: Mapped[str] = mapped_column(String(80))
    bank: Mapped[str | None] = mapped_column(String(200))  # bank file stem, or "skills"
    position: Mapped[int] = mapped_column(Integer)  # new-queue order (the new-card order setting)
    retired: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[float] = mapped_column(Float)

    memory: Mapped[CardMemory] = relationship(back_populates="card", uselist=False)


class CardMemory(Base):
    """A card's FSRS memory state and its place in the study queue (one row per card)."""

    __tablename__ = "card_memory"
    __table_args__ = (Index("ix_card_memory_learner_queue_due", "learner", "queue", "due"),)

    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    learner: Mapped[str] = learner_column()
    state: Mapped[int] = mapped_column(Integer)  # 0 new, 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)  # FSRS difficulty 1..10
    due: Mapped[float] = mapped_column(Float)  # epoch s; bank position while new
    last_review: Mapped[float | None] = mapped_column(Float)
    reps: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    lapses: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    queue: Mapped[int] = mapped_column(Integer)  # scheduling.memory.Q_*
    suspended: Mapped[bool] = mapped_column(Boolean, server_default=false())
    leech: Mapped[bool] = mapped_column(Boolean, server_default=false())
    buried_until: Mapped[int | None] = mapped_column(Integer)  # study day it returns
    flag: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # 0 none, 1-4 colours

    card: Mapped[Card] = relationship(back_populates="memory")


class ReviewLog(Base):
    """One answer: the grade, the memory after it, and the memory before it (for undo)."""

    __tablename__ = "review_log"
    __table_args__ = (
        Index("ix_review_log_card_id_id", "card_id", "id"),
        Index(
            "ix_review_log_learner_study_day_state_before", "learner", "study_day", "state_before"
        ),
        # covers the whole-log aggregates (the plan's answer times and rating mix, true
        # retention): an index-only scan of one learner's rows, where an index on the learner
        # alone would be a lookup per row of a million
        Index(
            "ix_review_log_learner_state_before_study_day",
            "learner",
            "state_before",
            "study_day",
            "grade",
            "duration_ms",
            "card_id",
        ),
        Index("ix_review_log_undo_by_id", "undo_by", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = learner_column()
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    grade: Mapped[int] = mapped_column(Integer)  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[float] = mapped_column(Float)
    study_day: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[int] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[float] = mapped_column(Float)
    state_before: Mapped[int] = mapped_column(Integer)
    step_before: Mapped[int | None] = mapped_column(Integer)
    stability_before: Mapped[float | None] = mapped_column(Float)
    difficulty_before: Mapped[float | None] = mapped_column(Float)
    due_before: Mapped[float] = mapped_column(Float)
    last_review_before: Mapped[float | None] = mapped_column(Float)
    lapses_before: Mapped[int] = mapped_column(Integer)
    queue_before: Mapped[int] = mapped_column(Integer)
    suspended_before: Mapped[bool] = mapped_column(Boolean)
    leech_before: Mapped[bool] = mapped_column(Boolean)
    buried_until_before: Mapped[int | None] = mapped_column(Integer)
    # the window (open collection) that may undo this answer; NULL once it cannot be undone
    undo_by: Mapped[str | None] = mapped_column(String)


class CramLog(Base):
    """One answer given while cramming (reviewing ahead, Anki's filtered deck with
    rescheduling off): logged apart from the review log, it never changes a card's memory."""

    __tablename__ = "cram_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = learner_column()
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    grade: Mapped[int] = mapped_column(Integer)  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[float] = mapped_column(Float)
    study_day: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class DailyCount(Base):
    """Answers per study day, kept with every answer (and undo) in the same transaction, so
    the daily new/review limits are one primary-key read however long the log grows."""

    __tablename__ = "daily_counts"

    learner: Mapped[str] = learner_column(primary_key=True)
    study_day: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    answers: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    new_done: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # new cards seen
    reviews_done: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # review state


class QuizAttempt(Base):
    """One quiz session (practice or exam mode), with what it needs to resume: the plan
    (`AttemptPlan` JSON: items, variant seeds, choice orders, quotas, notes) and the progress
    (question on screen, time used, time left), saved with every answer."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_learner_started_at", "learner", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = learner_column()
    mode: Mapped[str] = mapped_column(String(10))  # practice | exam
    profile: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[float | None] = mapped_column(Float)
    time_limit_s: Mapped[float | None] = mapped_column(Float)
    remaining_s: Mapped[float | None] = mapped_column(Float)
    question_count: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    score: Mapped[float | None] = mapped_column(Float)
    plan: Mapped[str] = mapped_column(Text, server_default=text("'{}'"))  # '{}': no plan kept
    current_position: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    elapsed_s: Mapped[float] = mapped_column(Float, server_default=ZERO)
    pauses: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # times left, resumed
    paused_s: Mapped[float] = mapped_column(Float, server_default=text("0"))  # time spent closed
    saved_at: Mapped[float | None] = mapped_column(Float)  # last save: a pause is measured from it

    answers: Mapped[list[QuizAnswerRow]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )


class QuizAnswerRow(Base):
    """The learner's answer to one question of a quiz attempt (saved as it is given)."""

    __tablename__ = "quiz_answers"
    __table_args__ = (Index("ix_quiz_answers_learner_study_day", "learner", "study_day"),)

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = learner_column()
    item_id: Mapped[str] = mapped_column(String(200), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    domain: Mapped[str] = mapped_column(String(80))
    chosen: Mapped[str | None] = mapped_column(Text)  # JSON list of choice indexes
    typed: Mapped[str | None] = mapped_column(Text)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    flagged: Mapped[bool] = mapped_column(Boolean, server_default=false())
    answered_at: Mapped[float | None] = mapped_column(Float)
    study_day: Mapped[int | None] = mapped_column(Integer, index=True)
    # the named mistake the answer matches (a computed question's misconception, or the
    # misconception a bank option names); NULL when right or unnamed
    misconception: Mapped[str | None] = mapped_column(String(80))

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class PracticeAttemptRow(Base):
    """One computed-practice answer; it may grade a skill card (then review_log_id is set)."""

    __tablename__ = "practice_attempts"
    __table_args__ = (Index("ix_practice_attempts_learner_study_day", "learner", "study_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = learner_column()
    attempted_at: Mapped[float] = mapped_column(Float)
    study_day: Mapped[int] = mapped_column(Integer, index=True)
    variant_id: Mapped[str] = mapped_column(String(80))
    family: Mapped[str] = mapped_column(String(40))
    difficulty: Mapped[str] = mapped_column(String(10))
    typed: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
    misconception: Mapped[str | None] = mapped_column(String(80))
    hinted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    elapsed_s: Mapped[float] = mapped_column(Float)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    review_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_log.id", ondelete="SET NULL")
    )
    # answered step by step: a JSON list of {key, typed, value, expected, correct}
    steps: Mapped[str | None] = mapped_column(Text)


class SettingRow(Base):
    """Learner settings and store bookkeeping, one JSON value per key."""

    __tablename__ = "settings"

    learner: Mapped[str] = learner_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
