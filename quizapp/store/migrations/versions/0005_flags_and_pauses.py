"""Card flags, and how often and how long a quiz attempt was paused.

- card_memory.flag: 0 none, 1 red, 2 orange, 3 green, 4 blue (Anki's first four flags).
- quiz_attempts.pauses / paused_s: how many times the attempt was left and resumed, and the
  wall-clock time it spent closed (its clock does not run then).

Plain ADD COLUMN with defaults, never a batch table rebuild (foreign keys are on).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "card_memory",
        sa.Column("flag", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "quiz_attempts",
        sa.Column("pauses", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "quiz_attempts",
        sa.Column("paused_s", sa.Float(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("quiz_attempts", "paused_s")
    op.drop_column("quiz_attempts", "pauses")
    op.drop_column("card_memory", "flag")
