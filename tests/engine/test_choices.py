"""The multiple-choice form (issue 13): no rank cue, only possible options, seeded."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from engine.catalog import DIFFICULTIES, FAMILIES
from engine.problems import Problem, make_problem

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


def test_the_key_rank_is_close_to_uniform(family_problems: tuple[str, list[Problem]]) -> None:
    family, ps = family_problems
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
    family, ps = family_problems
    for p in ps:
        assert possible(p, p.answer), (p.id, p.answer)
        params = p.params
        relu = family == "activation_derivative" and params["activation"] in ("relu", "leaky_relu")
        choices = p.choices()
        if relu:
            # only two slopes are possible: both are always options, the other two are
            # misconception answers or generated values (the quiz always shows four)
            small = params["alpha"] if params["activation"] == "leaky_relu" else 0.0
            assert {small, 1.0} <= {c.value for c in choices}, p.id
            assert sum(possible(p, c.value) for c in choices) == 2, p.id
            continue
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
        assert len(choices) == 4
        assert len({c.display for c in choices}) == 4
        assert len({float(c.display) for c in choices}) == 4
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
    assert named >= len(ps), family  # on average at least one named distractor per problem


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
        assert [set(r) for r in rows] == [{"value", "display", "correct", "misconception"}] * 4
        assert [r["display"] for r in rows] == [c.display for c in p.choices()]
        assert [r["value"] for r in rows] == [c.value for c in p.choices()]
        assert [r["correct"] for r in rows] == [c.correct for c in p.choices()]
        assert [r["misconception"] for r in rows] == [c.misconception for c in p.choices()]
        names = {m.name for m in p.misconceptions}
        assert all(r["misconception"] is None or r["misconception"] in names for r in rows)
