"""Bank items as an Anki package (`quizapp export anki`), written with genanki.

- Flashcards are Basic notes (Front / Back); a cloze is ONE Cloze note whose gaps become
  {{c1::...}}, {{c2::...}} (one card per gap, as quizapp reviews them).
- Single choice, multiple response and true/false become Basic notes: the prompt and the
  lettered options on the front, the key and every option's explanation on the back.
  Ordering and matching too (steps / descriptions in a fixed shuffled order on the front,
  the answer with the explanations on the back). Computed items are made by the engine
  afresh each time: they have no fixed text and are skipped (and counted).
- The note types are genanki's built-in Basic and Cloze models (fixed model ids), so every
  export lands on the same note types in Anki.
- One deck per bank, "quizapp::<bank>", under the parent deck "quizapp"; deck ids are derived
  from the deck names (Anki itself matches decks by name on import) and note GUIDs from the
  item ids, so exporting again and importing the new file updates the notes in Anki instead
  of duplicating them (Anki updates a note when the package's copy is newer).
- Tags: "topic::<topic>", "domain::<default profile's domain>", "kind::<kind>" and the item's
  own tags, whitespace replaced by "_" (Anki tags cannot contain spaces).
- Every text is data: it is HTML-escaped for Anki's fields (newlines become <br>); the only
  markup in a field is ours.

The package is written to a temporary file beside the target and renamed over it, so a
failed export never leaves a half-written package.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.bank.model import CLOZE_GAP, Item
from quizapp.errors import QuizappError

PARENT_DECK = "quizapp"
EXPORTED_KINDS = (
    "flashcard",
    "cloze",
    "single_choice",
    "multiple_response",
    "true_false",
    "ordering",
    "matching",
)
SKIPPED_KINDS = {"computed": "generated afresh by the engine, no fixed text"}
BASIC, CLOZE = "basic", "cloze"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SPACE = re.compile(r"\s+")


# -- text into Anki's HTML fields ------------------------------------------------------------


def field_text(text: str) -> str:
    """Plain text as an Anki field: HTML-escaped, newlines as <br> (tabs kept as spaces)."""
    escaped = html.escape(text.replace("\r\n", "\n").replace("\r", "\n"), quote=False)
    return escaped.replace("\t", "    ").replace("\n", "<br>")


def cloze_field(text: str) -> str:
    """A bank cloze ("... {{answer}} ...") as an Anki Cloze field with c1, c2, ... in order.

    The text around and inside the gaps is escaped; a ':' inside an answer is written as
    &#58; so an answer containing '::' is never read by Anki as a hint separator.
    """
    parts: list[str] = []
    last = 0
    for n, match in enumerate(CLOZE_GAP.finditer(text), start=1):
        parts.append(field_text(text[last : match.start()]))
        answer = field_text(match.group(1)).replace(":", "&#58;")
        parts.append(f"{{{{c{n}::{answer}}}}}")
        last = match.end()
    parts.append(field_text(text[last:]))
    return "".join(parts)


def tag(text: str) -> str:
    """One Anki tag: no whitespace (replaced by '_')."""
    return _SPACE.sub("_", text.strip())


def item_tags(item: Item) -> list[str]:
    """topic::, domain:: (the default profile's) and kind:: tags, then the item's own."""
    tags = [
        f"{name}::{tag(value)}"
        for name, value in (("topic", item.topic), ("domain", item.domain), ("kind", item.kind))
        if value.strip()
    ]
    tags += [tag(t) for t in item.tags if t.strip()]
    return list(dict.fromkeys(tags))  # no duplicates, order kept


# -- notes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """One note to write: its note type (basic | cloze), fields (HTML), tags and GUID."""

    item_id: str
    kind: str
    model: str
    fields: tuple[str, str]  # Basic: Front, Back; Cloze: Text, Back Extra
    tags: tuple[str, ...]
    guid: str
    cards: int


def note_guid(item_id: str) -> str:
    """The note's GUID, from the item id alone: stable across exports (genanki's guid_for)."""
    import genanki  # type: ignore[import-untyped]

    return str(genanki.guid_for("quizapp", item_id))


def _join(*blocks: str) -> str:
    return "<br><br>".join(b for b in blocks if b)


def _labelled(label: str, text: str) -> str:
    return f"<b>{label}</b> {field_text(text)}" if text.strip() else ""


def _refs(item: Item) -> str:
    links = [
        f'<a href="{html.escape(r.url, quote=True)}">{field_text(r.title)}</a>' for r in item.refs
    ]
    return "Sources: " + " · ".join(links) if links else ""


def _lettered(texts: Sequence[str]) -> str:
    return "<br>".join(f"{LETTERS[i]}. {field_text(t)}" for i, t in enumerate(texts))


def _fixed_shuffle(texts: Sequence[str], salt: str) -> list[int]:
    """A stable order for the front of ordering/matching notes (not the answer's order)."""
    order = sorted(
        range(len(texts)),
        key=lambda i: hashlib.sha256(f"{salt}\0{texts[i]}".encode()).digest(),
    )
    if order == list(range(len(texts))) and len(texts) > 1:
        order = order[1:] + order[:1]  # never show the answer as the question
    return order


def basic_sides(item: Item) -> tuple[str, str]:
    """Front and back (HTML) of a Basic note for every kind but cloze and computed."""
    match item.kind:
        case "flashcard":
            front = field_text(item.front)
            back = _join(
                field_text(item.back),
                _labelled("ELI5:", item.eli5),
                _labelled("Technical:", item.technical),
            )
        case "single_choice" | "multiple_response":
            front = _join(field_text(item.prompt), _lettered([c.text for c in item.choices]))
            key = ", ".join(LETTERS[i] for i, c in enumerate(item.choices) if c.correct)
            lines = [
                f"{LETTERS[i]}. {field_text(c.text)}<br>"
                f"<i>{'Right' if c.correct else 'Wrong'}:</i> {field_text(c.explanation)}"
                for i, c in enumerate(item.choices)
            ]
            back = _join(f"<b>Answer: {key}</b>", *lines)
        case "true_false":
            front = _join("True or false?", field_text(item.prompt))
            back = _join(
                f"<b>{'True' if item.answer else 'False'}</b>", field_text(item.explanation)
            )
        case "ordering":
            texts = [s.text for s in item.steps]
            order = _fixed_shuffle(texts, item.id)
            front = _join(field_text(item.prompt), _lettered([texts[i] for i in order]))
            letter = {step: LETTERS[pos] for pos, step in enumerate(order)}
            key = " ".join(letter[i] for i in range(len(texts)))
            lines = [
                f"{n}. {field_text(s.text)}<br><i>Why:</i> {field_text(s.explanation)}"
                for n, s in enumerate(item.steps, start=1)
            ]
            back = _join(f"<b>Order: {key}</b>", *lines)
        case "matching":
            matches = [p.match for p in item.pairs]
            order = _fixed_shuffle(matches, item.id)
            letter = {pair: LETTERS[pos] for pos, pair in enumerate(order)}
            items = "<br>".join(f"{n}. {field_text(p.item)}" for n, p in enumerate(item.pairs, 1))
            front = _join(field_text(item.prompt), items, _lettered([matches[i] for i in order]))
            key = ", ".join(f"{n}–{letter[n - 1]}" for n in range(1, len(item.pairs) + 1))
            lines = [
                f"{n}. {field_text(p.item)} → {letter[n - 1]}. {field_text(p.match)}<br>"
                f"<i>Why:</i> {field_text(p.explanation)}"
                for n, p in enumerate(item.pairs, start=1)
            ]
            back = _join(f"<b>Matches: {key}</b>", *lines)
        case _:
            raise ValueError(f"no Basic note for kind {item.kind!r}")
    return front, _join(back, _refs(item))


def note_for(item: Item) -> AnkiNote | None:
    """The item's note, or None for a kind that is not exported (computed)."""
    if item.kind not in EXPORTED_KINDS:
        return None
    tags = tuple(item_tags(item))
    guid = note_guid(item.id)
    if item.kind == "cloze":
        gaps = len(CLOZE_GAP.findall(item.text))
        back = _join(field_text(item.back), _refs(item))
        return AnkiNote(item.id, item.kind, CLOZE, (cloze_field(item.text), back), tags, guid, gaps)
    return AnkiNote(item.id, item.kind, BASIC, basic_sides(item), tags, guid, 1)


# -- decks and the package ---------------------------------------------------------------------


def deck_name(bank: str) -> str:
    """The bank's subdeck: "quizapp::<bank>" (a '::' in the name would nest deeper: ':' kept)."""
    return f"{PARENT_DECK}::{bank.replace('::', ':').strip() or 'bank'}"


def deck_id(name: str) -> int:
    """A stable deck id from the deck's name (well inside Anki's and JavaScript's int range)."""
    digest = hashlib.sha256(f"quizapp deck\0{name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:5], "big")  # 2^40 .. 2^41, never 1 (Default)


@dataclass(frozen=True, slots=True)
class ExportBank:
    """What to export from one bank: its name (file stem), title and items."""

    name: str
    title: str
    items: tuple[Item, ...]


@dataclass(slots=True)
class ExportReport:
    path: Path
    notes: int = 0
    cards: int = 0
    decks: list[str] = field(default_factory=list)  # the subdecks written (not the parent)
    by_kind: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_examples: dict[str, str] = field(default_factory=dict)


def plan_export(
    banks: Iterable[ExportBank], path: Path
) -> tuple[ExportReport, list[tuple[str, str, list[AnkiNote]]]]:
    """The notes per deck (deck name, bank title, notes) and the counts, without writing."""
    report = ExportReport(path)
    decks: list[tuple[str, str, list[AnkiNote]]] = []
    for bank in banks:
        notes: list[AnkiNote] = []
        for item in bank.items:
            note = note_for(item)
            if note is None:
                report.skipped[item.kind] += 1
                continue
            notes.append(note)
            report.by_kind[item.kind] += 1
            report.cards += note.cards
        if notes:
            decks.append((deck_name(bank.name), bank.title, notes))
            report.decks.append(deck_name(bank.name))
            report.notes += len(notes)
    return report, decks


def write_anki_package(
    banks: Iterable[ExportBank], path: Path, *, timestamp: float | None = None
) -> ExportReport:
    """Write the banks' items to `path` (.apkg). `timestamp` (seconds) stamps the notes'
    modification time (default: now); Anki updates a note on import only if it is newer.

    Raises QuizappError (one line) if the file cannot be written; nothing is left behind.
    """
    import genanki

    report, decks = plan_export(banks, path)
    models = {BASIC: genanki.BASIC_MODEL, CLOZE: genanki.CLOZE_MODEL}
    parent = genanki.Deck(deck_id(PARENT_DECK), PARENT_DECK, "quizapp's banks, one subdeck each")
    package_decks = [parent]
    for name, title, notes in decks:
        deck = genanki.Deck(deck_id(name), name, field_text(title))
        for note in notes:
            deck.add_note(
                genanki.Note(
                    model=models[note.model],
                    fields=list(note.fields),
                    tags=list(note.tags),
                    guid=note.guid,
                )
            )
        package_decks.append(deck)
    write_atomically(genanki.Package(package_decks), path, timestamp)
    return report


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(package: object, path: Path, timestamp: float | None) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise QuizappError(f"cannot write {path}: folder {folder} does not exist")
    if path.is_dir():
        raise QuizappError(f"cannot write {path}: it is a folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise QuizappError(f"cannot write {path}: {err.strerror or err}") from None
    os.close(fd)
    try:
        package.write_to_file(tmp, timestamp=timestamp)  # type: ignore[attr-defined]
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes it 0600: as a plain file
        os.replace(tmp, path)
    except OSError as err:
        raise QuizappError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
