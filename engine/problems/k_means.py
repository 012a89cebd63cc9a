"""One k-means (Lloyd) step on two standardised features: assign a point, or update a centroid.

params: `points`, `centroids` (lists of [x1, x2], z-scores with one decimal) and `ask`:
{"assign": i} -> the index of the centroid nearest to point i (Euclidean distance), or
{"update": [j, c]} -> coordinate c of centroid j after one step (every point joins its
nearest centroid, then each centroid moves to the mean of its points).

Assign questions have four centroids. Points and centroids are drawn where they fall and
numbered as drawn (so the answer is any centroid number equally often, whatever the point's
index), redrawn only when a point is equidistant from two centroids, a cluster is left
empty, or the asked point's two nearest centroids are too close to call from the shown
distances. The wrong procedures named (the farthest centroid, Manhattan distance, one
coordinate only, counting centroids from 1) are computed from those data; one that gives the
answer itself is not named for that problem. The multiple-choice form shows every centroid
number. Hard questions update a centroid whose new position depends on the distance metric
(Manhattan distance would assign a point differently).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.problems.base import EXACT, Case, approx_tolerance, choose, exact_decimals
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import SETTINGS, Setting
from engine.problems.stages import Stage, Values
from engine.problems.text import KEEP, approx, eq, num, paren, table

GRID = 25  # coordinates are k / 10 for k in -GRID..GRID: z-scores from −2.5 to 2.5
ASSIGN_CENTROIDS = 4
POINTS = {"easy": (5, 6), "medium": (6, 8), "hard": (7, 9)}
UPDATE_CENTROIDS = {"easy": (2,), "medium": (2, 3), "hard": (3,)}
DECIMALS = 3
TRIES = 200
MIN_GAP = 0.005  # between the nearest and second-nearest centroid's distance


def sq(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Squared distance in grid units (exact: coordinates are integers of tenths)."""
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def unique_argmin(values: list[int]) -> int | None:
    low = min(values)
    return values.index(low) if values.count(low) == 1 else None


def nearest(point: tuple[int, int], centroids: list[tuple[int, int]], metric: str) -> int | None:
    if metric == "euclidean":
        d = [sq(point, c) for c in centroids]
    elif metric == "manhattan":
        d = [abs(point[0] - c[0]) + abs(point[1] - c[1]) for c in centroids]
    else:  # "x1" or "x2": one coordinate only
        k = 0 if metric == "x1" else 1
        d = [abs(point[k] - c[k]) for c in centroids]
    return unique_argmin(d)


def const(value: float) -> Callable[[Values], float]:
    """A stage value that does not depend on earlier stages."""
    return lambda given: float(value)


def _cells(rng: np.random.Generator, n: int) -> list[tuple[int, int]] | None:
    flat = rng.integers(-GRID, GRID + 1, size=2 * n)
    cells = [(int(flat[2 * i]), int(flat[2 * i + 1])) for i in range(n)]
    return cells if len(set(cells)) == n else None


def _z(cells: list[tuple[int, int]]) -> list[list[float]]:
    return [[a / 10, b / 10] for a, b in cells]


