"""Questions as a session shows them: a planned question (what the attempt records) made
concrete (the item, its choices in the attempt's shuffled order, a computed variant).

Choice indexes are always the ORIGINAL ones: the position of the choice in the bank item
(single_choice / multiple_response), 0 = True and 1 = False (true_false), the position
in `Problem.choices()` (computed, multiple-choice form), the right position of a step
(ordering) or the index of a description's pair (matching). `Question.options` lists them in
display order; each `Option.index` is the original index the session records.

An ordering or matching answer is a sequence, not a set: the steps' original indexes in the
learner's order, or for each item on the left (in bank order) the original index of the
description matched to it. Either is right when it is (0, 1, ..., n-1), all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from engine.problems.model import CHOICES as COMPUTED_CHOICES
from engine.problems.model import CHOICES_VERSION
from quizapp.bank.model import Item
from quizapp.errors import QuizappError

if TYPE_CHECKING:
    from engine.problems.model import Misconception, Problem

TRUE_FALSE_LABELS: tuple[str, str] = ("True", "False")  # original indexes 0 and 1
SEQUENCE_KINDS = frozenset({"ordering", "matching"})  # answered by an order, not a set
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class Variant:
    """The concrete computed problem drawn for an attempt: `make_problem(*fields)`."""

    family: str
    seed: int
    difficulty: str
    scenario: str | None
    choices_version: int = CHOICES_VERSION  # how its options were picked (engine rule)

    @property
    def variant_id(self) -> str:
        return f"{self.family}@{self.seed}"

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "scenario": self.scenario,
            "choices_version": self.choices_version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Variant:
        """A recorded variant; one recorded before the key was kept used rule 1."""
        return cls(
            data["family"],
            int(data["seed"]),
            data["difficulty"],
            data.get("scenario"),
            int(data.get("choices_version", 1)),
        )


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    """One drawn question as the attempt records it: enough to rebuild it exactly.

    `order[d]` is the original index of the choice shown at display position d.
    """

    item_id: str
    order: tuple[int, ...]
    variant: Variant | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"item": self.item_id, "order": list(self.order)}
        if self.variant is not None:
            data["variant"] = self.variant.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlannedQuestion:
        variant = data.get("variant")
        return cls(
            data["item"],
            tuple(int(i) for i in data["order"]),
            Variant.from_json(variant) if variant else None,
        )


def option_count(item: Item, variant: Variant | None = None) -> int:
    """How many choices the item shows in a quiz (a computed item: its drawn `variant`'s
    multiple-choice form, four options or fewer when fewer values are possible)."""
    if item.kind == "true_false":
        return 2
    if item.kind == "computed":
        if variant is None:
            return COMPUTED_CHOICES
        from engine.problems import make_problem

        problem = make_problem(variant.family, variant.seed, variant.difficulty, variant.scenario)
        return len(problem.choices(variant.choices_version))
    if item.kind == "ordering":
        return len(item.steps)
    if item.kind == "matching":
        return len(item.pairs)
    return len(item.choices)


@dataclass(frozen=True, slots=True)
class MisconceptionNote:
    """A named wrong procedure, as feedback shows it."""

    name: str  # engine id, e.g. "forgot_bias"
    hint: str

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @classmethod
    def of(cls, misconception: Misconception) -> MisconceptionNote:
        return cls(misconception.name, misconception.hint)


@dataclass(frozen=True, slots=True)
class Option:
    """One choice in display order. `index` is the original index (what answers record)."""

    index: int
    label: str  # display letter: "A", "B", ...
    text: str
    correct: bool
    explanation: str  # why this choice is right or wrong ("" for true/false: see Question)
    misconception: MisconceptionNote | None = None  # computed: the wrong procedure it comes from


@dataclass(frozen=True, slots=True)
class Question:
    """A question ready to show and grade."""

    position: int
    item: Item
    prompt: str
    options: tuple[Option, ...]  # display order
    planned: PlannedQuestion
    explanation: str = ""  # true/false: the statement's explanation
    problem: Problem | None = None  # computed only
    profile: str = ""  # the exam profile whose domains label it ("": the default one)
    lefts: tuple[str, ...] = ()  # matching: the items to match, in bank order

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def sequence(self) -> bool:
        """Answered by an order (ordering, matching) rather than a set of picks."""
        return self.item.kind in SEQUENCE_KINDS

    @property
    def key(self) -> tuple[int, ...]:
        """The right sequence of an ordering or matching question: (0, 1, ..., n-1)."""
        return tuple(range(len(self.options))) if self.sequence else ()

    @property
    def item_id(self) -> str:
        return self.item.id

    @property
    def topic(self) -> str:
        return self.item.topic

    @property
    def domain(self) -> str:
        """Its domain in the attempt's exam profile ("" when it has none there)."""
        if not self.profile:
            return self.item.domain
        return self.item.domain_in(self.profile) or ""

    @property
    def choose(self) -> int:
        """How many options make the right answer ("choose two" = 2)."""
        return sum(o.correct for o in self.options)

    @property
    def multiple(self) -> bool:
        return self.item.kind == "multiple_response"

    @property
    def picks_needed(self) -> int:
        """How many picks make an answer: `choose` for a "choose two", every step or
        description for ordering and matching, else one (fewer leave it unanswered)."""
        if self.sequence:
            return len(self.options)
        return max(1, self.choose) if self.multiple else 1

    @property
    def variant_id(self) -> str | None:
        return self.planned.variant.variant_id if self.planned.variant else None

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(o.index for o in self.options if o.correct)

    @property
    def answer_text(self) -> str:
        """The right answer in words: the right options' texts (display order), joined; the
        steps in order; or each item with its description."""
        if self.item.kind == "ordering":
            return " → ".join(self.option(i).text for i in self.key)
        if self.item.kind == "matching":
            return "; ".join(f"{left}: {self.option(i).text}" for i, left in enumerate(self.lefts))
        return "; ".join(o.text for o in self.options if o.correct)

    def option(self, index: int) -> Option:
        """The option with original index `index`."""
        for candidate in self.options:
            if candidate.index == index:
                return candidate
        raise QuizappError(f"question {self.position + 1} has no choice {index}")


