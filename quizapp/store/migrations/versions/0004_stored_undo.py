"""Undo is stored: each review-log row names the window that may take it back.

- review_log.undo_by: the token of the window (one open collection) that gave the answer and
  may undo it; NULL once it can no longer be undone (the card was reset, or an undo was
  refused because the card was answered again since). Rows logged before this revision get
  NULL: answers from an earlier run are not undoable, as before.
- ix_review_log_undo_by_id: the newest undoable answers of a window, in one index range.

Plain ADD COLUMN, never a batch table rebuild (foreign keys are on).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("review_log", sa.Column("undo_by", sa.String(), nullable=True))
    op.create_index("ix_review_log_undo_by_id", "review_log", ["undo_by", "id"])


def downgrade() -> None:
    op.drop_index("ix_review_log_undo_by_id", table_name="review_log")
    op.drop_column("review_log", "undo_by")  # SQLite >= 3.35: in place, no rebuild
