"""Plain-text formatting for the screens (no Textual): due times, percentages, bars, clozes."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo

CLOZE_GAP = re.compile(r"\{\{(.+?)\}\}")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def until(moment: datetime, now: datetime) -> str:
    """'in 5 min', 'in 3 h', 'in 2 days' (or 'now' if it has passed)."""
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        return "now"
    minutes = seconds / 60
    if minutes < 60:
        return f"in {round(minutes)} min"
    hours = minutes / 60
    if hours < 24:
        return f"in {round(hours)} h"
    return f"in {plural(round(hours / 24), 'day')}"


def when(moment: datetime, now: datetime, tz: tzinfo | None) -> str:
    """A due time for people: 'today 18:40', 'tomorrow 09:05', 'Mon 3 Mar 09:05'."""
    local = moment.astimezone(tz)
    today = now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow {clock}"
    return f"{local:%a} {local.day} {local:%b} {clock}"


def exam_line(exam: date, days: int) -> str:
    label = f"{exam.day} {exam:%b %Y}"
    if days > 1:
        return f"{label}, in {days} days"
    if days == 1:
        return f"{label}, tomorrow"
    if days == 0:
        return f"{label}, today"
    return f"{label}, {plural(-days, 'day')} ago"


def bar(fraction: float, width: int) -> tuple[str, str]:
    """The filled and empty parts of a bar `width` cells wide (eighths for the edge)."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return filled, " " * (width - len(filled))


def cloze_front(text: str, gap: int | None = None) -> str:
    """The cloze with each gap hidden as [...]; with `gap` (1-based, a gap's card), only that
    gap hidden and the others shown filled in."""
    return "".join("[…]" if is_gap else t for t, is_gap in cloze_parts(text, gap))


def cloze_parts(text: str, gap: int | None = None) -> list[tuple[str, bool]]:
    """The cloze split into (text, is_gap) pieces, gaps without their braces; with `gap`,
    only that gap (1-based) counts as one, the others are plain text."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for n, match in enumerate(CLOZE_GAP.finditer(text), start=1):
        if match.start() > last:
            parts.append((text[last : match.start()], False))
        parts.append((match.group(1), gap is None or n == gap))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def clock_text(seconds: float | None) -> str:
    """'2:41:13' or '38:05' (whole seconds, rounded down); '—' when there is no clock."""
    if seconds is None:
        return "—"
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
