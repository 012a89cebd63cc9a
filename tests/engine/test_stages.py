"""Step-by-step solving (engine.problems.stages) for every family that offers `stages`.

Generic over engine.catalog.FAMILIES: a family whose module gains `stages` is covered here
as soon as it lands (families whose generator is still a stub are skipped). Over seeds ×
difficulties: the stages solve to the answer; a learner who rounds every stage to its shown
decimals and carries their rounded values on is never marked wrong (and still lands on the
answer); a slip in one stage costs that stage only (the next is judged against the learner's
own value); keys are unique and labels and hints present. Closed forms and finite
differences check some stage values independently.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping

import independent_math as ref
import pytest

from engine.catalog import DIFFICULTIES, FAMILIES
from engine.problems import Problem, make_problem
from engine.problems.generate import GENERATORS
from engine.problems.model import fixed
from engine.problems.stages import Stage, judge, solve, stages_of

SEEDS = range(150)
STAGED = tuple(f for f in FAMILIES if hasattr(GENERATORS[f], "stages"))
UNSTAGED = tuple(f for f in FAMILIES if f not in STAGED)
MOST_STAGES = 8


@functools.cache
def cases(family: str) -> tuple[tuple[Problem, tuple[Stage, ...]], ...]:
    """(problem, stages) over every seed and difficulty; skips a family still stubbed."""
    out = []
    for difficulty in DIFFICULTIES:
        for seed in SEEDS:
            try:
                problem = make_problem(family, seed, difficulty)
            except NotImplementedError:
                pytest.skip(f"{family} is still a stub")
            out.append((problem, stages_of(problem)))
    return tuple(out)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


class Recording(Mapping[str, float]):
    """Earlier stages' values, noting which keys a stage reads."""

    def __init__(self, values: dict[str, float], read: set[str]) -> None:
        self.values, self.read = values, read

    def __getitem__(self, key: str) -> float:
        self.read.add(key)
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def wrong(value: float) -> float:
    """A clearly wrong value (always different from `value`)."""
    return value + 0.5 * abs(value) + 1.0


def test_the_generic_tests_cover_the_step_by_step_families() -> None:
    assert {"neuron_output", "softmax", "loss", "gradient_step", "forward_pass", "backprop"} <= set(
        STAGED
    )


@pytest.mark.parametrize("family", UNSTAGED)
def test_families_answered_in_one_step_have_no_stages(family: str) -> None:
    try:
        problem = make_problem(family, 0, "medium")
    except NotImplementedError:
        pytest.skip(f"{family} is still a stub")
    assert stages_of(problem) == ()


@pytest.mark.parametrize("family", STAGED)
def test_stages_are_well_formed(family: str) -> None:
    for problem, stages in cases(family):
        if not stages:  # a problem of the family may be answered in one step (dropout)
            continue
        assert 2 <= len(stages) <= MOST_STAGES, (problem.id, problem.difficulty, len(stages))
        keys = [s.key for s in stages]
        assert len(set(keys)) == len(keys), (problem.id, keys)
        for stage in stages:
            assert stage.key.strip() and stage.label.strip() and stage.hint.strip(), stage
            assert stage.decimals >= 0, (problem.id, stage.key)
        # the last stage is the asked quantity, shown and judged as the answer is
        assert stages[-1].decimals >= problem.decimals, (problem.id, stages[-1].key)


@pytest.mark.parametrize("family", STAGED)
def test_the_stages_solve_to_the_answer(family: str) -> None:
    for problem, stages in cases(family):
        if not stages:
            continue
        values = solve(stages)
        assert all(math.isfinite(v) for v in values.values()), (problem.id, values)
        last = values[stages[-1].key]
        assert close(last, problem.answer), (problem.id, problem.difficulty, last, problem.answer)


@pytest.mark.parametrize("family", STAGED)
def test_rounding_every_stage_to_its_shown_decimals_is_never_punished(family: str) -> None:
    for problem, stages in cases(family):
        if not stages:
            continue
        given: dict[str, float] = {}
        for index, stage in enumerate(stages):
            typed = fixed(stage.value(given), stage.decimals)
            result = judge(problem, stages, given, index, typed, float(typed))
            assert result.correct, (problem.id, problem.difficulty, stage.key, typed, result)
            given[stage.key] = float(typed)
        # carried on, the rounded intermediates still give the answer (the shown decimals
        # are enough for the stage's value: the rounding does not drift the result)
        final = given[stages[-1].key]
        assert problem.tolerance.accepts(final, problem.answer), (
            problem.id,
            problem.difficulty,
            final,
            problem.answer,
            given,
        )


