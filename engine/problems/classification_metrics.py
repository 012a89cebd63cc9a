"""Accuracy, precision, recall, F1 or specificity from a binary confusion matrix (lecture:
evaluating classifiers).

Easy and medium show the confusion matrix as a table. Hard describes the test set in words
(how many are actually positive, how many the model flagged, how many flags were right), so
the learner builds the matrix first; its classes are imbalanced (few positives), where
accuracy flatters and the other metrics matter.
"""

from __future__ import annotations

import numpy as np

from engine.problems.base import Case, approx_tolerance, choose, sig_decimals
from engine.problems.domains import PROBABILITY
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage
from engine.problems.text import KEEP, approx, eq, table

METRICS = {
    "easy": ("accuracy", "precision", "recall"),
    "medium": ("precision", "recall", "f1", "specificity"),
    "hard": ("accuracy", "precision", "recall", "f1", "f1", "specificity", "specificity"),
}
# difficulty -> (test-set size range, share of actual positives)
SIZES = {
    "easy": ((20, 100), (0.3, 0.6)),
    "medium": ((100, 1000), (0.2, 0.5)),
    "hard": ((500, 5000), (0.03, 0.2)),
}
# the positive and negative class of each scenario's yes/no question
CLASSES = {
    "restaurant": ("enjoys it", "does not enjoy it"),
    "cookie": ("keeper", "not a keeper"),
    "spam": ("spam", "not spam"),
    "pixels": ("cat", "not a cat"),
    "stocks": ("closes higher", "does not close higher"),
    "audio": ("speech", "no speech"),
}
LABEL = {
    "accuracy": "accuracy",
    "precision": "precision",
    "recall": "recall (sensitivity)",
    "f1": "F1 score",
    "specificity": "specificity (true-negative rate)",
}
DEFINITION = {
    "accuracy": "the share of all predictions that are correct",
    "precision": "the share of predicted positives that are actually positive",
    "recall": "the share of actual positives the model finds",
    "f1": "the harmonic mean of precision and recall",
    "specificity": "the share of actual negatives the model correctly calls negative",
}


NUMERATOR = {
    "accuracy": "the correct predictions (TP + TN)",
    "precision": "the true positives (TP)",
    "recall": "the true positives (TP)",
    "specificity": "the true negatives (TN)",
}


def classes(setting: Setting) -> tuple[str, str]:
    return CLASSES.get(setting.key, (setting.classes[0], f"not {setting.classes[0]}"))


def metric(name: str, tp: int, fp: int, fn: int, tn: int) -> float:
    if name == "accuracy":
        return (tp + tn) / (tp + fp + fn + tn)
    if name == "precision":
        return tp / (tp + fp)
    if name == "recall":
        return tp / (tp + fn)
    if name == "specificity":
        return tn / (tn + fp)
    return 2 * tp / (2 * tp + fp + fn)


