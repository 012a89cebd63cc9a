"""Statistics against an independent recomputation (plain loops over the rows and fsrs's own
retrievability), and the `quizapp stats` command."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import fsrs
import pytest
from quiz_records import record_quiz

from engine.catalog import DIFFICULTIES, FAMILIES
from quizapp.bank.loader import load_all
from quizapp.bank.model import CARD_KINDS, Item, Source, cloze_gap_count
from quizapp.bank.profiles import shipped_profiles
from quizapp.cli import main
from quizapp.clock import FakeClock, day_start, study_day
from quizapp.collection import Collection, open_collection
from quizapp.practice import PracticeAttempt
from quizapp.quiz import QuizAnswer
from quizapp.scheduling.skills import FAMILY_TOPICS, SKILL_DOMAIN
from quizapp.stats import format_stats, stats_dict
from quizapp.store.database import make_engine

DEFAULT_DOMAINS = [d for d, _ in shipped_profiles().default.domain_weights]

ZONE = timezone(timedelta(hours=2))
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "weights")
MLOPS = "Machine Learning Implementation and Operations"
SPEC = [("neurons", "Modeling")] * 3 + [("losses", "Modeling")] * 2 + [("aws", MLOPS)]


def bank() -> list[Item]:
    return [
        Item(f"st-{i}", "flashcard", "b", SRC, topic, domain, "easy", f"q{i}", "a")
        for i, (topic, domain) in enumerate(SPEC)
    ]


def build(db_url: str) -> tuple[Collection, FakeClock, str]:
    start = datetime(2026, 9, 1, 8, tzinfo=ZONE)
    clock = FakeClock(start, zone=ZONE)
    study = open_collection(db_url, bank(), clock=clock)
    study.settings.save(
        replace(study.settings.current(), new_per_day=4, exam_date=date(2026, 9, 30))
    )
    grades = iter([3, 3, 1, 3, 4, 3, 3, 1, 3, 3, 2, 3, 3, 1, 3, 4] * 20)
    for day in (0, 1, 2, 4, 5):  # day 3 skipped: the streak is 2 on day 5
        clock.set(start + timedelta(days=day, minutes=day * 7))
        for _ in range(12):
            card = study.reviews.next_card()
            if card is None:
                break
            clock.advance(seconds=20)
            if card.is_skill:
                study.practice.record(
                    PracticeAttempt(
                        f"{card.family}@{day}", card.family or "", card.difficulty or "easy",
                        "1", 1.0, day % 2 == 0, None, False, 25.0, card.card_id,
                    ),
                    card,
                )  # fmt: skip
            else:
                study.reviews.answer(card, next(grades))
    # a practice attempt outside any card, a quiz, a suspended card
    study.practice.record(
        PracticeAttempt("softmax@9", "softmax", "hard", "0.2", 0.2, False, "no-exp", True, 90.0)
    )
    answers = [
        QuizAnswer(0, "q-a", "losses", "Modeling", (1,), None, True),
        QuizAnswer(1, "q-b", "aws", MLOPS, (0, 2), None, False),
        QuizAnswer(2, "q-c", "aws", MLOPS, flagged=True),
    ]
    record_quiz(study, "exam", "mls-c01", 3, answers, score=0.5, time_limit_s=600, remaining_s=120)
    study.browse.suspend(study.browse.card_infos()[1].card_id)
    clock.advance(hours=3)
    return study, clock, db_url


def recall(scheduler: fsrs.Scheduler, row: Mapping[str, Any], at: datetime) -> float:
    card = fsrs.Card(
        card_id=row["card_id"],
        state=fsrs.State(row["state"]),
        step=row["step"],
        stability=row["stability"],
        difficulty=row["difficulty"],
        due=datetime.fromtimestamp(row["due"], UTC),
        last_review=datetime.fromtimestamp(row["last_review"], UTC),
    )
    return scheduler.get_card_retrievability(card, at)


def expected_stats(url: str, now: datetime, exam_at: datetime) -> dict:
    """Recompute everything the slow, obvious way."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:

            def rows(sql: str) -> list[Mapping[str, Any]]:
                return list(conn.exec_driver_sql(sql).mappings())

            return _expected(rows, now, exam_at)
    finally:
        engine.dispose()


