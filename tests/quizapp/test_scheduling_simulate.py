"""The FSRS simulator: its formulas against the `fsrs` package, determinism, limits, budget,
the exam cap / final stretch, and speed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.scheduling.review import Policy, exam_target_day, final_stretch_days, interval_cap
from quizapp.scheduling.simulate import (
    AnswerTimes,
    CardArrays,
    CardInput,
    Ratings,
    SimSettings,
    fsrs_first,
    fsrs_review,
    fsrs_short_term,
    next_interval,
    retrievability,
    simulate,
)

W = np.asarray(DEFAULT_PARAMETERS, dtype=np.float64)
T0 = datetime(2026, 1, 5, 10, tzinfo=UTC)


def sched(steps: tuple[int, ...] = (1, 10), retention: float = 0.9) -> Scheduler:
    return Scheduler(
        desired_retention=retention,
        learning_steps=tuple(timedelta(minutes=m) for m in steps),
        relearning_steps=(timedelta(minutes=10),),
        enable_fuzzing=False,
    )


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
@pytest.mark.parametrize(("s", "d", "elapsed"), [(3.0, 5.0, 4), (40.0, 8.2, 30), (0.8, 2.0, 9)])
def test_one_review_matches_fsrs(rating: int, s: float, d: float, elapsed: int) -> None:
    card = Card(
        card_id=1,
        state=State.Review,
        stability=s,
        difficulty=d,
        due=T0,
        last_review=T0 - timedelta(days=elapsed),
    )
    after, _ = sched().review_card(card, Rating(rating), T0)
    s1, d1 = fsrs_review(np.array([s]), np.array([d]), np.array([elapsed]), np.array([rating]), W)
    assert s1[0] == pytest.approx(after.stability, rel=1e-9)
    assert d1[0] == pytest.approx(after.difficulty, rel=1e-9)
    if rating > 1:
        ivl = next_interval(s1, 0.9, 36500, W)[0]
        assert T0 + timedelta(days=int(ivl)) == after.due


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_first_answer_and_learning_steps_match_fsrs(rating: int) -> None:
    """A new card: first rating, then Good at each remaining step the same day; the simulator
    applies the same updates and graduates with the same interval."""
    sch = sched()
    card = Card(card_id=7, state=State.Learning, step=0, due=T0)
    now = T0
    card, _ = sch.review_card(card, Rating(rating), now)
    s, d = fsrs_first(np.array([rating]), W)
    assert s[0] == pytest.approx(card.stability) and d[0] == pytest.approx(card.difficulty)
    steps = 0
    while card.state == State.Learning:
        now = card.due
        card, _ = sch.review_card(card, Rating.Good, now)
        s, d = fsrs_short_term(s, d, np.array([3]), W)
        steps += 1
    assert steps == {1: 2, 2: 2, 3: 1, 4: 0}[rating]
    assert s[0] == pytest.approx(card.stability) and d[0] == pytest.approx(card.difficulty)
    assert card.due - now == timedelta(days=int(next_interval(s, 0.9, 36500, W)[0]))


def test_retrievability_matches_fsrs() -> None:
    sch = sched()
    card = Card(
        card_id=2, state=State.Review, stability=12.5, difficulty=5.0, due=T0, last_review=T0
    )
    for days in (0, 1, 7, 30, 200):
        expected = sch.get_card_retrievability(card, T0 + timedelta(days=days, hours=3))
        assert retrievability(np.array([12.5]), np.array([days]), W)[0] == pytest.approx(expected)


def cards(n_studied: int, n_new: int, *, due: int = 100, last: int = 90, s: float = 10.0):
    rows = [CardInput(i, True, s, 5.0, due_day=due, last_day=last) for i in range(n_studied)] + [
        CardInput(n_studied + i, False, order=float(i)) for i in range(n_new)
    ]
    return CardArrays.build(rows)


def test_deterministic_with_a_seed_and_limits_hold() -> None:
    c = cards(300, 200)
    st = SimSettings(new_per_day=7, reviews_per_day=50)
    a = simulate(c, 100, 60, st, seed=5, recall_days=(160,))
    b = simulate(c, 100, 60, st, seed=5, recall_days=(160,))
    other = simulate(c, 100, 60, st, seed=6)
    assert np.array_equal(a.reviews, b.reviews) and np.array_equal(a.recall[160], b.recall[160])
    assert not np.array_equal(a.reviews, other.reviews)
    assert a.reviews.max() == 50 and (a.new <= 7).all()
    assert a.new.sum() == 200 - a.new_left
    assert a.reviews[0] == 50 and a.backlog[0] == 250  # 300 due on day one, 50 a day


def test_budget_orders_reviews_first_then_new() -> None:
    c = cards(100, 100)
    times = AnswerTimes(review_seconds=30.0, new_seconds=60.0, lapse_seconds=0.0)
    # 10 minutes: 20 reviews, no room for new cards while the backlog lasts
    r = simulate(c, 100, 3, SimSettings(minutes_per_day=10, new_per_day=50), times)
    assert list(r.reviews) == [20, 20, 20] and list(r.new) == [0, 0, 0]
    assert (r.minutes <= 10.0 + 1e-9).all() and r.backlog[0] == 80
    assert list(r.new_cut) == [50, 50, 50]
    # a large budget: every due card done, the new limit reached, nothing cut
    big = simulate(c, 100, 3, SimSettings(minutes_per_day=600, new_per_day=50), times)
    assert big.reviews[0] == 100 and big.new[0] == 50 and big.new_cut.sum() == 0
    assert big.minutes[0] == pytest.approx((100 * 30 + 50 * 60) / 60)


def test_recall_on_a_day_is_the_forgetting_curve_without_reviews() -> None:
    """Nothing due before day 130: recall that morning is R(130 - last, S) by hand."""
    c = cards(5, 0, due=200, last=100, s=20.0)
    r = simulate(c, 101, 29, SimSettings(), recall_days=(130,))
    factor = 0.9 ** (1 / -W[20]) - 1
    by_hand = (1 + factor * 30 / 20.0) ** -W[20]
    assert r.reviews.sum() == 0
    assert r.recall[130] == pytest.approx(np.full(5, by_hand))


def test_exam_cap_and_final_stretch() -> None:
    exam, k = 200, 5
    c = cards(400, 0, due=150, last=140, s=3000.0)  # long intervals: all would pass the exam
    plain = simulate(c, 150, 50, SimSettings(exam_day=exam, reviews_per_day=1000))
    assert plain.reviews[-1] == 400  # the old cap: all back on the day before the exam
    st = SimSettings(exam_day=exam, stretch_days=k, reviews_per_day=1000)
    r = simulate(c, 150, 50, st, recall_days=(exam,))
    # every card seen once in the stretch, spread over its k days (id % k)
    assert list(r.reviews[-k:]) == [80] * k
    assert r.reviews[:-k].sum() == 400  # the first review, on day 150
    # same rule as the app's interval cap
    policy = Policy()
    for cid in (0, 1, 7, 399):
        target = exam_target_day(cid, exam, k)
        assert exam - k <= target < exam
        assert interval_cap(policy, 150, exam, card_id=cid, stretch_days=k) == target - 150
        assert interval_cap(policy, exam - 2, exam, card_id=cid, stretch_days=k) == 36500


def test_final_stretch_days() -> None:
    assert final_stretch_days(0, 10.0, 30) == 1
    assert final_stretch_days(180, 10.0, 30) == 1  # 180 reviews a day fit 30 minutes
    assert final_stretch_days(181, 10.0, 30) == 2
    assert final_stretch_days(1000, 12.0, 20) == 10


def test_rating_probabilities_are_checked() -> None:
    with pytest.raises(ValueError, match="rating probabilities"):
        simulate(cards(1, 1), 100, 1, ratings=Ratings(first=(0.0, 0.0, 0.0, 0.0)))


def test_hundred_thousand_cards_for_a_year_is_fast() -> None:
    n = 100_000
    rng = np.random.default_rng(1)
    c = CardArrays(
        card_id=np.arange(n, dtype=np.int64),
        studied=rng.random(n) < 0.6,
        stability=rng.uniform(0.5, 100, n),
        difficulty=rng.uniform(1, 10, n),
        due_day=1000 + rng.integers(-5, 60, n),
        last_day=np.full(n, 990, dtype=np.int64),
        order=np.arange(n, dtype=np.float64),
    )
    t = time.perf_counter()
    r = simulate(
        c, 1000, 365, SimSettings(new_per_day=200, reviews_per_day=10**9), recall_days=(1365,)
    )
    assert time.perf_counter() - t < 5.0
    assert r.reviews.sum() > 0 and np.isfinite(r.recall[1365]).sum() == n - r.new_left
