"""Fair to a careful learner (issue 13): stated conventions, a rounding rule that works, and
inputs that make sense for the feature they are shown as."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest

from engine.activations import activate, derivative
from engine.answers import check_answer
from engine.catalog import DIFFICULTIES, FAMILIES, SCENARIOS
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


def test_training_set_sizes_lie_in_their_scenarios_range() -> None:
    """n_samples comes from the scenario's plausible data-set size; batches and epochs stay
    plausible (common sizes, fewer than n, 1 to 200 epochs)."""
    common = {10, 16, 24, 32, 48, 50, 64, 96, 100, 128, 250, 256, 500, 512, 1000, 1024, 2048}
    for d in DIFFICULTIES:
        for scenario in SCENARIOS:
            lo, hi = SETTINGS[scenario].dataset
            for s in range(150):
                p = make_problem("training_iterations", s, d, scenario)
                n, size, epochs = (p.params[k] for k in ("n_samples", "batch_size", "epochs"))
                assert lo <= n <= hi, (p.id, d, scenario, n)
                assert f"{n:,}" in p.prompt
                assert size in common and 2 * size <= n, (p.id, size, n)
                assert 1 <= epochs <= 200, (p.id, epochs)


def _table_rows(prompt: str) -> list[tuple[str, float, float]]:
    """(label, target, prediction) for each row of a prompt's label/number/number table."""
    rows = []
    for line in prompt.splitlines():
        m = re.fullmatch(r"  (\S.*?)\s{2,}(−?\d[\d.]*)\s+(−?\d[\d.]*)", line)
        if m:
            label, y, p = m.groups()
            rows.append((label, float(y.replace("−", "-")), float(p.replace("−", "-"))))
    return rows


def test_every_loss_output_has_a_meaning_of_its_own() -> None:
    """No two outputs of an MSE (or binary cross-entropy) problem share a label while having
    different targets: each names its own quantity or statement (not "output k, an estimate
    of the same thing")."""
    checked = Counter[str]()
    for d in DIFFICULTIES:
        for scenario in SCENARIOS:
            for s in range(60):
                p = make_problem("loss", s, d, scenario)
                if p.params["loss"] == "categorical_cross_entropy":
                    continue
                rows = _table_rows(p.prompt)
                assert [(y, q) for _, y, q in rows] == list(
                    zip(p.params["y_true"], p.params["y_pred"], strict=True)
                ), p.id
                # what each output is, without its number ("output 2: pizza" -> "pizza")
                meanings = [(re.sub(r"^output \d+:?\s*", "", label), y) for label, y, _ in rows]
                assert all(name for name, _ in meanings), (p.id, meanings)
                for (a, ya), (b, yb) in itertools.combinations(meanings, 2):
                    assert a != b or ya == yb, (p.id, a, ya, yb)
                assert "each an estimate of" not in p.prompt
                checked[p.params["loss"]] += 1
    assert min(checked.values()) >= 100, checked


# --- every "≈" line adds up as shown ------------------------------------------------------
#
# A worked-solution line with ≈ is read as chains "name = expression = ... ≈ shown" (clauses
# split by "; " and by ", " outside brackets; every ": "-part with a ≈ is a chain, and one that
# shows numbers must have something to check). Every part of a chain that is a plain
# calculation once the names worked out earlier are replaced by their shown values is
# evaluated from the numbers as shown and must give the shown result within one unit in the
# last shown place of each rounded term (carried through the calculation by its partial
# derivative) plus one unit of the result's last place. A rounded intermediate shows all its
# decimals (0.5000, see model.fixed), so a number with fewer decimals than the line's most, a
# whole number, one of the prompt's own numbers or a result shown earlier with "="
# (MSE = 1.04 / 10 = 0.104) is exact (no slack). Functions as the steps write them: √x and
# √(…), ln, log₂(…), e^x, σ(z), products such as (6/9) log₂(6/9), and Σ written out term by
# term.
NUM = r"\d+(?:\.\d+)?"
NAME = r"(?:dL/d)?[A-Za-zδσ][A-Za-z₀-₉\d]*"  # z, a, δ, a1, δ2, o₁, dL/da2, dL/dw₁ (no spaces)
UNIT_HEAD = r"[a-z][₀-₉]+"  # a network unit's line: "h₁: z = ...; tanh(z) ≈ ..."
Vec = np.ndarray


