"""Reading a typed answer and judging it against a problem. No NumPy: cheap to import.

Accepted forms (surrounding spaces ignored):
  0.92   .92   92.   +0.92   -0.92   −0.92 (Unicode minus; an en dash – also counts)
  9.2e-1   9.2E-1   (scientific notation)
  1/2   -3/4   1.5/3   (a fraction of two plain decimals; the sign goes in front)
  92%   (only where the answer is a probability: read as 0.92)
Spaces are allowed between the sign and the number ("- 0.5"), around "/" and before "%",
never inside the digits. Rejected (unreadable, with a message saying how to type it):
empty text, words, nan/inf, a decimal comma ("0,92"), separators ("1_000", "1 000"),
a fraction dividing by zero, numbers too large for a float, and % where the answer
is not a probability.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from engine.problems.model import Misconception, Problem

MINUSES = "-\u2212\u2013"
_SIGN_CLASS = "[+\\-\u2212\u2013]"
_SIGN = rf"(?P<sign>{_SIGN_CLASS})?\s*"
_DECIMAL = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_PLAIN = re.compile(rf"{_SIGN}(?P<num>{_DECIMAL}(?:[eE]{_SIGN_CLASS}?[0-9]+)?)\s*(?P<pct>%)?")
_FRACTION = re.compile(rf"{_SIGN}(?P<p>{_DECIMAL})\s*/\s*(?P<q>{_DECIMAL})")

HOW_TO = "Type a number such as 0.92, .92, -1.5, 9.2e-1 or 1/2"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A typed answer as read: value None means unreadable (see message)."""

    value: float | None
    echo: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Literal["correct", "wrong", "unreadable"]
    value: float | None
    echo: str
    message: str
    misconception: Misconception | None = None


def show(value: float) -> str:
    """A number as the learner would read it back (up to 12 significant digits)."""
    text = f"{value:.12g}"
    return "0" if text == "-0" else text


def _how_to(proportion: bool) -> str:
    return f"{HOW_TO} (or 92% for a probability)." if proportion else f"{HOW_TO}."


def _unreadable(text: str, proportion: bool) -> Parsed:
    lowered = text.lower()
    if not text:
        reason = "No answer given."
    elif "," in text:
        reason = "Use a point for decimals and no thousands separators (0.92, not 0,92)."
    elif "_" in text or re.search(r"[0-9]\s+[0-9]", text):
        reason = "Type the digits without separators (1000, not 1_000 or 1 000)."
    elif "nan" in lowered or "inf" in lowered:
        reason = "The answer is a finite number."
    elif "%" in text and not proportion:
        reason = "This answer is not a probability: type the plain number, without %."
    else:
        reason = "That is not a number I can read."
    return Parsed(None, "", f"{reason} {_how_to(proportion)}")


def _signed(sign: str | None, value: float) -> float:
    return -value if sign and sign in MINUSES else value


def parse_answer(text: str, proportion: bool = False) -> Parsed:
    """Read a typed number; never raises. See the module docstring for the accepted forms."""
    if not isinstance(text, str):
        return _unreadable("", proportion)
    stripped = text.strip()
    try:
        match = _PLAIN.fullmatch(stripped)
        if match:
            if match["pct"] and not proportion:
                return _unreadable(stripped, proportion)
            number = match["num"]
            for minus in MINUSES[1:]:
                number = number.replace(minus, "-")
            value = _signed(match["sign"], float(number))
            if match["pct"]:
                value /= 100.0
            if not math.isfinite(value):
                return Parsed(None, "", f"That number is too large. {_how_to(proportion)}")
            if match["pct"]:
                return Parsed(value, f"read {stripped} as {show(value)}")
            return Parsed(value, f"read as {show(value)}")
        match = _FRACTION.fullmatch(stripped)
        if match:
            denominator = float(match["q"])
            if denominator == 0:
                return Parsed(None, "", f"A fraction cannot divide by zero. {_how_to(proportion)}")
            value = _signed(match["sign"], float(match["p"]) / denominator)
            if not math.isfinite(value):
                return Parsed(None, "", f"That number is too large. {_how_to(proportion)}")
            return Parsed(value, f"read {stripped} as {show(value)}")
    except (OverflowError, ValueError):
        return Parsed(None, "", f"That number is too large. {_how_to(proportion)}")
    return _unreadable(stripped, proportion)


def _matches(problem: Problem, value: float, reference: float) -> bool:
    """Within the problem's tolerance of reference, or the same number once rounded."""
    if problem.tolerance.accepts(value, reference):
        return True
    return float(problem.show(value)) == float(problem.show(reference))


def check_answer(problem: Problem, text: str) -> Verdict:
    """Judge typed text against the problem; a wrong answer may match a misconception."""
    parsed = parse_answer(text, problem.proportion)
    if parsed.value is None:
        return Verdict("unreadable", None, "", parsed.message)
    value = parsed.value
    if problem.tolerance.accepts(value, problem.answer):
        return Verdict("correct", value, parsed.echo, "")
    matching = [m for m in problem.misconceptions if _matches(problem, value, m.answer)]
    nearest = min(matching, key=lambda m: abs(value - m.answer), default=None)
    return Verdict("wrong", value, parsed.echo, "", nearest)
