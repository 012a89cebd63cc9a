"""The stats screen's plotext charts: each function draws one chart on a cleared `Plot`.

Colours come from the Textual theme (so dark and light both read well); the x axis of the
time charts is in bins of `size` days from the history's first day, labelled with dates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

import numpy as np
from textual.color import Color

from quizapp.stats import History, ScorePoint, bin_days, retention_series

RGB = tuple[int, int, int]
BAR_WIDTH = 0.35
BAR_MARKER = "hd"  # half cells: even bars and gaps at any width


@dataclass(frozen=True, slots=True)
class Palette:
    review: RGB
    learning: RGB
    new: RGB
    line: RGB
    muted: RGB
    warn: RGB

    def hex(self, name: str) -> str:
        """A colour as #rrggbb, for Textual markup."""
        r, g, b = getattr(self, name)
        return f"#{r:02x}{g:02x}{b:02x}"

    @classmethod
    def from_theme(cls, variables: dict[str, str]) -> Palette:
        def rgb(name: str, default: str) -> RGB:
            return Color.parse(variables.get(name, default)).rgb

        return cls(
            review=rgb("success", "#4EBF71"),
            learning=rgb("warning", "#ffa62b"),
            new=rgb("primary", "#0178D4"),
            line=rgb("accent", "#ffa62b"),
            muted=rgb("secondary", "#888888"),
            warn=rgb("error", "#ba3c5b"),
        )


