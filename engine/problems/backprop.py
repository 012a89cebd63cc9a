"""d loss / d one weight or bias of a small network (lecture: backward pass)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.activations import activate, derivative
from engine.losses import loss as loss_value
from engine.network import Gradient, Layer, Trace, as_layers, backprop, forward_trace
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
from engine.problems.model import Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage, Values, enough_decimals
from engine.problems.text import KEEP, approx, eq, num, paren, vector

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


def _vec_eq(values: NDArray[np.float64], d: int) -> str:
    """ "= [..]" when rounding loses nothing, else "≈ [..]" (like text.eq, for a vector)."""
    exact = all(eq(v, d).startswith("=") for v in values.tolist())
    return f"{'=' if exact else '≈'} {_vec(values, d)}"


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
            f"Forward, layer {n + 1}: z{n + 1} = W{n + 1}·{src} + b{n + 1} {_vec_eq(z, k)}; "
            f"a{n + 1} = {NAMES[layer.activation]}(z{n + 1}) {_vec_eq(a, k)}"
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
            f" {_vec_eq(delta, k)}"
        )
    elif (last.activation, loss) == ("sigmoid", "binary_cross_entropy"):
        delta = (p - y) / n_out
        steps.append(
            f"Sigmoid with cross-entropy: δ{L} = (a{L} − y) / {n_out} = "
            f"({_vec(p, k)} − {vector(target)}) / {n_out} {_vec_eq(delta, k)}"
        )
    else:
        g = 2 * (p - y) / n_out
        steps.append(
            f"dL/da{L} = 2(a{L} − y) / {n_out} = 2 × ({_vec(p, k)} − {vector(target)}) / "
            f"{n_out} {_vec_eq(g, k)}"
        )
        if last.activation == "linear":
            delta = g
            steps.append(f"Linear output: δ{L} = dL/dz{L} = dL/da{L} {_vec_eq(delta, k)}")
        else:
            fp = derivative(last.activation, trace.zs[-1], last.alpha)
            delta = g * fp
            steps.append(
                f"δ{L} = dL/da{L} ⊙ {NAMES[last.activation]}'(z{L}) = {_vec(g, k)} ⊙ "
                f"{_vec(fp, k)} {_vec_eq(delta, k)}"
            )
    for n in range(count - 1, wrt["layer"], -1):
        up = layers[n].W.T @ delta
        lower = layers[n - 1]
        fp = derivative(lower.activation, trace.zs[n - 1], lower.alpha)
        delta = up * fp
        steps.append(
            f"δ{n} = (W{n + 1}ᵀ δ{n + 1}) ⊙ {NAMES[lower.activation]}'(z{n}) = "
            f"{_vec(up, k)} ⊙ {_vec(fp, k)} {_vec_eq(delta, k)}"
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


SLOPE = {
    "sigmoid": "σ'(z) = a(1 − a)",
    "tanh": "tanh'(z) = 1 − a²",
    "relu": "ReLU'(z) = 1 for z > 0, else 0",
    "leaky_relu": "leaky ReLU'(z) = 1 for z > 0, else α",
}


def _outputs_with(
    x: list[float], layers: tuple[Layer, ...], swap: dict[tuple[int, int], float]
) -> list[tuple[list[float], list[float]]]:
    """Each layer's (z, a), with the outputs in `swap` ((layer, unit) -> value) replaced by a
    learner's values before they feed the next layer."""
    inputs, out = list(x), []
    for k, layer in enumerate(layers):
        zs = [
            sum(w * v for w, v in zip(row, inputs, strict=True)) + bias
            for row, bias in zip(layer.W.tolist(), layer.b.tolist(), strict=True)
        ]
        acts = [float(v) for v in activate(layer.activation, np.array(zs), layer.alpha)]
        for (n, unit), value in swap.items():
            if n == k:
                acts[unit] = value
        out.append((zs, acts))
        inputs = acts
    return out


