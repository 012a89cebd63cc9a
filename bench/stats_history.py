"""Benchmark the stats screen's queries on a year of daily use (~300,000 review-log rows).

Builds a database with the shipped banks' cards and, for each of the last 365 study days,
~820 review answers (new, learning, review and relearning; ~12% graded Again), a dozen
practice attempts and, twice a week, a 20-question quiz; the cards' memory is spread over
review states with due dates for the forecast. Then it measures, through the real
the use cases (`quizapp.collection`):
- `history(days)` for 30, 90 and 365 days (median over --runs calls);
- the stats screen's data load, `quizapp.tui.screens.stats.read_stats(study, days)`
  (`stats()` + `history(days)`: opening the screen (30 days), or a press of the window key).
Ends with one line:
history_30_ms=... history_90_ms=... history_365_ms=... screen_load_30_ms=... screen_load_365_ms=...

    .venv/bin/python bench/stats_history.py [--runs 15] [--db PATH] [--keep]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# run as a script, bench/ is sys.path[0]: keep bench/engine.py from shadowing the engine package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
from sqlalchemy import bindparam, insert, select, update  # noqa: E402

from quizapp.bank.loader import load_all  # noqa: E402
from quizapp.clock import FakeClock, day_start, study_day  # noqa: E402
from quizapp.collection import open_collection  # noqa: E402
from quizapp.scheduling.memory import Q_REVIEW, REVIEW  # noqa: E402
from quizapp.store import daily_counts, practice_attempts, review_log, tables  # noqa: E402
from quizapp.store.database import open_store  # noqa: E402
from quizapp.store.models import QuizAnswerRow, QuizAttempt  # noqa: E402
from quizapp.store.transaction import ConnectionTx  # noqa: E402

DAYS = 365
PER_DAY = 820  # review answers a day: 365 x 820 = 299,300 rows
DAY = 86400.0
NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)


def build(url: str, rng: np.random.Generator) -> tuple[float, int]:
    """Fill a fresh database (cards from the shipped banks); (seconds, review rows)."""
    items = load_all(include_user_dir=False).items
    clock = FakeClock(NOW)
    open_collection(url, items, clock=clock).close()  # creates the cards
    store = open_store(url)
    assert store.statements is not None
    t0 = time.perf_counter()
    today = study_day(NOW, UTC, 4)
    with store.engine.begin() as conn:  # a bulk load, straight through SQLAlchemy
        card_ids = np.array(
            [r[0] for r in conn.execute(select(tables.CARDS.c.id)).all()], dtype=np.int64
        )
        n_cards = len(card_ids)
        # every card studied: review state, due over the next 60 days
        stability = rng.lognormal(2.5, 1.0, n_cards)
        due = NOW.timestamp() + rng.uniform(-2, 60, n_cards) * DAY
        conn.execute(
            update(tables.MEM)
            .where(tables.MEM.c.card_id == bindparam("b_id"))
            .values(
                state=REVIEW,
                queue=Q_REVIEW,
                stability=bindparam("v_s"),
                difficulty=5.0,
                due=bindparam("v_due"),
                last_review=bindparam("v_last"),
                reps=20,
            ),
            [
                {"b_id": int(c), "v_s": float(s), "v_due": float(d), "v_last": float(d - s * DAY)}
                for c, s, d in zip(card_ids, stability, due, strict=True)
            ],
        )
        # the log: the review loop's own compiled INSERT, executemany over plain tuples
        sql, order, _fixed = store.statements.get(review_log.INSERT_LOG)
        assert order is not None
        cursor = conn.connection.driver_connection.cursor()
        m = DAYS * PER_DAY
        day = np.repeat(np.arange(today - DAYS + 1, today + 1), PER_DAY)
        start = np.array([day_start(int(d), UTC, 4).timestamp() for d in range(day[0], today + 1)])
        at = start[day - day[0]] + rng.uniform(3600, 14 * 3600, m)
        state_before = rng.choice([0, 1, 2, 3], m, p=[0.05, 0.1, 0.8, 0.05])
        grade = rng.choice([1, 2, 3, 4], m, p=[0.12, 0.13, 0.6, 0.15])
        stab = rng.lognormal(2.0, 1.0, m)
        elapsed = rng.uniform(0, 2.5, m) * stab
        columns = {
            "q_learner": np.full(m, store.learner, dtype=object),
            "v_card_id": rng.choice(card_ids, m),
            "v_grade": grade,
            "v_reviewed_at": at,
            "v_study_day": day,
            "v_duration_ms": np.full(m, 6000),
            "v_state": np.where(grade == 1, 3, 2),
            "v_stability": stab * 2,
            "v_difficulty": np.full(m, 5.0),
            "v_due": at + stab * 2 * DAY,
            "v_state_before": state_before,
            "v_step_before": np.full(m, None),
            "v_stability_before": stab,
            "v_difficulty_before": np.full(m, 5.0),
            "v_due_before": at,
            "v_last_review_before": at - elapsed * DAY,
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
        practice = []
        for d in range(today - DAYS + 1, today + 1):
            t = day_start(d, UTC, 4).timestamp() + 15 * 3600
            for k in range(12):
                practice.append(
                    {
                        "v_attempted_at": t + 60 * k,
                        "v_study_day": d,
                        "v_variant_id": f"softmax@{d}{k}",
                        "v_family": "softmax",
                        "v_difficulty": "medium",
                        "v_typed": "0.5",
                        "v_value": 0.5,
                        "v_correct": bool(k % 3),
                        "v_misconception": None,
                        "v_hinted": False,
                        "v_elapsed_s": 30.0,
                        "v_card_id": None,
                        "q_learner": store.learner,
                        "v_review_log_id": None,
                        "v_steps": None,
                    }
                )
        conn.execute(practice_attempts.INSERT_PRACTICE, practice)
        for d in range(today - DAYS + 1, today + 1, 3):
            t = day_start(d, UTC, 4).timestamp() + 17 * 3600
            exam = d % 2 == 0
            attempt = conn.execute(
                insert(QuizAttempt.__table__).values(
                    learner=store.learner,
                    mode="exam" if exam else "practice",
                    profile="mls-c01-20" if exam else "practice",
                    started_at=t,
                    finished_at=t + 1800,
                    question_count=20,
                    score=0.0,
                    plan="{}",
                )
            ).inserted_primary_key[0]
            right = rng.random(20) < 0.6 + 0.3 * (d - today + DAYS) / DAYS
            conn.execute(
                insert(QuizAnswerRow.__table__),
                [
                    {
                        "attempt_id": attempt,
                        "learner": store.learner,
                        "position": p,
                        "item_id": items[p].id,
                        "topic": items[p].topic,
                        "domain": items[p].domain,
                        "correct": bool(right[p]),
                        "answered_at": t + 60 * p,
                        "study_day": d,
                    }
                    for p in range(20)
                ],
            )
            score = 100 + round(900 * right.mean())
            conn.execute(
                update(QuizAttempt.__table__)
                .where(QuizAttempt.__table__.c.id == attempt)
                .values(score=score)
            )
    elapsed = time.perf_counter() - t0
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    store.dispose()
    return elapsed, m


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up: compiled statements, imports
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="quizapp-bench-")
    db = args.db or Path(tmp.name) / "bench.db"
    url = f"sqlite:///{db}"
    rng = np.random.default_rng(2026)
    if not db.exists():
        build_s, rows = build(url, rng)
        print(f"built a year of daily use: {rows:,} review-log rows in {build_s:.1f} s")

    from quizapp.store import statistics as aggregates
    from quizapp.tui.screens.stats import read_stats

    study = open_collection(url, load_all(include_user_dir=False).items, clock=FakeClock(NOW))
    history = {
        days: median_ms(lambda d=days: study.stats.history(d), args.runs) for days in (30, 90)
    }
    history[365] = median_ms(lambda: study.stats.history(365), args.runs)
    load = {days: median_ms(lambda d=days: read_stats(study, d), args.runs) for days in (30, 365)}
    year = study.stats.history(365)
    pow_used = aggregates.use_math_functions(False)
    fallback = median_ms(lambda: study.stats.history(365), args.runs)
    aggregates.use_math_functions(pow_used)
    study.close()
    print(
        f"history(365) saw {sum(year.answers):,} answers, true retention "
        f"{year.true_retention:.3f}, predicted {year.predicted_retention:.3f}, "
        f"{len(year.scores)} scores; SQL pow(): {pow_used}; "
        f"history(365) without pow(): {fallback:.1f} ms"
    )
    if args.keep and not args.db:
        kept = Path(tempfile.gettempdir()) / "quizapp-bench-history.db"
        db.replace(kept)
        print(f"kept {kept}")
    tmp.cleanup()
    print(
        f"history_30_ms={history[30]:.1f} history_90_ms={history[90]:.1f} "
        f"history_365_ms={history[365]:.1f} screen_load_30_ms={load[30]:.1f} "
        f"screen_load_365_ms={load[365]:.1f}"
    )


if __name__ == "__main__":
    main()