def _sigmoid(z: Vec) -> Vec:
    return np.asarray(1 / (1 + np.exp(-z)), dtype=float)


def _softmax(z: Vec) -> Vec:
    e = np.exp(np.asarray(z, dtype=float))
    return np.asarray(e / e.sum(), dtype=float)


def _loss(name: str) -> Callable[[Vec, Vec], float]:
    def f(y: Vec, a: Vec) -> float:
        if name == "mse":
            return float(np.mean((a - y) ** 2))
        if name == "bce":
            return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
        return float(-np.sum(y * np.log(a)))

    return f


def _where(positive: float, negative: float) -> Callable[[Vec], Vec]:
    return lambda z: np.where(np.asarray(z) > 0, positive, negative)


FUNCTIONS = {
    "dsigmoid": lambda z: _sigmoid(z) * (1 - _sigmoid(z)),
    "dtanh": lambda z: 1 - np.tanh(z) ** 2,
    "drelu": _where(1.0, 0.0),
    "dlinear": _where(1.0, 1.0),
    "exp": np.exp,
    "log": np.log,
    "log2": np.log2,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda z: np.maximum(0, z),
    "linear": lambda z: z,
    "softmax": _softmax,
    "max": np.maximum,
    "mse": _loss("mse"),
    "bce": _loss("bce"),
    "cce": _loss("cce"),
    "A": lambda *v: np.array(v, dtype=float),
}
RENAMED = {  # function names as the steps write them -> FUNCTIONS
    "leaky ReLU'(": "dleaky(",
    "ReLU'(": "drelu(",
    "sigmoid'(": "dsigmoid(",
    "tanh'(": "dtanh(",
    "linear'(": "dlinear(",
    "mean squared error(": "mse(",
    "binary cross-entropy(": "bce(",
    "categorical cross-entropy(": "cce(",
    "leaky ReLU(": "leaky(",
    "ReLU(": "relu(",
    "σ(": "sigmoid(",
}
CALLS = r"\b(?:d?(?:tanh|sigmoid|relu|leaky|linear)|exp|log2?|sqrt|softmax|max|mse|bce|cce|A)\("


def _python(expr: str) -> str | None:
    """A part of a chain as Python, or None when it is not a plain calculation."""
    e = expr.strip()
    for old, new in RENAMED.items():
        e = e.replace(old, new)
    e = e.replace("−", "-").replace("×", "*").replace("÷", "/").replace("⊙", "*")
    e = re.sub(r"(?<=\d),(?=\d{3})", "", e)  # 1,024 -> 1024
    e = re.sub(r"e\^\(([^()]*)\)", r"exp(\1)", e)
    e = re.sub(rf"e\^(-?{NUM})", r"exp(\1)", e)
    e = re.sub(rf"\bln ({NUM})", r"log(\1)", e)
    e = re.sub(r"\bln\(", "log(", e)
    e = re.sub(rf"√({NUM})", r"sqrt(\1)", e).replace("√(", "sqrt(")
    e = e.replace("²", "**2").replace("·", "@").replace("ᵀ ", ".T@")  # W·a, Wᵀ δ
    while "[" in e:  # vectors and matrices (innermost first)
        e = re.sub(r"\[([^\[\]]*)\]", r"A(\1)", e)
    e = re.sub(r"(\d|\))\s*\(", r"\1*(", e)  # 2(a − y): an implicit product
    e = e.replace("log₂(", "log2(")  # after the products: log2( is no "2(…)"
    e = re.sub(rf"\)\s*(?={CALLS})", ")*", e)  # (6/9) log₂(6/9): one too
    bare = re.sub(CALLS, "(", e).replace(".T@", "@")
    if re.search(r"[^\d\s.,()+\-*/@]", bare) or not re.search(r"\d", e):
        return None
    return e


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def _clauses(line: str) -> list[str]:
    """A line's clauses: split by "; ", and by ", " outside brackets and parentheses."""
    out, depth, start = [], 0, 0
    for k, ch in enumerate(line):
        depth += (ch in "([") - (ch in ")]")
        if depth == 0 and (line.startswith("; ", k) or line.startswith(", ", k)):
            out.append(line[start:k])
            start = k + 2
    return [*out, line[start:]]


