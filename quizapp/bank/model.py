"""Bank items as plain frozen dataclasses: what crosses from content to store and UI."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

Kind = Literal[
    "flashcard",
    "cloze",
    "single_choice",
    "multiple_response",
    "true_false",
    "computed",
    "ordering",
    "matching",
]
KINDS: tuple[str, ...] = get_args(Kind)
CARD_KINDS = frozenset({"flashcard", "cloze"})  # reviewed with FSRS as flashcards
QUESTION_KINDS = frozenset(
    {"single_choice", "multiple_response", "true_false", "computed", "ordering", "matching"}
)
CLOZE_GAP = re.compile(r"\{\{(.+?)\}\}")
GAP_MARK = "#c"  # a cloze card's key: "<item id>#c<gap number>", one card per gap (Anki's c1, c2)


def cloze_gap_count(text: str) -> int:
    """How many {{gaps}} a cloze has (one card each)."""
    return len(CLOZE_GAP.findall(text))


def gap_of_key(key: str) -> int | None:
    """The gap number of a cloze card's key ("<id>#c2" -> 2), else None."""
    head, mark, number = key.rpartition(GAP_MARK)
    return int(number) if mark and head and number.isdigit() else None


@dataclass(frozen=True, slots=True)
class Source:
    """Where in the guide an item comes from: file, section and the point it covers."""

    file: str
    section: str
    point: str


@dataclass(frozen=True, slots=True)
class Choice:
    text: str
    correct: bool
    explanation: str
    # a wrong option may name the wrong procedure that leads to it (snake_case, as the
    # engine's misconceptions: "forgot_bias"); the mistakes view gathers them
    misconception: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an ordering item (the item lists them in the right order)."""

    text: str
    explanation: str  # why it comes where it does


@dataclass(frozen=True, slots=True)
class Pair:
    """One pair of a matching item: an item on the left, the description it goes with."""

    item: str
    match: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Ref:
    """A page that confirms the item (e.g. the AWS documentation), shown with the explanation."""

    title: str
    url: str  # https only


@dataclass(frozen=True, slots=True)
class Item:
    """One bank item. Kind-specific fields are empty for other kinds.

    flashcard: front, back, eli5?, technical?
    cloze: text with one or more gaps written {{answer}}; back? (extra note)
    single_choice / multiple_response: prompt, choices (choose = number of correct choices)
    true_false: prompt (the statement), answer, explanation
    computed: family, scenario, difficulty, prompt? (a framing line)
    ordering: prompt, steps (in the right order)
    matching: prompt, pairs (item, match)

    `domains` is the item's domain in each exam profile, by profile id (an exam of a profile
    it is missing from never draws it); `domain` is the one in the default (current) profile,
    "" if none.

    `source` is None for a learner's item that cites no section of the guide (a shipped item
    always has one); a learner's item without a `topic` has its bank's name as its topic.
    """

    id: str
    kind: str
    bank: str  # bank file stem, e.g. "guide-1-2"
    source: Source | None  # None: a learner's item that cites no section of the guide
    topic: str
    domain: str
    difficulty: str
    front: str = ""
    back: str = ""
    eli5: str = ""
    technical: str = ""
    text: str = ""
    prompt: str = ""
    choices: tuple[Choice, ...] = ()
    choose: int = 0
    answer: bool | None = None
    explanation: str = ""
    family: str = ""
    scenario: str = ""
    steps: tuple[Step, ...] = ()
    pairs: tuple[Pair, ...] = ()
    domains: tuple[tuple[str, str], ...] = ()
    refs: tuple[Ref, ...] = ()
    tags: tuple[str, ...] = field(default=())

    def domain_in(self, profile: str) -> str | None:
        """The item's domain in the exam profile `profile` (its id), or None."""
        return next((d for p, d in self.domains if p == profile), None)
