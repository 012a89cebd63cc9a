"""linear_regression, logistic_regression and naive_bayes (issue 13) against scikit-learn.

scikit-learn is the oracle here only (never imported by the engine): LinearRegression fitted
on the problem's data; LogisticRegression with coef_, intercept_ and classes_ set by hand;
BernoulliNB(force_alpha=True) fitted on a 0/1 example matrix rebuilt from the counts. Also:
the stages chain to the answer, a wrong early stage carries forward, and the numbers make
sense for the scenario they are shown in.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.naive_bayes import BernoulliNB

from engine.catalog import DIFFICULTIES, SCENARIOS
from engine.problems import Problem, make_problem
from engine.problems.scenarios import SETTINGS, Feature
from engine.problems.stages import judge, solve, stages_of
from engine.problems.text import KEEP

FAMILIES = ("linear_regression", "logistic_regression", "naive_bayes")
SEEDS = range(300)


def problems(family: str, difficulty: str, seeds: range = SEEDS) -> list[Problem]:
    return [make_problem(family, s, difficulty) for s in seeds]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- scikit-learn oracles --------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_linear_regression_matches_sklearn(difficulty: str) -> None:
    for p in problems("linear_regression", difficulty):
        q = p.params
        model = LinearRegression().fit(np.array(q["x"])[:, None], np.array(q["y"]))
        want = {
            "slope": float(model.coef_[0]),
            "intercept": float(model.intercept_),
            "predict": float(model.predict(np.array([[q["x_new"]]]))[0]),
        }[q["ask"]]
        assert close(p.answer, want), (p.id, p.answer, want)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_logistic_regression_matches_sklearn(difficulty: str) -> None:
    for p in problems("logistic_regression", difficulty):
        q = p.params
        model = LogisticRegression()
        model.coef_ = np.array([q["w"]], dtype=float)
        model.intercept_ = np.array([q["b"]], dtype=float)
        model.classes_ = np.array([0, 1])
        x = np.array([q["x"]], dtype=float)
        if q["ask"] == "log_odds":
            want = float(model.decision_function(x)[0])
        else:
            want = float(model.predict_proba(x)[0, 1])
        assert close(p.answer, want), (p.id, p.answer, want)


def documents(q: dict) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 example matrix with exactly the counts of the params: in class c, example i has
    attribute j when i < feature_counts[c][j]."""
    rows, labels = [], []
    for c, (n_c, counts) in enumerate(zip(q["class_counts"], q["feature_counts"], strict=True)):
        i = np.arange(n_c)[:, None]
        rows.append((i < np.array(counts)[None, :]).astype(np.uint8))
        labels.append(np.full(n_c, c))
    return np.vstack(rows), np.concatenate(labels)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_naive_bayes_matches_sklearn_bernoulli_nb(difficulty: str) -> None:
    for p in problems("naive_bayes", difficulty, range(200)):
        q = p.params
        X, y = documents(q)
        model = BernoulliNB(alpha=q["alpha"], force_alpha=True).fit(X, y)
        assert model.class_count_.tolist() == q["class_counts"]
        assert model.feature_count_.tolist() == q["feature_counts"]
        want = float(model.predict_proba(np.array([q["x"]]))[0, q["index"]])
        assert close(p.answer, want), (p.id, p.answer, want)


# --- stages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("family", FAMILIES)
def test_stages_chain_to_the_answer(family: str, difficulty: str) -> None:
    for p in problems(family, difficulty, range(200)):
        stages = stages_of(p)
        assert len(stages) >= 2
        keys = [s.key for s in stages]
        assert len(set(keys)) == len(keys)
        values = solve(stages)
        assert close(values[keys[-1]], p.answer), p.id
        assert stages[-1].decimals == p.decimals
        assert all(s.label and s.hint for s in stages)
        # every stage, typed as shown, is judged right against the right earlier values
        for i, s in enumerate(stages):
            shown = float(f"{values[s.key]:.{s.decimals}f}")
            given = {k: values[k] for k in keys[:i]}
            assert judge(p, stages, given, i, str(shown), shown).correct, (p.id, s.key)


