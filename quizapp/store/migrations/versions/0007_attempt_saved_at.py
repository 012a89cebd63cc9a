"""When a quiz attempt was last saved, so a resume measures its pause from that moment.

Deriving the pause from the time since the start less the time used and earlier pauses
counts any change of the wall clock while the attempt was open as a pause; the stored time
of the last save does not. Null for attempts saved before this revision (the derivation
stays their fallback).

Plain ADD COLUMN, never a batch table rebuild (foreign keys are on).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("quiz_attempts", sa.Column("saved_at", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("quiz_attempts", "saved_at")
