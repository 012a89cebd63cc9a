"""What a quiz is set up to be (QuizSetup) and what an attempt records (AttemptPlan).

The plan is everything needed to rebuild the attempt's questions exactly: the item ids, each
computed variant, each shuffled choice order, plus the domain allocation and its notes.
Recorders store it as one JSON text (`AttemptPlan.to_json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from quizapp.errors import QuizappError
from quizapp.quiz.profiles import PASS_SCORE, PRACTICE_PROFILE, ExamProfile, default_profile
from quizapp.quiz.questions import PlannedQuestion
from quizapp.quiz.sources import check_source

Mode = Literal["practice", "exam"]
MODES: tuple[str, ...] = ("practice", "exam")

# What the set-up screen offers -> the bank kinds it covers.
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "choice": ("single_choice", "multiple_response"),
    "ordering": ("ordering",),
    "matching": ("matching",),
    "true_false": ("true_false",),
    "computed": ("computed",),
}
KIND_GROUP_LABELS: dict[str, str] = {
    "choice": "Multiple choice (single and multiple response)",
    "ordering": "Ordering (put steps in order)",
    "matching": "Matching (pair items with descriptions)",
    "true_false": "True / false",
    "computed": "Computed",
}
PLAN_VERSION = 1


@dataclass(frozen=True, slots=True)
class QuizSetup:
    """The learner's choices on the set-up screen. Empty topics/domains mean all of them.

    Build with `QuizSetup.practice(...)` or `QuizSetup.exam(...)`. `seed` None means a fresh
    random seed at start (the one used is recorded in the plan).
    """

    mode: Mode
    count: int
    profile: ExamProfile | None = None
    topics: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset(KIND_GROUPS)
    seed: int | None = None
    source: str = "all"  # which part of the record to draw from (quizapp.quiz.sources)
    last: int | None = None  # source "missed": the last N attempts (None: all of them)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise QuizappError(f"quiz mode must be practice or exam, not {self.mode!r}")
        check_source(self.source, self.last)
        if self.mode == "exam" and self.source != "all":
            raise QuizappError("an exam simulation draws from the whole bank")
        if self.count < 1:
            raise QuizappError("a quiz needs at least one question")
        unknown = set(self.kinds) - set(KIND_GROUPS)
        if unknown or not self.kinds:
            raise QuizappError(
                f"question kinds must be some of {', '.join(KIND_GROUPS)}; got {sorted(self.kinds)}"
            )
        if self.mode == "exam":
            if self.profile is None:
                raise QuizappError("an exam simulation needs an exam profile")
            if self.count != self.profile.questions:
                raise QuizappError("an exam's length is its profile's")

    @classmethod
    def practice(
        cls,
        count: int = 10,
        *,
        topics: Iterable[str] = (),
        domains: Iterable[str] = (),
        kinds: Iterable[str] = tuple(KIND_GROUPS),
        seed: int | None = None,
        source: str = "all",
        last: int | None = None,
    ) -> QuizSetup:
        return cls(
            "practice",
            count,
            None,
            frozenset(topics),
            frozenset(domains),
            frozenset(kinds),
            seed,
            source,
            last,
        )

    @classmethod
    def exam(
        cls,
        profile: ExamProfile | None = None,
        *,
        topics: Iterable[str] = (),
        domains: Iterable[str] = (),
        kinds: Iterable[str] = tuple(KIND_GROUPS),
        seed: int | None = None,
    ) -> QuizSetup:
        profile = profile or default_profile()
        return cls(
            "exam",
            profile.questions,
            profile,
            frozenset(topics),
            frozenset(domains),
            frozenset(kinds),
            seed,
        )

    @property
    def bank_kinds(self) -> frozenset[str]:
        """The item kinds drawn: the chosen groups', and in an exam only its profile's."""
        kinds = frozenset(k for group in self.kinds for k in KIND_GROUPS[group])
        return kinds & frozenset(self.profile.kinds) if self.profile is not None else kinds

    @property
    def time_limit_s(self) -> float | None:
        return self.profile.time_limit_s if self.profile else None

    @property
    def profile_name(self) -> str:
        return self.profile.name if self.profile else PRACTICE_PROFILE

    @property
    def pass_score(self) -> int:
        return self.profile.pass_score if self.profile else PASS_SCORE


@dataclass(frozen=True, slots=True)
class DomainQuota:
    """How one exam domain's slots were filled: its share, what the bank had, what was drawn."""

    domain: str
    weight: int  # percent
    target: int  # slots by the profile's proportions
    available: int  # matching questions in the bank
    drawn: int  # questions actually drawn from this domain

    @property
    def short(self) -> int:
        return max(0, self.target - self.drawn)

    @property
    def extra(self) -> int:
        return max(0, self.drawn - self.target)

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "weight": self.weight,
            "target": self.target,
            "available": self.available,
            "drawn": self.drawn,
        }


@dataclass(frozen=True, slots=True)
class AttemptPlan:
    """The drawn attempt: set-up, seed, questions in order, allocation and notes."""

    mode: Mode
    profile: str
    seed: int
    time_limit_s: float | None
    pass_score: int
    questions: tuple[PlannedQuestion, ...]
    quotas: tuple[DomainQuota, ...] = ()  # exam mode only
    notes: tuple[str, ...] = ()  # e.g. short domain pools and how they were filled
    topics: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    unscored: tuple[int, ...] = ()  # exam positions drawn and answered but not counted

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": PLAN_VERSION,
                "mode": self.mode,
                "profile": self.profile,
                "seed": self.seed,
                "time_limit_s": self.time_limit_s,
                "pass_score": self.pass_score,
                "questions": [q.to_json() for q in self.questions],
                "quotas": [q.to_json() for q in self.quotas],
                "notes": list(self.notes),
                "topics": list(self.topics),
                "domains": list(self.domains),
                "kinds": list(self.kinds),
                "unscored": list(self.unscored),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> AttemptPlan:
        try:
            data = json.loads(text)
            if data.get("version") != PLAN_VERSION:
                raise QuizappError(f"quiz attempt plan version {data.get('version')!r} is unknown")
            return cls(
                mode=data["mode"],
                profile=data["profile"],
                seed=int(data["seed"]),
                time_limit_s=data["time_limit_s"],
                pass_score=int(data["pass_score"]),
                questions=tuple(PlannedQuestion.from_json(q) for q in data["questions"]),
                quotas=tuple(DomainQuota(**q) for q in data["quotas"]),
                notes=tuple(data["notes"]),
                topics=tuple(data["topics"]),
                domains=tuple(data["domains"]),
                kinds=tuple(data["kinds"]),
                unscored=tuple(int(i) for i in data.get("unscored", ())),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise QuizappError(f"a recorded quiz attempt is unreadable ({err})") from err
