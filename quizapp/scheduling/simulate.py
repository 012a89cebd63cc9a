"""A day-by-day FSRS-6 simulation of the learner's own cards (NumPy, vectorised, seeded).

Used by the exam plan (quizapp/plan) and the workload view (quizapp/stats/workload.py).
Pure: no SQL, no UI; days are study-day ordinals (`date.toordinal()` of the study day).

API (stable)
------------
- `CardArrays(card_id, studied, stability, difficulty, due_day, last_day, order)` — one entry
  per card, NumPy arrays of equal length. `studied` False marks a new card (its stability,
  difficulty, due_day and last_day are ignored; `order` is its place in the new queue, lower
  first). Build it with `CardArrays.build(rows)` from `CardInput` values, or directly.
  Learning/relearning cards count as studied, due on their due day.
- `AnswerTimes(review_seconds=12.0, new_seconds=30.0, lapse_seconds=None)`: mean seconds per
  review, per new card (all its first-day answers), and the extra cost of a failed review
  (relearning; default: `review_seconds` per relearning step).
- `Ratings(first=(again, hard, good, easy), review=(hard, good, easy))`: probabilities of the
  first rating of a new card, and of the rating of a successful review (a failure is Again,
  drawn from the card's retrievability). Defaults: fsrs-rs's simulator defaults.
- `SimSettings(desired_retention=0.9, parameters=DEFAULT_PARAMETERS (FSRS-6, 21 floats),
  new_per_day=20, reviews_per_day=200, maximum_interval=36500, learning_steps=2,
  relearning_steps=1, minutes_per_day=None, exam_day=None, stretch_days=None, fuzz=True)`.
  `minutes_per_day`: a daily time budget (reviews first, oldest due first; new cards only in
  what is left). `exam_day` with `stretch_days=None`: every interval ends the day before the
  exam at the latest (the app's exam cap); with `stretch_days=K`: the final stretch (see
  `quizapp.scheduling.review.exam_target_day`): a card reviewed before the last K days whose
  interval would reach past the stretch start comes back on its target day in the stretch;
  a card reviewed inside the stretch keeps its natural interval.
- `simulate(cards, start_day, days, settings, times, ratings, seed=0, recall_days=(),
  progress=None) -> SimResult`. Simulates days `start_day .. start_day + days - 1`.
  `recall_days`: days on which every card's retrievability is recorded (at the start of the
  day, before that day's reviews; NaN for a card not studied by then); a day may be
  `start_day + days` (the morning after the last simulated day). `progress(done, total)` is
  called once per simulated day.
- `SimResult`: `days`, `reviews`, `new`, `minutes`, `backlog` (due reviews left undone at the
  end of the day), `lapses` (arrays, one entry per day), `recall: dict[int, NDArray]`,
  `new_cut` (new cards the daily limit allowed but the budget held back), `new_left` (new
  cards never introduced).
- `fsrs_first(rating, w)`, `fsrs_review(s, d, elapsed_days, rating, w)`,
  `fsrs_short_term(s, d, rating, w)`, `next_interval(s, retention, maximum, w)`,
  `retrievability(s, elapsed_days, w)`: FSRS-6's formulas on arrays (as `fsrs` 6.x computes
  them; tests check them against the package).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

MIN_DIFFICULTY, MAX_DIFFICULTY = 1.0, 10.0
STABILITY_MIN = 0.001

# fsrs-rs's simulator defaults (first rating of a new card; rating of a passed review)
DEFAULT_FIRST_RATINGS = (0.24, 0.094, 0.495, 0.171)
DEFAULT_REVIEW_RATINGS = (0.224, 0.631, 0.145)


def _w(parameters: Sequence[float]) -> F64:
    w = np.asarray(parameters, dtype=np.float64)
    if w.shape != (21,):
        raise ValueError(f"FSRS-6 needs 21 parameters, not {w.size}")
    return w


def _factor(w: F64) -> float:
    return float(0.9 ** (1.0 / -w[20]) - 1.0)


def retrievability(s: F64, elapsed_days: F64 | I64, w: F64) -> F64:
    """R = (1 + F t / S) ** -w20, t in whole days (>= 0)."""
    t = np.maximum(np.asarray(elapsed_days, dtype=np.float64), 0.0)
    return np.asarray((1.0 + _factor(w) * t / s) ** -w[20], dtype=np.float64)


def _clamp_d(d: F64) -> F64:
    return np.clip(d, MIN_DIFFICULTY, MAX_DIFFICULTY)


def _init_d(rating: F64 | I64 | float, w: F64) -> F64:
    return np.asarray(w[4] - np.exp(w[5] * (np.asarray(rating, dtype=np.float64) - 1.0)) + 1.0)


def _next_d(d: F64, rating: F64 | I64, w: F64) -> F64:
    delta = -w[6] * (np.asarray(rating, dtype=np.float64) - 3.0)
    damped = d + (10.0 - d) * delta / 9.0
    return _clamp_d(w[7] * _init_d(4.0, w) + (1.0 - w[7]) * damped)


def fsrs_first(rating: I64, w: F64) -> tuple[F64, F64]:
    """Stability and difficulty after a new card's first answer."""
    r = np.asarray(rating, dtype=np.int64)
    s = np.maximum(w[r - 1], STABILITY_MIN)
    return s.astype(np.float64), _clamp_d(_init_d(r, w))


