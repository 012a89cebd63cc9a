"""An attempt's results: scaled score, pass or fail, breakdowns, time, and the review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from quizapp.quiz.plan import DomainQuota
from quizapp.quiz.profiles import profile_by_name, profiles
from quizapp.quiz.scoring import SCALE_MAX, SCALE_MIN, Feedback, passed, scaled_score

ReviewFilter = Literal["all", "wrong", "flagged"]
REVIEW_FILTERS: tuple[str, ...] = ("all", "wrong", "flagged")
MEETS, NEEDS_IMPROVEMENT = "meets", "needs improvement"


@dataclass(frozen=True, slots=True)
class Tally:
    correct: int
    total: int

    @property
    def fraction(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def text(self) -> str:
        return f"{self.correct}/{self.total}"


@dataclass(frozen=True, slots=True)
class Results:
    """What the results screen shows. `entries` holds every question's feedback, in order."""

    attempt_id: int
    mode: str
    profile: str
    score: int  # scaled 100..1000 (see quizapp.quiz.scoring)
    pass_score: int
    passed: bool
    correct: int  # scored questions answered right
    total: int  # scored questions (every question when none is unscored)
    answered: int
    flagged: int
    by_domain: dict[str, Tally]  # scored questions, in the profile's domain order
    by_topic: dict[str, Tally]  # scored questions, by topic id
    time_used_s: float
    time_limit_s: float | None
    timed_out: bool  # the clock ran out (the exam submitted itself)
    notes: tuple[str, ...] = ()
    entries: tuple[Feedback, ...] = field(default=(), repr=False)
    pauses: int = 0  # times the attempt was left and resumed (its clock stopped meanwhile)
    paused_s: float = 0.0  # wall-clock time it spent left
    questions: int = 0  # every question of the attempt, scored or not
    unscored: int = 0  # drawn and answered but not counted (which ones is not shown)
    quotas: tuple[DomainQuota, ...] = ()  # exams: each domain's slots, drawn and borrowed

    @property
    def pass_fraction(self) -> float:
        """The share of scored questions the pass mark needs (0.689 for 720)."""
        return (self.pass_score - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)

    def domain_verdicts(self) -> dict[str, str]:
        """Per domain, as AWS reports it: "meets" when its share right reaches the pass mark's,
        else "needs improvement". Compensatory: no domain must be met to pass."""
        return {
            d: MEETS if t.fraction >= self.pass_fraction else NEEDS_IMPROVEMENT
            for d, t in self.by_domain.items()
        }

    def review(self, only: ReviewFilter = "all") -> tuple[Feedback, ...]:
        """Every question, or only the wrong ones (unanswered count as wrong), or the flagged."""
        if only == "all":
            return self.entries
        if only == "wrong":
            return tuple(e for e in self.entries if not e.correct)
        if only == "flagged":
            return tuple(e for e in self.entries if e.flagged)
        raise ValueError(f"review filter must be one of {', '.join(REVIEW_FILTERS)}")


def _domain_order(profile: str) -> dict[str, int]:
    found = profile_by_name(profile) or profiles().default
    return {d: i for i, (d, _) in enumerate(found.domain_weights)}


def _tallies(entries: Sequence[Feedback], key: str, profile: str = "") -> dict[str, Tally]:
    counts: dict[str, list[int]] = {}
    for entry in entries:
        name = getattr(entry.question, key)
        slot = counts.setdefault(name, [0, 0])
        slot[0] += entry.correct
        slot[1] += 1
    if key == "domain":
        order = _domain_order(profile)
        names = sorted(counts, key=lambda d: (order.get(d, len(order)), d))
    else:
        names = sorted(counts)
    return {n: Tally(counts[n][0], counts[n][1]) for n in names}


def build_results(
    *,
    attempt_id: int,
    mode: str,
    profile: str,
    pass_score: int,
    entries: Sequence[Feedback],
    time_used_s: float,
    time_limit_s: float | None,
    notes: Sequence[str] = (),
    pauses: int = 0,
    paused_s: float = 0.0,
    unscored: Sequence[int] = (),
    quotas: Sequence[DomainQuota] = (),
) -> Results:
    """Results over the scored questions: `unscored` holds the positions not counted;
    `quotas` (exams) how the draw filled each domain's slots."""
    skip = set(unscored)
    scored = [e for e in entries if e.position not in skip] or list(entries)
    total = len(scored)
    correct = sum(e.correct for e in scored)
    score = scaled_score(correct, total)
    timed_out = time_limit_s is not None and time_used_s >= time_limit_s
    return Results(
        attempt_id=attempt_id,
        mode=mode,
        profile=profile,
        score=score,
        pass_score=pass_score,
        passed=passed(score, pass_score),
        correct=correct,
        total=total,
        answered=sum(e.answered for e in entries),
        flagged=sum(e.flagged for e in entries),
        by_domain=_tallies(scored, "domain", profile),
        by_topic=_tallies(scored, "topic"),
        time_used_s=time_used_s,
        time_limit_s=time_limit_s,
        timed_out=timed_out,
        notes=tuple(notes),
        entries=tuple(entries),
        pauses=pauses,
        paused_s=paused_s,
        questions=len(entries),
        unscored=len(entries) - total,
        quotas=tuple(quotas),
    )
