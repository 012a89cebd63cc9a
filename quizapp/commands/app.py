"""`quizapp` with no command: check the banks and the database, then open the Textual app.

What can be refused is refused before the UI takes the terminal, as one line (QuizappError):
broken shipped banks, a bank path that does not exist, a corrupt or unreadable SQLite file.
Everything slow (SQLAlchemy, migrations, syncing the banks into the database) happens on the
app's study thread after the first frame, so the dashboard appears as fast as a bare Textual app.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp import __version__
from quizapp.errors import QuizappError, StoreError
from quizapp.store.files import check_sqlite_file, default_url, sqlite_file
from quizapp.store.learner import resolve_learner

if TYPE_CHECKING:
    from quizapp.bank.model import Item
    from quizapp.collection import Collection


def shipped_fingerprint() -> str | None:
    """A digest of everything the shipped-bank check depends on (banks, taxonomy, version).

    None when the content is not plain files (e.g. a zipped install): then it is always
    checked. Plain paths, not importlib.resources, which alone costs more than the digest.
    """
    import content

    if not content.__file__:
        return None
    root = Path(content.__file__).parent
    if not (root / "banks").is_dir():
        return None
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in [root / "taxonomy.toml", *sorted((root / "banks").glob("*.toml"))]:
        info = path.stat()  # like .pyc files: size and modification time, not the bytes
        digest.update(f"\0{path.name}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def verified_marker(fingerprint: str) -> Path:
    from quizapp.paths import data_dir

    return data_dir() / "cache" / f"shipped-banks-{fingerprint}.ok"


def check_shipped_banks() -> tuple[Item, ...] | None:
    """Refuse broken shipped banks before the UI starts (ContentError, one line per problem).

    Validating costs more than the rest of start-up, so a bank set that passed once is
    remembered by its fingerprint and not re-validated here (the study thread still loads
    it). Returns the loaded items when it had to load them, else None.
    """
    try:
        fingerprint = shipped_fingerprint()
    except OSError:
        fingerprint = None
    marker = verified_marker(fingerprint) if fingerprint else None
    if marker is not None and marker.exists():
        return None
    from quizapp.bank.loader import load_shipped

    items = load_shipped().items  # raises ContentError
    if marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass  # a read-only data dir only costs the check next time
    return items


def check_bank_paths(paths: Sequence[str]) -> None:
    """A `--bank` path that does not exist is the learner's typo: refuse it now. (A broken
    link or a link loop exists as a name: the loader reports what is wrong with it.)"""
    for raw in paths:
        if not os.path.lexists(Path(raw).expanduser()):
            raise QuizappError(f"no such bank file or folder: {raw}")


class StudyOpener:
    """What the app's study thread runs first: load every bank, open, migrate and sync.

    Learner bank files with problems are skipped; their messages land in `bank_errors`.
    Any database error becomes a one-line StoreError naming the file. A failed open is
    remembered: calls queued behind it fail at once instead of waiting for the lock again.
    """

    def __init__(
        self,
        url: str,
        extra_banks: Sequence[str],
        learner: str | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.url = url
        self.learner = learner
        self.read_only = read_only  # no bank sync: the instructor's report
        self.extra_banks = tuple(extra_banks)
        self.bank_errors: tuple[str, ...] = ()
        self.backup_note: str | None = None  # printed once the app has closed
        self.failure: Exception | None = None

    def __call__(self) -> Collection:
        if self.failure is not None:
            raise self.failure
        from quizapp.bank.loader import load_for_app
        from quizapp.bank.profiles import app_profiles
        from quizapp.collection import open_collection
        from quizapp.store.database import backup_note, store_errors

        try:
            banks = load_for_app(self.extra_banks)
            # the learner's exam profiles are validated like banks; a broken one is skipped
            self.bank_errors = (*banks.errors, *app_profiles().errors)
            with store_errors(self.url):
                study = open_collection(
                    self.url, banks.items, learner=self.learner, read_only=self.read_only
                )
        except Exception as err:
            self.failure = err
            raise
        self.backup_note = backup_note(study.store)
        return study


def learner_keymap() -> tuple[dict[str, str], str | None]:
    """The learner's `keymap.toml`, checked against the app's binding ids and key names ({}
    if none), and what of it was ignored, a line per entry (None: nothing). A file that
    cannot be read as TOML at all is ignored whole; an entry with an unknown id, a key name
    Textual does not know or a key another action of its screen has is left out (its
    binding keeps its default keys). The app starts either way and shows those lines."""
    from quizapp.keymap import check_keys, keymap_path, load_keymap

    path = keymap_path()
    if not path.exists():
        return {}, None
    from quizapp.tui.screens.help import binding_ids, binding_table, key_names

    problems: list[str] = []
    try:
        keymap = load_keymap(path, known_ids=binding_ids(), problems=problems)
    except QuizappError as err:  # KeymapUnreadable, or not a [keys] table: ignored whole
        return {}, str(err)
    table = binding_table()
    everywhere = {b.id: b.key for b in table[0][1] if b.id}
    scopes = [(title, everywhere | {b.id: b.key for b in own if b.id}) for title, own in table]
    names = key_names()
    modifiers = frozenset(names.pop("modifiers"))
    keymap, wrong = check_keys(
        keymap, scopes, frozenset(k for ks in names.values() for k in ks), modifiers, path
    )
    problems += wrong
    return keymap, "\n".join(problems) or None


def check_study(name: str, extra_banks: Sequence[str]) -> None:
    """`--study NAME` must name a loaded bank (or "skills") or a topic id: else one line."""
    from quizapp.bank.loader import load_for_app
    from quizapp.reviews.model import StudyChoice, find_choice
    from quizapp.store.content import study_names

    banks, topics = study_names(load_for_app(extra_banks).items)
    choices = [StudyChoice("bank", b) for b in banks] + [StudyChoice("topic", t) for t in topics]
    if find_choice(choices, name) is None:
        raise QuizappError(
            f"--study: no bank or topic called {name!r} (banks: {', '.join(banks)}; "
            "topic ids: quizapp content check)"
        )


def run(args: argparse.Namespace) -> int:
    return run_app(args)


def run_app(args: argparse.Namespace, *, start: str | None = None) -> int:
    """The app. `start="class_report"`: the instructor's report, opened read-only (no bank
    sync), for a role that may only read (`quizapp class report --tui`)."""
    url = getattr(args, "db", None) or default_url()
    extra = list(getattr(args, "bank", None) or ())
    check_bank_paths(extra)
    check_shipped_banks()
    study = getattr(args, "study", None)
    if study is not None:
        check_study(study, extra)
    learner = getattr(args, "learner", None)
    resolve_learner(learner)  # a bad --learner or $QUIZAPP_LEARNER: one line, before the UI
    path = sqlite_file(url)
    if path is not None:  # read-only and SQLAlchemy-free: milliseconds before the first frame
        check_sqlite_file(path)
    keymap, keymap_problem = learner_keymap()
    from quizapp.tui.app import QuizApp  # the one place a command reaches into the UI

    opener = StudyOpener(url, extra, learner, read_only=start == "class_report")
    app = QuizApp(
        opener,
        start=start,
        keymap=keymap,
        keymap_problem=keymap_problem,
        bank_errors=lambda: opener.bank_errors,
        study=study,
    )
    app.run()
    if opener.backup_note:
        print(opener.backup_note, file=sys.stderr)
    if app.fatal is not None:
        raise QuizappError(app.fatal)
    if app.unsaved:
        lost = "; ".join(f"{w.what} ({w.error or 'not tried'})" for w in app.unsaved)
        raise StoreError(f"not saved when the app closed: {lost}")
    return 0
