"""k-nearest neighbours on two standardised features: the predicted label, or the k-th distance.

params: `points` (list of [x1, x2], z-scores with one decimal), `labels` (class numbers),
`query` ([x1, x2]), `k` (odd) and `ask` ("label" or "distance"): the majority (plurality)
label of the k nearest points by Euclidean distance, or the distance to the k-th nearest.
There are never ties: the k-th and (k+1)-th distances differ and the vote has one winner.

Label questions have 3 (easy), 3 or 4 (medium) or 4 (hard) classes, every one with a
training point. The data are drawn as they come: points anywhere on the grid, their classes
from a random class mix (a symmetric Dirichlet draw, so the answer is any class equally
often), redrawn only for a tie (at the k-th distance or in the vote) or a class without a
point. Easy and medium labels are won by a majority of the k votes, hard ones by a plurality
(fewer than half). The wrong procedures named (the single nearest point's class, the
majority class of all points, the vote of the k farthest, Manhattan distance) are computed
from those data: when one gives the answer itself it is simply not named for that problem,
so none of them is ever ruled out as a cue. The multiple-choice form shows every class.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.problems.base import EXACT, Case, approx_tolerance, choose
from engine.problems.domains import NON_NEGATIVE
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage, Values
from engine.problems.text import KEEP, approx, eq, num, paren, table

GRID = 25  # coordinates are k / 10 for k in -GRID..GRID: z-scores from −2.5 to 2.5
K_LABEL = {"easy": (3,), "medium": (3, 5), "hard": (5,)}
POINTS_LABEL = {"easy": (6, 8), "medium": (7, 10), "hard": (9, 12)}
LABEL_CLASSES = {"easy": (3,), "medium": (3, 4), "hard": (4,)}
MIX = 2.0  # Dirichlet concentration of the class mix (the same for every class)
LABEL_TRIES = 50  # label draws on one geometry before drawing the points again
K_DISTANCE = {"easy": (3,), "medium": (3, 5), "hard": (5, 7)}
POINTS_DISTANCE = {"easy": (5, 6), "medium": (7, 8), "hard": (9, 11)}
DISTANCE_CLASSES = {"easy": (2,), "medium": (2, 3), "hard": (3,)}
MIN_GAP = 0.01  # between the k-th and (k+1)-th distance (a rounded radius stays unambiguous)
DECIMALS = 3


def plurality(labels: list[int]) -> int | None:
    """The most common label, or None when two labels tie for the most."""
    top = Counter(labels).most_common(2)
    if len(top) == 2 and top[0][1] == top[1][1]:
        return None
    return top[0][0]


def ordinal(k: int) -> str:
    """3 -> "3rd", 5 -> "5th"."""
    return f"{k}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(k if k < 20 else k % 10, 'th') }"


def features(setting: Setting) -> tuple[str, str]:
    """Two of the scenario's features (never a yes/no flag), fixed per scenario."""
    names = [f.name for f in setting.inputs if f.hi - f.lo > 1 or f.decimals > 0]
    return names[0], names[1]


def _geometry(
    rng: np.random.Generator, n: int, k: int
) -> tuple[list[tuple[int, int]], tuple[int, int], list[int]] | None:
    """n points and a query (grid cells), and the points' indices sorted by distance."""
    flat = rng.integers(-GRID, GRID + 1, size=2 * (n + 1))
    cells = [(int(flat[2 * i]), int(flat[2 * i + 1])) for i in range(n + 1)]
    if len(set(cells)) != n + 1:
        return None
    query, pts = cells[0], cells[1:]
    sq = [(p[0] - query[0]) ** 2 + (p[1] - query[1]) ** 2 for p in pts]
    if len(set(sq)) != n:
        return None  # every distance different: no ties anywhere
    order = sorted(range(n), key=lambda i: sq[i])
    if n > k and math.sqrt(sq[order[k]]) - math.sqrt(sq[order[k - 1]]) < MIN_GAP * 10:
        return None
    return pts, query, order


def _manhattan_rank(pts: list[tuple[int, int]], query: tuple[int, int]) -> list[int]:
    m = [abs(p[0] - query[0]) + abs(p[1] - query[1]) for p in pts]
    return sorted(range(len(pts)), key=lambda i: (m[i], i))


