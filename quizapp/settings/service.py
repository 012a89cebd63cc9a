"""Reading and saving settings; the other use cases read the current value from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from quizapp.scheduling.optimize import PARAMETERS_KEY, Fitted
from quizapp.scheduling.review import Policy
from quizapp.settings.model import Settings
from quizapp.store.database import Store
from quizapp.store.settings import get_value, load_settings, save_settings, set_value


class SettingsService:
    """The settings of one store, read once and kept current as they are saved."""

    def __init__(self, store: Store) -> None:
        self._store = store
        with store.read() as tx:
            self._settings = load_settings(tx)
            self._fitted = Fitted.from_json(get_value(tx, PARAMETERS_KEY))
        self._policy = self._policy_for(self._settings)
        self._listeners: list[Callable[[Settings, Settings], object]] = []

    def current(self) -> Settings:
        return self._settings

    def _policy_for(self, settings: Settings) -> Policy:
        return Policy.from_settings(settings, self._fitted.parameters if self._fitted else None)

    @property
    def fitted(self) -> Fitted | None:
        """The FSRS parameters fitted to the learner and adopted, or None (the defaults)."""
        return self._fitted

    def adopt_parameters(self, fitted: Fitted | None) -> None:
        """Store `fitted` (None: back to the defaults); scheduling uses it from now on."""
        with self._store.write() as tx:
            set_value(tx, PARAMETERS_KEY, fitted.to_json() if fitted else None)
        self._fitted = fitted
        self._policy = self._policy_for(self._settings)

    @property
    def policy(self) -> Policy:
        """The FSRS scheduling policy the current settings give."""
        return self._policy

    def save(self, settings: Settings) -> None:
        """Validate and store `settings` (QuizappError names what is out of range)."""
        with self._store.write() as tx:
            save_settings(tx, settings)
        before, self._settings = self._settings, settings
        self._policy = self._policy_for(settings)
        for listener in self._listeners:
            listener(before, settings)

    def on_saved(self, listener: Callable[[Settings, Settings], object]) -> None:
        """Call `listener(before, after)` once settings are saved."""
        self._listeners.append(listener)

    def set_exam_date(self, exam_date: date | None) -> None:
        self.save(replace(self._settings, exam_date=exam_date))
