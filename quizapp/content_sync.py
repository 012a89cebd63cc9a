"""Content sync: the banks in, as cards (new items added, vanished ones retired)."""

from __future__ import annotations

from collections.abc import Iterable

from quizapp.bank.model import Item
from quizapp.clock import Clock
from quizapp.store.content import SyncReport, sync_cards
from quizapp.store.database import Store

__all__ = ["ContentSync", "SyncReport"]


class ContentSync:
    """The bank items this window loaded, and their cards in the store."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._items: dict[str, Item] = {}
        self._loaded: tuple[Item, ...] | None = None  # the items of the last sync

    def sync(self, items: Iterable[Item]) -> SyncReport:
        """Make the cards match `items` (in bank order); remember the items."""
        loaded = tuple(items)
        with self._store.write() as tx:
            report = sync_cards(tx, loaded, self._clock.now().timestamp())
        self._items = {item.id: item for item in loaded}
        self._loaded = loaded
        return report

    def remember(self, items: Iterable[Item]) -> None:
        """Know `items` without touching the store: a read-only window (an instructor's
        role, which may not write, still needs the items to name computed families)."""
        self._items = {item.id: item for item in items}

    def resync(self) -> SyncReport | None:
        """Sync the same items again (e.g. the new-card order changed: the new cards are
        re-ordered); None before the first sync."""
        return None if self._loaded is None else self.sync(self._loaded)

    def items(self) -> tuple[Item, ...]:
        """The bank items of the last sync, in bank order."""
        return tuple(self._items.values())

    def item(self, item_id: str) -> Item | None:
        return self._items.get(item_id)

    def has(self, item_id: str) -> bool:
        return item_id in self._items