def day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def date_ticks(first_day: date, days: int, size: int, count: int = 5) -> tuple[list, list]:
    """Tick positions (in bins) and date labels for a series of `days` binned by `size`."""
    bins = -(-days // size)
    pad = bins * size - days  # the oldest bin is the short one
    positions = sorted({round(i * (bins - 1) / (count - 1)) for i in range(count)})
    labels = [day_label(first_day + timedelta(days=p * size + size - 1 - pad)) for p in positions]
    return positions, labels


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `top`: steps of 1, 2 or 5 times a power of 10."""
    top = max(float(top), 1.0)
    raw = top / count
    power = 10 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [float(step * i) for i in range(int(np.ceil(top / step)) + 1)]


def _y_axis(plt, top: float, count: int = 4) -> None:
    ticks = nice_ticks(top, count)
    plt.ylim(0, ticks[-1])
    plt.yticks(ticks, [f"{t:g}" for t in ticks])


def _bars(plt, heights: np.ndarray, color: RGB) -> None:
    """Bars at 0, 1, ... of the given heights; none where the height is 0."""
    x = np.flatnonzero(heights > 0)
    if x.size:
        plt.bar(x.tolist(), heights[x].round(2).tolist(), color=color, width=BAR_WIDTH,
                marker=BAR_MARKER, minimum=0)  # fmt: skip


def per_day(values: Sequence[float], size: int) -> np.ndarray:
    """The mean per day within each bin (the oldest bin may hold fewer days)."""
    return bin_days(values, size) / bin_days([1.0] * len(values), size)


def _empty(plt, message: str, x: float, y: float) -> None:
    """Say there is nothing to chart, in the middle of the empty axes."""
    plt.text(message, x, y, alignment="center")


def _frame(plt, title: str) -> None:
    plt.clear_figure()
    plt.title(title)
    plt.frame(False)


def draw_reviews(plt, history: History, size: int, palette: Palette) -> None:
    """Card answers per day (a mean per day within each bin of `size` days)."""
    unit = "a day" if size == 1 else f"a day, {size}-day averages" if size != 7 else "a day, weekly"
    _frame(plt, f"Reviews {unit} · last {history.days} days")
    answers = np.asarray(history.answers, dtype=float)
    total = per_day(history.answers, size)
    _bars(plt, total, palette.review)
    plt.xlim(-0.5, len(total) - 0.5)
    _y_axis(plt, float(total.max()))
    plt.xticks(*date_ticks(history.first_day, history.days, size))
    if not answers.any():
        _empty(plt, "No reviews in these days yet", (len(total) - 1) / 2, 0.5)


def draw_retention(plt, history: History, window: int, palette: Palette) -> None:
    """True retention of review cards beside what FSRS predicted (trailing `window` days),
    and the desired retention as a line."""
    _frame(plt, f"Retention of review cards, % · {window}-day rolling")
    true, predicted, _answers = retention_series(history, window)
    known = np.flatnonzero(~np.isnan(true))
    low = 100 * history.desired_retention
    if known.size:
        plt.plot(known.tolist(), (100 * predicted[known]).tolist(), color=palette.new,
                 marker="braille")  # fmt: skip
        plt.plot(known.tolist(), (100 * true[known]).tolist(), color=palette.review,
                 marker="braille")  # fmt: skip
        low = min(low, 100 * float(np.nanmin(true)), 100 * float(np.nanmin(predicted)))
    plt.horizontal_line(100 * history.desired_retention, color=palette.muted)
    bottom = max(0, int(low // 10) * 10 - 10 if low < 90 else 80)
    step = 5 if 100 - bottom <= 20 else 10 if 100 - bottom <= 50 else 20
    ticks = list(range(100, bottom - 1, -step))[::-1]
    plt.ylim(ticks[0], 100)
    plt.yticks(ticks, [str(t) for t in ticks])
    plt.xlim(0, history.days - 1)
    plt.xticks(*date_ticks(history.first_day, history.days, 1))
    if not known.size:
        _empty(plt, "No answers to review cards yet", (history.days - 1) / 2, ticks[1])


def draw_forecast(plt, forecast: Sequence[int], today: date, palette: Palette) -> None:
    """Cards due on each of the next 30 days (today's includes the overdue)."""
    _frame(plt, f"Due in the next {len(forecast)} days")
    _bars(plt, np.asarray(forecast, dtype=float), palette.review)
    plt.xlim(-0.5, len(forecast) - 0.5)
    _y_axis(plt, max(forecast, default=0))
    positions = [0, 7, 14, 21, len(forecast) - 1]
    labels = ["today", *(day_label(today + timedelta(days=p)) for p in positions[1:])]
    plt.xticks(positions, labels)
    if not any(forecast):
        _empty(plt, "Nothing scheduled yet: new cards are not counted", len(forecast) / 2, 0.5)


def draw_scores(
    plt,
    history: History,
    tz: tzinfo | None,
    pass_score: int,
    palette: Palette,
    pass_of: Callable[[ScorePoint], int] | None = None,
) -> None:
    """Quiz and exam scores (scaled 100..1000) over the window, with a line at `pass_score`
    (the default exam's pass mark). Each exam is judged by its own profile's pass mark
    (`pass_of`): a pass is a filled dot, a fail a ring, and an exam whose pass mark is not
    the line's is labelled with it."""
    pass_of = pass_of or (lambda _point: pass_score)
    _frame(plt, f"Quiz and exam scores · last {history.days} days")
    plt.horizontal_line(pass_score, color=palette.muted)

    def day(point: ScorePoint) -> int:
        return (point.finished_at.astimezone(tz).date() - history.first_day).days

    quizzes = [s for s in history.scores if s.chart_mode == "practice"]
    exams = [s for s in history.scores if s.chart_mode == "exam"]
    passed = [s for s in exams if s.scaled >= pass_of(s)]
    failed = [s for s in exams if s.scaled < pass_of(s)]
    for points, color, marker in (
        (quizzes, palette.new, "●"),
        (passed, palette.review, "●"),
        (failed, palette.review, "○"),
    ):
        if points:
            plt.scatter([day(s) for s in points], [s.scaled for s in points], color=color,
                        marker=marker)  # fmt: skip
    for point in exams:
        mark = pass_of(point)
        if mark != pass_score:  # another exam's pass mark, just right of its dot
            plt.text(f"pass {mark}", day(point) + 1, point.scaled, color=palette.muted,
                     alignment="left")  # fmt: skip
    plt.ylim(100, 1000)
    ticks = [100, 250, 500, pass_score, 1000]
    plt.yticks(ticks, [str(t) for t in ticks])
    plt.xlim(0, history.days - 1)
    plt.xticks(*date_ticks(history.first_day, history.days, 1))
    if not history.scores:
        _empty(plt, "No quiz or exam finished in these days yet", (history.days - 1) / 2, 400)
