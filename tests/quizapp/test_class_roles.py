"""A class on PostgreSQL, enforced by the database (`quizapp class init`, `class add-learner`):
learner A's role cannot read or write learner B's rows with plain SQL, the instructor reads
every row and writes none, the app opened as A works and sees only A's rows, passwords are
read without ever being shown, and bad input is one line.

Each class is a fresh database owned by a fresh non-superuser owner (as in a real class: a
superuser would bypass row-level security and prove nothing). Role names are cluster-wide,
so every role a test makes carries this run's id and is dropped afterwards; the two groups
(`quizapp_learner`, `quizapp_instructor`) are shared by design and stay.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pg_support
import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from quizapp.bank.loader import load_all
from quizapp.classroom.admin import Kind, add_member, init_class
from quizapp.classroom.password import read_password
from quizapp.cli import main
from quizapp.collection import open_collection
from quizapp.errors import QuizappError
from quizapp.store.class_roles import INSTRUCTORS, LEARNERS, OWN_ROWS, READ_ALL
from quizapp.store.learner import LEARNER_ENV
from quizapp.store.models import Base
from quizapp.store.tables import LEARNED

RLS_REFUSED = "row-level security"


@dataclass(frozen=True)
class Role:
    name: str
    password: str
    url: str  # the class database, logged in as this role


@dataclass(frozen=True)
class Class:
    url: str  # the owner's
    owner: Role
    a: Role
    b: Role
    teacher: Role


def as_role(url: str, name: str, password: str) -> str:
    return make_url(url).set(username=name, password=password).render_as_string(False)


def connect(role_or_url: Role | str) -> psycopg.Connection[Any]:
    """A plain psycopg connection (no app code), autocommit: each statement on its own."""
    url = make_url(role_or_url.url if isinstance(role_or_url, Role) else role_or_url)
    return psycopg.connect(
        host=url.host,
        port=url.port,
        dbname=url.database,
        user=url.username,
        password=url.password,  # as it is: a URL would need it percent-encoded
        autocommit=True,
        connect_timeout=10,
    )


@pytest.fixture
def new_role(pg_admin_url: str) -> Iterator[Callable[[str], str]]:
    """Names for roles this test creates (unique to this run), dropped after the test with
    whatever they own or were granted."""
    made: list[str] = []

    def name(kind: str) -> str:
        made.append(f"roles_{os.getpid()}_{secrets.token_hex(3)}_{kind}")
        return made[-1]

    yield name
    with connect(pg_admin_url) as admin:
        for role in reversed(made):  # the owner last: it granted the others' memberships
            ident = sql.Identifier(role)
            exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            if not exists:
                continue
            # its databases (the test's own, dropped next by pg_url) go to the superuser
            for (db,) in admin.execute(
                "SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba"
                " WHERE r.rolname = %s",
                [role],
            ).fetchall():
                with connect(pg_support.with_database(pg_admin_url, db)) as there:
                    there.execute(sql.SQL("REASSIGN OWNED BY {} TO CURRENT_USER").format(ident))
                    there.execute(sql.SQL("DROP OWNED BY {}").format(ident))
            admin.execute(sql.SQL("DROP ROLE {}").format(ident))


@pytest.fixture
def owned_db(pg_url: str, new_role: Callable[[str], str]) -> Role:
    """The fresh database, handed to a new non-superuser owner who may create roles."""
    owner = Role(new_role("owner"), secrets.token_urlsafe(12), "")
    with connect(pg_url) as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                sql.Identifier(owner.name), sql.Literal(owner.password)
            )
        )
        database = make_url(pg_url).database
        admin.execute(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(str(database)), sql.Identifier(owner.name)
            )
        )
    return Role(owner.name, owner.password, as_role(pg_url, owner.name, owner.password))


def member(owner: Role, new_role: Callable[[str], str], kind: Kind) -> Role:
    name = new_role(kind[0])
    password = secrets.token_urlsafe(12)
    add_member(owner.url, name, lambda: password, kind)
    return Role(name, password, as_role(owner.url, name, password))


def study(role: Role, answers: int, learner: str | None = None) -> None:
    """Open the app as `role` and answer `answers` review cards (Good)."""
    collection = open_collection(role.url, load_all(include_user_dir=False).items, learner=learner)
    try:
        for _ in range(answers):
            card = collection.reviews.next_card()
            assert card is not None
            collection.reviews.answer(card, 3, 4.0)
    finally:
        collection.close()


@pytest.fixture
def klass(owned_db: Role, new_role: Callable[[str], str]) -> Class:
    """A class with learners A (3 reviews) and B (2 reviews) and an instructor."""
    init_class(owned_db.url)
    a, b = member(owned_db, new_role, "learner"), member(owned_db, new_role, "learner")
    teacher = member(owned_db, new_role, "instructor")
    study(a, 3)
    study(b, 2)
    with connect(b) as conn:
        conn.execute("INSERT INTO settings (learner, key, value) VALUES (current_user, 'x', '1')")
    return Class(owned_db.url, owned_db, a, b, teacher)


def rows_of(conn: psycopg.Connection[Any], table: str, learner: str) -> int:
    query = sql.SQL("SELECT count(*) FROM {} WHERE learner = %s").format(sql.Identifier(table))
    row = conn.execute(query, [learner]).fetchone()
    assert row is not None
    return int(row[0])


def snapshot(klass: Class, learner: str) -> dict[str, int]:
    """Every table's row count for `learner`, as the owner sees it (all rows)."""
    with connect(klass.owner) as conn:
        return {t.name: rows_of(conn, t.name, learner) for t in LEARNED}


