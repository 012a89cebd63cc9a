"""Workload ("help me decide") with an injected clock: against hand-run simulations (cards all
due tomorrow with a known stability), the learner's own answer times from a hand-written
log, a higher retention giving more reviews, and `quizapp stats workload --json`."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from quizapp.bank.loader import Bank, LoadResult
from quizapp.bank.model import Item, Source
from quizapp.cli import main
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.scheduling.memory import LEARNING, NEW, Q_REVIEW, RELEARNING, REVIEW
from quizapp.scheduling.simulate import AnswerTimes, retrievability
from quizapp.stats.workload import (
    answer_times,
    format_workload,
    retentions_for,
    simulate_workload,
    workload_dict,
)
from quizapp.store.cards import all_cards, update_memory
from quizapp.store.review_log import insert_log

ZONE = timezone(timedelta(hours=2))
NOW = datetime(2026, 5, 4, 11, tzinfo=ZONE)
DAY = 86400.0
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "weights")

# a hand-written log of timed answers: (state before, grade, seconds)
TIMED_LOG = [
    (REVIEW, 3, 6.0), (REVIEW, 4, 10.0), (REVIEW, 2, 8.0),  # passed reviews: mean 8 s
    (REVIEW, 1, 20.0), (REVIEW, 1, 16.0),  # failed reviews: mean 18 s, 10 s more
    (RELEARNING, 3, 5.0), (RELEARNING, 3, 7.0), (RELEARNING, 3, 6.0),  # 1.5 a lapse, 6 s
    (NEW, 3, 30.0), (NEW, 1, 50.0),  # first answers: mean 40 s
    (LEARNING, 3, 10.0), (LEARNING, 3, 900.0), (LEARNING, 3, 20.0),  # 900 s counts 300
]  # fmt: skip
REVIEW_S = 8.0
LAPSE_S = (18.0 - 8.0) + 3 / 2 * 6.0  # extra time of a fail + relearning answers per lapse
NEW_S = 40.0 + 3 / 2 * (10.0 + 300.0 + 20.0) / 3  # first answer + learning answers per card


def items(n: int) -> list[Item]:
    return [
        Item(f"wl-{i}", "flashcard", "b", SRC, "weights-bias", "Modeling", "easy", "q", "a")
        for i in range(n)
    ]


def make(db_url: str, n: int, *, log: bool = True, **settings: object) -> Collection:
    """`n` flashcards, none studied yet (skill cards stay new), the timed log written on
    the flashcards (the log alone: no memory changes)."""
    clock = FakeClock(NOW, zone=ZONE)
    study = open_collection(db_url, items(n), clock=clock)
    study.settings.save(replace(study.settings.current(), **settings))  # type: ignore[arg-type]
    if log:
        with study.store.write() as tx:
            card = next(c for c in all_cards(tx) if c.kind == "flashcard").memory
            at = NOW.timestamp() - 30 * DAY
            for state, grade, seconds in TIMED_LOG:
                before = replace(card, state=state)
                insert_log(tx, before, before, grade, at=at, day=study.time.day_of(NOW) - 30,
                           duration_ms=round(seconds * 1000))  # fmt: skip
    return study


def studied(study: Collection, stabilities: list[float], elapsed: list[int], due: list[int]):
    """Make the flashcards review cards: stability, last review `elapsed` days before today's
    rollover and due `due` days after it (one entry per card)."""
    m = study.time.moment()
    with study.store.write() as tx:
        cards = [c for c in all_cards(tx) if c.kind == "flashcard"]
        for card, s, e, d in zip(cards, stabilities, elapsed, due, strict=True):
            update_memory(
                tx,
                replace(card.memory, state=REVIEW, stability=s, difficulty=5.0,
                        last_review=m.day_start - e * DAY + 3600,
                        due=m.day_start + d * DAY + 3600, reps=1, queue=Q_REVIEW),
            )  # fmt: skip


def test_answer_times_are_the_learners_own(db_url: str) -> None:
    study = make(db_url, 3)
    inputs = study.stats.workload_inputs()
    study.close()
    assert inputs.times_from_log
    assert inputs.times.review_seconds == pytest.approx(REVIEW_S)
    assert inputs.times.lapse_seconds == pytest.approx(LAPSE_S)
    assert inputs.times.new_seconds == pytest.approx(NEW_S)
    # a log without any time: the simulator's typical times, and said so
    assert answer_times({}, 1) == (AnswerTimes(), False)


def test_all_due_tomorrow_and_remembered_is_one_review_each(db_url: str) -> None:
    """Hand-run: 40 cards, stability a million days, last seen yesterday, due tomorrow. Each
    is reviewed once tomorrow (recall ~1: no lapse) and its next interval is years away, so
    every horizon sees exactly 40 reviews at the learner's 8 s each, whatever the retention."""
    n = 40
    study = make(db_url, n, new_per_day=0)
    studied(study, [1e6] * n, [1] * n, [1] * n)
    inputs = study.stats.workload_inputs()
    seen: list[tuple[int, int]] = []
    work = simulate_workload(inputs, progress=lambda done, total: seen.append((done, total)))
    study.close()
    assert inputs.studied_cards == n and inputs.start_day == study.time.moment().today
    assert [o.retention for o in work.options] == [0.8, 0.85, 0.9, 0.95]
    assert [o.current for o in work.options] == [False, False, True, False]
    for option in work.options:
        assert option.daily_reviews[:3] == (0, n, 0) and sum(option.daily_reviews) == n
        assert option.daily_minutes[1] == pytest.approx(n * REVIEW_S / 60)
        for load in option.loads:
            assert load.reviews == pytest.approx(n / load.days)
            assert load.minutes == pytest.approx(n * REVIEW_S / 60 / load.days)
            assert load.new == 0
    assert seen[-1] == (4 * 365, 4 * 365) and [d for d, _ in seen] == list(range(1, 4 * 365 + 1))


