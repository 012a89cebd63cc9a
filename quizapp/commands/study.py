"""Opening the learner's collection for a one-shot command, as the app does on start.

The banks are loaded (a broken learner bank is a warning line, the rest loads), the
progress of `--learner` / $QUIZAPP_LEARNER / the login name in the database
from `--db` / $QUIZAPP_DB / the data dir is opened (created on first run, an older one backed
up and upgraded: the backup's path is printed once), and anything the store raises inside the
block becomes one line (`store_errors`). The collection is closed on the way out.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.collection import Collection


@contextmanager
def opened_study(args: argparse.Namespace) -> Iterator[Collection]:
    from quizapp.bank.loader import load_all
    from quizapp.collection import open_collection
    from quizapp.store.database import backup_note, store_errors

    loaded = load_all(getattr(args, "bank", None) or ())
    for problem in loaded.errors:
        print(f"quizapp: warning: {problem}", file=sys.stderr)
    url = getattr(args, "db", None)
    with store_errors(url):  # whatever slips past the store's own messages: one line too
        study = open_collection(url, loaded.items, learner=getattr(args, "learner", None))
        try:
            note = backup_note(study.store)
            if note:
                print(note, file=sys.stderr)
            yield study
        finally:
            study.close()
