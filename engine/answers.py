"""Reading a typed answer and judging it against a problem. No NumPy: cheap to import.

Accepted forms (surrounding spaces ignored):
  0.92   .92   92.   +0.92   -0.92   −0.92 (Unicode minus; an en dash – also counts)
  1,117,941   311,014.5   (comma thousands separators, as the app prints numbers: groups of
                           exactly three digits after a first group of 1-3 not starting with 0)
  9.2e-1   9.2E-1   (scientific notation)
  1/2   -3/4   1.5/3   (a fraction of two plain decimals; the sign goes in front)
  92%   (only where the answer is a probability: read as 0.92)
Spaces are allowed between the sign and the number ("- 0.5"), around "/" and before "%",
never inside the digits. Rejected (unreadable, with a message saying how to type it):
empty text, words, nan/inf, a decimal comma ("0,92", "1,5") or commas that do not group
thousands ("1,00", "1000,000"), other separators ("1_000", "1 000"), a fraction dividing by
zero, numbers too large for a float, and % where the answer is not a probability.

Naming the mistake (check_answer). A wrong answer is matched against the problem's named
misconceptions, then against generic slips (PERCENT for a probability, sign flipped,
reciprocal, off by a power of ten: ×10^±1..3), at the precision the learner typed:

  A typed value t matches a reference r when r, rounded to the last place t was typed to,
  gives t: |t − r| <= ½·step, where step is one unit in that place (0.01 for "96.44", 1 for
  "23" or "1,200", 1e-3 for "9.64e-1", 0.001 for "96.4%" read as 0.964; 0 for a fraction,
  which is exact). The problem's own tolerance also counts (|t − r| within it), so typing
  more digits than asked never loses a match.

So 96.4, 96.44 and 96.443 all name "percent" for 96.443, while 23.4 does not name a mistake
whose value is 23. When the correct answer also rounds to t at that step (the learner may just
have rounded too coarsely), t is read at the problem's own precision instead (the decimals it
asks for, as the app shows numbers: trailing zeros dropped, so "6" is 6.0 at one decimal), and
nothing is named if the answer still matches. A slip within 5% of the answer is never named
(indistinguishable from an arithmetic slip). Named misconceptions come first; among
several matches the nearest wins. A correct answer is never labelled: correctness is judged
first, with the problem's tolerance.
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
_GROUPED = r"[1-9][0-9]{0,2}(?:,[0-9]{3})+"  # 1,117,941: the app's thousands separators
_DECIMAL = rf"(?:(?:{_GROUPED}|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
_PLAIN = re.compile(rf"{_SIGN}(?P<num>{_DECIMAL}(?:[eE]{_SIGN_CLASS}?[0-9]+)?)\s*(?P<pct>%)?")
_FRACTION = re.compile(rf"{_SIGN}(?P<p>{_DECIMAL})\s*/\s*(?P<q>{_DECIMAL})")

HOW_TO = "Type a number such as 0.92, .92, -1.5, 9.2e-1 or 1/2"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A typed answer as read: value None means unreadable (see message)."""

    value: float | None
    echo: str = ""
    message: str = ""
    step: float = 0.0  # one unit in the last place typed (0.01 for "0.92"); 0 when exact (1/3)

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
        reason = (
            "Use a point for decimals (0.92, not 0,92); a comma only groups thousands (1,117,941)."
        )
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


