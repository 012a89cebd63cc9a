"""knn, k_means, decision_tree and random_forest (issue 13) against scikit-learn.

scikit-learn is a test-only oracle here (never imported by the engine):
  knn            KNeighborsClassifier(n_neighbors=k): predict() for the label, kneighbors()
                 for the k-th distance (Euclidean, the default Minkowski p = 2).
  k_means        KMeans(init=the centroids, n_init=1, max_iter=1): cluster_centers_ after one
                 Lloyd step (assign, then move each centroid to its points' mean: checked
                 to be exactly that here); pairwise_distances_argmin for an assignment.
  decision_tree  DecisionTreeClassifier(criterion, max_depth=1) fitted on rows rebuilt from
                 the counts with one 0/1 feature (0: left child, 1: right child), so its only
                 possible root split is the problem's: tree_.impurity gives the parent and the
                 children (sklearn's entropy uses log base 2), gain = parent − weighted children.
  random_forest  no sklearn equivalent for given votes: collections.Counter.
Also: the stages chain to the answer, a wrong early stage is carried forward (the next stage
is judged against it), params lie in sensible ranges, and hard problems teach the harder idea.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances_argmin
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from engine.catalog import DIFFICULTIES, SCENARIOS
from engine.problems import Problem, make_problem
from engine.problems.scenarios import SETTINGS
from engine.problems.stages import judge, solve, stages_of

SEEDS = range(300)
FAMILIES = ("knn", "k_means", "decision_tree", "random_forest")


def problems(family: str, difficulty: str, seeds: range = SEEDS) -> list[Problem]:
    return [make_problem(family, seed, difficulty) for seed in seeds]


def misconception(p: Problem, name: str) -> float | None:
    return next((m.answer for m in p.misconceptions if m.name == name), None)


def on_grid(value: float) -> bool:
    """A standardised feature value: −2.5 to 2.5 with one decimal."""
    return -2.5 <= value <= 2.5 and abs(round(value, 1) - value) < 1e-12


# --- knn -----------------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_knn_matches_scikit_learn(difficulty: str) -> None:
    for p in problems("knn", difficulty):
        q = p.params
        model = KNeighborsClassifier(n_neighbors=q["k"]).fit(q["points"], q["labels"])
        distances, _ = model.kneighbors([q["query"]], n_neighbors=q["k"] + 1)
        kth, after = distances[0][q["k"] - 1], distances[0][q["k"]]
        assert after - kth >= 0.01 - 1e-12, p.id  # no tie (nor near-tie) at the k-th place
        if q["ask"] == "distance":
            assert math.isclose(p.answer, kth, rel_tol=1e-12, abs_tol=1e-12), p.id
        else:
            assert p.answer == model.predict([q["query"]])[0], p.id
        # the vote among the k nearest never ties, whatever is asked
        _, index = model.kneighbors([q["query"]])
        votes = Counter(q["labels"][i] for i in index[0]).most_common(2)
        assert len(votes) == 1 or votes[0][1] > votes[1][1], p.id


def test_knn_params_make_sense() -> None:
    asks = Counter()
    for d in DIFFICULTIES:
        for p in problems("knn", d):
            q = p.params
            asks[d, q["ask"]] += 1
            assert q["k"] % 2 == 1 and q["k"] < len(q["points"]), p.id
            assert len(q["labels"]) == len(q["points"])
            assert all(isinstance(v, int) and v >= 0 for v in q["labels"])
            assert all(on_grid(v) for point in q["points"] + [q["query"]] for v in point), p.id
            assert "Euclidean" in p.prompt and "standardised" in p.prompt
            assert "no ties" in p.prompt
            if q["ask"] == "label":
                # 3 (easy), 3 or 4 (medium), 4 (hard) classes, each with a point: the options
                classes = max(q["labels"]) + 1
                assert classes in {"easy": (3,), "medium": (3, 4), "hard": (4,)}[d], p.id
                assert set(q["labels"]) == set(range(classes)), p.id
                assert sorted(c.value for c in p.choices()) == list(range(classes)), p.id
                assert f"Type the class number (0 to {classes - 1})" in p.prompt
                assert p.misconceptions, p.id
            else:
                assert "Round to 3 decimals" in p.prompt
                assert misconception(p, "squared_distance") == pytest.approx(p.answer**2)
    assert all(asks[d, a] >= 100 for d in DIFFICULTIES for a in ("label", "distance")), asks


def test_hard_knn_labels_are_won_by_a_plurality() -> None:
    for p in problems("knn", "hard"):
        q = p.params
        if q["ask"] != "label":
            continue
        model = KNeighborsClassifier(n_neighbors=q["k"]).fit(q["points"], q["labels"])
        _, index = model.kneighbors([q["query"]])
        top = Counter(q["labels"][i] for i in index[0]).most_common(1)[0][1]
        assert 2 * top < q["k"], p.id  # fewer than half of the votes, still the most


# --- k_means -------------------------------------------------------------------------------


def one_lloyd_step(points: list[list[float]], centroids: list[list[float]]) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = KMeans(
            n_clusters=len(centroids), init=np.array(centroids), n_init=1, max_iter=1
        ).fit(np.array(points))
    return np.asarray(model.cluster_centers_)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_k_means_matches_scikit_learn(difficulty: str) -> None:
    for p in problems("k_means", difficulty):
        points, centroids, ask = p.params["points"], p.params["centroids"], p.params["ask"]
        labels = pairwise_distances_argmin(np.array(points), np.array(centroids))
        assert len(set(labels.tolist())) == len(centroids), p.id  # no empty cluster
        if "assign" in ask:
            assert p.answer == labels[ask["assign"]], p.id
            continue
        j, c = ask["update"]
        centers = one_lloyd_step(points, centroids)
        assert math.isclose(p.answer, centers[j][c], rel_tol=1e-9, abs_tol=1e-9), p.id
        # and that is one plain Lloyd step: the mean of the points assigned to centroid j
        plain = np.array(points)[labels == j].mean(axis=0)
        assert np.allclose(centers[j], plain, atol=1e-9), p.id


def test_k_means_params_make_sense() -> None:
    asks = Counter()
    for d in DIFFICULTIES:
        for p in problems("k_means", d):
            points, centroids, ask = p.params["points"], p.params["centroids"], p.params["ask"]
            asks[d, next(iter(ask))] += 1
            assert 5 <= len(points) <= 9, p.id
            assert all(on_grid(v) for q in points + centroids for v in q), p.id
            for q in points:  # never equidistant from two centroids
                d2 = sorted(math.dist(q, c) for c in centroids)
                assert d2[1] - d2[0] > 1e-9, p.id
            assert "Euclidean" in p.prompt and "standardised" in p.prompt
            if "assign" in ask:
                assert len(centroids) == 4 and 0 <= ask["assign"] < len(points)
                assert sorted(c.value for c in p.choices()) == [0.0, 1.0, 2.0, 3.0], p.id
            else:
                j, c = ask["update"]
                assert len(centroids) in (2, 3) and 0 <= j < len(centroids) and c in (0, 1)
                assert misconception(p, "old_centroid_kept") in (centroids[j][c], None)
    assert asks["hard", "assign"] == 0 and asks["hard", "update"] == len(SEEDS)
    assert min(asks[d, a] for d in ("easy", "medium") for a in ("assign", "update")) >= 100


def test_hard_k_means_updates_depend_on_the_distance_metric() -> None:
    """With Manhattan distance the asked centroid would end somewhere else."""
    for p in problems("k_means", "hard"):
        points, centroids = np.array(p.params["points"]), np.array(p.params["centroids"])
        j, c = p.params["ask"]["update"]
        manhattan = pairwise_distances_argmin(points, centroids, metric="manhattan")
        members = points[manhattan == j]
        assert len(members) == 0 or not math.isclose(members[:, c].mean(), p.answer), p.id


# --- decision_tree -------------------------------------------------------------------------


def sklearn_split(left: list[int], right: list[int], criterion: str) -> tuple[float, ...]:
    """(parent, left, right) impurities of the root split of a depth-1 tree on rows rebuilt
    from the counts: feature 0 for the left child's rows, 1 for the right child's."""
    X = [
        [side]
        for side, counts in enumerate((left, right))
        for c, n in enumerate(counts)
        for _ in range(n)
    ]
    y = [c for counts in (left, right) for c, n in enumerate(counts) for _ in range(n)]
    tree = DecisionTreeClassifier(criterion=criterion, max_depth=1, random_state=0).fit(X, y).tree_
    assert tree.node_count == 3
    kids = tree.children_left[0], tree.children_right[0]
    assert [int(tree.n_node_samples[k]) for k in kids] == [sum(left), sum(right)]
    return float(tree.impurity[0]), float(tree.impurity[kids[0]]), float(tree.impurity[kids[1]])


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_decision_tree_matches_scikit_learn(difficulty: str) -> None:
    for p in problems("decision_tree", difficulty):
        left, right = p.params["left"], p.params["right"]
        parent, i_left, i_right = sklearn_split(left, right, p.params["criterion"])
        if p.params["ask"] == "parent_impurity":
            want = parent
        else:
            nl, nr = sum(left), sum(right)
            want = parent - (nl * i_left + nr * i_right) / (nl + nr)
        assert math.isclose(p.answer, want, rel_tol=1e-9, abs_tol=1e-9), p.id


def test_decision_tree_params_make_sense() -> None:
    named = gains = 0
    for d in DIFFICULTIES:
        for p in problems("decision_tree", d):
            left, right = p.params["left"], p.params["right"]
            assert len(left) == len(right) and all(
                isinstance(v, int) and v >= 0 for v in left + right
            )
            assert all(a + b > 0 for a, b in zip(left, right, strict=True)), p.id  # every class
            assert sum(left) >= 3 and sum(right) >= 3
            assert (
                len(left) == 2
                if d == "easy"
                else len(left) in ((2, 3) if d == "medium" else (3, 4))
            )
            if p.params["criterion"] == "entropy":
                assert "log base 2" in p.prompt
            if p.params["ask"] == "gain":
                assert "weighted by their sizes" in p.prompt
                named += misconception(p, "summed_children") is not None
                gains += 1
        if d == "hard":  # always the gain, with children of clearly different sizes
            for p in problems("decision_tree", d):
                nl, nr = sum(p.params["left"]), sum(p.params["right"])
                assert p.params["ask"] == "gain" and max(nl, nr) >= 2 * min(nl, nr), p.id
    assert named >= 0.9 * gains  # "parent − the sum of the children" is nearly always named


# --- random_forest -------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_random_forest_matches_a_vote_count(difficulty: str) -> None:
    for p in problems("random_forest", difficulty):
        votes, ask, asked = p.params["votes"], p.params["ask"], p.params["class"]
        tally = Counter(votes)
        if ask == "class":
            assert asked is None
            (top, n1), (_, n2) = tally.most_common(2)
            assert n1 > n2 and p.answer == top, p.id
            classes = max(votes) + 1
            assert classes in {"easy": (3,), "medium": (3, 4), "hard": (4,)}[difficulty], p.id
            assert sorted(c.value for c in p.choices()) == list(range(classes)), p.id
            if difficulty == "hard":
                assert 2 * n1 < len(votes), p.id  # a plurality, not a majority
        else:
            assert isinstance(asked, int) and p.proportion
            assert p.answer == tally[asked] / len(votes), p.id
            if difficulty == "hard":
                assert asked != tally.most_common(1)[0][0], p.id


def test_random_forest_params_make_sense() -> None:
    for d, (lo, hi) in {"easy": (6, 10), "medium": (9, 15), "hard": (15, 25)}.items():
        for p in problems("random_forest", d):
            votes = p.params["votes"]
            assert lo <= len(votes) <= hi, p.id
            assert all(isinstance(v, int) for v in votes)
            assert set(votes) == set(range(max(votes) + 1)), p.id  # every class gets a vote
            assert f"{len(votes)} decision trees" in p.prompt


# --- no answer cues in the class and index questions ----------------------------------------

CUE_SEEDS = range(600)


def plurality(labels: list[int]) -> int | None:
    top = Counter(labels).most_common(2)
    return None if len(top) == 2 and top[0][1] == top[1][1] else top[0][0]


def unique_argmin(values: list[float]) -> int | None:
    low = min(values)
    return values.index(low) if values.count(low) == 1 else None


def assert_even(answers: Counter[tuple[int, int]]) -> None:
    """Among the problems with C options, each answer's share lies within 1/C ± 40%."""
    for options in {c for c, _ in answers}:
        total = sum(n for (c, _), n in answers.items() if c == options)
        for value in range(options):
            share = answers[options, value] / total
            assert 0.6 / options <= share <= 1.4 / options, (options, value, share, answers)


