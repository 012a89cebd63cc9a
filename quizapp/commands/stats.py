"""`quizapp stats [--json]`: study statistics from the progress database.

Opens (creating on first run) the database from `--db` / $QUIZAPP_DB / the data dir, syncs
the banks as the app does on start, and prints a summary, or JSON with `--json`.
"""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from quizapp.bank.loader import load_all
    from quizapp.bank.taxonomy import load_taxonomy
    from quizapp.collection import open_collection
    from quizapp.stats import format_stats, stats_json
    from quizapp.store.database import backup_note, store_errors

    loaded = load_all(getattr(args, "bank", None) or ())
    for problem in loaded.errors:
        print(f"quizapp: warning: {problem}", file=sys.stderr)
    url = getattr(args, "db", None)
    with store_errors(url):  # whatever slips past the store's own messages: one line too
        study = open_collection(url, loaded.items)
        try:
            note = backup_note(study.store)
            if note:
                print(note, file=sys.stderr)
            stats = study.stats.summary()
        finally:
            study.close()
    if getattr(args, "json", False):
        print(stats_json(stats))
    else:
        print(format_stats(stats, load_taxonomy().topics))
    return 0
