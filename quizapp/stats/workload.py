"""Workload: reviews and minutes a day ahead, at the desired retention and at a few others,
so the learner can choose ("help me decide").

The learner's own cards (their FSRS memory today, the new cards still to learn) are run
through `quizapp.scheduling.simulate` (FSRS-6 day by day, with the parameters in use) for
the longest horizon, once per retention with the same random draws, and averaged over the
first 30, 90 and 365 days. New cards come in at the learner's new-cards-a-day setting; the
reviews are not capped by the daily review limit (the workload is what keeping that
retention asks for). Minutes use the learner's own answer times from the review log:

- a review: the mean time of a passed answer to a review card;
- a failed review: its extra time over a passed one, plus the relearning answers a lapse
  brings (the log's relearning answers per lapse, at their mean time);
- a new card: its first answer plus the learning answers a new card brings, at their means.

Each answer counts at most 5 minutes (one left open); a kind of answer the log has no time
for falls back to the simulator's typical time, and `times_from_log` says whether any time
came from the learner. Grades likewise: the learner's share of each first grade and of
Hard/Good/Easy on a passed review once there are 20 such answers, else fsrs-rs's defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from quizapp.scheduling.memory import NEW
from quizapp.scheduling.simulate import (
    AnswerTimes,
    CardArrays,
    Ratings,
    SimSettings,
    simulate,
)

RETENTIONS = (0.80, 0.85, 0.90, 0.95)
HORIZONS = (30, 90, 365)
MIN_GRADES = 20  # answers needed before the learner's own grade shares are used
DAY = 86400.0
UNCAPPED_REVIEWS = 1_000_000  # the workload is what is due: no daily review limit


@dataclass(frozen=True, slots=True)
class WorkloadInputs:
    """What the simulation starts from (built by `workload_inputs`)."""

    start_day: int  # today's study day: the first simulated day
    cards: CardArrays
    times: AnswerTimes
    times_from_log: bool
    ratings: Ratings
    settings: SimSettings  # at the desired retention

    @property
    def studied_cards(self) -> int:
        return int(self.cards.studied.sum())

    @property
    def new_cards(self) -> int:
        return len(self.cards) - self.studied_cards


@dataclass(frozen=True, slots=True)
class Load:
    """Mean per day over the first `days` days."""

    days: int
    reviews: float  # answers to studied cards (review, learning and relearning cards due)
    new: float  # new cards learned
    minutes: float


@dataclass(frozen=True, slots=True)
class WorkloadOption:
    retention: float
    current: bool  # the desired retention now
    loads: tuple[Load, ...]  # one per horizon, shortest first
    daily_reviews: tuple[int, ...]  # per day over the longest horizon, today first
    daily_minutes: tuple[float, ...]

    def load(self, days: int) -> Load:
        return next(x for x in self.loads if x.days == days)


@dataclass(frozen=True, slots=True)
class Workload:
    desired_retention: float
    options: tuple[WorkloadOption, ...]  # by retention, lowest first
    times: AnswerTimes
    times_from_log: bool
    studied_cards: int
    new_cards: int

    @property
    def current(self) -> WorkloadOption:
        return next(o for o in self.options if o.current)

    def option(self, retention: float) -> WorkloadOption:
        return next(o for o in self.options if abs(o.retention - retention) < 1e-9)


# --- inputs -----------------------------------------------------------------------------------


def _mean(raw: Mapping[str, tuple[int, int, float]], kind: str) -> float | None:
    """Mean seconds of the kind's timed answers, None without one."""
    _n, timed, seconds = raw.get(kind, (0, 0, 0.0))
    return seconds / timed if timed else None


def _count(raw: Mapping[str, tuple[int, int, float]], kind: str) -> int:
    return raw.get(kind, (0, 0, 0.0))[0]


def answer_times(
    raw: Mapping[str, tuple[int, int, float]], relearning_steps: int
) -> tuple[AnswerTimes, bool]:
    """The simulator's answer times from the log's (answers, timed answers, seconds) per
    kind (see the module docstring), and whether any came from the log."""
    typical = AnswerTimes()
    passed, again = _mean(raw, "review_pass"), _mean(raw, "review_again")
    review = passed if passed is not None else again
    review_s = review if review is not None else typical.review_seconds

    new_first, learning = _mean(raw, "new"), _mean(raw, "learning")
    new_s = typical.new_seconds
    if new_first is not None:
        per_card = _count(raw, "learning") / max(1, _count(raw, "new"))
        new_s = new_first + per_card * (learning if learning is not None else new_first)

    lapse_s: float | None = None
    relearning = _mean(raw, "relearning")
    if again is not None or relearning is not None:
        extra = max(0.0, again - review_s) if again is not None else 0.0
        lapses = _count(raw, "review_again")
        if relearning is not None and lapses:
            steps = _count(raw, "relearning") / lapses
            lapse_s = extra + steps * relearning
        else:
            lapse_s = extra + review_s * relearning_steps
    from_log = any(m is not None for m in (passed, again, new_first, learning, relearning))
    return AnswerTimes(review_s, new_s, lapse_s), from_log


def ratings(first: Mapping[int, int], review: Mapping[int, int]) -> Ratings:
    """The learner's grade shares once there are `MIN_GRADES` answers, else the defaults."""
    typical = Ratings()
    f = tuple(float(first.get(g, 0)) for g in (1, 2, 3, 4))
    r = tuple(float(review.get(g, 0)) for g in (2, 3, 4))
    return Ratings(
        first=(f[0], f[1], f[2], f[3]) if sum(f) >= MIN_GRADES else typical.first,
        review=(r[0], r[1], r[2]) if sum(r) >= MIN_GRADES else typical.review,
    )


