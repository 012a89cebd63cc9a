"""Benchmark the progress store: 100,000 cards and 1,000,000 review-log rows.

Builds the database with bulk Core executemany inserts, then measures, through the real
use cases (`quizapp.collection`):
- one review cycle: `next_card()` (queue query, four fsrs previews) + `answer()` (fsrs,
  update the card, insert its log row, commit), median and p95 over >= 2,000 cycles;
- `due_counts()`;
- the full `stats()`.
Ends with one line: cycle_median_ms=... cycle_p95_ms=... due_counts_ms=... stats_ms=...

    .venv/bin/python bench/store.py [--cycles 2000] [--db PATH] [--keep]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

# run as a script, bench/ is sys.path[0]: keep bench/engine.py from shadowing the engine package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from quizapp.bank.model import Item, Source  # noqa: E402
from quizapp.clock import FakeClock, study_day  # noqa: E402
from quizapp.collection import open_collection  # noqa: E402
from quizapp.scheduling.memory import LEARNING, NEW, Q_LEARN, Q_NEW, Q_REVIEW, REVIEW  # noqa: E402
from quizapp.store import daily_counts, review_log  # noqa: E402
from quizapp.store.content import CONTENT_HASH_KEY, content_hash, desired_cards  # noqa: E402
from quizapp.store.database import open_store  # noqa: E402
from quizapp.store.models import Card, CardMemory  # noqa: E402
from quizapp.store.settings import set_value  # noqa: E402
from quizapp.store.transaction import ConnectionTx  # noqa: E402

N_CARDS = 100_000
N_LOGS = 1_000_000
DAY = 86400.0
NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)
TOPICS = ("neurons", "weights-bias", "learning", "activations", "losses", "architecture")


def make_items(n: int) -> list[Item]:
    src = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")
    return [
        Item(f"bench-{i:06d}", "flashcard", "bench", src, TOPICS[i % len(TOPICS)],
             "Modeling", "medium", f"front {i}", f"back {i}")
        for i in range(n)
    ]  # fmt: skip


def build(db: Path, items: list[Item], rng: np.random.Generator) -> float:
    """Fill a fresh database with Core inserts (executemany); returns the seconds it took."""
    store = open_store(f"sqlite:///{db}")
    assert store.statements is not None
    t0 = time.perf_counter()
    rows = desired_cards(items)
    now = NOW.timestamp()
    n = len(rows)
    # 60% review, 5% learning, 35% new (skill cards at the end stay new)
    kind = rng.choice(3, size=n, p=[0.60, 0.05, 0.35])
    kind[len(items) :] = 2
    state = np.where(kind == 0, REVIEW, np.where(kind == 1, LEARNING, NEW))
    queue = np.where(kind == 0, Q_REVIEW, np.where(kind == 1, Q_LEARN, Q_NEW))
    stability = rng.lognormal(2.5, 1.0, n)
    # reviews: due from 30 days ago to a year ahead; learning: due within the hour
    due = np.where(
        kind == 0,
        now + rng.uniform(-30, 365, n) * DAY,
        np.where(kind == 1, now + rng.uniform(-600, 3600, n), np.arange(n, dtype=float)),
    )
    last = np.where(kind == 0, due - stability * DAY, now - 600)
    studied = kind < 2
    with store.engine.begin() as conn:  # a bulk load, straight through SQLAlchemy
        conn.execute(
            insert(Card.__table__),
            [
                {**r, "learner": store.learner, "retired": False, "created_at": now - 400 * DAY}
                for r in rows
            ],
        )
        conn.execute(
            insert(CardMemory.__table__),
            [
                {
                    "card_id": i + 1,
                    "learner": store.learner,
                    "state": int(state[i]),
                    "step": 0 if state[i] == LEARNING else None,
                    "stability": float(stability[i]) if studied[i] else None,
                    "difficulty": float(rng.uniform(1, 10)) if studied[i] else None,
                    "due": float(due[i]),
                    "last_review": float(last[i]) if studied[i] else None,
                    "reps": 5 if studied[i] else 0,
                    "lapses": 0,
                    "queue": int(queue[i]),
                    "suspended": False,
                    "leech": False,
                    "buried_until": None,
                }
                for i in range(n)
            ],
        )
        # the log: the review loop's own compiled INSERT, executemany over plain tuples
        sql, order, _fixed = store.statements.get(review_log.INSERT_LOG)
        assert order is not None
        cursor = conn.connection.driver_connection.cursor()
        studied_ids = np.flatnonzero(studied) + 1
        today = study_day(NOW, UTC, 4)
        chunk = 250_000
        for start in range(0, N_LOGS, chunk):
            m = min(chunk, N_LOGS - start)
            at = now - rng.uniform(0.1, 730, m) * DAY
            stab = rng.lognormal(2.0, 1.0, m)
            columns = {
                "q_learner": np.full(m, store.learner, dtype=object),
                "v_card_id": rng.choice(studied_ids, m),
                "v_grade": rng.choice([1, 2, 3, 4], m, p=[0.1, 0.15, 0.6, 0.15]),
                "v_reviewed_at": at,
                "v_study_day": today - ((now - at) // DAY).astype(np.int64),
                "v_duration_ms": np.full(m, 4000),
                "v_state": np.full(m, REVIEW),
                "v_stability": stab,
                "v_difficulty": np.full(m, 5.0),
                "v_due": at + stab * DAY,
                "v_state_before": rng.choice([0, 1, 2, 3], m, p=[0.1, 0.15, 0.7, 0.05]),
                "v_step_before": np.full(m, None),
                "v_stability_before": stab / 2,
                "v_difficulty_before": np.full(m, 5.0),
                "v_due_before": at,
                "v_last_review_before": at - DAY,
                "v_lapses_before": np.zeros(m, dtype=np.int64),
                "v_queue_before": np.full(m, Q_REVIEW),
                "v_suspended_before": np.zeros(m, dtype=np.int64),
                "v_leech_before": np.zeros(m, dtype=np.int64),
                "v_buried_until_before": np.full(m, None),
                "v_undo_by": np.full(m, None),
            }
            cursor.executemany(sql, zip(*(columns[name].tolist() for name in order), strict=True))
        cursor.close()
        daily_counts.rebuild_daily_counts(ConnectionTx(conn, store.learner))
        set_value(ConnectionTx(conn, store.learner), CONTENT_HASH_KEY, content_hash(rows))
    elapsed = time.perf_counter() - t0
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    store.dispose()
    return elapsed


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="quizapp-bench-")
    db = args.db or Path(tmp.name) / "bench.db"
    rng = np.random.default_rng(2026)
    items = make_items(N_CARDS - 30)  # + 30 skill cards = 100,000 cards
    if not db.exists():
        load_s = build(db, items, rng)
        print(f"built {N_CARDS:,} cards and {N_LOGS:,} review-log rows in {load_s:.1f} s")

    clock = FakeClock(NOW)
    t0 = time.perf_counter()
    study = open_collection(f"sqlite:///{db}", items, clock=clock)
    print(f"open + sync check: {1000 * (time.perf_counter() - t0):.0f} ms")
    study.settings.save(replace(study.settings.current(), new_per_day=10**6, reviews_per_day=10**6))

    grades = rng.choice([1, 2, 3, 4], args.cycles + 200, p=[0.1, 0.1, 0.65, 0.15]).tolist()
    cycle_ms: list[float] = []
    for i, grade in enumerate(grades):
        clock.advance(seconds=2)
        t = time.perf_counter()
        card = study.reviews.next_card()
        assert card is not None
        study.reviews.answer(card, grade)
        if i >= 200:  # warm-up excluded
            cycle_ms.append(1000 * (time.perf_counter() - t))

    due_ms = []
    for _ in range(200):
        t = time.perf_counter()
        study.reviews.due_counts()
        due_ms.append(1000 * (time.perf_counter() - t))
    stats_ms = []
    for _ in range(7):
        t = time.perf_counter()
        stats = study.stats.summary()
        stats_ms.append(1000 * (time.perf_counter() - t))
    study.close()

    print(
        f"cycles: {len(cycle_ms)}; stats saw {stats.reviews_total:,} reviews, "
        f"{sum(stats.forecast):,} cards due within 30 days"
    )
    median, p95 = statistics.median(cycle_ms), percentile(cycle_ms, 95)
    due, st = statistics.median(due_ms), statistics.median(stats_ms)
    if args.keep and not args.db:
        kept = Path(tempfile.gettempdir()) / "quizapp-bench.db"
        db.replace(kept)
        print(f"kept {kept}")
    tmp.cleanup()
    print(
        f"cycle_median_ms={median:.3f} cycle_p95_ms={p95:.3f} "
        f"due_counts_ms={due:.3f} stats_ms={st:.1f}"
    )


if __name__ == "__main__":
    main()