def _expected(rows: Any, now: datetime, exam_at: datetime) -> dict:
    scheduler = fsrs.Scheduler()
    today = study_day(now, ZONE, 4)
    day_end = day_start(today + 1, ZONE, 4).timestamp()
    cards = rows(
        "select m.*, c.topic, c.domain from card_memory m join cards c on c.id = m.card_id"
        " where not c.retired"
    )
    logs = rows("select * from review_log")
    quiz = rows("select * from quiz_answers")
    practice = rows("select * from practice_attempts")

    counts = {"new": 0, "learning": 0, "review": 0, "suspended": 0}
    for c in cards:
        if c["suspended"]:
            counts["suspended"] += 1
        else:
            counts[{0: "new", 1: "learning", 2: "review", 3: "learning"}[c["state"]]] += 1
    active_days = {r["study_day"] for r in [*logs, *practice]} | {
        r["study_day"] for r in quiz if r["study_day"] is not None
    }
    streak, day = 0, today if today in active_days else today - 1
    while day in active_days:
        streak, day = streak + 1, day - 1
    recent = [r for r in logs if r["study_day"] > today - 30 and r["state_before"] == 2]
    studied = [c for c in cards if c["state"] != 0]
    start_ts = day_start(today, ZONE, 4).timestamp()
    forecast = [0] * 30
    for c in cards:
        if c["queue"] in (1, 2) and c["due"] < start_ts + 30 * 86400:
            forecast[max(0, int((c["due"] - start_ts) // 86400))] += 1

    right: dict[str, float] = {}
    total: dict[str, float] = {}

    def add(name: str, r: float, w: float) -> None:
        right[name] = right.get(name, 0.0) + r
        total[name] = total.get(name, 0.0) + w

    ts = now.timestamp()
    for c in cards:
        r = recall(scheduler, c, now) if c["state"] != 0 else 0.0
        add("t:" + c["topic"], r, 1.0)
        add("d:" + c["domain"], r, 1.0)
    for q in quiz:
        if q["correct"] is None:
            continue
        w = 1 / (1 + (ts - q["answered_at"]) / (30 * 86400))
        add("t:" + q["topic"], w * q["correct"], w)
        add("d:" + q["domain"], w * q["correct"], w)
    for p in practice:
        w = 1 / (1 + (ts - p["attempted_at"]) / (30 * 86400))
        add("t:" + FAMILY_TOPICS[p["family"]], w * p["correct"], w)
        add("d:" + SKILL_DOMAIN, w * p["correct"], w)
    mastery = {k: right[k] / total[k] for k in total}
    return {
        "cards": counts,
        "reviews_total": len(logs),
        "reviews_today": sum(r["study_day"] == today for r in logs),
        "due_today": sum(c["queue"] in (1, 2) and c["due"] < day_end for c in cards),
        "streak_days": streak,
        "retention_30d": sum(r["grade"] > 1 for r in recent) / len(recent),
        "predicted_retention": sum(recall(scheduler, c, now) for c in studied) / len(studied),
        "exam_day_recall": sum(recall(scheduler, c, exam_at) for c in studied) / len(studied),
        "forecast": forecast,
        "topics": {k[2:]: v for k, v in mastery.items() if k.startswith("t:")},
        # the default exam profile's domains only (other names come from older answers)
        "domains": {d: mastery["d:" + d] for d in DEFAULT_DOMAINS if "d:" + d in mastery},
        "quiz_attempts": len(rows("select id from quiz_attempts")),
        "practice_attempts": len(practice),
    }


def test_stats_match_an_independent_recomputation(db_url: str) -> None:
    study, clock, url = build(db_url)
    got = stats_dict(study.stats.summary())
    exam_at = day_start(date(2026, 9, 30), ZONE, 4)
    want = expected_stats(url, clock.now(), exam_at)
    for key in ("cards", "reviews_total", "reviews_today", "due_today", "streak_days",
                "forecast", "quiz_attempts", "practice_attempts"):  # fmt: skip
        assert got[key] == want[key], key
    for key in ("retention_30d", "predicted_retention", "exam_day_recall"):
        assert got[key] == pytest.approx(want[key], abs=1e-4), key
    for key in ("topics", "domains"):
        assert got[key].keys() == want[key].keys()
        for name, value in want[key].items():
            assert got[key][name] == pytest.approx(value, abs=1e-4), (key, name)
    # the scenario exercises what it should
    assert got["streak_days"] == 2 and got["cards"]["suspended"] == 1
    assert 0 < got["retention_30d"] < 1 and sum(got["forecast"]) > 0
    assert got["exam_date"] == "2026-09-30"
    assert set(got["topics"]) >= {"neurons", "losses", "aws", "activations"}

    dash = study.stats.dashboard()
    assert dash.streak_days == 2 and dash.days_to_exam is not None and dash.days_to_exam > 0
    assert dash.exam_day_recall == got["exam_day_recall"]
    assert {t.topic for t in dash.topics} == set(got["topics"])
    text = format_stats(study.stats.summary(), {"neurons": "Neurons"})
    assert "Cards: " in text and "Neurons" in text and "Exam: 2026-09-30" in text
    study.close()


def test_empty_database_stats(db_url: str) -> None:
    study = open_collection(db_url, [])
    stats = study.stats.summary()
    assert stats.reviews_total == 0 and stats.streak_days == 0
    assert stats.retention_30d is None and stats.predicted_retention is None
    assert stats.exam_day_recall is None and stats.forecast == (0,) * 30
    assert stats.cards.new == len(FAMILIES) * len(DIFFICULTIES)
    study.close()


def test_stats_command_json_and_text(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = db_url
    assert main(["--db", url, "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "cards", "reviews_total", "reviews_today", "due_today", "streak_days",
        "retention_30d", "predicted_retention", "forecast", "topics", "domains",
        "quiz_attempts", "practice_attempts", "exam_date", "exam_day_recall",
        "true_retention",
    }  # fmt: skip
    assert set(data["cards"]) == {"new", "learning", "review", "suspended"}
    shipped_cards = sum(  # a cloze makes one card per gap
        (cloze_gap_count(i.text) if i.kind == "cloze" else 1)
        for i in load_all(include_user_dir=False).items
        if i.kind in CARD_KINDS
    )
    assert data["cards"]["new"] == shipped_cards + len(FAMILIES) * len(DIFFICULTIES)
    assert len(data["forecast"]) == 30
    assert all(0.0 <= v <= 1.0 for v in data["topics"].values())
    assert main(["--db", url, "stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cards: ") and "Mastery by topic:" in out
