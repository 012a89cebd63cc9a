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
from collections import Counter
from collections.abc import Callable
from typing import Any

import independent_math as ref
import pytest
from independent_math import few_values

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
    "dropout": {"activations", "mask", "rate", "mode", "index"},
    "classification_metrics": {"tp", "fp", "fn", "tn", "metric"},
    "regression_metrics": {"y_true", "y_pred", "metric"},
    "linear_regression": {"x", "y", "ask", "x_new"},
    "logistic_regression": {"x", "w", "b", "ask"},
    "knn": {"points", "labels", "query", "k", "ask"},
    "k_means": {"points", "centroids", "ask"},
    "decision_tree": {"left", "right", "criterion", "ask"},
    "random_forest": {"votes", "ask", "class"},
    "svm": {"w", "b", "x", "ask"},
    "naive_bayes": {"class_counts", "feature_counts", "x", "alpha", "index"},
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


def ref_linear_regression(p: dict) -> float:
    # the normal equations [n Σx; Σx Σx²] [a; b] = [Σy; Σxy], solved by Cramer's rule
    x, y = p["x"], p["y"]
    n, sx, sy = len(x), math.fsum(x), math.fsum(y)
    sxx = math.fsum(v * v for v in x)
    sxy = math.fsum(u * v for u, v in zip(x, y, strict=True))
    det = n * sxx - sx * sx
    b = (n * sxy - sx * sy) / det
    a = (sxx * sy - sx * sxy) / det
    return {"slope": b, "intercept": a, "predict": a + b * p["x_new"]}[p["ask"]]


def ref_logistic_regression(p: dict) -> float:
    z = dot(p["x"], p["w"]) + p["b"]
    return z if p["ask"] == "log_odds" else ref.sigmoid(z)


def ref_naive_bayes(p: dict) -> float:
    # Bernoulli naive Bayes in log space, normalised with log-sum-exp
    counts, alpha, x = p["class_counts"], p["alpha"], p["x"]
    total = sum(counts)
    logs = []
    for n_c, feats in zip(counts, p["feature_counts"], strict=True):
        s = math.log(n_c / total)
        for present, c in zip(x, feats, strict=True):
            q = (c + alpha) / (n_c + 2 * alpha)
            s += math.log(q if present else 1 - q)
        logs.append(s)
    top = max(logs)
    return math.exp(logs[p["index"]] - top) / sum(math.exp(v - top) for v in logs)


def _plurality(labels: list[int]) -> int:
    top = Counter(labels).most_common()
    assert len(top) == 1 or top[0][1] > top[1][1], labels  # no tied vote
    return top[0][0]


def ref_knn(p: dict) -> float:
    # Euclidean distance to every point, the k smallest, then a plain vote
    ranked = sorted(
        (math.dist(point, p["query"]), label)
        for point, label in zip(p["points"], p["labels"], strict=True)
    )
    k = p["k"]
    assert ranked[k - 1][0] < ranked[k][0]  # no tie at the k-th distance
    if p["ask"] == "distance":
        return ranked[k - 1][0]
    return _plurality([label for _, label in ranked[:k]])


def ref_k_means(p: dict) -> float:
    # one Lloyd step: nearest centroid (Euclidean) for every point, then a plain mean
    def nearest(point: list[float]) -> int:
        d = [math.dist(point, c) for c in p["centroids"]]
        assert sorted(d)[0] < sorted(d)[1]  # never equidistant
        return d.index(min(d))

    ask = p["ask"]
    if "assign" in ask:
        return nearest(p["points"][ask["assign"]])
    cluster, coord = ask["update"]
    members = [q[coord] for q in p["points"] if nearest(q) == cluster]
    return math.fsum(members) / len(members)


