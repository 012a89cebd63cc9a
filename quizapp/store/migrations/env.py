"""Alembic environment. The app passes an open connection (already in a write transaction)
in `config.attributes["connection"]`; the alembic CLI gets a URL from `-x url=...` or the ini.

SQLite note: foreign keys are on, so a future migration that rebuilds a referenced table
(batch "move and copy") must not rely on DROP TABLE leaving children alone.
"""

from alembic import context
from sqlalchemy import Connection, create_engine

from quizapp.store.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    # the ini always sets sqlalchemy.url; without one, SQLAlchemy names the missing URL itself
    engine = create_engine(url)  # type: ignore[arg-type]
    with engine.begin() as conn:
        run(conn)
