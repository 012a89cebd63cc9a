"""dropout, classification_metrics, regression_metrics and svm (issue 13), checked against
scikit-learn where it implements the same quantity and against NumPy closed forms elsewhere.

Also: the stages chain to the answer, a wrong early stage is carried forward (the next stage is
judged against the learner's own value), params stay in ranges that make sense for the
scenario, and hard problems teach the harder concepts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    root_mean_squared_error,
)

from engine.catalog import DIFFICULTIES, SCENARIOS
from engine.problems import Problem, make_problem
from engine.problems.scenarios import SETTINGS
from engine.problems.stages import judge, solve, stages_of

SEEDS = range(300)
FAMILIES = ("dropout", "classification_metrics", "regression_metrics", "svm")


def problems(family: str, difficulties: tuple[str, ...] = DIFFICULTIES) -> list[Problem]:
    return [make_problem(family, s, d) for d in difficulties for s in SEEDS]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# --- scikit-learn oracles --------------------------------------------------------------------


def labels(tp: int, fp: int, fn: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    """Label arrays with exactly these confusion-matrix counts (1 = positive)."""
    y_true = np.array([1] * tp + [0] * fp + [1] * fn + [0] * tn)
    y_pred = np.array([1] * tp + [1] * fp + [0] * fn + [0] * tn)
    return y_true, y_pred


def sklearn_classification(p: dict) -> float:
    y, q = labels(p["tp"], p["fp"], p["fn"], p["tn"])
    if p["metric"] == "specificity":
        return float(recall_score(y, q, pos_label=0))  # recall of the negative class
    score = {
        "accuracy": accuracy_score,
        "precision": precision_score,
        "recall": recall_score,
        "f1": f1_score,
    }[p["metric"]]
    return float(score(y, q))


def sklearn_regression(p: dict) -> float:
    score = {
        "mae": mean_absolute_error,
        "mse": mean_squared_error,
        "rmse": root_mean_squared_error,
        "r2": r2_score,
    }[p["metric"]]
    return float(score(p["y_true"], p["y_pred"]))


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_classification_metrics_agree_with_scikit_learn(difficulty: str) -> None:
    seen = set()
    for p in problems("classification_metrics", (difficulty,)):
        seen.add(p.params["metric"])
        assert close(p.answer, sklearn_classification(p.params)), p.id
    assert len(seen) >= 3


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_regression_metrics_agree_with_scikit_learn(difficulty: str) -> None:
    seen = set()
    for p in problems("regression_metrics", (difficulty,)):
        seen.add(p.params["metric"])
        assert close(p.answer, sklearn_regression(p.params)), p.id
    assert len(seen) >= 2


def test_classification_misconceptions_are_the_metrics_they_name() -> None:
    """Swapped metrics are the other scikit-learn scores on the same labels."""
    checked = 0
    for p in problems("classification_metrics"):
        y, q = labels(*(p.params[k] for k in ("tp", "fp", "fn", "tn")))
        scores = {
            "precision_instead": precision_score(y, q),
            "recall_instead": recall_score(y, q),
            "accuracy_instead": accuracy_score(y, q),
            "specificity_instead": recall_score(y, q, pos_label=0),
            "error_rate": 1 - accuracy_score(y, q),
        }
        for m in p.misconceptions:
            want = scores.get(m.name)
            if want is not None:
                assert close(m.answer, float(want)), (p.id, m.name)
                checked += 1
            if m.name == "arithmetic_mean":
                half = (precision_score(y, q) + recall_score(y, q)) / 2
                assert close(m.answer, float(half)), p.id
    assert checked >= 1000


def test_regression_misconceptions_are_the_metrics_they_name() -> None:
    for p in problems("regression_metrics"):
        y, q = p.params["y_true"], p.params["y_pred"]
        named = {m.name: m.answer for m in p.misconceptions}
        if "forgot_root" in named:
            assert close(named["forgot_root"], float(mean_squared_error(y, q)))
        if "took_root" in named:
            assert close(named["took_root"], float(root_mean_squared_error(y, q)))
        if "forgot_square" in named:
            assert close(named["forgot_square"], float(mean_absolute_error(y, q)))
        if "forgot_one_minus" in named:
            assert close(named["forgot_one_minus"], 1 - float(r2_score(y, q)))


# --- NumPy closed forms: dropout -------------------------------------------------------------


def test_dropout_matches_the_inverted_dropout_closed_form() -> None:
    for p in problems("dropout"):
        a = np.array(p.params["activations"])
        m = np.array(p.params["mask"])
        rate, i = p.params["rate"], p.params["index"]
        if p.params["mode"] == "inference":
            assert p.answer == a[i]  # unchanged: no mask, no scaling
        else:
            out = a * m / (1 - rate)
            assert close(p.answer, float(out[i])), p.id


def test_dropout_expected_output_over_masks_is_the_activation() -> None:
    """E over m ~ Bernoulli(1 − rate) of the training output is a: exactly (two masks) and
    by simulation of the whole layer."""
    rng = np.random.default_rng(13)
    for p in problems("dropout"):
        a = np.array(p.params["activations"])
        rate, i = p.params["rate"], p.params["index"]
        if p.params["mode"] == "train":
            if p.params["mask"][i]:
                expected = (1 - rate) * p.answer + rate * 0.0
            else:
                assert p.answer == 0.0
                expected = (1 - rate) * a[i] / (1 - rate)
            assert math.isclose(expected, a[i], rel_tol=1e-12, abs_tol=1e-12), p.id
    p = make_problem("dropout", 0, "medium")
    a = np.array(p.params["activations"])
    rate = p.params["rate"]
    masks = rng.random((200_000, a.size)) >= rate
    mean = (a * masks / (1 - rate)).mean(axis=0)
    assert np.allclose(mean, a, atol=0.02)


def test_dropout_inference_keeps_the_activation_even_for_a_unit_the_mask_dropped() -> None:
    inference = [p for p in problems("dropout", ("hard",)) if p.params["mode"] == "inference"]
    assert len(inference) >= 60
    dropped = [p for p in inference if p.params["mask"][p.params["index"]] == 0]
    assert dropped  # the trap: the last training mask is shown, but does not apply
    for p in inference:
        i = p.params["index"]
        assert p.answer == p.params["activations"][i]
        assert "inference" in p.prompt and "training=False" in p.prompt
        names = {m.name for m in p.misconceptions}
        assert "scaled_at_inference" in names


# --- NumPy closed forms: svm -----------------------------------------------------------------


def test_svm_margin_is_the_distance_between_the_margin_lines() -> None:
    margins = 0
    for p in problems("svm"):
        w, b = np.array(p.params["w"]), p.params["b"]
        if p.params["ask"] != "margin":
            continue
        margins += 1
        norm = float(np.linalg.norm(w))
        assert close(p.answer, 2 / norm), p.id
        # a point on f(x) = −1, moved the margin width along the unit normal, lands on +1
        x0 = -(1 + b) * w / norm**2
        assert math.isclose(float(w @ x0 + b), -1.0, abs_tol=1e-9)
        x1 = x0 + p.answer * w / norm
        assert math.isclose(float(w @ x1 + b), 1.0, abs_tol=1e-9)
    assert margins >= 300


def test_svm_decision_value_and_its_sign() -> None:
    decisions = 0
    for p in problems("svm"):
        if p.params["ask"] != "decision":
            continue
        decisions += 1
        w, x, b = np.array(p.params["w"]), np.array(p.params["x"]), p.params["b"]
        f = float(w @ x + b)
        assert math.isclose(p.answer, f, rel_tol=1e-9, abs_tol=1e-9), p.id
        assert np.sign(p.answer) == np.sign(f) != 0
        side = "class +1" if f > 0 else "class −1"
        assert side in p.steps[-1], p.id
    assert decisions >= 300


# --- stages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_stages_chain_to_the_answer(family: str) -> None:
    staged = 0
    for p in problems(family):
        stages = stages_of(p)
        if not stages:
            assert family == "dropout" and p.params["mode"] == "inference", p.id
            continue
        staged += 1
        assert len(stages) >= 2
        assert len({s.key for s in stages}) == len(stages)
        values = solve(stages)
        assert math.isclose(values[stages[-1].key], p.answer, rel_tol=1e-9, abs_tol=1e-9), p.id
        given: dict[str, float] = {}
        for k, stage in enumerate(stages):
            right = values[stage.key]
            verdict = judge(p, stages, given, k, stage.key, right)
            assert verdict.correct, (p.id, stage.key)
            given[stage.key] = right
        assert stages[-1].decimals == p.decimals
        assert all(s.label and s.hint for s in stages)
    assert staged >= 600


@pytest.mark.parametrize("family", FAMILIES)
def test_a_wrong_early_stage_is_carried_forward(family: str) -> None:
    """A learner whose first stage is well off gets the next stage judged against their
    own value: the carried-forward value is correct, the textbook value is not."""
    carried = 0
    for p in problems(family):
        stages = stages_of(p)
        if len(stages) < 2:
            continue
        values = solve(stages)
        first = stages[0].key
        wrong = values[first] + 2.0 + 0.5 * abs(values[first])
        assert not judge(p, stages, {}, 0, first, wrong).correct
        given = {first: wrong}
        follow = stages[1].value(given)
        if stages[1].compute({first: values[first]}) == follow:
            continue  # the second stage does not use the first (precision and recall)
        carried += 1
        assert judge(p, stages, given, 1, "x", follow).correct, p.id
        if not stages[1].tolerance().accepts(values[stages[1].key], follow):
            assert not judge(p, stages, given, 1, "x", values[stages[1].key]).correct
    assert carried >= 300


def test_f1_stages_combine_the_learners_precision_and_recall() -> None:
    for p in problems("classification_metrics"):
        if p.params["metric"] != "f1":
            continue
        stages = stages_of(p)
        assert [s.key for s in stages] == ["precision", "recall", "f1"]
        given = {"precision": 0.5, "recall": 0.25}
        assert math.isclose(stages[2].value(given), 2 * 0.5 * 0.25 / 0.75)


# --- params make sense for the scenario -------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_params_lie_in_sensible_ranges(scenario: str) -> None:
    setting = SETTINGS[scenario]
    for d in DIFFICULTIES:
        for s in range(60):
            p = make_problem("dropout", s, d, scenario).params
            acts, mask = p["activations"], p["mask"]
            assert len(acts) == len(mask) and 0 <= p["index"] < len(acts)
            assert set(mask) <= {0, 1} and 1 in mask
            assert 0 < p["rate"] < 1 and p["mode"] in ("train", "inference")
            if any(v < 0 for v in acts):
                assert all(-1 < v < 1 for v in acts)  # a tanh layer
            else:
                assert all(0 <= v <= 3 for v in acts)  # a ReLU layer

            p = make_problem("classification_metrics", s, d, scenario).params
            counts = [p[k] for k in ("tp", "fp", "fn", "tn")]
            assert all(isinstance(c, int) and c >= 1 for c in counts)
            assert 20 <= sum(counts) <= max(100, setting.dataset[1] // 5)

            prob = make_problem("regression_metrics", s, d, scenario)
            p = prob.params
            assert len(p["y_true"]) == len(p["y_pred"]) >= 3
            lo, hi = {
                "restaurant": (1, 5),
                "cookie": (0, 10),
                "spam": (0, 100),
                "pixels": (0, 1),
                "stocks": (-5, 5),
                "audio": (0, 10),
            }[scenario]
            assert all(lo <= v <= hi for v in (*p["y_true"], *p["y_pred"])), prob.id
            assert setting.regression in prob.prompt

            p = make_problem("svm", s, d, scenario).params
            assert len(p["w"]) == len(p["x"]) >= 2
            assert all(-3 <= v <= 3 for v in p["x"])  # standardised features (z-scores)
            assert all(0 < abs(v) <= 2 for v in p["w"]) and -2 <= p["b"] <= 2


def test_prompts_name_the_scenarios_classes_and_conventions() -> None:
    for s in range(40):
        for d in DIFFICULTIES:
            p = make_problem("classification_metrics", s, d, "spam")
            assert "positive = spam, negative = not spam" in p.prompt
            assert "50%" in p.prompt and "Round to" in p.prompt
            p = make_problem("dropout", s, d)
            assert "1 = kept, 0 = dropped" in p.prompt and "inverted dropout" in p.prompt
            p = make_problem("regression_metrics", s, d)
            assert "Round to" in p.prompt
            p = make_problem("svm", s, d)
            assert "standardised" in p.prompt


# --- hard problems teach harder concepts ------------------------------------------------------


def test_hard_dropout_asks_inference_and_dropped_units() -> None:
    hard = problems("dropout", ("hard",))
    modes = [p.params["mode"] for p in hard]
    dropped = [p for p in hard if p.params["mode"] == "train" and p.answer == 0]
    assert modes.count("inference") >= 60 and len(dropped) >= 30
    for p in problems("dropout", ("easy", "medium")):
        assert p.params["mode"] == "train" and p.params["mask"][p.params["index"]] == 1


def test_hard_classification_is_worded_and_imbalanced() -> None:
    for p in problems("classification_metrics", ("hard",)):
        tp, fp, fn, tn = (p.params[k] for k in ("tp", "fp", "fn", "tn"))
        assert (tp + fn) / (tp + fp + fn + tn) <= 0.25, p.id  # few actual positives
        assert "confusion matrix (rows" not in p.prompt
        assert f"{tp + fp:,}" in p.prompt and f"{tp + fn:,}" in p.prompt
    for p in problems("classification_metrics", ("easy",)):
        assert "confusion matrix (rows" in p.prompt


def test_hard_r2_can_be_negative() -> None:
    r2 = [p for p in problems("regression_metrics", ("hard",)) if p.params["metric"] == "r2"]
    negative = [p for p in r2 if p.answer < 0]
    assert len(negative) >= 30
    for p in negative:
        assert any("worse than always predicting" in step for step in p.steps)
    for p in problems("regression_metrics", ("medium",)):
        if p.params["metric"] == "r2":
            assert p.answer > 0


def test_hard_svm_points_lie_inside_the_margin_and_bias_stays_out_of_the_norm() -> None:
    margins = with_bias = 0
    for p in problems("svm", ("hard",)):
        if p.params["ask"] == "decision":
            assert 0 < abs(p.answer) < 1, p.id
            assert "inside the margin" in p.steps[-1]
        else:
            margins += 1
            assert len(p.params["w"]) == 4 and "does not enter" in p.steps[0]
            named = {m.name: m.answer for m in p.misconceptions}
            if "included_bias" in named:
                with_bias += 1
                w, b = p.params["w"], p.params["b"]
                assert close(named["included_bias"], 2 / math.sqrt(sum(v * v for v in w) + b * b))
    assert with_bias >= 0.7 * margins
