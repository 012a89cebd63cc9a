"""`quizapp import anki FILE [--with-progress]` and `quizapp import csv FILE [--deck NAME]`:
a deck from Anki or a CSV file as bank files in the learner's banks folder.

The package or file is read and converted first, the bank files are validated and written
all or nothing (quizapp.interop.bank_writer), and only then, with `--with-progress`, is the
collection opened (which syncs the new banks into cards) and each imported card's Anki
review history replayed into its FSRS memory, in one transaction. Any problem is one line
naming the file; nothing is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.errors import QuizappError

if TYPE_CHECKING:
    from quizapp.interop.anki_import import DeckDoc
    from quizapp.interop.apkg import Package


def run(args: argparse.Namespace) -> int:
    if args.import_command == "anki":
        return _anki(args)
    if args.import_command == "csv":
        return _csv(args)
    raise QuizappError(f"unknown import format {args.import_command!r}")


def _banks_folder() -> Path:
    from quizapp.paths import user_banks_dir

    return user_banks_dir()


def _anki(args: argparse.Namespace) -> int:
    from quizapp.interop.anki_import import convert_package
    from quizapp.interop.apkg import read_package
    from quizapp.interop.bank_writer import BankDoc, split, write_banks

    path = Path(args.file)
    package = read_package(path)
    decks, report = convert_package(package)
    if not decks:
        skipped = "; ".join(report.lines()) or "the package has no notes"
        raise QuizappError(f"{path}: no Basic or Cloze notes to import ({skipped})")
    docs = [BankDoc(d.slug, d.name.replace("::", " / "), d.items) for d in decks]
    written = write_banks(docs, _banks_folder(), getattr(args, "bank", None) or ())
    layout = "current layout" if package.layout == "current" else "legacy layout"
    print(f"Imported {report.notes} note(s) as {report.items} item(s) from {path} ({layout}):")
    folder = written[0].parent
    for deck, doc in zip(decks, docs, strict=True):
        where = ", ".join(str(folder / f"{part.stem}.toml") for part in split(doc))
        print(f"  {deck.name}: {len(deck.items)} item(s) -> {where}")
    if report.reversed_notes:
        print(f"  {report.reversed_notes} reversed note(s): each card is its own item ('-r')")
    for line in report.lines():
        print(f"  {line}")
    if getattr(args, "with_progress", False):
        _progress(args, package, decks)
    return 0


def _progress(args: argparse.Namespace, package: Package, decks: list[DeckDoc]) -> None:
    from quizapp.commands.study import opened_study
    from quizapp.interop.anki_import import replay, usable_reviews
    from quizapp.interop.apkg import Review
    from quizapp.store import imported

    keys: dict[int, str] = {}
    for deck in decks:
        keys.update(deck.card_keys)
    reviews_of: dict[int, list[Review]] = {}
    for review in package.reviews:
        if review.card_id in keys:
            reviews_of.setdefault(review.card_id, []).append(review)
    manual = sum(len(rs) - len(usable_reviews(rs)) for rs in reviews_of.values())
    cards = answers = kept = 0
    with opened_study(args) as study:
        policy = study.settings.policy
        with study.store.write() as tx:
            ids = imported.card_ids(tx, keys.values())
            for anki_card, reviews in reviews_of.items():
                card_id = ids.get(keys[anki_card])
                if card_id is None or not usable_reviews(reviews):
                    continue
                start = imported.fresh_memory(tx, card_id)
                if start is None:
                    kept += 1
                    continue
                replayed = replay(start, reviews, policy, study.time.day_of)
                imported.write_history(tx, replayed)
                cards += 1
                answers += len(replayed)
    print(f"  progress: {answers} review(s) replayed into the FSRS memory of {cards} card(s)")
    if manual:
        print(f"  {manual} manual or reschedule entr(ies) of the review log skipped")
    if kept:
        print(f"  {kept} card(s) already studied here kept their own progress")


def _csv(args: argparse.Namespace) -> int:
    from quizapp.interop.bank_writer import BankDoc, write_banks
    from quizapp.interop.csv_import import read_csv

    path = Path(args.file)
    deck = read_csv(path, getattr(args, "deck", None))
    doc = BankDoc(deck.slug, deck.name, deck.items)
    written = write_banks([doc], _banks_folder(), getattr(args, "bank", None) or ())
    where = ", ".join(str(t) for t in written)
    print(f"Imported {len(deck.items)} card(s) from {path} -> {where}")
    if deck.media_refs:
        print(f"  media not imported: {deck.media_refs} reference(s) dropped from the text")
    for line in deck.skipped[:20]:
        print(f"  {line}")
    return 0