def _adds_up_as_shown(
    expr: str, shown: str, alpha: float, given: set[str], places: int
) -> tuple[bool | None, str]:
    """Whether the calculation `expr` gives `shown` (None: not a calculation); only numbers
    with `places` decimals that are not `given` (the prompt's) may be rounded."""
    code = _python(expr)
    if code is None:
        return None, expr
    literals = [m for m in re.finditer(rf"(?<![\w.]){NUM}", code) if code[: m.start()][-2:] != "**"]
    template, last = "", 0
    for k, m in enumerate(literals):
        template += code[last : m.start()] + f"x[{k}]"
        last = m.end()
    template += code[last:]
    leaky = {
        "leaky": lambda z: np.where(np.asarray(z) > 0, z, alpha * np.asarray(z)),
        "dleaky": _where(1.0, alpha),
    }
    f = eval(f"lambda x: {template}", {**FUNCTIONS, **leaky})  # the engine's own output
    values = np.array([float(m[0]) for m in literals])
    got = np.atleast_1d(np.asarray(f(values), dtype=float))
    want_texts = re.findall(rf"−?{NUM}", shown)
    want = np.array([float(t.replace("−", "-")) for t in want_texts])
    if got.shape != want.shape:
        return False, f"{expr} gives {got}, shown {shown}"
    slack = np.full(got.shape, 10.0 ** -max(_decimals(t) for t in want_texts))
    for k, m in enumerate(literals):
        if "." in m[0] and _decimals(m[0]) == places and m[0] not in given:  # may be rounded
            nudged = values.copy()
            nudged[k] += 10.0 ** -_decimals(m[0])
            slack += np.abs(np.atleast_1d(np.asarray(f(nudged), dtype=float)) - got)
    ok = bool(np.all(np.abs(got - want) <= slack + 1e-9))
    return ok, f"{expr} gives {got}, shown {shown} (slack {slack})"


def _substitute(part: str, known: dict[str, str], vector_result: bool) -> str:
    """Names worked out earlier replaced by their shown values (δ2[1]: an element)."""
    for name in sorted(known, key=len, reverse=True):
        value = known[name]
        before, after = r"(?<![\w/'])", r"(?=ᵀ|[^\w₀-₉']|$)"  # W2ᵀ: W2 transposed
        if value.startswith("[") and not value.startswith("[["):
            items = [v.strip() for v in value[1:-1].split(",")]

            def element(m: re.Match[str], items: list[str] = items) -> str:
                return f"({items[int(m[1]) - 1]})"

            part = re.sub(before + re.escape(name) + r"\[(\d+)\]", element, part)
        elif not value.startswith("[") and vector_result:
            continue  # a list of values per unit: its scalar names mean something else
        part = re.sub(before + re.escape(name) + after + r"(?!\[)", f"({value})", part)
    return re.sub(r"^Output ", "", part)


