"""Settings: the learner's scheduling, limits, exam date and theme (the service, which needs
the store, is `quizapp.settings.service.SettingsService`)."""

from quizapp.settings.model import Settings

__all__ = ["Settings"]
