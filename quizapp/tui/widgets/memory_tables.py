"""The memory tab's two tables as Rich renderables: true retention beside desired retention
(Anki's table), and the workload at a few retentions ("help me decide")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from quizapp.stats.retention import PassRate, TrueRetention
    from quizapp.stats.workload import Workload


def amount(value: float) -> str:
    """A daily mean: one decimal below 10 ('0.4', '3.5'), whole above ('14')."""
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _rate(p: PassRate, desired: float, below: str) -> Text:
    """The pass rate, in the `below` colour when under the desired retention."""
    if p.rate is None:
        return Text("—", style="dim")
    style = below if p.rate < desired else "bold"
    return Text(f"{100 * p.rate:.1f}%", style=style)


def retention_table(t: TrueRetention, below: str = "bold yellow") -> Table:
    """Rows today … last year; young, mature and all cards: pass rate and count."""
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, expand=False)
    table.add_column("")
    for name in ("Young", "Mature", "All"):
        table.add_column(name, justify="right")
        table.add_column("n", justify="right", style="dim")
    for r in t.rows:
        cells: list[Text | str] = [r.label]
        for p in (r.young, r.mature, r.total):
            cells += [_rate(p, t.desired_retention, below), f"{p.count:,}"]
        table.add_row(*cells)
    return table


def workload_table(w: Workload) -> Table:
    """One row per retention (the current one marked): reviews and minutes a day, as the mean
    over the next 30, 90 and 365 days."""
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, expand=False)
    table.add_column("Retention")
    days = [x.days for x in w.options[0].loads] if w.options else []
    for d in days:
        table.add_column(f"next {d} d", justify="right")
    for o in w.options:
        label = Text(f"{100 * o.retention:.0f}%")
        if o.current:
            label.append(" (now)", style="bold")
        style = "bold" if o.current else ""
        cells: list[Text | str] = [label]
        for x in o.loads:
            cells.append(Text(f"{amount(x.reviews)} rev · {amount(x.minutes)} min", style=style))
        table.add_row(*cells)
    return table