def test_knn_labels_are_not_given_away_by_the_data() -> None:
    """Drawn as they come, the nearest point's class and the majority class of all points
    are often the answer (they never were when the data were shaped so that the wrong
    procedures named the three other classes); that elimination rarely works now; and the
    answer is any class about equally often."""
    n = nearest = overall = eliminated = 0
    answers: Counter[tuple[int, int]] = Counter()
    for d in DIFFICULTIES:
        for p in problems("knn", d, CUE_SEEDS):
            q = p.params
            if q["ask"] != "label":
                continue
            labels, k = q["labels"], q["k"]
            order = sorted(range(len(labels)), key=lambda i: math.dist(q["points"][i], q["query"]))
            n += 1
            nearest += labels[order[0]] == p.answer
            overall += plurality(labels) == p.answer
            wrong = {
                labels[order[0]],
                plurality(labels),
                plurality([labels[i] for i in order[-k:]]),
            }
            eliminated += set(labels) - wrong == {p.answer}
            answers[max(labels) + 1, int(p.answer)] += 1
    assert n >= 600, n
    assert nearest / n > 0.25 and overall / n > 0.10, (nearest / n, overall / n)
    assert eliminated / n < 0.15, eliminated / n
    assert_even(answers)


def test_random_forest_classes_are_not_given_away_by_the_votes() -> None:
    """The first and the last tree vote for the winner about as often as any tree does, and
    ruling out the first, the last and the least-voted class rarely leaves only the answer."""
    n = first = last = eliminated = 0
    answers: Counter[tuple[int, int]] = Counter()
    for d in DIFFICULTIES:
        for p in problems("random_forest", d, CUE_SEEDS):
            votes = p.params["votes"]
            if p.params["ask"] != "class":
                continue
            classes = max(votes) + 1
            counts = [votes.count(c) for c in range(classes)]
            n += 1
            first += votes[0] == p.answer
            last += votes[-1] == p.answer
            wrong = {votes[0], votes[-1], unique_argmin(counts)}
            eliminated += set(range(classes)) - wrong == {p.answer}
            answers[classes, int(p.answer)] += 1
    assert n >= 600, n
    assert first / n > 0.2 and last / n > 0.2, (first / n, last / n)
    assert eliminated / n < 0.25, eliminated / n
    assert_even(answers)


