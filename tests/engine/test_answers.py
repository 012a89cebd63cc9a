"""The answer parser (property-based) and judging answers against real problems."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.answers import check_answer, parse_answer
from engine.problems import make_problem
from engine.problems.model import fixed

FAST = settings(max_examples=150, deadline=None)
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
proportions = st.floats(min_value=0, max_value=1, allow_nan=False)
flags = st.booleans()
MINUSES = ("-", "\u2212", "\u2013")
ALLOWED = set("0123456789.eE+-\u2212\u2013%/,")


@FAST
@given(st.text(), flags)
def test_never_raises_and_accepted_means_finite_and_number_like(
    text: str, proportion: bool
) -> None:
    parsed = parse_answer(text, proportion)
    if parsed.ok:
        assert parsed.value is not None and math.isfinite(parsed.value)
        assert {c for c in text if not c.isspace()} <= ALLOWED
        assert parsed.echo.startswith("read")
    else:
        assert parsed.value is None and "Type a number" in parsed.message


@FAST
@given(st.binary(max_size=40), flags)
def test_never_raises_on_arbitrary_unicode(raw: bytes, proportion: bool) -> None:
    parse_answer(raw.decode("utf-8", errors="replace"), proportion)
    parse_answer(raw.decode("latin-1"), proportion)


junk_letters = st.text(alphabet="abcdfghijklmnopqrstuvwxyzABCDFGHIJKLMNOPQRSTUVWXYZ", min_size=1)


@FAST
@given(finite, junk_letters, st.integers(0, 2), flags)
def test_numbers_with_words_are_junk(x: float, word: str, where: int, proportion: bool) -> None:
    number = repr(x)
    text = [word + number, number + word, number + " " + word][where]
    assert not parse_answer(text, proportion).ok


@FAST
@given(st.integers(0, 10**6), st.integers(0, 999), flags)
def test_underscore_space_and_decimal_comma_are_rejected(a: int, b: int, proportion: bool) -> None:
    for text in (
        f"{a}_{b:03d}",
        f"{a} {b:03d}",
        f"0,{b}",
        f"{a},{b % 100:02d}",
        f"{a}0000,{b:03d}",
    ):
        parsed = parse_answer(text, proportion)
        assert not parsed.ok
        assert "separator" in parsed.message or "point" in parsed.message


@FAST
@given(st.integers(1000, 10**15), st.integers(0, 99), flags)
def test_thousands_separators_as_the_app_prints_them(n: int, cents: int, proportion: bool) -> None:
    """Prompts print 1,117,941 (f"{n:,}"): typed back, it reads as the number."""
    assert parse_answer(f"{n:,}", proportion).value == n
    assert parse_answer(f"-{n:,}.{cents:02d}", proportion).value == -float(f"{n}.{cents:02d}")


@pytest.mark.parametrize(
    ("text", "value"),
    [("311,014", 311014.0), ("1,117,941", 1117941.0), ("311,014.5", 311014.5), ("+1,000", 1e3)],
)
def test_thousands_separator_examples(text: str, value: float) -> None:
    parsed = parse_answer(text)
    assert parsed.value == value
    assert parsed.echo.startswith(f"read {text} as ")


@pytest.mark.parametrize(
    "text", ["0,92", "0,920", "1,5", "1,00", "1,0000", "1000,000", ",123", "1,,000", "1,000,00"]
)
def test_commas_that_do_not_group_thousands_are_refused(text: str) -> None:
    parsed = parse_answer(text)
    assert not parsed.ok, text
    assert "point" in parsed.message and "Type a number" in parsed.message


@pytest.mark.parametrize(
    "text",
    [
        "nan",
        "NaN",
        "-nan",
        "inf",
        "-inf",
        "+inf",
        "Infinity",
        "1e999",
        "-1e400",
        "",
        "   ",
        ".",
        "-",
        "+",
        "1/0",
        "1/",
        "/2",
        "--1",
        "+-1",
        "1..2",
        "1.2.3",
        "e5",
        "1e",
        "0x10",
        "1/2%",
        "½",
        "٣",
        "1 2",
        "½",
        "12 %%",
        "(1)",
        "1e5.5",
    ],
)
def test_documented_rejections(text: str) -> None:
    parsed = parse_answer(text, proportion=True)
    assert not parsed.ok, text
    assert "Type a number" in parsed.message


def test_unreadable_messages_say_what_went_wrong() -> None:
    assert "point" in parse_answer("0,92").message
    assert "finite" in parse_answer("nan").message
    assert "not a probability" in parse_answer("92%", proportion=False).message
    assert "zero" in parse_answer("3/0").message
    assert "92%" in parse_answer("x", proportion=True).message


@FAST
@given(finite)
def test_plain_and_scientific_forms(x: float) -> None:
    for text in (repr(x), f"{x:.6f}", f"{x:e}", f"{x:E}", f"{x:.3e}", f"  {x!r}  "):
        assert parse_answer(text).value == float(text), text


@FAST
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_signs_and_unicode_minus(x: float) -> None:
    body = repr(x)
    assert parse_answer("+" + body).value == x
    for minus in MINUSES:
        assert parse_answer(minus + body).value == -x
        assert parse_answer(f"{minus} {body}").value == -x  # a space after the sign is fine


@FAST
@given(st.floats(min_value=-0.999999, max_value=0.999999, allow_nan=False))
def test_leading_dot_form(x: float) -> None:
    text = f"{x:.6f}".replace("0.", ".", 1)  # ".123456" or "-.123456"
    assert re.fullmatch(r"-?\.\d{6}", text)
    assert parse_answer(text).value == float(text)


@FAST
@given(proportions)
def test_percent_form_for_probabilities(p: float) -> None:
    shown = f"{100 * p:.4f}"
    for text in (shown + "%", shown + " %", f" {shown}% "):
        parsed = parse_answer(text, proportion=True)
        assert parsed.value == float(shown) / 100
        assert math.isclose(parsed.value, p, abs_tol=1e-6)
        assert not parse_answer(text, proportion=False).ok


@FAST
@given(st.integers(-(10**6), 10**6), st.integers(1, 10**6))
def test_fractions(p: int, q: int) -> None:
    assert parse_answer(f"{p}/{q}").value == p / q
    assert parse_answer(f"{p} / {q}").value == p / q
    assert parse_answer(f"{abs(p)}/{q}".replace(str(abs(p)), "\u2212" + str(abs(p)), 1)).value == (
        -abs(p) / q
    )


def test_examples_from_the_brief() -> None:
    for text, value in [
        ("0.92", 0.92),
        (".92", 0.92),
        ("+0.92", 0.92),
        ("9.2e-1", 0.92),
        ("1/2", 0.5),
        ("\u22120.5", -0.5),
        ("- 0.5", -0.5),
        ("92.", 92.0),
    ]:
        parsed = parse_answer(text)
        assert parsed.value == value, text
    assert parse_answer("92%", proportion=True).value == 0.92
    assert parse_answer("92%", proportion=True).echo == "read 92% as 0.92"
    assert parse_answer("0.92").echo == "read as 0.92"


def test_non_strings_are_unreadable() -> None:
    assert not parse_answer(None).ok  # type: ignore[arg-type]
    assert not parse_answer(0.5).ok  # type: ignore[arg-type]


# judging against real problems ---------------------------------------------------------------


def test_correct_wrong_and_unreadable_verdicts() -> None:
    p = make_problem("softmax", 3, "medium")
    assert check_answer(p, p.display).status == "correct"
    verdict = check_answer(p, f"{100 * p.answer:.2f}%")
    assert verdict.status == "correct" and verdict.echo.startswith("read")
    unreadable = check_answer(p, "0,5")
    assert unreadable.status == "unreadable" and unreadable.value is None and unreadable.message
    far = check_answer(p, "123456")
    assert far.status == "wrong" and far.misconception is None


def test_tolerance_edges() -> None:
    p = make_problem("neuron_output", 2, "medium")
    width = p.tolerance.width(p.answer)
    assert check_answer(p, repr(p.answer + 0.99 * width)).status == "correct"
    assert check_answer(p, repr(p.answer - 0.99 * width)).status == "correct"
    assert check_answer(p, repr(p.answer + 1.01 * width)).status == "wrong"


def test_wrong_answer_names_the_misconception() -> None:
    p = make_problem("training_iterations", 10, "medium")
    partial = next(m for m in p.misconceptions if m.name == "partial_batch_not_counted")
    verdict = check_answer(p, fixed(partial.answer, 0))
    assert verdict.status == "wrong"
    assert verdict.misconception is not None and verdict.misconception.name == partial.name
    assert verdict.misconception.hint


def test_percent_typed_for_a_non_probability_is_unreadable() -> None:
    p = make_problem("weighted_sum", 1, "easy")
    assert not p.proportion
    assert check_answer(p, "50%").status == "unreadable"
