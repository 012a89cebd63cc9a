"""Exam profiles for quiz sessions: the profiles are data (`quizapp.bank.profiles`); this module
finds them by the id an attempt recorded, makes shorter exams, and splits slots by weight.

The default profile is the first current one (MLA-C01 as of December 2026); the guide's exam,
MLS-C01, retired on 31 March 2026, stays as a retired profile. A shorter exam keeps its
profile's domain shares (largest-remainder rounding), pace, share of scored questions and
pass mark.
"""

from __future__ import annotations

from collections.abc import Mapping

from quizapp.bank.profiles import ExamProfile, Profiles, app_profiles
from quizapp.errors import QuizappError

PRACTICE_PROFILE = "practice"  # the profile name recorded for practice sessions
PASS_SCORE = 750  # the pass mark of an attempt whose profile is unknown (MLS-C01's)
SHORTER_LENGTHS = (30, 15)  # the shorter exams the set-up screen offers for each profile

__all__ = [
    "PASS_SCORE",
    "PRACTICE_PROFILE",
    "ExamProfile",
    "allocate",
    "built_in",
    "custom_exam",
    "default_profile",
    "profile_by_name",
    "profiles",
]


def profiles() -> Profiles:
    """The shipped profiles and the learner's (read once per process)."""
    return app_profiles()


def default_profile() -> ExamProfile:
    """The exam a learner would take today: the first current profile."""
    return profiles().default


def built_in() -> tuple[ExamProfile, ...]:
    """Every profile at full length, then its shorter exams: current profiles first."""
    ordered = sorted(profiles().profiles, key=lambda p: p.retired)
    return tuple(
        exam
        for profile in ordered
        for exam in (
            profile,
            *(profile.shorter(n) for n in SHORTER_LENGTHS if n < profile.questions),
        )
    )


def custom_exam(questions: int, base: ExamProfile | None = None) -> ExamProfile:
    """An exam of `questions` questions shaped like `base` (default: the default profile)."""
    base = base or default_profile()
    if not 1 <= questions <= base.questions:
        raise QuizappError(f"an exam has between 1 and {base.questions} questions, not {questions}")
    return base.shorter(questions)


def profile_by_name(name: str) -> ExamProfile | None:
    """The exam profile an attempt recorded as `name`, or None (practice, or unknown)."""
    return profiles().get(name)


def allocate(weights: Mapping[str, int], total: int) -> dict[str, int]:
    """Split `total` slots by integer `weights` with largest-remainder (Hamilton) rounding.

    Each key gets floor(total × w / Σw); the slots left over go to the largest remainders,
    ties to the larger weight, then to the earlier key. All-zero weights split evenly.
    """
    if total < 0:
        raise ValueError("total must be >= 0")
    keys = list(weights)
    if not keys:
        return {}
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must be >= 0")
    effective = dict(weights) if sum(weights.values()) > 0 else dict.fromkeys(keys, 1)
    whole = sum(effective.values())
    shares = {k: divmod(total * effective[k], whole) for k in keys}
    result = {k: q for k, (q, _) in shares.items()}
    left = total - sum(result.values())
    ranked = sorted(keys, key=lambda k: (-shares[k][1], -effective[k], keys.index(k)))
    for key in ranked[:left]:
        result[key] += 1
    return result


_NAMED = {"MLA_C01": "mla-c01", "MLS_C01": "mls-c01"}


def __getattr__(name: str) -> ExamProfile:
    """`MLA_C01` and `MLS_C01`: the shipped profiles, read from their data files on first use."""
    if name in _NAMED:
        found = profiles().get(_NAMED[name])
        if found is not None:
            return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
