"""Solving a computed problem step by step (z, then a, then the loss, ...), as STACK and
Numbas do: each stage is judged against the learner's own earlier values, so one slip costs
one stage, not every stage after it. The attempt is whole once the last stage is answered."""

from __future__ import annotations

from dataclasses import dataclass

from engine.answers import Verdict, check_answer, parse_answer
from engine.problems.model import Problem
from engine.problems.stages import Stage, StageResult, judge, stages_of
from quizapp.practice.model import StepAnswer


@dataclass(frozen=True, slots=True)
class StageFeedback:
    """A stage as judged: the result, and the text a learner sees for it."""

    number: int  # 1-based
    stage: Stage
    result: StageResult
    carried: bool  # judged against an earlier wrong value of the learner's

    @property
    def line(self) -> str:
        mark = "✓" if self.result.correct else "✗"
        head = f"{self.number}. {self.stage.label}: {self.result.typed.strip()} {mark}"
        if self.result.correct:
            return head
        basis = " from your earlier values" if self.carried else ""
        return f"{head} (expected {self.result.display}{basis}). {self.stage.hint}"


class StepwiseRun:
    """One problem answered stage by stage; `answer` judges the current stage."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.stages: tuple[Stage, ...] = stages_of(problem)
        self.given: dict[str, float] = {}  # the learner's value per answered stage
        self.feedback: list[StageFeedback] = []

    @property
    def available(self) -> bool:
        return len(self.stages) > 1

    @property
    def index(self) -> int:
        return len(self.feedback)

    @property
    def done(self) -> bool:
        return self.index >= len(self.stages)

    @property
    def current(self) -> Stage | None:
        return None if self.done else self.stages[self.index]

    @property
    def last(self) -> bool:
        return self.index == len(self.stages) - 1

    def answer(self, typed: str) -> StageFeedback | str:
        """Judge `typed` for the current stage; a one-line message when it is no number (the
        stage is then not answered)."""
        if self.done:
            raise ValueError("every stage is already answered")
        if "\n" in typed or "\r" in typed:
            return "That is several lines; type one number."
        parsed = parse_answer(typed, self.problem.proportion and self.last)
        if parsed.value is None:
            return parsed.message
        carried = any(not f.result.correct for f in self.feedback)
        result = judge(self.problem, self.stages, self.given, self.index, typed, parsed.value)
        stage = self.stages[self.index]
        self.given[stage.key] = parsed.value
        feedback = StageFeedback(self.index + 1, stage, result, carried)
        self.feedback.append(feedback)
        return feedback

    def reopen_last(self) -> None:
        """Take the last stage's answer back (its attempt could not be saved)."""
        if self.feedback:
            last = self.feedback.pop()
            self.given.pop(last.stage.key, None)

    def steps(self) -> tuple[StepAnswer, ...]:
        return tuple(
            StepAnswer(f.stage.key, f.result.typed, f.result.value, f.result.expected,
                       f.result.correct)
            for f in self.feedback
        )  # fmt: skip

    def verdict(self) -> Verdict:
        """The whole attempt once done: correct when every stage is. A final value off only
        because of an earlier slip names no misconception (the slip is the mistake)."""
        if not self.done:
            raise ValueError("the last stage is not answered yet")
        final = self.feedback[-1].result
        whole = check_answer(self.problem, final.typed)
        slips = sum(not f.result.correct for f in self.feedback)
        only_last = slips == 1 and not final.correct
        return Verdict(
            "correct" if slips == 0 else "wrong",
            final.value,
            whole.echo,
            "",
            whole.misconception if only_last else None,
        )