def fsrs_short_term(s: F64, d: F64, rating: I64, w: F64) -> tuple[F64, F64]:
    """A same-day answer (learning/relearning step): short-term stability, next difficulty."""
    r = np.asarray(rating, dtype=np.float64)
    inc = np.exp(w[17] * (r - 3.0 + w[18])) * s ** -w[19]
    inc = np.where(r >= 2, np.maximum(inc, 1.0), inc)
    return np.maximum(s * inc, STABILITY_MIN), _next_d(d, r, w)


def fsrs_review(s: F64, d: F64, elapsed_days: F64 | I64, rating: I64, w: F64) -> tuple[F64, F64]:
    """A review answered `elapsed_days` (whole days, >= 1) after the last one."""
    r = np.asarray(rating, dtype=np.int64)
    ret = retrievability(s, elapsed_days, w)
    hard = np.where(r == 2, w[15], 1.0)
    easy = np.where(r == 4, w[16], 1.0)
    recall = s * (
        1.0
        + np.exp(w[8]) * (11.0 - d) * s ** -w[9] * (np.exp((1.0 - ret) * w[10]) - 1.0) * hard * easy
    )
    forget = np.minimum(
        w[11] * d ** -w[12] * ((s + 1.0) ** w[13] - 1.0) * np.exp((1.0 - ret) * w[14]),
        s / np.exp(w[17] * w[18]),
    )
    s_new = np.maximum(np.where(r == 1, forget, recall), STABILITY_MIN)
    return s_new, _next_d(d, r, w)


def next_interval(s: F64, retention: float, maximum: int, w: F64) -> I64:
    """fsrs's interval in whole days (round half to even, like Python's round), 1..maximum."""
    ivl = s / _factor(w) * (float(retention) ** (1.0 / -float(w[20])) - 1.0)
    out: I64 = np.clip(np.round(ivl), 1, maximum).astype(np.int64)
    return out


def _fuzz(ivl: I64, maximum: int, u: F64) -> I64:
    """fsrs's fuzz ranges with the random draw `u` in [0, 1) (intervals < 2.5 d unchanged)."""
    x = ivl.astype(np.float64)
    delta = np.ones_like(x)
    for fr in FUZZ_RANGES:
        delta += fr["factor"] * np.maximum(np.minimum(x, fr["end"]) - fr["start"], 0.0)
    low = np.maximum(2.0, np.round(x - delta))
    high = np.minimum(np.round(x + delta), maximum)
    low = np.minimum(low, high)
    out = np.minimum(np.round(u * (high - low + 1.0) + low), maximum)
    return np.where(x < 2.5, ivl, out.astype(np.int64))


@dataclass(frozen=True, slots=True)
class CardInput:
    """One card for `CardArrays.build` (days are study-day ordinals)."""

    card_id: int
    studied: bool
    stability: float | None = None
    difficulty: float | None = None
    due_day: int = 0
    last_day: int = 0
    order: float = 0.0  # new cards: place in the new queue


@dataclass(frozen=True, slots=True)
class CardArrays:
    card_id: I64
    studied: NDArray[np.bool_]
    stability: F64
    difficulty: F64
    due_day: I64
    last_day: I64
    order: F64

    def __len__(self) -> int:
        return int(self.card_id.size)

    @classmethod
    def build(cls, rows: Iterable[CardInput]) -> CardArrays:
        rs = list(rows)
        studied = np.array(
            [r.studied and r.stability is not None and r.difficulty is not None for r in rs],
            dtype=np.bool_,
        )
        return cls(
            card_id=np.array([r.card_id for r in rs], dtype=np.int64),
            studied=studied,
            stability=np.array([r.stability or 1.0 for r in rs], dtype=np.float64),
            difficulty=np.array([r.difficulty or 5.0 for r in rs], dtype=np.float64),
            due_day=np.array([r.due_day for r in rs], dtype=np.int64),
            last_day=np.array([r.last_day for r in rs], dtype=np.int64),
            order=np.array([r.order for r in rs], dtype=np.float64),
        )


