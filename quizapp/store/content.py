"""Content sync: make the cards match the banks, keyed by item id ("<id>#c<n>" per cloze gap).

New flashcard/cloze items become new cards, items that disappeared are retired (their memory
and history stay; they return if the item comes back), edited items keep their progress (only
topic, domain, difficulty, bank and new-queue order are refreshed). One skill card exists per
engine family x difficulty. New cards are met in the new-card order setting; changing it
re-orders the cards never studied (nothing else). A hash of the card list is stored: when it
matches, sync does nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update

from quizapp.bank.model import CARD_KINDS, GAP_MARK, Item, cloze_gap_count, gap_of_key
from quizapp.scheduling.memory import NEW, Q_RETIRED, queue_for
from quizapp.scheduling.skills import SKILL_DOMAIN, family_topic, skill_keys
from quizapp.store.cards import (
    QUESTION_CARD_KINDS,
    RETIRE_CARD,
    RETIRE_MEMORY,
    question_key,
)
from quizapp.store.settings import get_value, load_settings, set_value
from quizapp.store.tables import CARDS, MEM, me, mine
from quizapp.store.transaction import Tx


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a content sync changed (all zero and skipped=True when nothing had changed)."""

    added: int
    retired: int
    restored: int  # retired cards whose item came back
    updated: int  # cards whose metadata (topic, domain, order, kind) changed
    skipped: bool


CONTENT_HASH_KEY = "_content_hash"
METADATA = ("kind", "item_id", "family", "difficulty", "topic", "domain", "bank", "position")
SKILL_BANK = "skills"  # the bank name of the computed skill cards (for choosing what to study)
_EXISTING_COLUMNS = (
    CARDS.c.id,
    CARDS.c.key,
    CARDS.c.retired,
    *(CARDS.c[name] for name in METADATA),
    MEM.c.state,
    MEM.c.queue,
    MEM.c.suspended,
    MEM.c.buried_until,
)
# the learner's cards only: another learner's cards in the same database are never seen,
# added to or retired by this learner's sync
EXISTING = (
    select(*_EXISTING_COLUMNS)
    .join_from(CARDS, MEM, MEM.c.card_id == CARDS.c.id)
    .where(mine(CARDS), mine(MEM))
)
_FIELDS = [c.name for c in _EXISTING_COLUMNS]
_BY_ID = and_(CARDS.c.id == bindparam("b_id"), mine(CARDS))
_MEM_BY_ID = and_(MEM.c.card_id == bindparam("b_id"), mine(MEM))
ADD_CARD = insert(CARDS).values(
    learner=me(),
    **{name: bindparam(f"v_{name}") for name in ("key", *METADATA, "retired", "created_at")},
)
ADD_MEMORY = insert(MEM).values(
    learner=me(), card_id=bindparam("v_card_id"), state=NEW, due=bindparam("v_due"), queue=0
)
SET_METADATA = update(CARDS).where(_BY_ID).values({n: bindparam(f"v_{n}") for n in METADATA})
SET_NEW_DUE = update(MEM).where(_MEM_BY_ID).values(due=bindparam("v_due"))
SET_KEY = update(CARDS).where(_BY_ID).values(key=bindparam("v_key"))
RESTORE_CARD = update(CARDS).where(_BY_ID).values(retired=False)
SET_QUEUE = update(MEM).where(_MEM_BY_ID).values(queue=bindparam("v_queue"))


def desired_cards(items: Iterable[Item], order: str = "bank") -> list[dict[str, Any]]:
    """The cards the banks call for (one per cloze gap), with their new-queue `position`
    in the new-card order: "bank" (bank items first, then the skills), "mixed" (a
    round-robin over bank x kind groups, skills one group, as Anki's mix) or "topic"."""
    rows: list[dict[str, Any]] = []
    for item in items:
        if item.kind not in CARD_KINDS:
            continue
        gaps = cloze_gap_count(item.text) if item.kind == "cloze" else 0
        keys = [f"{item.id}{GAP_MARK}{n}" for n in range(1, gaps + 1)] or [item.id]
        rows.extend(
            {
                "key": key,
                "kind": item.kind,
                "item_id": item.id,
                "family": None,
                "difficulty": item.difficulty,
                "topic": item.topic,
                "domain": item.domain,
                "bank": item.bank,
            }
            for key in keys
        )
    for key, family, difficulty in skill_keys():
        rows.append(
            {
                "key": key,
                "kind": "skill",
                "item_id": None,
                "family": family,
                "difficulty": difficulty,
                "topic": family_topic(family),
                "domain": SKILL_DOMAIN,
                "bank": SKILL_BANK,
            }
        )
    for position, row in enumerate(new_card_order(rows, order)):
        row["position"] = position
    return rows


