"""Activation primitives against closed forms and finite differences."""

from __future__ import annotations

import math

import independent_math as ref
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.activations import activate, derivative, softmax, softmax_jacobian

ELEMENTWISE = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
Z = np.concatenate([np.linspace(-6, -0.05, 60), np.linspace(0.05, 6, 60)])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_matches_closed_form(name: str) -> None:
    got = activate(name, Z, alpha=0.2)
    want = [ref.activation(name, float(z), 0.2) for z in Z]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_difference(name: str) -> None:
    h = 1e-6
    fd = (activate(name, Z + h, 0.2) - activate(name, Z - h, 0.2)) / (2 * h)
    np.testing.assert_allclose(derivative(name, Z, 0.2), fd, rtol=1e-6, atol=1e-8)


def test_relu_family_values_at_known_points() -> None:
    assert activate("relu", -2.0) == 0.0
    assert activate("relu", 3.5) == 3.5
    assert activate("leaky_relu", -2.0, alpha=0.1) == pytest.approx(-0.2)
    assert derivative("relu", -1.0) == 0.0
    assert derivative("leaky_relu", -1.0, alpha=0.3) == 0.3
    assert derivative("leaky_relu", 1.0, alpha=0.3) == 1.0


def test_sigmoid_is_stable_for_huge_inputs() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = activate("sigmoid", np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(out, [0.0, 0.5, 1.0])


def test_sigmoid_known_values() -> None:
    # 1 / (1 + e^-1) and 1 / (1 + e^-0.9), to 7 decimals
    assert float(activate("sigmoid", 1.0)) == pytest.approx(0.7310586, abs=1e-7)
    assert float(activate("sigmoid", 0.9)) == pytest.approx(0.7109495, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8), st.floats(-100, 100))
def test_softmax_sums_to_one_and_is_shift_invariant(z: list[float], shift: float) -> None:
    p = softmax(z)
    assert math.isclose(float(np.sum(p)), 1.0, rel_tol=1e-12)
    assert np.all(p >= 0)
    np.testing.assert_allclose(softmax(np.array(z) + shift), p, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(p, ref.softmax(z), rtol=1e-9, atol=1e-15)


def test_softmax_does_not_overflow() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = softmax([1000.0, 1000.0, -1000.0])
    np.testing.assert_allclose(p, [0.5, 0.5, 0.0])


def test_softmax_jacobian_matches_finite_differences() -> None:
    z = np.array([0.3, -1.2, 2.0, 0.5])
    h = 1e-6
    fd = np.column_stack([(softmax(z + h * e) - softmax(z - h * e)) / (2 * h) for e in np.eye(4)])
    np.testing.assert_allclose(softmax_jacobian(z), fd, atol=1e-9)


def test_softmax_has_no_elementwise_derivative() -> None:
    with pytest.raises(ValueError, match="Jacobian"):
        derivative("softmax", [1.0, 2.0])


def test_unknown_activation_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        activate("swish", 1.0)
