"""Formatting numbers, vectors and tables for prompts and worked solutions.

Prose and steps use the Unicode minus (−) and ×; `display` strings stay ASCII (model.fixed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engine.problems.model import fixed

KEEP = "Keep at least 6 significant figures in intermediate results; round only the answer."


def num(value: float) -> str:
    """An exact input number in its shortest form: 25, 0.1, −0.05."""
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = repr(value)
        if "e" in text:
            text = fixed(value, 12)
    return text.replace("-", "−")


def approx(value: float, decimals: int) -> str:
    """A computed number rounded for a worked solution, with the Unicode minus."""
    return fixed(float(value), decimals).replace("-", "−")


def eq(value: float, decimals: int) -> str:
    """ "= v" when rounding loses nothing, else "≈ v"."""
    value = float(value)
    exact = abs(round(value, decimals) - value) <= 1e-12 * max(1.0, abs(value))
    return f"{'=' if exact else '≈'} {approx(value, decimals)}"


def paren(text: str) -> str:
    """Wrap a negative number in parentheses: (−0.3)."""
    return f"({text})" if text.startswith("−") else text


def product_terms(xs: Sequence[float], ws: Sequence[float]) -> str:
    """(x₁ × w₁) + (x₂ × w₂) + ..."""
    return " + ".join(f"({num(x)} × {num(w)})" for x, w in zip(xs, ws, strict=True))


def plus_terms(values: Iterable[str]) -> str:
    """a + b + (−c)..."""
    return " + ".join(paren(v) for v in values)


def align_numbers(cells: Sequence[str]) -> list[str]:
    """Pad number strings so their decimal points line up."""
    heads, tails = [], []
    for cell in cells:
        head, dot, tail = cell.partition(".")
        heads.append(head)
        tails.append(dot + tail)
    hw = max((len(h) for h in heads), default=0)
    tw = max((len(t) for t in tails), default=0)
    return [h.rjust(hw) + t.ljust(tw) for h, t in zip(heads, tails, strict=True)]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    """A left-aligned first column (labels) and decimal-aligned number columns."""
    columns = [list(col) for col in zip(*rows, strict=True)]
    for k in range(1, len(columns)):
        columns[k] = align_numbers(columns[k])
    cols = [[header[k], *columns[k]] for k in range(len(header))]
    widths = [max(len(c) for c in col) for col in cols]
    lines = []
    for r in range(len(rows) + 1):
        cells = [
            cols[k][r].ljust(widths[k]) if k == 0 else cols[k][r].rjust(widths[k])
            for k in range(len(header))
        ]
        lines.append((indent + "   ".join(cells)).rstrip())
    return "\n".join(lines)


def vector(values: Sequence[float]) -> str:
    """[0.5, −0.3, 2] on one line."""
    return "[" + ", ".join(num(v) for v in values) + "]"


def matrix_rows(rows: Sequence[Sequence[float]]) -> list[str]:
    """Bracketed rows with every column aligned on the decimal point."""
    columns = [align_numbers([num(v) for v in col]) for col in zip(*rows, strict=True)]
    return ["[ " + "  ".join(cells) + " ]" for cells in zip(*columns, strict=True)]


def side_by_side(blocks: Sequence[Sequence[str]], gap: str = "   ") -> list[str]:
    """Put blocks of lines next to each other, top-aligned."""
    height = max(len(b) for b in blocks)
    widths = [max((len(line) for line in b), default=0) for b in blocks]
    out = []
    for r in range(height):
        parts = [(b[r] if r < len(b) else "").ljust(w) for b, w in zip(blocks, widths, strict=True)]
        out.append(gap.join(parts).rstrip())
    return out


SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(k: int) -> str:
    """Subscript digits: 1 -> ₁."""
    return str(k).translate(SUBSCRIPTS)