def ref_decision_tree(p: dict) -> float:
    def impurity(counts: list[int]) -> float:
        n = sum(counts)
        shares = [c / n for c in counts if c]
        if p["criterion"] == "gini":
            return 1 - math.fsum(s * s for s in shares)
        return -math.fsum(s * math.log2(s) for s in shares)

    left, right = p["left"], p["right"]
    parent = impurity([a + b for a, b in zip(left, right, strict=True)])
    if p["ask"] == "parent_impurity":
        return parent
    nl, nr = sum(left), sum(right)
    return parent - (nl * impurity(left) + nr * impurity(right)) / (nl + nr)


def ref_random_forest(p: dict) -> float:
    votes = p["votes"]
    if p["ask"] == "class":
        return _plurality(votes)
    return Counter(votes)[p["class"]] / len(votes)


def ref_dropout(p: dict) -> float:
    a = p["activations"][p["index"]]
    if p["mode"] == "inference":
        return a  # inverted dropout is the identity at inference
    return a * p["mask"][p["index"]] / (1 - p["rate"])


def ref_classification_metrics(p: dict) -> float:
    tp, fp, fn, tn = p["tp"], p["fp"], p["fn"], p["tn"]
    return {
        "accuracy": lambda: (tp + tn) / (tp + fp + fn + tn),
        "precision": lambda: tp / (tp + fp),
        "recall": lambda: tp / (tp + fn),
        "specificity": lambda: tn / (tn + fp),
        "f1": lambda: 2 / (1 / (tp / (tp + fp)) + 1 / (tp / (tp + fn))),
    }[p["metric"]]()


def ref_regression_metrics(p: dict) -> float:
    y, q = p["y_true"], p["y_pred"]
    n = len(y)
    errors = [a - b for a, b in zip(y, q, strict=True)]
    if p["metric"] == "mae":
        return sum(abs(e) for e in errors) / n
    mse = sum(e * e for e in errors) / n
    if p["metric"] == "mse":
        return mse
    if p["metric"] == "rmse":
        return math.sqrt(mse)
    mean = sum(y) / n
    return 1 - mse * n / sum((a - mean) ** 2 for a in y)


def ref_svm(p: dict) -> float:
    if p["ask"] == "margin":
        return 2 / math.sqrt(sum(v * v for v in p["w"]))
    return dot(p["x"], p["w"]) + p["b"]


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
    "dropout": ref_dropout,
    "classification_metrics": ref_classification_metrics,
    "regression_metrics": ref_regression_metrics,
    "svm": ref_svm,
    "knn": ref_knn,
    "k_means": ref_k_means,
    "decision_tree": ref_decision_tree,
    "random_forest": ref_random_forest,
    "linear_regression": ref_linear_regression,
    "logistic_regression": ref_logistic_regression,
    "naive_bayes": ref_naive_bayes,
}
FINITE_DIFFERENCES = {"gradient_step", "backprop"}


def numbers_in(value: Any) -> list[float]:
    if value is None or isinstance(value, (bool, str)):  # None: JSON null (random_forest class)
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

    # misconceptions: at least three (one for a class label or an index, whose possible values
    # are all shown), distinguishable from the answer and from each other
    assert len(p.misconceptions) >= (1 if p.domain.values is not None else 3)
    shown = [p.show(m.answer) for m in p.misconceptions]
    rounded = {float(text) for text in shown}  # "2" and "2.0" count as the same
    assert len(rounded) == len(shown) and float(p.display) not in rounded
    for m, text in zip(p.misconceptions, shown, strict=True):
        assert math.isfinite(m.answer) and m.hint and m.name
        assert not p.tolerance.accepts(m.answer, p.answer)
        verdict = check_answer(p, text)
        assert verdict.status == "wrong", (p.id, m.name, text)
        assert verdict.misconception is not None and verdict.misconception.name == m.name

    # multiple choice: four distinct displays, or all the possible values when the quantity
    # has at most four (a ReLU slope is 0 or 1, a leaky ReLU slope α or 1, a class); one correct
    choices = p.choices()
    few = few_values(p)
    if few is None:
        assert len(choices) == 4
    else:
        assert sorted(c.value for c in choices) == sorted(few), p.id
    assert len({float(c.display) for c in choices}) == len(choices)
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
