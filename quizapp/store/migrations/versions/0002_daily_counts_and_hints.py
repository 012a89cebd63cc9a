"""Daily counts, topic index and hints.

- `daily_counts`: answers per study day (all, new cards introduced, review-state answers),
  backfilled from review_log; the daily limits read it instead of counting the log.
- review_log (study_day, state_before) index for today's counts and 30-day retention.
- cards (topic, domain, retired) index, replacing (topic): mastery reads cards per topic.
- practice_attempts.hinted: a hinted right answer grades its skill card Hard.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZERO = sa.text("0")


def upgrade() -> None:
    op.create_table(
        "daily_counts",
        sa.Column("study_day", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("answers", sa.Integer(), server_default=ZERO, nullable=False),
        sa.Column("new_done", sa.Integer(), server_default=ZERO, nullable=False),
        sa.Column("reviews_done", sa.Integer(), server_default=ZERO, nullable=False),
        sa.PrimaryKeyConstraint("study_day", name=op.f("pk_daily_counts")),
    )
    op.execute(
        "INSERT INTO daily_counts (study_day, answers, new_done, reviews_done) "
        "SELECT study_day, count(*), "
        "sum(CASE WHEN state_before = 0 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN state_before = 2 THEN 1 ELSE 0 END) "
        "FROM review_log GROUP BY study_day"
    )
    op.create_index(
        "ix_review_log_study_day_state_before", "review_log", ["study_day", "state_before"]
    )
    op.drop_index("ix_cards_topic", table_name="cards")
    op.create_index("ix_cards_topic_domain_retired", "cards", ["topic", "domain", "retired"])
    op.add_column(
        "practice_attempts",
        sa.Column("hinted", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("practice_attempts") as batch_op:
        batch_op.drop_column("hinted")
    op.drop_index("ix_cards_topic_domain_retired", table_name="cards")
    op.create_index("ix_cards_topic", "cards", ["topic"])
    op.drop_index("ix_review_log_study_day_state_before", table_name="review_log")
    op.drop_table("daily_counts")