def misconceptions(
    name: str, tp: int, fp: int, fn: int, tn: int, worded: bool
) -> list[Misconception]:
    n = tp + fp + fn + tn
    p, r = tp / (tp + fp), tp / (tp + fn)
    acc = (tp + tn) / n

    def m(key: str, value: float, hint: str) -> Misconception:
        return Misconception(key, value, hint)

    out: list[Misconception] = []
    if name == "accuracy":
        out += [
            m("error_rate", (fp + fn) / n, "Accuracy counts the correct predictions: TP + TN."),
            m(
                "forgot_true_negatives",
                tp / n,
                "Correct predictions include the true negatives: (TP + TN) / total.",
            ),
            m("precision_instead", p, "Precision is TP / (TP + FP); accuracy uses all four cells."),
            m("recall_instead", r, "Recall is TP / (TP + FN); accuracy uses all four cells."),
        ]
        if worded:
            out.append(
                m(
                    "unflagged_all_correct",
                    (tp + tn + fn) / n,
                    "Not every unflagged example is correct: the missed positives are errors.",
                )
            )
    elif name == "precision":
        out += [
            m(
                "recall_instead",
                r,
                "Precision divides by the predicted positives (TP + FP), not the actual ones.",
            ),
            m(
                "false_discovery_rate",
                fp / (tp + fp),
                "Precision is the share of flags that are right: TP, not FP, on top.",
            ),
            m("accuracy_instead", acc, "Precision only looks at the predicted positives."),
            m(
                "tp_over_total",
                tp / n,
                "Divide by the predicted positives (TP + FP), not by everything.",
            ),
        ]
    elif name == "recall":
        out += [
            m(
                "precision_instead",
                p,
                "Recall divides by the actual positives (TP + FN), not the predicted ones.",
            ),
            m("miss_rate", fn / (tp + fn), "Recall is the share found: TP, not FN, on top."),
            m("accuracy_instead", acc, "Recall only looks at the actual positives."),
            m(
                "specificity_instead",
                tn / (tn + fp),
                "Specificity is about the negatives; recall is TP / (TP + FN).",
            ),
        ]
    elif name == "specificity":
        out += [
            m(
                "recall_instead",
                r,
                "Recall (sensitivity) is about the positives; specificity is TN / (TN + FP).",
            ),
            m(
                "false_positive_rate",
                fp / (tn + fp),
                "Specificity is the share of negatives called negative: TN, not FP, on top.",
            ),
            m(
                "fp_fn_swapped",
                tn / (tn + fn),
                "Actual negatives are TN + FP (the false positives are negatives too).",
            ),
            m("accuracy_instead", acc, "Specificity only looks at the actual negatives."),
        ]
        if worded:
            out.append(
                m(
                    "unflagged_as_true_negatives",
                    (tn + fn) / (tn + fp),
                    "Not every unflagged example is a true negative: subtract the missed "
                    "positives.",
                )
            )
    else:
        out += [
            m(
                "arithmetic_mean",
                (p + r) / 2,
                "F1 is the harmonic mean 2PR / (P + R), not the plain average.",
            ),
            m("forgot_factor_two", p * r / (p + r), "F1 = 2 × P × R / (P + R): keep the 2."),
            m(
                "jaccard",
                tp / (tp + fp + fn),
                "F1 = 2TP / (2TP + FP + FN): the true positives count twice.",
            ),
            m("accuracy_instead", acc, "F1 combines precision and recall, not accuracy."),
        ]
    return out


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    (lo, hi), (plo, phi) = SIZES[difficulty]
    if difficulty == "hard":
        hi = min(hi, max(lo, setting.dataset[1] // 5))
    n = int(rng.integers(lo, hi + 1))
    positives = round(n * rng.uniform(plo, phi))
    negatives = n - positives
    tp = round(positives * rng.uniform(0.5, 0.95))
    tn = round(negatives * rng.uniform(0.6 if difficulty != "hard" else 0.85, 0.98))
    fn, fp = positives - tp, negatives - tn
    if min(tp, fp, fn, tn) < 1:
        return None
    name = choose(rng, METRICS[difficulty])
    answer = metric(name, tp, fp, fn, tn)
    decimals = sig_decimals(answer)
    worded = difficulty == "hard"
    params = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "metric": name}
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(decimals),
        misconceptions(name, tp, fp, fn, tn, worded),
        proportion=True,
        work={"worded": worded},
    )


