"""The names a class member can have. A learner's name is their PostgreSQL role (row-level
security compares rows with `current_user`), so it must be a name PostgreSQL keeps exactly as
written, with no quoting games: lowercase letters, digits and `_`, at most 63 characters.
SQLAlchemy-free, so a bad name is refused before anything connects or asks for a password."""

from __future__ import annotations

import re

from quizapp.errors import QuizappError

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# PostgreSQL's own (pg_*, and words that mean something else where a role is expected)
# and quizapp's groups (quizapp_learner, quizapp_instructor and any later ones)
RESERVED_PREFIXES = ("pg_", "quizapp_")
RESERVED = frozenset({"public", "none", "current_user", "current_role", "session_user"})


def check_role_name(name: str) -> str:
    """`name` if it can name a new class member; else one line saying why not."""
    if not ROLE_NAME.fullmatch(name):
        raise QuizappError(
            f"{name!r} cannot name a class member: use 1 to 63 lowercase letters, digits "
            "and _, not starting with a digit"
        )
    if name in RESERVED or name.startswith(RESERVED_PREFIXES):
        raise QuizappError(f"{name!r} is reserved by PostgreSQL or quizapp; choose another name")
    return name