def new_card_order(rows: list[dict[str, Any]], order: str) -> list[dict[str, Any]]:
    """`rows` (in bank order) in the order new cards are met; deterministic."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    if order == "mixed":
        for row in rows:
            groups.setdefault((row["bank"], row["kind"]), []).append(row)
        lanes = list(groups.values())
        mixed: list[dict[str, Any]] = []
        for i in range(max((len(lane) for lane in lanes), default=0)):
            mixed.extend(lane[i] for lane in lanes if i < len(lane))
        return mixed
    if order == "topic":
        for row in rows:
            groups.setdefault(row["topic"], []).append(row)
        return [row for group in groups.values() for row in group]
    return list(rows)


def rekey_single_clozes(tx: Tx, existing: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """A cloze studied as one card (key "<id>") becomes its first gap's card ("<id>#c1"),
    keeping its card row, memory and history."""
    for r in rows:
        old = existing.get(r["item_id"]) if r["kind"] == "cloze" else None
        first_gap = gap_of_key(r["key"]) == 1 and r["key"] not in existing
        if old is not None and old.kind == "cloze" and first_gap:
            tx.run(SET_KEY, {"b_id": old.id, "v_key": r["key"]})
            old.key = r["key"]
            existing[r["key"]] = existing.pop(r["item_id"])  # "<id>#c1" is new: no clash


def study_names(items: Iterable[Item]) -> tuple[list[str], list[str]]:
    """(bank names, topic ids) the cards of `items` can be studied by, sorted."""
    rows = desired_cards(items)
    return sorted({r["bank"] for r in rows}), sorted({r["topic"] for r in rows})


def content_hash(rows: list[dict[str, Any]], questions: dict[str, Item] | None = None) -> str:
    cards = [[r[k] for k in ("key", *METADATA)] for r in rows]
    if questions:  # only when there are any: a bank without questions keeps its old hash
        cards.append([[k, *_question_metadata(i)] for k, i in sorted(questions.items())])
    text = json.dumps(cards, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


QUESTION_METADATA = ("topic", "domain", "difficulty", "bank")
SET_QUESTION_METADATA = (
    update(CARDS).where(_BY_ID).values({n: bindparam(f"v_{n}") for n in QUESTION_METADATA})
)


def _question_metadata(item: Item) -> tuple[str, str, str, str]:
    return (item.topic, item.domain, item.difficulty, item.bank)


def question_changes(
    existing: dict[str, Any], questions: dict[str, Item]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """For the question cards whose item is loaded: (metadata refreshed from the item, the
    retired ones whose item came back, with their queue). The others are retired as any
    card whose item left the banks."""
    changed: list[dict[str, Any]] = []
    restored: list[dict[str, Any]] = []
    for key, item in questions.items():
        old = existing.get(key)
        if old is None:
            continue
        now = _question_metadata(item)
        if tuple(getattr(old, n) for n in QUESTION_METADATA) != now:
            values = {f"v_{n}": v for n, v in zip(QUESTION_METADATA, now, strict=True)}
            changed.append({"b_id": old.id, **values})
        if old.retired:
            queue = queue_for(
                old.state, suspended=bool(old.suspended), buried=old.buried_until is not None
            )
            restored.append({"b_id": old.id, "v_queue": queue})
    return changed, restored


def sync_cards(tx: Tx, items: Iterable[Item], now: float) -> SyncReport:
    """Apply the banks to the cards inside the caller's write transaction."""
    loaded = tuple(items)
    rows = desired_cards(loaded, load_settings(tx).new_card_order)
    # the question cards (missed quiz questions) are kept while their item is in the banks
    questions = {question_key(i.id): i for i in loaded if i.kind in QUESTION_CARD_KINDS}
    digest = content_hash(rows, questions)
    if get_value(tx, CONTENT_HASH_KEY) == digest:
        return SyncReport(0, 0, 0, 0, skipped=True)

    existing = {
        r.key: r
        for r in (SimpleNamespace(**dict(zip(_FIELDS, t, strict=True))) for t in tx.all(EXISTING))
    }
    rekey_single_clozes(tx, existing, rows)
    wanted = {r["key"] for r in rows} | (questions.keys() & existing.keys())
    question_rows = question_changes(existing, questions)
    to_add = [r for r in rows if r["key"] not in existing]
    changed: list[dict[str, Any]] = []
    new_positions: list[dict[str, Any]] = []
    restored: list[dict[str, Any]] = []
    for r in rows:
        old = existing.get(r["key"])
        if old is None:
            continue
        if any(getattr(old, name) != r[name] for name in METADATA):
            changed.append({"b_id": old.id, **{f"v_{name}": r[name] for name in METADATA}})
            if old.state == NEW and old.position != r["position"]:
                new_positions.append({"b_id": old.id, "v_due": float(r["position"])})
        if old.retired:
            queue = queue_for(
                old.state, suspended=bool(old.suspended), buried=old.buried_until is not None
            )
            restored.append({"b_id": old.id, "v_queue": queue})
    retired = [  # also repairs a retired card an older version put back in a queue
        {"b_card_id": old.id}
        for key, old in existing.items()
        if key not in wanted and (not old.retired or old.queue != Q_RETIRED)
    ]

    memories = []
    for r in to_add:
        card = {f"v_{name}": value for name, value in r.items()}
        card_id = tx.insert(ADD_CARD, {**card, "v_retired": False, "v_created_at": now})
        memories.append({"v_card_id": card_id, "v_due": float(r["position"])})
    tx.many(ADD_MEMORY, memories)
    tx.many(SET_METADATA, changed)
    tx.many(SET_QUESTION_METADATA, question_rows[0])
    restored.extend(question_rows[1])
    tx.many(SET_NEW_DUE, new_positions)
    tx.many(RESTORE_CARD, [{"b_id": r["b_id"]} for r in restored])
    tx.many(SET_QUEUE, restored)
    tx.many(RETIRE_CARD, retired)
    tx.many(RETIRE_MEMORY, retired)
    set_value(tx, CONTENT_HASH_KEY, digest)
    return SyncReport(
        added=len(to_add),
        retired=len(retired),
        restored=len(restored),
        updated=len(changed),
        skipped=False,
    )
