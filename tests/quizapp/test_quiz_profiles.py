"""Exam profiles, largest-remainder allocation and the documented scaled score."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.errors import QuizappError
from quizapp.quiz.profiles import (
    MLA_C01,
    MLS_C01,
    allocate,
    built_in,
    custom_exam,
    default_profile,
    profile_by_name,
)
from quizapp.quiz.scoring import passed, scaled_score

WEIGHTS = dict(MLS_C01.domain_weights)


def test_mla_c01_is_the_current_exam_and_the_default() -> None:
    assert default_profile() is MLA_C01
    assert (MLA_C01.code, MLA_C01.status, MLA_C01.retired_on) == ("MLA-C01", "current", None)
    assert (MLA_C01.questions, MLA_C01.scored, MLA_C01.minutes) == (65, 50, 130)
    assert MLA_C01.time_limit_s == 130 * 60 and MLA_C01.pass_score == 720
    assert MLA_C01.weights() == {
        "Data Preparation for ML": 28,
        "ML Model Development": 26,
        "Deployment and Orchestration of ML Workflows": 22,
        "ML Solution Monitoring, Maintenance, and Security": 24,
    }
    assert MLA_C01.kinds == ("single_choice", "multiple_response", "ordering", "matching")


def test_mls_c01_is_the_guides_retired_exam() -> None:
    assert MLS_C01.retired and MLS_C01.retired_on == date(2026, 3, 31)
    assert MLS_C01.questions == 65
    assert MLS_C01.time_limit_s == 180 * 60
    assert MLS_C01.pass_score == 750
    assert sum(WEIGHTS.values()) == 100
    assert WEIGHTS == {
        "Data Engineering": 20,
        "Exploratory Data Analysis": 24,
        "Modeling": 36,
        "Machine Learning Implementation and Operations": 20,
    }
    assert "retired 31 Mar 2026" in MLS_C01.label


def test_the_set_up_lists_current_profiles_first() -> None:
    ids = [p.id for p in built_in()]
    assert ids == ["mla-c01", "mla-c01-30", "mla-c01-15", "mls-c01", "mls-c01-30", "mls-c01-15"]


def test_full_exam_allocation_by_largest_remainder() -> None:
    # quotas 13, 15.6, 23.4, 13: floors sum to 64, the one left goes to EDA (.6 > .4)
    assert allocate(WEIGHTS, 65) == {
        "Data Engineering": 13,
        "Exploratory Data Analysis": 16,
        "Modeling": 23,
        "Machine Learning Implementation and Operations": 13,
    }


def test_custom_exam_keeps_proportions_pace_scored_share_and_pass_mark() -> None:
    profile = custom_exam(20, MLS_C01)
    assert profile.questions == 20 and profile.id == "mls-c01-20"
    assert profile.time_limit_s == round(10800 * 20 / 65)
    assert profile.pass_score == 750
    assert profile.scored == round(50 * 20 / 65) == 15
    assert profile.domain_weights == MLS_C01.domain_weights
    # quotas 4, 4.8, 7.2, 4 -> 4, 5, 7, 4
    assert list(allocate(profile.weights(), 20).values()) == [4, 5, 7, 4]
    assert profile_by_name(profile.name) == profile
    assert profile_by_name("mls-c01") is MLS_C01
    assert profile_by_name("practice") is None
    assert custom_exam(65, MLS_C01) is MLS_C01
    assert custom_exam(30).id == "mla-c01-30" and custom_exam(30).base == "mla-c01"


@pytest.mark.parametrize("n", [0, 66, -3])
def test_custom_exam_length_is_bounded(n: int) -> None:
    with pytest.raises(QuizappError):
        custom_exam(n)


@given(
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 50), min_size=1),
    st.integers(0, 200),
)
def test_allocation_is_a_hamilton_apportionment(weights: dict[str, int], total: int) -> None:
    result = allocate(weights, total)
    assert sum(result.values()) == total
    whole = sum(weights.values()) or len(weights)
    for key, w in weights.items():
        quota = Fraction(total * (w if sum(weights.values()) else 1), whole)
        assert math.floor(quota) <= result[key] <= math.ceil(quota)


def test_scaled_score_examples_from_the_documentation() -> None:
    assert scaled_score(47, 65) == 751  # 750.77
    assert scaled_score(46, 65) == 737  # 736.92
    assert scaled_score(0, 65) == 100
    assert scaled_score(65, 65) == 1000
    assert scaled_score(1, 2) == 550
    assert scaled_score(1, 8) == 213  # 212.5 rounds half up
    assert passed(751, 750) and passed(750, 750) and not passed(749, 750)
    # the fewest right answers that pass a full exam
    assert min(c for c in range(66) if passed(scaled_score(c, 65), 750)) == 47


@given(st.integers(1, 500).flatmap(lambda t: st.tuples(st.integers(0, t), st.just(t))))
def test_scaled_score_is_the_rounded_linear_map(pair: tuple[int, int]) -> None:
    correct, total = pair
    score = scaled_score(correct, total)
    # round half up of (100·t + 900·c) / t, in integers only
    assert score == (2 * (100 * total + 900 * correct) + total) // (2 * total)
    assert 100 <= score <= 1000
    assert abs(score - (100 + 900 * correct / total)) <= 0.5 + 1e-9
    if correct < total:
        assert scaled_score(correct + 1, total) >= score


def test_scaled_score_rejects_nonsense() -> None:
    for bad in [(1, 0), (-1, 5), (6, 5)]:
        with pytest.raises(ValueError):
            scaled_score(*bad)