@pytest.mark.parametrize("family", STAGED)
def test_a_slip_costs_one_stage_not_the_ones_after_it(family: str) -> None:
    for problem, stages in cases(family):
        if not stages:
            continue
        right = solve(stages)
        for i in range(len(stages) - 1):
            given = {s.key: right[s.key] for s in stages[:i]}
            slip = wrong(right[stages[i].key])
            if not stages[i].tolerance().accepts(slip, right[stages[i].key]):
                assert not judge(problem, stages, given, i, "", slip).correct
            given[stages[i].key] = slip
            follow = stages[i + 1].value(given)  # the next stage, from the learner's slip
            assert math.isfinite(follow), (problem.id, stages[i + 1].key)
            assert judge(problem, stages, given, i + 1, "", follow).correct
            original = right[stages[i + 1].key]
            tol = problem.tolerance if i + 1 == len(stages) - 1 else stages[i + 1].tolerance()
            if not tol.accepts(original, follow):
                assert not judge(problem, stages, given, i + 1, "", original).correct

        # every stage but the last is read by a later one: its value is carried forward
        read: set[str] = set()
        values: dict[str, float] = {}
        for stage in stages:
            values[stage.key] = stage.value(Recording(values, read))
        unread = [s.key for s in stages[:-1] if s.key not in read]
        assert not unread, (problem.id, problem.difficulty, unread)


# -- independent checks of stage values ------------------------------------------------


def staged(family: str) -> list[tuple[Problem, dict[str, float]]]:
    return [(problem, solve(stages)) for problem, stages in cases(family) if stages]


def test_softmax_exponentials_and_their_sum() -> None:
    for problem, values in staged("softmax"):
        logits = problem.params["logits"]
        for j, v in enumerate(logits):
            assert close(values[f"exp{j + 1}"], math.e**v)
        assert close(values["sum"], math.fsum(math.e**v for v in logits))
        assert close(values["p"], ref.softmax(logits)[problem.params["index"]])


def test_loss_terms_against_the_textbook_formulas() -> None:
    for problem, values in staged("loss"):
        y, p, name = problem.params["y_true"], problem.params["y_pred"], problem.params["loss"]
        terms = [v for key, v in values.items() if key != "loss"]
        if name == "mse":
            expected = [(a - b) ** 2 for a, b in zip(y, p, strict=True)]
        elif name == "binary_cross_entropy":
            expected = [
                math.log(b) if a == 1 else math.log(1 - b) for a, b in zip(y, p, strict=True)
            ]
        else:
            expected = [a * math.log(b) for a, b in zip(y, p, strict=True) if a > 0]
        assert len(terms) == len(expected)
        assert all(close(t, e) for t, e in zip(terms, expected, strict=True)), problem.id
        assert close(values["loss"], ref.loss(name, y, p))


def test_gradient_step_delta_is_the_slope_of_the_loss_in_z() -> None:
    for problem, values in staged("gradient_step"):
        p = problem.params
        z = sum(a * b for a, b in zip(p["x"], p["w"], strict=True)) + p["b"]
        assert close(values["z"], z)

        def loss_at(v: float, p: dict = p) -> float:
            return ref.loss(p["loss"], [p["target"]], [ref.activation(p["activation"], v)])

        fd = ref.central_difference(loss_at, z)
        assert math.isclose(values["delta"], fd, rel_tol=1e-5, abs_tol=1e-7), problem.id
        if "a" in values:
            assert close(values["a"], ref.activation(p["activation"], z))
        if "fprime" in values:
            assert close(values["fprime"], ref.slope(p["activation"], z))


def test_forward_pass_hidden_units_match_a_loop_forward_pass() -> None:
    for problem, values in staged("forward_pass"):
        layers = problem.params["layers"]
        for k in range(len(layers) - 1):
            outputs = ref.forward(problem.params["x"], layers[: k + 1])
            for j, v in enumerate(outputs):
                assert close(values[f"{'hgk'[k]}{j + 1}"], v), problem.id


def test_backprop_delta_is_the_slope_of_the_loss_in_that_units_bias() -> None:
    """dL/db = δ: the δ of the asked unit by finite differences of a loop forward pass."""
    for problem, values in staged("backprop"):
        p = problem.params
        layers = [dict(layer, b=list(layer["b"])) for layer in p["layers"]]
        k, j = p["wrt"]["layer"], p["wrt"]["index"][0]
        bias = layers[k]["b"]
        keep = bias[j]

        def loss_at(
            theta: float, bias: list = bias, j: int = j, p: dict = p, layers: list = layers
        ) -> float:
            bias[j] = theta
            return ref.loss(p["loss"], p["target"], ref.forward(p["x"], layers))

        fd = ref.central_difference(loss_at, keep)
        bias[j] = keep
        delta = values[f"delta{k + 1}_{j + 1}"]
        assert math.isclose(delta, fd, rel_tol=1e-5, abs_tol=1e-7), (problem.id, delta, fd)
