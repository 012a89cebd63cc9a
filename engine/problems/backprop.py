"""d loss / d one weight or bias of a small network (lecture: backward pass)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.activations import derivative
from engine.losses import loss as loss_value
from engine.network import Gradient, Layer, Trace, backprop, forward_trace
from engine.problems.base import Case, approx_tolerance, choose, grid, sig_decimals
from engine.problems.layers import (
    NAMES,
    Spec,
    describe_network,
    draw_layers,
    relu_alive,
    to_params,
    well_posed,
)
from engine.problems.model import Misconception
from engine.problems.scenarios import Setting
from engine.problems.text import KEEP, approx, eq, paren, vector

SPECS = {
    "easy": Spec((2,), ((2,),), (1,), ("sigmoid", "relu"), (0, 3, 0), (1.0, 1), (1.0, 1)),
    "medium": Spec(
        (2, 3), ((2, 3),), (1, 2, 3), ("relu", "sigmoid", "tanh"), (-2, 2, 1), (1.0, 1), (1.0, 1)
    ),
    "hard": Spec(
        (3,),
        ((3,), (3,)),
        (2, 3),
        ("relu", "leaky_relu", "tanh", "sigmoid"),
        (-2, 2, 1),
        (1.0, 2),
        (1.0, 2),
    ),
}
PAIRS = {
    "easy": (("linear", "mse"), ("sigmoid", "binary_cross_entropy")),
    "medium": (
        ("linear", "mse"),
        ("sigmoid", "binary_cross_entropy"),
        ("sigmoid", "mse"),
        ("softmax", "categorical_cross_entropy"),
    ),
    "hard": (
        ("softmax", "categorical_cross_entropy"),
        ("softmax", "categorical_cross_entropy"),
        ("sigmoid", "binary_cross_entropy"),
        ("linear", "mse"),
        ("sigmoid", "mse"),
    ),
}
LOSS_LABEL = {
    "mse": "mean squared error",
    "binary_cross_entropy": "binary cross-entropy",
    "categorical_cross_entropy": "categorical cross-entropy",
}
LOSS_DEFINITION = {
    "mse": "L = (1/n) Σ (a − y)² over the {n} outputs (the mean, no ½ factor)",
    "binary_cross_entropy": "L = −(1/n) Σ [y ln a + (1 − y) ln(1 − a)] over the {n} outputs "
    "(natural log, the mean)",
    "categorical_cross_entropy": "L = −Σ y ln a over the {n} classes (natural log, summed)",
}
SHORTCUT = {("softmax", "categorical_cross_entropy"), ("sigmoid", "binary_cross_entropy")}


def _target(rng: np.random.Generator, activation: str, n: int) -> list[float]:
    if activation == "softmax":
        hot = int(rng.integers(n))
        return [1.0 if j == hot else 0.0 for j in range(n)]
    if activation == "sigmoid":
        return [float(v) for v in rng.integers(0, 2, size=n)]
    return grid(rng, -2, 2, 1, size=n)


def pick(grads: tuple[Gradient, ...], wrt: dict[str, Any]) -> float:
    g = grads[wrt["layer"]]
    if wrt["param"] == "W":
        j, i = wrt["index"]
        return float(g.W[j, i])
    return float(g.b[wrt["index"][0]])


def misconceptions(
    x: list[float],
    layers: tuple[Layer, ...],
    target: list[float],
    loss: str,
    wrt: dict[str, Any],
    trace: Trace,
) -> list[Misconception]:
    last = layers[-1]
    hidden_act = NAMES[layers[0].activation]

    def run(*mistakes: str) -> float:
        return pick(backprop(x, layers, target, loss, mistakes=mistakes, trace=trace), wrt)

    out = [
        Misconception(
            "flip_error",
            run("flip_error"),
            "The error is (output − target); (target − output) flips every sign.",
        )
    ]
    if wrt["layer"] < len(layers) - 1:
        out.append(
            Misconception(
                "dropped_activation_derivative",
                run("drop_hidden_derivative"),
                f"Going back through a {hidden_act} layer, multiply by its slope f'(z).",
            )
        )
    if (last.activation, loss) in SHORTCUT:
        out.append(
            Misconception(
                "extra_output_derivative",
                run("extra_output_derivative"),
                "(p − y) already includes the output activation's derivative: "
                "don't multiply by p(1 − p) again.",
            )
        )
        out.append(
            Misconception(
                "skipped_output_activation",
                run("drop_output_derivative"),
                "dL/dp is not dL/dz: go through the output activation "
                "(here the shortcut is p − y).",
            )
        )
    elif last.activation != "linear":
        out.append(
            Misconception(
                "dropped_output_derivative",
                run("drop_output_derivative"),
                f"Multiply dL/da by the output {NAMES[last.activation]}'s slope f'(z).",
            )
        )
    if wrt["param"] == "W":
        out.append(
            Misconception(
                "forgot_input",
                run("forgot_input"),
                "dL/dW[j][i] = δ[j] × (input i of that layer): multiply by it.",
            )
        )
        if wrt["layer"] > 0:
            out.append(
                Misconception(
                    "used_z_not_a",
                    run("preactivation_input"),
                    "Multiply by the previous layer's output a = f(z), not its pre-activation z.",
                )
            )
    if loss == "mse":
        out.append(
            Misconception(
                "no_two", run("no_two"), "The derivative of (a − y)² is 2(a − y): keep the 2."
            )
        )
    if loss != "categorical_cross_entropy" and last.units > 1:
        out.append(
            Misconception(
                "no_mean",
                run("no_mean"),
                f"The loss averages over the {last.units} outputs: divide by {last.units}.",
            )
        )
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    spec = SPECS[difficulty]
    output, loss = choose(rng, PAIRS[difficulty])
    n_out = max(choose(rng, spec.outputs), 2 if output == "softmax" else 1)
    x, layers = draw_layers(rng, spec, output, n_out)
    trace = forward_trace(x, layers)
    if not well_posed(layers, trace) or not relu_alive(layers, trace):
        return None
    target = _target(rng, output, n_out)
    k = int(rng.integers(len(layers)))
    layer = layers[k]
    if rng.random() < 0.7:
        wrt = {
            "layer": k,
            "param": "W",
            "index": [int(rng.integers(layer.units)), int(rng.integers(layer.W.shape[1]))],
        }
    else:
        wrt = {"layer": k, "param": "b", "index": [int(rng.integers(layer.units))]}
    grads = backprop(x, layers, target, loss, trace=trace)
    answer = pick(grads, wrt)
    if abs(answer) < 0.001:
        return None
    decimals = sig_decimals(answer)
    params = {"x": x, "layers": to_params(layers), "target": target, "loss": loss, "wrt": wrt}
    work = {"x": x, "layers": layers, "trace": trace, "grads": grads}
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(decimals),
        misconceptions(x, layers, target, loss, wrt, trace),
        work=work,
    )


def _vec(values: NDArray[np.float64], d: int) -> str:
    return "[" + ", ".join(approx(v, d) for v in values.tolist()) + "]"


def _param_name(wrt: dict[str, Any]) -> str:
    layer = wrt["layer"] + 1
    if wrt["param"] == "W":
        j, i = wrt["index"]
        return f"W{layer}[{j + 1}][{i + 1}]"
    return f"b{layer}[{wrt['index'][0] + 1}]"


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    x, layers, trace = case.work["x"], case.work["layers"], case.work["trace"]
    target, loss, wrt = case.params["target"], case.params["loss"], case.params["wrt"]
    d = case.decimals
    k = d + 1
    count = len(layers)
    last = layers[-1]
    name = _param_name(wrt)
    if wrt["param"] == "W":
        j, i = wrt["index"]
        source = f"input x{i + 1}" if wrt["layer"] == 0 else f"unit {i + 1} of layer {wrt['layer']}"
        what = f"the weight from {source} to unit {j + 1} of layer {wrt['layer'] + 1}"
    else:
        what = f"the bias of unit {wrt['index'][0] + 1} of layer {wrt['layer'] + 1}"
    n_units = last.units
    lines = [
        f"  target y = {vector(target)}",
        f"  loss: {LOSS_LABEL[loss]}, " + LOSS_DEFINITION[loss].format(n=n_units),
    ]
    prompt = (
        f"{setting.system.capitalize()} is a small dense network. One training example "
        f"({setting.item}) goes through it:\n\n{describe_network(x, layers)}\n"
        + "\n".join(lines)
        + "\n\n"
        f"Backpropagate. What is d loss / d {name}, the gradient for {what}? "
        f"{KEEP} Round to {d} decimals."
    )
    steps = []
    for n, (layer, z, a) in enumerate(zip(layers, trace.zs, trace.outputs, strict=True)):
        src = "x" if n == 0 else f"a{n}"
        steps.append(
            f"Forward, layer {n + 1}: z{n + 1} = W{n + 1}·{src} + b{n + 1} = {_vec(z, k)}; "
            f"a{n + 1} = {NAMES[layer.activation]}(z{n + 1}) = {_vec(a, k)}"
        )
    p = trace.output
    y = np.array(target)
    steps.append(f"Loss: {LOSS_LABEL[loss]}(y, a{count}) {eq(loss_value(loss, target, p), k)}")
    n_out = p.size
    L = count
    if (last.activation, loss) == ("softmax", "categorical_cross_entropy"):
        delta = p - y
        steps.append(
            f"Softmax with cross-entropy: δ{L} = a{L} − y = {_vec(p, k)} − {vector(target)}"
            f" = {_vec(delta, k)}"
        )
    elif (last.activation, loss) == ("sigmoid", "binary_cross_entropy"):
        delta = (p - y) / n_out
        steps.append(
            f"Sigmoid with cross-entropy: δ{L} = (a{L} − y) / {n_out} = "
            f"({_vec(p, k)} − {vector(target)}) / {n_out} = {_vec(delta, k)}"
        )
    else:
        g = 2 * (p - y) / n_out
        steps.append(
            f"dL/da{L} = 2(a{L} − y) / {n_out} = 2 × ({_vec(p, k)} − {vector(target)}) / "
            f"{n_out} = {_vec(g, k)}"
        )
        if last.activation == "linear":
            delta = g
            steps.append(f"Linear output: δ{L} = dL/dz{L} = dL/da{L} = {_vec(delta, k)}")
        else:
            fp = derivative(last.activation, trace.zs[-1], last.alpha)
            delta = g * fp
            steps.append(
                f"δ{L} = dL/da{L} ⊙ {NAMES[last.activation]}'(z{L}) = {_vec(g, k)} ⊙ "
                f"{_vec(fp, k)} = {_vec(delta, k)}"
            )
    for n in range(count - 1, wrt["layer"], -1):
        up = layers[n].W.T @ delta
        lower = layers[n - 1]
        fp = derivative(lower.activation, trace.zs[n - 1], lower.alpha)
        delta = up * fp
        steps.append(
            f"δ{n} = (W{n + 1}ᵀ δ{n + 1}) ⊙ {NAMES[lower.activation]}'(z{n}) = "
            f"{_vec(up, k)} ⊙ {_vec(fp, k)} = {_vec(delta, k)}"
        )
    n = wrt["layer"]
    if wrt["param"] == "W":
        j, i = wrt["index"]
        a_prev = trace.inputs[n]
        src = f"x[{i + 1}]" if n == 0 else f"a{n}[{i + 1}]"
        steps.append(
            f"dL/d{name} = δ{n + 1}[{j + 1}] × {src} = {paren(approx(delta[j], k))} × "
            f"{paren(approx(a_prev[i], k))} {eq(case.answer, d)}"
        )
    else:
        j = wrt["index"][0]
        steps.append(f"dL/d{name} = δ{n + 1}[{j + 1}] {eq(case.answer, d)}")
    return prompt, tuple(steps)
