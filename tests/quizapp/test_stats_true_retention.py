"""True retention (Anki's table) on a hand-written review log, with an injected clock: which
answers count (review state only), pass (grade >= 2), are young (interval under 21 days
before the answer) and fall in which period (study days, rollover at 4:00 local time)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from quizapp.bank.model import Item, Source
from quizapp.cli import main
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.scheduling.memory import LEARNING, NEW, RELEARNING, REVIEW, Memory
from quizapp.stats.retention import PassRate, format_true_retention
from quizapp.store.cards import all_cards
from quizapp.store.review_log import insert_log

ZONE = timezone(timedelta(hours=-3))
NOW = datetime(2026, 3, 10, 10, tzinfo=ZONE)  # study day 2026-03-10 (rollover 4:00 local)
DAY = 86400.0
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "weights")

# (when, state before, interval before in days, grade): one log row each, on its own card
LOG = [
    # today
    (NOW - timedelta(hours=1), REVIEW, 5, 3),  # young pass
    (NOW - timedelta(hours=2), REVIEW, 10, 1),  # young fail
    (NOW - timedelta(hours=3), REVIEW, 20, 4),  # young pass (20 < 21)
    (NOW - timedelta(hours=4), REVIEW, 21, 2),  # mature pass (Hard passes; 21 is mature)
    (NOW - timedelta(hours=4), LEARNING, 0, 1),  # not a review card: left out
    (NOW - timedelta(hours=5), NEW, 0, 3),  # left out
    # 03:30 this morning: before the rollover, so yesterday
    (NOW.replace(hour=3, minute=30), REVIEW, 40, 1),  # mature fail
    (NOW - timedelta(days=1, hours=-5), REVIEW, 3, 2),  # yesterday 15:00: young pass
    (NOW - timedelta(days=1), RELEARNING, 0, 3),  # left out
    (NOW - timedelta(days=6), REVIEW, 30, 3),  # in the week: mature pass
    (NOW - timedelta(days=7), REVIEW, 30, 1),  # not in the week, in the month: mature fail
    (NOW - timedelta(days=29), REVIEW, 2, 1),  # in the month: young fail
    (NOW - timedelta(days=30), REVIEW, 2, 3),  # not in the month, in the year: young pass
    (NOW - timedelta(days=364), REVIEW, 100, 4),  # in the year: mature pass
    (NOW - timedelta(days=365), REVIEW, 100, 1),  # a year and a day ago: left out
    (NOW + timedelta(days=2), REVIEW, 3, 1),  # after now (a clock set back): left out
]
# period -> ((young passed, young count), (mature passed, mature count)), by hand
EXPECTED = {
    "today": ((2, 3), (1, 1)),
    "yesterday": ((1, 1), (0, 1)),
    "week": ((3, 4), (2, 3)),
    "month": ((3, 5), (2, 4)),
    "year": ((4, 6), (3, 5)),
}


def make(db_url: str) -> tuple[Collection, str]:
    url = db_url
    items = [
        Item(f"tr-{i}", "flashcard", "b", SRC, "weights-bias", "Modeling", "easy", "q", "a")
        for i in range(len(LOG))
    ]
    study = open_collection(url, items, clock=FakeClock(NOW, zone=ZONE))
    study.settings.save(replace(study.settings.current(), desired_retention=0.87))
    with study.store.write() as tx:
        ids = [c.card_id for c in all_cards(tx) if c.kind == "flashcard"]
        for card_id, (when, state, interval, grade) in zip(ids, LOG, strict=True):
            at = when.timestamp()
            last = at - interval * DAY - 3600 if state == REVIEW else None
            due = last + interval * DAY if last is not None else at
            before = Memory(card_id, state=state, stability=5.0, difficulty=5.0, due=due,
                            last_review=last)  # fmt: skip
            after = replace(before, state=REVIEW, due=at + DAY, last_review=at)
            insert_log(tx, before, after, grade, at=at, day=study.time.day_of(when),
                       duration_ms=4000)  # fmt: skip
    return study, url


def test_true_retention_matches_the_hand_count(db_url: str) -> None:
    study, _url = make(db_url)
    table = study.stats.true_retention()
    study.close()
    assert table.desired_retention == 0.87
    assert [r.period for r in table.rows] == ["today", "yesterday", "week", "month", "year"]
    for period, ((yp, yn), (mp, mn)) in EXPECTED.items():
        row = table.row(period)
        assert row.young == PassRate(yp, yn), period
        assert row.mature == PassRate(mp, mn), period
        assert row.total == PassRate(yp + mp, yn + mn), period
    assert table.row("today").young.rate == pytest.approx(2 / 3)
    assert table.row("yesterday").mature.rate == 0.0
    text = format_true_retention(table)
    assert "desired 87%" in text and "66.7%" in text


def test_an_empty_log_has_no_rate(db_url: str) -> None:
    study = open_collection(db_url, [], clock=FakeClock(NOW, zone=ZONE))
    table = study.stats.true_retention()
    study.close()
    assert all(r.young == r.mature == PassRate() for r in table.rows)
    assert table.row("year").total.rate is None
    assert " -" in format_true_retention(table)


def test_stats_json_has_the_table(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    study, url = make(db_url)
    study.close()
    monkeypatch.setattr("quizapp.collection.SystemClock", lambda: FakeClock(NOW, zone=ZONE))
    assert main(["--db", url, "stats", "--json"]) == 0
    retention = json.loads(capsys.readouterr().out)["true_retention"]
    assert retention["desired_retention"] == 0.87
    assert list(retention["periods"]) == ["today", "yesterday", "week", "month", "year"]
    for period, ((yp, yn), (mp, mn)) in EXPECTED.items():
        cells = retention["periods"][period]
        assert cells["young"] == {"passed": yp, "count": yn, "rate": round(yp / yn, 4)}
        assert cells["mature"] == {
            "passed": mp, "count": mn, "rate": round(mp / mn, 4) if mn else None,
        }  # fmt: skip
        assert cells["all"]["count"] == yn + mn
    assert main(["--db", url, "stats"]) == 0
    out = capsys.readouterr().out
    assert "True retention (desired 87%" in out and "Last year" in out
