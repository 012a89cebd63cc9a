"""Browsing the cards: each card's memory now and its earlier answers; suspend, bury, reset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, cast

from quizapp.bank.model import Item
from quizapp.browse.model import CardInfo, PastAnswer
from quizapp.content_sync import ContentSync
from quizapp.errors import QuizappError
from quizapp.scheduling.memory import NEW, Q_RETIRED, STATE_NAMES, queue_for
from quizapp.store import cards, review_log
from quizapp.store.database import Store
from quizapp.study_time import Moment, StudyTime, utc


class Browse:
    """Every card of one store, as browse shows it, and the flags browse can set."""

    def __init__(
        self,
        store: Store,
        time: StudyTime,
        content: ContentSync,
        decay: Callable[[], float] | None = None,
    ) -> None:
        self._store = store
        self._time = time
        self._content = content
        self._decay = decay  # the forgetting curve's decay of the FSRS parameters in use

    def items(self) -> tuple[Item, ...]:
        """The bank items of the last sync, in bank order."""
        return self._content.items()

    def card_infos(self, *, include_retired: bool = False) -> tuple[CardInfo, ...]:
        from quizapp.scheduling.forgetting import retrievability_at

        m = self._time.moment()
        with self._store.read() as tx:
            rows = cards.all_cards(tx, include_retired=include_retired)
        memories = [r.memory for r in rows]
        studied = [x.state != NEW and x.stability is not None for x in memories]
        recall = retrievability_at(  # studied (ok) implies a stability
            [
                cast(float, x.stability) if ok else 1.0
                for x, ok in zip(memories, studied, strict=True)
            ],
            [x.last_review or m.ts for x in memories],
            m.ts,
            *(() if self._decay is None else (self._decay(),)),
        )
        return tuple(
            _info(r, float(rv) if ok else None, m)
            for r, rv, ok in zip(rows, recall, studied, strict=True)
        )

    def card_info(self, card_id: int) -> CardInfo:
        for info in self.card_infos(include_retired=True):
            if info.card_id == card_id:
                return info
        raise QuizappError(f"no card {card_id}")

    def recent_answers(
        self, *, card_id: int | None = None, item_id: str | None = None, limit: int = 5
    ) -> tuple[PastAnswer, ...]:
        """The card's review answers and the item's quiz answers, newest first."""
        from quizapp.store.quiz_attempts import recent_of_item

        found: list[PastAnswer] = []
        if card_id is not None:
            with self._store.read() as tx:
                reviews = review_log.recent_of_card(tx, card_id, limit)
            found += [
                PastAnswer(
                    at=datetime.fromtimestamp(at, UTC),
                    source="review",
                    correct=grade > 1,
                    grade=grade,
                    state_before=STATE_NAMES[state],  # type: ignore[arg-type]
                    interval_days=(due - at) / 86400.0,
                )
                for at, grade, state, due in reviews
            ]
        if item_id is not None:
            with self._store.read() as tx:
                quizzes = recent_of_item(tx, item_id, limit)
            found += [
                PastAnswer(
                    at=datetime.fromtimestamp(at, UTC), source="quiz", correct=correct, mode=mode
                )
                for at, correct, mode in quizzes
            ]
        found.sort(key=lambda p: p.at, reverse=True)
        return tuple(found[:limit])

    # -- flags -------------------------------------------------------------------------------

    def _set_flags(self, card_id: int, reset: bool = False, **changes: Any) -> None:
        """Change the card's flags (or, with `reset`, its whole memory) in one commit."""
        m = self._time.moment()
        with self._store.write() as tx:
            mem = cards.load_memory(tx, card_id)
            if mem is None:
                raise QuizappError(f"no card {card_id}")
            if reset:
                position = cards.position(tx, card_id)
                changes.update(_FORGOTTEN, due=float(position or 0))
                review_log.forget_undo_of_card(tx, card_id)  # its answers cannot come back
            mem = replace(mem, **changes)
            if mem.queue != Q_RETIRED:
                buried = mem.buried_until is not None and mem.buried_until > m.today
                mem = replace(
                    mem, queue=queue_for(mem.state, suspended=mem.suspended, buried=buried)
                )
            cards.update_memory(tx, mem)

    def suspend(self, card_id: int, suspended: bool = True) -> None:
        self._set_flags(card_id, suspended=suspended)

    def bury(self, card_id: int) -> None:
        """Hide the card until the next study day."""
        self._set_flags(card_id, buried_until=self._time.moment().today + 1)

    def reset_card(self, card_id: int) -> None:
        """Forget the card's progress (new again, in its bank position); history is kept."""
        self._set_flags(card_id, reset=True)


_FORGOTTEN: dict[str, Any] = {  # a reset card's memory, but for its due (its bank position)
    "state": NEW,
    "step": None,
    "stability": None,
    "difficulty": None,
    "last_review": None,
    "reps": 0,
    "lapses": 0,
    "leech": False,
    "buried_until": None,
}


def _info(row: cards.CardRow, recall: float | None, m: Moment) -> CardInfo:
    x, retired = row.memory, row.retired
    state = "retired" if retired else ("suspended" if x.suspended else STATE_NAMES[x.state])
    return CardInfo(
        card_id=x.card_id,
        key=row.key,
        kind=row.kind,
        item_id=row.item_id,
        family=row.family,
        difficulty=row.difficulty,
        topic=row.topic,
        state=state,  # type: ignore[arg-type]
        due=None if x.state == NEW else utc(x.due),
        stability_days=x.stability,
        fsrs_difficulty=x.difficulty,
        reps=x.reps,
        lapses=x.lapses,
        suspended=x.suspended,
        buried=x.buried_until is not None and x.buried_until > m.today,
        leech=x.leech,
        retired=bool(retired),
        recall_now=recall,
    )
