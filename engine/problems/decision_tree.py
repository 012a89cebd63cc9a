"""One decision-tree split: the parent node's impurity, or the split's information gain.

params: `left`, `right` (class counts of the two children, the same length), `criterion`
("gini": 1 − Σ p², or "entropy": −Σ p log₂ p) and `ask` ("parent_impurity" or "gain").
The gain is the parent's impurity minus the children's impurities weighted by their sizes.
Easy: two classes. Medium: two or three. Hard: three or four classes, always the gain, with
children of clearly different sizes (so weighting by size matters).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.problems.base import Case, approx_tolerance, choose, sig_decimals
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage, Values
from engine.problems.text import KEEP, approx, eq, table

CLASSES = {"easy": (2,), "medium": (2, 3), "hard": (3, 4)}
CHILD = {"easy": (3, 10), "medium": (4, 16), "hard": (5, 30)}
MIN_GAIN = 0.02
LOG = {"log2": math.log2, "ln": math.log}


def const(value: float) -> Callable[[Values], float]:
    """A stage value that does not depend on earlier stages."""
    return lambda given: float(value)


def gini(counts: list[int]) -> float:
    n = sum(counts)
    return 1.0 - sum((c / n) ** 2 for c in counts)


def entropy(counts: list[int], log: str = "log2") -> float:
    n = sum(counts)
    f = LOG[log]
    return -sum(c / n * f(c / n) for c in counts if c)


def impurity(criterion: str, counts: list[int]) -> float:
    return gini(counts) if criterion == "gini" else entropy(counts)


def weighted(criterion: str, left: list[int], right: list[int]) -> float:
    nl, nr = sum(left), sum(right)
    return (nl * impurity(criterion, left) + nr * impurity(criterion, right)) / (nl + nr)


def gain(criterion: str, left: list[int], right: list[int]) -> float:
    parent = [a + b for a, b in zip(left, right, strict=True)]
    return impurity(criterion, parent) - weighted(criterion, left, right)


def other(criterion: str) -> str:
    return "entropy" if criterion == "gini" else "gini"


def _parent_misconceptions(criterion: str, parent: list[int]) -> list[Misconception]:
    n = sum(parent)
    shares = [c / n for c in parent]
    if criterion == "gini":
        return [
            Misconception(
                "no_one_minus",
                sum(p * p for p in shares),
                "Gini impurity is 1 − Σ p²: Σ p² alone is the purity.",
            ),
            Misconception(
                "forgot_square",
                1.0 - sum(shares),
                "Square each share before adding: G = 1 − Σ p², and Σ p is always 1.",
            ),
            Misconception(
                "misclassification_error",
                1.0 - max(shares),
                "That is the misclassification error 1 − max p; Gini is 1 − Σ p².",
            ),
            Misconception(
                "used_entropy",
                entropy(parent),
                "The criterion here is Gini impurity, not entropy.",
            ),
        ]
    return [
        Misconception(
            "natural_log",
            entropy(parent, "ln"),
            "Entropy here uses log base 2 (bits), not the natural log.",
        ),
        Misconception(
            "no_minus",
            -entropy(parent),
            "log₂ p is negative for p < 1: the leading minus makes entropy positive.",
        ),
        Misconception(
            "unweighted_logs",
            -sum(math.log2(p) for p in shares if p),
            "Weight each log₂ p by its share p: H = −Σ p log₂ p.",
        ),
        Misconception(
            "used_gini",
            gini(parent),
            "The criterion here is entropy, not Gini impurity.",
        ),
    ]


def _gain_misconceptions(criterion: str, left: list[int], right: list[int]) -> list[Misconception]:
    parent = [a + b for a, b in zip(left, right, strict=True)]
    i_p = impurity(criterion, parent)
    i_l, i_r = impurity(criterion, left), impurity(criterion, right)
    nl, nr = sum(left), sum(right)
    out = [
        Misconception(
            "unweighted_children",
            i_p - (i_l + i_r) / 2,
            "Weight each child's impurity by its share of the examples, not ½ each.",
        ),
        Misconception(
            "summed_children",
            i_p - (i_l + i_r),
            "The children's impurities are averaged, weighted by size, not added.",
        ),
        Misconception(
            "forgot_parent",
            weighted(criterion, left, right),
            "The gain is the parent's impurity MINUS the weighted children's impurity.",
        ),
        Misconception(
            "swapped_weights",
            i_p - (nr * i_l + nl * i_r) / (nl + nr),
            "Each child is weighted by its OWN size: n_left / n for the left child.",
        ),
        Misconception(
            f"used_{other(criterion)}",
            gain(other(criterion), left, right),
            f"The criterion here is {'Gini impurity' if criterion == 'gini' else 'entropy'}.",
        ),
    ]
    if criterion == "entropy":
        out.append(
            Misconception(
                "natural_log",
                entropy(parent, "ln")
                - (nl * entropy(left, "ln") + nr * entropy(right, "ln")) / (nl + nr),
                "Entropy here uses log base 2 (bits), not the natural log.",
            )
        )
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    classes = int(choose(rng, CLASSES[difficulty]))
    lo, hi = CHILD[difficulty]
    nl, nr = (int(v) for v in rng.integers(lo, hi + 1, size=2))
    if difficulty == "hard" and max(nl, nr) < 2 * min(nl, nr):
        return None  # hard: clearly unequal children
    left = [int(v) for v in rng.multinomial(nl, rng.dirichlet(np.ones(classes)))]
    right = [int(v) for v in rng.multinomial(nr, rng.dirichlet(np.ones(classes)))]
    parent = [a + b for a, b in zip(left, right, strict=True)]
    if min(parent) == 0:
        return None  # every class occurs in the node
    criterion = "gini" if rng.random() < 0.5 else "entropy"
    ask = "gain" if difficulty == "hard" or rng.random() < 0.5 else "parent_impurity"
    g = gain(criterion, left, right)
    if g < MIN_GAIN:
        return None
    if ask == "gain":
        answer = g
        candidates = _gain_misconceptions(criterion, left, right)
    else:
        answer = impurity(criterion, parent)
        candidates = _parent_misconceptions(criterion, parent)
    decimals = sig_decimals(answer)
    params = {"left": left, "right": right, "criterion": criterion, "ask": ask}
    return Case(params, answer, decimals, approx_tolerance(decimals), candidates)


def domain(params: dict[str, Any]) -> Domain:
    left, right, criterion = params["left"], params["right"], params["criterion"]
    parent = [a + b for a, b in zip(left, right, strict=True)]
    if params["ask"] == "gain":
        return Domain(lo=0.0, hi=impurity(criterion, parent))
    k = len(parent)
    return Domain(lo=0.0, hi=1.0 - 1.0 / k if criterion == "gini" else math.log2(k))


DEFINITION = {
    "gini": "Gini impurity G = 1 − Σ pᵢ², where pᵢ is the share of class i in the node",
    "entropy": (
        "entropy H = −Σ pᵢ log₂ pᵢ (log base 2), where pᵢ is the share of class i in the "
        "node; a class with no examples adds 0"
    ),
}


def _terms(criterion: str, counts: list[int]) -> str:
    n = sum(counts)
    if criterion == "gini":
        inner = " + ".join(f"({c}/{n})²" for c in counts)
        return f"1 − [{inner}]"
    inner = " + ".join(f"({c}/{n}) log₂({c}/{n})" for c in counts if c)
    return f"−[{inner}]"


def _line(name: str, criterion: str, counts: list[int], d: int) -> str:
    value = impurity(criterion, counts)
    return f"{name}: {_terms(criterion, counts)} {eq(value, d)}"


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    left: list[int] = case.params["left"]
    right: list[int] = case.params["right"]
    criterion, ask = case.params["criterion"], case.params["ask"]
    parent = [a + b for a, b in zip(left, right, strict=True)]
    nl, nr, n = sum(left), sum(right), sum(parent)
    d = case.decimals
    names = setting.classes[: len(left)]
    rows = [
        ["left child", *(str(c) for c in left), str(nl)],
        ["right child", *(str(c) for c in right), str(nr)],
    ]
    counts = table(["node", *names, "total"], rows)
    name = "Gini impurity" if criterion == "gini" else "entropy"
    story = (
        f"In {setting.system}, a decision tree learns from {n} {setting.examples}, each "
        f"labelled with one class. A split sends them to two children; the class counts "
        f"are:\n\n{counts}\n\nThe tree measures impurity with the {DEFINITION[criterion]}. "
    )
    if ask == "parent_impurity":
        prompt = story + (
            f"What is the {name} of the parent node (all {n} {setting.examples} before the "
            f"split)? {KEEP} Round to {d} decimals."
        )
        steps: tuple[str, ...] = (
            "Parent counts (left + right): " + ", ".join(f"{c}" for c in parent) + f" of {n}",
            _line(f"Parent {name}", criterion, parent, d),
        )
        return prompt, steps
    prompt = story + (
        "The information gain of the split is the parent's impurity minus the children's "
        f"impurities weighted by their sizes: gain = I(parent) − ({nl}/{n})·I(left) − "
        f"({nr}/{n})·I(right). What is the information gain of this split, using {name} "
        f"as I? {KEEP} Round to {d} decimals."
    )
    e = d + 1
    i_p, i_l, i_r = (impurity(criterion, c) for c in (parent, left, right))
    w = weighted(criterion, left, right)
    steps = (
        "Parent counts (left + right): " + ", ".join(f"{c}" for c in parent) + f" of {n}",
        _line(f"I(parent) ({name})", criterion, parent, e),
        _line("I(left)", criterion, left, e),
        _line("I(right)", criterion, right, e),
        f"Weighted children: ({nl}/{n}) × {approx(i_l, e)} + ({nr}/{n}) × {approx(i_r, e)} "
        f"{eq(w, e)}",
        f"Gain: {approx(i_p, e)} − {approx(w, e)} {eq(case.answer, d)}",
    )
    return prompt, steps


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Parent: each class's term, then the impurity. Gain: the three impurities, the weighted
    children and the gain."""
    left: list[int] = problem.params["left"]
    right: list[int] = problem.params["right"]
    criterion, ask = problem.params["criterion"], problem.params["ask"]
    parent = [a + b for a, b in zip(left, right, strict=True)]
    nl, nr, n = sum(left), sum(right), sum(parent)
    d = problem.decimals + 1
    name = "Gini impurity" if criterion == "gini" else "entropy"
    how = (
        "1 − Σ p², p = each class's count divided by the node's size"
        if criterion == "gini"
        else "−Σ p log₂ p, p = each class's count divided by the node's size"
    )
    if ask == "parent_impurity":
        keys = [f"term_{j}" for j in range(len(parent))]
        then = "square it" if criterion == "gini" else "multiply p by log₂ p and flip the sign"
        out = []
        for j, c in enumerate(parent):
            p = c / n
            value = p * p if criterion == "gini" else -p * math.log2(p)
            label = (
                f"p{j}² for class {j} (its share of the parent, squared)"
                if criterion == "gini"
                else f"−p{j} log₂ p{j} for class {j} (p{j}: its share of the parent)"
            )
            out.append(
                Stage(
                    keys[j],
                    label,
                    f"p{j} = {c}/{n}; then {then}.",
                    d,
                    const(value),
                )
            )

        def final(given: Values) -> float:
            total = sum(given[k] for k in keys)
            return 1.0 - total if criterion == "gini" else total

        out.append(
            Stage(
                "parent",
                f"the parent's {name}",
                "1 minus the sum of your squared shares."
                if criterion == "gini"
                else "Add up your terms.",
                problem.decimals,
                final,
            )
        )
        return tuple(out)
    i_p, i_l, i_r = (impurity(criterion, c) for c in (parent, left, right))
    return (
        Stage("parent", f"I(parent), the parent's {name}", f"{how}.", d, lambda given: i_p),
        Stage("left", f"I(left), the left child's {name}", f"{how}.", d, lambda given: i_l),
        Stage("right", f"I(right), the right child's {name}", f"{how}.", d, lambda given: i_r),
        Stage(
            "weighted",
            "the children's impurity, weighted by size: (n_left/n)·I(left) + (n_right/n)·I(right)",
            f"Weight your I(left) by {nl}/{n} and your I(right) by {nr}/{n}, then add.",
            d,
            lambda given: (nl * given["left"] + nr * given["right"]) / n,
        ),
        Stage(
            "gain",
            "the information gain: I(parent) − the weighted children's impurity",
            "Subtract your weighted children's impurity from your I(parent).",
            problem.decimals,
            lambda given: given["parent"] - given["weighted"],
        ),
    )