def _assign(rng: np.random.Generator, difficulty: str) -> Case | None:
    n = int(rng.integers(POINTS[difficulty][0], POINTS[difficulty][1] + 1))
    index = int(rng.integers(n))
    for _ in range(TRIES):  # points and centroids where they fall
        cells = _cells(rng, n + ASSIGN_CENTROIDS)
        if cells is None:
            continue
        pts, cents = cells[:n], cells[n:]
        assigned = [nearest(p, cents, "euclidean") for p in pts]
        if None in assigned or len(set(assigned)) < ASSIGN_CENTROIDS:
            continue  # a point equidistant from two centroids, or an empty cluster
        point = pts[index]
        dist = [sq(point, c) for c in cents]
        low = sorted(dist)
        if low[1] ** 0.5 - low[0] ** 0.5 < MIN_GAP * 10:
            continue  # a clear nearest centroid: distances rounded as shown still pick it
        break
    else:
        return None
    target = dist.index(low[0])
    found = {
        "farthest_centroid": unique_argmin([-d for d in dist]),
        "manhattan_distance": nearest(point, cents, "manhattan"),
        "first_feature_only": nearest(point, cents, "x1"),
        "second_feature_only": nearest(point, cents, "x2"),
        "counted_from_one": target + 1,
    }
    hints = {
        "farthest_centroid": "A point joins the NEAREST centroid: the smallest distance.",
        "manhattan_distance": (
            "k-means here uses Euclidean distance √(Δx₁² + Δx₂²), not |Δx₁| + |Δx₂|."
        ),
        "first_feature_only": "Use both features: the distance adds both squared differences.",
        "second_feature_only": "Use both features: the distance adds both squared differences.",
        "counted_from_one": "The centroids are numbered from 0: type the number shown.",
    }
    candidates = [
        Misconception(name, float(value), hints[name])
        for name, value in found.items()
        if value is not None
    ]
    params = {"points": _z(pts), "centroids": _z(cents), "ask": {"assign": index}}
    return Case(
        params,
        float(target),
        0,
        EXACT,
        candidates,
        work={"distances": [d / 100 for d in dist]},
        min_misconceptions=1,
    )


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _update(rng: np.random.Generator, difficulty: str) -> Case | None:
    n = int(rng.integers(POINTS[difficulty][0], POINTS[difficulty][1] + 1))
    k = int(choose(rng, UPDATE_CENTROIDS[difficulty]))
    cells = _cells(rng, n + k)
    if cells is None:
        return None
    pts, cents = cells[:n], cells[n:]
    assigned = [nearest(p, cents, "euclidean") for p in pts]
    if None in assigned or len(set(assigned)) < k:
        return None  # a point equidistant from two centroids, or an empty cluster
    j = int(rng.integers(k))
    c = int(rng.integers(2))
    members = [p for p, a in zip(pts, assigned, strict=True) if a == j]
    coords = [p[c] / 10 for p in members]
    answer = _mean(coords)
    manhattan = [nearest(p, cents, "manhattan") for p in pts]
    by_manhattan = [p[c] / 10 for p, a in zip(pts, manhattan, strict=True) if a == j]
    if difficulty == "hard" and (
        None in manhattan or not by_manhattan or abs(_mean(by_manhattan) - answer) < 1e-9
    ):
        return None  # hard: with Manhattan distance this centroid would move elsewhere
    old = cents[j][c] / 10
    candidates = [
        Misconception(
            "mean_of_all_points",
            _mean([p[c] / 10 for p in pts]),
            "Average only the points assigned to this centroid, not every point.",
        ),
        Misconception(
            "old_centroid_kept",
            old,
            "The update step moves the centroid to the mean of its assigned points.",
        ),
        Misconception(
            "centroid_counted_as_point",
            (sum(coords) + old) / (len(coords) + 1),
            "The old centroid is not a data point: average the assigned points only.",
        ),
        Misconception(
            "sum_not_mean",
            sum(coords),
            "The new centroid is the MEAN: divide the sum by the number of points.",
        ),
        Misconception(
            "other_feature",
            _mean([p[1 - c] / 10 for p in members]),
            "Average the coordinate asked about, not the other feature.",
        ),
    ]
    if by_manhattan:
        candidates.append(
            Misconception(
                "manhattan_assignment",
                _mean(by_manhattan),
                "Assign each point by Euclidean distance √(Δx₁² + Δx₂²), not |Δx₁| + |Δx₂|.",
            )
        )
    decimals = DECIMALS
    params = {"points": _z(pts), "centroids": _z(cents), "ask": {"update": [j, c]}}
    return Case(
        params,
        answer,
        decimals,
        approx_tolerance(DECIMALS),
        candidates,
        work={"assigned": assigned},
    )


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    if difficulty != "hard" and rng.random() < 0.5:
        return _assign(rng, difficulty)
    return _update(rng, difficulty)


def domain(params: dict[str, Any]) -> Domain:
    ask = params["ask"]
    if "assign" in ask:
        return Domain(values=tuple(float(j) for j in range(len(params["centroids"]))))
    c = ask["update"][1]
    column = [p[c] for p in params["points"]]
    return Domain(lo=min(column), hi=max(column))  # a mean of some of these values


def features(setting: Setting) -> tuple[str, str]:
    """Two of the scenario's features (never a yes/no flag), fixed per scenario."""
    names = [f.name for f in setting.inputs if f.hi - f.lo > 1 or f.decimals > 0]
    return names[0], names[1]


