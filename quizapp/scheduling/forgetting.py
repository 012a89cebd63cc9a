"""The FSRS forgetting curve over NumPy arrays: predicted recall of many cards at once.

R(t, S) = (1 + F * t / S) ** -w20, with F = 0.9 ** (1 / -w20) - 1 so that R(S, S) = 0.9,
and t the whole days since the last review (fsrs counts `timedelta.days`, floored, >= 0).
Matches `fsrs.Scheduler.get_card_retrievability` card by card (see the tests).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from quizapp.scheduling.review import DAY_SECONDS, DECAY


def curve_factor(decay: float = DECAY) -> float:
    return float(0.9 ** (1.0 / -decay) - 1.0)  # float ** float is typed Any


def retrievability(
    stability: ArrayLike, elapsed_days: ArrayLike, decay: float = DECAY
) -> NDArray[np.float64]:
    """Recall probability after `elapsed_days` (floored to whole days) at each `stability`."""
    s = np.asarray(stability, dtype=np.float64)
    t = np.floor(np.maximum(np.asarray(elapsed_days, dtype=np.float64), 0.0))
    return (1.0 + curve_factor(decay) * t / s) ** -decay


def retrievability_at(
    stability: ArrayLike, last_review_ts: ArrayLike, at_ts: float, decay: float = DECAY
) -> NDArray[np.float64]:
    """Recall probability at epoch second `at_ts` of cards last reviewed at `last_review_ts`."""
    elapsed = (at_ts - np.asarray(last_review_ts, dtype=np.float64)) / DAY_SECONDS
    return retrievability(stability, elapsed, decay)


def mean_retrievability(
    stability: ArrayLike, last_review_ts: ArrayLike, at_ts: float, decay: float = DECAY
) -> float | None:
    """Mean predicted recall at `at_ts`, or None when there is no card."""
    s = np.asarray(stability, dtype=np.float64)
    if s.size == 0:
        return None
    return float(retrievability_at(s, last_review_ts, at_ts, decay).mean())