@dataclass(frozen=True, slots=True)
class AnswerTimes:
    review_seconds: float = 12.0
    new_seconds: float = 30.0
    lapse_seconds: float | None = None  # None: review_seconds per relearning step


@dataclass(frozen=True, slots=True)
class Ratings:
    first: tuple[float, float, float, float] = DEFAULT_FIRST_RATINGS
    review: tuple[float, float, float] = DEFAULT_REVIEW_RATINGS


@dataclass(frozen=True, slots=True)
class SimSettings:
    desired_retention: float = 0.9
    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)
    new_per_day: int = 20
    reviews_per_day: int = 200
    maximum_interval: int = 36500
    learning_steps: int = 2
    relearning_steps: int = 1
    minutes_per_day: float | None = None
    exam_day: int | None = None
    stretch_days: int | None = None
    fuzz: bool = True


@dataclass(frozen=True, slots=True)
class SimResult:
    days: I64
    reviews: I64
    new: I64
    minutes: F64
    backlog: I64
    lapses: I64
    new_cut: I64  # new cards the daily limit allowed but the budget held back
    recall: dict[int, F64] = field(default_factory=dict)
    new_left: int = 0


def _probs(p: Sequence[float], n: int) -> F64:
    a = np.asarray(p, dtype=np.float64)
    if a.shape != (n,) or np.any(a < 0) or a.sum() <= 0:
        raise ValueError(f"rating probabilities must be {n} non-negative numbers, not {p!r}")
    return np.cumsum(a / a.sum())


def _draw(cum: F64, u: F64, first: int) -> I64:
    """Ratings `first..` drawn by inverse CDF from uniforms `u`."""
    return (np.searchsorted(cum, u, side="right").clip(0, cum.size - 1) + first).astype(np.int64)


def _cap(ivl: I64, day: int, card_id: I64, st: SimSettings) -> I64:
    """The exam cap / final stretch on intervals given on `day` (see the module docstring)."""
    exam = st.exam_day
    if exam is None or day >= exam:
        return ivl
    if st.stretch_days is None:
        return np.minimum(ivl, max(1, exam - day - 1))
    k = max(1, st.stretch_days)
    start = exam - k
    if day >= start:
        return ivl
    target = start + card_id % k  # same as review.exam_target_day
    return np.minimum(ivl, np.maximum(1, target - day))


