"""Quiz attempts keep what they need to resume: plan, position, time used.

- quiz_attempts.plan: the AttemptPlan JSON (item ids, variant seeds, choice orders, quotas,
  notes). Attempts made before this revision never kept one: they get '{}'.
- quiz_attempts.current_position: the question on screen (0-based), default 0.
- quiz_attempts.elapsed_s: time spent in the attempt, default 0.

Plain ADD COLUMN / DROP COLUMN, never a batch table rebuild: foreign keys are on, and
dropping quiz_attempts to rebuild it would cascade-delete every quiz answer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = ("elapsed_s", "current_position", "plan")


def upgrade() -> None:
    op.add_column(
        "quiz_attempts",
        sa.Column("plan", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
    )
    op.add_column(
        "quiz_attempts",
        sa.Column("current_position", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "quiz_attempts",
        sa.Column("elapsed_s", sa.Float(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    for name in NEW_COLUMNS:
        op.drop_column("quiz_attempts", name)  # SQLite >= 3.35: in place, no rebuild
