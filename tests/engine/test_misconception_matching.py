"""Naming the mistake behind a wrong answer (issue 13): matching at the precision the learner
typed, generic slips, and how rarely a random wrong answer gets a label."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal

import numpy as np
import pytest

from engine.answers import check_answer, parse_answer
from engine.catalog import DIFFICULTIES, FAMILIES
from engine.problems import make_problem
from engine.problems.model import Misconception, Problem, Tolerance

SEEDS = range(200)
RANDOM_LABEL_LIMIT = 0.05
OWN_LABEL_FLOOR = 0.95


def synthetic(
    answer: float,
    misconceptions: tuple[Misconception, ...] = (),
    *,
    decimals: int = 3,
    proportion: bool = False,
    tolerance: Tolerance | None = None,
) -> Problem:
    """A real problem with its answer and misconceptions replaced (controlled numbers)."""
    base = make_problem("softmax", 0, "medium")
    return dataclasses.replace(
        base,
        answer=answer,
        display=f"{answer:.{decimals}f}",
        decimals=decimals,
        tolerance=tolerance or Tolerance(rel=0.0, abs=10.0**-decimals),
        misconceptions=misconceptions,
        proportion=proportion,
    )


def named(problem: Problem, text: str) -> str | None:
    verdict = check_answer(problem, text)
    assert verdict.status == "wrong", (text, verdict)
    return verdict.misconception.name if verdict.misconception else None


# matching at the typed precision -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["96", "96.4", "96.44", "96.443", "96.4431", "96.4%"])
def test_percent_is_named_at_every_precision_the_learner_types(typed: str) -> None:
    percent = Misconception("percent", 96.44312, "Type the proportion.")
    problem = synthetic(0.9644312, (percent,), proportion=True)
    if typed.endswith("%"):  # 96.4% is read as 0.964: close to the answer, but not it
        assert check_answer(problem, typed).misconception is None
        return
    assert named(problem, typed) == "percent"


def test_a_value_typed_more_precisely_than_the_mistake_is_not_that_mistake() -> None:
    forgot = Misconception("forgot_bias", 23.0, "Add the bias.")
    problem = synthetic(31.0, (forgot,), decimals=0, tolerance=Tolerance(rel=1e-9, abs=1e-9))
    assert named(problem, "23") == "forgot_bias"
    assert named(problem, "23.0") == "forgot_bias"
    assert named(problem, "23.4") is None  # 23.4 is not 23 written to one decimal
    assert named(problem, "22.6") is None


def test_rounding_an_intermediate_differently_is_still_the_mistake() -> None:
    slip = Misconception("no_exponentials", 0.41667, "Exponentiate first.")
    problem = synthetic(0.7311, (slip,), decimals=4)
    assert named(problem, "0.42") == "no_exponentials"
    assert named(problem, "0.4167") == "no_exponentials"
    assert named(problem, "0.41667") == "no_exponentials"
    assert named(problem, "0.4166") == "no_exponentials"  # within the problem's tolerance
    assert named(problem, "0.43") is None


def test_an_answer_rounded_too_coarsely_is_never_labelled() -> None:
    near = Misconception("near", 0.7049, "A nearby mistake.")
    problem = synthetic(0.7311, (near,), decimals=4)
    assert check_answer(problem, "0.7311").status == "correct"
    assert named(problem, "0.7") is None  # the answer also rounds to 0.7: not a named mistake
    assert named(problem, "0.70") == "near"


def test_a_mistake_typed_as_the_app_shows_it_is_named_even_near_the_answer() -> None:
    """The app shows 6.0 at one decimal as "6" (trailing zeros dropped): typed, it is that."""
    forgot = Misconception("forgot_bias", 6.0, "Add the bias.")
    exact = Tolerance(rel=1e-9, abs=1e-9)
    problem = synthetic(5.8, (forgot,), decimals=1, tolerance=exact)
    assert named(problem, "6") == "forgot_bias"
    other = synthetic(5.8, (Misconception("other", 6.2, "x"),), decimals=1, tolerance=exact)
    assert named(other, "6") is None  # 5.8 and 6.2 both round to 6


def test_the_nearest_of_several_matches_wins() -> None:
    a = Misconception("a", 12.0, "a")
    b = Misconception("b", 12.4, "b")
    problem = synthetic(3.0, (a, b), decimals=1)
    assert named(problem, "12") == "a"
    assert named(problem, "12.4") == "b"
    assert named(problem, "12.3") == "b"  # within the tolerance (0.1) of b


@pytest.mark.parametrize("family", FAMILIES)
def test_a_correct_answer_is_never_labelled(family: str) -> None:
    for seed in range(30):
        for difficulty in DIFFICULTIES:
            problem = make_problem(family, seed, difficulty)
            for text in (problem.display, repr(problem.answer)):
                verdict = check_answer(problem, text)
                assert verdict.status == "correct" and verdict.misconception is None


# generic slips ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slip"),
    [
        ("-2.5", "sign_flipped"),
        ("−2.50", "sign_flipped"),
        ("0.4", "reciprocal"),
        ("25", "power_of_ten"),
        ("0.25", "power_of_ten"),
        ("2500", "power_of_ten"),
        ("2,500", "power_of_ten"),
        ("0.0025", "power_of_ten"),
        ("2.5e4", None),  # ×10^4 is beyond the slips checked
        ("-25", None),  # two slips at once are not named
        ("3.1", None),
    ],
)
def test_generic_slips_are_named_with_a_hint(typed: str, slip: str | None) -> None:
    problem = synthetic(2.5, (Misconception("forgot_bias", 1.5, "Add the bias."),), decimals=2)
    verdict = check_answer(problem, typed)
    assert verdict.status == "wrong"
    if slip is None:
        assert verdict.misconception is None
    else:
        assert verdict.misconception is not None and verdict.misconception.name == slip
        assert verdict.misconception.hint


def test_percent_is_a_slip_only_for_a_probability() -> None:
    probability = synthetic(0.25, (), decimals=3, proportion=True)
    assert named(probability, "25") == "percent"
    assert named(probability, "25.0") == "percent"
    plain = synthetic(0.25, (), decimals=3)
    assert named(plain, "25") == "power_of_ten"


def test_named_misconceptions_come_before_generic_slips() -> None:
    problem = synthetic(2.5, (Misconception("doubled", 25.0, "Do not double."),), decimals=2)
    assert named(problem, "25") == "doubled"


def test_a_slip_close_to_the_answer_is_not_named() -> None:
    problem = synthetic(0.98, (), decimals=3)  # 1/0.98 = 1.0204: just a small error
    assert named(problem, "1.02") is None


# rates over every family and difficulty --------------------------------------------------------


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("family", FAMILIES)
def test_a_random_wrong_answer_is_rarely_labelled(family: str, difficulty: str) -> None:
    """A wrong value drawn log-uniformly within a factor of 10 of the answer, typed at 3
    significant figures, gets a label at most 5% of the time."""
    rng = np.random.default_rng([FAMILIES.index(family), DIFFICULTIES.index(difficulty)])
    labelled = wrong = 0
    for seed in SEEDS:
        problem = make_problem(family, seed, difficulty)
        scale = problem.answer or 1.0
        verdict = check_answer(problem, f"{scale * 10 ** rng.uniform(-1, 1):.3g}")
        if verdict.status == "wrong":
            wrong += 1
            labelled += verdict.misconception is not None
    assert wrong >= 150
    assert labelled / wrong <= RANDOM_LABEL_LIMIT, f"{labelled}/{wrong} labelled"


def _typed(value: float, sig: int) -> tuple[str, float]:
    """value at `sig` significant figures as a learner types it, and one unit in its last place."""
    text = f"{value:#.{sig}g}"
    return text, 10.0 ** Decimal(text.rstrip(".")).as_tuple().exponent


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("family", FAMILIES)
def test_each_misconception_typed_at_2_3_4_significant_figures_gets_its_label(
    family: str, difficulty: str
) -> None:
    """Counted where the typed value identifies the mistake: neither the answer nor another
    misconception also rounds to it (at 2 figures, 1,117,941 and 1,118,041 are both 1.1e+06)."""
    hits = total = 0
    for seed in SEEDS:
        problem = make_problem(family, seed, difficulty)
        for m in problem.misconceptions:
            for sig in (2, 3, 4):
                text, step = _typed(m.answer, sig)
                typed = float(text)
                others = [problem.answer] + [o.answer for o in problem.misconceptions if o != m]
                if any(
                    math.isclose(abs(typed - o), step / 2) or abs(typed - o) < step / 2
                    for o in others
                ):
                    continue
                total += 1
                verdict = check_answer(problem, text)
                hits += verdict.misconception is not None and verdict.misconception.name == m.name
    assert total >= 300
    assert hits / total >= OWN_LABEL_FLOOR, f"{hits}/{total} labelled"


def test_a_step_is_one_unit_in_the_last_typed_place() -> None:
    for text, step in [
        ("96.44", 0.01),
        ("96", 1.0),
        ("96.", 1.0),
        (".5", 0.1),
        ("9.64e-1", 0.001),
        ("1.1E+06", 1e5),
        ("1,117,941", 1.0),
        ("311,014.5", 0.1),
    ]:
        assert math.isclose(parse_answer(text).step, step), text
    assert math.isclose(parse_answer("96.4%", proportion=True).step, 0.001)
    assert parse_answer("1/3").step == 0.0
