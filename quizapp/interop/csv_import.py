"""A CSV (or tab-separated) deck as learner-bank flashcards: front, back and optional tags.

The file is UTF-8 with or without a byte-order mark; the separator is sniffed (comma or
tab); a first row reading front/back (question/answer, term/definition) is a header and is
skipped. Tags are split on spaces (Anki's export) or commas. A field that looks like HTML
is reduced to text as an Anki field is. Ids come from the deck and the front, so importing
the same file again rewrites the same items and keeps their progress.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.errors import QuizappError
from quizapp.interop.anki_import import DIFFICULTY, MAX_TEXT, clean_tags, item_id, slug
from quizapp.interop.html_text import html_to_text

MAX_CSV_BYTES = 5 * 1024 * 1024
HEADER_FRONT = frozenset({"front", "question", "term", "prompt", "q"})
HEADER_BACK = frozenset({"back", "answer", "definition", "a"})
LOOKS_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


@dataclass(slots=True)
class CsvDeck:
    name: str
    slug: str
    items: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    media_refs: int = 0


def _field(value: str, deck: CsvDeck) -> str:
    if LOOKS_HTML.search(value) or "[sound:" in value:
        reduced = html_to_text(value)
        deck.media_refs += reduced.media
        return reduced.text
    return "\n".join(" ".join(line.split()) for line in value.strip().splitlines()).strip()


def sniff_delimiter(sample: str) -> str:
    first = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t").delimiter
    except csv.Error:
        return "\t" if "\t" in first else ","


def read_csv(path: Path, deck_name: str | None = None) -> CsvDeck:
    """The deck in the CSV file at `path`; QuizappError (one line naming it) if unreadable."""
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise QuizappError(f"{label}: cannot read: {err.strerror or err}") from None
    if len(data) > MAX_CSV_BYTES:
        raise QuizappError(f"{label}: too large ({len(data):,} bytes; at most {MAX_CSV_BYTES:,})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise QuizappError(f"{label}: not UTF-8 text (byte {err.start + 1})") from None
    if "\x00" in text:
        raise QuizappError(f"{label}: not a text file (NUL bytes)")
    name = deck_name or path.stem
    deck = CsvDeck(name, slug(name))
    delimiter = sniff_delimiter(text[:8192])
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise QuizappError(f"{label}: not a valid CSV file ({err})") from None
    seen: set[str] = set()
    for number, row in enumerate(rows, 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise QuizappError(
                f"{label}: line {number} has one column; expected front, back and optional "
                "tags, separated by commas or tabs (nothing imported)"
            )
        front_raw, back_raw = row[0], row[1]
        first = not seen and not deck.skipped  # the first row with content may be a header
        if (
            first
            and front_raw.strip().lower() in HEADER_FRONT
            and back_raw.strip().lower() in HEADER_BACK
        ):
            continue
        front, back = _field(front_raw, deck), _field(back_raw, deck)
        if not front or not back:
            deck.skipped.append(f"line {number}: empty front or back, skipped")
            continue
        if len(front) > MAX_TEXT or len(back) > MAX_TEXT:
            deck.skipped.append(f"line {number}: longer than {MAX_TEXT} characters, skipped")
            continue
        ident = item_id("csv", f"{deck.slug}\x1f{front}")
        if ident in seen:
            deck.skipped.append(f"line {number}: the same front as an earlier line, skipped")
            continue
        seen.add(ident)
        item: dict[str, Any] = {
            "id": ident,
            "kind": "flashcard",
            "topic": deck.slug,
            "difficulty": DIFFICULTY,
            "front": front,
            "back": back,
        }
        if len(row) > 2 and (tags := clean_tags(re.split(r"[\s,]+", ",".join(row[2:])))):
            item["tags"] = tags
        deck.items.append(item)
    if not deck.items:
        raise QuizappError(f"{label}: no cards (rows of front, back[, tags]) to import")
    return deck