def card_arrays(
    rows: Sequence[tuple[int, int, float | None, float | None, float, float | None]],
    *,
    today: int,
    day_start: float,
) -> CardArrays:
    """The simulator's cards from (card id, state, stability, difficulty, due, last review)
    rows: times become study days counted from today's rollover at `day_start`; a card due
    before today is due today (the simulator takes overdue cards first)."""
    n = len(rows)
    table = np.array(
        [
            (
                cid,
                state != NEW and s is not None and d is not None and last is not None,
                s if s is not None else 1.0,
                d if d is not None else 5.0,
                due,
                last if last is not None else day_start,
            )
            for cid, state, s, d, due, last in rows
        ],
        dtype=np.float64,
    ).reshape(n, 6)
    studied = table[:, 1] > 0

    def days(ts: Any) -> Any:
        return today + np.floor((ts - day_start) / DAY).astype(np.int64)

    return CardArrays(
        card_id=table[:, 0].astype(np.int64),
        studied=studied,
        stability=table[:, 2],
        difficulty=table[:, 3],
        due_day=np.where(studied, days(table[:, 4]), today).astype(np.int64),
        last_day=np.where(studied, days(table[:, 5]), today).astype(np.int64),
        order=np.where(studied, 0.0, table[:, 4]),
    )


# --- the simulation ---------------------------------------------------------------------------


def retentions_for(desired: float, others: Iterable[float] = RETENTIONS) -> tuple[float, ...]:
    """The retentions to compare: the usual ones and the desired one, lowest first."""
    return tuple(sorted({round(r, 4) for r in others} | {round(desired, 4)}))


def _offset(
    progress: Callable[[int, int], None], before: int, total: int
) -> Callable[[int, int], None]:
    """One simulation's day count as progress over all of them."""

    def step(done: int, _days: int) -> None:
        progress(before + done, total)

    return step


def simulate_workload(
    inputs: WorkloadInputs,
    retentions: Iterable[float] = RETENTIONS,
    horizons: Sequence[int] = HORIZONS,
    *,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Workload:
    """Simulate the longest horizon once per retention (the desired one included, with the
    same seed: the options differ by their retention, not by luck); `progress(done, total)`
    after each simulated day."""
    desired = inputs.settings.desired_retention
    chosen = retentions_for(desired, retentions)
    span = max(horizons)
    total = span * len(chosen)
    options = []
    for k, retention in enumerate(chosen):
        step = None if progress is None else _offset(progress, k * span, total)
        result = simulate(
            inputs.cards,
            inputs.start_day,
            span,
            replace(inputs.settings, desired_retention=retention),
            inputs.times,
            inputs.ratings,
            seed=seed,
            progress=step,
        )
        loads = tuple(
            Load(
                days=h,
                reviews=float(result.reviews[:h].sum()) / h,
                new=float(result.new[:h].sum()) / h,
                minutes=float(result.minutes[:h].sum()) / h,
            )
            for h in sorted(horizons)
        )
        options.append(
            WorkloadOption(
                retention=retention,
                current=abs(retention - round(desired, 4)) < 1e-9,
                loads=loads,
                daily_reviews=tuple(int(x) for x in result.reviews),
                daily_minutes=tuple(float(x) for x in result.minutes),
            )
        )
    return Workload(
        desired_retention=desired,
        options=tuple(options),
        times=inputs.times,
        times_from_log=inputs.times_from_log,
        studied_cards=inputs.studied_cards,
        new_cards=inputs.new_cards,
    )


# --- output -----------------------------------------------------------------------------------


def workload_dict(w: Workload) -> dict[str, Any]:
    """The JSON shape of `quizapp stats workload --json`."""
    return {
        "desired_retention": w.desired_retention,
        "studied_cards": w.studied_cards,
        "new_cards": w.new_cards,
        "answer_times": {
            "review_seconds": round(w.times.review_seconds, 2),
            "new_seconds": round(w.times.new_seconds, 2),
            "lapse_seconds": None
            if w.times.lapse_seconds is None
            else round(w.times.lapse_seconds, 2),
            "from_log": w.times_from_log,
        },
        "options": [
            {
                "retention": o.retention,
                "current": o.current,
                "loads": [
                    {
                        "days": x.days,
                        "reviews_per_day": round(x.reviews, 2),
                        "new_per_day": round(x.new, 2),
                        "minutes_per_day": round(x.minutes, 2),
                    }
                    for x in o.loads
                ],
            }
            for o in w.options
        ],
    }


def format_workload(w: Workload) -> str:
    """The "help me decide" table as plain text: reviews and minutes a day per retention."""
    days = [x.days for x in w.options[0].loads] if w.options else []
    head = ["Retention", *(f"{d} days" for d in days)]
    rows = [head]
    for o in w.options:
        mark = " (current)" if o.current else ""
        rows.append(
            [
                f"{100 * o.retention:.0f}%{mark}",
                *(f"{x.reviews:.0f} rev, {x.minutes:.0f} min" for x in o.loads),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
        for r in rows
    ]
    source = "your answer times" if w.times_from_log else "typical answer times"
    return (
        f"Workload a day (mean over the next N days; {w.studied_cards} studied cards, "
        f"{w.new_cards} new; {source}: review {w.times.review_seconds:.0f} s, "
        f"new card {w.times.new_seconds:.0f} s):\n" + "\n".join("  " + line for line in lines)
    )