def test_lapses_cost_the_learners_relearning_time(db_url: str) -> None:
    """Hand-run: 400 cards of stability 10 last seen 9 days before today, all due tomorrow:
    recall then is exactly 90%, so tomorrow brings 400 reviews, about 40 of them failed;
    its minutes are 400 reviews at 8 s plus the failed ones at the learner's lapse time."""
    n = 400
    study = make(db_url, n, new_per_day=0)
    studied(study, [10.0] * n, [9] * n, [1] * n)
    inputs = study.stats.workload_inputs()
    study.close()
    w = inputs.settings.parameters
    import numpy as np

    assert retrievability(np.array([10.0]), np.array([10]), np.array(w))[0] == pytest.approx(0.9)
    option = simulate_workload(inputs, retentions=(), horizons=(30,)).current
    assert option.daily_reviews[0] == 0 and option.daily_reviews[1] == n
    lapses = (option.daily_minutes[1] * 60 - n * REVIEW_S) / LAPSE_S
    assert lapses == pytest.approx(round(lapses), abs=1e-6)
    sd = math.sqrt(n * 0.9 * 0.1)
    assert abs(lapses - 0.1 * n) < 4 * sd


def test_a_higher_retention_asks_for_more_reviews(db_url: str) -> None:
    rng = random.Random(5)
    n = 300
    study = make(db_url, n, new_per_day=10, desired_retention=0.87)
    stab = [math.exp(rng.uniform(0.0, 4.5)) for _ in range(n)]
    elapsed = [rng.randint(0, 30) for _ in range(n)]
    due = [rng.randint(-3, 40) for _ in range(n)]
    studied(study, stab, elapsed, due)
    work = study.stats.workload()
    inputs = study.stats.workload_inputs()
    study.close()
    assert [o.retention for o in work.options] == [0.8, 0.85, 0.87, 0.9, 0.95]
    assert work.current.retention == 0.87 and work.desired_retention == 0.87
    assert work.studied_cards == n and work.new_cards > 0
    text = format_workload(work)
    assert "87% (current)" in text and "your answer times" in text
    # summed over three seeds, so that 5 points of retention are not lost in the noise
    runs = [simulate_workload(inputs, seed=seed) for seed in range(3)]
    for days in (30, 90, 365):
        for what in ("reviews", "minutes"):
            totals = [
                sum(getattr(run.option(r).load(days), what) for run in runs)
                for r in (0.8, 0.85, 0.9, 0.95)
            ]
            assert totals == sorted(totals) and len(set(totals)) == 4, (days, what, totals)


def test_retentions_compared() -> None:
    assert retentions_for(0.9) == (0.8, 0.85, 0.9, 0.95)
    assert retentions_for(0.97) == (0.8, 0.85, 0.9, 0.95, 0.97)


def test_stats_workload_command(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 40
    study = make(db_url, n, new_per_day=0)
    studied(study, [1e6] * n, [1] * n, [1] * n)
    want = workload_dict(study.stats.workload())
    study.close()
    monkeypatch.setattr("quizapp.collection.SystemClock", lambda: FakeClock(NOW, zone=ZONE))
    bank = LoadResult(banks=(Bank("b", "b", "b", True, tuple(items(n))),))
    # the command syncs these cards, not the shipped banks
    monkeypatch.setattr("quizapp.bank.loader.load_all", lambda *_a, **_k: bank)
    url = db_url
    assert main(["--db", url, "stats", "workload", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == want
    assert data["answer_times"] == {
        "review_seconds": 8.0, "new_seconds": round(NEW_S, 2), "lapse_seconds": 19.0,
        "from_log": True,
    }  # fmt: skip
    current = next(o for o in data["options"] if o["current"])
    assert current["retention"] == 0.9
    assert [x["days"] for x in current["loads"]] == [30, 90, 365]
    assert current["loads"][0]["reviews_per_day"] == round(n / 30, 2)
    assert main(["--db", url, "stats", "workload"]) == 0
    assert "90% (current)" in capsys.readouterr().out
