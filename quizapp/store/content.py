"""Content sync: make the cards match the banks, keyed by item id.

New flashcard/cloze items become new cards, items that disappeared are retired (their memory
and history stay; they return if the item comes back), edited items keep their progress (only
topic, domain, difficulty and bank order are refreshed). One skill card exists per engine
family x difficulty. A hash of the card list is stored: when it matches, sync does nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from quizapp.bank.model import CARD_KINDS, Item
from quizapp.scheduling.memory import NEW, Q_RETIRED, queue_for
from quizapp.scheduling.skills import SKILL_DOMAIN, family_topic, skill_keys
from quizapp.store.settings import get_value, set_value
from quizapp.store.tables import CARDS, MEM
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
METADATA = ("kind", "item_id", "family", "difficulty", "topic", "domain", "position")
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
EXISTING = select(*_EXISTING_COLUMNS).join_from(CARDS, MEM, MEM.c.card_id == CARDS.c.id)
_FIELDS = [c.name for c in _EXISTING_COLUMNS]
_BY_ID = CARDS.c.id == bindparam("b_id")
_MEM_BY_ID = MEM.c.card_id == bindparam("b_id")
ADD_CARD = insert(CARDS).values(
    {name: bindparam(f"v_{name}") for name in ("key", *METADATA, "retired", "created_at")}
)
ADD_MEMORY = insert(MEM).values(
    card_id=bindparam("v_card_id"), state=NEW, due=bindparam("v_due"), queue=0
)
SET_METADATA = update(CARDS).where(_BY_ID).values({n: bindparam(f"v_{n}") for n in METADATA})
SET_NEW_DUE = update(MEM).where(_MEM_BY_ID).values(due=bindparam("v_due"))
RESTORE_CARD = update(CARDS).where(_BY_ID).values(retired=False)
SET_QUEUE = update(MEM).where(_MEM_BY_ID).values(queue=bindparam("v_queue"))
RETIRE_CARD = update(CARDS).where(_BY_ID).values(retired=True)
RETIRE_MEMORY = update(MEM).where(_MEM_BY_ID).values(queue=Q_RETIRED)


def desired_cards(items: Iterable[Item]) -> list[dict[str, Any]]:
    """The cards the banks call for, in study order: bank items first, then the skills."""
    rows: list[dict[str, Any]] = []
    for item in items:
        if item.kind in CARD_KINDS:
            rows.append(
                {
                    "key": item.id,
                    "kind": item.kind,
                    "item_id": item.id,
                    "family": None,
                    "difficulty": item.difficulty,
                    "topic": item.topic,
                    "domain": item.domain,
                    "position": len(rows),
                }
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
                "position": len(rows),
            }
        )
    return rows


def content_hash(rows: list[dict[str, Any]]) -> str:
    text = json.dumps([[r[k] for k in ("key", *METADATA)] for r in rows], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def sync_cards(tx: Tx, items: Iterable[Item], now: float) -> SyncReport:
    """Apply the banks to the cards inside the caller's write transaction."""
    rows = desired_cards(items)
    digest = content_hash(rows)
    if get_value(tx, CONTENT_HASH_KEY) == digest:
        return SyncReport(0, 0, 0, 0, skipped=True)

    existing = {
        r.key: r
        for r in (SimpleNamespace(**dict(zip(_FIELDS, t, strict=True))) for t in tx.all(EXISTING))
    }
    wanted = {r["key"] for r in rows}
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
        {"b_id": old.id}
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