def _ordered(raw: list[Option], order: tuple[int, ...]) -> tuple[Option, ...]:
    if sorted(order) != list(range(len(raw))):
        raise QuizappError("a recorded choice order does not match the question any more")
    return tuple(
        Option(
            raw[i].index,
            LETTERS[d],
            raw[i].text,
            raw[i].correct,
            raw[i].explanation,
            raw[i].misconception,
        )
        for d, i in enumerate(order)
    )


def _computed(position: int, item: Item, planned: PlannedQuestion) -> Question:
    from engine.problems import make_problem

    variant = planned.variant
    if variant is None:
        raise QuizappError(f"computed question {item.id} was recorded without its variant")
    problem = make_problem(variant.family, variant.seed, variant.difficulty, variant.scenario)
    hints = {m.name: m for m in problem.misconceptions}
    raw: list[Option] = []
    for i, choice in enumerate(problem.choices(variant.choices_version)):
        if choice.correct:
            raw.append(Option(i, "", choice.display, True, "Right: this is the worked answer."))
            continue
        note = MisconceptionNote.of(hints[choice.misconception]) if choice.misconception else None
        why = f"{note.label}: {note.hint}" if note else "Not the worked answer."
        raw.append(Option(i, "", choice.display, False, why, note))
    prompt = f"{item.prompt}\n\n{problem.prompt}" if item.prompt else problem.prompt
    return Question(position, item, prompt, _ordered(raw, planned.order), planned, "", problem)


def _named(name: str, explanation: str) -> MisconceptionNote | None:
    """A bank option's named misconception, its explanation as the hint."""
    return MisconceptionNote(name, explanation) if name else None


def build_question(
    position: int, planned: PlannedQuestion, item: Item, profile: str = ""
) -> Question:
    """Make a planned question concrete (generates the computed variant). `profile`: the
    exam profile whose domains label it ("" for the default profile)."""
    if planned.item_id != item.id:
        raise ValueError(f"planned {planned.item_id!r} is not item {item.id!r}")
    question = _build(position, planned, item)
    return replace(question, profile=profile) if profile else question


def _build(position: int, planned: PlannedQuestion, item: Item) -> Question:
    if item.kind == "computed":
        return _computed(position, item, planned)
    if item.kind == "ordering":
        raw = [Option(i, "", s.text, True, s.explanation) for i, s in enumerate(item.steps)]
        return Question(position, item, item.prompt, _ordered(raw, planned.order), planned)
    if item.kind == "matching":
        raw = [Option(i, "", p.match, True, p.explanation) for i, p in enumerate(item.pairs)]
        options = _ordered(raw, planned.order)
        lefts = tuple(p.item for p in item.pairs)
        return Question(position, item, item.prompt, options, planned, lefts=lefts)
    if item.kind == "true_false":
        raw = [
            Option(0, "", TRUE_FALSE_LABELS[0], item.answer is True, ""),
            Option(1, "", TRUE_FALSE_LABELS[1], item.answer is False, ""),
        ]
        options = _ordered(raw, planned.order)
        return Question(position, item, item.prompt, options, planned, item.explanation)
    if item.kind in ("single_choice", "multiple_response"):
        raw = [
            Option(i, "", c.text, c.correct, c.explanation, _named(c.misconception, c.explanation))
            for i, c in enumerate(item.choices)
        ]
        return Question(position, item, item.prompt, _ordered(raw, planned.order), planned)
    raise QuizappError(f"{item.id} is a {item.kind}, not a quiz question")
