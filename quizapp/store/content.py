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
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from quizapp.bank.model import CARD_KINDS, Item
from quizapp.content_sync import SyncReport
from quizapp.scheduling.memory import NEW, Q_RETIRED, queue_for
from quizapp.scheduling.skills import SKILL_DOMAIN, family_topic, skill_keys
from quizapp.store.settings import get_value, set_value
from quizapp.store.tables import CARDS, MEM

CONTENT_HASH_KEY = "_content_hash"
METADATA = ("kind", "item_id", "family", "difficulty", "topic", "domain", "position")


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


def sync_cards(conn: Connection, items: Iterable[Item], now: float) -> SyncReport:
    """Apply the banks to the cards inside the caller's write transaction."""
    rows = desired_cards(items)
    digest = content_hash(rows)
    if get_value(conn, CONTENT_HASH_KEY) == digest:
        return SyncReport(0, 0, 0, 0, skipped=True)

    existing = {
        r.key: r
        for r in conn.execute(
            select(
                CARDS.c.id,
                CARDS.c.key,
                CARDS.c.retired,
                *(CARDS.c[name] for name in METADATA),
                MEM.c.state,
                MEM.c.queue,
                MEM.c.suspended,
                MEM.c.buried_until,
            ).join_from(CARDS, MEM, MEM.c.card_id == CARDS.c.id)
        )
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
            changed.append({"b_id": old.id, **{name: r[name] for name in METADATA}})
            if old.state == NEW and old.position != r["position"]:
                new_positions.append({"b_id": old.id, "due": float(r["position"])})
        if old.retired:
            queue = queue_for(
                old.state, suspended=old.suspended, buried=old.buried_until is not None
            )
            restored.append({"b_id": old.id, "queue": queue})
    retired = [  # also repairs a retired card an older version put back in a queue
        {"b_id": old.id}
        for key, old in existing.items()
        if key not in wanted and (not old.retired or old.queue != Q_RETIRED)
    ]

    if to_add:
        ids = conn.execute(
            insert(CARDS).returning(CARDS.c.id, sort_by_parameter_order=True),
            [{**r, "retired": False, "created_at": now} for r in to_add],
        ).scalars()
        conn.execute(
            insert(MEM),
            [
                {"card_id": card_id, "state": NEW, "due": float(r["position"]), "queue": 0}
                for card_id, r in zip(ids, to_add, strict=True)
            ],
        )
    by_id = CARDS.c.id == bindparam("b_id")
    mem_by_id = MEM.c.card_id == bindparam("b_id")
    if changed:
        conn.execute(update(CARDS).where(by_id), changed)
    if new_positions:
        conn.execute(update(MEM).where(mem_by_id), new_positions)
    if restored:
        conn.execute(
            update(CARDS).where(by_id).values(retired=False),
            [{"b_id": r["b_id"]} for r in restored],
        )
        conn.execute(update(MEM).where(mem_by_id), restored)
    if retired:
        conn.execute(update(CARDS).where(by_id).values(retired=True), retired)
        conn.execute(update(MEM).where(mem_by_id).values(queue=Q_RETIRED), retired)
    set_value(conn, CONTENT_HASH_KEY, digest)
    return SyncReport(
        added=len(to_add),
        retired=len(retired),
        restored=len(restored),
        updated=len(changed),
        skipped=False,
    )
