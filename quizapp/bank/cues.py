"""Cues that answer a question without knowledge, measured so a bank can be kept free of them.

- The longest option: test-wise learners pick it. In a single-choice item it should be the key
  about as often as any other option (1 in 4 for four options), not most of the time.
- Absolute words: "always", "only", "never" statements are false so often in many banks that
  "absolute means false" beats chance. Measured on true/false statements and on the options
  of choice questions.

`content check` warns when a figure is above `WARN` (35%) for a bank or overall.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.bank.model import Item

WARN = 0.35
MIN_SAMPLE = 4  # fewer cases than this say nothing about a bank
ABSOLUTE = re.compile(r"\b(always|only|never)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CueFigures:
    """How often a cue picks the answer, in one bank (or overall)."""

    bank: str  # "" overall
    single_choice: int  # single-choice items
    key_longest: int  # of those, the key is strictly the longest option
    absolute: int  # true/false statements and choice options with always/only/never
    absolute_false: int  # of those, false statements and wrong options

    @property
    def key_longest_share(self) -> float | None:
        return self.key_longest / self.single_choice if self.single_choice else None

    @property
    def absolute_false_share(self) -> float | None:
        return self.absolute_false / self.absolute if self.absolute else None

    def warnings(self) -> list[str]:
        where = f"bank {self.bank}" if self.bank else "all banks"
        found = []
        share = self.key_longest_share
        if share is not None and self.single_choice >= MIN_SAMPLE and share > WARN:
            found.append(
                f"cue: in {where} the key is the longest option in {self.key_longest} of "
                f"{self.single_choice} single-choice items ({share:.0%}, above {WARN:.0%})"
            )
        share = self.absolute_false_share
        if share is not None and self.absolute >= MIN_SAMPLE and share > WARN:
            found.append(
                f"cue: in {where} {self.absolute_false} of {self.absolute} always/only/never "
                f"statements are false ({share:.0%}, above {WARN:.0%})"
            )
        return found

    def to_json(self) -> dict[str, object]:
        return {
            "bank": self.bank or None,
            "single_choice": self.single_choice,
            "key_longest": self.key_longest,
            "key_longest_share": self.key_longest_share,
            "absolute_statements": self.absolute,
            "absolute_false": self.absolute_false,
            "absolute_false_share": self.absolute_false_share,
        }


def key_is_longest(item: Item) -> bool:
    """The single right option is longer than every other option."""
    key = next(c for c in item.choices if c.correct)
    return all(len(key.text) > len(c.text) for c in item.choices if c is not key)


def _statements(item: Item) -> Iterable[tuple[str, bool]]:
    """(statement, true?) pairs the absolute-word cue applies to."""
    if item.kind == "true_false" and item.answer is not None:
        yield item.prompt, item.answer
    elif item.kind in ("single_choice", "multiple_response"):
        yield from ((c.text, c.correct) for c in item.choices)


def figures(items: Sequence[Item], bank: str = "") -> CueFigures:
    single = [i for i in items if i.kind == "single_choice" and i.choices]
    absolute = [(s, true) for i in items for s, true in _statements(i) if ABSOLUTE.search(s)]
    return CueFigures(
        bank=bank,
        single_choice=len(single),
        key_longest=sum(key_is_longest(i) for i in single),
        absolute=len(absolute),
        absolute_false=sum(not true for _, true in absolute),
    )


def cue_report(items: Sequence[Item]) -> tuple[list[CueFigures], CueFigures]:
    """Figures per bank (in the order the banks come) and overall."""
    banks: dict[str, list[Item]] = {}
    for item in items:
        banks.setdefault(item.bank, []).append(item)
    return [figures(its, name) for name, its in banks.items()], figures(items)
