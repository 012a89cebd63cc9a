"""What a generated problem is: plain frozen dataclasses, no NumPy (cheap to import)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

CHOICES = 4  # the multiple-choice form: the answer and three distractors (or fewer, see below)
CHOICES_VERSION = 3  # the rule that picks them (1 and 2: earlier rules; see `Problem.choices`)


def fixed(value: float, decimals: int) -> str:
    """`value` rounded to `decimals` places.

    Trailing zeros are dropped only when nothing was rounded away: 0.5 -> "0.5", 1.0 -> "1",
    but 0.090031 -> "0.0900" at 4 decimals (the zeros say how precise it is). Never "-0".
    """
    text = f"{value:.{decimals}f}"
    if "." in text and abs(float(text) - value) <= 1e-12 * max(1.0, abs(value)):
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


@dataclass(frozen=True, slots=True)
class Tolerance:
    """x is accepted for ref when |x − ref| <= max(abs, rel·|ref|)."""

    rel: float
    abs: float

    def width(self, ref: float) -> float:
        return max(self.abs, self.rel * abs(ref))

    def accepts(self, x: float, ref: float) -> bool:
        return abs(x - ref) <= self.width(ref)


@dataclass(frozen=True, slots=True)
class Misconception:
    """The answer a named wrong procedure gives, run on the problem's own numbers."""

    name: str
    answer: float
    hint: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "answer": self.answer, "hint": self.hint}


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of the multiple-choice form."""

    display: str
    value: float
    correct: bool
    misconception: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "display": self.display,
            "correct": self.correct,
            "misconception": self.misconception,
        }


@dataclass(frozen=True, slots=True)
class Domain:
    """The values the asked quantity can possibly take.

    An interval lo..hi (each end open or closed, None for unbounded), whole numbers only when
    `integer`; or, when `values` is given, exactly those values (a ReLU slope is 0 or 1).
    """

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    values: tuple[float, ...] | None = None

    def contains(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.values is not None:
            return any(abs(value - v) <= 1e-12 for v in self.values)
        if self.lo is not None and (value < self.lo or (self.lo_open and value <= self.lo)):
            return False
        if self.hi is not None and (value > self.hi or (self.hi_open and value >= self.hi)):
            return False
        return not self.integer or value == int(value)


def _order_key(*parts: object) -> bytes:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()


@dataclass(frozen=True)
class Problem:
    """One computed practice problem; the answer comes from running the engine."""

    id: str
    family: str
    seed: int
    difficulty: str
    scenario: str
    params: dict[str, Any]
    answer: float
    display: str
    decimals: int
    tolerance: Tolerance
    prompt: str
    steps: tuple[str, ...]
    misconceptions: tuple[Misconception, ...]
    proportion: bool = False
    domain: Domain = Domain()

    def show(self, value: float) -> str:
        """A value rounded the way this problem displays its answer."""
        return fixed(value, self.decimals)

    def choices(self, version: int = CHOICES_VERSION) -> tuple[Choice, ...]:
        """The answer plus three distractors (fewer when fewer values are possible), picked
        and ordered by the seed.

        The current rule (`version` 3): the key's rank among the four values is drawn
        uniformly (so neither the smallest nor the largest option gives it away); each
        distractor is a possible value of the asked quantity (see `domain`) with a display of
        its own. Misconceptions come first; when too few lie on the needed side of the
        answer, generated values (misconception None) fill the rest. A quantity with a few
        listed possible values (`domain.values`) is answered by picking one of them: with at
        most four (a ReLU slope: 0 or 1; a class among four) it shows exactly those values, so
        every option is possible; with more, the answer and three other possible values,
        values some misconception gives first, the rest drawn by the seed. Either way a wrong
        option is named after a misconception giving it, if any, and no rank is drawn (the
        options are the values themselves).

        Earlier rules, kept because quiz attempts recorded with one are rebuilt with it (a
        learner's recorded pick must still name the option they saw): `version` 1 shows
        three misconception answers, whatever their rank or range; `version` 2 is rule 3
        except that a quantity with fewer than four possible values shows all of them plus
        misconception answers (always four options).
        """
        salt = (self.id, self.difficulty, self.scenario)
        if version >= 3 and self.domain.values is not None:
            options = [Choice(self.display, self.answer, True, None), *_other_values(self, salt)]
            return tuple(sorted(options, key=lambda c: _order_key(*salt, "order", c.display)))
        if version == 1:
            picked = sorted(self.misconceptions, key=lambda m: _order_key(*salt, "pick", m.name))
            options = [Choice(self.display, self.answer, True, None)]
            options += [
                Choice(self.show(m.answer), m.answer, False, m.name) for m in picked[: CHOICES - 1]
            ]
            return tuple(sorted(options, key=lambda c: _order_key(*salt, "order", c.display)))
        options = [Choice(self.display, self.answer, True, None), *_distractors(self, salt)]
        return tuple(sorted(options, key=lambda c: _order_key(*salt, "order", c.display)))

    def to_json(self) -> dict[str, Any]:
        """The export contract's object (JSON-ready)."""
        return {
            "id": self.id,
            "family": self.family,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "scenario": self.scenario,
            "params": self.params,
            "answer": self.answer,
            "display": self.display,
            "decimals": self.decimals,
            "tolerance": {"rel": self.tolerance.rel, "abs": self.tolerance.abs},
            "proportion": self.proportion,
            "prompt": self.prompt,
            "steps": list(self.steps),
            "misconceptions": [m.to_json() for m in self.misconceptions],
            "choices": [c.to_json() for c in self.choices()],
        }


FILL_FRACTIONS = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
# multiples of the step on one side of the key; none makes the key end an even progression
FILL_MULTIPLES = ((1, 3, 4), (2, 3, 5), (1, 2, 4), (1, 3, 5), (2, 3, 4))


def _other_values(p: Problem, salt: tuple[object, ...]) -> list[Choice]:
    """The possible values but the answer, each named after a misconception giving it: all
    of them when the answer and they make at most four options, else three of them (values
    a misconception gives first, in the seed's order of the misconceptions; then the others
    in the seed's order)."""
    assert p.domain.values is not None
    picked = sorted(p.misconceptions, key=lambda m: _order_key(*salt, "pick", m.name))
    out = []
    for value in sorted(set(p.domain.values)):
        text = p.show(value)
        if float(text) == float(p.display):
            continue
        name = next((m.name for m in picked if float(p.show(m.answer)) == float(text)), None)
        out.append(Choice(text, value, False, name))
    if len(out) < CHOICES:
        return out
    rank = {m.name: i for i, m in enumerate(picked)}
    named = sorted((c for c in out if c.misconception), key=lambda c: rank[str(c.misconception)])
    rest = sorted(
        (c for c in out if not c.misconception),
        key=lambda c: _order_key(*salt, "value", c.display),
    )
    return (named + rest)[: CHOICES - 1]


def _distractors(p: Problem, salt: tuple[object, ...]) -> list[Choice]:
    """Three wrong options such that the key lands at a seed-drawn rank (see choices)."""
    domain = p.domain
    shown = {float(p.display)}
    possible: list[Misconception] = []
    other: list[Misconception] = []  # impossible: used only when few values are possible
    for m in sorted(p.misconceptions, key=lambda m: _order_key(*salt, "pick", m.name)):
        text = p.show(m.answer)
        if float(text) in shown:
            continue
        ok = domain.contains(m.answer) and domain.contains(float(text))
        (possible if ok else other).append(m)
    forced: list[Misconception] = []
    if domain.values is not None:  # a few possible values: show every one of them
        forced, possible = possible, []
    else:
        other = []
    target = int.from_bytes(_order_key(*salt, "rank"), "little") % CHOICES
    # the mirrored rank next: with forced values on one side this keeps the ranks uniform
    for rank in (target, CHOICES - 1 - target, *range(CHOICES)):
        picked = _fill_rank(p, salt, rank, forced, possible + other)
        if picked is not None:
            return picked
    raise RuntimeError(f"{p.id}: no three distinct distractors")


def _fill_rank(
    p: Problem,
    salt: tuple[object, ...],
    rank: int,
    forced: list[Misconception],
    pool: list[Misconception],
) -> list[Choice] | None:
    """Distractors with `rank` of them below the key, or None when that cannot be done."""
    key = p.answer
    need = {
        -1: rank - sum(m.answer < key for m in forced),
        1: CHOICES - 1 - rank - sum(m.answer > key for m in forced),
    }
    if need[-1] < 0 or need[1] < 0:
        return None
    picked = [Choice(p.show(m.answer), m.answer, False, m.name) for m in forced]
    shown = {float(p.display), *(float(c.display) for c in picked)}
    for m in pool:
        side = -1 if m.answer < key else 1
        text = p.show(m.answer)
        if need[side] > 0 and float(text) not in shown:
            picked.append(Choice(text, m.answer, False, m.name))
            shown.add(float(text))
            need[side] -= 1
    for side, n in need.items():
        if n and not _fill_side(p, salt, side, n, shown, picked):
            return None
    return picked


def _fill_side(
    p: Problem,
    salt: tuple[object, ...],
    sign: int,
    n: int,
    shown: set[float],
    picked: list[Choice],
) -> bool:
    """Add n generated values on one side of the key (sign -1 below, +1 above)."""
    domain, key = p.domain, p.answer
    unit = 10.0**-p.decimals
    # the step: a share of the answer's size (or of the nearest misconception's distance)
    spread = [abs(m.answer - key) for m in p.misconceptions if domain.contains(m.answer)]
    size = max(abs(key), min(spread, default=0.0), 10 * unit)
    h = int.from_bytes(_order_key(*salt, "fill", sign), "little")
    fraction = FILL_FRACTIONS[h % len(FILL_FRACTIONS)]
    multiples = FILL_MULTIPLES[(h // len(FILL_FRACTIONS)) % len(FILL_MULTIPLES)]
    step = max(unit, round(size * fraction / unit) * unit)
    check = Domain() if domain.values is not None else domain
    # all the decimals ("0.180", not "0.18") when the key shows them: no length cue
    full = len(p.display.partition(".")[2]) == p.decimals
    while True:
        added: list[Choice] = []
        for k in (*multiples, *range(max(multiples) + 1, max(multiples) + 2 * n + 2)):
            text = f"{key + sign * k * step:.{p.decimals}f}"
            value = float(text)
            if value == 0 or not full:
                text = fixed(value, p.decimals)
            if value in shown or any(float(c.display) == value for c in added):
                continue
            if not check.contains(value) or (value - key) * sign <= 0:
                break
            added.append(Choice(text, value, False, None))
            if len(added) == n:
                picked += added
                shown.update(float(c.display) for c in added)
                return True
        if step <= unit:
            return False
        step = max(unit, round(step / 2 / unit) * unit)


def is_finite(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
