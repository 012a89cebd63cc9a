"""Every family × difficulty over 1,000 seeds: answers checked by an independent method.

Single-neuron families use closed forms in plain Python; gradient_step and backprop use
central finite differences of an independent forward pass and loss; forward_pass uses a
loop implementation. Each problem is also checked for well-posedness (finite numbers,
misconceptions distinguishable after rounding) and for a valid multiple-choice form.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from typing import Any

import independent_math as ref
import pytest

from engine.answers import check_answer
from engine.catalog import DIFFICULTIES, FAMILIES, SCENARIOS
from engine.problems import Problem, make_problem
from engine.problems.model import fixed

SEEDS = range(1000)

PARAM_KEYS = {
    "weighted_sum": {"x", "w", "b"},
    "neuron_output": {"x", "w", "b", "activation", "alpha"},
    "activation_derivative": {"z", "activation", "alpha"},
    "softmax": {"logits", "index"},
    "loss": {"y_true", "y_pred", "loss"},
    "gradient_step": {"x", "w", "b", "activation", "target", "loss", "lr", "ask", "index"},
    "forward_pass": {"x", "layers", "index"},
    "backprop": {"x", "layers", "target", "loss", "wrt"},
    "param_count": {"input_dim", "units", "stack"},
    "training_iterations": {"n_samples", "batch_size", "epochs", "ask"},
}


def dot(x: list[float], w: list[float]) -> float:
    return sum(a * b for a, b in zip(x, w, strict=True))


def ref_weighted_sum(p: dict) -> float:
    return dot(p["x"], p["w"]) + p["b"]


def ref_neuron_output(p: dict) -> float:
    return ref.activation(p["activation"], dot(p["x"], p["w"]) + p["b"], p["alpha"])


def ref_activation_derivative(p: dict) -> float:
    z, act, alpha = p["z"], p["activation"], p["alpha"]
    closed = ref.slope(act, z, alpha)
    fd = ref.central_difference(lambda v: ref.activation(act, v, alpha), z)
    assert math.isclose(closed, fd, rel_tol=1e-6, abs_tol=1e-8)
    return closed


def ref_softmax(p: dict) -> float:
    return ref.softmax(p["logits"])[p["index"]]


def ref_loss(p: dict) -> float:
    return ref.loss(p["loss"], p["y_true"], p["y_pred"])


def ref_gradient_step(p: dict) -> float:
    x, w, b = p["x"], list(p["w"]), p["b"]

    def loss_at(theta: float) -> float:
        ws, bias = list(w), b
        if p["ask"] == "w":
            ws[p["index"]] = theta
        else:
            bias = theta
        a = ref.activation(p["activation"], dot(x, ws) + bias)
        return ref.loss(p["loss"], [p["target"]], [a])

    old = w[p["index"]] if p["ask"] == "w" else b
    return old - p["lr"] * ref.central_difference(loss_at, old)


def ref_forward_pass(p: dict) -> float:
    return ref.forward(p["x"], p["layers"])[p["index"]]


def ref_backprop(p: dict) -> float:
    layers = json.loads(json.dumps(p["layers"]))  # a private copy to perturb
    wrt = p["wrt"]
    layer = layers[wrt["layer"]]
    if wrt["param"] == "W":
        j, i = wrt["index"]
        row, col = layer["W"][j], i
    else:
        row, col = layer["b"], wrt["index"][0]
    keep = row[col]

    def loss_at(theta: float) -> float:
        row[col] = theta
        return ref.loss(p["loss"], p["target"], ref.forward(p["x"], layers))

    return ref.central_difference(loss_at, keep)


def ref_param_count(p: dict) -> float:
    widths = [p["input_dim"], *p["units"]]
    return sum((fan_in + 1) * units for fan_in, units in itertools.pairwise(widths))


def ref_training_iterations(p: dict) -> float:
    # hard asks the batch size or the epochs back from the updates (params hold all three)
    if p["ask"] != "updates":
        return p[p["ask"]]
    return math.ceil(p["n_samples"] / p["batch_size"]) * p["epochs"]


INDEPENDENT: dict[str, Callable[[dict], float]] = {
    "weighted_sum": ref_weighted_sum,
    "neuron_output": ref_neuron_output,
    "activation_derivative": ref_activation_derivative,
    "softmax": ref_softmax,
    "loss": ref_loss,
    "gradient_step": ref_gradient_step,
    "forward_pass": ref_forward_pass,
    "backprop": ref_backprop,
    "param_count": ref_param_count,
    "training_iterations": ref_training_iterations,
}
FINITE_DIFFERENCES = {"gradient_step", "backprop"}


def numbers_in(value: Any) -> list[float]:
    if isinstance(value, (bool, str)):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_in(v)]
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in numbers_in(v)]
    raise AssertionError(f"params hold a non-JSON value {value!r}")


def plain(text: str) -> str:
    return text.replace("−", "-").replace(",", "")


def check_problem(p: Problem, family: str, seed: int, difficulty: str) -> None:
    assert p.id == f"{family}@{seed}"
    assert (p.family, p.seed, p.difficulty) == (family, seed, difficulty)
    assert p.scenario in SCENARIOS
    assert set(p.params) == PARAM_KEYS[family]
    assert all(math.isfinite(v) for v in numbers_in(p.params))

    # the answer agrees with an independent computation
    want = INDEPENDENT[family](p.params)
    slack = (
        1e-6 * max(1.0, abs(want)) if family in FINITE_DIFFERENCES else 1e-9 * max(1.0, abs(want))
    )
    assert abs(p.answer - want) <= slack, (p.id, p.answer, want)
    assert p.tolerance.accepts(want, p.answer)

    # rounding and well-posedness
    assert math.isfinite(p.answer)
    assert p.display == fixed(p.answer, p.decimals)
    assert p.tolerance.accepts(float(p.display), p.answer)
    if p.proportion:
        assert 0 < p.answer < 1 and p.display not in ("0", "1")

    # misconceptions: at least three, distinguishable from the answer and from each other
    assert len(p.misconceptions) >= 3
    shown = [p.show(m.answer) for m in p.misconceptions]
    rounded = {float(text) for text in shown}  # "2" and "2.0" count as the same
    assert len(rounded) == len(shown) and float(p.display) not in rounded
    for m, text in zip(p.misconceptions, shown, strict=True):
        assert math.isfinite(m.answer) and m.hint and m.name
        assert not p.tolerance.accepts(m.answer, p.answer)
        verdict = check_answer(p, text)
        assert verdict.status == "wrong", (p.id, m.name, text)
        assert verdict.misconception is not None and verdict.misconception.name == m.name

    # multiple choice: four distinct displays, exactly one correct
    choices = p.choices()
    assert len(choices) == 4
    assert len({float(c.display) for c in choices}) == 4
    assert [c.correct for c in choices].count(True) == 1
    names = {m.name for m in p.misconceptions}
    for c in choices:
        assert c.misconception is None or (not c.correct and c.misconception in names)
        assert float(c.display) == float(p.show(c.value))
    assert any(c.correct and c.display == p.display for c in choices)
    assert choices == p.choices()

    # typing the shown answer is correct, also as a percentage for probabilities
    assert check_answer(p, p.display).status == "correct"
    if p.proportion:
        assert check_answer(p, fixed(100 * p.answer, max(p.decimals - 2, 0)) + "%").status == (
            "correct"
        )

    # wording: a prompt, steps ending in the answer, JSON-ready export
    assert p.prompt.strip() and all(isinstance(s, str) and s for s in p.steps)
    assert plain(p.display) in plain(p.steps[-1]), (p.id, p.steps[-1])
    exported = json.loads(json.dumps(p.to_json(), allow_nan=False))
    assert exported["answer"] == p.answer and exported["params"] == p.params


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("family", FAMILIES)
def test_every_seed_is_correct_and_well_posed(family: str, difficulty: str) -> None:
    for seed in SEEDS:
        check_problem(make_problem(family, seed, difficulty), family, seed, difficulty)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_scenario_works_for_every_family(family: str) -> None:
    for scenario in SCENARIOS:
        for seed in range(20):
            p = make_problem(family, seed, "medium", scenario)
            assert p.scenario == scenario
            check_problem(p, family, seed, "medium")


@pytest.mark.parametrize("family", FAMILIES)
def test_no_scenario_means_the_seed_picks_one(family: str) -> None:
    picked = {make_problem(family, seed, "easy").scenario for seed in range(60)}
    assert len(picked) >= 4
    p = make_problem(family, 7, "hard")
    assert make_problem(family, 7, "hard", p.scenario) == p


@pytest.mark.parametrize("family", FAMILIES)
def test_difficulty_changes_the_problem_size(family: str) -> None:
    def size(p: Problem) -> float:
        params = p.params
        if "layers" in params:
            return len(params["layers"]) * 100 + sum(len(layer["b"]) for layer in params["layers"])
        if family == "param_count":
            return len(params["units"]) * 1e6 + params["input_dim"]
        if family == "training_iterations":
            return params["n_samples"] * params["epochs"]
        if family == "activation_derivative":
            return abs(params["z"]) + ({"sigmoid": 0, "relu": 0}.get(params["activation"], 10))
        return len(numbers_in(params)) + sum(abs(v) for v in numbers_in(params)) / 1000

    means = []
    for difficulty in DIFFICULTIES:
        sizes = [size(make_problem(family, seed, difficulty)) for seed in range(200)]
        means.append(sum(sizes) / len(sizes))
    assert means[0] < means[1] < means[2], means


def test_unknown_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="family"):
        make_problem("nope", 1, "easy")
    with pytest.raises(ValueError, match="difficulty"):
        make_problem("softmax", 1, "extreme")
    with pytest.raises(ValueError, match="scenario"):
        make_problem("softmax", 1, "easy", "moon")


def test_every_family_has_a_generator() -> None:
    """The catalog (cheap, no NumPy) and the generators' table name the same families."""
    from engine.problems.generate import GENERATORS

    assert tuple(GENERATORS) == FAMILIES
    for family, module in GENERATORS.items():
        assert module.__name__ == f"engine.problems.{family}"
