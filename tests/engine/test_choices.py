"""The multiple-choice form (issue 13): no rank cue, only possible options, seeded.

The rule: four options, or all the possible values when the asked quantity has at most
four (a ReLU slope is 0 or 1, a leaky ReLU slope α or 1: two options, both possible; a class
label or a centroid's number: one option per class or centroid).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter

import pytest
from independent_math import few_values

from engine.catalog import DIFFICULTIES, FAMILIES
from engine.problems import Problem, make_problem
from engine.problems.model import Domain

SEEDS = range(400)
MAX_DEVIATION = 0.04  # each rank's share within 25% ± 4 points over 1,200 problems


def problems(family: str) -> list[Problem]:
    return [make_problem(family, s, d) for d in DIFFICULTIES for s in SEEDS]


@pytest.fixture(scope="module", params=FAMILIES)
def family_problems(request: pytest.FixtureRequest) -> tuple[str, list[Problem]]:
    return request.param, problems(request.param)


def key_rank(p: Problem) -> int:
    values = sorted(c.value for c in p.choices())
    return values.index(next(c.value for c in p.choices() if c.correct))


def option_count(p: Problem) -> int:
    few = few_values(p)
    return 4 if few is None else len(few)


def test_the_key_rank_is_close_to_uniform(family_problems: tuple[str, list[Problem]]) -> None:
    """Among four options; with fewer, every possible value is shown, so no rank is a cue."""
    family, ps = family_problems
    ps = [p for p in ps if few_values(p) is None]
    if not ps:
        return
    ranks = Counter(key_rank(p) for p in ps)
    shares = [ranks[r] / len(ps) for r in range(4)]
    assert max(abs(share - 0.25) for share in shares) <= MAX_DEVIATION, (family, shares)
    # and a chi-square test (3 degrees of freedom, p = 0.001 -> 16.27)
    expected = len(ps) / 4
    assert sum((ranks[r] - expected) ** 2 / expected for r in range(4)) < 16.27, shares


def possible(p: Problem, value: float) -> bool:
    """Whether the asked quantity can take `value` (written from the family, not the engine)."""
    params, family = p.params, p.family
    if p.proportion or family == "softmax":
        return 0 < value < 1
    if family == "activation_derivative":
        activation = params["activation"]
        if activation == "sigmoid":
            return 0 < value <= 0.25
        if activation == "tanh":
            return 0 < value <= 1
        return value in (1.0, params["alpha"] if activation == "leaky_relu" else 0.0)
    if family == "decision_tree":
        parent = [a + b for a, b in zip(params["left"], params["right"], strict=True)]
        shares = [c / sum(parent) for c in parent]
        gini = params["criterion"] == "gini"
        if params["ask"] == "gain":  # between 0 and the parent's impurity
            top = 1 - sum(s * s for s in shares) if gini else -sum(s * math.log2(s) for s in shares)
        else:  # at most the impurity of an even mix of the classes
            top = 1 - 1 / len(parent) if gini else math.log2(len(parent))
        return 0 <= value <= top + 0.5 * 10.0**-p.decimals  # (or rounds to it)
    few = few_values(p)
    if family in ("k_means", "knn", "random_forest") and few is not None:
        return value in few  # a centroid's number, or a class in the table or the votes
    if family == "k_means":  # the update: a mean of some of the points' coordinates
        column = [q[params["ask"]["update"][1]] for q in params["points"]]
        return min(column) <= value <= max(column)
    if family == "knn":  # the k-th distance
        return value >= 0
    output = None
    if family == "neuron_output":
        output = params["activation"]
    elif family == "forward_pass":
        output = params["layers"][-1]["activation"]
    if output == "relu":
        return value >= 0
    if output == "tanh":
        return -1 < value < 1
    if family == "loss":
        return value >= 0
    if family in ("param_count", "training_iterations"):
        return value >= 0 and value == int(value)
    return math.isfinite(value)


def test_every_option_is_possible(family_problems: tuple[str, list[Problem]]) -> None:
    _, ps = family_problems
    for p in ps:
        assert possible(p, p.answer), (p.id, p.answer)
        choices = p.choices()
        few = few_values(p)
        if few is not None:  # only these values are possible: exactly they are the options
            assert sorted(c.value for c in choices) == sorted(few), p.id
        for c in choices:
            assert possible(p, c.value) and possible(p, float(c.display)), (p.id, c)


def test_sigmoid_slopes_are_never_above_a_quarter() -> None:
    for d in DIFFICULTIES:
        for s in SEEDS:
            p = make_problem("activation_derivative", s, d)
            if p.params["activation"] == "sigmoid":
                assert all(0 < c.value <= 0.25 for c in p.choices()), p.id


def test_displays_are_distinct_and_match_values(
    family_problems: tuple[str, list[Problem]],
) -> None:
    _, ps = family_problems
    for p in ps:
        choices = p.choices()
        assert len(choices) == option_count(p), p.id
        assert len({c.display for c in choices}) == len(choices)
        assert len({float(c.display) for c in choices}) == len(choices)
        assert [c.correct for c in choices].count(True) == 1
        for c in choices:
            assert float(c.display) == float(p.show(c.value))
            assert len(c.display.partition(".")[2]) <= p.decimals
            if c.correct:
                assert (c.value, c.display, c.misconception) == (p.answer, p.display, None)


def test_misconceptions_are_preferred(family_problems: tuple[str, list[Problem]]) -> None:
    """A generated value only fills a side of the key no unused possible misconception is on."""
    family, ps = family_problems
    named = 0
    for p in ps:
        choices = p.choices()
        used = {c.misconception for c in choices}
        shown = {float(c.display) for c in choices}
        for side in (-1, 1):
            filled = [
                c
                for c in choices
                if c.misconception is None and not c.correct and (c.value - p.answer) * side > 0
            ]
            if not filled:
                continue
            for m in p.misconceptions:
                if m.name in used or (m.answer - p.answer) * side <= 0:
                    continue
                text = p.show(m.answer)
                assert not (
                    possible(p, m.answer) and possible(p, float(text)) and float(text) not in shown
                ), (p.id, m.name, [c.display for c in filled])
        named += sum(c.misconception is not None for c in choices)
    # at least a third of the distractors are named (one per problem when there are three)
    assert 3 * named >= sum(len(p.choices()) - 1 for p in ps), family


def test_choices_are_a_function_of_the_seed() -> None:
    for family in FAMILIES:
        for d in DIFFICULTIES:
            for s in (0, 3, 77, 4096):
                p, q = make_problem(family, s, d), make_problem(family, s, d)
                assert p.choices() == q.choices() == p.choices()
                assert p.to_json()["choices"] == q.to_json()["choices"]


def test_export_lists_the_choices_in_display_order() -> None:
    for family in FAMILIES:
        p = make_problem(family, 11, "medium")
        exported = json.loads(json.dumps(p.to_json(), allow_nan=False))
        rows = exported["choices"]
        assert [set(r) for r in rows] == [
            {"value", "display", "correct", "misconception"}
        ] * option_count(p)
        assert [r["display"] for r in rows] == [c.display for c in p.choices()]
        assert [r["value"] for r in rows] == [c.value for c in p.choices()]
        assert [r["correct"] for r in rows] == [c.correct for c in p.choices()]
        assert [r["misconception"] for r in rows] == [c.misconception for c in p.choices()]
        names = {m.name for m in p.misconceptions}
        assert all(r["misconception"] is None or r["misconception"] in names for r in rows)


def test_a_relu_slope_offers_exactly_its_two_values() -> None:
    """Both possible slopes, one of them the key; the wrong one is named when a misconception
    gives it (sides_swapped always does)."""
    seen = set()
    for d in DIFFICULTIES:
        for s in SEEDS:
            p = make_problem("activation_derivative", s, d)
            few = few_values(p)
            if few is None:
                continue
            seen.add(p.params["activation"])
            choices = p.choices()
            assert len(choices) == 2 and [c.correct for c in choices].count(True) == 1, p.id
            wrong = next(c for c in choices if not c.correct)
            assert wrong.misconception == "sides_swapped", (p.id, wrong)
    assert seen == {"relu", "leaky_relu"}


def test_earlier_rules_still_show_four_options() -> None:
    """Attempts recorded under rules 1 and 2 are rebuilt with them: both always showed four."""
    for s in range(60):
        p = make_problem("activation_derivative", s, "hard")
        if few_values(p) is None:
            continue
        assert len(p.choices(3)) == 2
        for version in (1, 2):
            old = p.choices(version)
            assert len(old) == 4 and [c.correct for c in old].count(True) == 1, (p.id, version)
        small, _ = few_values(p) or (0.0, 1.0)
        assert {small, 1.0} <= {c.value for c in p.choices(2)}, p.id


def test_more_than_four_listed_values_show_the_answer_and_three_of_them() -> None:
    """Rule 3 with more possible values than options (a class among seven): four of them,
    values some misconception gives first (each named after it), the rest drawn by the seed."""
    seen_generated = set()
    for seed in range(40):
        p = make_problem("random_forest", seed, "medium")
        if p.params["ask"] != "class":
            continue
        seven = dataclasses.replace(p, domain=Domain(values=tuple(float(c) for c in range(7))))
        choices = seven.choices()
        assert len(choices) == 4 and [c.correct for c in choices].count(True) == 1, p.id
        assert all(c.value in range(7) for c in choices), p.id
        shown = {m.name: float(p.show(m.answer)) for m in p.misconceptions}  # as typed
        given = {v: name for name, v in shown.items() if v in range(7) and v != p.answer}
        named = {c.value: c.misconception for c in choices if c.misconception is not None}
        assert len(named) == min(3, len(given)), (p.id, named, given)
        assert all(given[v] == name for v, name in named.items()), p.id
        assert choices == seven.choices()  # a function of the seed
        seen_generated.add(frozenset(c.value for c in choices if c.misconception is None))
        assert seven.choices(1) == p.choices(1)  # rule 1 never looked at the domain
    assert len(seen_generated) > 5  # the unnamed values vary with the seed
