"""`Collection.history`: the stats screen's per-day series against a brute-force count over the
rows (plain Python loops, fsrs's own retrievability), on both the SQL pow() path and the
NumPy path; and the binning helpers against hand-made cases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import fsrs
import numpy as np
import pytest
from quiz_records import record_quiz

from quizapp.bank.model import Item, Source
from quizapp.clock import FakeClock, day_start, study_day
from quizapp.collection import open_collection
from quizapp.errors import QuizappError
from quizapp.practice import PracticeAttempt
from quizapp.quiz import QuizAnswer
from quizapp.stats import bin_days, longest_run, retention_series, rolling_sums
from quizapp.store import statistics as aggregates
from quizapp.store.database import make_engine

ZONE = timezone(timedelta(hours=-3))
ROLLOVER = 4
START = datetime(2026, 1, 5, 7, tzinfo=ZONE)
SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "weights")
SKIPPED = {3, 9, 10, 17}  # days without any study: streaks break there


def bank(n: int = 24) -> list[Item]:
    topics = ("neurons", "losses", "activations")
    return [
        Item(f"h-{i}", "flashcard", "b", SRC, topics[i % 3], "Modeling", "easy", f"q{i}", "a")
        for i in range(n)
    ]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, FakeClock]]:
    """40 days of study (on SQLite, then on PostgreSQL): reviews with every grade, practice
    with and without a card, quizzes and an exam, a day studied after midnight (before the
    rollover), an undo."""
    if request.param == "sqlite":
        yield build(f"sqlite:///{tmp_path_factory.mktemp('history') / 'p.db'}")
        return
    databases: Callable[[], AbstractContextManager[str]]
    databases = request.getfixturevalue("pg_migrated_databases")
    with databases() as url:
        yield build(url)


def build(url: str) -> tuple[str, FakeClock]:
    clock = FakeClock(START, zone=ZONE)
    study = open_collection(url, bank(), clock=clock)
    study.settings.save(replace(study.settings.current(), new_per_day=5, desired_retention=0.85))
    grades = iter([3, 3, 1, 3, 4, 2, 3, 1, 3, 3, 3, 4, 1, 2, 3] * 60)
    for day in range(40):
        if day in SKIPPED:
            continue
        late = 19 if day == 12 else 0  # 02:00 the next morning: still this study day
        clock.set(START + timedelta(days=day, hours=late, minutes=day))
        for _ in range(8 + day % 5):
            card = study.reviews.next_card()
            if card is None:
                break
            clock.advance(seconds=30)
            if card.is_skill:
                study.practice.record(
                    PracticeAttempt(
                        f"{card.family}@{day}", card.family or "", card.difficulty or "easy",
                        "1", 1.0, day % 2 == 0, None, False, 20.0, card.card_id,
                    ),
                    card,
                )  # fmt: skip
            else:
                study.reviews.answer(card, next(grades))
        if day == 20:
            study.reviews.undo()
        if day % 4 == 1:  # practice without a card
            study.practice.record(
                PracticeAttempt("softmax@x", "softmax", "hard", "0.2", 0.2, True, None, True, 9.0)
            )
        if day % 7 == 2:
            mode = "exam" if day % 14 == 2 else "practice"
            answers = [
                QuizAnswer(pos, f"q-{pos}", "losses", "Modeling", (0,), None, right)
                for pos, right in enumerate((True, day % 3 == 0, False))
            ]
            score = 100 + 900 * (1 + (day % 3 == 0)) / 3
            record_quiz(study, mode, "mls-c01-3", 3, answers, score=score)
    clock.set(START + timedelta(days=39, hours=10))
    study.close()
    return url, clock


def brute_force(url: str, now: datetime, days: int) -> dict:
    """The history recomputed row by row."""
    today = study_day(now, ZONE, ROLLOVER)
    first = today - days + 1
    cal_first = today - max(days, 365) + 1
    scheduler = fsrs.Scheduler()
    engine = make_engine(url)
    with engine.connect() as conn:
        logs = list(conn.exec_driver_sql("select * from review_log").mappings())
        practice = list(conn.exec_driver_sql("select * from practice_attempts").mappings())
        quiz = list(
            conn.exec_driver_sql(
                "select * from quiz_answers where study_day is not null"
            ).mappings()
        )
        attempts = list(conn.exec_driver_sql("select * from quiz_attempts").mappings())
        answers = list(conn.exec_driver_sql("select * from quiz_answers").mappings())
    engine.dispose()
    series = {k: [0] * days for k in ("answers", "new", "review", "recalled", "prac", "quiz")}
    predicted = [0.0] * days
    for row in logs:
        i = row["study_day"] - first
        if not 0 <= i < days:
            continue
        series["answers"][i] += 1
        series["new"][i] += row["state_before"] == 0
        if row["state_before"] == 2:
            series["review"][i] += 1
            series["recalled"][i] += row["grade"] > 1
            card = fsrs.Card(
                card_id=row["card_id"],
                state=fsrs.State.Review,
                stability=row["stability_before"],
                difficulty=row["difficulty_before"],
                due=datetime.fromtimestamp(row["due_before"], UTC),
                last_review=datetime.fromtimestamp(row["last_review_before"], UTC),
            )
            at = datetime.fromtimestamp(row["reviewed_at"], UTC)
            predicted[i] += scheduler.get_card_retrievability(card, at)
    for row in practice:
        if 0 <= row["study_day"] - first < days:
            series["prac"][row["study_day"] - first] += 1
    for row in quiz:
        if 0 <= row["study_day"] - first < days:
            series["quiz"][row["study_day"] - first] += 1
    calendar = Counter()
    for row in logs:
        calendar[row["study_day"]] += 1
    for row in practice:
        if row["card_id"] is None:
            calendar[row["study_day"]] += 1
    for row in quiz:
        calendar[row["study_day"]] += 1
    active = {d for d, n in calendar.items() if n}
    streak, day = 0, today if today in active else today - 1
    while day in active:
        streak, day = streak + 1, day - 1
    longest = run = 0
    for d in range(cal_first, today + 1):
        run = run + 1 if d in active else 0
        longest = max(longest, run)
    since = day_start(first, ZONE, ROLLOVER).timestamp()
    right = Counter(a["attempt_id"] for a in answers if a["correct"])
    scores = [
        (a["id"], a["mode"], right[a["id"]], a["question_count"], a["score"])
        for a in sorted(attempts, key=lambda a: a["finished_at"] or 0)
        if a["finished_at"] is not None and a["finished_at"] >= since
    ]
    return {
        "first": date.fromordinal(first),
        "series": series,
        "predicted": predicted,
        "calendar": [calendar.get(d, 0) for d in range(cal_first, today + 1)],
        "streak": streak,
        "longest": longest,
        "scores": scores,
    }


@pytest.mark.parametrize("math_functions", [True, False], ids=["sql-pow", "numpy"])
@pytest.mark.parametrize("days", [1, 12, 30, 90])
def test_history_matches_a_brute_force_count(
    built: tuple[str, FakeClock], math_functions: bool, days: int
) -> None:
    url, clock = built
    previous = aggregates.use_math_functions(math_functions)
    study = open_collection(url, bank(), clock=clock)
    try:
        if math_functions:
            with study.store.read() as run:
                if not aggregates.has_math_functions(run):
                    pytest.skip("this SQLite has no math functions")
        history = study.stats.history(days)
    finally:
        study.close()
        aggregates.use_math_functions(previous)
    want = brute_force(url, clock.now(), days)
    s = want["series"]
    assert history.days == days and history.first_day == want["first"]
    assert history.today == want["first"] + timedelta(days=days - 1)
    assert list(history.answers) == s["answers"]
    assert list(history.new_cards) == s["new"]
    assert list(history.review_answers) == s["review"]
    assert list(history.review_recalled) == s["recalled"]
    assert history.review_predicted == pytest.approx(want["predicted"], abs=1e-5)
    assert list(history.practice) == s["prac"]
    assert list(history.quiz_answers) == s["quiz"]
    assert list(history.calendar) == want["calendar"]
    assert len(history.calendar) == 365
    assert history.calendar_first_day == history.today - timedelta(days=364)
    assert (history.streak_days, history.longest_streak) == (want["streak"], want["longest"])
    got_scores = [(p.attempt_id, p.mode, p.correct, p.total, p.score) for p in history.scores]
    assert got_scores == want["scores"]
    assert history.desired_retention == 0.85
    if s["review"] and sum(s["review"]):
        assert history.true_retention == pytest.approx(sum(s["recalled"]) / sum(s["review"]))
        assert history.predicted_retention == pytest.approx(
            sum(want["predicted"]) / sum(s["review"]), abs=1e-6
        )


def test_the_scenario_covers_what_it_should(built: tuple[str, FakeClock]) -> None:
    url, clock = built
    study = open_collection(url, bank(), clock=clock)
    history = study.stats.history(40)
    stats = study.stats.summary()
    study.close()
    assert sum(history.new_cards) > 0 and sum(history.review_answers) > 10
    assert 0 < history.true_retention < 1 and 0.5 < history.predicted_retention < 1
    assert sum(history.practice) > 0 and sum(history.quiz_answers) > 0
    assert {p.mode for p in history.scores} == {"practice", "exam"}
    assert history.active_days == 40 - len(SKIPPED)
    assert history.longest_streak >= 7 and history.streak_days == stats.streak_days
    # the stats' own totals agree
    assert sum(history.answers) == stats.reviews_total


def test_history_days_out_of_range_are_refused(built: tuple[str, FakeClock]) -> None:
    url, clock = built
    study = open_collection(url, bank(), clock=clock)
    try:
        for days in (0, -3, 100_000):
            with pytest.raises(QuizappError, match="history covers"):
                study.stats.history(days)
        year = study.stats.history(400)  # longer than a year: the calendar grows with it
        assert len(year.calendar) == 400 and year.calendar_first_day == year.first_day
    finally:
        study.close()


def test_empty_history(db_url: str) -> None:
    study = open_collection(db_url, [])
    history = study.stats.history(30)
    study.close()
    assert sum(history.answers) == sum(history.calendar) == 0
    assert history.true_retention is None and history.predicted_retention is None
    assert history.streak_days == history.longest_streak == history.active_days == 0
    assert history.scores == ()


def test_bin_days_sums_groups_ending_today() -> None:
    assert bin_days([1, 2, 3, 4, 5], 1).tolist() == [1, 2, 3, 4, 5]
    assert bin_days([1, 2, 3, 4, 5], 2).tolist() == [1, 5, 9]  # the oldest group is short
    assert bin_days([1, 2, 3, 4, 5, 6], 3).tolist() == [6, 15]
    assert bin_days(list(range(365)), 7).sum() == sum(range(365))
    assert len(bin_days(list(range(365)), 7)) == 53


def test_rolling_sums_and_longest_run() -> None:
    values = [1, 0, 2, 5, 0, 0, 3]
    want = [sum(values[max(0, i - 2) : i + 1]) for i in range(len(values))]
    assert rolling_sums(values, 3).tolist() == want
    assert longest_run(np.array([], dtype=bool)) == 0
    assert longest_run(np.array([0, 1, 1, 0, 1, 1, 1, 0], dtype=bool)) == 3
    assert longest_run(np.array([1, 1], dtype=bool)) == 2


def test_retention_series_over_a_trailing_window() -> None:
    from quizapp.stats import History

    zeros = (0,) * 5
    history = History(
        days=5, first_day=date(2026, 1, 1), answers=zeros, new_cards=zeros,
        review_answers=(2, 0, 0, 4, 0), review_recalled=(1, 0, 0, 4, 0),
        review_predicted=(1.8, 0.0, 0.0, 3.6, 0.0), practice=zeros, quiz_answers=zeros,
        calendar_first_day=date(2026, 1, 1), calendar=zeros, streak_days=0, longest_streak=0,
        scores=(), desired_retention=0.9,
    )  # fmt: skip
    true, predicted, answers = retention_series(history, 2)
    assert answers.tolist() == [2, 2, 0, 4, 4]
    assert true[:2].tolist() == [0.5, 0.5] and np.isnan(true[2]) and true[3] == 1.0
    assert predicted[0] == pytest.approx(0.9) and predicted[4] == pytest.approx(0.9)
    assert history.true_retention == pytest.approx(5 / 6)
