"""Question cards: a quiz or exam question the learner missed, spaced by FSRS like any card.

The card (kind "question", key "quiz:<item id>") shows the bank question with its choices in
a fresh order each time it comes up: shuffled with a seed made of the card id and its review
count, so the order is the same however often the card is read until it is answered (a
preview and the answer agree) and different at the next review. True/false keeps True
before False. It is graded from the learner's pick with the skill cards' timing rule
(`quizapp.scheduling.skills.practice_grade`): wrong = Again; right = Easy when fast, Hard
when slow, else Good. Ordering, matching and computed questions do not become cards.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

from quizapp.bank.model import Item
from quizapp.errors import QuizappError
from quizapp.scheduling.skills import practice_grade

if TYPE_CHECKING:
    from quizapp.quiz.questions import Question

QUESTION_KIND = "question"  # the card kind


def choice_count(item: Item) -> int:
    if item.kind == "true_false":
        return 2
    if item.kind in ("single_choice", "multiple_response"):
        return len(item.choices)
    raise QuizappError(f"{item.id} is a {item.kind}: it is not reviewed as a question card")


def shuffled_order(item: Item, card_id: int, reps: int) -> tuple[int, ...]:
    """The display order (original choice indexes) of the card at its `reps`-th review."""
    order = list(range(choice_count(item)))
    if item.kind != "true_false":
        random.Random(f"question-card:{card_id}:{reps}").shuffle(order)
    return tuple(order)


def question_of(item: Item, order: tuple[int, ...]) -> Question:
    """The question as the quiz shows it, with its choices in `order`."""
    from quizapp.quiz.questions import PlannedQuestion, build_question

    return build_question(0, PlannedQuestion(item.id, order), item)


def is_right(item: Item, picked: Iterable[int]) -> bool:
    """Whether the picks (original indexes) are exactly the right choices."""
    chosen = set(picked)
    if item.kind == "true_false":
        return chosen == {0 if item.answer else 1}
    right = {i for i, c in enumerate(item.choices) if c.correct}
    return chosen == right


def picks_needed(item: Item) -> int:
    """How many picks make an answer: a "choose two" takes two, the others one."""
    if item.kind == "multiple_response":
        return max(1, sum(c.correct for c in item.choices))
    return 1


def question_grade(item: Item, picked: Iterable[int], elapsed_s: float) -> int:
    """The FSRS grade of the learner's pick: Again when wrong, else by time taken."""
    chosen = tuple(picked)
    valid = range(choice_count(item))
    if len(set(chosen)) != picks_needed(item) or not all(i in valid for i in chosen):
        raise QuizappError(f"question {item.id} takes {picks_needed(item)} different choice(s)")
    return practice_grade(
        is_right(item, chosen), hinted=False, elapsed_s=elapsed_s, difficulty=item.difficulty
    )
