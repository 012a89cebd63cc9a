"""Exam profiles: length, time, pass mark and the share of each exam domain.

The built-in profile is the AWS Certified Machine Learning – Specialty exam (MLS-C01) that the
guide prepares for: 65 questions in 180 minutes, pass at 750 on a 100–1000 scale, with the
domains weighted as the exam guide publishes them. Shorter custom exams keep the same domain
shares (largest-remainder rounding), the same pace per question and the same pass mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from quizapp.errors import QuizappError

PRACTICE_PROFILE = "practice"  # the profile name recorded for practice sessions

# MLS-C01 domain weights in percent (exam guide): exact integers, so allocation is exact.
MLS_C01_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("Data Engineering", 20),
    ("Exploratory Data Analysis", 24),
    ("Modeling", 36),
    ("Machine Learning Implementation and Operations", 20),
)
MLS_C01_QUESTIONS = 65
MLS_C01_TIME_S = 180 * 60
PASS_SCORE = 750


@dataclass(frozen=True, slots=True)
class ExamProfile:
    """What an exam simulation looks like: its length, time limit, pass mark and domain mix."""

    name: str  # recorded with the attempt: "mls-c01" or "mls-c01-<questions>"
    label: str
    questions: int
    time_limit_s: float
    pass_score: int = PASS_SCORE
    domain_weights: tuple[tuple[str, int], ...] = MLS_C01_WEIGHTS

    def weights(self) -> dict[str, int]:
        return dict(self.domain_weights)

    @property
    def minutes(self) -> float:
        return self.time_limit_s / 60


def _label(questions: int, time_limit_s: float) -> str:
    minutes = time_limit_s / 60
    shown = f"{minutes:.0f}" if minutes == int(minutes) else f"{minutes:.1f}"
    return f"MLS-C01 format: {questions} questions, {shown} min, pass at {PASS_SCORE}"


MLS_C01 = ExamProfile(
    name="mls-c01",
    label=_label(MLS_C01_QUESTIONS, MLS_C01_TIME_S),
    questions=MLS_C01_QUESTIONS,
    time_limit_s=MLS_C01_TIME_S,
)


def custom_exam(questions: int) -> ExamProfile:
    """An MLS-C01-shaped exam of `questions` (1..65) questions.

    Time keeps the real exam's pace: 180 min × questions / 65, rounded to whole seconds.
    """
    if not 1 <= questions <= MLS_C01_QUESTIONS:
        raise QuizappError(
            f"an exam has between 1 and {MLS_C01_QUESTIONS} questions, not {questions}"
        )
    if questions == MLS_C01_QUESTIONS:
        return MLS_C01
    time_s = float(round(MLS_C01_TIME_S * questions / MLS_C01_QUESTIONS))
    return ExamProfile(f"mls-c01-{questions}", _label(questions, time_s), questions, time_s)


BUILT_IN: tuple[ExamProfile, ...] = (MLS_C01, custom_exam(30), custom_exam(15))

_CUSTOM_NAME = re.compile(r"mls-c01-(\d+)")


def profile_by_name(name: str) -> ExamProfile | None:
    """The exam profile recorded under `name`, or None (practice, or unknown)."""
    if name == MLS_C01.name:
        return MLS_C01
    match = _CUSTOM_NAME.fullmatch(name)
    if match and 1 <= int(match[1]) <= MLS_C01_QUESTIONS:
        return custom_exam(int(match[1]))
    return None


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