def test_k_means_assignments_are_not_given_away_by_a_fixed_rule() -> None:
    """The assigned centroid is any number about equally often, whatever the point's index;
    the cheap wrong procedures (one coordinate, Manhattan) agree with it as often as the
    geometry makes them, and ruling out their picks rarely leaves only the answer."""
    n = same_as_index = eliminated = 0
    answers: Counter[tuple[int, int]] = Counter()
    by_index: Counter[tuple[int, int]] = Counter()
    agree: Counter[str] = Counter()
    for d in ("easy", "medium"):  # hard asks only updates
        for p in problems("k_means", d, CUE_SEEDS):
            ask = p.params["ask"]
            if "assign" not in ask:
                continue
            i, cents = ask["assign"], p.params["centroids"]
            point = p.params["points"][i]
            picks = {
                "farthest": unique_argmin([-math.dist(point, c) for c in cents]),
                "manhattan": unique_argmin(
                    [abs(point[0] - c[0]) + abs(point[1] - c[1]) for c in cents]
                ),
                "x1": unique_argmin([abs(point[0] - c[0]) for c in cents]),
                "x2": unique_argmin([abs(point[1] - c[1]) for c in cents]),
            }
            n += 1
            same_as_index += i % len(cents) == p.answer
            eliminated += set(range(len(cents))) - set(picks.values()) == {p.answer}
            agree.update(name for name, pick in picks.items() if pick == p.answer)
            answers[len(cents), int(p.answer)] += 1
            by_index[min(i, 3), int(p.answer)] += 1
    assert n >= 500, n
    assert 0.15 < same_as_index / n < 0.35, same_as_index / n
    assert eliminated / n < 0.15, eliminated / n
    assert agree["x1"] / n > 0.3 and agree["x2"] / n > 0.3 and agree["manhattan"] / n > 0.5
    assert agree["farthest"] == 0
    assert_even(answers)
    for index in range(4):  # the point asked about says nothing about its centroid
        row = [by_index[index, j] for j in range(4)]
        assert max(row) < 0.45 * sum(row), (index, row)


