"""Fitting FSRS to the learner's own review log (fsrs-rs-python), with Anki's rules.

- The history: one FSRS item per answer after a card's first, holding the card's answers up to
  it; `delta_t` is whole study days since the answer before (0 on the same day). Cards whose
  first logged answer was not from the new state are left out (their start is unknown), and,
  as in Anki, only items whose last answer came on a later day than the one before are used
  (same-day answers stay in the histories, as context).
- Below `MIN_REVIEWS` such items (or when fsrs-rs itself finds the data too thin, raising
  NotEnoughData or handing back its defaults) nothing is fitted: "not enough history".
- The fitted set is adopted only when its log loss over that same history is lower than the
  current set's (`FSRS(params).evaluate(items)`); otherwise the current set stays.
- The adopted set is stored (settings table, key `_fsrs_parameters`) with its date and review
  count; `Policy.parameters` carries it into scheduling from the next card on. Every run also
  records the log size it saw (`_fsrs_optimized`), so the settings screen can suggest a new run
  after `SUGGEST_EVERY` more answers.

fsrs-rs-python and the fsrs package both use FSRS-6 vectors of 21 values; a shorter FSRS-5
vector (19) would be filled as fsrs-rs does (`check_and_fill_parameters`).

fsrs-rs holds the GIL while it fits (a side thread gets no turn), so the app fits in a child
process (`optimize(isolate=True)`, `fit_in_process`) and its screen stays live meanwhile.

fsrs_rs_python is imported only inside the functions that fit, so importing this module (as
the settings service does for `Fitted`) stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from fsrs.scheduler import DEFAULT_PARAMETERS

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

    from quizapp.settings.service import SettingsService
    from quizapp.store.database import Store
    from quizapp.study_time import StudyTime

MIN_REVIEWS = 400  # items (answers with an earlier-day answer before them) needed to fit
# fsrs-rs trains 5 epochs (Anki's setting); a large history gets fewer, 2 at the least, so a
# million reviews fit in seconds: at 823,617 items, 2 epochs took 3.4 s against 11.5 s for 5,
# for a log loss of 0.34496 against 0.34483 (bench/plan.py's synthetic learner)
FULL_EPOCHS_UP_TO = 1_000_000  # items x epochs: 5 epochs up to 200,000 items
SUGGEST_EVERY = 1000  # new answers since the last run after which a new run is suggested
PARAMETERS_KEY = "_fsrs_parameters"  # {"parameters": [21 floats], "date": iso, "reviews": n}
LAST_RUN_KEY = "_fsrs_optimized"  # {"date": iso, "log_size": n}: the last run, kept or not
N_PARAMETERS = 21
NEW_STATE = 0

Progress = Callable[[str, float], object]  # (what is happening, fraction done 0..1)
History = Iterable[tuple[int, int, int, int]]  # (card id, study day, grade, state before)


@dataclass(frozen=True, slots=True)
class Fitted:
    """An adopted parameter set: the values, the day it was fitted, the reviews it used."""

    parameters: tuple[float, ...]
    fitted_on: date
    reviews: int

    def to_json(self) -> dict[str, Any]:
        return {
            "parameters": list(self.parameters),
            "date": self.fitted_on.isoformat(),
            "reviews": self.reviews,
        }

    @classmethod
    def from_json(cls, raw: Any) -> Fitted | None:
        """The stored set, or None when it is missing or cannot be used (defaults then)."""
        try:
            params = tuple(float(x) for x in raw["parameters"])
            fitted = cls(params, date.fromisoformat(raw["date"]), int(raw["reviews"]))
        except (TypeError, ValueError, KeyError):
            return None
        if len(params) != N_PARAMETERS or not all(math.isfinite(x) for x in params):
            return None
        return fitted


@dataclass(frozen=True, slots=True)
class OptimizeResult:
    """One run: what it used, the sets compared, and whether the fitted one was adopted."""

    reviews_used: int
    parameters: tuple[float, ...]  # the set in use after the run
    previous_parameters: tuple[float, ...]
    log_loss_before: float | None
    log_loss_after: float | None
    rmse_bins_before: float | None
    rmse_bins_after: float | None
    kept: bool  # True when the fitted set was adopted
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "reviews_used": self.reviews_used,
            "parameters": list(self.parameters),
            "previous_parameters": list(self.previous_parameters),
            "log_loss_before": self.log_loss_before,
            "log_loss_after": self.log_loss_after,
            "rmse_bins_before": self.rmse_bins_before,
            "rmse_bins_after": self.rmse_bins_after,
            "kept": self.kept,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class OptimizeStatus:
    """What the settings screen shows: the set in use and whether a run is suggested."""

    fitted: Fitted | None  # None: the defaults
    reviews_since: int  # answers logged since the last run (or ever, before any)
    suggest: bool


def fsrs6(parameters: Sequence[float]) -> tuple[float, ...]:
    """A parameter vector as the fsrs package's Scheduler takes it (FSRS-6, 21 values)."""
    values = [float(x) for x in parameters]
    if len(values) != N_PARAMETERS:
        from fsrs_rs_python import check_and_fill_parameters

        values = [float(x) for x in check_and_fill_parameters(values)]
    if len(values) != N_PARAMETERS:
        raise ValueError(f"FSRS-6 takes {N_PARAMETERS} parameters, not {len(values)}")
    return tuple(values)


