"""A learner simulated from KNOWN FSRS parameters: the review history the optimizer's tests
and benchmark fit to.

Each card is met on a random day, then reviewed when the known parameters say (interval for
90 % retention, at least a day); the learner recalls it with the probability the known
forgetting curve gives after the days actually elapsed, grades Hard/Good/Easy when recalled
and Again otherwise; an Again is followed by one same-day Good (a (re)learning step, delta_t
0), as in Anki. Memory states follow fsrs-rs's own transition (`FSRS.next_states`) with the
known parameters, so a fit to this history should find parameters near them.
"""

from __future__ import annotations

from collections.abc import Sequence

GRADE_NAMES = ("again", "hard", "good", "easy")
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3


def recall_probability(stability: float, days: float, decay: float) -> float:
    """FSRS-6's forgetting curve: R(t) = (1 + factor * t / S) ** -decay, R(S) = 0.9."""
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return float((1.0 + factor * days / stability) ** -decay)


def simulate_history(
    parameters: Sequence[float],
    cards: int,
    days: int,
    *,
    seed: int = 1,
    max_reviews: int | None = None,
    first_grades: Sequence[float] = (0.2, 0.1, 0.6, 0.1),
    recalled_grades: Sequence[float] = (0.15, 0.75, 0.1),
    finals: list[tuple[int, float, float, int, int]] | None = None,
) -> list[tuple[int, int, int, int]]:
    """(card index, day, grade, state before) of every answer, by card then time; cards are
    introduced over the first half of `days`; stops adding cards at `max_reviews` answers.
    `finals`, when given, receives each card's memory at the end: (card index, stability,
    difficulty, day of its last answer, day it is due)."""
    import numpy as np
    from fsrs_rs_python import FSRS

    rng = np.random.default_rng(seed)
    model = FSRS(list(parameters))
    decay = float(parameters[20])
    out: list[tuple[int, int, int, int]] = []
    starts = rng.integers(0, max(1, days // 2), size=cards)
    for card in range(cards):
        if max_reviews is not None and len(out) >= max_reviews:
            break
        day = int(starts[card])
        grade = int(rng.choice(4, p=first_grades)) + 1
        memory = getattr(model.next_states(None, 0.9, 0), GRADE_NAMES[grade - 1]).memory
        out.append((card, day, grade, NEW))
        if grade == 1:
            memory = model.next_states(memory, 0.9, 0).good.memory
            out.append((card, day, 3, LEARNING))
        while True:
            interval = max(1, round(model.next_interval(memory.stability, 0.9, 3)))
            if day + interval >= days:
                if finals is not None:
                    finals.append((card, memory.stability, memory.difficulty, day, day + interval))
                break
            day += interval
            if rng.random() < recall_probability(memory.stability, interval, decay):
                grade = int(rng.choice(3, p=recalled_grades)) + 2
            else:
                grade = 1
            states = model.next_states(memory, 0.9, interval)
            memory = getattr(states, GRADE_NAMES[grade - 1]).memory
            out.append((card, day, grade, REVIEW))
            if grade == 1:
                memory = model.next_states(memory, 0.9, 0).good.memory
                out.append((card, day, 3, RELEARNING))
    return out
