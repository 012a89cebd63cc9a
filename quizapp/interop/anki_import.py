"""An Anki package's notes as learner-bank items, one bank per deck, and (optionally) its
review history replayed into FSRS memory.

Note types are recognised by their structure, not their names: a cloze type (Anki's cloze
kind, or a template showing `{{cloze:Field}}`) becomes a `cloze` item; a standard type whose
every template shows exactly one field on the front and one other on the back (Basic, Basic
(and reversed card), Basic (optional reversed card), Basic (type in the answer), renamed or
not) becomes `flashcard` items, one per card the note has: the first template's card is the
item `anki-<hash of the note GUID>`, the reverse `...-r` (a reversed note is two items, as
it is two cards in Anki, each with its own history). Anything else is skipped and reported
by name. Templates are only read to see which fields they show: nothing in them is run.

Ids come from the note's GUID, so importing the same deck again rewrites the same items and
their progress stays with them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from quizapp.interop.apkg import Card, Note, NoteType, Package, Review
from quizapp.interop.html_text import html_to_text

MAX_TEXT = 2000
MAX_TAGS, MAX_TAG_LENGTH = 20, 40
MAX_SLUG = 40
DIFFICULTY = "medium"  # Anki has no content level; every imported item is "medium"
FIELD_REF = re.compile(r"\{\{([^{}]*)\}\}")
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)
SPECIAL_REFS = frozenset({"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag"})
REVERSE_SUFFIXES = {1: "-r"}


def slug(name: str, *, limit: int = MAX_SLUG) -> str:
    """A lowercase kebab-case name for a deck ("AWS::ML Basics" -> "aws-ml-basics")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:limit].strip("-")
    if not re.search(r"[a-z]", out):
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        out = f"deck-{out}-{digest}".replace("--", "-")[:limit].strip("-")
    return out


