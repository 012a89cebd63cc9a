"""Cramming logged apart from the review log, and the named mistake of a quiz answer.

`cram_log` holds answers given while reviewing ahead (no card's memory changes); the
mistakes view reads `quiz_answers.misconception` beside practice attempts' misconceptions.
Null for answers saved before this revision. Plain CREATE TABLE and ADD COLUMN.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cram_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.Float(), nullable=False),
        sa.Column("study_day", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_cram_log_card_id_cards"),
        sa.PrimaryKeyConstraint("id", name="pk_cram_log"),
    )
    op.create_index("ix_cram_log_card_id", "cram_log", ["card_id"])
    op.add_column("quiz_answers", sa.Column("misconception", sa.String(80), nullable=True))


def downgrade() -> None:
    op.drop_column("quiz_answers", "misconception")
    op.drop_index("ix_cram_log_card_id", table_name="cram_log")
    op.drop_table("cram_log")