# --- stages and wording, all four families ---------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_stages_chain_to_the_answer(family: str) -> None:
    for d in DIFFICULTIES:
        for p in problems(family, d, range(100)):
            stages = stages_of(p)
            assert len(stages) >= 2, p.id
            assert math.isclose(solve(stages)[stages[-1].key], p.answer, abs_tol=1e-9), p.id


@pytest.mark.parametrize("family", FAMILIES)
def test_a_wrong_early_stage_is_carried_forward(family: str) -> None:
    """The learner's wrong first value feeds the later stages: judged against their value."""
    carried = 0
    for d in DIFFICULTIES:
        for p in problems(family, d, range(100)):
            stages = stages_of(p)
            right = solve(stages)
            first = stages[0]
            slip = right[first.key] * 1.5 + 1.0
            given = {first.key: slip}
            assert not judge(p, stages, {}, 0, "", slip).correct
            for i in range(1, len(stages)):
                expected = stages[i].value(given)
                assert judge(p, stages, given, i, "", expected).correct, (p.id, stages[i].key)
                given[stages[i].key] = expected
            carried += not math.isclose(given[stages[-1].key], p.answer, abs_tol=1e-9)
    assert carried >= 30, carried  # the slip changes the learner's later values


def test_knn_radius_slip_changes_the_votes() -> None:
    """A too-large radius takes in more points: the vote stages count those points."""
    for p in problems("knn", "medium", range(100)):
        if p.params["ask"] != "label":
            continue
        stages = stages_of(p)
        right = solve(stages)
        wide = {"radius": 10.0}  # every point
        for stage in stages[1:-1]:
            c = int(stage.key.split("_")[1])
            assert stage.value(wide) == p.params["labels"].count(c)
            assert stage.value({"radius": right["radius"]}) == right[stage.key]


@pytest.mark.parametrize("family", FAMILIES)
def test_prompts_name_the_scenario_and_its_classes(family: str) -> None:
    for scenario in SCENARIOS:
        setting = SETTINGS[scenario]
        for seed in range(20):
            p = make_problem(family, seed, "medium", scenario)
            assert setting.system in p.prompt, p.id
            if family != "k_means":
                assert setting.classes[0] in p.prompt, p.id
            assert p == make_problem(family, seed, "medium", scenario)
