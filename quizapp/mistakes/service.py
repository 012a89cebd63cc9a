"""The named misconceptions the learner makes most, across computed practice, skill cards and
quizzes: count, last seen, trend (the last 14 study days against the 14 before), the hint,
and the practice families whose problems invite each one.

Which families invite a misconception, and its hint, come from the engine itself: a sample
of problems per family and difficulty is generated once (cached) and each problem's named
misconceptions and generic slips are noted (`catalog`). A name the sample never produced
keeps the families it was made in during practice, and no hint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from quizapp.bank.model import Item
from quizapp.mistakes.model import SOURCES, Mistake, MistakeCount, MistakesReport, utc
from quizapp.store.database import Store
from quizapp.study_time import StudyTime

WINDOW_DAYS = 14
SAMPLE_SEEDS = 12  # problems generated per family and difficulty for the catalog


@dataclass(frozen=True, slots=True)
class Invites:
    """Where a misconception can be made: (family, difficulty) pairs, and its hint."""

    hint: str
    places: tuple[tuple[str, str], ...]  # in the engine's family order, then by difficulty

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for f, _ in self.places))

    def difficulty(self, family: str) -> str:
        """The difficulty at which `family` carries it ("medium" when it does there)."""
        levels = [d for f, d in self.places if f == family]
        return "medium" if "medium" in levels else (levels[0] if levels else "")


@lru_cache(maxsize=1)
def catalog(seeds: int = SAMPLE_SEEDS) -> dict[str, Invites]:
    """Misconception name -> where the engine's problems carry it, from a generated sample
    (`seeds` problems per family and difficulty; deterministic)."""
    from engine.answers import GENERIC_HINTS, slips
    from engine.catalog import DIFFICULTIES, FAMILIES
    from engine.problems import make_problem

    hints: dict[str, list[str]] = {}
    places: dict[str, list[tuple[str, str]]] = {}
    for family in FAMILIES:
        for difficulty in DIFFICULTIES:
            for seed in range(seeds):
                problem = make_problem(family, seed, difficulty, None)
                for m in (*problem.misconceptions, *slips(problem)):
                    hints.setdefault(m.name, []).append(m.hint)
                    where = places.setdefault(m.name, [])
                    if (family, difficulty) not in where:
                        where.append((family, difficulty))
    return {
        name: Invites(GENERIC_HINTS.get(name) or general_hint(hints[name]), tuple(where))
        for name, where in places.items()
    }


def general_hint(hints: list[str]) -> str:
    """The hint that fits a mistake in any problem: one without a sample problem's numbers
    if the engine words one so, else the most common wording."""
    plain = [h for h in hints if not any(c.isdigit() for c in h)]
    pool = plain or hints
    return max(dict.fromkeys(pool), key=pool.count)


def build_report(
    counts: Iterable[MistakeCount],
    invites: dict[str, Invites],
    window: int = WINDOW_DAYS,
    bank_hints: Mapping[str, str] | None = None,
) -> MistakesReport:
    """Tally the store's counts per misconception (pure: the tests' independent check).
    `bank_hints`: a bank option's explanation per misconception it names (the hint of a
    name the engine does not know)."""
    grouped: dict[str, list[MistakeCount]] = {}
    for c in counts:
        grouped.setdefault(c.name, []).append(c)
    mistakes = []
    for name, rows in grouped.items():
        by_source = {s: sum(r.count for r in rows if r.source == s) for s in SOURCES}
        known = invites.get(name)
        families = known.families if known else ()
        if not families:  # unknown to the sample: where practice met it
            families = tuple(dict.fromkeys(sorted(r.family for r in rows if r.family)))
        difficulty = ""
        if families:
            difficulty = (known.difficulty(families[0]) if known else "") or "medium"
        mistakes.append(
            Mistake(
                name=name,
                count=sum(r.count for r in rows),
                last_seen=utc(max(r.last_at for r in rows)),
                recent=sum(r.recent for r in rows),
                before=sum(r.before for r in rows),
                by_source=tuple((s, n) for s, n in by_source.items() if n),
                hint=known.hint if known else (bank_hints or {}).get(name, ""),
                families=families,
                difficulty=difficulty,
            )
        )
    mistakes.sort(key=lambda m: (-m.count, -m.last_seen.timestamp(), m.name))
    return MistakesReport(window, tuple(mistakes))


class Mistakes:
    """The mistakes view over one store."""

    def __init__(
        self, store: Store, time: StudyTime, items: Callable[[], Iterable[Item]] = tuple
    ) -> None:
        self._store = store
        self._time = time
        self._items = items  # the loaded bank items (their options may name misconceptions)

    def report(self, window: int = WINDOW_DAYS) -> MistakesReport:
        from quizapp.store.mistakes import mistake_counts

        today = self._time.moment().today
        with self._store.read() as tx:
            counts = mistake_counts(tx, today=today, window=window)
        return build_report(counts, catalog(), window, self.bank_hints())

    def bank_hints(self) -> dict[str, str]:
        """Misconception name -> the explanation of the first bank option naming it."""
        hints: dict[str, str] = {}
        for item in self._items():
            for choice in item.choices:
                if choice.misconception:
                    hints.setdefault(choice.misconception, choice.explanation)
        return hints

    def invites(self, name: str) -> Invites | None:
        """Where the engine's problems carry the misconception `name` (None: nowhere seen)."""
        return catalog().get(name)