def domain(params: dict[str, object]) -> Domain:
    return PROBABILITY


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    p = case.params
    tp, fp, fn, tn, name = (p[k] for k in ("tp", "fp", "fn", "tn", "metric"))
    n = tp + fp + fn + tn
    pos, neg = classes(setting)
    d = case.decimals
    task = (
        f"{setting.system.capitalize()} predicts for each {setting.noun} whether "
        f"{setting.positive}: positive = {pos}, negative = {neg}."
    )
    ask = (
        f"What is the model's {LABEL[name]}, {DEFINITION[name]}? {KEEP} Round to {d} decimals "
        "(a proportion: 0.5 or 50% both work)."
    )
    steps: list[str] = []
    if case.work["worded"]:
        flagged = tp + fp
        prompt = (
            f"{task} On a test set of {n:,} {setting.examples}, {tp + fn:,} are actually "
            f"positive ({pos}). The model predicts positive for {flagged:,} of the "
            f"{n:,}, and {tp:,} of those predictions are right. {ask}"
        )
        steps += [
            f"True positives: TP = {tp:,}",
            f"False positives: FP = predicted positive − TP = {flagged:,} − {tp:,} = {fp:,}",
            f"False negatives: FN = actual positives − TP = {tp + fn:,} − {tp:,} = {fn:,}",
            f"True negatives: TN = total − TP − FP − FN = {n:,} − {tp:,} − {fp:,} − {fn:,} "
            f"= {tn:,}",
        ]
    else:
        rows = [
            [f"actually {pos}", f"{tp}", f"{fn}"],
            [f"actually {neg}", f"{fp}", f"{tn}"],
        ]
        matrix = table(["", f"predicted {pos}", f"predicted {neg}"], rows)
        prompt = (
            f"{task} On a test set of {n:,} {setting.examples}, its predictions give this "
            f"confusion matrix (rows: the true class, columns: the prediction):\n\n{matrix}\n\n"
            f"{ask}"
        )
        steps.append(f"TP = {tp:,}, FP = {fp:,}, FN = {fn:,}, TN = {tn:,}")
    a = case.answer
    if name == "accuracy":
        steps += [
            "Accuracy = (TP + TN) / (TP + FP + FN + TN)",
            f"Correct: {tp:,} + {tn:,} = {tp + tn:,}; accuracy = {tp + tn:,} / {n:,} {eq(a, d)}",
        ]
    elif name == "precision":
        steps += [
            "Precision = TP / (TP + FP)",
            f"Predicted positives: {tp:,} + {fp:,} = {tp + fp:,}; precision = {tp:,} / "
            f"{tp + fp:,} {eq(a, d)}",
        ]
    elif name == "recall":
        steps += [
            "Recall = TP / (TP + FN)",
            f"Actual positives: {tp:,} + {fn:,} = {tp + fn:,}; recall = {tp:,} / "
            f"{tp + fn:,} {eq(a, d)}",
        ]
    elif name == "specificity":
        steps += [
            "Specificity = TN / (TN + FP)",
            f"Actual negatives: {tn:,} + {fp:,} = {tn + fp:,}; specificity = {tn:,} / "
            f"{tn + fp:,} {eq(a, d)}",
        ]
    else:
        prec, rec = tp / (tp + fp), tp / (tp + fn)
        steps += [
            f"Precision P = TP / (TP + FP) = {tp:,} / {tp + fp:,} {eq(prec, 6)}",
            f"Recall R = TP / (TP + FN) = {tp:,} / {tp + fn:,} {eq(rec, 6)}",
            f"F1 = 2 × P × R / (P + R) = 2 × {approx(prec, 6)} × {approx(rec, 6)} / "
            f"({approx(prec, 6)} + {approx(rec, 6)}) {eq(a, d)}",
        ]
    return prompt, tuple(steps)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """F1: precision, recall, then F1. The others: the denominator's count, then the ratio."""
    p = problem.params
    tp, fp, fn, tn, name = (p[k] for k in ("tp", "fp", "fn", "tn", "metric"))
    d = problem.decimals
    if name == "f1":
        return (
            Stage(
                "precision",
                "P = TP / (TP + FP), the precision",
                "Divide the true positives by everything predicted positive.",
                4,
                lambda given: tp / (tp + fp),
            ),
            Stage(
                "recall",
                "R = TP / (TP + FN), the recall",
                "Divide the true positives by everything actually positive.",
                4,
                lambda given: tp / (tp + fn),
            ),
            Stage(
                "f1",
                "F1 = 2PR / (P + R), the harmonic mean of precision and recall",
                "Multiply 2 by your precision and recall, then divide by their sum.",
                d,
                lambda given: (
                    2
                    * given["precision"]
                    * given["recall"]
                    / (given["precision"] + given["recall"])
                ),
            ),
        )
    top, count, label, hint = {
        "accuracy": (
            tp + tn,
            tp + fp + fn + tn,
            "the number of predictions (TP + FP + FN + TN)",
            "Add all four cells of the confusion matrix.",
        ),
        "precision": (
            tp,
            tp + fp,
            "the number of predicted positives (TP + FP)",
            "Add the true and the false positives.",
        ),
        "recall": (
            tp,
            tp + fn,
            "the number of actual positives (TP + FN)",
            "Add the true positives and the false negatives.",
        ),
        "specificity": (
            tn,
            tn + fp,
            "the number of actual negatives (TN + FP)",
            "Add the true negatives and the false positives.",
        ),
    }[name]
    return (
        Stage("count", label, hint, 0, lambda given: count),
        Stage(
            name,
            f"the {LABEL[name]}, {DEFINITION[name]}",
            f"Divide {NUMERATOR[name]} by your count.",
            d,
            lambda given: top / given["count"],
        ),
    )