def _label_case(rng: np.random.Generator, difficulty: str) -> Case | None:
    k = int(choose(rng, K_LABEL[difficulty]))
    lo, hi = POINTS_LABEL[difficulty]
    n = int(rng.integers(lo, hi + 1))
    geo = _geometry(rng, n, k)
    if geo is None:
        return None
    pts, query, order = geo
    classes = int(choose(rng, LABEL_CLASSES[difficulty]))
    for _ in range(LABEL_TRIES):  # the classes of points where they fell, from a random mix
        mix = rng.dirichlet(np.full(classes, MIX))
        labels = [int(v) for v in rng.choice(classes, size=n, p=mix)]
        if len(set(labels)) < classes:
            continue  # every class named in the question has a training point
        votes = [labels[i] for i in order[:k]]
        answer = plurality(votes)
        if answer is None:
            continue  # a tied vote
        majority = 2 * votes.count(answer) > k
        if majority == (difficulty == "hard"):
            continue  # hard: won by a plurality (fewer than half); else by a majority
        break
    else:
        return None
    ranked = [labels[i] for i in order]
    candidates = [
        Misconception(
            "nearest_only",
            ranked[0],
            f"k = {k}: all {k} nearest points vote, not only the single nearest one.",
        )
    ]
    overall, farthest = plurality(ranked), plurality(ranked[-k:])
    if overall is not None:
        candidates.append(
            Misconception(
                "majority_of_all_points",
                overall,
                f"Only the {k} nearest points vote, not the whole training set.",
            )
        )
    if farthest is not None:
        candidates.append(
            Misconception(
                "farthest_k",
                farthest,
                f"Sort the distances from smallest to largest: the {k} NEAREST points vote.",
            )
        )
    manhattan = plurality([labels[i] for i in _manhattan_rank(pts, query)[:k]])
    if manhattan is not None:
        candidates.append(
            Misconception(
                "manhattan_distance",
                manhattan,
                "Use Euclidean distance √(Δx₁² + Δx₂²), not |Δx₁| + |Δx₂|.",
            )
        )
    params = {
        "points": [[p[0] / 10, p[1] / 10] for p in pts],
        "labels": labels,
        "query": [query[0] / 10, query[1] / 10],
        "k": k,
        "ask": "label",
    }
    return Case(
        params, float(answer), 0, EXACT, candidates, work={"order": order}, min_misconceptions=1
    )


def _distance_case(rng: np.random.Generator, difficulty: str) -> Case | None:
    k = int(choose(rng, K_DISTANCE[difficulty]))
    lo, hi = POINTS_DISTANCE[difficulty]
    n = max(int(rng.integers(lo, hi + 1)), k + 2)
    geo = _geometry(rng, n, k)
    if geo is None:
        return None
    pts, query, order = geo
    classes = int(choose(rng, DISTANCE_CLASSES[difficulty]))
    labels = [int(v) for v in rng.integers(classes, size=n)]
    if plurality([labels[i] for i in order[:k]]) is None:
        return None  # no tied vote

    def dist(i: int) -> float:
        return math.hypot(pts[i][0] - query[0], pts[i][1] - query[1]) / 10

    answer = dist(order[k - 1])
    manhattan = sorted(abs(p[0] - query[0]) + abs(p[1] - query[1]) for p in pts)
    candidates = [
        Misconception(
            "squared_distance",
            answer * answer,
            "Take the square root: the distance is √(Δx₁² + Δx₂²), not Δx₁² + Δx₂².",
        ),
        Misconception(
            "manhattan_distance",
            manhattan[k - 1] / 10,
            "Use Euclidean distance √(Δx₁² + Δx₂²), not |Δx₁| + |Δx₂|.",
        ),
        Misconception(
            "nearest_only",
            dist(order[0]),
            f"That is the nearest point; the question asks for the {ordinal(k)} nearest.",
        ),
        Misconception(
            "kth_farthest",
            dist(order[n - k]),
            f"Sort the distances from smallest to largest: the {ordinal(k)} NEAREST point.",
        ),
        Misconception(
            "unsorted_kth_point",
            dist(k - 1),
            f"Sort the points by distance first; P{k - 1} is only the {ordinal(k)} in the table.",
        ),
    ]
    params = {
        "points": [[p[0] / 10, p[1] / 10] for p in pts],
        "labels": labels,
        "query": [query[0] / 10, query[1] / 10],
        "k": k,
        "ask": "distance",
    }
    return Case(
        params, answer, DECIMALS, approx_tolerance(DECIMALS), candidates, work={"order": order}
    )


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    if rng.random() < 0.5:
        return _label_case(rng, difficulty)
    return _distance_case(rng, difficulty)


def domain(params: dict[str, Any]) -> Domain:
    if params["ask"] == "distance":
        return NON_NEGATIVE
    return Domain(values=tuple(float(c) for c in sorted(set(params["labels"]))))


