"""Which bank a card comes from (the bank file stem; "skills" for computed skill cards), so
study can be limited to one bank as to one topic. Content sync fills it.

Plain ADD COLUMN, never a batch table rebuild (foreign keys are on).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cards", sa.Column("bank", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("cards", "bank")
