"""Dense networks: forward against a loop implementation, backprop against finite differences."""

from __future__ import annotations

import itertools

import independent_math as ref
import numpy as np
import pytest

from engine.network import (
    MISTAKES,
    Layer,
    backprop,
    forward,
    gradient_step,
    param_count,
    training_iterations,
)

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax")
HEADS = (
    ("linear", "mse"),
    ("sigmoid", "mse"),
    ("tanh", "mse"),
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "categorical_cross_entropy"),
    ("softmax", "mse"),  # the general Jacobian path, no shortcut
)


def random_net(rng: np.random.Generator, hidden: str, head: str, widths=(3, 4, 3, 3)) -> list:
    layers = []
    for k in range(1, len(widths)):
        act = head if k == len(widths) - 1 else hidden
        layers.append(
            {
                "W": rng.uniform(-1, 1, (widths[k], widths[k - 1])).tolist(),
                "b": rng.uniform(-1, 1, widths[k]).tolist(),
                "activation": act,
                "alpha": 0.15,
            }
        )
    return layers


def target_for(rng: np.random.Generator, head: str, loss: str, n: int) -> list[float]:
    if loss == "categorical_cross_entropy":
        return np.eye(n)[rng.integers(n)].tolist()
    if head in ("sigmoid", "softmax"):
        return rng.integers(0, 2, n).astype(float).tolist()
    return rng.uniform(-1, 1, n).tolist()


def fd_gradients(x, layers, target, loss) -> list[tuple[np.ndarray, np.ndarray]]:
    """Central differences of the independent forward + loss, for every parameter."""
    h = 1e-6
    out = []
    for layer in layers:
        gW = np.zeros((len(layer["W"]), len(layer["W"][0])))
        gb = np.zeros(len(layer["b"]))
        for j, i in itertools.product(range(gW.shape[0]), range(gW.shape[1])):
            keep = layer["W"][j][i]

            def f(v, layer=layer, j=j, i=i):
                layer["W"][j][i] = v
                return ref.loss(loss, target, ref.forward(x, layers))

            gW[j, i] = ref.central_difference(f, keep, h)
            layer["W"][j][i] = keep
        for j in range(len(gb)):
            keep = layer["b"][j]

            def g(v, layer=layer, j=j):
                layer["b"][j] = v
                return ref.loss(loss, target, ref.forward(x, layers))

            gb[j] = ref.central_difference(g, keep, h)
            layer["b"][j] = keep
        out.append((gW, gb))
    return out


@pytest.mark.parametrize(("hidden", "head"), itertools.product(HIDDEN, HEADS))
def test_forward_matches_loop_implementation(hidden: str, head: tuple[str, str]) -> None:
    rng = np.random.default_rng(len(hidden) * 31 + len(head[0]))
    for _ in range(5):
        layers = random_net(rng, hidden, head[0])
        x = rng.uniform(-2, 2, 3).tolist()
        np.testing.assert_allclose(
            forward(x, layers), ref.forward(x, layers), rtol=1e-12, atol=1e-14
        )