def _dist_line(point: list[float], centroid: list[float], j: int, d: int) -> str:
    dx, dy = point[0] - centroid[0], point[1] - centroid[1]
    s = dx * dx + dy * dy
    return (
        f"Centroid {j}: √({paren(num(round(dx, 10)))}² + {paren(num(round(dy, 10)))}²) "
        f"= √{num(round(s, 10))} {eq(s**0.5, d)}"
    )


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    points: list[list[float]] = case.params["points"]
    centroids: list[list[float]] = case.params["centroids"]
    ask = case.params["ask"]
    f1, f2 = features(setting)
    rows = [[f"P{i}", num(p[0]), num(p[1])] for i, p in enumerate(points)]
    crows = [[f"centroid {j}", num(c[0]), num(c[1])] for j, c in enumerate(centroids)]
    unlabelled = setting.examples.removeprefix("labelled ")  # k-means uses no labels
    story = (
        f"In {setting.system}, k-means groups {unlabelled} by two features, {f1} and "
        f"{f2}. Both are standardised (z-scores), so they count equally. The points:\n\n"
        f"{table(['point', f1, f2], rows)}\n\nThe current centroids:\n\n"
        f"{table(['centroid', f1, f2], crows)}\n\n"
        "Distances are Euclidean: √(Δx₁² + Δx₂²). "
    )
    if "assign" in ask:
        i = ask["assign"]
        answer = int(case.answer)
        prompt = story + (
            f"Which centroid is point P{i} assigned to (the nearest one)? Type the centroid's "
            f"number (0 to {len(centroids) - 1})."
        )
        lines = [f"Distances from P{i} = ({num(points[i][0])}, {num(points[i][1])}):"]
        lines += [_dist_line(points[i], c, j, DECIMALS) for j, c in enumerate(centroids)]
        lines.append(
            f"The smallest distance is to centroid {answer}, so P{i} joins cluster {answer}"
        )
        return prompt, tuple(lines)
    j, c = ask["update"]
    name = f1 if c == 0 else f2
    d = case.decimals
    exact = exact_decimals(case.answer) <= d
    prompt = story + (
        "Run one k-means step: assign every point to its nearest centroid, then move each "
        "centroid to the mean (average) of the points assigned to it. After this step, what "
        f"is the {name} coordinate of centroid {j}? "
        + ("" if exact else f"{KEEP} ")
        + f"Round to {DECIMALS} decimals."
    )
    assigned: list[int] = case.work["assigned"]
    lines = []
    for i, p in enumerate(points):
        dists = ", ".join(
            approx(((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5, DECIMALS) for q in centroids
        )
        lines.append(f"P{i}: distances {dists} → centroid {assigned[i]}")
    members = [i for i, a in enumerate(assigned) if a == j]
    values = [points[i][c] for i in members]
    lines.append(f"Cluster {j}: " + ", ".join(f"P{i}" for i in members))
    lines.append(
        f"New {name} of centroid {j}: ({' + '.join(paren(num(v)) for v in values)}) / "
        f"{len(values)} {eq(case.answer, d)}"
    )
    return prompt, tuple(lines)


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Assign: the distance to each centroid, then the nearest. Update: the cluster's size,
    the sum of its points' coordinate, then the mean."""
    points: list[list[float]] = problem.params["points"]
    centroids: list[list[float]] = problem.params["centroids"]
    ask = problem.params["ask"]
    if "assign" in ask:
        i = ask["assign"]
        p = points[i]
        out = [
            Stage(
                f"d{j}",
                f"the distance from P{i} to centroid {j}",
                "√(Δx₁² + Δx₂²): square both coordinate differences, add, take the root.",
                DECIMALS,
                const(((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5),
            )
            for j, q in enumerate(centroids)
        ]
        keys = [f"d{j}" for j in range(len(centroids))]

        def closest(given: Values) -> float:
            values = [given[k] for k in keys]
            return float(values.index(min(values)))

        out.append(
            Stage(
                "centroid",
                f"the centroid P{i} joins (type its number)",
                "Pick the centroid with your smallest distance.",
                0,
                closest,
            )
        )
        return tuple(out)
    j, c = ask["update"]
    name = features(SETTINGS[problem.scenario])[c]
    cells = [(round(q[0] * 10), round(q[1] * 10)) for q in points]
    cents = [(round(q[0] * 10), round(q[1] * 10)) for q in centroids]
    members = [points[i][c] for i, q in enumerate(cells) if nearest(q, cents, "euclidean") == j]
    size, total = len(members), sum(members)
    return (
        Stage(
            "size",
            f"m = the number of points assigned to centroid {j}",
            f"Count the points whose nearest centroid is centroid {j}.",
            0,
            lambda given: size,
        ),
        Stage(
            "sum",
            f"s = the sum of {name} over those points",
            f"Add up the {name} values of the points in cluster {j}.",
            max(exact_decimals(total, 6), 1),
            lambda given: total,
        ),
        Stage(
            "mean",
            f"the new {name} coordinate of centroid {j}: s / m",
            "Divide your sum by your count.",
            problem.decimals,
            lambda given: given["sum"] / given["size"] if given["size"] else float("nan"),
        ),
    )
