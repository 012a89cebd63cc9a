"""The stages of a computed problem answered step by step, stored with its attempt.

A JSON list of {key, typed, value, expected, correct}, null for an answer given in one go
(and for every attempt saved before this revision). Plain ADD COLUMN (foreign keys are on).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("practice_attempts", sa.Column("steps", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("practice_attempts", "steps")
