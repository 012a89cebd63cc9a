"""`quizapp class ACTION`: a class on one PostgreSQL database, each learner logging in as
their own role, limited to their own rows by row-level security.

- `class init`: run by the database owner; migrates the schema, creates the groups, grants
  and policies (again after an upgrade: idempotent).
- `class add-learner NAME` / `class add-instructor NAME` [`--reset-password`]: the member's
  login role; the password comes from the terminal (asked twice, never echoed) or one line of
  standard input, and is never printed or logged.

Each action is one function in `ACTIONS` (add a new action there and in the `class`
subparser of quizapp/cli.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.classroom.admin import Kind


def run(args: argparse.Namespace) -> int:
    return ACTIONS[args.class_command](args)


def init(args: argparse.Namespace) -> int:
    from quizapp.classroom.admin import class_url, init_class

    url = class_url(getattr(args, "db", None), "init")
    done = init_class(url, getattr(args, "learner", None))
    made = f" (created {', '.join(done.created)})" if done.created else ""
    print(
        f"class ready in {done.database}: row-level security on {len(done.tables)} tables; "
        f"groups {', '.join(done.groups)}{made}"
    )
    print("next: quizapp --db URL class add-learner NAME (for each learner)")
    return 0


def add_learner(args: argparse.Namespace) -> int:
    return _add(args, "learner")


def add_instructor(args: argparse.Namespace) -> int:
    return _add(args, "instructor")


def _add(args: argparse.Namespace, kind: Kind) -> int:
    from quizapp.classroom.admin import add_member, class_url, login_url
    from quizapp.classroom.names import check_role_name
    from quizapp.classroom.password import read_password

    url = class_url(getattr(args, "db", None), f"add-{kind}")
    name = check_role_name(args.name)
    reset = bool(getattr(args, "reset_password", False))
    created = add_member(url, name, lambda: read_password(name, sys.stdin), kind, reset=reset)
    did = f"added {kind} {name}" if created else f"new password set for {kind} {name}"
    print(f"{did}; they open quizapp with --db {login_url(url, name)}")
    return 0


def report(args: argparse.Namespace) -> int:
    if getattr(args, "tui", False):
        from quizapp.commands.app import run_app

        return run_app(args, start="class_report")
    from quizapp.commands.class_report import run as run_report

    return run_report(args)


ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": init,
    "add-learner": add_learner,
    "add-instructor": add_instructor,
    "report": report,
}
