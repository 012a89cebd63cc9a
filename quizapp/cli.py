"""The `quizapp` command. Heavy imports (numpy, sqlalchemy, textual) happen inside each command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from quizapp import __version__
from quizapp.errors import QuizappError

DIFFICULTIES = ("easy", "medium", "hard")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description=(
            "Exam prep for neural networks (AWS machine-learning certifications): quizzes, "
            "FSRS flashcards and computed practice problems. With no command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy database URL (default: $QUIZAPP_DB, else a SQLite file in the "
        "user data directory)",
    )
    parser.add_argument(
        "--learner",
        metavar="NAME",
        help="whose progress to open (default: $QUIZAPP_LEARNER, else on PostgreSQL the "
        "database user, else your login name)",
    )
    parser.add_argument(
        "--bank",
        metavar="PATH",
        action="append",
        default=[],
        help="an extra question-bank file or folder to load (repeatable)",
    )
    parser.add_argument(
        "--study",
        metavar="BANK_OR_TOPIC",
        help="open straight into flashcard review of one bank (file name without .toml, "
        "or 'skills') or one topic id",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "problems",
        help="generate computed practice problems, or check a typed answer",
        description="Print generated problems (--family), list the families (--list), or "
        "grade a typed answer as the app does: problems check --family F --seed N --answer TEXT.",
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=("check",),
        help="check: grade --answer against the problem of --family/--seed/--difficulty",
    )
    p.add_argument("--list", action="store_true", help="list the problem families")
    p.add_argument("--family", metavar="NAME", help="problem family (see --list)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="first seed (default 0)")
    p.add_argument("--count", type=int, default=1, metavar="K", help="how many (default 1)")
    p.add_argument("--difficulty", choices=DIFFICULTIES, default="medium")
    p.add_argument("--answer", metavar="TEXT", help="the typed answer to grade (with check)")
    p.add_argument("--json", action="store_true", help="print JSON (the export contract)")

    p = sub.add_parser("errata", help="re-run the guide's worked examples through the engine")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("content", help="question-bank tools")
    csub = p.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    c = csub.add_parser("check", help="validate banks and print counts")
    c.add_argument("paths", nargs="*", metavar="PATH", help="files to check (default: shipped)")
    c.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("exam", help="exam simulation tools")
    esub = p.add_subparsers(dest="exam_command", metavar="ACTION", required=True)
    e = esub.add_parser("profiles", help="list the exam profiles (shipped and your own)")
    e.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("stats", help="print study statistics")
    p.add_argument("--json", action="store_true", help="print JSON")
    ssub = p.add_subparsers(dest="stats_command", metavar="ACTION")
    s = ssub.add_parser(
        "workload",
        help="reviews and minutes a day ahead at a few desired retentions (simulated)",
    )
    s.add_argument("--json", action="store_true", help="print JSON")
    s.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")

    p = sub.add_parser("mistakes", help="the named misconceptions you make most")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("plan", help="the plan for exam day: predicted recall at your daily budget")
    p.add_argument("--exam-date", metavar="YYYY-MM-DD", help="default: the settings' exam date")
    p.add_argument("--minutes", type=int, metavar="N", help="minutes a day (default: settings)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--pull-in", action="store_true", help="move cards due after the exam into the stretch"
    )

    p = sub.add_parser("optimize", help="fit FSRS parameters to your review history")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--reset", action="store_true", help="go back to the default parameters")

    p = sub.add_parser("keys", help="list the key binding ids (for keymap.toml) and key names")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("export", help="write the banks' cards for other apps (Anki)")
    xsub = p.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    x = xsub.add_parser(
        "anki",
        help="an Anki package (.apkg): one note per item, one subdeck per bank",
        description="Write flashcards, clozes and choice questions as Anki notes, one subdeck "
        "of 'quizapp' per bank. Exporting again updates the notes in Anki (stable GUIDs).",
    )
    x.add_argument("file", metavar="FILE.apkg", help="the package to write")
    x.add_argument(
        "--bank",
        dest="banks",
        metavar="NAME",
        action="append",
        default=[],
        help="only this bank (its file name without .toml; repeatable)",
    )
    x.add_argument(
        "--with-progress",
        action="store_true",
        help="ask for review history too (not supported by the writer: says so)",
    )

    p = sub.add_parser("import", help="bring a deck in from Anki or a CSV file, as your own bank")
    isub = p.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    i = isub.add_parser(
        "anki",
        help="an Anki package (.apkg or .colpkg): one bank per deck",
        description="Turn the Basic and Cloze notes of an Anki package into bank files in "
        "your banks folder, one per deck. Importing again updates the items in place.",
    )
    i.add_argument("file", metavar="FILE", help="the .apkg or .colpkg to read")
    i.add_argument(
        "--with-progress",
        action="store_true",
        help="bring the review history too and rebuild each card's FSRS memory from it",
    )
    i = isub.add_parser(
        "csv",
        help="a CSV or tab-separated file: front, back, optional tags",
        description="Turn rows of front, back[, tags] into a bank file in your banks folder.",
    )
    i.add_argument("file", metavar="FILE", help="the .csv / .tsv / .txt to read")
    i.add_argument("--deck", metavar="NAME", help="the bank's name (default: the file's name)")

    p = sub.add_parser(
        "class",
        help="a class on one PostgreSQL database: roles, row-level security, learners",
        description="Each learner logs in as their own PostgreSQL role and row-level security "
        "limits them to their own rows; instructors read every row. Run by the database "
        "owner, with --db postgresql+psycopg://OWNER@HOST/DB.",
    )
    clsub = p.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    c = clsub.add_parser(
        "init",
        help="migrate the schema and set up the groups, grants and policies (idempotent)",
    )
    for kind in ("learner", "instructor"):
        c = clsub.add_parser(
            f"add-{kind}",
            help=f"create a {kind}'s login role (password from the terminal or one stdin line)",
        )
        c.add_argument("name", metavar="NAME", help="the role name: lowercase letters, digits, _")
        c.add_argument(
            "--reset-password", action="store_true", help=f"give an existing {kind} a new password"
        )
    c = clsub.add_parser(
        "report",
        help="for the instructor: each question's facility and discrimination, the class's "
        "misconceptions, each learner's mastery and activity",
        description="Read every learner the database lets you see (an instructor's role: all; "
        "on SQLite: every learner in the file) and report per question, per misconception "
        "and per learner.",
    )
    how = c.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help="print JSON instead of tables")
    how.add_argument(
        "--tui",
        action="store_true",
        help="open the report screen (read-only: no bank sync, for a role that may only read)",
    )

    p = sub.add_parser(
        "serve",
        help="the app in a web browser (textual-serve): each tab is its own app",
        description="Serve the app to web browsers with textual-serve. Each tab runs its own "
        "app on the same database, with the global --db, --bank and --learner. textual-serve "
        "has no login: only loopback unless --public.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="TCP port (default 8000)")
    p.add_argument(
        "--public",
        action="store_true",
        help="allow a non-loopback --host (no login: put it behind your institution's proxy)",
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers open, if not http://HOST:PORT (e.g. the proxy's https:// URL)",
    )
    return parser


Command = Callable[[argparse.Namespace], int]


def command_runner(command: str | None) -> Command:
    """The run(args) -> int of the chosen command (None: open the app).

    Imported only once chosen: the command modules pull in the bank loader, the engine's text
    helpers and more, which `quizapp --help` and the other commands do not need.
    """
    match command:
        case None:
            from quizapp.commands.app import run
        case "problems":
            from quizapp.commands.problems import run
        case "errata":
            from quizapp.commands.errata import run
        case "content":
            from quizapp.commands.content import run
        case "exam":
            from quizapp.commands.exam import run
        case "stats":
            from quizapp.commands.stats import run
        case "mistakes":
            from quizapp.commands.mistakes import run
        case "keys":
            from quizapp.commands.keys import run
        case "optimize":
            from quizapp.commands.optimize import run
        case "plan":
            from quizapp.commands.plan import run
        case "export":
            from quizapp.commands.export import run
        case "import":
            from quizapp.commands.importing import run
        case "class":
            from quizapp.commands.classroom import run
        case "serve":
            from quizapp.commands.serve import run
        case _:
            raise ValueError(f"unknown command {command!r}")
    return run


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run = command_runner(args.command)
    try:
        return int(run(args) or 0)
    except QuizappError as err:
        print(f"quizapp: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