def build_items(history: History) -> list[FSRSItem]:
    """The FSRS items of a history sorted by card, then time (see the module docstring)."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    items: list[FSRSItem] = []
    reviews: list[FSRSReview] = []
    card = prev_day = None
    skip = False
    for card_id, day, grade, state_before in history:
        if card_id != card:
            card, reviews, prev_day = card_id, [], None
            skip = state_before != NEW_STATE  # its start is not in the log
        if skip or not 1 <= grade <= 4:
            continue
        delta = 0 if prev_day is None else max(0, day - prev_day)
        reviews.append(FSRSReview(grade, delta))
        prev_day = day
        if len(reviews) > 1 and delta > 0:
            items.append(FSRSItem(list(reviews)))
    return items


@dataclass(frozen=True, slots=True)
class Fit:
    """The comparison behind a run, before anything is stored."""

    reviews_used: int
    fitted: tuple[float, ...] | None  # None: not enough history
    log_loss_before: float | None
    log_loss_after: float | None
    rmse_bins_before: float | None
    rmse_bins_after: float | None

    @property
    def better(self) -> bool:
        return (
            self.fitted is not None
            and self.log_loss_before is not None
            and self.log_loss_after is not None
            and self.log_loss_after < self.log_loss_before
        )


def epochs_for(n_items: int) -> int:
    """Training epochs: 5 (fsrs-rs's and Anki's) up to 200,000 items, then fewer, at least 2."""
    return max(2, min(5, math.ceil(FULL_EPOCHS_UP_TO / max(1, n_items))))


def compute_parameters(items: Sequence[FSRSItem]) -> list[float] | None:
    """fsrs-rs's fit, or None when it finds the data too thin (it raises NotEnoughData, or
    gives back its defaults untouched)."""
    from fsrs_rs_python import DEFAULT_PARAMETERS as RS_DEFAULTS
    from fsrs_rs_python import FSRS, TrainingConfig

    config = TrainingConfig(num_epochs=epochs_for(len(items)))
    try:
        params = FSRS(RS_DEFAULTS).compute_parameters(items, training_config=config)
    except ValueError as e:
        if "NotEnoughData" in str(e):
            return None
        from quizapp.errors import QuizappError

        raise QuizappError(f"the FSRS optimizer failed: {e}") from None
    return None if list(params) == list(RS_DEFAULTS) else list(params)


def fit(
    items: Sequence[FSRSItem], current: Sequence[float], progress: Progress | None = None
) -> Fit:
    """Fit to `items` and evaluate both `current` and the fitted set on them."""
    from fsrs_rs_python import FSRS

    say = progress or (lambda _what, _done: None)
    used = len(items)
    if used < MIN_REVIEWS:
        return Fit(used, None, None, None, None, None)
    say("fitting parameters", 0.3)
    raw = compute_parameters(items)
    if raw is None:
        return Fit(used, None, None, None, None, None)
    fitted = fsrs6(raw)
    say("comparing with the current set", 0.8)
    before = FSRS(list(current)).evaluate(items)
    after = FSRS(list(fitted)).evaluate(items)
    return Fit(used, fitted, before.log_loss, after.log_loss, before.rmse_bins, after.rmse_bins)


def _fit_columns(
    columns: tuple[Sequence[int], ...],
    current: tuple[float, ...],
) -> Fit:
    """`fit` on a history given as four columns (what a child process receives)."""
    return fit(build_items(zip(*columns, strict=True)), current)


def fit_in_process(history: Sequence[tuple[int, int, int, int]], current: Sequence[float]) -> Fit:
    """`fit` in a fresh Python process: fsrs-rs holds the GIL while it fits, so in-process the
    app's event loop would stand still for the whole fit; this way only the caller's thread
    waits. The history travels as four compact integer columns, pickled over the child's
    stdin/stdout (a plain subprocess with its own pipes: multiprocessing's spawn needs a real
    sys.stderr, which a running Textual app has replaced)."""
    import os
    import pickle
    import subprocess
    import sys
    from array import array
    from pathlib import Path

    from quizapp.errors import QuizappError

    columns = tuple(array("q", column) for column in zip(*history, strict=True)) or (
        array("q"), array("q"), array("q"), array("q"),
    )  # fmt: skip
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the quizapp package
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.run(
        [sys.executable, "-c", "from quizapp.scheduling.optimize import _child; _child()"],
        input=pickle.dumps((columns, tuple(current)), protocol=pickle.HIGHEST_PROTOCOL),
        capture_output=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise QuizappError(f"the optimizer process failed: {lines[-1]}")
    fitted: Fit = pickle.loads(proc.stdout)
    return fitted


def _child() -> None:
    """The child side of `fit_in_process`: history in on stdin, the Fit out on stdout."""
    import pickle
    import sys

    columns, current = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps(_fit_columns(columns, current)))
    sys.stdout.flush()


def _valid_for_scheduler(parameters: tuple[float, ...]) -> bool:
    from fsrs import Scheduler

    try:
        Scheduler(parameters=parameters, enable_fuzzing=False)
    except ValueError:
        return False
    return True


class Optimizer:
    """`optimize()` fits, compares and adopts; `reset()` goes back to the defaults."""

    def __init__(self, store: Store, time: StudyTime, settings: SettingsService) -> None:
        self._store = store
        self._time = time
        self._settings = settings

    def status(self) -> OptimizeStatus:
        from quizapp.store.review_history import review_count
        from quizapp.store.settings import get_value

        with self._store.read() as tx:
            size = review_count(tx)
            last = get_value(tx, LAST_RUN_KEY)
        try:
            seen = int(last["log_size"]) if last else 0
        except (TypeError, ValueError, KeyError):
            seen = 0
        since = max(0, size - seen)
        return OptimizeStatus(self._settings.fitted, since, since >= SUGGEST_EVERY)

    def optimize(
        self, progress: Progress | None = None, *, isolate: bool = False
    ) -> OptimizeResult:
        """Fit to the whole review log; adopt the fitted set only if it predicts it better.

        `isolate`: fit in a child process (`fit_in_process`), as the app does so that its
        screen stays live; the command line fits in-process."""
        from quizapp.store.review_history import review_count, review_history
        from quizapp.store.settings import set_value

        say = progress or (lambda _what, _done: None)
        say("reading the review history", 0.0)
        with self._store.read() as tx:
            size = review_count(tx)
            history = review_history(tx)
        current = self._settings.policy.parameters
        if isolate and len(history) > MIN_REVIEWS:  # fewer answers: nothing to fit, no process
            say("fitting parameters", 0.3)
            result = fit_in_process(history, current)
            say("comparing with the current set", 0.8)
        else:
            result = fit(build_items(history), current, say)
        del history
        today = date.fromordinal(self._time.moment().today)
        with self._store.write() as tx:
            set_value(tx, LAST_RUN_KEY, {"date": today.isoformat(), "log_size": size})
        which = "default" if tuple(current) == tuple(DEFAULT_PARAMETERS) else "current"
        if result.fitted is None:
            message = (
                f"not enough history: {result.reviews_used} reviews usable, "
                f"at least {MIN_REVIEWS} needed; the {which} parameters stay"
            )
            kept = False
        elif not result.better or not _valid_for_scheduler(result.fitted):
            message = (
                f"the fitted parameters predict the {result.reviews_used} reviews no better "
                f"(log loss {result.log_loss_after:.4f} vs {result.log_loss_before:.4f}); "
                f"the {which} parameters stay"
            )
            kept = False
        else:
            self._settings.adopt_parameters(Fitted(result.fitted, today, result.reviews_used))
            message = (
                f"adopted parameters fitted to {result.reviews_used} reviews "
                f"(log loss {result.log_loss_before:.4f} -> {result.log_loss_after:.4f})"
            )
            kept = True
        say("done", 1.0)
        return OptimizeResult(
            reviews_used=result.reviews_used,
            parameters=self._settings.policy.parameters,
            previous_parameters=tuple(current),
            log_loss_before=result.log_loss_before,
            log_loss_after=result.log_loss_after,
            rmse_bins_before=result.rmse_bins_before,
            rmse_bins_after=result.rmse_bins_after,
            kept=kept,
            message=message,
        )

    def reset(self) -> tuple[float, ...]:
        """Back to the default parameters (from the next card on); the defaults."""
        self._settings.adopt_parameters(None)
        return tuple(DEFAULT_PARAMETERS)
