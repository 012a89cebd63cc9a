"""An attempt's results: scaled score, pass or fail, breakdowns, time, and the review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from quizapp.quiz.profiles import MLS_C01_WEIGHTS
from quizapp.quiz.scoring import Feedback, passed, scaled_score

ReviewFilter = Literal["all", "wrong", "flagged"]
REVIEW_FILTERS: tuple[str, ...] = ("all", "wrong", "flagged")
_DOMAIN_ORDER = {d: i for i, (d, _) in enumerate(MLS_C01_WEIGHTS)}


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
    correct: int
    total: int
    answered: int
    flagged: int
    by_domain: dict[str, Tally]  # MLS-C01 domain order
    by_topic: dict[str, Tally]  # by topic id
    time_used_s: float
    time_limit_s: float | None
    timed_out: bool  # the clock ran out (the exam submitted itself)
    notes: tuple[str, ...] = ()
    entries: tuple[Feedback, ...] = field(default=(), repr=False)
    pauses: int = 0  # times the attempt was left and resumed (its clock stopped meanwhile)
    paused_s: float = 0.0  # wall-clock time it spent left

    def review(self, only: ReviewFilter = "all") -> tuple[Feedback, ...]:
        """Every question, or only the wrong ones (unanswered count as wrong), or the flagged."""
        if only == "all":
            return self.entries
        if only == "wrong":
            return tuple(e for e in self.entries if not e.correct)
        if only == "flagged":
            return tuple(e for e in self.entries if e.flagged)
        raise ValueError(f"review filter must be one of {', '.join(REVIEW_FILTERS)}")


def _tallies(entries: Sequence[Feedback], key: str) -> dict[str, Tally]:
    counts: dict[str, list[int]] = {}
    for entry in entries:
        name = getattr(entry.question, key)
        slot = counts.setdefault(name, [0, 0])
        slot[0] += entry.correct
        slot[1] += 1
    if key == "domain":
        names = sorted(counts, key=lambda d: (_DOMAIN_ORDER.get(d, len(_DOMAIN_ORDER)), d))
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
) -> Results:
    total = len(entries)
    correct = sum(e.correct for e in entries)
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
        by_domain=_tallies(entries, "domain"),
        by_topic=_tallies(entries, "topic"),
        time_used_s=time_used_s,
        time_limit_s=time_limit_s,
        timed_out=timed_out,
        notes=tuple(notes),
        entries=tuple(entries),
        pauses=pauses,
        paused_s=paused_s,
    )