def _slope_at(layer: Layer, z: float, a: float) -> float:
    """f'(z) the way it is found by hand: from a for sigmoid and tanh, from z's sign else."""
    if layer.activation == "sigmoid":
        return a * (1 - a)
    if layer.activation == "tanh":
        return 1 - a * a
    return float(derivative(layer.activation, z, layer.alpha))


def stages(problem: Problem) -> tuple[Stage, ...]:
    """The input the weight multiplies, the output values and δs on the way back, then the
    gradient. With many outputs each output δ is one stage (its forward value inside it)."""
    p = problem.params
    x: list[float] = p["x"]
    target: list[float] = p["target"]
    loss, wrt = p["loss"], p["wrt"]
    layers = as_layers(p["layers"])
    count, d = len(layers), problem.decimals
    top, last = count - 1, layers[-1]
    n_out, pair = last.units, (last.activation, loss)
    k, j = wrt["layer"], wrt["index"][0]
    name = _param_name(wrt)
    right: dict[str, float] = {}
    out: list[Stage] = []

    def inner(value: float) -> int:  # the worked solution shows d + 1 decimals; ≥ 4 significant
        return sig_decimals(value, 4, lo=d + 1, hi=max(6, d + 1))

    def add(key: str, label: str, hint: str, compute: Callable[[Values], float]) -> None:
        right[key] = float(compute(right))
        out.append(Stage(key, label, hint, inner(right[key]), compute))

    swap_key = None
    if wrt["param"] == "W" and k > 0:
        i = wrt["index"][1]
        swap_key = f"a{k}_{i + 1}"
        value = float(forward_trace(x, layers).outputs[k - 1][i])
        add(
            swap_key,
            f"a{k}[{i + 1}], the output of unit {i + 1} of layer {k} (what {name} multiplies)",
            f"Run the forward pass up to layer {k}: z = W{k}[{i + 1}]·(its inputs) + "
            f"b{k}[{i + 1}], then apply {NAMES[layers[k - 1].activation]}.",
            lambda given: value,
        )

    def forward_of(given: Values) -> list[tuple[list[float], list[float]]]:
        swap = {} if swap_key is None else {(k - 1, wrt["index"][1]): given[swap_key]}
        return _outputs_with(x, layers, swap)

    def output_delta(o: float, m: int) -> float:
        if pair == ("softmax", "categorical_cross_entropy"):
            return o * sum(target) - target[m]
        if pair == ("sigmoid", "binary_cross_entropy"):
            return (o - target[m]) / n_out
        g = 2 * (o - target[m]) / n_out
        return g * o * (1 - o) if last.activation == "sigmoid" else g

    over = f" / {n_out}" if n_out > 1 else ""
    formula = {
        ("softmax", "categorical_cross_entropy"): "a − y (softmax with cross-entropy)",
        ("sigmoid", "binary_cross_entropy"): f"{'(a − y)' + over if over else 'a − y'} "
        "(sigmoid with cross-entropy)",
        ("linear", "mse"): f"2(a − y){over} (linear output: dL/dz = dL/da)",
        ("sigmoid", "mse"): f"2(a − y){over} × a(1 − a)",
    }[pair]
    L = count
    needed = [j] if k == top else list(range(n_out))
    if len(needed) == 1:
        m = needed[0]
        unit = f"a{L}[{m + 1}]" if n_out > 1 else f"a{L}"
        add(
            "o",
            f"{unit}, the network's output ({NAMES[last.activation]})"
            if n_out == 1
            else f"{unit}, output {m + 1} of the network ({NAMES[last.activation]})",
            "Run the forward pass: each layer computes z = W·(its inputs) + b and applies "
            "its activation.",
            lambda given: forward_of(given)[top][1][m],
        )
        if pair == ("sigmoid", "mse"):
            add(
                "dLdo",
                f"dL/d{unit} = 2(a − y){over}, the slope of the loss in the output",
                f"Subtract the target {num(target[m])} from your output, double it"
                + (f" and divide by {n_out} (the loss is a mean)." if n_out > 1 else "."),
                lambda given: 2 * (given["o"] - target[m]) / n_out,
            )
            add(
                f"delta{L}_{m + 1}",
                f"δ{L}[{m + 1}] = dL/da × a(1 − a), through the output sigmoid",
                "Multiply your dL/da by σ'(z) = a(1 − a), with your output as a.",
                lambda given: given["dLdo"] * given["o"] * (1 - given["o"]),
            )
        else:
            add(
                f"delta{L}_{m + 1}",
                f"δ{L}[{m + 1}] = {formula}",
                f"Subtract the target {num(target[m])} from your output"
                + (", double it" if loss == "mse" else "")
                + (f" and divide by {n_out}." if n_out > 1 and "/" in formula else "."),
                lambda given: output_delta(given["o"], m),
            )
    else:
        for m in needed:

            def delta_out(m: int = m) -> Callable[[Values], float]:
                return lambda given: output_delta(forward_of(given)[top][1][m], m)

            add(
                f"delta{L}_{m + 1}",
                f"δ{L}[{m + 1}] = {formula}, for output {m + 1} (y = {num(target[m])})",
                f"Run the forward pass to output {m + 1}'s a (z = W{L}[{m + 1}]·a{L - 1} + "
                f"b{L}[{m + 1}], then {NAMES[last.activation]}) and apply the formula.",
                delta_out(),
            )

    def delta_hidden(n: int, u: int) -> Callable[[Values], float]:
        above = [f"delta{n + 2}_{m + 1}" for m in range(layers[n + 1].units)]
        column: list[float] = layers[n + 1].W[:, u].tolist()

        def compute(given: Values) -> float:
            zs, acts = forward_of(given)[n]
            back = sum(w * given[key] for w, key in zip(column, above, strict=True))
            return back * _slope_at(layers[n], zs[u], acts[u])

        return compute

    for n in range(top - 1, k - 1, -1):  # hidden layers, top down: layer n + 1 in the text
        layer = layers[n]
        for u in [j] if n == k else range(layer.units):
            add(
                f"delta{n + 1}_{u + 1}",
                f"δ{n + 1}[{u + 1}] = (Σₘ W{n + 2}[m][{u + 1}] × δ{n + 2}[m]) × "
                f"f'(z{n + 1}[{u + 1}])",
                f"Multiply each of your δ{n + 2} values by its weight from unit {u + 1} (column "
                f"{u + 1} of W{n + 2}), add the products, then multiply by the slope of "
                f"{NAMES[layer.activation]} at unit {u + 1}: {SLOPE[layer.activation]}, "
                "with that unit's own z and a from the forward pass.",
                delta_hidden(n, u),
            )
    mine = f"delta{k + 1}_{j + 1}"
    if wrt["param"] == "b":
        final = out[-1]
        out[-1] = Stage(
            final.key,
            f"dL/d{name} = {final.label}",
            final.hint + " The bias's input is 1, so this δ is the gradient.",
            d,
            final.compute,
        )
        return enough_decimals(tuple(out), d)
    i = wrt["index"][1]
    feed = "x" if k == 0 else f"a{k}"
    source = f"x[{i + 1}] = {num(x[i])}" if k == 0 else f"your a{k}[{i + 1}]"

    def times(given: Values) -> float:
        return x[i] if swap_key is None else given[swap_key]

    out.append(
        Stage(
            "grad",
            f"dL/d{name} = δ{k + 1}[{j + 1}] × {feed}[{i + 1}]",
            f"Multiply your δ{k + 1}[{j + 1}] by {source}, the input that {name} multiplies.",
            d,
            lambda given: given[mine] * times(given),
        )
    )
    return enough_decimals(tuple(out), d)
