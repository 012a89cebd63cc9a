"""Fair to a careful learner (issue 13): stated conventions, a rounding rule that works, and
inputs that make sense for the feature they are shown as."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pytest

from engine.activations import activate, derivative
from engine.answers import check_answer
from engine.catalog import DIFFICULTIES, SCENARIOS
from engine.problems import Problem, make_problem
from engine.problems.scenarios import SETTINGS, STANDARDISED
from engine.problems.text import KEEP

Round = Callable[[float], float]
MULTI_STEP = (
    "neuron_output",
    "activation_derivative",
    "softmax",
    "gradient_step",
    "forward_pass",
    "backprop",
)
SEEDS = range(300)


def sig6(v: float) -> float:
    """The prompt's rule: keep 6 significant figures."""
    return float(f"{float(v):.6g}")


def _act(name: str, z: float, alpha: float, r: Round) -> float:
    """f(z) the way the worked solution computes it, each intermediate rounded."""
    if name == "sigmoid":
        return r(1.0 / (1.0 + r(math.exp(-z))))
    if name == "tanh":
        e2 = r(math.exp(-2 * z))
        return r((1 - e2) / (1 + e2))
    return r(float(activate(name, z, alpha)))


def _slope(name: str, z: float, a: float, alpha: float, r: Round) -> float:
    if name == "sigmoid":
        return r(a * (1 - a))
    if name == "tanh":
        return r(1 - a * a)
    return float(derivative(name, z, alpha))


def _forward(p: Problem, r: Round) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    a = np.array(p.params["x"], dtype=float)
    inputs, zs, outs = [], [], []
    for layer in p.params["layers"]:
        W, b, name = np.array(layer["W"]), np.array(layer["b"]), layer["activation"]
        alpha = layer.get("alpha", 0.01)
        z = np.array([r(v) for v in W @ a + b])
        if name == "softmax":
            exps = [r(math.exp(v)) for v in z]
            total = r(sum(exps))
            out = np.array([r(e / total) for e in exps])
        else:
            out = np.array([_act(name, float(v), alpha, r) for v in z])
        inputs.append(a)
        zs.append(z)
        outs.append(out)
        a = out
    return inputs, zs, outs


def learner_answer(p: Problem, r: Round) -> float:
    """The answer of a learner who rounds every intermediate result with r."""
    q = p.params
    if p.family == "neuron_output":
        z = r(sum(x * w for x, w in zip(q["x"], q["w"], strict=True)) + q["b"])
        return _act(q["activation"], z, q["alpha"], lambda v: v if v is None else r(v))
    if p.family == "activation_derivative":
        z, name = q["z"], q["activation"]
        return _slope(name, z, _act(name, z, q["alpha"], r), q["alpha"], lambda v: v)
    if p.family == "softmax":
        exps = [r(math.exp(v)) for v in q["logits"]]
        return exps[q["index"]] / r(sum(exps))
    if p.family == "gradient_step":
        name, y, alpha = q["activation"], q["target"], 0.01
        z = r(sum(x * w for x, w in zip(q["x"], q["w"], strict=True)) + q["b"])
        a = _act(name, z, alpha, r)
        if q["loss"] == "binary_cross_entropy":
            delta = r(a - y)
        else:
            delta = r(r(2 * (a - y)) * _slope(name, z, a, alpha, r))
        if q["ask"] == "w":
            grad = r(delta * q["x"][q["index"]])
            old = q["w"][q["index"]]
        else:
            grad, old = delta, q["b"]
        return old - q["lr"] * grad
    inputs, zs, outs = _forward(p, r)
    if p.family == "forward_pass":
        return float(outs[-1][q["index"]])
    # backprop
    layers, loss, y = q["layers"], q["loss"], np.array(q["target"], dtype=float)
    out, n = outs[-1], outs[-1].size
    last = layers[-1]["activation"]
    if loss == "categorical_cross_entropy" and last == "softmax":
        delta = np.array([r(v) for v in out - y])
    elif loss == "binary_cross_entropy" and last == "sigmoid":
        delta = np.array([r(v) for v in (out - y) / n])
    else:
        g = np.array([r(v) for v in 2 * (out - y) / n])
        fp = [_slope(last, float(z), float(a), 0.01, r) for z, a in zip(zs[-1], out, strict=True)]
        delta = np.array([r(v) for v in g * np.array(fp)])
    wrt = q["wrt"]
    for k in range(len(layers) - 1, wrt["layer"], -1):
        up = np.array([r(v) for v in np.array(layers[k]["W"]).T @ delta])
        lower = layers[k - 1]
        alpha = lower.get("alpha", 0.01)
        fp = [
            _slope(lower["activation"], float(z), float(a), alpha, r)
            for z, a in zip(zs[k - 1], outs[k - 1], strict=True)
        ]
        delta = np.array([r(v) for v in up * np.array(fp)])
    if wrt["param"] == "W":
        j, i = wrt["index"]
        return float(delta[j] * inputs[wrt["layer"]][i])
    return float(delta[wrt["index"][0]])


