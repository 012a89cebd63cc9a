"""`quizapp export anki FILE.apkg [--bank NAME ...] [--with-progress]`: the banks as an Anki
package (see quizapp.interop.anki_export). Needs no database: the notes are the banks' items.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.errors import QuizappError

if TYPE_CHECKING:
    from quizapp.bank.loader import Bank
    from quizapp.interop.anki_export import ExportReport

KIND_LABELS = {
    "flashcard": "flashcard",
    "cloze": "cloze",
    "single_choice": "single choice",
    "multiple_response": "multiple response",
    "true_false": "true/false",
    "ordering": "ordering",
    "matching": "matching",
    "computed": "computed",
}
PROGRESS_NOTE = (
    "quizapp: --with-progress: review history and FSRS state are not exported (genanki writes "
    "new cards only); the notes are written as new cards"
)


def choose_banks(banks: Sequence[Bank], names: Sequence[str]) -> list[Bank]:
    """The banks named (in the order given, each once), or all; an unknown name is one line
    listing the known ones."""
    if not names:
        return list(banks)
    by_name = {bank.name: bank for bank in banks}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name))
        raise QuizappError(f"unknown bank {', '.join(map(repr, unknown))}; known banks: {known}")
    return [by_name[n] for n in dict.fromkeys(names)]


def counted(counts: dict[str, int]) -> str:
    order = list(KIND_LABELS)
    kinds = sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
    return ", ".join(f"{counts[k]} {KIND_LABELS.get(k, k)}" for k in kinds if counts[k])


def format_report(report: ExportReport) -> str:
    from quizapp.interop.anki_export import PARENT_DECK, SKIPPED_KINDS

    notes = "note" if report.notes == 1 else "notes"
    cards = "card" if report.cards == 1 else "cards"
    decks = "deck" if len(report.decks) == 1 else "decks"
    lines = [
        f"Wrote {report.notes} {notes} ({report.cards} {cards}) in {len(report.decks)} {decks} "
        f"under {PARENT_DECK!r} to {report.path}"
    ]
    if report.by_kind:
        lines.append(f"  {counted(report.by_kind)}")
    for kind, n in report.skipped.items():
        why = SKIPPED_KINDS.get(kind, "not exported")
        lines.append(f"  skipped {n} {KIND_LABELS.get(kind, kind)} ({why})")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from quizapp.bank.loader import load_all
    from quizapp.interop.anki_export import ExportBank, write_anki_package

    path = Path(args.file)
    if path.suffix.lower() != ".apkg":
        raise QuizappError(f"{path}: an Anki package's name ends in .apkg")
    loaded = load_all(getattr(args, "bank", None) or ())
    for problem in loaded.errors:
        print(f"quizapp: warning: {problem}", file=sys.stderr)
    chosen = choose_banks(loaded.banks, getattr(args, "banks", None) or ())
    if getattr(args, "with_progress", False):
        print(PROGRESS_NOTE, file=sys.stderr)
    report = write_anki_package((ExportBank(b.name, b.title, b.items) for b in chosen), path)
    print(format_report(report))
    return 0