def slipped(value: float) -> float:
    return value * 1.3 + 0.5


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("family", FAMILIES)
def test_a_wrong_early_stage_carries_forward(family: str, difficulty: str) -> None:
    """A slip in one stage costs that stage only: the next stage that uses it is judged
    against the learner's wrong value (and the value from the right one is then wrong)."""
    carried = 0
    for p in problems(family, difficulty, range(100)):
        stages = stages_of(p)
        values = solve(stages)
        for i, early in enumerate(stages[:-1]):
            wrong = dict(values)
            wrong[early.key] = slipped(values[early.key])
            for j in range(i + 1, len(stages)):
                later = stages[j]
                given = {s.key: wrong[s.key] for s in stages[:j]}
                expected = later.value(given)
                if close(expected, values[later.key]):
                    continue  # this stage does not use the slipped one
                assert judge(p, stages, given, j, "typed", expected).correct, (p.id, later.key)
                if judge(p, stages, given, j, "typed", values[later.key]).correct:
                    break  # the slip barely moves this stage (Sxx changes by n·slip²)
                carried += 1
                break
    assert carried >= 100


def test_naive_bayes_stages_name_the_classes() -> None:
    for p in problems("naive_bayes", "hard", range(20)):
        classes = SETTINGS[p.scenario].classes[: len(p.params["class_counts"])]
        labels = " ".join(s.label for s in stages_of(p))
        assert all(c in labels for c in classes)
        assert all(c in p.prompt for c in classes)


# --- the numbers make sense ------------------------------------------------------------------


def feature_in(prompt: str, scenario: str, after: str) -> Feature:
    plain = prompt.replace("x, the ", "x, ")  # "the 5-day momentum", "yesterday's return"
    found = [f for f in SETTINGS[scenario].inputs if f"{after}{f.label}" in plain]
    assert len(found) == 1, prompt
    return found[0]


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_linear_regression_data_fit_the_scenario(difficulty: str) -> None:
    asks = set()
    for p in problems("linear_regression", difficulty):
        q = p.params
        x, y, ask, x_new = q["x"], q["y"], q["ask"], q["x_new"]
        asks.add(ask)
        feature = feature_in(p.prompt, p.scenario, "from x, ")
        assert all(feature.admits(v) for v in x), (p.id, x)
        assert x == sorted(x) and len(set(x)) == len(x)
        assert len(set(y)) >= 3
        assert len(x) == len(y) in {"easy": (4,), "medium": (5, 6), "hard": (6, 7, 8)}[difficulty]
        if p.scenario == "restaurant":
            assert all(1 <= v <= 5 for v in y)  # stars
        elif p.scenario == "stocks":
            assert all(-5 <= v <= 5 for v in y)
        elif p.scenario == "pixels":
            assert all(0 <= v <= 1 for v in y)
        else:
            assert all(0 <= v <= 10 for v in y)
        slope = np.polyfit(x, y, 1)[0]
        if ask == "predict":
            assert feature.admits(x_new)
            outside = x_new < x[0] or x_new > x[-1]
            assert outside == (difficulty == "hard"), p.id  # hard extrapolates
            assert x_new not in x
        else:
            assert x_new == 0
        if difficulty == "easy":
            assert ask == "slope" and slope > 0
            gaps = {round(b - a, 9) for a, b in itertools.pairwise(x)}
            assert len(gaps) == 1  # evenly spaced
        if difficulty == "hard" and ask == "slope":
            assert slope < 0
        assert KEEP in p.prompt and f"Round to {p.decimals} decimals." in p.prompt
        assert "ordinary least squares" in p.prompt
    want = {"easy": {"slope"}, "medium": {"intercept", "predict"}, "hard": {"predict", "slope"}}
    assert asks == want[difficulty]


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_logistic_regression_inputs_fit_the_scenario(difficulty: str) -> None:
    asks = []
    for p in problems("logistic_regression", difficulty):
        q = p.params
        asks.append(q["ask"])
        shown = [f for f in SETTINGS[p.scenario].inputs if f.label in p.prompt]
        assert len(shown) == len(q["x"]) == len(q["w"]), p.id
        assert all(f.admits(v) for f, v in zip(shown, q["x"], strict=True)), p.id
        z = sum(a * b for a, b in zip(q["x"], q["w"], strict=True)) + q["b"]
        assert 0.05 <= abs(z) <= 4.5
        assert SETTINGS[p.scenario].positive in p.prompt and "1 / (1 + e^(−z))" in p.prompt
        if q["ask"] == "probability":
            assert p.proportion and KEEP in p.prompt and "50%" in p.prompt
            if difficulty == "hard":
                assert z < 0  # the model leans to the negative class
        else:
            assert not p.proportion and "natural log" in p.prompt and "exactly" in p.prompt
    if difficulty == "easy":
        assert set(asks) == {"probability"}
    else:
        assert set(asks) == {"probability", "log_odds"}


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_naive_bayes_counts_fit_the_scenario(difficulty: str) -> None:
    zero_cases = 0
    for p in problems("naive_bayes", difficulty):
        q = p.params
        counts, feats, x = q["class_counts"], q["feature_counts"], q["x"]
        setting = SETTINGS[p.scenario]
        k, f = len(counts), len(x)
        assert k == {"easy": 2, "medium": 2, "hard": 3}[difficulty]
        assert f in {"easy": (2,), "medium": (3,), "hard": (3, 4)}[difficulty]
        lo, hi = setting.dataset
        assert lo <= sum(counts) <= hi, (p.id, sum(counts))
        assert f"{sum(counts):,} {setting.examples}" in p.prompt
        assert all(isinstance(n, int) and n > 0 for n in counts)
        for n_c, row in zip(counts, feats, strict=True):
            assert len(row) == f and all(isinstance(c, int) and 0 <= c <= n_c for c in row)
        assert set(x) <= {0, 1} and q["alpha"] > 0 and 0 <= q["index"] < k
        assert p.proportion and KEEP in p.prompt and f"α = {q['alpha']:g}" in p.prompt
        assert f"P({setting.classes[q['index']]} | attributes)" in p.prompt
        if difficulty != "easy":
            assert 0 in x  # an absent attribute: Bernoulli's 1 − P(a | c)
        if difficulty == "hard":
            assert any(row[j] == 0 and x[j] for row in feats for j in range(f))
            zero_cases += any(m.name == "no_smoothing" for m in p.misconceptions)
        else:
            assert q["alpha"] == 1
        # every attribute shown is a flag or a threshold inside its feature's range
        for line in re.findall(r"^  A\d+: (.*)$", p.prompt, flags=re.M):
            feature = next(ft for ft in setting.inputs if line.startswith(ft.name))
            if " above " in line:
                value = float(line.split(" above ")[1].split(" (")[0].replace("−", "-"))
                assert feature.lo < value < feature.hi, line
            else:
                assert (feature.lo, feature.hi) == (0, 1)
    if difficulty == "hard":
        assert zero_cases >= 0.6 * len(SEEDS)  # no smoothing: the zero count wipes a class out


