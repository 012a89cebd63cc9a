"""Progress belongs to a learner: every table gets a `learner` column, and what was unique
per database becomes unique per learner (a card's key, a study day's counts, a setting).

The rows already there are given to the learner who opens the database first with this
version (`--learner`, $QUIZAPP_LEARNER, else the login name), after the usual backup. A row
inserted without a learner gets '' and so belongs to nobody. Indexes the study queue and the
daily statistics read now lead with the learner. On SQLite the three re-keyed tables are
rebuilt (batch mode, with foreign keys off, as SQLite's recipe says); PostgreSQL alters them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "cards",
    "card_memory",
    "review_log",
    "cram_log",
    "daily_counts",
    "quiz_attempts",
    "quiz_answers",
    "practice_attempts",
    "settings",
)
NOBODY = sa.text("''")


def _first_learner() -> str:
    config = op.get_context().config
    learner = config.attributes.get("learner") if config is not None else None
    if learner:
        return str(learner)
    from quizapp.store.learner import login_name

    return login_name()


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("learner", sa.String(63), server_default=NOBODY, nullable=False),
        )
    owner = _first_learner()
    for table in TABLES:
        op.execute(sa.text(f"UPDATE {table} SET learner = :who").bindparams(who=owner))

    with op.batch_alter_table("cards") as batch:
        batch.drop_constraint("uq_cards_key", type_="unique")
        batch.create_unique_constraint("uq_cards_learner_key", ["learner", "key"])
    with op.batch_alter_table("daily_counts") as batch:
        batch.drop_constraint("pk_daily_counts", type_="primary")
        batch.create_primary_key("pk_daily_counts", ["learner", "study_day"])
    with op.batch_alter_table("settings") as batch:
        batch.drop_constraint("pk_settings", type_="primary")
        batch.create_primary_key("pk_settings", ["learner", "key"])

    op.drop_index("ix_cards_topic_domain_retired", table_name="cards")
    op.create_index(
        "ix_cards_learner_topic_domain_retired", "cards", ["learner", "topic", "domain", "retired"]
    )
    op.drop_index("ix_card_memory_queue_due", table_name="card_memory")
    op.create_index("ix_card_memory_learner_queue_due", "card_memory", ["learner", "queue", "due"])
    op.drop_index("ix_review_log_study_day_state_before", table_name="review_log")
    op.create_index(
        "ix_review_log_learner_study_day_state_before",
        "review_log",
        ["learner", "study_day", "state_before"],
    )
    # the whole-log aggregates (answer times, rating mix, retention), index-only per learner
    op.create_index(
        "ix_review_log_learner_state_before_study_day",
        "review_log",
        ["learner", "state_before", "study_day", "grade", "duration_ms", "card_id"],
    )
    # the per-learner reads of attempts (history, streak, mistakes, evidence)
    op.create_index(
        "ix_quiz_attempts_learner_started_at", "quiz_attempts", ["learner", "started_at"]
    )
    op.create_index("ix_quiz_answers_learner_study_day", "quiz_answers", ["learner", "study_day"])
    op.create_index(
        "ix_practice_attempts_learner_study_day", "practice_attempts", ["learner", "study_day"]
    )


def downgrade() -> None:
    op.drop_index("ix_review_log_learner_state_before_study_day", table_name="review_log")
    op.drop_index("ix_practice_attempts_learner_study_day", table_name="practice_attempts")
    op.drop_index("ix_quiz_answers_learner_study_day", table_name="quiz_answers")
    op.drop_index("ix_quiz_attempts_learner_started_at", table_name="quiz_attempts")
    op.drop_index("ix_review_log_learner_study_day_state_before", table_name="review_log")
    op.create_index(
        "ix_review_log_study_day_state_before", "review_log", ["study_day", "state_before"]
    )
    op.drop_index("ix_card_memory_learner_queue_due", table_name="card_memory")
    op.create_index("ix_card_memory_queue_due", "card_memory", ["queue", "due"])
    op.drop_index("ix_cards_learner_topic_domain_retired", table_name="cards")
    op.create_index("ix_cards_topic_domain_retired", "cards", ["topic", "domain", "retired"])
    with op.batch_alter_table("settings") as batch:
        batch.drop_constraint("pk_settings", type_="primary")
        batch.create_primary_key("pk_settings", ["key"])
    with op.batch_alter_table("daily_counts") as batch:
        batch.drop_constraint("pk_daily_counts", type_="primary")
        batch.create_primary_key("pk_daily_counts", ["study_day"])
    with op.batch_alter_table("cards") as batch:
        batch.drop_constraint("uq_cards_learner_key", type_="unique")
        batch.create_unique_constraint("uq_cards_key", ["key"])
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("learner")
