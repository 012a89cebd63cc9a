"""True retention beside desired retention, as Anki's "True retention" table.

Rows: today, yesterday, the last week (7 study days, today included), the last month (30)
and the last year (365). Columns: young cards (interval under 21 days before the answer)
and mature ones (21 days or more), each a pass rate and a count. Every answer to a card in
the review state counts and passes unless graded Again (grade >= 2), as in Anki.

The store gives (study day, young, answers, passed) rows (`quizapp.store.retention`); this
module sums them into periods, no SQL and no loop over reviews.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MATURE_DAYS = 21

# (key, label, first day back, last day back): days counted back from today (0)
PERIODS: tuple[tuple[str, str, int, int], ...] = (
    ("today", "Today", 0, 0),
    ("yesterday", "Yesterday", 1, 1),
    ("week", "Last week", 0, 6),
    ("month", "Last month", 0, 29),
    ("year", "Last year", 0, 364),
)
SPAN_DAYS = max(back for _k, _l, _f, back in PERIODS) + 1  # days the table reads


@dataclass(frozen=True, slots=True)
class PassRate:
    """Answers to review cards and how many of them passed (not graded Again)."""

    passed: int = 0
    count: int = 0

    @property
    def failed(self) -> int:
        return self.count - self.passed

    @property
    def rate(self) -> float | None:
        """The share passed, None without an answer."""
        return self.passed / self.count if self.count else None

    def __add__(self, other: PassRate) -> PassRate:
        return PassRate(self.passed + other.passed, self.count + other.count)


@dataclass(frozen=True, slots=True)
class RetentionRow:
    """One period of the table."""

    period: str  # today | yesterday | week | month | year
    label: str
    young: PassRate
    mature: PassRate

    @property
    def total(self) -> PassRate:
        return self.young + self.mature


@dataclass(frozen=True, slots=True)
class TrueRetention:
    rows: tuple[RetentionRow, ...]
    desired_retention: float

    def row(self, period: str) -> RetentionRow:
        return next(r for r in self.rows if r.period == period)


def true_retention(
    by_day: Iterable[tuple[int, bool, int, int]], *, today: int, desired_retention: float
) -> TrueRetention:
    """The table from (study day, young, answers, passed) rows (days after today, e.g. from
    a clock set back, are left out)."""
    totals: dict[tuple[str, bool], PassRate] = {}
    for day, young, count, passed in by_day:
        back = today - day
        for key, _label, first, last in PERIODS:
            if first <= back <= last:
                cell = (key, young)
                totals[cell] = totals.get(cell, PassRate()) + PassRate(passed, count)
    rows = tuple(
        RetentionRow(
            key,
            label,
            young=totals.get((key, True), PassRate()),
            mature=totals.get((key, False), PassRate()),
        )
        for key, label, _first, _last in PERIODS
    )
    return TrueRetention(rows, desired_retention)


def _cell(p: PassRate) -> dict[str, Any]:
    return {
        "passed": p.passed,
        "count": p.count,
        "rate": None if p.rate is None else round(p.rate, 4),
    }


def true_retention_dict(t: TrueRetention) -> dict[str, Any]:
    """The JSON shape: desired retention, then a row per period with young, mature and
    all, each {passed, count, rate} (rate null without an answer)."""
    return {
        "desired_retention": t.desired_retention,
        "mature_days": MATURE_DAYS,
        "periods": {
            r.period: {
                "young": _cell(r.young),
                "mature": _cell(r.mature),
                "all": _cell(r.total),
            }
            for r in t.rows
        },
    }


def _pct(p: PassRate) -> str:
    return "-" if p.rate is None else f"{100 * p.rate:.1f}%"


def format_true_retention(t: TrueRetention) -> str:
    """The table as plain text, for the terminal."""
    head = ("", "Young", "", "Mature", "", "Total", "")
    lines = [head, ("", "rate", "count", "rate", "count", "rate", "count")]
    for r in t.rows:
        lines.append(
            (
                r.label,
                _pct(r.young),
                str(r.young.count),
                _pct(r.mature),
                str(r.mature.count),
                _pct(r.total),
                str(r.total.count),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(line)
        ).rstrip()
        for line in lines
    ]
    return (
        f"True retention (desired {100 * t.desired_retention:.0f}%; young: interval under "
        f"{MATURE_DAYS} days):\n" + "\n".join("  " + line for line in text)
    )