def test_every_table_is_a_learner_table_so_every_table_gets_a_policy() -> None:
    assert set(Base.metadata.tables) == {t.name for t in LEARNED}


@pytest.mark.postgresql
def test_a_learner_reads_none_of_another_learners_rows(klass: Class) -> None:
    b_rows = snapshot(klass, klass.b.name)
    assert b_rows["cards"] > 0 and b_rows["review_log"] == 2 and b_rows["settings"] > 0
    with connect(klass.a) as conn:
        for table in LEARNED:
            assert rows_of(conn, table.name, klass.b.name) == 0, table.name
            query = sql.SQL("SELECT count(*) FROM {} WHERE learner <> current_user")
            row = conn.execute(query.format(sql.Identifier(table.name))).fetchone()
            assert row == (0,), table.name
        assert rows_of(conn, "review_log", klass.a.name) == 3  # their own, all there


@pytest.mark.postgresql
def test_a_learner_can_neither_change_nor_delete_another_learners_rows(klass: Class) -> None:
    before = snapshot(klass, klass.b.name)
    b = klass.b.name
    with connect(klass.a) as conn:
        changed = conn.execute("UPDATE settings SET value = '2' WHERE learner = %s", [b])
        assert changed.rowcount == 0
        assert conn.execute("UPDATE card_memory SET due = 0").rowcount > 0  # only A's own
        assert conn.execute("DELETE FROM review_log WHERE learner = %s", [b]).rowcount == 0
        for table in LEARNED:
            query = sql.SQL("DELETE FROM {} WHERE learner <> current_user")
            assert conn.execute(query.format(sql.Identifier(table.name))).rowcount == 0
    assert snapshot(klass, b) == before
    with connect(klass.owner) as conn:
        row = conn.execute("SELECT value FROM settings WHERE learner = %s AND key = 'x'", [b])
        assert row.fetchone() == ("1",)


@pytest.mark.postgresql
def test_a_learner_cannot_write_a_row_in_another_learners_name(klass: Class) -> None:
    with connect(klass.a) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_REFUSED):
            conn.execute(
                "INSERT INTO settings (learner, key, value) VALUES (%s, 'x', '9')", [klass.b.name]
            )
        conn.execute("INSERT INTO settings (learner, key, value) VALUES (current_user, 'y', '1')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_REFUSED):
            conn.execute("UPDATE settings SET learner = %s WHERE key = 'y'", [klass.b.name])
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_REFUSED):
            conn.execute("INSERT INTO settings (key, value) VALUES ('z', '1')")  # learner ''
    with connect(klass.owner) as conn:
        assert rows_of(conn, "settings", "") == 0


