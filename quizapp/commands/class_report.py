"""`quizapp class report [--json]`: the instructor's report (see `quizapp.classroom.report`).

Opens the store read-only (no bank sync: an instructor's role may only read) with the global
--db and --learner; which learners it sees is up to the database (row-level security on
PostgreSQL). Three tables: questions (flagged ones first, marked "!"), misconceptions (most
common first), learners (mastery by topic and domain below each).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.classroom.report import ClassReport, ItemStats, LearnerStats

FLAG = "!"  # strong learners miss it (negative discrimination)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Columns padded to their widest cell; the `right` columns right-aligned."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def item_row(i: ItemStats) -> list[str]:
    return [
        FLAG if i.flagged else ("?" if i.dubious else ""),
        i.id,
        str(i.answers),
        _pct(i.facility),
        _num(i.discrimination),
        _pct(i.efficiency),
        i.topic,
    ]


def learner_lines(learners: Sequence[LearnerStats]) -> list[str]:
    rows = [
        [
            x.name,
            str(x.reviews_7d),
            "never" if x.last_active is None else f"{x.last_active:%Y-%m-%d %H:%M} UTC",
            _pct(x.best_exam),
        ]
        for x in learners
    ]
    lines = table(["Learner", "Reviews 7d", "Last active", "Best exam"], rows, {1, 3})
    for x in learners:
        lines.append(f"{x.name}:")
        for label, values in (("topic", x.topics), ("domain", x.domains)):
            shown = ", ".join(f"{k} {_pct(v)}" for k, v in values) or "no cards"
            lines.append(f"  mastery by {label}: {shown}")
    return lines


def format_report(report: ClassReport) -> str:
    out = ["Questions (finished quizzes and exams)"]
    if report.items:
        rows = [item_row(i) for i in report.items]
        header = ["", "Question", "Answers", "Facility", "Discrim.", "Efficiency", "Topic"]
        out += table(header, rows, {2, 3, 4, 5})
        out.append(
            f"{FLAG} strong learners miss it (discrimination < 0); ? Moodle's dubious mark "
            "(discriminative efficiency < 15%)"
        )
    else:
        out.append("No quiz answers yet.")
    out += ["", "Misconceptions (most common first)"]
    if report.misconceptions:
        rows = [
            [m.family or "(bank question)", m.name, str(m.count), str(m.learners)]
            for m in report.misconceptions
        ]
        out += table(["Family", "Misconception", "Count", "Learners"], rows, {2, 3})
    else:
        out.append("No named misconceptions yet.")
    out += ["", "Learners (mastery: mean recall now of the cards, never studied = 0)"]
    out += learner_lines(report.learners) if report.learners else ["No learners yet."]
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from quizapp.bank.loader import load_all
    from quizapp.classroom.service import ClassReporter
    from quizapp.clock import SystemClock
    from quizapp.store.database import backup_note, open_store, store_errors

    loaded = load_all(getattr(args, "bank", None) or ())
    for problem in loaded.errors:
        print(f"quizapp: warning: {problem}", file=sys.stderr)
    url = getattr(args, "db", None)
    with store_errors(url):
        store = open_store(url, learner=getattr(args, "learner", None))
        try:
            note = backup_note(store)
            if note:
                print(note, file=sys.stderr)
            report = ClassReporter(store, SystemClock(), lambda: loaded.items).report()
        finally:
            store.dispose()
    if getattr(args, "json", False):
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0
