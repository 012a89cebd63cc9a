"""The mistakes view: the named misconceptions the learner makes most (see `service`)."""

from quizapp.mistakes.model import Mistake, MistakeCount, MistakesReport

__all__ = ["Mistake", "MistakeCount", "MistakesReport"]
