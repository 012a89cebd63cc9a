"""Grading one card with fsrs, plus the parts fsrs leaves out: fuzz that previews can
trust, the exam-date cap and leeches.

Fuzz: fsrs draws its fuzz from the global `random`, so a preview computed before answering
could differ from what the answer then gives. Here fsrs runs with fuzzing off and the same
fuzz (fsrs's own ranges, `fsrs.scheduler.FUZZ_RANGES`) is applied with a number drawn from
(card id, review count): the preview for a grade and the answer with that grade run the very
same function with the same inputs, so the button never lies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from quizapp.reviews.model import GRADE_LABELS, GradePreview
from quizapp.scheduling.intervals import interval_text
from quizapp.scheduling.memory import NEW, REVIEW, Memory, queue_for
from quizapp.settings.model import Settings

DECAY = DEFAULT_PARAMETERS[20]  # FSRS-6 forgetting-curve decay of the default parameters
DAY_SECONDS = 86400.0
_MASK64 = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings that shape scheduling, hashable so fsrs schedulers can be cached."""

    desired_retention: float = 0.9
    learning_steps_min: tuple[int, ...] = (1, 10)
    relearning_steps_min: tuple[int, ...] = (10,)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    leech_threshold: int = 8
    leech_suspend: bool = False
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS  # FSRS-6 (21): defaults or the fitted set

    @property
    def decay(self) -> float:
        """The forgetting-curve decay of the parameters in use."""
        return self.parameters[20]

    @classmethod
    def from_settings(cls, s: Settings, parameters: tuple[float, ...] | None = None) -> Policy:
        return cls(
            parameters=parameters or DEFAULT_PARAMETERS,
            desired_retention=s.desired_retention,
            learning_steps_min=tuple(s.learning_steps_min),
            relearning_steps_min=tuple(s.relearning_steps_min),
            maximum_interval_days=s.maximum_interval_days,
            fuzz=s.fuzz,
            leech_threshold=s.leech_threshold,
            leech_suspend=s.leech_action == "suspend",
        )


@dataclass(frozen=True, slots=True)
class Graded:
    """A card's memory after one answer."""

    memory: Memory
    interval: timedelta
    became_leech: bool


@lru_cache(maxsize=256)
def fsrs_scheduler(
    desired_retention: float,
    learning_steps_min: tuple[int, ...],
    relearning_steps_min: tuple[int, ...],
    maximum_interval: int,
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS,
) -> Scheduler:
    """An fsrs Scheduler without fuzz (applied here instead); cached, as it is immutable."""
    return Scheduler(
        parameters=parameters,
        desired_retention=desired_retention,
        learning_steps=tuple(timedelta(minutes=m) for m in learning_steps_min),
        relearning_steps=tuple(timedelta(minutes=m) for m in relearning_steps_min),
        maximum_interval=maximum_interval,
        enable_fuzzing=False,
    )


def interval_cap(
    policy: Policy,
    today: int,
    exam_day: int | None,
    *,
    card_id: int = 0,
    stretch_days: int | None = None,
) -> int:
    """The longest interval in days.

    With an exam ahead and no final stretch (`stretch_days=None`), every card is back the day
    before it (or at worst on exam morning when the exam is tomorrow). With a final stretch of
    K days (the last K days before the exam, `final_stretch_days`), a card answered before the
    stretch comes back on its target day in the stretch at the latest (`exam_target_day`), so
    every studied card is seen once in the stretch without piling up on one day; a card
    answered inside the stretch keeps its natural interval (it was just seen).
    """
    cap = policy.maximum_interval_days
    if exam_day is not None and exam_day > today:
        if stretch_days is None:
            cap = min(cap, max(1, exam_day - today - 1))
        elif today < exam_day - max(1, stretch_days):
            cap = min(cap, max(1, exam_target_day(card_id, exam_day, stretch_days) - today))
    return max(1, cap)


def exam_target_day(card_id: int, exam_day: int, stretch_days: int) -> int:
    """The day in the final stretch a card is pulled to (cards spread evenly by id)."""
    k = max(1, stretch_days)
    return exam_day - k + card_id % k