def _distance(point: list[float], query: list[float]) -> float:
    return math.hypot(point[0] - query[0], point[1] - query[1])


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    p = case.params
    points: list[list[float]] = p["points"]
    labels: list[int] = p["labels"]
    query: list[float] = p["query"]
    k: int = p["k"]
    order: list[int] = case.work["order"]
    f1, f2 = features(setting)
    classes = max(labels) + 1
    names = ", ".join(f"{j} = {setting.classes[j]}" for j in range(classes))
    rows = [[f"P{i}", num(q[0]), num(q[1]), str(labels[i])] for i, q in enumerate(points)]
    story = (
        f"In {setting.system}, a k-nearest-neighbours classifier labels {setting.item} by two "
        f"features, {f1} and {f2}, both standardised (z-scores) so they count equally. "
        f"The training points and their classes ({names}):\n\n"
        f"{table(['point', f1, f2, 'class'], rows)}\n\n"
        f"The new {setting.noun} to classify is at ({num(query[0])}, {num(query[1])}). "
        f"With k = {k}, the {k} training points nearest to it by Euclidean distance "
        f"√(Δx₁² + Δx₂²) vote, one vote each, and the class with the most votes wins "
        "(there are no ties). "
    )
    lines = ["Distances from the new point:"]
    for i, q in enumerate(points):
        dx, dy = q[0] - query[0], q[1] - query[1]
        s = dx * dx + dy * dy
        lines.append(
            f"P{i}: √({paren(num(round(dx, 10)))}² + {paren(num(round(dy, 10)))}²) "
            f"= √{num(round(s, 10))} {eq(math.sqrt(s), DECIMALS)}"
        )
    lines.append(
        "Sorted, nearest first: "
        + ", ".join(f"P{i} ({approx(_distance(points[i], query), DECIMALS)})" for i in order)
    )
    if p["ask"] == "distance":
        prompt = story + (
            f"What is the Euclidean distance from the new {setting.noun} to its {ordinal(k)} "
            f"nearest training point (the farthest of the {k} that vote)? {KEEP} "
            f"Round to {DECIMALS} decimals."
        )
        kth = order[k - 1]
        lines.append(
            f"The {ordinal(k)} nearest is P{kth}, at distance {approx(case.answer, DECIMALS)}"
        )
        return prompt, tuple(lines)
    answer = int(case.answer)
    prompt = story + (
        f"Which class does the classifier predict? Type the class number (0 to {classes - 1})."
    )
    tally = Counter(labels[i] for i in order[:k])
    lines.append(f"The {k} nearest: " + ", ".join(f"P{i} (class {labels[i]})" for i in order[:k]))
    lines.append(
        "Votes: "
        + ", ".join(f"class {c}: {tally[c]}" for c in sorted(tally))
        + f", so the prediction is class {answer} ({setting.classes[answer]})"
    )
    return prompt, tuple(lines)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Distance: the squared distance to the k-th nearest, then its root. Label: the
    radius (the k-th distance), the winning class's votes within it, then the class."""
    p = problem.params
    points: list[list[float]] = p["points"]
    labels: list[int] = p["labels"]
    query: list[float] = p["query"]
    k: int = p["k"]
    dists = [_distance(q, query) for q in points]
    order = sorted(range(len(points)), key=lambda i: dists[i])
    kth = dists[order[k - 1]]
    if p["ask"] == "distance":
        return (
            Stage(
                "squared",
                f"Δx₁² + Δx₂² for the {ordinal(k)} nearest training point",
                f"Find each point's squared distance, sort them, take the {ordinal(k)} smallest.",
                2,
                lambda given: kth * kth,
            ),
            Stage(
                "distance",
                f"the distance to the {ordinal(k)} nearest point: √(Δx₁² + Δx₂²)",
                "Take the square root of your squared distance.",
                problem.decimals,
                lambda given: math.sqrt(given["squared"]) if given["squared"] >= 0 else math.nan,
            ),
        )
    slack = 10.0**-DECIMALS
    classes = sorted(set(labels))

    def tally(given: Values) -> Counter[int]:
        """The classes of the points within the learner's radius."""
        inside = [labels[i] for i in order if dists[i] <= given["radius"] + slack]
        return Counter(inside)

    def votes_for(c: int) -> Callable[[Values], float]:
        return lambda given: float(tally(given)[c])

    def most(given: Values) -> float:
        counts = [given[f"votes_{c}"] for c in classes]
        return float(classes[counts.index(max(counts))])

    return (
        Stage(
            "radius",
            f"the distance to the {ordinal(k)} nearest training point",
            f"Compute every distance √(Δx₁² + Δx₂²), sort them, take the {ordinal(k)} smallest.",
            DECIMALS,
            lambda given: kth,
        ),
        *(
            Stage(
                f"votes_{c}",
                f"the votes for class {c}: how many of the {k} nearest points (those no "
                f"farther than that distance) are in class {c}",
                f"Count the points of class {c} whose distance is at most your distance.",
                0,
                votes_for(c),
            )
            for c in classes
        ),
        Stage(
            "label",
            "the predicted class: the one with the most votes (type its number)",
            "Pick the class with your largest vote count.",
            0,
            most,
        ),
    )