@pytest.mark.parametrize(("hidden", "head"), itertools.product(HIDDEN, HEADS))
def test_backprop_matches_central_differences(hidden: str, head: tuple[str, str]) -> None:
    activation, loss = head
    rng = np.random.default_rng(len(hidden) * 7 + len(activation) * 3 + len(loss))
    for _ in range(3):
        layers = random_net(rng, hidden, activation)
        x = rng.uniform(-2, 2, 3).tolist()
        target = target_for(rng, activation, loss, 3)
        grads = backprop(x, layers, target, loss)
        for g, (gW, gb) in zip(grads, fd_gradients(x, layers, target, loss), strict=True):
            np.testing.assert_allclose(g.W, gW, rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(g.b, gb, rtol=1e-5, atol=1e-7)


def test_softmax_cross_entropy_shortcut_handles_soft_labels() -> None:
    rng = np.random.default_rng(5)
    layers = random_net(rng, "tanh", "softmax")
    x = [0.3, -1.0, 0.8]
    target = [0.1, 0.7, 0.2]
    grads = backprop(x, layers, target, "categorical_cross_entropy")
    for g, (gW, gb) in zip(
        grads, fd_gradients(x, layers, target, "categorical_cross_entropy"), strict=True
    ):
        np.testing.assert_allclose(g.W, gW, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(g.b, gb, rtol=1e-5, atol=1e-7)


def test_gradient_step_moves_against_the_gradient_and_lowers_the_loss() -> None:
    rng = np.random.default_rng(11)
    layers = random_net(rng, "tanh", "sigmoid")
    x, target = [0.5, -1.0, 2.0], [1.0, 0.0, 1.0]
    grads = backprop(x, layers, target, "binary_cross_entropy")
    stepped = gradient_step(x, layers, target, "binary_cross_entropy", lr=0.1)
    for old, g, new in zip(layers, grads, stepped, strict=True):
        np.testing.assert_allclose(new.W, np.array(old["W"]) - 0.1 * g.W)
        np.testing.assert_allclose(new.b, np.array(old["b"]) - 0.1 * g.b)
    before = ref.loss("binary_cross_entropy", target, ref.forward(x, layers))
    after_layers = [layer.to_params() for layer in stepped]
    after = ref.loss("binary_cross_entropy", target, ref.forward(x, after_layers))
    assert after < before


def test_every_named_mistake_changes_some_gradient() -> None:
    rng = np.random.default_rng(3)
    cases = {
        "categorical_cross_entropy": random_net(rng, "relu", "softmax"),
        "binary_cross_entropy": random_net(rng, "relu", "sigmoid"),
        "mse": random_net(rng, "sigmoid", "sigmoid"),
    }
    x = [1.0, 0.5, -0.7]
    changed = set()
    for loss, layers in cases.items():
        target = [0.0, 1.0, 0.0]
        right = backprop(x, layers, target, loss)
        right_step = gradient_step(x, layers, target, loss, 0.1)
        for mistake in MISTAKES:
            if mistake == "ascent":
                wrong = gradient_step(x, layers, target, loss, 0.1, mistakes=[mistake])
                pairs = [(a.W, b.W) for a, b in zip(right_step, wrong, strict=True)]
            else:
                wrong = backprop(x, layers, target, loss, mistakes=[mistake])
                pairs = [(a.W, b.W) for a, b in zip(right, wrong, strict=True)]
            if any(not np.allclose(a, b) for a, b in pairs):
                changed.add(mistake)
    assert changed == set(MISTAKES)


def test_unknown_mistake_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown mistakes"):
        backprop([1.0], [{"W": [[1.0]], "b": [0.0]}], [1.0], "mse", mistakes=["typo"])


def test_layer_shapes_are_checked() -> None:
    with pytest.raises(ValueError):
        forward([1.0, 2.0], [{"W": [[1.0, 2.0, 3.0]], "b": [0.0]}])
    with pytest.raises(ValueError):
        Layer.of({"W": [[1.0, 2.0]], "b": [0.0, 1.0]})


def test_param_count_of_the_guide_keras_model() -> None:
    # Dense(64, input_dim=20), Dense(64), Dense(10): 1,344 + 4,160 + 650 (dropout adds none)
    assert param_count(20, [64, 64, 10]) == 20 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10 == 6154


def test_param_count_small_cases() -> None:
    assert param_count(3, [1]) == 4
    assert param_count(2, [2, 1]) == 6 + 3
    with pytest.raises(ValueError):
        param_count(0, [3])
    with pytest.raises(ValueError):
        param_count(3, [2, 0])


def test_training_iterations_counts_the_partial_batch() -> None:
    assert training_iterations(1000, 32, 1) == 32  # 31 full batches + 1 partial
    assert training_iterations(1024, 32, 1) == 32
    assert training_iterations(1025, 32, 3) == 99
    assert training_iterations(10, 100, 5) == 5
    with pytest.raises(ValueError):
        training_iterations(100, 0, 1)
    with pytest.raises(ValueError):
        training_iterations(100, 10, 1.5)  # type: ignore[arg-type]