def share_correct(family: str, rule: Callable[[Problem], Round]) -> float:
    judged = [
        check_answer(p, f"{learner_answer(p, rule(p)):.{p.decimals}f}").status == "correct"
        for d in DIFFICULTIES
        for p in (make_problem(family, s, d) for s in SEEDS)
    ]
    return sum(judged) / len(judged)


@pytest.mark.parametrize("family", MULTI_STEP)
def test_the_prompt_states_the_rounding_rule(family: str) -> None:
    for d in DIFFICULTIES:
        assert KEEP in make_problem(family, 1, d).prompt


@pytest.mark.parametrize("family", MULTI_STEP)
def test_rounding_intermediates_as_told_is_judged_correct(family: str) -> None:
    assert share_correct(family, lambda p: sig6) >= 0.995


def test_the_learner_model_matches_the_engine_without_rounding() -> None:
    for family in MULTI_STEP:
        for d in DIFFICULTIES:
            for s in range(40):
                p = make_problem(family, s, d)
                assert learner_answer(p, lambda v: v) == pytest.approx(p.answer, abs=1e-9), p.id


def _shown_x(p: Problem) -> list[tuple[object, float]]:
    """(declared feature, input value) pairs, the features found in the prompt's table."""
    setting = SETTINGS[p.scenario]
    shown = [f for f in setting.inputs if f.label in p.prompt]
    assert len(shown) == len(p.params["x"]), p.id
    return list(zip(shown, p.params["x"], strict=True))


@pytest.mark.parametrize("family", ("weighted_sum", "neuron_output", "gradient_step"))
def test_named_inputs_lie_in_their_declared_ranges(family: str) -> None:
    for d in DIFFICULTIES:
        for scenario in SCENARIOS:
            for s in range(100):
                p = make_problem(family, s, d, scenario)
                for feature, x in _shown_x(p):
                    assert feature.admits(x), (p.id, d, scenario, feature, x)  # type: ignore[attr-defined]


@pytest.mark.parametrize("family", ("forward_pass", "backprop"))
def test_network_inputs_are_standardised_features(family: str) -> None:
    for d in DIFFICULTIES:
        for scenario in SCENARIOS:
            for s in range(100):
                p = make_problem(family, s, d, scenario)
                assert "standardised features" in p.prompt
                assert all(STANDARDISED.admits(x) for x in p.params["x"]), p.id


def test_flags_ratings_and_brightness_are_declared_as_such() -> None:
    for setting in SETTINGS.values():
        assert len(setting.inputs) >= 6
        for f in setting.inputs:
            if "flag" in f.name or f.unit.startswith("0 = no"):
                assert (f.lo, f.hi, f.decimals) == (0, 1, 0), f
            if "rating" in f.name:
                assert (f.lo, f.hi) == (1, 5), f
            if "brightness" in f.name:
                assert (f.lo, f.hi) == (0, 1), f
            if f.unit == "count" or f.unit == "minutes" or f.unit == "words":
                assert f.lo >= 0 and f.decimals == 0, f
            if "time of day" in f.name:
                assert f.lo >= 0 and f.hi < 24, f


def _numbers(text: str) -> list[float]:
    return [float(v.replace("−", "-")) for v in re.findall(r"−?\d+(?:\.\d+)?", text)]


def _adds_up(p: Problem, line: str) -> bool:
    """A sum line "terms = / ≈ result": the shown terms give the shown result (to rounding)."""
    lhs, rhs = re.split(r" [=≈] (?=[^=≈]*$)", line.split(": ", 1)[1])
    if "=" in lhs:
        lhs = lhs.rsplit(" = ", 1)[1]
    terms, result = _numbers(lhs), _numbers(rhs)[0]
    places = max(len(t.split(".")[1]) if "." in t else 0 for t in re.findall(r"[\d.]+", line))
    return abs(sum(terms) - result) <= (len(terms) + 1) * 0.5 * 10.0**-places + 1e-12


@pytest.mark.parametrize("family", ("weighted_sum", "neuron_output", "softmax"))
def test_shown_sums_add_up(family: str) -> None:
    checked = 0
    for d in DIFFICULTIES:
        for s in range(100):
            p = make_problem(family, s, d)
            for line in p.steps:
                if line.startswith(("Sum: ", "Add the products: ", "Add the bias: ")):
                    assert _adds_up(p, line), (p.id, line)
                    checked += 1
    assert checked >= 100


def test_the_update_line_adds_up_as_shown() -> None:
    """θ − lr × g with the shown g gives the shown answer within one unit of its last place."""
    misses = 0
    total = 0
    for d in DIFFICULTIES:
        for s in range(300):
            p = make_problem("gradient_step", s, d)
            old, lr, g, new = _numbers(p.steps[-1].split(" = ", 1)[1])[-4:]
            total += 1
            misses += abs(old - lr * g - new) > 10.0**-p.decimals + 1e-12
    assert misses / total <= 0.005, misses
