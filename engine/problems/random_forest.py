"""A random forest's vote: the majority (plurality) class, or one class's share of the trees.

params: `votes` (each tree's predicted class, a class number), `ask` ("class" or "share"),
`class` (the class whose share is asked; None when ask is "class").

Class questions have 3 (easy), 3 or 4 (medium) or 4 (hard) classes. The votes are drawn as
they come, from a random class mix (a symmetric Dirichlet draw, so the answer is any class
equally often), and redrawn only when two classes tie for the most votes or a class gets
none. Hard class questions have a plurality winner with less than half of the votes; easy
and medium ones mostly a majority. The wrong procedures named (the first tree's vote, the
last tree's vote, the class with the fewest votes, the winner's vote count, the average
class number) are computed from those votes: when the first tree happens to vote for the
winner, "first tree" is simply not named for that problem, so no tree's vote is a cue. The
multiple-choice form shows every class. Hard share questions ask about a class that is not
the winner, among more trees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.problems.base import EXACT, Case, approx_tolerance, exact_decimals
from engine.problems.domains import PROBABILITY
from engine.problems.model import Domain, Misconception, Problem
from engine.problems.scenarios import Setting
from engine.problems.stages import Stage, Values
from engine.problems.text import KEEP, eq

CLASS_CLASSES = {"easy": (3, 3), "medium": (3, 4), "hard": (4, 4)}  # class questions
MIX = 2.0  # Dirichlet concentration of a class question's vote mix (the same for every class)
TREES = {"easy": (6, 10), "medium": (9, 15), "hard": (15, 25)}
SHARE_CLASSES = {"easy": (3, 3), "medium": (3, 4), "hard": (4, 5)}
DECIMALS = 3


def counts_of(votes: list[int], classes: int) -> list[int]:
    tally = Counter(votes)
    return [tally[c] for c in range(classes)]


def winner(counts: list[int]) -> int | None:
    """The class with the most votes, or None when two classes tie for the most."""
    top = max(counts)
    return counts.index(top) if counts.count(top) == 1 else None


def const(value: float) -> Callable[[Values], float]:
    """A stage value that does not depend on earlier stages."""
    return lambda given: float(value)


def _class_case(rng: np.random.Generator, difficulty: str) -> Case | None:
    lo, hi = TREES[difficulty]
    n = int(rng.integers(lo, hi + 1))
    classes = int(rng.integers(CLASS_CLASSES[difficulty][0], CLASS_CLASSES[difficulty][1] + 1))
    mix = rng.dirichlet(np.full(classes, MIX))  # the trees' votes as they come
    votes = [int(v) for v in rng.choice(classes, size=n, p=mix)]
    counts = counts_of(votes, classes)
    answer = winner(counts)
    if answer is None or min(counts) == 0:
        return None  # a tie for the most votes, or a class no tree votes for
    if difficulty == "hard" and 2 * counts[answer] >= n:
        return None  # hard: a plurality, less than half of the votes
    if difficulty != "hard" and 2 * counts[answer] <= n and rng.random() < 0.5:
        return None  # easy and medium: mostly a clear majority
    candidates = [
        Misconception(
            "first_tree_vote",
            votes[0],
            "The forest's answer pools every tree's vote, not just the first tree's.",
        ),
        Misconception(
            "last_tree_vote",
            votes[-1],
            "The last tree is one vote among many: count the votes of all trees.",
        ),
    ]
    fewest = min(counts)
    if counts.count(fewest) == 1:
        candidates.append(
            Misconception(
                "fewest_votes",
                counts.index(fewest),
                "The forest predicts the class with the MOST votes, not the fewest.",
            )
        )
    candidates += [
        Misconception(
            "vote_count_not_class",
            counts[answer],
            "Answer with the winning class's number, not how many votes it got.",
        ),
        Misconception(
            "averaged_class_numbers",
            sum(votes) / n,
            "Class numbers are names, not amounts: count the votes per class, don't average.",
        ),
    ]
    params = {"votes": votes, "ask": "class", "class": None}
    return Case(
        params,
        float(answer),
        0,
        EXACT,
        candidates,
        work={"counts": counts},
        min_misconceptions=1,
    )


def _share_case(rng: np.random.Generator, difficulty: str) -> Case | None:
    lo, hi = TREES[difficulty]
    k_lo, k_hi = SHARE_CLASSES[difficulty]
    classes = int(rng.integers(k_lo, k_hi + 1))
    n = int(rng.integers(lo, hi + 1))
    probs = rng.dirichlet(np.full(classes, 1.5))
    votes = [int(v) for v in rng.choice(classes, size=n, p=probs)]
    counts = counts_of(votes, classes)
    top = winner(counts)
    if top is None or min(counts) == 0:
        return None
    if difficulty == "easy":
        asked = top
    else:
        others = [j for j in range(classes) if j != top]
        asked = top if difficulty == "medium" and rng.random() < 0.4 else int(rng.choice(others))
    c = counts[asked]
    share = c / n
    candidates = [
        Misconception(
            "out_of_other_trees",
            c / (n - c),
            "A share divides by ALL the trees, not by the trees that voted otherwise.",
        ),
        Misconception(
            "share_of_winner",
            counts[top] / n,
            "Count the votes of the class asked about, not of the winning class.",
        ),
        Misconception(
            "out_of_winner_votes",
            c / counts[top],
            "Divide by the number of trees, not by the winning class's votes.",
        ),
        Misconception(
            "one_over_classes",
            1 / classes,
            "The share comes from the votes, not from the number of classes.",
        ),
        Misconception(
            "all_or_nothing",
            1.0 if asked == top else 0.0,
            "The forest predicts one class, but the share counts the trees voting for it.",
        ),
        Misconception(
            "share_against",
            1 - share,
            "That is the share of trees voting for some other class.",
        ),
        Misconception("raw_count", c, "A share is the count divided by the number of trees."),
    ]
    decimals = DECIMALS
    params = {"votes": votes, "ask": "share", "class": asked}
    return Case(
        params,
        share,
        decimals,
        approx_tolerance(DECIMALS),
        candidates,
        proportion=True,
        work={"counts": counts},
    )


def draw(rng: np.random.Generator, difficulty: str, setting: Setting) -> Case | None:
    if rng.random() < 0.5:
        return _class_case(rng, difficulty)
    return _share_case(rng, difficulty)


def domain(params: dict[str, Any]) -> Domain:
    if params["ask"] == "share":
        return PROBABILITY
    votes: list[int] = params["votes"]
    return Domain(values=tuple(float(c) for c in range(max(votes) + 1)))


def _names(setting: Setting, classes: int) -> str:
    return ", ".join(f"{j} = {setting.classes[j]}" for j in range(classes))


def explain(case: Case, setting: Setting) -> tuple[str, tuple[str, ...]]:
    votes: list[int] = case.params["votes"]
    counts: list[int] = case.work["counts"]
    n, classes = len(votes), len(counts)
    listing = ", ".join(str(v) for v in votes)
    story = (
        f"In {setting.system}, a random forest of {n} decision trees classifies "
        f"{setting.item}. Each tree votes for one class ({_names(setting, classes)}). "
        f"The votes, from tree 1 to tree {n}, are:\n\n  {listing}\n\n"
    )
    tally = "Count the votes per class: " + ", ".join(
        f"class {j} ({setting.classes[j]}): {counts[j]}" for j in range(classes)
    )
    if case.params["ask"] == "class":
        answer = int(case.answer)
        prompt = story + (
            "The forest predicts the class with the most votes (a plurality: it need not "
            "be more than half of the trees). Which class does the forest predict? "
            f"Type the class number (0 to {classes - 1})."
        )
        steps: tuple[str, ...] = (
            tally,
            f"Total: {' + '.join(str(c) for c in counts)} = {n} trees",
            f"The most votes: class {answer} ({setting.classes[answer]}) with "
            f"{counts[answer]} of {n}, so the forest predicts {answer}",
        )
        return prompt, steps
    asked = case.params["class"]
    d = case.decimals
    exact = exact_decimals(case.answer) <= d
    prompt = story + (
        f"What share of the {n} trees vote for class {asked} ({setting.classes[asked]})? "
        "Give it as a proportion of all the trees. "
        + ("" if exact else f"{KEEP} ")
        + f"Round to {DECIMALS} decimals (a share: 0.5 or 50% both work)."
    )
    steps = (
        tally,
        f"Share of class {asked}: {counts[asked]} / {n} {eq(case.answer, d)}",
    )
    return prompt, steps


def stages(problem: Problem) -> tuple[Stage, ...]:
    """Class: the votes per class, then the class with the most. Share: count, total, share."""
    votes: list[int] = problem.params["votes"]
    if problem.params["ask"] == "share":
        asked = problem.params["class"]
        count = sum(v == asked for v in votes)
        n = len(votes)
        return (
            Stage(
                "count",
                f"c = the number of trees voting for class {asked}",
                f"Count the votes equal to {asked}.",
                0,
                lambda given: count,
            ),
            Stage(
                "total",
                "n = the number of trees",
                "Count every vote, whatever its class.",
                0,
                lambda given: n,
            ),
            Stage(
                "share",
                f"share = c / n, the proportion of trees voting for class {asked}",
                "Divide your count by your number of trees.",
                problem.decimals,
                lambda given: given["count"] / given["total"] if given["total"] else float("nan"),
            ),
        )
    classes = max(votes) + 1  # every class gets a vote
    counts = counts_of(votes, classes)

    def most(given: Values) -> float:
        values = [given[f"votes_{j}"] for j in range(classes)]
        return float(values.index(max(values)))

    out = [
        Stage(
            f"votes_{j}",
            f"the number of trees voting for class {j}",
            f"Count the votes equal to {j}.",
            0,
            const(counts[j]),
        )
        for j in range(classes)
    ]
    out.append(
        Stage(
            "class",
            "the predicted class: the one with the most votes (type its number)",
            "Pick the class whose count is the largest.",
            0,
            most,
        )
    )
    return tuple(out)
