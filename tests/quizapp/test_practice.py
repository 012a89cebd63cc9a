"""quizapp.practice: choosing the next family and recording attempts, without the UI."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.catalog import FAMILIES
from quizapp.practice import (
    MIXED,
    SEED_RANGE,
    WEAKEST,
    PracticeRecord,
    PracticeRound,
    choose_family,
    new_seed,
    smoothed_accuracy,
    weakest_families,
)


def record(family: str, attempts: int, correct: int) -> PracticeRecord:
    return PracticeRecord(family, attempts, correct)


def test_smoothed_accuracy_counts_one_imaginary_right_and_wrong() -> None:
    assert smoothed_accuracy(None) == 0.5
    assert smoothed_accuracy(record("loss", 1, 1)) == pytest.approx(2 / 3)
    assert smoothed_accuracy(record("loss", 1, 0)) == pytest.approx(1 / 3)
    assert smoothed_accuracy(record("loss", 8, 6)) == pytest.approx(7 / 10)


def test_a_named_family_is_always_chosen() -> None:
    rng = random.Random(1)
    assert {choose_family("softmax", [], rng) for _ in range(20)} == {"softmax"}


def test_mixed_never_repeats_and_reaches_every_family() -> None:
    rng = random.Random(3)
    previous = None
    seen = Counter()
    for _ in range(500):
        family = choose_family(MIXED, [], rng, previous)
        assert family != previous
        seen[family] += 1
        previous = family
    assert set(seen) == set(FAMILIES)
    assert min(seen.values()) > 500 / len(FAMILIES) / 2  # roughly uniform


def test_weakest_first_picks_the_lowest_smoothed_accuracy() -> None:
    records = [record("softmax", 4, 1), record("loss", 2, 2), record("backprop", 10, 5)]
    # softmax 2/6 = 0.33 is below the untried families' 0.5 and backprop's 6/12
    assert choose_family(WEAKEST, records, random.Random(0)) == "softmax"
    assert weakest_families(records)[0] == "softmax"
    assert weakest_families(records)[-1] == "loss"  # 3/4 is the strongest


def test_weakest_first_breaks_ties_at_random_and_avoids_the_previous_family() -> None:
    rng = random.Random(5)
    records = [record(f, 1, 1) for f in FAMILIES if f not in ("loss", "softmax")]
    picks = {choose_family(WEAKEST, records, rng) for _ in range(50)}
    assert picks == {"loss", "softmax"}  # the untried two, tied at 0.5
    assert {choose_family(WEAKEST, records, rng, previous="loss") for _ in range(20)} == {"softmax"}
    only = [record(f, 3, 3) for f in FAMILIES if f != "loss"]
    assert choose_family(WEAKEST, only, rng, previous="loss") == "loss"  # no other as weak


@given(
    st.lists(
        st.tuples(st.sampled_from(FAMILIES), st.integers(0, 50), st.integers(0, 50)),
        unique_by=lambda t: t[0],
    ),
    st.integers(0, 2**32),
)
def test_weakest_first_is_never_stronger_than_any_other_family(rows, seed) -> None:
    records = [record(f, max(a, c), min(a, c)) for f, a, c in rows]
    chosen = choose_family(WEAKEST, records, random.Random(seed))
    by_family = {r.family: r for r in records}
    score = smoothed_accuracy(by_family.get(chosen))
    assert all(score <= smoothed_accuracy(by_family.get(f)) + 1e-12 for f in FAMILIES)


def test_unknown_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown practice choice"):
        choose_family("everything", [], random.Random(0))


def test_seeds_stay_in_range_and_follow_the_generator() -> None:
    a, b = random.Random(9), random.Random(9)
    seeds = [new_seed(a) for _ in range(100)]
    assert seeds == [new_seed(b) for _ in range(100)]
    assert all(0 <= s < SEED_RANGE for s in seeds)


def test_a_round_times_answers_and_marks_help() -> None:
    now = iter([100.0, 112.5, 130.0])
    round_ = PracticeRound("softmax@7", "softmax", "hard", started=next(now), card_id=42)
    first = round_.attempt("0.4", 0.4, False, "no_exponentials", next(now))
    assert (first.elapsed_s, first.hinted, first.card_id) == (12.5, False, 42)
    assert (first.variant_id, first.misconception, first.correct) == (
        "softmax@7",
        "no_exponentials",
        False,
    )
    second = round_.attempt("0.36", 0.36, True, None, next(now))
    # after feedback, a second try is helped and does not grade the skill card again
    assert (second.elapsed_s, second.hinted, second.card_id) == (30.0, True, None)
    assert round_.solved


def test_help_before_answering_is_recorded() -> None:
    round_ = PracticeRound("loss@1", "loss", "easy", started=0.0)
    round_.use_help()
    attempt = round_.attempt("1", 1.0, True, None, now=5.0)
    assert attempt.hinted and attempt.card_id is None
