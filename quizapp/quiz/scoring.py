"""Grading answers, the scaled score, and feedback for one question.

Scaled score. AWS reports its exams on a 100-1000 scale (MLA-C01 passes at 720, the retired
MLS-C01 at 750) but does not publish how raw answers map onto it. quizapp uses a documented
stand-in, linear in the fraction of SCORED questions answered right:

    score = 100 + 900 × correct / scored, rounded half up to a whole number,

so 0 right is 100 and all right is 1000. On MLA-C01 (50 of 65 questions scored) 35 right
gives 730, a pass, and 34 gives 712, a fail. Unscored questions (an exam's share, drawn and
answered like the rest) do not count, and the learner is not told which they were. Scoring
is compensatory: no domain has to be passed on its own; each domain is reported as "meets"
or "needs improvement" against the pass mark's fraction. Every scored question counts the
same; unanswered counts as wrong; "choose two", ordering and matching questions are
all-or-nothing, and one with fewer picks than it asks for is unanswered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
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
    """All or nothing: right only when the chosen set is exactly the right set (for ordering
    and matching, when the sequence is exactly the right one)."""
    if question.sequence:
        return tuple(chosen) == question.key
    picked = frozenset(chosen)
    return bool(picked) and picked == question.correct_indexes


def complete_sequence(question: Question, chosen: Sequence[int]) -> bool:
    """An ordering or matching answer places every step or description exactly once."""
    return sorted(chosen) == list(range(len(question.options)))


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
    chosen: tuple[int, ...]  # original indexes, sorted (ordering, matching: in the learner's order)
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
    """Feedback for `question` given the learner's choices (original indexes) or typed text.
    For ordering and matching, `chosen` is the learner's sequence (kept in its order)."""
    picked = tuple(chosen) if question.sequence else tuple(sorted(set(chosen)))
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
    elif question.sequence:
        answered = complete_sequence(question, picked)
        correct = answered and grade_choice(question, picked)
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
