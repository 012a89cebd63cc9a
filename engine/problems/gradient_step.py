"""One gradient-descent step on one example for a single neuron (guide: weight update formula)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine.activations import activate, derivative
from engine.network import Layer, backprop, gradient_step
from engine.problems.base import (
    Case,
    approx_tolerance,
    choose,
    exact_decimals,
    grid,
    sig_decimals,
)
from engine.problems.inputs import draw_values, pick_features
from engine.problems.model import Misconception, Problem
from engine.problems.neuron_output import DEFINITION, LABEL, activation_step
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage, Values, enough_decimals
from engine.problems.text import KEEP, approx, eq, num, paren, product_terms, sub, table

# difficulty -> (input counts, most x decimals, |w| max/decimals, (activation, loss) pairs, lrs);
# each x lies in its feature's declared range (scenarios.Feature)
SETUP = {
    "easy": ((2,), 1, (1.0, 1), (("linear", "mse"),), (0.1, 0.05, 0.01)),
    "medium": (
        (2, 3),
        1,
        (1.0, 1),
        (("sigmoid", "mse"), ("sigmoid", "binary_cross_entropy"), ("tanh", "mse"), ("relu", "mse")),
        (0.1, 0.5, 1.0),
    ),
    "hard": (
        (3, 4),
        2,
        (1.0, 2),
        (
            ("sigmoid", "mse"),
            ("sigmoid", "binary_cross_entropy"),
            ("tanh", "mse"),
            ("relu", "mse"),
            ("leaky_relu", "mse"),
            ("linear", "mse"),
        ),
        (0.01, 0.05, 0.1, 0.2, 0.5),
    ),
}
Z_LIMIT = {"sigmoid": 3.0, "tanh": 2.5}
LOSS_LABEL = {
    "mse": "squared error L = (a − y)² (no ½ factor)",
    "binary_cross_entropy": "binary cross-entropy L = −[y ln a + (1 − y) ln(1 − a)] (natural log)",
}
HINTS = {
    "added_gradient": "Step against the gradient: θ − lr × dL/dθ, not θ + lr × dL/dθ.",
    "dropped_activation_derivative": "Chain rule: multiply dL/da by the activation's slope f'(z).",
    "extra_sigmoid_derivative": "With sigmoid and cross-entropy, dL/dz = a − y already: "
    "don't multiply by σ'(z) again.",
    "forgot_lr": "Scale the gradient by the learning rate before subtracting it.",
    "gradient_not_parameter": "The question asks for the updated parameter, not its gradient.",
    "step_not_parameter": "Subtract the step from the old value: θ_new = θ − lr × dL/dθ.",
    "forgot_input": "dL/dwᵢ = δ × xᵢ: multiply by the input that the weight scales.",
    "no_two": "The derivative of (a − y)² is 2(a − y): keep the 2.",
}


def _target(rng: np.random.Generator, activation: str, loss: str) -> float:
    if loss == "binary_cross_entropy" or activation == "sigmoid":
        return float(rng.integers(0, 2))
    if activation == "tanh":
        return grid(rng, -1, 1, 1)
    if activation == "relu":
        return grid(rng, 0, 3, 1)
    return grid(rng, -2, 3, 0 if activation == "linear" else 1)


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    counts, xd, (wmax, wd), pairs, lrs = SETUP[difficulty]
    n = choose(rng, counts)
    activation, loss = choose(rng, pairs)
    alpha = 0.01  # the default slope: params carry no alpha for this family
    features = pick_features(rng, setting, n)
    x, w = draw_values(rng, features, xd, wmax, wd, nonzero=True)
    b = grid(rng, -1, 1, wd, nonzero=True)
    lr = choose(rng, lrs)
    target = _target(rng, activation, loss)
    z = sum(xi * wi for xi, wi in zip(x, w, strict=True)) + b
    if abs(z) < 0.1 or abs(z) > Z_LIMIT.get(activation, 10.0):
        return None
    if activation == "relu" and z < 0:
        return None  # a dead ReLU does not learn: every misconception would equal the answer
    ask = "b" if rng.random() < 0.3 else "w"
    index = int(rng.integers(n)) if ask == "w" else 0

    layers = (Layer(np.array([w]), np.array([b]), activation, alpha),)

    def run(*mistakes: str, rate: float = lr) -> float:
        new = gradient_step(x, layers, [target], loss, rate, mistakes=mistakes)[0]
        return float(new.W[0, index] if ask == "w" else new.b[0])

    answer = run()
    grad_layer = backprop(x, layers, [target], loss)[0]
    grad = float(grad_layer.W[0, index] if ask == "w" else grad_layer.b[0])
    old = w[index] if ask == "w" else b
    if abs(lr * grad) < 0.001:
        return None
    candidates = [
        Misconception("added_gradient", run("ascent"), HINTS["added_gradient"]),
        Misconception("forgot_lr", run(rate=1.0), HINTS["forgot_lr"]),
        Misconception("gradient_not_parameter", grad, HINTS["gradient_not_parameter"]),
        Misconception("step_not_parameter", -lr * grad, HINTS["step_not_parameter"]),
    ]
    if activation == "sigmoid" and loss == "binary_cross_entropy":
        candidates.insert(
            1,
            Misconception(
                "extra_sigmoid_derivative",
                run("extra_output_derivative"),
                HINTS["extra_sigmoid_derivative"],
            ),
        )
    elif activation != "linear":
        candidates.insert(
            1,
            Misconception(
                "dropped_activation_derivative",
                run("drop_output_derivative"),
                HINTS["dropped_activation_derivative"],
            ),
        )
    if loss == "mse":
        candidates.append(Misconception("no_two", run("no_two"), HINTS["no_two"]))
    if ask == "w":
        candidates.append(Misconception("forgot_input", run("forgot_input"), HINTS["forgot_input"]))
    decimals = min(6, max(sig_decimals(answer), sig_decimals(lr * grad)))
    params = {
        "x": x,
        "w": w,
        "b": b,
        "activation": activation,
        "target": target,
        "loss": loss,
        "lr": lr,
        "ask": ask,
        "index": index,
    }
    work = {"z": z, "alpha": alpha, "grad": grad, "old": old, "features": features}
    return Case(params, answer, decimals, approx_tolerance(decimals), candidates, work=work)


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    p, work = case.params, case.work
    x, w, b, activation, loss = p["x"], p["w"], p["b"], p["activation"], p["loss"]
    target, lr, ask, index = p["target"], p["lr"], p["ask"], p["index"]
    z, alpha, grad, old = work["z"], work["alpha"], work["grad"], work["old"]
    d = case.decimals
    k = d + 1  # intermediate values carry one more decimal
    names = [f.label for f in work["features"]]
    rows = [
        [f"x{sub(i + 1)}: {name}", num(xi), num(wi)]
        for i, (name, xi, wi) in enumerate(zip(names, x, w, strict=True))
    ]
    act = LABEL[activation] + (f" (α = {num(alpha)})" if activation == "leaky_relu" else "")
    what = f"the weight w{sub(index + 1)} (on {names[index]})" if ask == "w" else "the bias b"
    prompt = (
        f"A neuron in {setting.system} has a {act} activation and is trained with "
        f"{LOSS_LABEL[loss]} loss. One training example ({setting.item}) arrives:\n\n"
        f"{table(['input', 'x', 'w'], rows)}\n\n"
        f"The bias is b = {num(b)} and the true target is y = {num(target)}. Take one "
        f"gradient-descent step on this single example with learning rate {num(lr)}. "
        f"The neuron computes z = w·x + b and a = f(z) with {DEFINITION[activation]}, and "
        f"the step is θ ← θ − lr × dL/dθ. "
        f"What is {what} afterwards? {KEEP} Round to {d} decimals."
    )
    a = float(activate(activation, z, alpha))
    fp = float(derivative(activation, z, alpha))
    steps = [
        f"Forward: z = {product_terms(x, w)} + {paren(num(b))} = {num(round(z, 10))}",
        activation_step(activation, z, alpha, k),
    ]
    if loss == "binary_cross_entropy":
        delta = a - target
        steps.append(
            f"Sigmoid with cross-entropy: δ = dL/dz = a − y = {approx(a, k)} − "
            f"{num(target)} {eq(delta, k)}"
        )
    else:
        g = 2 * (a - target)
        delta = g * fp
        steps.append(f"dL/da = 2(a − y) = 2 × ({approx(a, k)} − {paren(num(target))}) {eq(g, k)}")
        if activation in ("sigmoid", "tanh"):  # the slope from a, as a learner finds it
            formula = "a(1 − a)" if activation == "sigmoid" else "1 − a²"
            shown_a = approx(a, k)
            worked = (
                f"{shown_a} × (1 − {paren(shown_a)})"
                if activation == "sigmoid"
                else f"1 − {paren(shown_a)}²"
            )
            steps.append(f"f'(z) = {formula} = {worked} {eq(fp, k)}")
        elif activation != "linear":
            steps.append(f"f'(z) {eq(fp, k)} (z {'>' if z > 0 else '<'} 0)")
        steps.append(
            f"δ = dL/dz = dL/da × f'(z) = {paren(approx(g, k))} × {approx(fp, k)} {eq(delta, k)}"
        )
    if ask == "w":
        xi = x[index]
        sym = f"w{sub(index + 1)}"
        steps.append(
            f"dL/d{sym} = δ × x{sub(index + 1)} = {paren(approx(delta, k))} × "
            f"{paren(num(xi))} {eq(grad, k)}"
        )
    else:
        sym = "b"
        steps.append(f"dL/db = δ {eq(grad, k)}")
    steps.append(
        f"{sym} ← {sym} − lr × dL/d{sym} = {num(old)} − {num(lr)} × "
        f"{paren(approx(grad, k))} {eq(case.answer, d)}"
    )
    return prompt, tuple(steps)


SLOPE_HINT = {
    "sigmoid": "σ'(z) = a(1 − a): multiply your a by (1 − a).",
    "tanh": "tanh'(z) = 1 − a²: square your a and subtract it from 1.",
    "relu": "ReLU'(z) is 1 for z > 0 and 0 for z < 0: read it off the sign of your z.",
    "leaky_relu": "Leaky ReLU'(z) is 1 for z > 0 and α = 0.01 for z < 0: read it off the sign "
    "of your z.",
}


def _slope(activation: str, z: float, a: float, alpha: float) -> float:
    """f'(z) the way it is found by hand: from a for sigmoid and tanh, from z's sign else."""
    if activation == "sigmoid":
        return a * (1 - a)
    if activation == "tanh":
        return 1 - a * a
    return float(derivative(activation, z, alpha))


def stages(problem: Problem) -> tuple[Stage, ...]:
    """z, a, dL/da, f'(z), δ = dL/dz, the gradient, then the updated parameter (the steps a
    linear neuron or sigmoid with cross-entropy skip are left out)."""
    p = problem.params
    x, w, b, activation, loss = p["x"], p["w"], p["b"], p["activation"], p["loss"]
    target, lr, ask, index = p["target"], p["lr"], p["ask"], p["index"]
    alpha = 0.01  # draw's slope: params carry no alpha for this family
    z = sum(xi * wi for xi, wi in zip(x, w, strict=True)) + b
    d = problem.decimals
    y = num(target)

    def inner(value: float) -> int:  # the worked solution shows d + 1 decimals; ≥ 4 significant
        return sig_decimals(value, 4, lo=d + 1, hi=max(6, d + 1))

    out = [
        Stage(
            "z",
            "z = w·x + b, the weighted sum",
            f"Multiply each input by its weight, add the products, then add the bias {num(b)}.",
            max(exact_decimals(z, 6), 1),
            lambda given: z,
        )
    ]
    right: dict[str, float] = {"z": z}

    def add(key: str, label: str, hint: str, compute: Callable[[Values], float]) -> None:
        right[key] = float(compute(right))
        out.append(Stage(key, label, hint, inner(right[key]), compute))

    if activation == "linear":
        add(
            "delta",
            "δ = dL/dz = 2(a − y), with a = z (linear)",
            f"Subtract the target y = {y} from your z and double it: a linear neuron's "
            "slope is 1, so dL/dz = dL/da.",
            lambda given: 2 * (given["z"] - target),
        )
    else:
        add(
            "a",
            f"a = f(z), the {LABEL[activation]} output",
            f"Apply the activation to your z: {DEFINITION[activation]}.",
            lambda given: float(activate(activation, given["z"], alpha)),
        )
        if loss == "binary_cross_entropy":
            add(
                "delta",
                "δ = dL/dz = a − y (sigmoid with cross-entropy)",
                f"Subtract the target y = {y} from your a: with cross-entropy the sigmoid's "
                "slope cancels.",
                lambda given: given["a"] - target,
            )
        else:
            add(
                "dLda",
                "dL/da = 2(a − y), the slope of the loss in a",
                f"Subtract the target y = {y} from your a and double it.",
                lambda given: 2 * (given["a"] - target),
            )
            add(
                "fprime",
                f"f'(z), the slope of {LABEL[activation]} at your z",
                SLOPE_HINT[activation],
                lambda given: _slope(activation, given["z"], given["a"], alpha),
            )
            add(
                "delta",
                "δ = dL/dz = dL/da × f'(z) (the chain rule)",
                "Multiply your dL/da by your f'(z).",
                lambda given: given["dLda"] * given["fprime"],
            )
    if ask == "w":
        xi, sym = x[index], f"w{sub(index + 1)}"
        add(
            "grad",
            f"dL/d{sym} = δ × x{sub(index + 1)}",
            f"Multiply your δ by the input x{sub(index + 1)} = {num(xi)} that {sym} scales.",
            lambda given: given["delta"] * xi,
        )
        old, source, what = w[index], "grad", f"your dL/d{sym}"
    else:
        sym, old, source, what = "b", b, "delta", "your δ (dL/db = δ: the bias's input is 1)"
    out.append(
        Stage(
            "new",
            f"{sym} after the step: {sym} − lr × dL/d{sym}",
            f"Multiply {what} by lr = {num(lr)} and subtract the product from {sym} = {num(old)}.",
            d,
            lambda given: old - lr * given[source],
        )
    )
    return enough_decimals(tuple(out), d)
