"""Grading answers, the scaled score, and feedback for one question.

Scaled score. AWS reports MLS-C01 results on a 100–1000 scale with a pass at 750 but does not
publish how raw answers map onto it (questions are weighted and some are unscored). quizapp
uses a documented stand-in: linear in the fraction answered right,

    score = 100 + 900 × correct / total, rounded half up to a whole number,

so 0 right is 100, all right is 1000, and 750 needs 65% of 900 on top of 100, i.e. at least
72.2% right (47 of 65 gives 750.77 → 751, a pass; 46 of 65 gives 736.92 → 737, a fail).
Every question counts the same; unanswered counts as wrong; "choose two" questions are
all-or-nothing, and one with fewer picks than it asks for is unanswered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from engine.answers import check_answer
from quizapp.quiz.questions import MisconceptionNote, Option, Question

SCALE_MIN = 100
SCALE_MAX = 1000


def scaled_score(correct: int, total: int) -> int:
    """100 + 900 × correct / total, rounded half up (exact arithmetic)."""
    if total <= 0 or not 0 <= correct <= total:
        raise ValueError(f"need 0 <= correct <= total and total > 0, got {correct}/{total}")
    exact = SCALE_MIN + Fraction((SCALE_MAX - SCALE_MIN) * correct, total)
    return math.floor(exact + Fraction(1, 2))


def passed(score: int, pass_score: int) -> bool:
    return score >= pass_score


def grade_choice(question: Question, chosen: Iterable[int]) -> bool:
    """All or nothing: right only when the chosen set is exactly the right set."""
    picked = frozenset(chosen)
    return bool(picked) and picked == question.correct_indexes


@dataclass(frozen=True, slots=True)
class OptionFeedback:
    """One option after answering: the option, and whether the learner picked it."""

    option: Option
    chosen: bool

    @property
    def index(self) -> int:
        return self.option.index

    @property
    def label(self) -> str:
        return self.option.label

    @property
    def text(self) -> str:
        return self.option.text

    @property
    def correct(self) -> bool:
        return self.option.correct

    @property
    def explanation(self) -> str:
        return self.option.explanation


@dataclass(frozen=True, slots=True)
class Feedback:
    """A question with the learner's answer judged: what practice shows after each answer and
    what the review shows after an exam.

    options: every option in display order with its explanation and whether it was picked.
    explanation: the item's explanation (true/false statements carry one for both options).
    steps / answer_text / misconception: for computed questions, the worked solution, the right
    answer as displayed, and the named wrong procedure the learner's answer matches (if any).
    """

    position: int
    question: Question
    answered: bool
    correct: bool
    chosen: tuple[int, ...]  # original indexes, sorted
    typed: str | None
    options: tuple[OptionFeedback, ...]
    explanation: str
    steps: tuple[str, ...]
    answer_text: str
    misconception: MisconceptionNote | None
    flagged: bool
    echo: str = ""  # typed answers: how the number was read ("read as 0.92")

    @property
    def status(self) -> str:
        """ "correct", "wrong" or "unanswered"."""
        if not self.answered:
            return "unanswered"
        return "correct" if self.correct else "wrong"


def judge(
    question: Question,
    chosen: Iterable[int] = (),
    typed: str | None = None,
    flagged: bool = False,
) -> Feedback:
    """Feedback for `question` given the learner's choices (original indexes) or typed text."""
    picked = tuple(sorted(set(chosen)))
    problem = question.problem
    misconception: MisconceptionNote | None = None
    echo = ""
    if typed is not None and problem is not None:
        verdict = check_answer(problem, typed)
        answered = verdict.status != "unreadable"
        correct = verdict.status == "correct"
        echo = verdict.echo or verdict.message
        if verdict.misconception is not None:
            misconception = MisconceptionNote.of(verdict.misconception)
    else:
        answered = len(picked) >= question.picks_needed  # a "choose two" takes two picks
        correct = grade_choice(question, picked)
        if problem is not None and answered and not correct:
            misconception = question.option(picked[0]).misconception
    options = tuple(OptionFeedback(o, o.index in picked) for o in question.options)
    return Feedback(
        position=question.position,
        question=question,
        answered=answered,
        correct=correct,
        chosen=picked,
        typed=typed,
        options=options,
        explanation=question.explanation,
        steps=problem.steps if problem is not None else (),
        answer_text=problem.display if problem is not None else question.answer_text,
        misconception=misconception,
        flagged=flagged,
        echo=echo,
    )