def test_every_scenario_tells_each_family_in_its_own_words() -> None:
    for family in FAMILIES:
        for scenario in SCENARIOS:
            setting = SETTINGS[scenario]
            p = make_problem(family, 3, "medium", scenario)
            assert setting.system in p.prompt.lower() or setting.system.capitalize() in p.prompt


# --- misconceptions by hand --------------------------------------------------------------------


def named(p: Problem, name: str) -> float | None:
    return next((m.answer for m in p.misconceptions if m.name == name), None)


def test_misconceptions_are_the_named_wrong_procedures() -> None:
    for seed in range(100):
        p = make_problem("linear_regression", seed, "medium")
        x, y = p.params["x"], p.params["y"]
        n = len(x)
        xbar, ybar = sum(x) / n, sum(y) / n
        sxy = sum((a - xbar) * (b - ybar) for a, b in zip(x, y, strict=True))
        sxx = sum((a - xbar) ** 2 for a in x)
        b = sxy / sxx
        at = p.params["x_new"] if p.params["ask"] == "predict" else 0.0
        value = named(p, "plus_slope_term")
        if value is not None:
            assert close(value, ybar + b * xbar + b * at)
        value = named(p, "swapped_ratio")
        if value is not None:
            assert close(value, ybar - sxx / sxy * xbar + sxx / sxy * at)

        p = make_problem("logistic_regression", seed, "easy")
        z = sum(a * w for a, w in zip(p.params["x"], p.params["w"], strict=True)) + p.params["b"]
        for name, want in (
            ("sigmoid_sign", 1 / (1 + math.exp(z))),
            ("log_odds_as_probability", z),
            ("exp_not_sigmoid", math.exp(z)),
        ):
            value = named(p, name)
            if value is not None:
                assert close(value, want), (p.id, name)

        p = make_problem("naive_bayes", seed, "hard")
        q = p.params
        scores = []
        for n_c, row in zip(q["class_counts"], q["feature_counts"], strict=True):
            like = 1.0
            for c, xi in zip(row, q["x"], strict=True):
                r = (c + q["alpha"]) / (n_c + 2 * q["alpha"])
                like *= r if xi else 1 - r
            scores.append(like)  # equal priors
        value = named(p, "forgot_prior")
        if value is not None:
            assert close(value, scores[q["index"]] / sum(scores))
        value = named(p, "unnormalised_score")
        if value is not None:  # dropped when it rounds to the answer (a tiny posterior)
            prior = q["class_counts"][q["index"]] / sum(q["class_counts"])
            assert close(value, prior * scores[q["index"]])