def item_id(prefix: str, key: str) -> str:
    """A stable bank item id from a note GUID (or another key): valid kebab-case, 21 chars."""
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def clean_tags(tags: Sequence[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = re.sub(r"[\x00-\x1f\x7f-\x9f]", "", tag).strip()[:MAX_TAG_LENGTH].strip()
        if tag and tag not in out:
            out.append(tag)
    return out[:MAX_TAGS]


@dataclass(slots=True)
class DeckDoc:
    """One bank file to write: its deck, items (TOML tables) and the card keys of each
    source card (Anki card id -> our card key), for the history."""

    name: str  # the deck's name, e.g. "AWS::ML"
    slug: str  # bank file stem and the items' topic
    items: list[dict[str, Any]] = field(default_factory=list)
    card_keys: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class ImportReport:
    notes: int = 0  # notes turned into items
    items: int = 0
    media_files: int = 0  # media files in the package (not imported)
    media_refs: int = 0  # [sound:] and <img> references dropped from the text
    skipped_types: Counter[str] = field(default_factory=Counter)  # note type name -> notes
    skipped_notes: list[str] = field(default_factory=list)  # one line each: why
    reversed_notes: int = 0

    def lines(self) -> list[str]:
        out = []
        if self.media_files or self.media_refs:
            out.append(
                f"media not imported: {self.media_files} file(s) in the package, "
                f"{self.media_refs} reference(s) dropped from the text"
            )
        for name, count in sorted(self.skipped_types.items()):
            out.append(f"skipped {count} note(s) of the note type {name!r} (not Basic or Cloze)")
        out.extend(self.skipped_notes[:20])
        if len(self.skipped_notes) > 20:
            out.append(f"... and {len(self.skipped_notes) - 20} more skipped note(s)")
        return out


# -- note types ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    """How a note type's fields become items: cloze (text field, extra field) or, per
    template ord, the (front field, back field) of a flashcard."""

    cloze: tuple[int, int | None] | None = None
    sides: dict[int, tuple[int, int]] = field(default_factory=dict)


def _refs(template: str, fields: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """(plain field refs, type: refs, cloze: refs) shown by a template (conditionals and
    special fields left out)."""
    plain, typed, cloze = [], [], []
    for raw in FIELD_REF.findall(template):
        ref = raw.strip()
        if not ref or ref[0] in "#^/!":
            continue
        *filters, name = ref.split(":")
        name = name.strip()
        if name in SPECIAL_REFS or name not in fields:
            continue
        if "cloze" in filters:
            cloze.append(name)
        elif "type" in filters:
            typed.append(name)
        else:
            plain.append(name)
    return plain, typed, cloze


def note_shape(nt: NoteType) -> Shape | None:
    """The shape of a note type, or None if it is not Basic- or Cloze-like."""
    fields = list(nt.fields)
    if not nt.templates or len(fields) < 1:
        return None
    refs = [(_refs(t.question, fields), _refs(t.answer, fields)) for t in nt.templates]
    cloze_fields = [name for (q, a) in refs for name in q[2] + a[2]]
    if nt.kind == 1 or cloze_fields:
        if not cloze_fields or len(nt.templates) != 1:
            return None
        text = fields.index(cloze_fields[0])
        (_, _, _), (a_plain, _, _) = refs[0]
        extras = [fields.index(n) for n in a_plain if fields.index(n) != text]
        return Shape(cloze=(text, extras[0] if extras else None))
    sides: dict[int, tuple[int, int]] = {}
    for ord_, ((q_plain, q_typed, _), (a_plain, a_typed, _)) in enumerate(refs):
        front = set(q_plain)
        back = (set(q_typed) | set(a_plain) | set(a_typed)) - front
        if len(front) != 1 or len(back) != 1:
            return None
        sides[ord_] = (fields.index(front.pop()), fields.index(back.pop()))
    return Shape(sides=sides) if len(sides) <= 2 else None


# -- notes -----------------------------------------------------------------------------------


class Skip(Exception):
    """A note that cannot become an item: str() says why."""


def _text(raw: str, report: ImportReport, what: str) -> str:
    reduced = html_to_text(raw)
    report.media_refs += reduced.media
    if len(reduced.text) > MAX_TEXT:
        raise Skip(f"its {what} is {len(reduced.text)} characters (at most {MAX_TEXT})")
    return reduced.text


def cloze_text(text: str) -> tuple[str, dict[int, int]]:
    """Anki's `{{c1::answer::hint}}` as our `{{answer}}`; and, per cloze number, the first
    gap (1-based, in text order) that holds it: that gap's card takes the Anki card's history."""
    first_gap: dict[int, int] = {}
    count = 0

    def gap(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        first_gap.setdefault(int(m.group(1)), count)
        answer = " ".join(m.group(2).split("::")[0].split())
        if not answer or "{" in answer or "}" in answer:
            raise Skip(f"its cloze {m.group(0)[:40]!r} has no usable answer")
        return "{{" + answer + "}}"

    out = CLOZE.sub(gap, text)
    if not count:
        raise Skip("its cloze text has no {{c1::...}} gap")
    return out, first_gap


def _note_items(
    note: Note, nt: NoteType, shape: Shape, cards: list[Card], topic: str, report: ImportReport
) -> tuple[list[dict[str, Any]], dict[int, str]]:
    base = item_id("anki", note.guid)
    tags = clean_tags(note.tags)
    fields = list(note.fields) + [""] * (len(nt.fields) - len(note.fields))
    common: dict[str, Any] = {"topic": topic, "difficulty": DIFFICULTY}
    items: list[dict[str, Any]] = []
    keys: dict[int, str] = {}
    if shape.cloze is not None:
        text_at, extra_at = shape.cloze
        text, first_gap = cloze_text(_text(fields[text_at], report, "cloze text"))
        item: dict[str, Any] = {"id": base, "kind": "cloze", **common, "text": text}
        if extra_at is not None and (extra := _text(fields[extra_at], report, "extra")):
            item["back"] = extra
        items.append(item)
        for card in cards:
            gap = first_gap.get(card.ord + 1)
            if gap is not None:
                keys[card.id] = f"{base}#c{gap}"
    else:
        for card in sorted(cards, key=lambda c: c.ord):
            if card.ord not in shape.sides or card.ord > 1:
                continue
            front_at, back_at = shape.sides[card.ord]
            front = _text(fields[front_at], report, nt.fields[front_at])
            back = _text(fields[back_at], report, nt.fields[back_at])
            if not front or not back:
                raise Skip("its front or back is empty once reduced to text")
            ident = base + REVERSE_SUFFIXES.get(card.ord, "")
            items.append({"id": ident, "kind": "flashcard", **common, "front": front, "back": back})
            keys[card.id] = ident
        if any(c.ord == 1 for c in cards):
            report.reversed_notes += 1
    if tags:
        for item in items:
            item["tags"] = tags
    return items, keys


def convert_package(package: Package) -> tuple[list[DeckDoc], ImportReport]:
    """The package's importable notes as one DeckDoc per deck (by the deck of each note's
    first card), and what was left out."""
    report = ImportReport(media_files=package.media_files)
    cards_of: dict[int, list[Card]] = {}
    for card in package.cards:
        cards_of.setdefault(card.note_id, []).append(card)
    shapes = {tid: note_shape(nt) for tid, nt in package.note_types.items()}
    decks: dict[int, DeckDoc] = {}
    slugs: dict[str, int] = {}
    for note in package.notes:
        nt = package.note_types.get(note.type_id)
        cards = cards_of.get(note.id, [])
        if nt is None or not cards:
            report.skipped_notes.append(f"skipped note {note.id}: no note type or no cards")
            continue
        shape = shapes[nt.id]
        if shape is None:
            report.skipped_types[nt.name] += 1
            continue
        deck_id = min(cards, key=lambda c: c.ord).deck_id
        if deck_id not in decks:
            name = package.decks.get(deck_id, "Default") or "Default"
            stem = slug(name)
            if stem in slugs:
                stem = slug(f"{stem}-{deck_id}")
            slugs[stem] = deck_id
            decks[deck_id] = DeckDoc(name, stem)
        deck = decks[deck_id]
        try:
            items, keys = _note_items(note, nt, shape, cards, deck.slug, report)
        except Skip as why:
            report.skipped_notes.append(f"skipped note {note.id} ({nt.name}): {why}")
            continue
        deck.items.extend(items)
        deck.card_keys.update(keys)
        report.notes += 1
        report.items += len(items)
    return [d for d in decks.values() if d.items], report


# -- review history --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplayedAnswer:
    """One Anki review replayed: the memory before and after, as the review log stores it."""

    before: Any  # quizapp.scheduling.memory.Memory
    after: Any
    grade: int
    at: float  # epoch seconds
    day: int
    duration_ms: int | None


def usable_reviews(reviews: Sequence[Review]) -> list[Review]:
    """The answers among Anki's revlog rows: manual changes and reschedules (type 4/5, or
    ease 0) are not answers; eases 1-4 are Again/Hard/Good/Easy, our grades."""
    return sorted(
        (r for r in reviews if r.kind not in (4, 5) and 1 <= r.ease <= 4), key=lambda r: r.at_ms
    )


def replay(
    start: Any, reviews: Sequence[Review], policy: Any, day_of: Callable[[datetime], int]
) -> list[ReplayedAnswer]:
    """Replay a card's answers through FSRS (the same `grade_card` answering uses) at the
    times they were given, from `start` (the card's new memory)."""
    from quizapp.scheduling.review import grade_card

    out: list[ReplayedAnswer] = []
    memory = start
    for review in usable_reviews(reviews):
        when = datetime.fromtimestamp(review.at_ms / 1000, UTC)
        graded = grade_card(memory, review.ease, when, policy, policy.maximum_interval_days)
        after = graded.memory
        duration = review.duration_ms if review.duration_ms > 0 else None
        out.append(
            ReplayedAnswer(memory, after, review.ease, when.timestamp(), day_of(when), duration)
        )
        memory = after
    return out
