"""Initial schema: cards, FSRS memory, review log, quiz attempts, practice, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZERO = sa.text("0")
# a Boolean default: 0 on SQLite, false on PostgreSQL (which refuses an integer there)
FALSE = sa.false()


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.String(length=200), nullable=True),
        sa.Column("family", sa.String(length=40), nullable=True),
        sa.Column("difficulty", sa.String(length=10), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("domain", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), server_default=FALSE, nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
        sa.UniqueConstraint("key", name=op.f("uq_cards_key")),
    )
    op.create_index(op.f("ix_cards_topic"), "cards", ["topic"])

    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("profile", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.Column("time_limit_s", sa.Float(), nullable=True),
        sa.Column("remaining_s", sa.Float(), nullable=True),
        sa.Column("question_count", sa.Integer(), server_default=ZERO, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "card_memory",
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.Float(), nullable=False),
        sa.Column("last_review", sa.Float(), nullable=True),
        sa.Column("reps", sa.Integer(), server_default=ZERO, nullable=False),
        sa.Column("lapses", sa.Integer(), server_default=ZERO, nullable=False),
        sa.Column("queue", sa.Integer(), nullable=False),
        sa.Column("suspended", sa.Boolean(), server_default=FALSE, nullable=False),
        sa.Column("leech", sa.Boolean(), server_default=FALSE, nullable=False),
        sa.Column("buried_until", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_card_memory_card_id_cards")
        ),
        sa.PrimaryKeyConstraint("card_id", name=op.f("pk_card_memory")),
    )
    op.create_index("ix_card_memory_queue_due", "card_memory", ["queue", "due"])

    op.create_table(
        "quiz_answers",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("domain", sa.String(length=80), nullable=False),
        sa.Column("chosen", sa.Text(), nullable=True),
        sa.Column("typed", sa.Text(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("flagged", sa.Boolean(), server_default=FALSE, nullable=False),
        sa.Column("answered_at", sa.Float(), nullable=True),
        sa.Column("study_day", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempts.id"],
            name=op.f("fk_quiz_answers_attempt_id_quiz_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "position", name=op.f("pk_quiz_answers")),
    )
    op.create_index(op.f("ix_quiz_answers_item_id"), "quiz_answers", ["item_id"])
    op.create_index(op.f("ix_quiz_answers_study_day"), "quiz_answers", ["study_day"])

    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.Float(), nullable=False),
        sa.Column("study_day", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.Float(), nullable=False),
        sa.Column("state_before", sa.Integer(), nullable=False),
        sa.Column("step_before", sa.Integer(), nullable=True),
        sa.Column("stability_before", sa.Float(), nullable=True),
        sa.Column("difficulty_before", sa.Float(), nullable=True),
        sa.Column("due_before", sa.Float(), nullable=False),
        sa.Column("last_review_before", sa.Float(), nullable=True),
        sa.Column("lapses_before", sa.Integer(), nullable=False),
        sa.Column("queue_before", sa.Integer(), nullable=False),
        sa.Column("suspended_before", sa.Boolean(), nullable=False),
        sa.Column("leech_before", sa.Boolean(), nullable=False),
        sa.Column("buried_until_before", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_review_log_card_id_cards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_log")),
    )
    op.create_index("ix_review_log_card_id_id", "review_log", ["card_id", "id"])

    op.create_table(
        "practice_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.Float(), nullable=False),
        sa.Column("study_day", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.String(length=80), nullable=False),
        sa.Column("family", sa.String(length=40), nullable=False),
        sa.Column("difficulty", sa.String(length=10), nullable=False),
        sa.Column("typed", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("misconception", sa.String(length=80), nullable=True),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=True),
        sa.Column("review_log_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_practice_attempts_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["review_log_id"],
            ["review_log.id"],
            name=op.f("fk_practice_attempts_review_log_id_review_log"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_attempts")),
    )
    op.create_index(op.f("ix_practice_attempts_study_day"), "practice_attempts", ["study_day"])


def downgrade() -> None:
    for table in (
        "practice_attempts",
        "review_log",
        "quiz_answers",
        "card_memory",
        "settings",
        "quiz_attempts",
        "cards",
    ):
        op.drop_table(table)