@pytest.mark.postgresql
def test_the_instructor_reads_every_learners_rows_and_writes_none(klass: Class) -> None:
    with connect(klass.teacher) as conn:
        learners = conn.execute("SELECT DISTINCT learner FROM review_log").fetchall()
        assert sorted(r[0] for r in learners) == sorted([klass.a.name, klass.b.name])
        assert rows_of(conn, "review_log", klass.a.name) == 3
        assert rows_of(conn, "review_log", klass.b.name) == 2
        for statement in (
            "UPDATE settings SET value = '0'",
            "DELETE FROM review_log",
            "INSERT INTO settings (learner, key, value) VALUES (current_user, 'k', '1')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                conn.execute(statement)
    assert snapshot(klass, klass.a.name)["review_log"] == 3


@pytest.mark.postgresql
def test_the_owner_is_not_limited_by_the_policies(klass: Class) -> None:
    """No FORCE ROW LEVEL SECURITY: the owner (migrations, class init) sees every row."""
    with connect(klass.owner) as conn:
        row = conn.execute("SELECT count(DISTINCT learner) FROM cards").fetchone()
        assert row == (2,)


@pytest.mark.postgresql
def test_the_app_opened_as_a_learner_works_and_sees_only_their_rows(
    klass: Class, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LEARNER_ENV, raising=False)
    study(klass.a, 1)  # sync (nothing new), next card, answer, commit: as A's own role

    def stats() -> dict[str, Any]:
        assert main(["--db", klass.a.url, "stats", "--json"]) == 0
        out: dict[str, Any] = json.loads(capsys.readouterr().out)
        return out

    assert stats()["reviews_total"] == 4  # A's 3 + 1, not B's 2
    # told it is B, the app opened as A's role can neither see nor write B's progress: the
    # first write (syncing B's cards) is refused by the database, in one line
    err = one_line_refusal(capsys, ["--db", klass.a.url, "--learner", klass.b.name, "stats"])
    assert RLS_REFUSED in err and klass.a.password not in err
    with pytest.raises(QuizappError, match=RLS_REFUSED):
        study(klass.a, 1, learner=klass.b.name)
    assert snapshot(klass, klass.b.name)["review_log"] == 2


@pytest.mark.postgresql
def test_add_learner_reads_the_password_from_stdin_and_never_shows_it(
    owned_db: Role,
    new_role: Callable[[str], str],
    pg_admin_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["--db", owned_db.url, "class", "init"]) == 0
    name, password = new_role("l"), "correct horse " + secrets.token_hex(6)
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    assert main(["--db", owned_db.url, "class", "add-learner", name]) == 0
    out, err = capsys.readouterr()
    assert password not in out + err and owned_db.password not in out + err
    assert f"added learner {name}" in out and err == ""
    with connect(as_role(owned_db.url, name, password)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (name,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(as_role(owned_db.url, name, password + "x")).close()
    with connect(pg_admin_url) as admin:  # the server only ever had the SCRAM verifier
        stored = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [name])
        verifier = stored.fetchone()
    assert verifier is not None and verifier[0].startswith("SCRAM-SHA-256$")
    assert password not in verifier[0]

    monkeypatch.setattr(sys, "stdin", io.StringIO("another one\n"))
    assert main(["--db", owned_db.url, "class", "add-learner", name, "--reset-password"]) == 0
    assert "new password set" in capsys.readouterr().out
    with connect(as_role(owned_db.url, name, "another one")) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (name,)


@pytest.mark.postgresql
def test_add_instructor_makes_a_reader(
    owned_db: Role, new_role: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    init_class(owned_db.url)
    name = new_role("i")
    monkeypatch.setattr(sys, "stdin", io.StringIO("pw\n"))
    assert main(["--db", owned_db.url, "class", "add-instructor", name]) == 0
    with connect(owned_db) as conn:
        groups = conn.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            " JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = %s",
            [name],
        ).fetchall()
    assert groups == [(INSTRUCTORS,)]


def one_line_refusal(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err.strip()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Ada", "lowercase"),
        ("1ada", "not starting with a digit"),
        ("a-b", "lowercase"),
        ("a\nb", "lowercase"),
        ("x" * 64, "1 to 63"),
        ("pg_ada", "reserved"),
        ("quizapp_learner", "reserved"),
        ("public", "reserved"),
    ],
)
def test_add_learner_refuses_a_bad_name_in_one_line_before_connecting_or_asking(
    name: str,
    says: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # asking would fail differently
    nowhere = "postgresql+psycopg://nobody@127.0.0.1:9/none"  # connecting would too
    err = one_line_refusal(capsys, ["--db", nowhere, "class", "add-learner", name])
    assert says in err


@pytest.mark.postgresql
def test_add_learner_refuses_existing_roles_and_empty_passwords_in_one_line(
    owned_db: Role,
    new_role: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = owned_db.url

    def refused(*argv: str, stdin: str = "pw\n") -> str:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        return one_line_refusal(capsys, ["--db", url, "class", *argv])

    fresh = new_role("l")
    assert "run `quizapp class init`" in refused("add-learner", fresh)  # no class yet
    init_class(url)
    assert "not a quizapp learner" in refused("add-learner", owned_db.name)  # the owner
    teacher = member(owned_db, new_role, "instructor")
    assert "not a quizapp learner" in refused("add-learner", teacher.name)
    assert "not a quizapp learner" in refused("add-learner", teacher.name, "--reset-password")
    assert "empty password" in refused("add-learner", fresh, stdin="\n")
    assert "no password" in refused("add-learner", fresh, stdin="")
    assert "no learner" in refused("add-learner", fresh, "--reset-password")
    learner = member(owned_db, new_role, "learner")
    assert "already exists" in refused("add-learner", learner.name)
    assert sys.stdin.read() == "pw\n"  # refused before the password was asked for
    with connect(owned_db) as conn:  # none of it made a role
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [fresh]).fetchone() is None


def test_class_init_refuses_sqlite_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    message = "quizapp: class init needs a PostgreSQL database (--db postgresql+psycopg://...)"
    assert one_line_refusal(capsys, ["--db", f"sqlite:///{db}", "class", "init"]) == message
    assert one_line_refusal(capsys, ["class", "init"]) == message  # the default: a SQLite file
    assert not db.exists()
    err = one_line_refusal(capsys, ["--db", f"sqlite:///{db}", "class", "add-learner", "ada"])
    assert "class add-learner needs a PostgreSQL database" in err


@pytest.mark.postgresql
def test_class_init_twice_is_fine_and_restores_a_missing_policy(
    klass: Class, capsys: pytest.CaptureFixture[str]
) -> None:
    with connect(klass.owner) as conn:  # as if an upgrade brought a table without policies
        conn.execute(f"DROP POLICY {OWN_ROWS} ON settings")
        conn.execute("ALTER TABLE settings DISABLE ROW LEVEL SECURITY")
    assert main(["--db", klass.url, "class", "init"]) == 0
    assert main(["--db", klass.url, "class", "init"]) == 0
    out = capsys.readouterr().out
    assert "created" not in out and f"row-level security on {len(LEARNED)} tables" in out
    with connect(klass.owner) as conn:
        policies = conn.execute(
            "SELECT tablename, policyname, roles::text[] FROM pg_policies"
            " WHERE schemaname = current_schema() ORDER BY 1, 2"
        ).fetchall()
        secured = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relrowsecurity AND relname = ANY(%s)",
            [[t.name for t in LEARNED]],
        ).fetchone()
    assert policies == sorted(
        [(t.name, OWN_ROWS, [LEARNERS]) for t in LEARNED]
        + [(t.name, READ_ALL, [INSTRUCTORS]) for t in LEARNED]
    )
    assert secured == (len(LEARNED),)
    with connect(klass.a) as conn:  # learners carry on, still limited
        assert rows_of(conn, "settings", klass.b.name) == 0
        assert rows_of(conn, "review_log", klass.a.name) == 3


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_password_is_asked_twice_without_echo() -> None:
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return "s3cret"

    assert read_password("ada", Tty(), ask) == "s3cret"
    assert len(asked) == 2 and "ada" in asked[0]
    answers = iter(["one", "two"])
    with pytest.raises(QuizappError, match="differ"):
        read_password("ada", Tty(), lambda _p: next(answers))
    with pytest.raises(QuizappError, match="empty"):
        read_password("ada", Tty(), lambda _p: "")


def test_a_terminal_that_would_echo_is_refused() -> None:
    import getpass
    import warnings

    def echoing(_prompt: str) -> str:
        warnings.warn("Can not control echo on the terminal.", getpass.GetPassWarning, 2)
        return "shown"

    with pytest.raises(QuizappError, match="cannot hide"):
        read_password("ada", Tty(), echoing)


def test_from_stdin_the_password_is_the_first_line_exactly() -> None:
    assert read_password("ada", io.StringIO(" two words \r\nnext\n")) == " two words "
    with pytest.raises(QuizappError, match="NUL"):
        read_password("ada", io.StringIO("a\x00b\n"))