def _step(number: str) -> float:
    """One unit in the last typed place of a plain or scientific number ("9.64e-1" -> 0.001)."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** ((int(exponent) if exponent else 0) - decimals)


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
            number = match["num"].replace(",", "")
            for minus in MINUSES[1:]:
                number = number.replace(minus, "-")
            value = _signed(match["sign"], float(number))
            step = _step(number)
            if match["pct"]:
                value /= 100.0
                step /= 100.0
            if not math.isfinite(value):
                return Parsed(None, "", f"That number is too large. {_how_to(proportion)}")
            if match["pct"] or "," in stripped:
                return Parsed(value, f"read {stripped} as {show(value)}", step=step)
            return Parsed(value, f"read as {show(value)}", step=step)
        match = _FRACTION.fullmatch(stripped)
        if match:
            denominator = float(match["q"].replace(",", ""))
            if denominator == 0:
                return Parsed(None, "", f"A fraction cannot divide by zero. {_how_to(proportion)}")
            value = _signed(match["sign"], float(match["p"].replace(",", "")) / denominator)
            if not math.isfinite(value):
                return Parsed(None, "", f"That number is too large. {_how_to(proportion)}")
            return Parsed(value, f"read {stripped} as {show(value)}")
    except (OverflowError, ValueError):
        return Parsed(None, "", f"That number is too large. {_how_to(proportion)}")
    return _unreadable(stripped, proportion)


SLIP_MARGIN = 0.05  # a generic slip within 5% of the answer is not named


def _near(problem: Problem, value: float, step: float, reference: float) -> bool:
    """Does the typed value match reference at this step? See "Naming the mistake" above."""
    if problem.tolerance.accepts(value, reference):
        return True
    slack = 1e-12 * max(1.0, abs(reference))  # float noise at the rounding boundary
    return abs(value - reference) <= step / 2 + slack


def _power(k: int) -> str:
    return f"{10**k:,}" if k > 0 else f"1/{10**-k:,}"


# A slip's hint in words that fit every problem (the per-problem hint names its power of ten).
GENERIC_HINTS: dict[str, str] = {
    "power_of_ten": "That is the answer times a power of ten: check the decimal point, the units "
    "and any powers of ten.",
}


def slips(problem: Problem) -> tuple[Misconception, ...]:
    """Generic slips any problem can suffer, from its answer (checked after the named ones)."""
    from engine.problems.model import Misconception

    a = problem.answer
    out: list[Misconception] = []
    if problem.proportion:
        out.append(
            Misconception(
                "percent",
                100.0 * a,
                "That is the answer as a percentage: type the proportion (0.89) or add % (89%).",
            )
        )
    if a != 0:
        out.append(
            Misconception(
                "sign_flipped",
                -a,
                "The size is right but the sign is not: follow each minus sign through "
                "(a negative input or weight, the minus in the update rule).",
            )
        )
        out.append(
            Misconception(
                "reciprocal",
                1.0 / a,
                "That is 1 divided by the answer: check which quantity divides which.",
            )
        )
    for k in (1, -1, 2, -2, 3, -3):
        out.append(
            Misconception(
                "power_of_ten",
                a * 10.0**k,
                f"That is the answer × {_power(k)}: check the decimal point, the units and "
                "any powers of ten.",
            )
        )
    return tuple(
        m for m in out if math.isfinite(m.answer) and abs(m.answer - a) > SLIP_MARGIN * abs(a)
    )


def name_mistake(problem: Problem, parsed: Parsed) -> Misconception | None:
    """The named misconception, else the generic slip, the wrong value matches (or None)."""
    value, step = parsed.value, parsed.step
    if value is None or problem.tolerance.accepts(value, problem.answer):
        return None
    if _near(problem, value, step, problem.answer):
        # The answer rounds to it too: only a mistake the app would show as exactly this text
        # ("6" for 6.0 at one decimal, trailing zeros dropped) is named.
        step = min(step, 10.0**-problem.decimals)
        if _near(problem, value, step, problem.answer):
            return None
    for group in (problem.misconceptions, slips(problem)):
        matching = [m for m in group if _near(problem, value, step, m.answer)]
        if matching:
            return min(matching, key=lambda m: abs(value - m.answer))
    return None


def check_answer(problem: Problem, text: str) -> Verdict:
    """Judge typed text against the problem; a wrong answer may match a misconception."""
    parsed = parse_answer(text, problem.proportion)
    if parsed.value is None:
        return Verdict("unreadable", None, "", parsed.message)
    value = parsed.value
    if problem.tolerance.accepts(value, problem.answer):
        return Verdict("correct", value, parsed.echo, "")
    return Verdict("wrong", value, parsed.echo, "", name_mistake(problem, parsed))