def check_approx_lines(p: Problem) -> tuple[int, list[str]]:
    """(calculations checked, failures) over the steps' lines that contain ≈."""
    known: dict[str, str] = {}
    if "target" in p.params:  # a number or a vector: str() writes both as the steps do
        known["y"] = str(p.params["target"])
    for k, layer in enumerate(p.params.get("layers", ()), start=1):  # a network's numbers
        known["x"] = str(p.params["x"])
        known[f"W{k}"] = str(layer["W"])
        known[f"b{k}"] = str(layer["b"])
    alpha = p.params.get("alpha", 0.1)
    given = set(re.findall(NUM, p.prompt))
    checked, failures = 0, []
    for line in p.steps:
        found = 0
        last = None
        for clause in _clauses(line):
            # "label: chain" or "chain: prose": the chains are the parts with a ≈ (or, without
            # one, the last part with an =); "a ≈ 0.3 (b is no: 1 − 0.3 ≈ 0.7)" has two
            segments = clause.split(": ")
            chains = [seg for seg in segments if " ≈ " in seg] or [
                next((seg for seg in reversed(segments) if " = " in seg), "")
            ]
            for chain in chains:
                parts = re.split(r" [=≈] ", chain)
                result = re.match(r"\s*(\[[^\]]*\]|−?\d[\d,]*(?:\.\d+)?)", parts[-1])
                if len(parts) < 2 or result is None:
                    continue
                shown = result[1] if result[1].startswith("[") else result[1].replace(",", "")
                last = shown
                named = re.fullmatch(NAME, parts[0].strip()) is not None
                if "≈" in line:
                    here = 0
                    for part in parts[1:-1] if named else parts[:-1]:
                        part = _substitute(part, known, shown.startswith("["))
                        places = max(_decimals(t) for t in re.findall(NUM, line))
                        ok, why = _adds_up_as_shown(part, shown, alpha, given, places)
                        if ok is not None:
                            here += 1
                            if not ok:
                                failures.append(f"{p.id} ({p.difficulty}): {line}\n    {why}")
                    found += here
                    shows_numbers = any(re.search(r"[0-9]", x) for x in parts[:-1])
                    if " ≈ " in chain and shows_numbers and not here:  # e^z ≈ [...]: a name
                        failures.append(f"{p.id} ({p.difficulty}): nothing to check in {chain!r}")
                if named:
                    known[parts[0].strip()] = shown
                if re.search(r" = [^=≈]*$", chain):  # shown with "=": exact from here on
                    given.add(shown.lstrip("−"))
        head = line.split(": ")[0]
        if re.fullmatch(UNIT_HEAD, head) and last is not None:
            known[head] = last
        if "≈" in line:
            checked += found
            if not found:
                failures.append(f"{p.id} ({p.difficulty}): nothing to check in {line!r}")
    return checked, failures


@pytest.mark.parametrize("family", FAMILIES)
def test_every_approx_line_adds_up_as_shown(family: str) -> None:
    checked, failures = 0, []
    for d in DIFFICULTIES:
        for s in range(100):
            n, bad = check_approx_lines(make_problem(family, s, d))
            checked += n
            failures += bad
    assert not failures, f"{len(failures)} lines:\n" + "\n".join(failures[:8])
    # weighted_sum and param_count show exact arithmetic only (no ≈); a few of the others
    # round only now and then (a share of votes, the number of batches)
    few = {"weighted_sum": 0, "param_count": 0, "training_iterations": 20, "random_forest": 20}
    assert checked >= few.get(family, 100), checked


def _slipped(line: str, k: int, units: int) -> str:
    """The line with its k-th "≈ result" moved by `units` in its last shown place."""
    m = list(re.finditer(rf" ≈ (−?{NUM})", line))[k]
    text = m[1].replace("−", "-")
    places = _decimals(text)
    moved = f"{float(text) + units * 10.0**-places:.{places}f}".replace("-", "−")
    return line[: m.start(1)] + moved + line[m.end(1) :]


@pytest.mark.parametrize("family", FAMILIES)
def test_the_approx_check_catches_a_slip_of_a_few_units(family: str) -> None:
    """A shown result moved by 5 units in its last place fails the check (a line rounding
    many shown terms may legitimately be off by a few units, so not always)."""
    caught = total = 0
    for d in DIFFICULTIES:
        for s in range(20):
            p = make_problem(family, s, d)
            for i, line in enumerate(p.steps):
                for k in range(len(re.findall(rf" ≈ −?{NUM}", line))):
                    steps = (*p.steps[:i], _slipped(line, k, 5), *p.steps[i + 1 :])
                    _, bad = check_approx_lines(dataclasses.replace(p, steps=steps))
                    caught += bool(bad)
                    total += 1
    assert total == 0 or caught >= 0.85 * total, (caught, total)
