"""Whose progress a store opens: `--learner NAME`, else $QUIZAPP_LEARNER, else (on a server
database whose URL names a user) that user, else the login name.

On PostgreSQL a class learner connects as their own role, and row-level security only lets
the role see rows that carry its name, so there the URL's user is the learner. SQLAlchemy-free:
the command line resolves the learner before anything heavy is imported.
"""

from __future__ import annotations

import getpass
import os
import re

from quizapp.errors import QuizappError

LEARNER_ENV = "QUIZAPP_LEARNER"
MAX_LEARNER = 63  # PostgreSQL's longest role name
FALLBACK = "learner"  # when the system names no user (some containers)
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]+$")


def check_learner(name: str, where: str = "--learner") -> str:
    """The name, trimmed; one line naming `where` if it cannot name a learner."""
    name = name.strip()
    if not name:
        raise QuizappError(f"{where}: a learner's name cannot be empty")
    if len(name) > MAX_LEARNER:
        raise QuizappError(f"{where}: a learner's name has at most {MAX_LEARNER} characters")
    if not _PRINTABLE.match(name):
        raise QuizappError(f"{where}: a learner's name cannot hold control characters")
    return name


def login_name() -> str:
    try:
        name = getpass.getuser().strip()
    except (KeyError, OSError):  # no passwd entry and no $USER/$LOGNAME
        return FALLBACK
    return name[:MAX_LEARNER] if name else FALLBACK


def resolve_learner(explicit: str | None, url_user: str | None = None) -> str:
    """The learner a store opens for (see the module doc for the order)."""
    if explicit is not None:
        return check_learner(explicit)
    env = os.environ.get(LEARNER_ENV)
    if env:
        return check_learner(env, f"${LEARNER_ENV}")
    if url_user:
        return check_learner(url_user, "the database URL's user")
    return login_name()