def simulate(
    cards: CardArrays,
    start_day: int,
    days: int,
    settings: SimSettings = SimSettings(),
    times: AnswerTimes = AnswerTimes(),
    ratings: Ratings = Ratings(),
    *,
    seed: int = 0,
    recall_days: Iterable[int] = (),
    progress: Callable[[int, int], None] | None = None,
) -> SimResult:
    """Simulate `days` study days from `start_day` (see the module docstring)."""
    st = settings
    w = _w(st.parameters)
    rng = np.random.default_rng(seed)
    first_cum = _probs(ratings.first, 4)
    review_cum = _probs(ratings.review, 3)
    lapse_cost = (
        times.lapse_seconds
        if times.lapse_seconds is not None
        else times.review_seconds * st.relearning_steps
    )
    n = len(cards)
    cid = cards.card_id
    studied = cards.studied.copy()
    s = cards.stability.astype(np.float64).copy()
    d = cards.difficulty.astype(np.float64).copy()
    due = cards.due_day.astype(np.int64).copy()
    last = cards.last_day.astype(np.int64).copy()
    new_queue = np.flatnonzero(~studied)
    new_queue = new_queue[np.lexsort((cid[new_queue], cards.order[new_queue]))]
    next_new = 0
    id_min = int(cid.min()) if n else 0
    id_span = (int(cid.max()) - id_min + 1) if n else 1
    want = {int(x) for x in recall_days}
    recall: dict[int, F64] = {}

    out_reviews = np.zeros(days, dtype=np.int64)
    out_new = np.zeros(days, dtype=np.int64)
    out_minutes = np.zeros(days, dtype=np.float64)
    out_backlog = np.zeros(days, dtype=np.int64)
    out_lapses = np.zeros(days, dtype=np.int64)
    out_cut = np.zeros(days, dtype=np.int64)
    budget_total = None if st.minutes_per_day is None else st.minutes_per_day * 60.0

    def record(day: int) -> None:
        r = np.full(n, np.nan)
        r[studied] = retrievability(s[studied], day - last[studied], w)
        recall[day] = r

    for i in range(days):
        day = start_day + i
        if day in want:
            record(day)
        budget = np.inf if budget_total is None else budget_total
        spent = 0.0
        # reviews: oldest due first, up to the daily limit and the budget
        idx = np.flatnonzero(studied & (due <= day))
        due_count = idx.size
        # at most this many can be done today: only they need sorting (oldest due, then id)
        most = max(0, st.reviews_per_day)
        if np.isfinite(budget):
            most = min(most, int(budget // max(times.review_seconds, 1e-9)) + 1)
        if idx.size > most:
            key = (due[idx] - day) * id_span + (cid[idx] - id_min)
            idx = idx[np.argpartition(key, most - 1)[:most]] if most > 0 else idx[:0]
        idx = idx[np.lexsort((cid[idx], due[idx]))]
        u = rng.random(idx.size)
        v = rng.random(idx.size)
        elapsed = day - last[idx]
        ret = retrievability(s[idx], elapsed, w)
        passed = u < ret
        grade = np.where(passed, _draw(review_cum, v, 2), 1)
        cost = times.review_seconds + np.where(passed, 0.0, lapse_cost)
        if np.isfinite(budget):
            take = int(np.searchsorted(np.cumsum(cost), budget, side="right"))
            idx, grade, elapsed, cost = idx[:take], grade[:take], elapsed[:take], cost[:take]
        spent += float(cost.sum())
        if idx.size:
            s1, d1 = fsrs_review(s[idx], d[idx], elapsed, grade, w)
            failed = grade == 1
            for _ in range(st.relearning_steps):
                s2, d2 = fsrs_short_term(s1, d1, np.full(idx.size, 3), w)
                s1, d1 = np.where(failed, s2, s1), np.where(failed, d2, d1)
            ivl = next_interval(s1, st.desired_retention, st.maximum_interval, w)
            if st.fuzz:
                ivl = _fuzz(ivl, st.maximum_interval, rng.random(idx.size))
            ivl = _cap(ivl, day, cid[idx], st)
            s[idx], d[idx], last[idx], due[idx] = s1, d1, day, day + ivl
            out_lapses[i] = int(failed.sum())
        out_reviews[i] = idx.size
        out_backlog[i] = due_count - idx.size
        # new cards: in what is left of the day
        room = new_queue.size - next_new
        count = min(max(0, st.new_per_day), room)
        if np.isfinite(budget) and times.new_seconds > 0:
            fit = max(0, int((budget - spent) // times.new_seconds))
            out_cut[i] = max(0, count - fit)
            count = min(count, fit)
        if count > 0:
            nidx = new_queue[next_new : next_new + count]
            next_new += count
            g = _draw(first_cum, rng.random(count), 1)
            s1, d1 = fsrs_first(g, w)
            steps = st.learning_steps
            extra = np.where(g == 4, 0, np.where(g == 3, max(0, steps - 1), steps))
            if steps == 0:
                extra = np.zeros(count, dtype=np.int64)
            for k in range(int(extra.max(initial=0))):
                s2, d2 = fsrs_short_term(s1, d1, np.full(count, 3), w)
                more = extra > k
                s1, d1 = np.where(more, s2, s1), np.where(more, d2, d1)
            ivl = next_interval(s1, st.desired_retention, st.maximum_interval, w)
            if st.fuzz:
                ivl = _fuzz(ivl, st.maximum_interval, rng.random(count))
            ivl = _cap(ivl, day, cid[nidx], st)
            s[nidx], d[nidx], last[nidx], due[nidx] = s1, d1, day, day + ivl
            studied[nidx] = True
            spent += count * times.new_seconds
        out_new[i] = count
        out_minutes[i] = spent / 60.0
        if progress is not None:
            progress(i + 1, days)
    end = start_day + days
    if end in want:
        record(end)
    return SimResult(
        days=np.arange(start_day, end, dtype=np.int64),
        reviews=out_reviews,
        new=out_new,
        minutes=out_minutes,
        backlog=out_backlog,
        lapses=out_lapses,
        new_cut=out_cut,
        recall=recall,
        new_left=int(new_queue.size - next_new),
    )