def final_stretch_days(studied_cards: int, review_seconds: float, minutes_per_day: float) -> int:
    """How many days it takes to see every studied card once at the budgeted pace (>= 1)."""
    per_day = max(1.0, minutes_per_day * 60.0 / max(review_seconds, 0.1))
    return max(1, math.ceil(studied_cards / per_day))


def fuzz_fraction(card_id: int, reps: int) -> float:
    """A number in [0, 1) fixed by the card and how often it was reviewed (splitmix64)."""
    z = (card_id * 0x9E3779B97F4A7C15 + reps * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    z ^= z >> 31
    return (z >> 11) / float(1 << 53)


def fuzzed_days(days: int, maximum: int, fraction: float) -> int:
    """fsrs's fuzz (same ranges and rounding as Scheduler._get_fuzzed_interval), with the
    random draw given as `fraction`."""
    if days < 2.5:
        return days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum)
    low = min(low, high)
    return min(round(fraction * (high - low + 1) + low), maximum)


def _to_utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def fsrs_card(m: Memory, now: datetime) -> Card:
    """The fsrs Card for a memory row (built directly, always with its id)."""
    if m.state == NEW:
        return Card(card_id=m.card_id, state=State.Learning, step=0, due=now)
    return Card(
        card_id=m.card_id,
        state=State(m.state),
        step=m.step,
        stability=m.stability,
        difficulty=m.difficulty,
        due=_to_utc(m.due),
        last_review=_to_utc(m.last_review) if m.last_review is not None else None,
    )


def is_leech_moment(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at `threshold` lapses, and again every half threshold after."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


def _scheduler_for(policy: Policy, cap: int) -> Scheduler:
    return fsrs_scheduler(
        policy.desired_retention,
        policy.learning_steps_min,
        policy.relearning_steps_min,
        min(cap, policy.maximum_interval_days),
        policy.parameters,
    )


def _review(
    m: Memory, card: Card, grade: int, now: datetime, policy: Policy, scheduler: Scheduler
) -> tuple[Card, timedelta]:
    """fsrs's review, then our seeded fuzz; the card after and the interval it got."""
    after, _log = scheduler.review_card(card, Rating(grade), now)
    interval = after.due - now
    if policy.fuzz and after.state == State.Review:
        fraction = fuzz_fraction(m.card_id, m.reps)
        interval = timedelta(days=fuzzed_days(interval.days, scheduler.maximum_interval, fraction))
    return after, interval


def _utc_now(now: datetime) -> datetime:
    return now if now.tzinfo is UTC else now.astimezone(UTC)


def grade_card(m: Memory, grade: int, now: datetime, policy: Policy, cap: int) -> Graded:
    """Apply `grade` (1..4) at `now` (aware UTC) with fsrs; `cap` is the longest interval."""
    if grade not in GRADE_LABELS:
        raise ValueError(f"grade must be 1..4, not {grade!r}")
    now = _utc_now(now)
    card, interval = _review(m, fsrs_card(m, now), grade, now, policy, _scheduler_for(policy, cap))
    lapses = m.lapses + 1 if (m.state == REVIEW and grade == 1) else m.lapses
    became_leech = lapses > m.lapses and is_leech_moment(lapses, policy.leech_threshold)
    suspended = m.suspended or (became_leech and policy.leech_suspend)
    state = int(card.state)
    ts = now.timestamp()
    memory = Memory(
        card_id=m.card_id,
        state=state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=ts + interval.total_seconds(),
        last_review=ts,
        reps=m.reps + 1,
        lapses=lapses,
        queue=queue_for(state, suspended=suspended, buried=False),
        suspended=suspended,
        leech=m.leech or became_leech,
        buried_until=None,
    )
    return Graded(memory, interval, became_leech)


def previews(m: Memory, now: datetime, policy: Policy, cap: int) -> tuple[GradePreview, ...]:
    """What each grade would give, computed with the same call answering makes."""
    now = _utc_now(now)
    card = fsrs_card(m, now)  # review_card copies it: one Card serves all four grades
    scheduler = _scheduler_for(policy, cap)
    out = []
    for grade, label in GRADE_LABELS.items():
        interval = _review(m, card, grade, now, policy, scheduler)[1]
        out.append(GradePreview(grade, label, interval, interval_text(interval.total_seconds())))
    return tuple(out)
