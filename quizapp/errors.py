"""Errors that reach the learner as one clear line (never a traceback)."""


class QuizappError(Exception):
    """A problem the learner can act on; str(err) is the one-line message."""


class ContentError(QuizappError):
    """Shipped or learner bank content is broken."""


class StoreError(QuizappError):
    """The progress database cannot be opened, read or written."""


class CardChanged(QuizappError):
    """An answer was refused: the card changed since it was shown (answered in another
    window, retired, suspended). Nothing was saved; show the next card."""
